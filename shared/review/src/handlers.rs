//! The route handlers of a reviewed record, written once: its steps (提交,
//! 撤回, 审核通过, 审核退回), the owner's list and the counterpart's 审核列表,
//! and the record's views. An area's functions crate lists them in
//! [`handlers!`](macro@crate::handlers) with their paths, summaries and the
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
    pub use vslc_http::{ApiResult, ErrorBody, Json, PageParams, Paged, Path, Query};
    pub use vslc_ports::AppState;
    pub use vslc_ports::domain::RecordId;
    pub use vslc_ports::table::Key;
}

/// A step's outcome as the response: the record afterwards (200), or the
/// domain error mapped at the edge.
pub fn respond<T>(outcome: Result<T, DomainError>) -> ApiResult<axum::Json<T>> {
    outcome.map(axum::Json).map_err(ApiError::from)
}

/// The route handlers of a reviewed record's workflow, each a thin call of
/// its service function, documented for the OpenAPI as the line says:
///
/// - `post name "/…/{id}/step" => f;` — a step on `{id}` (200 with the
///   record afterwards; 404, 409). With an input (the 退回 reason, 审核人数)
///   named in parentheses, its handler reads it as the JSON body and
///   documents 400 too: `post name "/…" (ReturnInput) => f;`.
/// - `get name "/…/{id}" => f;` — the record (200; 404), or another view of
///   it: `get name "/…/{id}" -> DeclarationDetail => f;`.
/// - `list name "/…" (Filter) => f;` — a page of records by the filter
///   (200; 403): the owner's list or the counterpart's 审核列表.
///
/// ```ignore
/// vslc_review::handlers! {
///     tag = "sites", session = Session, record = Site;
///     /// 考核站点审核列表 (org): submitted sites of its certificates.
///     list review_list "/review" (SiteFilter) => review::list;
///     /// 提交 (未提交 / 审核退回 → 待审核).
///     post submit "/{id}/submit" => service::submit;
///     /// 审核退回 with the reason (org).
///     post return_site "/review/{id}/return" (ReturnInput) => review::return_site;
/// }
/// ```
#[macro_export]
macro_rules! handlers {
    (
        tag = $tag:tt, session = $session:ident, record = $record:ident;
        $( $(#[doc = $doc:tt])* $verb:ident $name:ident $path:tt $(($input:ident))? $(-> $body:ident)? => $service:path; )*
    ) => {
        $( $crate::handlers!(@$verb [$tag, $session, $record] [$($doc)*] $name $path ($($input)?) ($($body)?) $service); )*
    };
    (@post [$tag:tt, $session:ident, $record:ident] $doc:tt $name:ident $path:tt () () $service:path) => {
        $crate::handlers!(@fn $doc [post, path = $path, tag = $tag, params(("id" = String, Path)),
            responses((status = 200, body = $record), (status = 404, body = $crate::handlers::rt::ErrorBody), (status = 409, body = $crate::handlers::rt::ErrorBody))]
            $name $session [$crate::handlers::rt::Path(id): $crate::handlers::rt::Path<$crate::handlers::rt::RecordId>,]
            [&id] $record, $service);
    };
    (@post [$tag:tt, $session:ident, $record:ident] $doc:tt $name:ident $path:tt ($input:ident) () $service:path) => {
        $crate::handlers!(@fn $doc [post, path = $path, tag = $tag, params(("id" = String, Path)), request_body = $input,
            responses((status = 200, body = $record), (status = 400, body = $crate::handlers::rt::ErrorBody), (status = 404, body = $crate::handlers::rt::ErrorBody), (status = 409, body = $crate::handlers::rt::ErrorBody))]
            $name $session [$crate::handlers::rt::Path(id): $crate::handlers::rt::Path<$crate::handlers::rt::RecordId>, $crate::handlers::rt::Json(input): $crate::handlers::rt::Json<$input>,]
            [&id, input] $record, $service);
    };
    (@get [$tag:tt, $session:ident, $record:ident] $doc:tt $name:ident $path:tt () () $service:path) => {
        $crate::handlers!(@get [$tag, $session, $record] $doc $name $path () ($record) $service);
    };
    (@get [$tag:tt, $session:ident, $record:ident] $doc:tt $name:ident $path:tt () ($body:ident) $service:path) => {
        $crate::handlers!(@fn $doc [get, path = $path, tag = $tag, params(("id" = String, Path)),
            responses((status = 200, body = $body), (status = 404, body = $crate::handlers::rt::ErrorBody))]
            $name $session [$crate::handlers::rt::Path(id): $crate::handlers::rt::Path<$crate::handlers::rt::RecordId>,]
            [&id] $body, $service);
    };
    (@list [$tag:tt, $session:ident, $record:ident] $doc:tt $name:ident $path:tt ($filter:ident) () $service:path) => {
        $crate::handlers!(@fn $doc [get, path = $path, tag = $tag, params($filter, $crate::handlers::rt::PageParams),
            responses((status = 200, body = $crate::handlers::rt::Paged<$record>), (status = 403, body = $crate::handlers::rt::ErrorBody))]
            $name $session [$crate::handlers::rt::Query(filter): $crate::handlers::rt::Query<$filter>, $crate::handlers::rt::Query(page): $crate::handlers::rt::Query<$crate::handlers::rt::PageParams>,]
            [&filter, &page] $crate::handlers::rt::Paged<$record>, $service);
    };
    // One handler: the state and session, then the route's own extractors,
    // calling the service with them and answering its outcome.
    (@fn [$($doc:tt)*] [$($path:tt)*] $name:ident $session:ident [$($extract:tt)*] [$($arg:tt)*] $out:ty, $service:path) => {
        $(#[doc = $doc])*
        #[utoipa::path($($path)*, security(("bearer" = [])))]
        async fn $name(
            $crate::handlers::rt::State(state): $crate::handlers::rt::State<$crate::handlers::rt::AppState>,
            session: $session,
            $($extract)*
        ) -> $crate::handlers::rt::ApiResult<$crate::handlers::rt::Body<$out>> {
            $crate::handlers::respond($service(&state, &session, $($arg)*).await)
        }
    };
}
