//! `/api/auth` — 登录认证: login, logout, the current user.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_accounts::login::{self, ChangePassword, LoginRequest, LoginResponse, Me};
use vslc_accounts::session::bearer;
use vslc_http::{ApiError, ApiResult, Area, AreaRouter, ClientAddr, ErrorBody, Json, reply};
use vslc_ports::AppState;

pub const AREA: Area = Area::new("auth", "/api/auth", "登录认证");

pub fn routes() -> AreaRouter {
    handlers()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

vslc_http::handlers! {
    tag = "auth", session = Session;
    /// 修改密码: every session of the account ends; the answer carries a new token.
    post change_password "/password" (body ChangePassword) -> LoginResponse [400, 401] => login::change_password;
}

/// 登录: account and password → bearer token.
///
/// Unknown account and wrong password answer alike (401). Repeated failures
/// from one client address answer 429 `TOO_MANY_ATTEMPTS` for 15 minutes,
/// to that address only.
#[utoipa::path(post, path = "/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody, description = "账号或密码错误"),
        (status = 403, body = ErrorBody, description = "账号已停用"),
        (status = 429, body = ErrorBody, description = "登录失败次数过多，请稍后再试")))]
async fn login(
    State(state): State<AppState>,
    addr: ClientAddr,
    Json(req): Json<LoginRequest>,
) -> ApiResult<axum::Json<LoginResponse>> {
    reply(login::login(&state, req, &addr)).await
}

/// 退出登录: the token stops working at once.
#[utoipa::path(post, path = "/logout", tag = "auth", responses((status = 204), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
async fn logout(State(state): State<AppState>, parts: Parts) -> ApiResult<StatusCode> {
    let token = bearer(&parts).ok_or_else(|| ApiError::unauthorized("请先登录"))?;
    Session::resolve(&state, token).await?;
    Session::end(&state, token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
async fn me(session: Session) -> axum::Json<Me> {
    axum::Json(Me::from(&*session))
}
