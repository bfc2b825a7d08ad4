//! Accounts, tenants and sessions.

pub mod login;
pub mod password;
pub mod session;
pub mod tenant;
pub mod user;

pub use session::Session;
pub use tenant::{Tenant, TenantKind};
pub use user::{User, UserStatus};
