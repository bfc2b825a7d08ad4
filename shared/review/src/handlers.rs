//! The route handlers of the workflow's steps (提交, 撤回, 审核通过, 审核退回),
//! written once: an area's functions crate lists its steps in
//! [`handlers!`](crate::handlers) with their paths, summaries and the
//! service function of each, and gets thin utoipa-documented handlers to
//! put in its router (`routes!(submit)`).

use vslc_http::{ApiError, ApiResult};
use vslc_ports::DomainError;

/// What the generated handlers and `reviewed!` name (so the calling crate
/// needs none of it in scope).
#[doc(hidden)]
pub mod rt {
    pub use axum::Json as Body;
    pub use axum::extract::State;
    pub use vslc_http::{ApiResult, ErrorBody, Json, Path};
    pub use vslc_ports::AppState;
    pub use vslc_ports::domain::RecordId;
    pub use vslc_ports::table::Key;
}

/// A step's outcome as the response: the record afterwards (200), or the
/// domain error mapped at the edge.
pub fn respond<T>(outcome: Result<T, DomainError>) -> ApiResult<axum::Json<T>> {
    outcome.map(axum::Json).map_err(ApiError::from)
}

/// Handlers for the workflow steps of one record type: a `POST` per step on
/// `{id}`, answering the record afterwards. A step with an input (the 退回
/// reason, 审核人数) names its type in parentheses; its handler reads it as
/// the JSON body and documents 400 too.
///
/// ```ignore
/// vslc_review::handlers! {
///     tag = "sites", session = Session, record = Site;
///     /// 提交 (未提交 / 审核退回 → 待审核).
///     submit "/{id}/submit" => service::submit;
///     /// 审核退回 with the reason (org).
///     return_site "/review/{id}/return" (ReturnInput) => review::return_site;
/// }
/// ```
#[macro_export]
macro_rules! handlers {
    (
        tag = $tag:tt, session = $session:ident, record = $record:ident;
        $( $(#[doc = $doc:tt])* $name:ident $path:tt $(($input:ident))? => $service:path; )*
    ) => {
        $( $crate::handlers!(@step [$tag, $session, $record] [$($doc)*] $name $path ($($input)?) $service); )*
    };
    (@step [$tag:tt, $session:ident, $record:ident] [$($doc:tt)*] $name:ident $path:tt () $service:path) => {
        $(#[doc = $doc])*
        #[utoipa::path(post, path = $path, tag = $tag, params(("id" = String, Path)),
            responses((status = 200, body = $record), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
        async fn $name(
            $crate::handlers::rt::State(state): $crate::handlers::rt::State<$crate::handlers::rt::AppState>,
            session: $session,
            $crate::handlers::rt::Path(id): $crate::handlers::rt::Path<$crate::handlers::rt::RecordId>,
        ) -> $crate::handlers::rt::ApiResult<$crate::handlers::rt::Body<$record>> {
            $crate::handlers::respond($service(&state, &session, &id).await)
        }
    };
    (@step [$tag:tt, $session:ident, $record:ident] [$($doc:tt)*] $name:ident $path:tt ($input:ident) $service:path) => {
        $(#[doc = $doc])*
        #[utoipa::path(post, path = $path, tag = $tag, params(("id" = String, Path)), request_body = $input,
            responses((status = 200, body = $record), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
            security(("bearer" = [])))]
        async fn $name(
            $crate::handlers::rt::State(state): $crate::handlers::rt::State<$crate::handlers::rt::AppState>,
            session: $session,
            $crate::handlers::rt::Path(id): $crate::handlers::rt::Path<$crate::handlers::rt::RecordId>,
            $crate::handlers::rt::Json(input): $crate::handlers::rt::Json<$input>,
        ) -> $crate::handlers::rt::ApiResult<$crate::handlers::rt::Body<$record>> {
            $crate::handlers::respond($service(&state, &session, &id, input).await)
        }
    };
}
