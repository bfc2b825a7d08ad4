//! `/api/users` — 用户管理 (manual §8.1): the tenant administrator manages
//! the tenant's accounts.

use utoipa_axum::routes;
use vslc_accounts::manage::{
    self, CodeRequest, EditUser, IssuedPassword, NewUser, UserFilter, UserView,
};
use vslc_accounts::role::RoleInfo;
use vslc_accounts::{Role, Session};
use vslc_catalogue::Pilots;
use vslc_http::{Area, AreaRouter, Paged};

pub const AREA: Area = Area::new("users", "/api/users", "用户管理");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(roles))
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
    /// 新增用户: answers the initial password once.
    create create "" (body NewUser) -> IssuedPassword [400, 409] => manage::create [&Pilots];
    /// 编辑用户 (only while 停用).
    put edit "/{id}" (id, body EditUser) -> UserView [404, 409] => manage::edit [&Pilots];
}

/// 角色: the roles of the session's tenant.
#[utoipa::path(get, path = "/roles", tag = "users", responses((status = 200, body = Vec<RoleInfo>)), security(("bearer" = [])))]
async fn roles(session: Session) -> axum::Json<Vec<RoleInfo>> {
    axum::Json(Role::of(session.tenant.kind))
}
