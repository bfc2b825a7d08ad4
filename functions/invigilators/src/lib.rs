//! `/api/invigilators` — 监考人员 (manual §5.2.11): a school's invigilators
//! and their certificates, and the org's 认证 / 驳回 of the certificates it
//! issues. 批量导入监考人员 goes through `/api/imports` (type
//! `invigilators`).

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::manage::IssuedPassword;
use vslc_accounts::{Session, TenantKind};
use vslc_files::export::ExportFile;
use vslc_http::{
    ApiResult, Area, AreaRouter, BatchIds, BatchOutcome, CursorPage, CursorParams, ErrorBody, Json,
    Paged, each,
};
use vslc_invigilators::Certification;
use vslc_invigilators::export::{self, InvigilatorExportRequest};
use vslc_invigilators::login::{self, OpenLogin};
use vslc_invigilators::manage;
use vslc_invigilators::review::{self, BatchRejectInput, RejectInput, ReviewFilter};
use vslc_invigilators::service::{
    self, CertificateOption, InvigilatorFilter, InvigilatorInput, InvigilatorView, ReapplyInput,
};
use vslc_ports::AppState;

pub const AREA: Area = Area::new("invigilators", "/api/invigilators", "监考人员");

pub fn routes() -> AreaRouter {
    handlers()
        .routes(routes!(batch_certify))
        .routes(routes!(batch_reject))
}

vslc_http::handlers! {
    tag = "invigilators", session = Session;
    /// 监考人员列表 (the school's; phones and ID numbers masked).
    get list "" (query InvigilatorFilter, page) -> Paged<InvigilatorView> [403] => service::list;
    /// 新增监考人员: its certificates start 待认证.
    create create "" (body InvigilatorInput) -> InvigilatorView [400, 403, 409] => manage::create;
    /// The certificates the school may apply for (已参与试点证书).
    get certificates "/certificates" () -> Vec<CertificateOption> [403] => service::certificates;
    /// 批量导出监考人员: ticked ids, or all matching the filter; one row per certificate.
    post export "/export" (body InvigilatorExportRequest) -> ExportFile [403] => export::export;
    /// 批量删除监考人员 (none with a 已认证 certificate), per id.
    batch batch_delete "/batch-delete" (school_exam_writer) [400, 403] => manage::delete;
    /// 监考人员认证列表 (org): the applications for its certificates, masked.
    get review_list "/review" (query ReviewFilter, query CursorParams) -> CursorPage<Certification> [400, 403] => review::list;
    /// 查看 an application (org), in full.
    get review_get "/review/{id}" (id) -> Certification [403, 404] => review::get;
    /// 认证 (org): 待认证 → 已认证.
    post certify "/review/{id}/certify" (id) -> Certification [403, 404, 409] => review::certify;
    /// 驳回 (org) with the reason: 待认证 → 未通过.
    post reject "/review/{id}/reject" (id, body RejectInput) -> Certification [400, 403, 404, 409] => review::reject;
    /// 查看监考人员 (full phone and ID number).
    get get_one "/{id}" (id) -> InvigilatorView [403, 404] => service::view;
    /// 编辑监考人员: add or remove certificates (a 已认证 one cannot be removed).
    put edit "/{id}" (id, body InvigilatorInput) -> InvigilatorView [400, 403, 404, 409] => manage::edit;
    /// 删除监考人员 (not with a 已认证 certificate).
    delete delete "/{id}" (id) [403, 404, 409] => manage::delete;
    /// 开通监考员账号 (院校管理员) for an invigilator with a 已认证 certificate:
    /// answers the initial password once.
    post open_login "/{id}/login" (id, body OpenLogin) -> IssuedPassword [400, 403, 404, 409] => login::open;
    /// 重新申请 a 未通过 certificate: 待认证 again.
    post reapply "/{id}/reapply" (id, body ReapplyInput) -> InvigilatorView [400, 403, 404, 409] => manage::reapply;
}

/// 批量认证 (org), per application id.
#[utoipa::path(post, path = "/review/batch-certify", tag = "invigilators", request_body = BatchIds,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_certify(
    State(state): State<AppState>,
    session: Session,
    Json(ids): Json<BatchIds>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.require_kind(TenantKind::Org)?;
    each(ids, (state, session), |(state, session), id| async move {
        review::certify(&state, &session, &id).await.map(|_| ())
    })
    .await
}

/// 批量驳回 (org) with one reason, per application id.
#[utoipa::path(post, path = "/review/batch-reject", tag = "invigilators", request_body = BatchRejectInput,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_reject(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<BatchRejectInput>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.require_kind(TenantKind::Org)?;
    let (ids, reason) = input.split()?;
    each(
        ids,
        (state, session, reason),
        |(state, session, reason), id| async move {
            review::reject(&state, &session, &id, reason)
                .await
                .map(|_| ())
        },
    )
    .await
}
