//! vslc-runtime: the composition root's building blocks — the application
//! state on the AWS or the embedded adapters, from the typed configuration.

pub mod compose;

pub use compose::{EmbeddedParts, aws, embedded, from_env, queue_policies};
pub mod jobs;
pub mod worker;
