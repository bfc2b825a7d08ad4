//! 操作日志 (audit trail, PIPL): who did what to which record, when and
//! from where — every view of full personal data, every export and
//! download of it, every login, failed login, password reset and role
//! change, and every change a session makes. Entries live in their
//! tenant's own partition (`T#<kind>#<id>#AUDIT`), keyed by a ULID so a
//! list is a newest-first keyset query; they are append-only (no route
//! changes or deletes them; each is put on a new key) and the table's TTL
//! removes them after the configured retention (`VSLC_AUDIT_RETENTION_DAYS`).
//!
//! vslc-audit writes and reads the entries; mounting an area through
//! `router::mount`/`finish` gives it the middleware that records changes.

pub mod context;
pub mod model;
pub mod record;
pub mod router;

pub use model::{AuditEntry, AuditKind, Outcome};
pub use record::{Actor, Event, record, record_as, viewed};
