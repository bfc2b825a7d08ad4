//! Writing entries: explicit ones (views of full personal data, exports and
//! downloads, logins, password resets, role changes) and the generic entry
//! of a change (`context::audit_requests`). Writing never fails the
//! request: an entry that cannot be written is logged as an error.

use std::time::{Duration, SystemTime};

use super::context;
use super::model::{AuditEntry, AuditKind, Outcome};
use vslc_ports::AppState;
use vslc_ports::table::{Condition, TableError, to_item};
use vslc_ports::{Caller, role::Role, tenant::Tenant};

/// What happened, to whom.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: AuditKind,
    pub action: String,
    pub label: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    /// Masked: never a full ID number or phone.
    pub target_label: Option<String>,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

impl Event {
    pub fn new(kind: AuditKind, action: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            kind,
            action: action.into(),
            label: label.into(),
            target_kind: None,
            target_id: None,
            target_label: None,
            outcome: Outcome::Success,
            detail: None,
        }
    }

    /// The record acted on.
    pub fn target(mut self, kind: &str, id: impl Into<String>) -> Self {
        self.target_kind = Some(kind.to_owned());
        self.target_id = Some(id.into());
        self
    }

    /// A short description of the record (masked).
    pub fn describe(mut self, label: impl Into<String>) -> Self {
        self.target_label = Some(label.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn failed(mut self, why: impl Into<String>) -> Self {
        self.outcome = Outcome::Failure;
        self.detail = Some(why.into());
        self
    }
}

/// Who acted.
#[derive(Debug, Clone)]
pub struct Actor {
    pub tenant: Option<Tenant>,
    pub user_id: Option<String>,
    pub account: String,
    pub name: String,
    pub roles: Vec<Role>,
}

impl From<&Caller> for Actor {
    fn from(s: &Caller) -> Self {
        Self {
            tenant: Some(s.tenant.clone()),
            user_id: Some(s.user_id.clone()),
            account: s.account.clone(),
            name: s.name.clone(),
            roles: s.roles.clone(),
        }
    }
}

impl Actor {
    /// Someone who typed an account name that does not exist.
    pub fn unknown(account: &str) -> Self {
        Self {
            tenant: None,
            user_id: None,
            account: account.chars().take(64).collect(),
            name: String::new(),
            roles: Vec::new(),
        }
    }
}

/// The entry for an event of this actor in the current request.
pub fn entry(state: &AppState, actor: Actor, event: Event) -> AuditEntry {
    let now = state.clock.now();
    let id = ulid::Ulid::from_datetime(SystemTime::from(now)).to_string();
    let origin = context::origin();
    let route = origin.route.as_ref();
    let retention = Duration::from_secs(u64::from(state.config.audit_retention_days) * 86_400);
    AuditEntry {
        id,
        at: state.clock.now_text(),
        tenant: actor.tenant,
        user_id: actor.user_id,
        account: actor.account,
        user_name: actor.name,
        roles: actor.roles,
        module: route.map(|r| r.module.to_owned()).unwrap_or_default(),
        kind: event.kind,
        action: event.action,
        label: event.label,
        target_kind: event.target_kind,
        target_id: event.target_id,
        target_label: event.target_label,
        method: route.map(|r| r.method.as_str().to_owned()),
        route: route.map(|r| r.template.clone()),
        client_addr: origin
            .addr
            .unwrap_or_else(|| vslc_http::ClientAddr::UNKNOWN.to_owned()),
        outcome: event.outcome,
        detail: event.detail,
        request_id: origin.request_id,
        expires_at: now.timestamp() + retention.as_secs() as i64,
    }
}

/// Appends the entry: a put that only succeeds on a new key.
pub async fn append(state: &AppState, entry: &AuditEntry) -> Result<(), TableError> {
    let item = to_item(&entry.key(), entry)?;
    state.table.put(item, Some(Condition::NotExists)).await
}

/// Records an event of the actor in the current request; the request's
/// generic entry is then not written. Failures are logged, not returned.
pub async fn record_as(state: &AppState, actor: Actor, event: Event) {
    context::mark_recorded();
    let entry = entry(state, actor, event);
    if let Err(e) = append(state, &entry).await {
        tracing::error!(error = ?e, action = %entry.action, "audit entry not written");
    }
}

/// Records an event of the session's user.
pub async fn record(state: &AppState, session: &Caller, event: Event) {
    record_as(state, Actor::from(session), event).await;
}

/// A detail view that shows full personal data (ID number, phone).
pub async fn viewed(
    state: &AppState,
    session: &Caller,
    action: &str,
    label: &str,
    target: (&str, &str),
    description: String,
) {
    let event = Event::new(AuditKind::View, action, label)
        .target(target.0, target.1)
        .describe(description);
    record(state, session, event).await;
}

/// An export: recorded by `export::deliver` for the session of the current
/// request (every export goes through it).
pub async fn exported(state: &AppState, stem: &str, title: &str, rows: usize, file: &str) {
    let Some(session) = context::session() else {
        tracing::warn!(
            export = stem,
            "export outside a signed-in request; not audited"
        );
        return;
    };
    let event = Event::new(
        AuditKind::Export,
        format!("export.{stem}"),
        format!("导出{title}"),
    )
    .target("export", file)
    .detail(format!("{rows} 行"));
    record(state, &session, event).await;
}

/// Download links to personal data handed out in one answer (an import's
/// failed rows: the rows as uploaded, ID numbers included). One entry per
/// answer naming every record whose link it carried; none when it carried
/// none. The download itself goes to the file store, past the API.
pub async fn links_handed_out(
    state: &AppState,
    session: &Caller,
    (action, label): (&str, &str),
    target_kind: &str,
    ids: &[&str],
) {
    if ids.is_empty() {
        return;
    }
    const LISTED: usize = 20;
    let mut listed = ids
        .iter()
        .take(LISTED)
        .copied()
        .collect::<Vec<_>>()
        .join(",");
    if ids.len() > LISTED {
        listed.push_str(",…");
    }
    let event = Event::new(AuditKind::Download, action, label)
        .target(target_kind, listed)
        .detail(format!("{} 个下载链接", ids.len()));
    record(state, session, event).await;
}
