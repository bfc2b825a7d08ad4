//! `/api/orgs` — 培训评价组织管理 (manual §2.1): a school sees the orgs of the
//! certificates it takes part in, with those certificates.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_catalogue::images::{ImageUpload, Purpose};
use vslc_catalogue::org::{OrgInput, OrgProfile, profile as org_profile};
use vslc_catalogue::service::{self, OrgDetail, OrgFilter, OrgRow};
use vslc_http::{ApiError, ApiResult, Area, AreaRouter, ErrorBody, Paged, Path, reply};
use vslc_ports::AppState;

pub const AREA: Area = Area::new("orgs", "/api/orgs", "培训评价组织");

pub fn routes() -> AreaRouter {
    handlers()
        .routes(routes!(begin_image))
        .routes(routes!(confirm_image))
}

vslc_http::handlers! {
    tag = "orgs", session = Session;
    /// 本机构信息 (培训评价组织 accounts), with links to its 公章 and 签名章.
    get profile "/profile" () -> OrgProfile [403] => org_profile::view;
    /// 编辑本机构信息.
    put edit_profile "/profile" (body OrgInput) -> OrgProfile [400, 403] => org_profile::edit;
    /// 培训评价组织列表.
    get list "" (query OrgFilter, page) -> Paged<OrgRow> [] => service::orgs;
    /// 查看培训评价组织: details and its certificates (a school: those it takes part in).
    get detail "/{id}" (id) -> OrgDetail [404] => service::org_detail;
}

fn purpose(image: &str) -> ApiResult<Purpose> {
    match image {
        "seal" => Ok(Purpose::OrgSeal),
        "signature" => Ok(Purpose::OrgSignature),
        _ => Err(ApiError::not_found("图片类型")),
    }
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
