//! Embedded adapters: everything on the local disk, no AWS, no Docker.

pub mod blobs;
pub mod queue;
pub mod serve;
pub mod signing;
pub mod store;
pub mod table;

pub use blobs::DirBlobs;
pub use queue::EmbeddedQueue;
pub use serve::{BlobServer, Notify};
pub use signing::{Grant, Method, SignError, UrlSigner};
pub use store::EmbeddedStore;
pub use table::EmbeddedTable;
