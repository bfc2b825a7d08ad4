//! `/api/payments` — 缴费管理 (manual §5.2.7): a school's 缴费申请单 and the
//! org's 确认缴费.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{
    ApiResult, Area, AreaRouter, BatchIds, BatchOutcome, ErrorBody, Json, PageParams, Paged, Path,
    Query, each, reply,
};
use vslc_payments::Order;
use vslc_payments::service::{self, GenerateInput, OrderDetail, OrderExportRequest, OrderFilter};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area {
    name: "payments",
    prefix: "/api/payments",
    title: "缴费管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list, generate))
        .routes(routes!(export))
        .routes(routes!(review_list))
        .routes(routes!(batch_confirm))
        .routes(routes!(review_get))
        .routes(routes!(confirm))
        .routes(routes!(get_one, delete))
}

/// 缴费申请单列表 (the school's).
#[utoipa::path(get, path = "", tag = "payments", params(OrderFilter, PageParams),
    responses((status = 200, body = Paged<Order>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<OrderFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<Order>>> {
    reply(service::list(&state, &session, &f, &page)).await
}

/// 按证书 / 按科目报考生生成缴费申请单.
#[utoipa::path(post, path = "", tag = "payments", request_body = GenerateInput,
    responses((status = 201, body = Order), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn generate(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<GenerateInput>,
) -> ApiResult<(StatusCode, axum::Json<Order>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(service::generate(&state, &session, input).await?),
    ))
}

/// 批量导出缴费申请单: selected numbers, or all matching the filter.
#[utoipa::path(post, path = "/export", tag = "payments", request_body = OrderExportRequest,
    responses((status = 200, body = ExportFile), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn export(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<OrderExportRequest>,
) -> ApiResult<axum::Json<ExportFile>> {
    reply(service::export(&state, &session, req)).await
}

/// 缴费申请单 of the org's certificates.
#[utoipa::path(get, path = "/review", tag = "payments", params(OrderFilter, PageParams),
    responses((status = 200, body = Paged<Order>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn review_list(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<OrderFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<Order>>> {
    reply(service::org_list(&state, &session, &f, &page)).await
}

/// 批量确认缴费 (org), per 缴费单号.
#[utoipa::path(post, path = "/review/confirm", tag = "payments", request_body = BatchIds,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_confirm(
    State(state): State<AppState>,
    session: Session,
    Json(ids): Json<BatchIds>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.require_kind(vslc_accounts::TenantKind::Org)?;
    each(ids, (state, session), |(state, session), no| async move {
        service::confirm(&state, &session, &no).await.map(|_| ())
    })
    .await
}

/// 查看缴费申请单 (org).
#[utoipa::path(get, path = "/review/{no}", tag = "payments", params(("no" = String, Path, description = "缴费单号")),
    responses((status = 200, body = OrderDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn review_get(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<axum::Json<OrderDetail>> {
    reply(service::org_get(&state, &session, &no)).await
}

/// 确认缴费 (org): 未确认 → 已确认; its registrations are then 已缴费.
#[utoipa::path(post, path = "/review/{no}/confirm", tag = "payments", params(("no" = String, Path, description = "缴费单号")),
    responses((status = 200, body = Order), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<axum::Json<Order>> {
    reply(service::confirm(&state, &session, &no)).await
}

/// 查看缴费申请单 with its registrations.
#[utoipa::path(get, path = "/{no}", tag = "payments", params(("no" = String, Path, description = "缴费单号")),
    responses((status = 200, body = OrderDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<axum::Json<OrderDetail>> {
    reply(service::get(&state, &session, &no)).await
}

/// 删除缴费申请单 (未确认 only); its registrations become free again.
#[utoipa::path(delete, path = "/{no}", tag = "payments", params(("no" = String, Path, description = "缴费单号")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<StatusCode> {
    service::delete(&state, &session, &no).await?;
    Ok(StatusCode::NO_CONTENT)
}
