//! `/api/schools` — 试点院校管理 (manual §2.2): the school views and edits
//! its own profile and uploads its 电子签章.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::images::ImageUpload;
use vslc_catalogue::school::{self, SchoolInput, SchoolView};
use vslc_http::{ApiResult, Area, AreaRouter, ErrorBody, Json, reply};
use vslc_ports::AppState;

pub const AREA: Area = Area {
    name: "schools",
    prefix: "/api/schools",
    title: "试点院校",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(view, edit))
        .routes(routes!(begin_seal))
        .routes(routes!(confirm_seal))
}

/// 查看院校详情, with 试点证书负责人 and a link to the 电子签章.
#[utoipa::path(get, path = "/profile", tag = "schools", responses((status = 200, body = SchoolView), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn view(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<axum::Json<SchoolView>> {
    reply(school::view(&state, &session)).await
}

/// 编辑院校信息 (院校管理员).
#[utoipa::path(put, path = "/profile", tag = "schools", request_body = SchoolInput,
    responses((status = 200, body = SchoolView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Json(input): Json<SchoolInput>,
) -> ApiResult<axum::Json<SchoolView>> {
    reply(school::edit(&state, &session, input)).await
}

/// 上传电子签章: step 1, the PNG upload URL.
#[utoipa::path(post, path = "/profile/seal", tag = "schools", responses((status = 200, body = ImageUpload), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
async fn begin_seal(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<axum::Json<ImageUpload>> {
    reply(school::begin_seal(&state, &session)).await
}

/// Step 2: the uploaded PNG is checked (real image, ≤ 1 MB, 100–1000 px) and kept.
#[utoipa::path(post, path = "/profile/seal/confirm", tag = "schools",
    responses((status = 200, body = SchoolView), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn confirm_seal(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<axum::Json<SchoolView>> {
    reply(school::confirm_seal(&state, &session)).await
}
