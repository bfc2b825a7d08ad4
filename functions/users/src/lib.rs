//! `/api/users` — 用户管理 (manual §8.1): the tenant administrator manages
//! the tenant's accounts.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::routes;
use vslc_accounts::manage::{
    self, CodeRequest, EditUser, IssuedPassword, NewUser, UserFilter, UserView,
};
use vslc_accounts::role::RoleInfo;
use vslc_accounts::{Role, Session, TenantKind};
use vslc_http::{ApiResult, Area, AreaRouter, ErrorBody, Json, Paged, Path, reply};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area::new("users", "/api/users", "用户管理");

pub fn routes() -> AreaRouter {
    handlers()
        .routes(routes!(roles))
        .routes(routes!(create))
        .routes(routes!(edit))
}

vslc_http::handlers! {
    tag = "users", session = Session;
    /// 用户列表 (phones masked).
    get list "" (query UserFilter, page) -> Paged<UserView> [403] => manage::list;
    /// 发送验证码 to the phone of the account being created or edited.
    post send_code "/verification-code" (body CodeRequest) [400, 409] => manage::send_code;
    /// 删除用户 (only while 停用).
    delete delete "/{id}" (id) [404, 409] => manage::delete;
    /// 停用: the account cannot log in; its sessions end at once.
    post disable "/{id}/disable" (id) -> UserView [404, 409] => manage::disable;
    /// 启用.
    post enable "/{id}/enable" (id) -> UserView [404, 409] => manage::enable;
    /// 重置密码: answers the new password once.
    ///
    /// Not for one's own account (409 `SELF`): that is 修改密码.
    post reset_password "/{id}/reset-password" (id) -> IssuedPassword [404, 409] => manage::reset_password;
    /// 查看用户.
    get get_one "/{id}" (id) -> UserView [404] => manage::view;
}

/// 角色: the roles of the session's tenant.
#[utoipa::path(get, path = "/roles", tag = "users", responses((status = 200, body = Vec<RoleInfo>)), security(("bearer" = [])))]
async fn roles(session: Session) -> axum::Json<Vec<RoleInfo>> {
    axum::Json(Role::of(session.tenant.kind))
}

/// 新增用户: answers the initial password once.
#[utoipa::path(post, path = "", tag = "users", request_body = NewUser,
    responses((status = 201, body = IssuedPassword), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<IssuedPassword>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(
            manage::create(
                &state,
                &session,
                &pilots(&state, &session, &req.certificates).await?,
                req,
            )
            .await?,
        ),
    ))
}

/// 编辑用户 (only while 停用).
#[utoipa::path(put, path = "/{id}", tag = "users", params(("id" = String, Path)), request_body = EditUser,
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
async fn edit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
    Json(req): Json<EditUser>,
) -> ApiResult<axum::Json<UserView>> {
    let pilots = pilots(&state, &session, &req.certificates).await?;
    reply(manage::edit(&state, &session, &pilots, &id, req)).await
}

/// The certificates of the school's pilots: a 证书负责人 may lead only these.
/// Read only when the request names certificates (nothing to check else).
async fn pilots(state: &AppState, session: &Session, named: &[String]) -> ApiResult<Vec<String>> {
    if named.is_empty() || session.tenant.kind != TenantKind::School {
        return Ok(Vec::new());
    }
    Ok(
        vslc_catalogue::Pilot::of_school(state.table.as_ref(), &session.tenant)
            .await?
            .into_iter()
            .map(|p| p.certificate_id)
            .collect(),
    )
}
