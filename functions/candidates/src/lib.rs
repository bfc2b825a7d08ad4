//! `/api/candidates` — 考生管理 (manual §5.2.3): 院校考生 and 社会考生 of the
//! session's school.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_candidates::export::{ExportFile, ExportRequest};
use vslc_candidates::photo::{self, PhotoUpload, PhotoUploadRequest};
use vslc_candidates::service::{self, CandidateFilter, CandidateInput, CandidateView};
use vslc_http::{
    ApiResult, Area, AreaRouter, BatchIds, BatchOutcome, ErrorBody, Json, PageParams, Paged, Path,
    Query, each, reply,
};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area {
    name: "candidates",
    prefix: "/api/candidates",
    title: "考生管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(batch_delete))
        .routes(routes!(export))
        .routes(routes!(get_one, edit, delete))
        .routes(routes!(confirm))
        .routes(routes!(authenticate))
        .routes(routes!(batch_authenticate))
        .routes(routes!(photo_url, begin_photo))
        .routes(routes!(confirm_photo))
}

/// 考生列表 (ID numbers and phones masked).
#[utoipa::path(get, path = "", tag = "candidates", params(CandidateFilter, PageParams),
    responses((status = 200, body = Paged<CandidateView>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<CandidateFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<CandidateView>>> {
    reply(service::list(&state, &session, &filter, &page)).await
}

/// 新增考生.
#[utoipa::path(post, path = "", tag = "candidates", request_body = CandidateInput,
    responses((status = 201, body = CandidateView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<CandidateInput>,
) -> ApiResult<(StatusCode, axum::Json<CandidateView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(service::create(&state, &session, input).await?),
    ))
}

/// 查看考生 (full ID number and phone).
#[utoipa::path(get, path = "/{no}", tag = "candidates", params(("no" = String, Path, description = "考生编号")),
    responses((status = 200, body = CandidateView), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<axum::Json<CandidateView>> {
    let view = service::get(&state, &session, &no).await?;
    vslc_audit::viewed(
        &state,
        &session,
        "candidate.view",
        "查看考生",
        ("candidate", &view.candidate_no),
        format!(
            "{} {}",
            view.name,
            vslc_ports::mask::id_number(&view.id_number)
        ),
    )
    .await;
    Ok(axum::Json(view))
}

/// 编辑考生: after 信息准确, 姓名, 证件类型 and 证件号码 are frozen (409).
#[utoipa::path(put, path = "/{no}", tag = "candidates", params(("no" = String, Path, description = "考生编号")), request_body = CandidateInput,
    responses((status = 200, body = CandidateView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
    Json(input): Json<CandidateInput>,
) -> ApiResult<axum::Json<CandidateView>> {
    reply(service::edit(&state, &session, &no, input)).await
}

/// 删除考生 (only with no registered certificate).
#[utoipa::path(delete, path = "/{no}", tag = "candidates", params(("no" = String, Path, description = "考生编号")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<StatusCode> {
    service::delete(&state, &session, &no).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 批量删除: each id answers for itself.
#[utoipa::path(post, path = "/batch-delete", tag = "candidates", request_body = BatchIds,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_delete(
    State(state): State<AppState>,
    session: Session,
    Json(ids): Json<BatchIds>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.school_exam_writer()?;
    each(ids, (state, session), |(state, session), no| async move {
        service::delete(&state, &session, &no).await
    })
    .await
}

/// 人工确认: 需人工确认 → 信息准确.
#[utoipa::path(post, path = "/{no}/confirm", tag = "candidates", params(("no" = String, Path, description = "考生编号")),
    responses((status = 200, body = CandidateView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<axum::Json<CandidateView>> {
    reply(service::confirm(&state, &session, &no)).await
}

/// 批量导出考生信息: selected ids, or all matching the filter; masked.
#[utoipa::path(post, path = "/export", tag = "candidates", request_body = ExportRequest,
    responses((status = 200, body = ExportFile), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn export(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<ExportRequest>,
) -> ApiResult<axum::Json<ExportFile>> {
    reply(vslc_candidates::export::export(&state, &session, req)).await
}

/// 上传照片: step 1, where to PUT the JPG or PNG.
#[utoipa::path(post, path = "/{no}/photo", tag = "candidates", params(("no" = String, Path, description = "考生编号")),
    request_body = PhotoUploadRequest,
    responses((status = 200, body = PhotoUpload), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn begin_photo(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
    Json(req): Json<PhotoUploadRequest>,
) -> ApiResult<axum::Json<PhotoUpload>> {
    reply(photo::begin(&state, &session, &no, req)).await
}

/// Step 2: the photo is checked (JPG/PNG, ≤ 5 MB, 295×413, red background);
/// the candidate becomes 信息待认证.
#[utoipa::path(post, path = "/{no}/photo/confirm", tag = "candidates", params(("no" = String, Path, description = "考生编号")),
    responses((status = 200, body = CandidateView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn confirm_photo(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<axum::Json<CandidateView>> {
    reply(photo::confirm(&state, &session, &no)).await
}

/// A short-lived link to the candidate's photo.
#[utoipa::path(get, path = "/{no}/photo", tag = "candidates", params(("no" = String, Path, description = "考生编号")),
    responses((status = 200, body = PhotoLink), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn photo_url(
    State(state): State<AppState>,
    session: Session,
    Path(no): Path<RecordId>,
) -> ApiResult<axum::Json<PhotoLink>> {
    let url = photo::url(&state, &session, &no).await?;
    vslc_audit::record(
        &state,
        &session,
        vslc_audit::Event::new(
            vslc_audit::AuditKind::Download,
            "candidate.photo",
            "下载考生照片",
        )
        .target("candidate", no.as_str()),
    )
    .await;
    Ok(axum::Json(PhotoLink { url }))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct PhotoLink {
    url: String,
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

/// 批量认证: each id answers for itself.
#[utoipa::path(post, path = "/authenticate", tag = "candidates", request_body = BatchIds,
    responses((status = 200, body = BatchOutcome), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn batch_authenticate(
    State(state): State<AppState>,
    session: Session,
    Json(ids): Json<BatchIds>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    session.school_exam_writer()?;
    each(ids, (state, session), |(state, session), no| async move {
        vslc_candidates::identity::request(&state, &session, &no).await
    })
    .await
}
