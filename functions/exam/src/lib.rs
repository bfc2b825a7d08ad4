//! `/api/exam` — 考试科目与考试计划 (manual §5.2.1, §5.2.2): an org
//! creates and publishes subjects and plans; schools read the published
//! ones that concern them.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_exam::plans::{self, EligibleSchool, PlanFilter, PlanInput, PlanView};
use vslc_exam::subjects::{self, Subject, SubjectFilter, SubjectInput};
use vslc_http::{
    ApiResult, Area, AreaRouter, ErrorBody, Json, PageParams, Paged, Path, Query, reply,
};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area {
    name: "exam",
    prefix: "/api/exam",
    title: "考试科目与考试计划",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list_subjects, create_subject))
        .routes(routes!(get_subject, edit_subject, delete_subject))
        .routes(routes!(publish_subject))
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(eligible_schools))
        .routes(routes!(get_plan, edit_plan, delete_plan))
        .routes(routes!(publish_plan))
}

/// 考试科目列表: an org its own; a school the published subjects of its certificates.
#[utoipa::path(get, path = "/subjects", tag = "exam", params(SubjectFilter, PageParams),
    responses((status = 200, body = Paged<Subject>)), security(("bearer" = [])))]
async fn list_subjects(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<SubjectFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<Subject>>> {
    reply(subjects::list(&state, &session, &f, &page)).await
}

/// 新增考试科目 (org; 未发布).
#[utoipa::path(post, path = "/subjects", tag = "exam", request_body = SubjectInput,
    responses((status = 201, body = Subject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn create_subject(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<SubjectInput>,
) -> ApiResult<(StatusCode, axum::Json<Subject>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(subjects::create(&state, &session, input).await?),
    ))
}

/// 查看考试科目.
#[utoipa::path(get, path = "/subjects/{id}", tag = "exam", params(("id" = String, Path)),
    responses((status = 200, body = Subject), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_subject(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<Subject>> {
    reply(subjects::get(&state, &session, &id)).await
}

/// 编辑考试科目 (未发布 only).
#[utoipa::path(put, path = "/subjects/{id}", tag = "exam", params(("id" = String, Path)), request_body = SubjectInput,
    responses((status = 200, body = Subject), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit_subject(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<SubjectInput>,
) -> ApiResult<axum::Json<Subject>> {
    reply(subjects::edit(&state, &session, &id, input)).await
}

/// 删除考试科目 (未发布 only).
#[utoipa::path(delete, path = "/subjects/{id}", tag = "exam", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete_subject(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    subjects::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 发布考试科目.
#[utoipa::path(post, path = "/subjects/{id}/publish", tag = "exam", params(("id" = String, Path)),
    responses((status = 200, body = Subject), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn publish_subject(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<Subject>> {
    reply(subjects::publish(&state, &session, &id)).await
}

/// 考试计划列表, with the derived 计划状态.
#[utoipa::path(get, path = "/plans", tag = "exam", params(PlanFilter, PageParams),
    responses((status = 200, body = Paged<PlanView>)), security(("bearer" = [])))]
async fn list_plans(
    State(state): State<AppState>,
    session: Session,
    Query(f): Query<PlanFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<PlanView>>> {
    reply(plans::list(&state, &session, &f, &page)).await
}

/// 新增考试计划 (org; 未发布).
#[utoipa::path(post, path = "/plans", tag = "exam", request_body = PlanInput,
    responses((status = 201, body = PlanView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn create_plan(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<PlanInput>,
) -> ApiResult<(StatusCode, axum::Json<PlanView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(plans::create(&state, &session, input).await?),
    ))
}

/// 可选参考院校: schools taking part in the org's certificates.
#[utoipa::path(get, path = "/plans/eligible-schools", tag = "exam",
    responses((status = 200, body = Vec<EligibleSchool>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn eligible_schools(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<axum::Json<Vec<EligibleSchool>>> {
    reply(plans::eligible_schools(&state, &session)).await
}

/// 查看考试计划.
#[utoipa::path(get, path = "/plans/{id}", tag = "exam", params(("id" = String, Path)),
    responses((status = 200, body = PlanView), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<PlanView>> {
    reply(plans::get(&state, &session, &id)).await
}

/// 编辑考试计划 (未发布 only).
#[utoipa::path(put, path = "/plans/{id}", tag = "exam", params(("id" = String, Path)), request_body = PlanInput,
    responses((status = 200, body = PlanView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(input): Json<PlanInput>,
) -> ApiResult<axum::Json<PlanView>> {
    reply(plans::edit(&state, &session, &id, input)).await
}

/// 删除考试计划 (未发布 only).
#[utoipa::path(delete, path = "/plans/{id}", tag = "exam", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn delete_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<StatusCode> {
    plans::delete(&state, &session, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 发布考试计划: the 参考院校 see it; it no longer changes.
#[utoipa::path(post, path = "/plans/{id}/publish", tag = "exam", params(("id" = String, Path)),
    responses((status = 200, body = PlanView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
async fn publish_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<PlanView>> {
    reply(plans::publish(&state, &session, &id)).await
}
