//! `/api/certificates` — 证书信息管理 (manual §4.1): the catalogue with its
//! majors and 上链信息; orgs register and edit their own certificates.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::Certificate;
use vslc_catalogue::service::{
    self, CertificateDetail, CertificateFilter, CertificateInput, CertificateRow, ChainView,
};
use vslc_http::{ApiResult, Area, AreaRouter, ErrorBody, Paged, Path, reply};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area::new("certificates", "/api/certificates", "证书信息管理");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(chain))
}

vslc_http::handlers! {
    tag = "certificates", session = Session;
    /// 证书列表: scope 已参与试点 (default for schools) or 全部, with filters.
    get list "" (query CertificateFilter, page) -> Paged<CertificateRow> [] => service::list;
    /// 查看证书: levels, majors (专业代码, 专业名称, 专业版本, 专业层次) and 上链信息.
    get detail "/{id}" (id) -> CertificateDetail [404] => service::detail;
    /// 登记证书 (培训评价组织): written to the ledger.
    create create "" (body CertificateInput) -> Certificate [400, 403, 409] => service::create;
    /// 编辑证书 (the owning 培训评价组织): the new state is anchored on the ledger.
    put update "/{id}" (id, body CertificateInput) -> Certificate [400, 404, 409] => service::update;
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
