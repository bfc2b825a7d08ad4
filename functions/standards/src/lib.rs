//! `/api/standards` — 标准管理 (manual §3): 职业技能等级标准 (`skill`) and
//! 考核站点建设标准 (`site`). Schools see those of their pilot certificates;
//! orgs maintain their own.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::standard::{
    self, Standard, StandardFilter, StandardInput, StandardKind, StandardStatus,
};
use vslc_http::{
    ApiError, ApiResult, Area, AreaRouter, ErrorBody, Json, PageParams, Paged, Path, Query, reply,
};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area::new("standards", "/api/standards", "标准管理");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail, edit))
        .routes(routes!(set_status))
}

/// 标准列表.
#[utoipa::path(get, path = "/{kind}", tag = "standards", params(("kind" = StandardKind, Path), StandardFilter, PageParams),
    responses((status = 200, body = Paged<Standard>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    Query(filter): Query<StandardFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<Standard>>> {
    reply(standard::list(
        &state,
        &session,
        StandardKind::parse(&kind)?,
        &filter,
        &page,
    ))
    .await
}

/// 查看标准.
#[utoipa::path(get, path = "/{kind}/{id}", tag = "standards", params(("kind" = StandardKind, Path), ("id" = String, Path)),
    responses((status = 200, body = Standard), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path((kind, id)): Path<(String, RecordId)>,
) -> ApiResult<axum::Json<Standard>> {
    reply(standard::detail(
        &state,
        &session,
        StandardKind::parse(&kind)?,
        &id,
    ))
    .await
}

/// 新增标准 (培训评价组织, for its own certificates).
#[utoipa::path(post, path = "/{kind}", tag = "standards", params(("kind" = StandardKind, Path)), request_body = StandardInput,
    responses((status = 201, body = Standard), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    Json(input): Json<StandardInput>,
) -> ApiResult<(StatusCode, axum::Json<Standard>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(standard::create(&state, &session, StandardKind::parse(&kind)?, input).await?),
    ))
}

/// 编辑标准 (the owning org).
#[utoipa::path(put, path = "/{kind}/{id}", tag = "standards", params(("kind" = StandardKind, Path), ("id" = String, Path)), request_body = StandardInput,
    responses((status = 200, body = Standard), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path((kind, id)): Path<(String, RecordId)>,
    Json(input): Json<StandardInput>,
) -> ApiResult<axum::Json<Standard>> {
    reply(standard::edit(
        &state,
        &session,
        StandardKind::parse(&kind)?,
        &id,
        input,
    ))
    .await
}

/// 启用 (`enable`) or 停用 (`disable`).
#[utoipa::path(post, path = "/{kind}/{id}/{action}", tag = "standards",
    params(("kind" = StandardKind, Path), ("id" = String, Path), ("action" = String, Path, description = "enable | disable")),
    responses((status = 200, body = Standard), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn set_status(
    State(state): State<AppState>,
    session: Session,
    Path((kind, id, action)): Path<(String, RecordId, String)>,
) -> ApiResult<axum::Json<Standard>> {
    let to = match action.as_str() {
        "enable" => StandardStatus::Enabled,
        "disable" => StandardStatus::Disabled,
        _ => return Err(ApiError::not_found("操作")),
    };
    reply(standard::set_status(
        &state,
        &session,
        StandardKind::parse(&kind)?,
        &id,
        to,
    ))
    .await
}
