//! 周报审核 (province side): the reports of the province's schools by
//! period and status; 通过 or 退回 with a reason.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::model::{ReportStatus, WeeklyReport};
use super::period::Period;
use super::service::{ReportFilter, matches, schedule};
use vslc_accounts::TenantKind;
use vslc_catalogue::school;
use vslc_http::{CursorPage, CursorParams};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::table::{Index, Query, TableExt, Update};
use vslc_review::log::ReturnInput;
use vslc_review::workflow::{open, queue_page};
use vslc_review::{Allowed, Step};

vslc_review::reviewed!(WeeklyReport: ReportStatus, "周报",
    key = |r| WeeklyReport::key(&r.school(), &r.period.id()), history = |r| Some(&r.history),
    reviewer = Province, reviewer_id = |r| &r.province_id, queue = WeeklyReport::province_index,
    id = |id| WeeklyReport::parse_id(id).map(|(school, period)| WeeklyReport::key(&school, period)));

use ReportStatus::{Approved, Draft, Pending, Returned};

/// 提交 (school): 未提交 / 审核退回 → 待审核, within the period.
pub const SUBMIT: Step<ReportStatus> = Step::new(
    "提交",
    &[Draft, Returned],
    Pending,
    "只有未提交、审核退回的周报可以提交",
)
.stamping("submittedAt");
/// 撤回 (school): 待审核 → 未提交, before review and within the period.
pub const WITHDRAW: Step<ReportStatus> =
    Step::new("撤回", &[Pending], Draft, "只有待审核的周报可以撤回");
/// 审核通过 (省级管理员).
pub const APPROVE: Step<ReportStatus> =
    Step::new("审核通过", &[Pending], Approved, "只有待审核的周报可以审核").clearing_reason();
/// 审核退回 (省级管理员), with the reason.
pub const RETURN: Step<ReportStatus> =
    Step::new("审核退回", &[Pending], Returned, "只有待审核的周报可以审核");
/// 编辑 (school), with 提交 as well, before the period ends.
pub const EDIT: Allowed<ReportStatus> =
    Allowed::new(&[Draft, Returned], "只有未提交、审核退回的周报可以编辑");
/// 删除 (school).
pub const DELETE: Allowed<ReportStatus> = Allowed::new(&[Draft], "只有未提交的周报可以删除");

/// The province's reports, drafts excluded (they stay the school's),
/// newest period first, by keyset cursor.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &ReportFilter,
    paging: &CursorParams,
) -> Result<CursorPage<WeeklyReport>, DomainError> {
    Ok(queue_page(
        state,
        caller,
        f.periods("")?,
        paging.cursor.as_deref(),
        paging.size()?,
        |r: &WeeklyReport| matches(r, f),
    )
    .await?
    .into())
}

/// A report of one of the province's schools, not a draft; anything else
/// looks missing.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<WeeklyReport, DomainError> {
    open(state, caller, id).await
}

/// A report the 省级管理员 decides on.
async fn decided(state: &AppState, caller: &Caller, id: &str) -> Result<WeeklyReport, DomainError> {
    caller.province_admin()?;
    get(state, caller, id).await
}

/// 审核通过.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<WeeklyReport, DomainError> {
    let r = decided(state, caller, id);
    APPROVE.decide(state, caller, None, r, Update::new()).await
}

/// 审核退回 with the reason; the school may edit and resubmit it within
/// the period.
pub async fn return_report(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: ReturnInput,
) -> Result<WeeklyReport, DomainError> {
    let r = decided(state, caller, id);
    RETURN
        .decide(state, caller, Some(&input), r, Update::new())
        .await
}

/// One school's report for a period, as the province's overview shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchoolReport {
    pub school_id: String,
    pub school_name: String,
    /// The report's status; 未提交 when there is none or only a draft.
    pub status: ReportStatus,
    /// The report, when the province may open it.
    pub report_id: Option<String>,
    pub submitted_at: Option<String>,
}

/// 本期提交情况: every school of the province for one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub period: Period,
    pub period_label: String,
    pub total: usize,
    /// Schools whose report was submitted (待审核, 审核通过 or 审核退回).
    pub submitted: usize,
    pub schools: Vec<SchoolReport>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// A day inside the period (`YYYY-MM-DD`; today when absent).
    pub date: Option<String>,
}

pub async fn overview(
    state: &AppState,
    caller: &Caller,
    q: &OverviewQuery,
) -> Result<Overview, DomainError> {
    let province = caller.require_kind(TenantKind::Province)?;
    let day = match q.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => state.clock.now_local().date(),
        Some(d) => super::service::parse_day(d)?,
    };
    let period = schedule(state, province).await?.period(day);
    let reports: Vec<WeeklyReport> = state
        .table
        .query_all_as(
            Query::index(Index::Gsi1, WeeklyReport::province_index(&province.id))
                .begins_with(format!("{}#", period.id())),
        )
        .await?;
    let mut schools: Vec<SchoolReport> = school::of_province(state, province)
        .await?
        .into_iter()
        .map(|s| {
            let report = reports
                .iter()
                .find(|r| r.school_id == s.code && r.status != ReportStatus::Draft);
            SchoolReport {
                school_id: s.code,
                school_name: s.name,
                status: report.map_or(ReportStatus::Draft, |r| r.status),
                report_id: report.map(|r| r.id.clone()),
                submitted_at: report.and_then(|r| r.submitted_at.clone()),
            }
        })
        .collect();
    // Those still owing a report first.
    schools.sort_by(|a, b| {
        (a.status != ReportStatus::Draft && a.status != ReportStatus::Overdue)
            .cmp(&(b.status != ReportStatus::Draft && b.status != ReportStatus::Overdue))
            .then(a.school_id.cmp(&b.school_id))
    });
    let submitted = schools
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                ReportStatus::Pending | ReportStatus::Approved | ReportStatus::Returned
            )
        })
        .count();
    Ok(Overview {
        period_label: period.label(),
        period,
        total: schools.len(),
        submitted,
        schools,
    })
}
