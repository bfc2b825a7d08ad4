//! `/api/registrations` — 报考管理 (manual §5.2.6): the school's
//! registrations, delete and export. 批量导入报考 goes through
//! `/api/imports` (types `registrations-by-certificate` and `registrations-by-subject`;
//! the former `registrations-cert` / `registrations-subject` still work).

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{
    ApiResult, Area, AreaRouter, BatchIds, BatchOutcome, ErrorBody, Json, PageParams, Paged, Path,
    Query, each, reply,
};
use vslc_payments::service::Orders;
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_registrations::service::{
    self, RegistrationExportRequest, RegistrationFilter, RegistrationView,
};

pub const AREA: Area = Area::new("registrations", "/api/registrations", "报考管理");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
        .routes(routes!(batch_delete))
        .routes(routes!(get_one, delete))
}

/// 报考列表 (ID numbers and phones masked) with 报考状态 and 缴费状态.
#[utoipa::path(get, path = "", tag = "registrations", params(RegistrationFilter, PageParams),
    responses((status = 200, body = Paged<RegistrationView>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<RegistrationFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<RegistrationView>>> {
    reply(service::list(&state, &Orders, &session, &f, &page)).await
}

/// 批量导出报考数据: selected ids, or all matching the filter; masked.
#[utoipa::path(post, path = "/export", tag = "registrations", request_body = RegistrationExportRequest,
    responses((status = 200, body = ExportFile), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn export(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<RegistrationExportRequest>,
) -> ApiResult<axum::Json<ExportFile>> {
    reply(service::export(&state, &Orders, &session, req)).await
}

/// 批量删除报考数据 (未排考 and unpaid), per id.
#[utoipa::path(post, path = "/batch-delete", tag = "registrations", request_body = BatchIds,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_delete(
    State(state): State<AppState>,
    session: Session,
    Json(ids): Json<BatchIds>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.school_exam_writer()?;
    each(ids, (state, session), |(state, session), id| async move {
        service::delete(&state, &Orders, &session, &id).await
    })
    .await
}

/// 查看报考记录 (full candidate snapshot).
#[utoipa::path(get, path = "/{id}", tag = "registrations", params(("id" = String, Path, description = "<计划 id>.<ULID>")),
    responses((status = 200, body = RegistrationView), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<RegistrationView>> {
    let view = service::get(&state, &Orders, &session, &id).await?;
    let c = &view.registration.candidate;
    vslc_audit::viewed(
        &state,
        &session,
        "registration.view",
        "查看报考数据",
        ("registration", &view.registration.id),
        format!("{} {}", c.name, vslc_ports::mask::id_number(&c.id_number)),
    )
    .await;
    Ok(axum::Json(view))
}

/// 删除报考数据 (未排考 and unpaid).
#[utoipa::path(delete, path = "/{id}", tag = "registrations", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    service::delete(&state, &Orders, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
