//! vslc-review: the review workflow shared by every area whose records a
//! counterpart approves — the transitions (`workflow`: 提交, 撤回, 审核通过,
//! 审核退回 as version-conditioned writes), the 审核记录 they append and the
//! 退回 reason (`log`), and the route handlers of those steps (`handlers!`).

pub mod handlers;
pub mod log;
pub mod workflow;

pub use log::{ReturnInput, ReviewRecord, appended};
pub use workflow::{ReviewStatus, Reviewed, Step};
