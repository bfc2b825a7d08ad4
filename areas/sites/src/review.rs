//! 考核站点审核 (org side): the sites declared for the org's certificates.
//! Drafts (未提交) stay the school's own.

use super::model::{Site, SiteStatus};
use super::service::{SiteFilter, matches, save};
use vslc_accounts::{Session, TenantKind};
use vslc_http::{PageParams, Paged};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::table::{Index, Query, TableExt, Update, from_item};
use vslc_ports::tenant::org_index;

pub use vslc_review::log::ReturnInput;

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

fn reviewer(session: &Session) -> String {
    session.name.clone()
}

fn not_pending(s: &Site) -> DomainError {
    DomainError::conflict(
        "STATE_CONFLICT",
        format!(
            "考核站点当前为“{}”状态，只有待审核的考核站点可以审核",
            s.status.label()
        ),
    )
}

/// 审核通过.
pub async fn approve(state: &AppState, session: &Session, id: &str) -> Result<Site, DomainError> {
    let s = get(state, session, id).await?;
    if s.status != SiteStatus::Pending {
        return Err(not_pending(&s));
    }
    save(
        state,
        &s,
        Update::new()
            .set("status", SiteStatus::Approved.label())
            .remove("reviewReason")
            .set("reviewedAt", state.clock.now_text())
            .set("reviewedBy", reviewer(session)),
    )
    .await
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
    if s.status != SiteStatus::Pending {
        return Err(not_pending(&s));
    }
    save(
        state,
        &s,
        Update::new()
            .set("status", SiteStatus::Returned.label())
            .set("reviewReason", reason)
            .set("reviewedAt", state.clock.now_text())
            .set("reviewedBy", reviewer(session)),
    )
    .await
}
