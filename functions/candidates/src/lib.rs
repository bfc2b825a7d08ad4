//! `/api/candidates` — 考生管理 (manual §5.2.3): 院校考生 and 社会考生 of the
//! session's school.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_candidates::export::{ExportFile, ExportRequest};
use vslc_candidates::photo::{self, PhotoLink, PhotoUpload, PhotoUploadRequest};
use vslc_candidates::service::{
    self, CandidateFilter, CandidateInput, CandidatePage, CandidateView, MajorOption,
};
use vslc_http::{ApiResult, Area, AreaRouter, CursorParams, ErrorBody, Path};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area::new("candidates", "/api/candidates", "考生管理");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(authenticate))
}

vslc_http::handlers! {
    tag = "candidates", session = Session;
    /// 考生列表 (ID numbers and phones masked): keyset pages, newest first.
    get list "" (query CandidateFilter, query CursorParams) -> CandidatePage [400, 403] => service::list;
    /// 专业目录: the 就读专业 dropdown of the candidate form (代码, 名称, 层次).
    get majors "/majors" () -> Vec<MajorOption> [403] => service::major_options;
    /// 新增考生.
    create create "" (body CandidateInput) -> CandidateView [400, 409] => service::create;
    /// 编辑考生: after 信息准确, 姓名, 证件类型 and 证件号码 are frozen (409).
    put edit "/{no}" (path "no" "考生编号", body CandidateInput) -> CandidateView [400, 404, 409] => service::edit;
    /// 删除考生 (only with no registered certificate).
    delete delete "/{no}" (path "no" "考生编号") [404, 409] => service::delete;
    /// 批量删除: each id answers for itself.
    batch batch_delete "/batch-delete" (school_exam_writer) [400] => service::delete;
    /// 人工确认: 需人工确认 → 信息准确.
    post confirm "/{no}/confirm" (path "no" "考生编号") -> CandidateView [404, 409] => service::confirm;
    /// 批量导出考生信息: selected ids, or all matching the filter; masked.
    post export "/export" (body ExportRequest) -> ExportFile [403] => vslc_candidates::export::export;
    /// 上传照片: step 1, where to PUT the JPG or PNG.
    post begin_photo "/{no}/photo" (path "no" "考生编号", body PhotoUploadRequest) -> PhotoUpload [400, 409] => photo::begin;
    /// Step 2: the photo is checked (JPG/PNG, ≤ 5 MB, 295×413, red background);
    /// the candidate becomes 信息待认证.
    post confirm_photo "/{no}/photo/confirm" (path "no" "考生编号") -> CandidateView [400, 409] => photo::confirm;
    /// 批量认证: each id answers for itself.
    batch batch_authenticate "/authenticate" (school_exam_writer) [400] => vslc_candidates::identity::request;
    /// 查看考生 (full ID number and phone).
    get get_one "/{no}" (path "no" "考生编号") -> CandidateView [404] => service::view;
    /// A short-lived link to the candidate's photo.
    get photo_url "/{no}/photo" (path "no" "考生编号") -> PhotoLink [404] => photo::link;
}

/// 认证: queues the 公安 identity check of a 信息待认证 candidate.
#[utoipa::path(post, path = "/{no}/authenticate", tag = "candidates", params(("no" = String, Path, description = "考生编号")),
    responses((status = 202), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<StatusCode> {
    vslc_candidates::identity::request(&state, &session, &no).await?;
    Ok(StatusCode::ACCEPTED)
}
