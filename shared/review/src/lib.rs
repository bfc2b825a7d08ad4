//! vslc-review: the review workflow shared by every area whose records a
//! counterpart approves — the transitions (`workflow`: 提交, 撤回, 审核通过,
//! 审核退回 as version-conditioned writes), the 审核记录 they append and the
//! 退回 reason (`log`). Their routes are lines of an area's
//! `vslc_http::handlers!` table.

pub mod log;
pub mod workflow;

pub use log::{ReturnInput, ReviewRecord, appended};
pub use workflow::{Allowed, ReviewStatus, Reviewed, Step};

/// What `reviewed!` names, so the calling crate needs none of it in scope.
#[doc(hidden)]
pub mod rt {
    pub use vslc_ports::table::Key;
    pub use vslc_ports::tenant::TenantKind;
}
