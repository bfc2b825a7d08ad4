//! What the audit log knows about the request being served, and the two
//! middleware layers that gather it and record changes.
//!
//! - `audit_requests` (outermost, added by `http::area::finish`, which has
//!   the state) opens a task-local scope holding the client address and the
//!   request id. After the handler answered, it records every POST, PUT,
//!   PATCH and DELETE a session made, successful or not, unless the request
//!   recorded an explicit entry itself (a login, an export, a role change).
//! - `note_route` (inside each area, added by `http::area::mount`) notes the
//!   area, the matched route template, its path parameters and the
//!   operation's name from the area's OpenAPI document.
//! - `Session::resolve` notes the session.
//!
//! Explicit entries (`record`) take the address, request id, area and route
//! from the scope, so the services that write them need no extra arguments.
//! A failing audit write is logged and never fails the user's request.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;
use utoipa::openapi::OpenApi;

use super::model::{AuditKind, Outcome};
use super::record::{self, Event};
use vslc_http::{Area, ClientAddr};
use vslc_ports::AppState;
use vslc_ports::Caller;

/// The route a request matched, as the audit log names it.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// 系统模块 (the area's title).
    pub module: &'static str,
    pub area: &'static str,
    pub method: Method,
    /// `/api/sites/{id}/submit`.
    pub template: String,
    /// Path parameters in order (`id` → `S001-…`).
    pub params: Vec<(String, String)>,
    pub op: Option<Operation>,
}

/// An operation of an area's OpenAPI document.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `weekly-reports.submit` (area and handler).
    pub code: String,
    /// The Chinese name at the start of its summary (`提交周报`), if any.
    pub label: Option<String>,
}

/// The operations of one area by method and route template (relative to
/// the area's prefix).
#[derive(Debug, Default)]
pub struct Operations(HashMap<(Method, String), Operation>);

fn normalise(path: &str) -> String {
    path.trim_end_matches('/').to_owned()
}

/// The Chinese words a summary starts with (`提交周报 for the current
/// period` → `提交周报`).
fn chinese_head(summary: &str) -> Option<String> {
    let head: String = summary
        .trim()
        .chars()
        .take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(c) || *c == '、')
        .collect();
    (head.chars().count() >= 2).then_some(head)
}

impl Operations {
    pub fn of(area: Area, doc: &OpenApi) -> Self {
        let mut ops = HashMap::new();
        for (path, item) in &doc.paths.paths {
            let methods = [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::PATCH, &item.patch),
                (Method::DELETE, &item.delete),
            ];
            for (method, op) in methods {
                let Some(op) = op else { continue };
                let name = op.operation_id.clone().unwrap_or_else(|| path.clone());
                ops.insert(
                    (method, normalise(path)),
                    Operation {
                        code: format!("{}.{name}", area.name),
                        label: op.summary.as_deref().and_then(chinese_head),
                    },
                );
            }
        }
        Self(ops)
    }

    fn get(&self, area: Area, method: &Method, template: &str) -> Option<Operation> {
        let relative = template.strip_prefix(area.prefix).unwrap_or(template);
        self.0.get(&(method.clone(), normalise(relative))).cloned()
    }
}

/// The scope of one request.
struct RequestScope {
    addr: ClientAddr,
    request_id: Option<String>,
    state: RefCell<ScopeState>,
}

#[derive(Default)]
struct ScopeState {
    session: Option<Caller>,
    route: Option<RouteInfo>,
    /// An explicit entry was written for this request.
    recorded: bool,
}

tokio::task_local! {
    static SCOPE: RequestScope;
}

/// Where and how the current request came, for an entry.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub addr: Option<String>,
    pub request_id: Option<String>,
    pub route: Option<RouteInfo>,
}

/// The current request's origin (empty outside a request).
pub fn origin() -> Origin {
    SCOPE
        .try_with(|s| Origin {
            addr: Some(s.addr.to_string()),
            request_id: s.request_id.clone(),
            route: s.state.borrow().route.clone(),
        })
        .unwrap_or_default()
}

/// The session of the current request, once resolved.
pub fn session() -> Option<Caller> {
    SCOPE
        .try_with(|s| s.state.borrow().session.clone())
        .ok()
        .flatten()
}

/// Called when the request's session is resolved.
pub fn note_session(session: &Caller) {
    let _ = SCOPE.try_with(|s| s.state.borrow_mut().session = Some(session.clone()));
}

/// Called when an explicit entry is written: the request needs no other.
pub(crate) fn mark_recorded() {
    let _ = SCOPE.try_with(|s| s.state.borrow_mut().recorded = true);
}

/// Runs `f` inside a request scope (tests of code that records).
pub async fn scoped<F: Future>(addr: ClientAddr, f: F) -> F::Output {
    SCOPE
        .scope(
            RequestScope {
                addr,
                request_id: None,
                state: RefCell::default(),
            },
            f,
        )
        .await
}

/// Inner layer of every area: notes the matched route.
pub async fn note_route(
    Extension(area): Extension<Area>,
    Extension(ops): Extension<Arc<Operations>>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let template = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    if let Some(template) = template {
        let params = RawPathParams::from_request_parts(&mut parts, &())
            .await
            .map(|p| {
                p.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let route = RouteInfo {
            module: area.title,
            area: area.name,
            op: ops.get(area, &parts.method, &template),
            method: parts.method.clone(),
            template,
            params,
        };
        let _ = SCOPE.try_with(|s| s.state.borrow_mut().route = Some(route));
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Outer layer of every API router: opens the request's scope and records
/// the changes sessions make.
pub async fn audit_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let scope = RequestScope {
        addr: ClientAddr::of(&parts),
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        state: RefCell::default(),
    };
    let writes = matches!(
        parts.method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let req = Request::from_parts(parts, body);
    SCOPE
        .scope(scope, async move {
            let response = next.run(req).await;
            if !writes {
                return response;
            }
            let pending = SCOPE.with(|s| {
                let st = s.state.borrow();
                match (&st.session, &st.route, st.recorded) {
                    (Some(session), Some(route), false) => Some((session.clone(), route.clone())),
                    _ => None,
                }
            });
            match pending {
                Some((session, route)) => record_change(&state, &session, &route, response).await,
                None => response,
            }
        })
        .await
}

/// The generic entry of a change: the route's operation, its path
/// parameters as the record (or the created record's id), the outcome.
async fn record_change(
    state: &AppState,
    session: &Caller,
    route: &RouteInfo,
    response: Response,
) -> Response {
    let status = response.status();
    let mut target_id = (!route.params.is_empty()).then(|| {
        route
            .params
            .iter()
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join("/")
    });
    let needs_body = !status.is_success() || target_id.is_none();
    let (response, body) = if needs_body {
        small_json(response).await
    } else {
        (response, None)
    };
    let outcome = if status.is_success() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let mut detail = None;
    if let Some(body) = &body {
        if outcome == Outcome::Failure {
            detail = body["message"].as_str().map(str::to_owned);
        } else if target_id.is_none() {
            target_id = created_id(body);
        }
    }
    let label = route
        .op
        .as_ref()
        .and_then(|o| o.label.clone())
        .unwrap_or_else(|| generic_kind(route, "").label().to_owned());
    let kind = generic_kind(route, &label);
    let code = route.op.as_ref().map_or_else(
        || format!("{}.{}", route.area, route.method.as_str().to_lowercase()),
        |o| o.code.clone(),
    );
    let mut event = Event::new(kind, code, label);
    event.target_kind = Some(route.area.to_owned());
    event.target_id = target_id;
    event.outcome = outcome;
    event.detail = detail.or_else(|| (!status.is_success()).then(|| status.as_u16().to_string()));
    record::record(state, session, event).await;
    response
}

/// 操作类型 of a change by its method and name.
fn generic_kind(route: &RouteInfo, label: &str) -> AuditKind {
    if label.contains("删除") {
        return AuditKind::Delete;
    }
    if label.contains("导入") {
        return AuditKind::Import;
    }
    match route.method {
        Method::DELETE => AuditKind::Delete,
        Method::PUT | Method::PATCH => AuditKind::Update,
        _ if label.starts_with("新增") || route.params.is_empty() && label.is_empty() => {
            AuditKind::Create
        }
        _ => AuditKind::Other,
    }
}

/// The id of a record a POST created, from its answer.
fn created_id(body: &Value) -> Option<String> {
    let direct = ["id", "no", "candidateNo"]
        .iter()
        .find_map(|k| body[*k].as_str().map(str::to_owned));
    direct.or_else(|| body["user"]["id"].as_str().map(str::to_owned))
}

/// Largest answer read to find a created id or an error message.
const MAX_INSPECTED: u64 = 64 * 1024;

/// The answer's JSON when it is small and of known size; the answer is
/// handed back unchanged.
async fn small_json(response: Response) -> (Response, Option<Value>) {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let small = response
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n <= MAX_INSPECTED);
    if !is_json || !small {
        return (response, None);
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_INSPECTED as usize).await {
        Ok(bytes) => {
            let value = serde_json::from_slice(&bytes).ok();
            (Response::from_parts(parts, Body::from(bytes)), value)
        }
        Err(e) => {
            tracing::error!(error = %e, "answer could not be read for the audit log");
            (Response::from_parts(parts, Body::empty()), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_the_chinese_head_of_summaries() {
        assert_eq!(
            chinese_head("提交周报 for the current period").as_deref(),
            Some("提交周报")
        );
        assert_eq!(
            chinese_head("审核通过 (省级管理员).").as_deref(),
            Some("审核通过")
        );
        assert_eq!(chinese_head("Step 2: the photo"), None);
    }

    #[test]
    fn created_ids_are_found() {
        assert_eq!(
            created_id(&serde_json::json!({"candidateNo": "K1"})).as_deref(),
            Some("K1")
        );
        assert_eq!(
            created_id(&serde_json::json!({"user": {"id": "U1"}, "password": "x"})).as_deref(),
            Some("U1")
        );
        assert_eq!(created_id(&serde_json::json!({"rows": 1})), None);
    }
}
