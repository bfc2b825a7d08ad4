//! `/api/sites` — 考核站点 (manual §5.2.4): a school's declarations, the
//! org's review, and 考核站点分配 (借考) per plan.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::certificate::Level;
use vslc_catalogue::standard::Standard;
use vslc_http::ApiError;
use vslc_http::{
    ApiResult, Area, AreaRouter, BatchIds, BatchOutcome, ErrorBody, Json, PageParams, Paged, Path,
    Query, run_batch,
};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_sites::Site;
use vslc_sites::allocation::{self, Allocation, AllocationFilter, AllocationInput};
use vslc_sites::review::{self, ReturnInput};
use vslc_sites::service::{self, SiteFilter, SiteInput};

pub const AREA: Area = Area {
    name: "sites",
    prefix: "/api/sites",
    title: "考核站点",
};

vslc_review::handlers! {
    tag = "sites", session = Session, record = Site;
    /// 考核站点申报列表 (the school's own).
    list list "" (SiteFilter) => service::list;
    /// 查看考核站点.
    get get_one "/{id}" => service::get;
    /// 考核站点审核列表 (org): submitted sites of its certificates.
    list review_list "/review" (SiteFilter) => review::list;
    /// 查看申报的考核站点 (org).
    get review_get "/review/{id}" => review::get;
    /// 提交 (未提交 / 审核退回 → 待审核).
    post submit "/{id}/submit" => service::submit;
    /// 撤销 (待审核 → 未提交).
    post withdraw "/{id}/withdraw" => service::withdraw;
    /// 审核通过 (org).
    post approve "/review/{id}/approve" => review::approve;
    /// 审核退回 with the reason (org).
    post return_site "/review/{id}/return" (ReturnInput) => review::return_site;
}

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(standards))
        .routes(routes!(batch_delete))
        .routes(routes!(get_one, edit, delete))
        .routes(routes!(submit))
        .routes(routes!(withdraw))
        .routes(routes!(review_list))
        .routes(routes!(review_get))
        .routes(routes!(approve))
        .routes(routes!(return_site))
        .routes(routes!(allocations, allocate))
        .routes(routes!(delete_allocation))
}

/// 申报考核站点: 保存 (未提交) or 保存并提交 (待审核); one per certificate level.
#[utoipa::path(post, path = "", tag = "sites", request_body = SiteInput,
    responses((status = 201, body = Site), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<SiteInput>,
) -> ApiResult<(StatusCode, axum::Json<Site>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(service::create(&state, &session, input).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct StandardsQuery {
    certificate_id: RecordId,
    level: Level,
}

/// The 考核站点建设标准 a declaration answers.
#[utoipa::path(get, path = "/standards", tag = "sites", params(StandardsQuery),
    responses((status = 200, body = Vec<Standard>)), security(("bearer" = [])))]
async fn standards(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<StandardsQuery>,
) -> ApiResult<axum::Json<Vec<Standard>>> {
    service::standards_for(&state, &session, &q.certificate_id, q.level)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 批量删除考核站点 (未提交 / 审核退回), per id.
#[utoipa::path(post, path = "/batch-delete", tag = "sites", request_body = BatchIds,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_delete(
    State(state): State<AppState>,
    session: Session,
    Json(ids): Json<BatchIds>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.school_exam_writer()?;
    run_batch(ids, |id| {
        let (state, session) = (state.clone(), session.clone());
        async move { service::delete(&state, &session, &id).await }
    })
    .await
    .map(axum::Json)
}

/// 编辑考核站点 (未提交 / 审核退回).
#[utoipa::path(put, path = "/{id}", tag = "sites", params(("id" = String, Path)), request_body = SiteInput,
    responses((status = 200, body = Site), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<SiteInput>,
) -> ApiResult<axum::Json<Site>> {
    service::edit(&state, &session, &id, input)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 删除考核站点 (未提交 / 审核退回).
#[utoipa::path(delete, path = "/{id}", tag = "sites", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    service::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 考核站点分配: an org its plans' allocations; a school 考核站点分配查询
/// (where it borrows or lends).
#[utoipa::path(get, path = "/allocations", tag = "sites", params(AllocationFilter, PageParams),
    responses((status = 200, body = Paged<Allocation>)), security(("bearer" = [])))]
async fn allocations(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<AllocationFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<Allocation>>> {
    allocation::list(&state, &session, &f, &page)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 分配考核站点 (借考, org).
#[utoipa::path(post, path = "/allocations", tag = "sites", request_body = AllocationInput,
    responses((status = 201, body = Allocation), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn allocate(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<AllocationInput>,
) -> ApiResult<(StatusCode, axum::Json<Allocation>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(allocation::create(&state, &session, input).await?),
    ))
}

/// 取消分配 (org).
#[utoipa::path(delete, path = "/allocations/{id}", tag = "sites", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn delete_allocation(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    allocation::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
