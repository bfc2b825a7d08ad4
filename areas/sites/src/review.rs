//! 考核站点审核 (org side): the sites declared for the org's certificates.
//! Drafts (未提交) stay the school's own.

use super::model::{Site, SiteStatus};
use super::service::{SiteFilter, matches};
use vslc_http::{PageParams, Paged};
use vslc_ports::AppState;
use vslc_ports::Caller;
use vslc_ports::DomainError;
use vslc_ports::table::Update;
use vslc_review::workflow::{open, queue_of};
use vslc_review::{Allowed, Step};

pub use vslc_review::log::ReturnInput;

// A site keeps no 审核记录: the last decision is on the site (reviewedAt,
// reviewedBy, reviewReason).
vslc_review::reviewed!(Site: SiteStatus, "考核站点",
    key = |s| Site::key(&s.school(), &s.id), history = |_| None,
    reviewer = Org, reviewer_id = |s| &s.org_id, queue = Site::org_index,
    id = |id| Site::school_of_id(id).map(|school| Site::key(&school, id)));

use SiteStatus::{Approved, Draft, Pending, Returned};

/// 提交 (school): 未提交 / 审核退回 → 待审核.
pub const SUBMIT: Step<SiteStatus> = Step::new(
    "提交",
    &[Draft, Returned],
    Pending,
    "只有未提交、审核退回的考核站点可以提交",
)
.stamping("submittedAt");
/// 撤销 (school): 待审核 → 未提交, before the org decides.
pub const WITHDRAW: Step<SiteStatus> = Step::new(
    "撤销",
    &[Pending],
    Draft,
    "只有已提交且未审核的考核站点可以撤销",
);
/// 审核通过 (org).
pub const APPROVE: Step<SiteStatus> = Step::new(
    "审核通过",
    &[Pending],
    Approved,
    "只有待审核的考核站点可以审核",
)
.clearing_reason()
.stamping("reviewedAt");
/// 审核退回 (org), with the reason.
pub const RETURN: Step<SiteStatus> = Step::new(
    "审核退回",
    &[Pending],
    Returned,
    "只有待审核的考核站点可以审核",
)
.stamping("reviewedAt");
/// 编辑 (school), with 保存并提交 as well.
pub const EDIT: Allowed<SiteStatus> =
    Allowed::new(&[Draft, Returned], "只有未提交、审核退回的考核站点可以编辑");
/// 删除 (school).
pub const DELETE: Allowed<SiteStatus> =
    Allowed::new(&[Draft, Returned], "只有未提交、审核退回的考核站点可以删除");

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &SiteFilter,
    page: &PageParams,
) -> Result<Paged<Site>, DomainError> {
    // Every submitted site of the org's certificates.
    let mut rows: Vec<Site> = queue_of(state, caller).await?;
    rows.retain(|s| matches(s, f));
    // Waiting for review first, then newest.
    rows.sort_by(|a, b| {
        (b.status == SiteStatus::Pending)
            .cmp(&(a.status == SiteStatus::Pending))
            .then(b.submitted_at.cmp(&a.submitted_at))
            .then(b.id.cmp(&a.id))
    });
    Paged::of(rows, page)
}

/// A submitted site of the org's certificates; anything else looks missing.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Site, DomainError> {
    open(state, caller, id).await
}

/// 审核通过 (org).
pub async fn approve(state: &AppState, caller: &Caller, id: &str) -> Result<Site, DomainError> {
    let s = get(state, caller, id);
    APPROVE
        .decide(state, caller, None, s, reviewed_by(caller))
        .await
}

/// 审核退回, with the reason the school reads.
pub async fn return_site(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: ReturnInput,
) -> Result<Site, DomainError> {
    let s = get(state, caller, id);
    RETURN
        .decide(state, caller, Some(&input), s, reviewed_by(caller))
        .await
}

/// Who took the org's decision, kept on the site.
fn reviewed_by(caller: &Caller) -> Update {
    Update::new().set("reviewedBy", caller.name.clone())
}
