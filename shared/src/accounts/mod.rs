//! Accounts, roles, tenants and sessions.

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
