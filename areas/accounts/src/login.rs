//! 登录, 退出登录, 修改密码 — with throttling of repeated wrong passwords
//! (see `throttle`).

use std::cell::Cell;
use vslc_ports::Caller;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::session::Session;
use super::throttle::LoginThrottle;
use super::user::{User, UserStatus};
use vslc_audit::{self as audit, Actor, AuditKind, Event};
use vslc_http::ClientAddr;
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::NewPassword;
use vslc_ports::role::Role;
use vslc_ports::table::{TableExt, Update};
use vslc_ports::tenant::Tenant;

/// The answer to an unknown account or a wrong password.
pub const WRONG_CREDENTIALS: &str = "账号或密码错误（连续输错5次将暂停本机登录15分钟）";

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

impl From<&Caller> for Me {
    fn from(s: &Caller) -> Self {
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

tokio::task_local! {
    static VERIFICATIONS: Cell<u32>;
}

/// Runs `f` and counts the password verifications it made: the seam that
/// lets a test see that an unknown account costs an argon2 verification
/// like a known one, without measuring time.
pub async fn counting_verifications<F: Future>(f: F) -> (F::Output, u32) {
    VERIFICATIONS
        .scope(Cell::new(0), async move {
            let out = f.await;
            (out, VERIFICATIONS.with(Cell::get))
        })
        .await
}

/// argon2 is deliberately slow: keep it off the async workers.
pub async fn verify_password(password: &str, hash: &str) -> Result<bool, DomainError> {
    let _ = VERIFICATIONS.try_with(|n| n.set(n.get() + 1));
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || super::password::verify(&password, &hash))
        .await
        .map_err(|e| DomainError::internal(anyhow::anyhow!(e)))
}

pub async fn hash_password(password: &str) -> Result<String, DomainError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || super::password::hash(&password))
        .await
        .map_err(|e| DomainError::internal(anyhow::anyhow!(e)))?
        .map_err(DomainError::internal)
}

/// Checks the password and starts a session. Unknown account and wrong
/// password answer alike and cost alike (an argon2 verification each);
/// repeated failures are throttled per account and client address.
pub async fn login(
    state: &AppState,
    req: LoginRequest,
    addr: &ClientAddr,
) -> Result<LoginResponse, DomainError> {
    let account = vslc_ports::domain::text::normalise(&req.account);
    if account.is_empty() || req.password.is_empty() {
        return Err(DomainError::invalid(
            "MISSING_CREDENTIALS",
            "请输入账号和密码",
        ));
    }
    let table = state.table.as_ref();
    let now = state.clock.now().timestamp();
    let throttle = LoginThrottle::begin(table, &account, addr, now).await?;
    let user = User::by_account(table, &account).await?;
    // Known and unknown accounts take the same time, so accounts cannot be
    // enumerated: an unknown one is checked against a hash nobody matches.
    let hash = user
        .as_ref()
        .map_or(super::password::DUMMY_HASH, |u| u.password_hash.as_str());
    let matches = verify_password(&req.password, hash).await?;
    let user = match user {
        Some(u) if matches => u,
        user => {
            let error = throttle
                .failed(table)
                .await?
                .unwrap_or_else(|| DomainError::unauthorized(WRONG_CREDENTIALS));
            // One audit write for known and unknown accounts alike (same cost):
            // a known account's failure goes to its tenant's 操作日志, an
            // unknown one's to the platform's, which no tenant reads.
            let (actor, why) = match &user {
                Some(u) => (Actor::from(u), "密码错误"),
                None => (Actor::unknown(&account), "账号不存在"),
            };
            audit::record_as(state, actor, login_failed(why)).await;
            return Err(error);
        }
    };
    // The right password is no guess, also for a stopped account.
    throttle.succeeded(table).await?;
    if user.status == UserStatus::Disabled {
        audit::record_as(state, Actor::from(&user), login_failed("账号已停用")).await;
        return Err(DomainError::forbidden("账号已停用，请联系本单位管理员"));
    }
    let (token, session) = Session::start(state, &user).await?;
    audit::record(
        state,
        &session,
        Event::new(AuditKind::Login, "auth.login", "登录"),
    )
    .await;
    Ok(LoginResponse {
        token,
        user: Me::from(&*session),
    })
}

fn login_failed(why: &str) -> Event {
    Event::new(AuditKind::Login, "auth.login_failed", "登录失败").failed(why)
}

/// 修改密码: ends every session of the user and returns a fresh one.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    req: ChangePassword,
) -> Result<LoginResponse, DomainError> {
    let table = state.table.as_ref();
    let user = User::load(table, &caller.tenant, &caller.user_id)
        .await?
        .ok_or_else(|| DomainError::unauthorized("登录已过期，请重新登录"))?;
    if !verify_password(&req.old_password, &user.password_hash).await? {
        return Err(DomainError::invalid("WRONG_PASSWORD", "原密码不正确"));
    }
    let new = NewPassword::parse(&req.new_password)
        .map_err(|m| DomainError::invalid("WEAK_PASSWORD", m))?;
    if req.new_password == req.old_password {
        return Err(DomainError::invalid(
            "SAME_PASSWORD",
            "新密码不能与原密码相同",
        ));
    }
    let hash = hash_password(new.as_str()).await?;
    let update = Update::new()
        .set("passwordHash", hash)
        .add("sessionEpoch", 1);
    let user: User = table
        .update_versioned(&User::key(&user.tenant, &user.id), user.version, update)
        .await?;
    let (token, session) = Session::start(state, &user).await?;
    Ok(LoginResponse {
        token,
        user: Me::from(&*session),
    })
}
