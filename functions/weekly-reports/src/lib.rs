//! `/api/weekly-reports` — 周报管理 (manual §6): the school's reports for
//! each period, the province's reporting cycle and review.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_http::ApiError;
use vslc_http::{ApiResult, Area, AreaRouter, ErrorBody, Json, Path, Query};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_review::log::ReturnInput;
use vslc_weekly::WeeklyReport;
use vslc_weekly::review::{self, Overview, OverviewQuery};
use vslc_weekly::service::{self, CurrentPeriod, CycleInput, CycleView, ReportFilter, ReportInput};

pub const AREA: Area = Area {
    name: "weekly-reports",
    prefix: "/api/weekly-reports",
    title: "周报管理",
};

vslc_review::handlers! {
    tag = "weekly-reports", session = Session, record = WeeklyReport;
    /// 周报列表 (the school's own).
    list list "" (ReportFilter) => service::list;
    /// 查看周报 with its 审核记录.
    get get_one "/{id}" => service::get;
    /// 周报审核列表 (province): its schools' reports by period and status.
    list review_list "/review" (ReportFilter) => review::list;
    /// 查看周报 (province).
    get review_get "/review/{id}" => review::get;
    /// 审核通过 (省级管理员).
    post approve "/review/{id}/approve" => review::approve;
    /// 审核退回 with the reason (省级管理员).
    post return_report "/review/{id}/return" (ReturnInput) => review::return_report;
    /// 提交 (未提交 / 审核退回 → 待审核) before the next period starts.
    post submit "/{id}/submit" => service::submit;
    /// 撤回 (待审核 → 未提交).
    post withdraw "/{id}/withdraw" => service::withdraw;
}

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(cycle, set_cycle))
        .routes(routes!(current))
        .routes(routes!(list, create))
        .routes(routes!(review_list))
        .routes(routes!(overview))
        .routes(routes!(review_get))
        .routes(routes!(approve))
        .routes(routes!(return_report))
        .routes(routes!(get_one, edit, delete))
        .routes(routes!(submit))
        .routes(routes!(withdraw))
}

/// 上报周期 (周报 / 半月报) of the session's province and the current period.
#[utoipa::path(get, path = "/cycle", tag = "weekly-reports",
    responses((status = 200, body = CycleView), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn cycle(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<axum::Json<CycleView>> {
    service::cycle(&state, &session)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 设置上报周期 (省级管理员): in force when the current period ends.
#[utoipa::path(put, path = "/cycle", tag = "weekly-reports", request_body = CycleInput,
    responses((status = 200, body = CycleView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn set_cycle(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<CycleInput>,
) -> ApiResult<axum::Json<CycleView>> {
    service::set_cycle(&state, &session, input)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 提交周报's start: the current period, its deadline, live figures and the
/// report already written for it.
#[utoipa::path(get, path = "/current", tag = "weekly-reports",
    responses((status = 200, body = CurrentPeriod), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn current(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<axum::Json<CurrentPeriod>> {
    service::current(&state, &session)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 提交周报 for the current period: 保存 (未提交) or 提交 (待审核).
#[utoipa::path(post, path = "", tag = "weekly-reports", request_body = ReportInput,
    responses((status = 201, body = WeeklyReport), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<ReportInput>,
) -> ApiResult<(StatusCode, axum::Json<WeeklyReport>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(service::create(&state, &session, input).await?),
    ))
}

/// 本期提交情况 (province): every school of the province for the period
/// of a day, those still owing a report first.
#[utoipa::path(get, path = "/review/overview", tag = "weekly-reports", params(OverviewQuery),
    responses((status = 200, body = Overview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn overview(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<OverviewQuery>,
) -> ApiResult<axum::Json<Overview>> {
    review::overview(&state, &session, &q)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 编辑 (未提交 / 审核退回, within the period): 保存 or 提交.
#[utoipa::path(put, path = "/{id}", tag = "weekly-reports", params(("id" = String, Path)), request_body = ReportInput,
    responses((status = 200, body = WeeklyReport), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<ReportInput>,
) -> ApiResult<axum::Json<WeeklyReport>> {
    service::edit(&state, &session, &id, input)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 删除 (未提交).
#[utoipa::path(delete, path = "/{id}", tag = "weekly-reports", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    service::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
