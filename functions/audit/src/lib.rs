//! `/api/audit` — 操作日志 (PIPL audit trail): the tenant administrator's
//! read-only view of their own tenant's entries, and its export. No route
//! changes or deletes an entry.

use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_accounts::audit_log::{self as service, AuditFilter, AuditPage, CursorParams};
use vslc_audit::AuditKind;
use vslc_files::export::ExportFile;
use vslc_http::{Area, AreaRouter, ErrorBody};

pub const AREA: Area = Area::new("audit", "/api/audit", "操作日志");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(kinds))
}

vslc_http::handlers! {
    tag = "audit", session = Session;
    /// 操作日志列表: the session's own tenant, newest first, one keyset page
    /// (院校管理员, 培训评价组织管理员, 省级管理员).
    get list "" (query AuditFilter, query CursorParams) -> AuditPage [400, 403] => service::list;
    /// 导出操作日志: everything the filter matches (at most 20000 entries);
    /// the export is itself recorded.
    post export "/export" (body AuditFilter) -> ExportFile [400, 403] => service::export;
}

/// 操作类型 as the search form offers them.
#[utoipa::path(get, path = "/kinds", tag = "audit",
    responses((status = 200, body = Vec<AuditKind>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
async fn kinds(_session: Session) -> axum::Json<Vec<AuditKind>> {
    axum::Json(service::kinds())
}
