//! 操作日志: the trail is `vslc-audit`; the page that lists and exports it
//! is the accounts area's (`vslc_accounts::audit_log`).

pub use vslc_accounts::audit_log as service;
pub use vslc_audit::*;
