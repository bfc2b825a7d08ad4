//! vslc-http: the HTTP edge shared by every area — the error answer
//! `{code, message}` and the handler's `reply`, extractors that parse into
//! domain types, paging, batch actions, export selections, the area router
//! with `/health`, client addresses and the request-id and tracing layers.

pub mod area;
pub mod batch;
pub mod client_addr;
pub mod error;
pub mod export;
pub mod extract;
pub mod filter;
pub mod handlers;
pub mod paging;
pub mod reply;

pub use area::{Area, AreaRouter};
pub use batch::{BatchIds, BatchOutcome, ItemOutcome, each, run_batch};
pub use client_addr::ClientAddr;
pub use error::{ApiError, ApiResult, ErrorBody};
pub use export::{ExportFilter, ExportRequest, Selection};
pub use extract::{Json, Path, Query};
pub use paging::{CursorPage, CursorParams, PageParams, Paged};
pub use reply::reply;
