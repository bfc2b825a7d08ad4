//! `/api/orgs` — 培训评价组织管理 (manual §2.1): a school sees the orgs of the
//! certificates it takes part in, with those certificates.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_shared::AppState;
use vslc_shared::accounts::Session;
use vslc_shared::catalogue::service::{self, OrgDetail, OrgFilter, OrgRow};
use vslc_shared::http::{ApiResult, Area, AreaRouter, ErrorBody, PageParams, Paged, Path, Query};

pub const AREA: Area = Area {
    name: "orgs",
    prefix: "/api/orgs",
    title: "培训评价组织",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
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
    service::orgs(&state, &session, &filter, &page)
        .await
        .map(axum::Json)
}

/// 查看培训评价组织: details and its certificates (a school: those it takes part in).
#[utoipa::path(get, path = "/{id}", tag = "orgs", params(("id" = String, Path)),
    responses((status = 200, body = OrgDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<OrgDetail>> {
    service::org_detail(&state, &session, &id)
        .await
        .map(axum::Json)
}
