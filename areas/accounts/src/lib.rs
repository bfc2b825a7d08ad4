//! vslc-accounts: 系统管理 — users and their roles, sessions (the bearer
//! token resolved into the `Caller` every area receives), login with its
//! throttle, SMS codes, passwords, and the 操作日志 page over the audit
//! trail. The lowest area: every other area takes its `Session`.

pub mod audit_log;
pub mod code;
pub mod login;
pub mod manage;
pub mod password;
pub mod session;
pub mod throttle;
pub mod user;

pub use role::Role;
pub use session::Session;
pub use tenant::{Tenant, TenantKind};
pub use user::{User, UserStatus};
pub use vslc_ports::{role, tenant};
