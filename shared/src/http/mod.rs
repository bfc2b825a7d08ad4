//! The HTTP layer shared by every area: errors, extractors, paging, batch
//! actions, the area router with `/health`, and the common middleware.

pub mod area;
pub mod batch;
pub mod client_addr;
pub mod error;
pub mod extract;
pub mod filter;
pub mod paging;

pub use area::{Area, AreaRouter, mount};
pub use batch::{BatchIds, BatchOutcome, ItemOutcome, run_batch};
pub use client_addr::ClientAddr;
pub use error::{ApiError, ApiResult, ErrorBody};
pub use extract::{Json, Path, Query};
pub use paging::{PageParams, Paged};
