//! `/api/rooms` — 考场管理 (manual §5.2.5): 设置考场, edit by status,
//! delete, 沿用, export. 批量导入考场信息 goes through `/api/imports`
//! (type `rooms`, `params.planId`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{
    ApiResult, Area, AreaRouter, BatchIds, BatchOutcome, ErrorBody, Json, PageParams, Paged, Path,
    Query, each, reply,
};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_rooms::service::{
    self, ReuseInput, RoomExportRequest, RoomFilter, RoomInput, RoomView, SiteOption,
};

pub const AREA: Area = Area {
    name: "rooms",
    prefix: "/api/rooms",
    title: "考场管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(options))
        .routes(routes!(reuse))
        .routes(routes!(export))
        .routes(routes!(batch_delete))
        .routes(routes!(get_one, edit, delete))
}

/// 考场列表 with the derived 考场状态.
#[utoipa::path(get, path = "", tag = "rooms", params(RoomFilter, PageParams),
    responses((status = 200, body = Paged<RoomView>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<RoomFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<RoomView>>> {
    reply(service::list(&state, &session, &f, &page)).await
}

/// 设置考场: the 考场类型 follows the subjects' 考试方式.
#[utoipa::path(post, path = "", tag = "rooms", request_body = RoomInput,
    responses((status = 201, body = RoomView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<RoomInput>,
) -> ApiResult<(StatusCode, axum::Json<RoomView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(service::create(&state, &session, input).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct OptionsQuery {
    plan_id: RecordId,
}

/// 设置考场 choices for a plan: usable sites, their certificate level and subjects.
#[utoipa::path(get, path = "/options", tag = "rooms", params(OptionsQuery),
    responses((status = 200, body = Vec<SiteOption>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn options(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<OptionsQuery>,
) -> ApiResult<axum::Json<Vec<SiteOption>>> {
    reply(service::options(&state, &session, &q.plan_id)).await
}

/// 沿用: copy a previous plan's rooms; answers per room.
#[utoipa::path(post, path = "/reuse", tag = "rooms", request_body = ReuseInput,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn reuse(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<ReuseInput>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    reply(service::reuse(&state, &session, input)).await
}

/// 批量导出考场信息: selected ids, or all matching the filter.
#[utoipa::path(post, path = "/export", tag = "rooms", request_body = RoomExportRequest,
    responses((status = 200, body = ExportFile), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn export(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<RoomExportRequest>,
) -> ApiResult<axum::Json<ExportFile>> {
    reply(service::export(&state, &session, req)).await
}

/// 批量删除考场 (未排考), per id.
#[utoipa::path(post, path = "/batch-delete", tag = "rooms", request_body = BatchIds,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_delete(
    State(state): State<AppState>,
    session: Session,
    Json(ids): Json<BatchIds>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.school_exam_writer()?;
    each(ids, (state, session), |(state, session), id| async move {
        service::delete(&state, &session, &id).await
    })
    .await
}

/// 查看考场.
#[utoipa::path(get, path = "/{id}", tag = "rooms", params(("id" = String, Path)),
    responses((status = 200, body = RoomView), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<RoomView>> {
    reply(service::get(&state, &session, &id)).await
}

/// 编辑考场: 未排考 everything; 排考中 only more seats; 已结束 read only.
#[utoipa::path(put, path = "/{id}", tag = "rooms", params(("id" = String, Path)), request_body = RoomInput,
    responses((status = 200, body = RoomView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<RoomInput>,
) -> ApiResult<axum::Json<RoomView>> {
    reply(service::edit(&state, &session, &id, input)).await
}

/// 删除考场 (未排考 only).
#[utoipa::path(delete, path = "/{id}", tag = "rooms", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    service::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
