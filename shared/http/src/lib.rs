//! vslc-http: the HTTP edge shared by every area — the error answer
//! `{code, message}`, extractors that parse into domain types, paging,
//! batch actions, the area router with `/health`, client addresses and the
//! request-id and tracing layers.

pub mod area;
pub mod batch;
pub mod client_addr;
pub mod error;
pub mod extract;
pub mod filter;
pub mod paging;

pub use area::{Area, AreaRouter};
pub use batch::{BatchIds, BatchOutcome, ItemOutcome, run_batch};
pub use client_addr::ClientAddr;
pub use error::{ApiError, ApiResult, ErrorBody};
pub use extract::{Json, Path, Query};
pub use paging::{PageParams, Paged};
