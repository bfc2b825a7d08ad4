//! `/api/certificates` — 证书信息管理 (manual §4.1): the catalogue with its
//! majors and 上链信息; orgs register and edit their own certificates.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::Certificate;
use vslc_catalogue::service::{
    self, CertificateDetail, CertificateFilter, CertificateInput, CertificateRow, ChainView,
};
use vslc_http::{
    ApiResult, Area, AreaRouter, ErrorBody, Json, PageParams, Paged, Path, Query, reply,
};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area {
    name: "certificates",
    prefix: "/api/certificates",
    title: "证书信息管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail, update))
        .routes(routes!(chain))
}

/// 证书列表: scope 已参与试点 (default for schools) or 全部, with filters.
#[utoipa::path(get, path = "", tag = "certificates", params(CertificateFilter, PageParams),
    responses((status = 200, body = Paged<CertificateRow>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<CertificateFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<CertificateRow>>> {
    reply(service::list(&state, &session, &filter, &page)).await
}

/// 查看证书: levels, majors (专业代码, 专业名称, 专业版本, 专业层次) and 上链信息.
#[utoipa::path(get, path = "/{id}", tag = "certificates", params(("id" = String, Path)),
    responses((status = 200, body = CertificateDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<CertificateDetail>> {
    reply(service::detail(&state, &session, &id)).await
}

/// 上链信息: 区块高度, 块哈希, 交易哈希.
#[utoipa::path(get, path = "/{id}/chain", tag = "certificates", params(("id" = String, Path)),
    responses((status = 200, body = ChainView), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn chain(
    State(state): State<AppState>,
    _session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<ChainView>> {
    reply(service::chain(&state, &id)).await
}

/// 登记证书 (培训评价组织): written to the ledger.
#[utoipa::path(post, path = "", tag = "certificates", request_body = CertificateInput,
    responses((status = 201, body = Certificate), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<CertificateInput>,
) -> ApiResult<(StatusCode, axum::Json<Certificate>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(service::create(&state, &session, input).await?),
    ))
}

/// 编辑证书 (the owning 培训评价组织): the new state is anchored on the ledger.
#[utoipa::path(put, path = "/{id}", tag = "certificates", params(("id" = String, Path)), request_body = CertificateInput,
    responses((status = 200, body = Certificate), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<CertificateInput>,
) -> ApiResult<axum::Json<Certificate>> {
    reply(service::update(&state, &session, &id, input)).await
}
