//! `/api/audit` — 操作日志 (PIPL audit trail): the tenant administrator's
//! read-only view of their own tenant's entries, and its export. No route
//! changes or deletes an entry.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_accounts::audit_log::{self as service, AuditFilter, AuditPage, CursorParams};
use vslc_audit::AuditKind;
use vslc_files::export::ExportFile;
use vslc_http::{ApiResult, Area, AreaRouter, ErrorBody, Json, reply};
use vslc_ports::AppState;

pub const AREA: Area = Area::new("audit", "/api/audit", "操作日志");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(kinds)).routes(routes!(export))
}

vslc_http::handlers! {
    tag = "audit", session = Session;
    /// 操作日志列表: the session's own tenant, newest first, one keyset page
    /// (院校管理员, 培训评价组织管理员, 省级管理员).
    get list "" (query AuditFilter, query CursorParams) -> AuditPage [400, 403] => service::list;
}

/// 操作类型 as the search form offers them.
#[utoipa::path(get, path = "/kinds", tag = "audit",
    responses((status = 200, body = Vec<AuditKind>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
async fn kinds(_session: Session) -> axum::Json<Vec<AuditKind>> {
    axum::Json(service::kinds())
}

/// 导出操作日志: everything the filter matches (at most 20000 entries);
/// the export is itself recorded.
#[utoipa::path(post, path = "/export", tag = "audit", request_body = AuditFilter,
    responses((status = 200, body = ExportFile), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn export(
    State(state): State<AppState>,
    session: Session,
    Json(filter): Json<AuditFilter>,
) -> ApiResult<axum::Json<ExportFile>> {
    reply(service::export(&state, &session, &filter)).await
}
