//! 登录 and 退出登录.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::session::Session;
use super::tenant::Tenant;
use super::user::{User, UserStatus};
use crate::http::ApiError;
use crate::ports::table::TableExt;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub account: String,
    pub password: String,
}

/// The signed-in user as the front-end shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub account: String,
    pub name: String,
    pub tenant: Tenant,
    pub tenant_name: String,
    pub roles: Vec<String>,
}

impl From<&Session> for Me {
    fn from(s: &Session) -> Self {
        Self {
            account: s.account.clone(),
            name: s.name.clone(),
            tenant: s.tenant.clone(),
            tenant_name: s.tenant_name.clone(),
            roles: s.roles.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub user: Me,
}

/// Checks the password and starts a session. Unknown account and wrong
/// password answer alike.
pub async fn login(state: &AppState, req: LoginRequest) -> Result<LoginResponse, ApiError> {
    let account = req.account.trim();
    if account.is_empty() || req.password.is_empty() {
        return Err(ApiError::invalid("MISSING_CREDENTIALS", "请输入账号和密码"));
    }
    let wrong = || ApiError::unauthorized("账号或密码错误");
    let user: User = state
        .table
        .get_as(&User::key(account))
        .await?
        .ok_or_else(wrong)?;
    let password = req.password.clone();
    let hash = user.password_hash.clone();
    // argon2 is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || super::password::verify(&password, &hash))
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    if !ok {
        return Err(wrong());
    }
    if user.status == UserStatus::Disabled {
        return Err(ApiError::forbidden("账号已停用，请联系本单位管理员"));
    }
    let (token, session) = Session::start(state, &user).await?;
    Ok(LoginResponse {
        token,
        user: Me::from(&session),
    })
}
