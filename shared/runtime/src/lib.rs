//! vslc-runtime: what runs the areas — the application state composed on
//! the AWS or the embedded adapters from the typed configuration, the Lambda
//! runners (HTTP area, SQS worker with partial batch failures, scheduled
//! job), the local queue consumer and period closer, and the allocator.

pub mod compose;

pub use compose::{EmbeddedParts, aws, embedded, from_env, queue_policies};
pub mod alloc;
pub mod jobs;
pub mod lambda;
pub mod worker;
