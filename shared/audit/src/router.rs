//! Mounting an area: its routes under the prefix with `/health`, each
//! request noting its route for the audit log, and every change audited.

use std::sync::Arc;

use axum::{Extension, Router};
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate as audit;
use vslc_http::area::{Area, AreaRouter, health_routes};
use vslc_ports::AppState;

/// The area's routes under its prefix, with `/health`; each request notes
/// its route for the audit log (`audit::context::note_route`).
pub fn mount(area: Area, routes: AreaRouter) -> AreaRouter {
    let ops = Arc::new(audit::context::Operations::of(area, routes.get_openapi()));
    let inner = routes
        .merge(health_routes())
        .layer(axum::middleware::from_fn(audit::context::note_route))
        .layer(Extension(ops))
        .layer(Extension(area));
    OpenApiRouter::new().nest(area.prefix, inner)
}

/// Splits into the router (state applied, changes audited) and the area's
/// API document.
pub fn finish(router: AreaRouter, state: AppState) -> (Router, OpenApi) {
    let (router, api) = router.split_for_parts();
    let router = router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        audit::context::audit_requests,
    ));
    (router.with_state(state), api)
}
