//! `/api/payments` — 缴费管理 (manual §5.2.7): a school's 缴费申请单 and the
//! org's 确认缴费.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{
    ApiResult, Area, AreaRouter, BatchIds, BatchOutcome, CursorPage, CursorParams, ErrorBody, Json,
    each,
};
use vslc_payments::Order;
use vslc_payments::service::{self, GenerateInput, OrderDetail, OrderExportRequest, OrderFilter};
use vslc_ports::AppState;

pub const AREA: Area = Area::new("payments", "/api/payments", "缴费管理");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(batch_confirm))
}

vslc_http::handlers! {
    tag = "payments", session = Session;
    /// 缴费申请单列表 (the school's).
    get list "" (query OrderFilter, query CursorParams) -> CursorPage<Order> [400, 403] => service::list;
    /// 按证书 / 按科目报考生生成缴费申请单.
    create generate "" (body GenerateInput) -> Order [400, 404, 409] => service::generate;
    /// 批量导出缴费申请单: selected numbers, or all matching the filter.
    post export "/export" (body OrderExportRequest) -> ExportFile [403] => service::export;
    /// 导出 (the org): its orders, ticked or by filter, with the paying school.
    post review_export "/review/export" (body OrderExportRequest) -> ExportFile [403] => service::org_export;
    /// 缴费申请单 of the org's certificates.
    get review_list "/review" (query OrderFilter, query CursorParams) -> CursorPage<Order> [400, 403] => service::org_list;
    /// 查看缴费申请单 (org).
    get review_get "/review/{no}" (path "no" "缴费单号") -> OrderDetail [404] => service::org_get;
    /// 确认缴费 (org): 未确认 → 已确认; its registrations are then 已缴费.
    post confirm "/review/{no}/confirm" (path "no" "缴费单号") -> Order [404, 409] => service::confirm;
    /// 查看缴费申请单 with its registrations.
    get get_one "/{no}" (path "no" "缴费单号") -> OrderDetail [404] => service::get;
    /// 删除缴费申请单 (未确认 only); its registrations become free again.
    delete delete "/{no}" (path "no" "缴费单号") [404, 409] => service::delete;
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
