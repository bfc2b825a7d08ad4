//! Sessions: opaque bearer tokens; the table keeps only their SHA-256, so a
//! leaked table does not leak logins. Every handler gets the tenant from here.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::role::Role;
use super::tenant::{Tenant, TenantKind};
use super::user::{User, UserStatus};
use crate::http::error::ApiError;
use crate::ports::table::{Key, TableExt, to_item};
use crate::state::AppState;

/// What a valid token stands for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub user_id: String,
    pub account: String,
    pub name: String,
    pub tenant: Tenant,
    pub tenant_name: String,
    pub roles: Vec<Role>,
    /// 证书负责人: the certificates this user may see and act on.
    #[serde(default)]
    pub cert_lead: bool,
    #[serde(default)]
    pub certificates: Vec<String>,
    /// The user's session epoch when issued (see `User::session_epoch`).
    #[serde(default)]
    pub epoch: u64,
    /// Unix seconds.
    pub expires_at: i64,
}

fn token_key(token: &str) -> Key {
    let digest = Sha256::digest(token.as_bytes());
    Key::new(format!("SESSION#{}", hex::encode(digest)), "SESSION")
}

impl Session {
    /// Starts a session for the user; returns the token (shown once).
    pub async fn start(state: &AppState, user: &User) -> Result<(String, Session), ApiError> {
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let session = Session {
            user_id: user.id.clone(),
            account: user.account.clone(),
            name: user.name.clone(),
            tenant: user.tenant.clone(),
            tenant_name: user.tenant_name.clone(),
            roles: vec![user.role],
            cert_lead: user.cert_lead,
            certificates: user.certificates.clone(),
            epoch: user.session_epoch,
            expires_at: state.clock.now().timestamp() + state.config.session_ttl.as_secs() as i64,
        };
        let mut item = to_item(&token_key(&token), &session)?;
        // The table's TTL removes expired sessions.
        item.insert(
            crate::ports::table::EXPIRES_AT.into(),
            session.expires_at.into(),
        );
        state.table.put(item, None).await?;
        Ok((token, session))
    }

    /// Ends the session of this token (logout).
    pub async fn end(state: &AppState, token: &str) -> Result<(), ApiError> {
        state.table.delete(&token_key(token), None).await?;
        Ok(())
    }

    /// Resolves a token: unknown, expired, of a stopped account, or issued
    /// before the account's sessions were revoked → 401.
    pub async fn resolve(state: &AppState, token: &str) -> Result<Session, ApiError> {
        let expired = || ApiError::unauthorized("登录已过期，请重新登录");
        let session: Session = state
            .table
            .get_as(&token_key(token))
            .await?
            .ok_or_else(expired)?;
        if session.expires_at <= state.clock.now().timestamp() {
            return Err(expired());
        }
        match User::load(state.table.as_ref(), &session.tenant, &session.user_id).await? {
            Some(u) if u.status == UserStatus::Active && u.session_epoch == session.epoch => {
                crate::audit::context::note_session(&session);
                Ok(session)
            }
            Some(u) if u.status == UserStatus::Disabled => {
                Err(ApiError::unauthorized("账号已停用，请联系本单位管理员"))
            }
            _ => Err(expired()),
        }
    }

    /// 403 unless the session's tenant is of this kind.
    pub fn require_kind(&self, kind: TenantKind) -> Result<&Tenant, ApiError> {
        if self.tenant.kind == kind {
            Ok(&self.tenant)
        } else {
            Err(ApiError::forbidden(format!(
                "该功能仅供{}使用",
                kind.label()
            )))
        }
    }

    /// A province session with the 省级管理员 role (plans, final reviews,
    /// reporting cycle).
    pub fn province_admin(&self) -> Result<&Tenant, ApiError> {
        let tenant = self.require_kind(TenantKind::Province)?;
        if self.roles.contains(&Role::ProvinceAdmin) {
            Ok(tenant)
        } else {
            Err(ApiError::forbidden("仅省级管理员可以进行此操作"))
        }
    }

    /// A province session with the 市级审核员 role (地市级教育局审批).
    pub fn city_reviewer(&self) -> Result<&Tenant, ApiError> {
        let tenant = self.require_kind(TenantKind::Province)?;
        if self.roles.contains(&Role::CityReviewer) {
            Ok(tenant)
        } else {
            Err(ApiError::forbidden("仅市级审核员可以进行市级审核"))
        }
    }

    /// A school session that may read exam affairs (every school role).
    pub fn school_reader(&self) -> Result<&Tenant, ApiError> {
        self.require_kind(TenantKind::School)
    }

    /// A school session that may change exam affairs (考务): 院校管理员,
    /// 考务管理员 or 证书负责人 — not 统计查看.
    pub fn school_exam_writer(&self) -> Result<&Tenant, ApiError> {
        let tenant = self.require_kind(TenantKind::School)?;
        if self
            .roles
            .iter()
            .any(|r| matches!(r, Role::SchoolAdmin | Role::ExamAdmin | Role::CertLead))
        {
            Ok(tenant)
        } else {
            Err(ApiError::forbidden("当前角色只能查看，不能修改考务数据"))
        }
    }

    /// 403 unless the session holds an administrator role.
    pub fn require_admin(&self) -> Result<&Tenant, ApiError> {
        if self.roles.iter().any(|r| r.is_admin()) {
            Ok(&self.tenant)
        } else {
            Err(ApiError::forbidden("仅本单位管理员可以进行此操作"))
        }
    }
}

/// The bearer token of a request, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?
        .trim();
    (!token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(|| ApiError::unauthorized("请先登录"))?;
        Session::resolve(state, token).await
    }
}
