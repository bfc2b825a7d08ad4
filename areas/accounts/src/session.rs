//! Sessions: opaque bearer tokens; the table keeps only their SHA-256, so a
//! leaked table does not leak logins. Every handler gets the tenant from here.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::user::{User, UserStatus};
use vslc_http::error::ApiError;
use vslc_ports::AppState;
use vslc_ports::Caller;
use vslc_ports::DomainError;
use vslc_ports::table::{Key, TableExt, to_item};

/// What a valid token stands for: the caller, and when the session ends.
/// Stored flat (the caller's fields beside `epoch` and `expiresAt`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(flatten)]
    pub caller: Caller,
    /// The user's session epoch when issued (see `User::session_epoch`).
    #[serde(default)]
    pub epoch: u64,
    /// Unix seconds.
    pub expires_at: i64,
}

impl std::ops::Deref for Session {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

fn token_key(token: &str) -> Key {
    let digest = Sha256::digest(token.as_bytes());
    Key::new(format!("SESSION#{}", hex::encode(digest)), "SESSION")
}

impl Session {
    /// Starts a session for the user; returns the token (shown once).
    pub async fn start(state: &AppState, user: &User) -> Result<(String, Session), DomainError> {
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let session = Session {
            caller: Caller {
                user_id: user.id.clone(),
                account: user.account.clone(),
                name: user.name.clone(),
                tenant: user.tenant.clone(),
                tenant_name: user.tenant_name.clone(),
                roles: vec![user.role],
                cert_lead: user.cert_lead,
                certificates: user.certificates.clone(),
                invigilator_id: user.invigilator_id.clone(),
            },
            epoch: user.session_epoch,
            expires_at: state.clock.now().timestamp() + state.config.session_ttl.as_secs() as i64,
        };
        let mut item = to_item(&token_key(&token), &session)?;
        // The table's TTL removes expired sessions.
        item.insert(
            vslc_ports::table::EXPIRES_AT.into(),
            session.expires_at.into(),
        );
        state.table.put(item, None).await?;
        Ok((token, session))
    }

    /// Ends the session of this token (logout).
    pub async fn end(state: &AppState, token: &str) -> Result<(), DomainError> {
        state.table.delete(&token_key(token), None).await?;
        Ok(())
    }

    /// Resolves a token: unknown, expired, of a stopped account, or issued
    /// before the account's sessions were revoked → 401.
    pub async fn resolve(state: &AppState, token: &str) -> Result<Session, DomainError> {
        let expired = || DomainError::unauthorized("登录已过期，请重新登录");
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
                vslc_audit::context::note_session(&session);
                Ok(session)
            }
            Some(u) if u.status == UserStatus::Disabled => {
                Err(DomainError::unauthorized("账号已停用，请联系本单位管理员"))
            }
            _ => Err(expired()),
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
        let session = Session::resolve(state, token).await?;
        // The path as the client sent it (areas are nested under their prefix).
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(parts.uri.path(), |u| u.0.path());
        if session.invigilator_only() && !invigilator_may(path) {
            return Err(DomainError::forbidden(vslc_ports::caller::INVIGILATOR_ONLY).into());
        }
        Ok(session)
    }
}

/// The routes a 监考员 login may call: its own sign-in (login, password)
/// and the door sign-in pages. Every domain check refuses it too
/// (`Caller::require_kind`); this keeps it off routes that read without one.
fn invigilator_may(path: &str) -> bool {
    path.starts_with("/api/auth/")
        || path.starts_with("/api/scheduling/invigilation/")
        || path == "/api/scheduling/invigilation"
}
