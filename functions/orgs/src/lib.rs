//! `/api/orgs` — 培训评价组织管理 (manual §2.1): a school sees the orgs of the
//! certificates it takes part in, with those certificates.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::images::{ImageUpload, Purpose};
use vslc_catalogue::org::{OrgInput, OrgProfile, profile as org_profile};
use vslc_catalogue::service::{self, OrgDetail, OrgFilter, OrgRow};
use vslc_http::{
    ApiError, ApiResult, Area, AreaRouter, ErrorBody, Json, PageParams, Paged, Path, Query, reply,
};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area {
    name: "orgs",
    prefix: "/api/orgs",
    title: "培训评价组织",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list))
        .routes(routes!(profile, edit_profile))
        .routes(routes!(begin_image))
        .routes(routes!(confirm_image))
        .routes(routes!(detail))
}

fn purpose(image: &str) -> ApiResult<Purpose> {
    match image {
        "seal" => Ok(Purpose::OrgSeal),
        "signature" => Ok(Purpose::OrgSignature),
        _ => Err(ApiError::not_found("图片类型")),
    }
}

/// 本机构信息 (培训评价组织 accounts), with links to its 公章 and 签名章.
#[utoipa::path(get, path = "/profile", tag = "orgs", responses((status = 200, body = OrgProfile), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn profile(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<axum::Json<OrgProfile>> {
    reply(org_profile::view(&state, &session)).await
}

/// 编辑本机构信息.
#[utoipa::path(put, path = "/profile", tag = "orgs", request_body = OrgInput,
    responses((status = 200, body = OrgProfile), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn edit_profile(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<OrgInput>,
) -> ApiResult<axum::Json<OrgProfile>> {
    reply(org_profile::edit(&state, &session, input)).await
}

/// 上传公章 (`seal`) or 签名章 (`signature`): step 1, the PNG upload URL.
#[utoipa::path(post, path = "/profile/images/{image}", tag = "orgs", params(("image" = String, Path, description = "seal | signature")),
    responses((status = 200, body = ImageUpload), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn begin_image(
    State(state): State<AppState>,
    session: Session,
    Path(image): Path<String>,
) -> ApiResult<axum::Json<ImageUpload>> {
    reply(org_profile::begin_image(&state, &session, purpose(&image)?)).await
}

/// Step 2: the uploaded PNG is checked (real image, ≤ 1 MB, 100–1000 px) and kept.
#[utoipa::path(post, path = "/profile/images/{image}/confirm", tag = "orgs", params(("image" = String, Path, description = "seal | signature")),
    responses((status = 200, body = OrgProfile), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn confirm_image(
    State(state): State<AppState>,
    session: Session,
    Path(image): Path<String>,
) -> ApiResult<axum::Json<OrgProfile>> {
    reply(org_profile::confirm_image(
        &state,
        &session,
        purpose(&image)?,
    ))
    .await
}

/// 培训评价组织列表.
#[utoipa::path(get, path = "", tag = "orgs", params(OrgFilter, PageParams),
    responses((status = 200, body = Paged<OrgRow>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<OrgFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<OrgRow>>> {
    reply(service::orgs(&state, &session, &filter, &page)).await
}

/// 查看培训评价组织: details and its certificates (a school: those it takes part in).
#[utoipa::path(get, path = "/{id}", tag = "orgs", params(("id" = String, Path)),
    responses((status = 200, body = OrgDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<OrgDetail>> {
    reply(service::org_detail(&state, &session, &id)).await
}
