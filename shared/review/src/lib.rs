//! vslc-review: the review workflow shared by every area whose records a
//! counterpart approves — 审核记录 (`log`), the 退回 reason.

pub mod log;

pub use log::{ReturnInput, ReviewRecord, appended};
