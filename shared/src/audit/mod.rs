//! 操作日志: the trail is `vslc-audit`; this module adds the page that
//! lists and exports it.

pub use vslc_audit::*;

pub mod service;
