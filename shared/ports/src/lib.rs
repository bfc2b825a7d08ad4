//! vslc-ports: what every area needs from the outside world and nothing
//! more — the port traits (`Table`, `Blobs`, `Queue`, `Clock`, `Sms`,
//! `IdentityCheck`) with their key, condition and error types, the domain
//! value types parsed at the edge (ID newtypes, 证件, phones, names), the
//! caller's tenant and roles, the typed configuration and the `AppState`
//! that bundles the ports. Each port has an AWS and an embedded adapter in
//! `vslc-adapters` that mean the same thing; nothing here names either.

pub mod blobs;
pub mod caller;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod identity;
pub mod jobs;
pub mod keyset;
pub mod mask;
pub mod photo;
pub mod queue;
pub mod role;
pub mod sequence;
pub mod shard;
pub mod sms;
pub mod state;
pub mod table;
pub mod tenant;
pub mod worker;

pub use blobs::{Blob, BlobError, BlobInfo, Blobs};
pub use caller::{Caller, Denied};
pub use clock::{Clock, ManualClock, ShiftedClock, SystemClock};
pub use error::{DomainError, DomainResult, OnConflict};
pub use identity::{IdentityCheck, IdentityError, IdentityRequest, IdentityVerdict};
pub use queue::{Queue, QueueError, QueueName, QueuePolicy, QueueRef, Received};
pub use sms::{Sms, SmsError, SmsMessage};
pub use state::AppState;
pub use table::{
    BatchOp, Condition, Cursor, Index, Item, Key, Query, QueryPage, SkCond, Table, TableError,
    TableExt, TxOp, Update,
};
