//! Areas: one per first path segment under `/api` and one Lambda each. An
//! area's routes are written once; the audit trail's `mount` adds `/health`
//! and the prefix, and the OpenAPI paths are collected as the routes are added.

use axum::http::{HeaderValue, Request};
use axum::response::IntoResponse;
use axum::{Extension, Router};
use serde::Serialize;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiError;
use vslc_ports::AppState;

/// A feature area (功能模块) and the prefix it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    /// Crate, function and tag name (`candidates`).
    pub name: &'static str,
    /// `/api/candidates`.
    pub prefix: &'static str,
    /// 中文名称 for the API document.
    pub title: &'static str,
}

impl Area {
    pub const fn new(name: &'static str, prefix: &'static str, title: &'static str) -> Self {
        Area {
            name,
            prefix,
            title,
        }
    }
}

pub type AreaRouter = OpenApiRouter<AppState>;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub area: &'static str,
}

/// Liveness of one area.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
async fn health(Extension(area): Extension<Area>) -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok",
        area: area.name,
    })
}

/// `GET /health` of an area (merged into every area's routes when mounted).
pub fn health_routes() -> AreaRouter {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Clone, Default)]
struct Ulids;

impl MakeRequestId for Ulids {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&ulid::Ulid::new().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// 404 in the platform's format for paths no area serves.
pub async fn no_route() -> impl IntoResponse {
    ApiError::new(axum::http::StatusCode::NOT_FOUND, "NO_ROUTE", "接口不存在")
}

/// Request ids (`x-request-id`, echoed back and on every log line of the
/// request) and request tracing; the outermost layers of every router.
pub fn layers(router: Router) -> Router {
    router
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(Ulids))
}
