//! `/api/declarations` — 证书试点申报 (manual §4.3): the province's 申报计划,
//! the schools' declarations, the city and province reviews, and the
//! 按证书导出申报明细 export.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_declarations::Declaration;
use vslc_declarations::export;
use vslc_declarations::plan::{
    self, DeclarationPlanFilter, DeclarationPlanInput, DeclarationPlanView,
};
use vslc_declarations::review::{self, ApproveInput};
use vslc_declarations::service::{
    self, DeclarableCertificate, DeclarationDetail, DeclarationFilter, DeclarationInput,
};
use vslc_files::export::ExportFile;
use vslc_http::ApiError;
use vslc_http::{ApiResult, Area, AreaRouter, ErrorBody, Json, PageParams, Paged, Path, Query};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_review::log::ReturnInput;

pub const AREA: Area = Area {
    name: "declarations",
    prefix: "/api/declarations",
    title: "证书试点申报",
};

vslc_review::handlers! {
    tag = "declarations", session = Session, record = Declaration;
    /// 证书试点申报列表 (the school's own).
    list list "" (DeclarationFilter) => service::list;
    /// 查看试点申报: school information, contacts, lines and 审核记录.
    get get_one "/{id}" -> DeclarationDetail => service::get;
    /// 试点申报审核列表 (province and city reviewers): submitted declarations of
    /// the province's schools.
    list review_list "/review" (DeclarationFilter) => review::list;
    /// 查看试点申报 (province).
    get review_get "/review/{id}" -> DeclarationDetail => review::get;
    /// 审核通过: the 市级审核员 passes 待市级审核 on to the province; the
    /// 省级管理员 approves 待初审 with 审核人数.
    post approve "/review/{id}/approve" (ApproveInput) => review::approve;
    /// 审核退回 with the reason (the reviewer of the current step).
    post return_declaration "/review/{id}/return" (ReturnInput) => review::return_declaration;
    /// 提交 (未提交 / 审核退回).
    post submit "/{id}/submit" => service::submit;
}

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(plans, create_plan))
        .routes(routes!(get_plan, edit_plan, delete_plan))
        .routes(routes!(plan_certificates))
        .routes(routes!(list, create))
        .routes(routes!(export_details))
        .routes(routes!(review_list))
        .routes(routes!(review_get))
        .routes(routes!(approve))
        .routes(routes!(return_declaration))
        .routes(routes!(get_one, edit, delete))
        .routes(routes!(submit))
}

/// 查看申报计划: a school its province's plans, a province its own.
#[utoipa::path(get, path = "/plans", tag = "declarations", params(DeclarationPlanFilter, PageParams),
    responses((status = 200, body = Paged<DeclarationPlanView>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn plans(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<DeclarationPlanFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<DeclarationPlanView>>> {
    plan::list(&state, &session, &f, &page)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 发布申报计划 (省级管理员).
#[utoipa::path(post, path = "/plans", tag = "declarations", request_body = DeclarationPlanInput,
    responses((status = 201, body = DeclarationPlanView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn create_plan(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<DeclarationPlanInput>,
) -> ApiResult<(StatusCode, axum::Json<DeclarationPlanView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(plan::create(&state, &session, input).await?),
    ))
}

/// 查看申报计划.
#[utoipa::path(get, path = "/plans/{id}", tag = "declarations", params(("id" = String, Path)),
    responses((status = 200, body = DeclarationPlanView), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<DeclarationPlanView>> {
    let p = plan::get(&state, &session, &id).await?;
    Ok(axum::Json(p.view(state.clock.now_local())))
}

/// 修改申报计划 (未开始).
#[utoipa::path(put, path = "/plans/{id}", tag = "declarations", params(("id" = String, Path)), request_body = DeclarationPlanInput,
    responses((status = 200, body = DeclarationPlanView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<DeclarationPlanInput>,
) -> ApiResult<axum::Json<DeclarationPlanView>> {
    plan::edit(&state, &session, &id, input)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 删除申报计划 (未开始).
#[utoipa::path(delete, path = "/plans/{id}", tag = "declarations", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    plan::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The certificates a plan opens, with levels and majors (立即申报's form).
#[utoipa::path(get, path = "/plans/{id}/certificates", tag = "declarations", params(("id" = String, Path)),
    responses((status = 200, body = Vec<DeclarableCertificate>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn plan_certificates(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<Vec<DeclarableCertificate>>> {
    service::options(&state, &session, &id)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 申报证书试点: 保存 (未提交) or 保存并提交; one per year, certificate and level.
#[utoipa::path(post, path = "", tag = "declarations", request_body = DeclarationInput,
    responses((status = 201, body = Declaration), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<DeclarationInput>,
) -> ApiResult<(StatusCode, axum::Json<Declaration>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(service::create(&state, &session, input).await?),
    ))
}

/// 按证书导出申报明细 (the school's own, or the province's schools').
#[utoipa::path(post, path = "/export", tag = "declarations", request_body = DeclarationFilter,
    responses((status = 200, body = ExportFile), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn export_details(
    State(state): State<AppState>,
    session: Session,
    Json(f): Json<DeclarationFilter>,
) -> ApiResult<axum::Json<ExportFile>> {
    export::export(&state, &session, &f)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 编辑试点申报 (未提交 / 审核退回).
#[utoipa::path(put, path = "/{id}", tag = "declarations", params(("id" = String, Path)), request_body = DeclarationInput,
    responses((status = 200, body = Declaration), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<DeclarationInput>,
) -> ApiResult<axum::Json<Declaration>> {
    service::edit(&state, &session, &id, input)
        .await
        .map(axum::Json)
        .map_err(ApiError::from)
}

/// 删除 (未提交).
#[utoipa::path(delete, path = "/{id}", tag = "declarations", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    service::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
