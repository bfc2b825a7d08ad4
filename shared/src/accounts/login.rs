//! 登录, 退出登录, 修改密码 — with lockout after repeated wrong passwords.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::role::Role;
use super::session::Session;
use super::tenant::Tenant;
use super::user::{User, UserStatus};
use crate::domain::NewPassword;
use crate::http::ApiError;
use crate::ports::table::{Condition, Update};
use crate::state::AppState;

/// Wrong passwords in a row that lock an account.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// The answer to an unknown account or a wrong password.
pub const WRONG_CREDENTIALS: &str = "账号或密码错误（连续输错5次将锁定账号15分钟）";
/// How long a lock lasts.
pub const LOCK_SECONDS: i64 = 15 * 60;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub account: String,
    pub password: String,
}

/// The signed-in user as the front-end shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub id: String,
    pub account: String,
    pub name: String,
    pub tenant: Tenant,
    pub tenant_name: String,
    pub roles: Vec<Role>,
    pub cert_lead: bool,
    pub certificates: Vec<String>,
}

impl From<&Session> for Me {
    fn from(s: &Session) -> Self {
        Self {
            id: s.user_id.clone(),
            account: s.account.clone(),
            name: s.name.clone(),
            tenant: s.tenant.clone(),
            tenant_name: s.tenant_name.clone(),
            roles: s.roles.clone(),
            cert_lead: s.cert_lead,
            certificates: s.certificates.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub user: Me,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePassword {
    pub old_password: String,
    pub new_password: String,
}

/// argon2 is deliberately slow: keep it off the async workers.
pub async fn verify_password(password: &str, hash: &str) -> Result<bool, ApiError> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || super::password::verify(&password, &hash))
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))
}

pub async fn hash_password(password: &str) -> Result<String, ApiError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || super::password::hash(&password))
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?
        .map_err(ApiError::internal)
}

fn locked(until: i64) -> ApiError {
    let at = chrono::DateTime::from_timestamp(until, 0)
        .map(|t| {
            t.with_timezone(&crate::ports::clock::cst())
                .format("%H:%M")
                .to_string()
        })
        .unwrap_or_default();
    ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "ACCOUNT_LOCKED",
        format!("密码错误次数过多，账号已锁定15分钟，请于 {at} 后再试"),
    )
}

/// Checks the password and starts a session. Unknown account and wrong
/// password answer alike; the 5th wrong password in a row locks the account.
pub async fn login(state: &AppState, req: LoginRequest) -> Result<LoginResponse, ApiError> {
    let account = crate::domain::text::normalise(&req.account);
    if account.is_empty() || req.password.is_empty() {
        return Err(ApiError::invalid("MISSING_CREDENTIALS", "请输入账号和密码"));
    }
    // Known and unknown accounts answer alike, so accounts cannot be enumerated.
    let wrong = || ApiError::unauthorized(WRONG_CREDENTIALS);
    let table = state.table.as_ref();
    let user = User::by_account(table, &account).await?.ok_or_else(wrong)?;
    let now = state.clock.now().timestamp();
    if let Some(until) = user.locked_until.filter(|u| *u > now) {
        return Err(locked(until));
    }
    let key = User::key(&user.tenant, &user.id);
    if !verify_password(&req.password, &user.password_hash).await? {
        // Counted atomically, so parallel guesses cannot slip past the limit.
        let after = table
            .update(
                &key,
                Update::new().add("failedLogins", 1),
                Some(Condition::Exists),
            )
            .await?;
        let failed = after
            .get("failedLogins")
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        if failed >= u64::from(MAX_FAILED_LOGINS) {
            let until = now + LOCK_SECONDS;
            table
                .update(
                    &key,
                    Update::new()
                        .set("lockedUntil", until)
                        .set("failedLogins", 0),
                    None,
                )
                .await?;
            return Err(locked(until));
        }
        return Err(wrong());
    }
    if user.status == UserStatus::Disabled {
        return Err(ApiError::forbidden("账号已停用，请联系本单位管理员"));
    }
    if user.failed_logins > 0 || user.locked_until.is_some() {
        table
            .update(
                &key,
                Update::new().set("failedLogins", 0).remove("lockedUntil"),
                None,
            )
            .await?;
    }
    let (token, session) = Session::start(state, &user).await?;
    Ok(LoginResponse {
        token,
        user: Me::from(&session),
    })
}

/// 修改密码: ends every session of the user and returns a fresh one.
pub async fn change_password(
    state: &AppState,
    session: &Session,
    req: ChangePassword,
) -> Result<LoginResponse, ApiError> {
    let table = state.table.as_ref();
    let user = User::load(table, &session.tenant, &session.user_id)
        .await?
        .ok_or_else(|| ApiError::unauthorized("登录已过期，请重新登录"))?;
    if !verify_password(&req.old_password, &user.password_hash).await? {
        return Err(ApiError::invalid("WRONG_PASSWORD", "原密码不正确"));
    }
    let new =
        NewPassword::parse(&req.new_password).map_err(|m| ApiError::invalid("WEAK_PASSWORD", m))?;
    if req.new_password == req.old_password {
        return Err(ApiError::invalid("SAME_PASSWORD", "新密码不能与原密码相同"));
    }
    let hash = hash_password(new.as_str()).await?;
    let after = table
        .update(
            &User::key(&user.tenant, &user.id),
            Update::new()
                .set("passwordHash", hash)
                .add("sessionEpoch", 1)
                .bump_version(),
            Some(Condition::VersionIs(user.version)),
        )
        .await?;
    let user: User = crate::ports::table::from_item(after)?;
    let (token, session) = Session::start(state, &user).await?;
    Ok(LoginResponse {
        token,
        user: Me::from(&session),
    })
}
