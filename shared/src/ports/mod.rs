//! Ports: what the domain needs from the outside world. Each has an AWS and
//! an embedded adapter under `crate::adapters` that mean the same thing.

pub mod blobs;
pub mod clock;
pub mod identity;
pub mod queue;
pub mod sms;
pub mod table;

pub use blobs::{Blob, BlobError, BlobInfo, Blobs};
pub use clock::{Clock, ManualClock, SystemClock};
pub use identity::{IdentityCheck, IdentityError, IdentityRequest, IdentityVerdict};
pub use queue::{Queue, QueueError, QueueName, QueuePolicy, QueueRef, Received};
pub use sms::{Sms, SmsError, SmsMessage};
pub use table::{
    BatchOp, Condition, Cursor, Index, Item, Key, Query, QueryPage, SkCond, Table, TableError,
    TableExt, TxOp, Update,
};
