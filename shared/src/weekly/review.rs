//! 周报审核 (province side): the reports of the province's schools by
//! period and status; 通过 or 退回 with a reason.

use super::model::{ReportStatus, WeeklyReport};
use super::service::{ReportFilter, matches, save, sort};
use crate::accounts::{Session, TenantKind};
use crate::http::{ApiError, PageParams, Paged};
use crate::ports::table::{Index, Query, TableExt, Update};
use crate::review_log::{ReturnInput, ReviewRecord, appended};
use crate::state::AppState;

/// The province's reports, drafts excluded (they stay the school's).
pub async fn of_province(
    state: &AppState,
    province_id: &str,
) -> Result<Vec<WeeklyReport>, ApiError> {
    let mut rows: Vec<WeeklyReport> = state
        .table
        .query_all_as(Query::index(
            Index::Gsi1,
            WeeklyReport::province_index(province_id),
        ))
        .await?;
    rows.retain(|r| r.status != ReportStatus::Draft);
    Ok(rows)
}

pub async fn list(
    state: &AppState,
    session: &Session,
    f: &ReportFilter,
    page: &PageParams,
) -> Result<Paged<WeeklyReport>, ApiError> {
    let province = session.require_kind(TenantKind::Province)?;
    let mut rows = of_province(state, &province.id).await?;
    rows.retain(|r| matches(r, f));
    sort(&mut rows);
    Paged::of(rows, page)
}

/// A report of one of the province's schools, not a draft; anything else
/// looks missing.
pub async fn get(state: &AppState, session: &Session, id: &str) -> Result<WeeklyReport, ApiError> {
    let province = session.require_kind(TenantKind::Province)?;
    let missing = || ApiError::not_found("周报");
    let (school, period) = WeeklyReport::parse_id(id).ok_or_else(missing)?;
    let r: WeeklyReport = state
        .table
        .get_as(&WeeklyReport::key(&school, period))
        .await?
        .ok_or_else(missing)?;
    if r.province_id != province.id || r.status == ReportStatus::Draft {
        return Err(missing());
    }
    Ok(r)
}

async fn pending(state: &AppState, session: &Session, id: &str) -> Result<WeeklyReport, ApiError> {
    session.province_admin()?;
    let r = get(state, session, id).await?;
    if r.status != ReportStatus::Pending {
        return Err(ApiError::conflict(
            "STATE_CONFLICT",
            format!(
                "周报当前为“{}”状态，只有待审核的周报可以审核",
                r.status.label()
            ),
        ));
    }
    Ok(r)
}

/// 审核通过.
pub async fn approve(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<WeeklyReport, ApiError> {
    let r = pending(state, session, id).await?;
    let next = ReportStatus::Approved;
    let record = ReviewRecord::new(session, state.clock.now_text(), "审核通过", next.label());
    save(
        state,
        &r,
        Update::new()
            .set("status", next.label())
            .remove("reviewReason")
            .set_json("history", &appended(&r.history, record))?,
    )
    .await
}

/// 审核退回 with the reason; the school may edit and resubmit it within
/// the period.
pub async fn return_report(
    state: &AppState,
    session: &Session,
    id: &str,
    input: ReturnInput,
) -> Result<WeeklyReport, ApiError> {
    let reason = input.checked()?;
    let r = pending(state, session, id).await?;
    let next = ReportStatus::Returned;
    let record = ReviewRecord::new(session, state.clock.now_text(), "审核退回", next.label())
        .with_reason(reason);
    save(
        state,
        &r,
        Update::new()
            .set("status", next.label())
            .set("reviewReason", reason)
            .set_json("history", &appended(&r.history, record))?,
    )
    .await
}
