//! 考核站点审核 (org side): the sites declared for the org's certificates.
//! Drafts (未提交) stay the school's own.

use super::model::{Site, SiteStatus};
use super::service::{SiteFilter, matches};
use vslc_accounts::{Session, TenantKind};
use vslc_http::{PageParams, Paged};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::table::{Index, Key, Query, TableExt, Update, from_item};
use vslc_ports::tenant::org_index;
use vslc_review::{ReviewRecord, ReviewStatus, Reviewed, Step};

pub use vslc_review::log::ReturnInput;

impl ReviewStatus for SiteStatus {
    fn label(self) -> &'static str {
        SiteStatus::label(self)
    }
}

/// A site goes through the review workflow; it keeps no 审核记录 (the last
/// decision is on the site: reviewedAt, reviewedBy, reviewReason).
impl Reviewed for Site {
    type Status = SiteStatus;
    const NOUN: &'static str = "考核站点";
    fn key(&self) -> Key {
        Site::key(&self.school(), &self.id)
    }
    fn version(&self) -> u64 {
        self.version
    }
    fn status(&self) -> SiteStatus {
        self.status
    }
    fn history(&self) -> Option<&[ReviewRecord]> {
        None
    }
}

use SiteStatus::{Approved, Draft, Pending, Returned};

/// 提交 (school): 未提交 / 审核退回 → 待审核.
pub const SUBMIT: Step<SiteStatus> = Step::new(
    "提交",
    &[Draft, Returned],
    Pending,
    "只有未提交、审核退回的考核站点可以提交",
);
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
.clearing_reason();
/// 审核退回 (org), with the reason.
pub const RETURN: Step<SiteStatus> = Step::new(
    "审核退回",
    &[Pending],
    Returned,
    "只有待审核的考核站点可以审核",
);

/// Every submitted site of the org's certificates.
pub async fn of_org(state: &AppState, org_id: &str) -> Result<Vec<Site>, DomainError> {
    let items = state
        .table
        .query_all(Query::index(Index::Gsi1, org_index(org_id, "SITES")))
        .await?;
    let mut sites: Vec<Site> = items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    sites.retain(|s| s.status != SiteStatus::Draft);
    Ok(sites)
}

pub async fn list(
    state: &AppState,
    session: &Session,
    f: &SiteFilter,
    page: &PageParams,
) -> Result<Paged<Site>, DomainError> {
    let org = session.require_kind(TenantKind::Org)?;
    let mut rows = of_org(state, &org.id).await?;
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
pub async fn get(state: &AppState, session: &Session, id: &str) -> Result<Site, DomainError> {
    let org = session.require_kind(TenantKind::Org)?;
    let missing = || DomainError::not_found("考核站点");
    let school = Site::school_of_id(id).ok_or_else(missing)?;
    let site: Site = state
        .table
        .get_as(&Site::key(&school, id))
        .await?
        .ok_or_else(missing)?;
    if site.org_id != org.id || site.status == SiteStatus::Draft {
        return Err(missing());
    }
    Ok(site)
}

/// 审核通过 (org).
pub async fn approve(state: &AppState, session: &Session, id: &str) -> Result<Site, DomainError> {
    let s = get(state, session, id).await?;
    decide(state, session, &s, APPROVE, None).await
}

/// 审核退回, with the reason the school reads.
pub async fn return_site(
    state: &AppState,
    session: &Session,
    id: &str,
    input: ReturnInput,
) -> Result<Site, DomainError> {
    let reason = input.checked()?;
    let s = get(state, session, id).await?;
    decide(state, session, &s, RETURN, Some(reason)).await
}

/// The org's decision, with who decided and when (a site keeps no 审核记录).
async fn decide(
    state: &AppState,
    session: &Session,
    s: &Site,
    step: Step<SiteStatus>,
    reason: Option<&str>,
) -> Result<Site, DomainError> {
    let now = state.clock.now_text();
    let extra = Update::new()
        .set("reviewedAt", now.clone())
        .set("reviewedBy", session.name.clone());
    step.apply(&*state.table, session, s, now, reason, extra)
        .await
}
