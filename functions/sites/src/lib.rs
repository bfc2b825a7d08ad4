//! `/api/sites` — 考核站点 (manual §5.2.4): a school's declarations, the
//! org's review, and 考核站点分配 (借考) per plan.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::certificate::Level;
use vslc_catalogue::standard::Standard;
use vslc_http::ApiError;
use vslc_http::{ApiResult, Area, AreaRouter, Paged, Query};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_sites::Site;
use vslc_sites::allocation::{self, Allocation, AllocationFilter, AllocationInput};
use vslc_sites::review::{self, ReturnInput};
use vslc_sites::service::{self, SiteFilter, SiteInput};

pub const AREA: Area = Area::new("sites", "/api/sites", "考核站点");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(standards))
}

vslc_http::handlers! {
    tag = "sites", session = Session;
    /// 申报考核站点: 保存 (未提交) or 保存并提交 (待审核); one per certificate level.
    create create "" (body SiteInput) -> Site [400, 409] => service::create;
    /// 编辑考核站点 (未提交 / 审核退回).
    put edit "/{id}" (id, body SiteInput) -> Site [400, 404, 409] => service::edit;
    /// 删除考核站点 (未提交 / 审核退回).
    delete delete "/{id}" (id) [404, 409] => service::delete;
    /// 考核站点分配: an org its plans' allocations; a school 考核站点分配查询
    /// (where it borrows or lends).
    get allocations "/allocations" (query AllocationFilter, page) -> Paged<Allocation> [] => allocation::list;
    /// 分配考核站点 (借考, org).
    create allocate "/allocations" (body AllocationInput) -> Allocation [400, 404, 409] => allocation::create;
    /// 取消分配 (org).
    delete delete_allocation "/allocations/{id}" (id) [404] => allocation::delete;
    /// 批量删除考核站点 (未提交 / 审核退回), per id.
    batch batch_delete "/batch-delete" (school_exam_writer) [400] => service::delete;
    /// 考核站点申报列表 (the school's own).
    get list "" (query SiteFilter, page) -> Paged<Site> [403] => service::list;
    /// 查看考核站点.
    get get_one "/{id}" (id) -> Site [404] => service::get;
    /// 考核站点审核列表 (org): submitted sites of its certificates.
    get review_list "/review" (query SiteFilter, page) -> Paged<Site> [403] => review::list;
    /// 查看申报的考核站点 (org).
    get review_get "/review/{id}" (id) -> Site [404] => review::get;
    /// 提交 (未提交 / 审核退回 → 待审核).
    post submit "/{id}/submit" (id) -> Site [404, 409] => service::submit;
    /// 撤销 (待审核 → 未提交).
    post withdraw "/{id}/withdraw" (id) -> Site [404, 409] => service::withdraw;
    /// 审核通过 (org).
    post approve "/review/{id}/approve" (id) -> Site [404, 409] => review::approve;
    /// 审核退回 with the reason (org).
    post return_site "/review/{id}/return" (id, body ReturnInput) -> Site [400, 404, 409] => review::return_site;
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
