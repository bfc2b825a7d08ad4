//! An area's route handlers, written once: each line of a
//! [`handlers!`](macro@crate::handlers) table names the method, the path,
//! what the route reads, what it answers and the service function it calls,
//! and becomes a thin utoipa-documented axum handler; `handlers()` is the
//! router of them all, to which the area adds its hand-written routes.
//!
//! A handler reads the state and the session, then the route's own inputs,
//! calls `service(&state, &session, …)` with them in the order written
//! (path id, query and page by reference, the body by value) and answers
//! the outcome: the value as JSON (200, or 201 for `create`), or 204 when
//! the line names no answer; a domain error becomes its `{code, message}`.
//! A route that does more than that (audits a view, reads two path
//! segments) stays a hand-written handler beside the table.

use std::future::Future;

use axum::http::StatusCode;

use crate::{ApiError, ApiResult};

/// What the generated handlers name, so the calling crate needs none of it
/// in scope.
#[doc(hidden)]
pub mod rt {
    pub use crate::{ApiResult, BatchIds, BatchOutcome, ErrorBody, Json, PageParams, Path, Query};
    pub use axum::Json as Body;
    pub use axum::extract::State;
    pub use axum::http::StatusCode;
    pub use utoipa_axum::routes;
    pub use vslc_ports::AppState;
    pub use vslc_ports::domain::RecordId;
}

/// 201 with the created record.
pub async fn created<T, E: Into<ApiError>>(
    call: impl Future<Output = Result<T, E>>,
) -> ApiResult<(StatusCode, axum::Json<T>)> {
    call.await
        .map(|v| (StatusCode::CREATED, axum::Json(v)))
        .map_err(Into::into)
}

/// 204 once the call is done.
pub async fn no_content<E: Into<ApiError>>(
    call: impl Future<Output = Result<(), E>>,
) -> ApiResult<StatusCode> {
    call.await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(Into::into)
}

/// The route handlers of an area, each a thin call of its service function,
/// documented for the OpenAPI as its line says:
///
/// ```ignore
/// vslc_http::handlers! {
///     tag = "rooms", session = Session;
///     /// 考场列表.
///     get list "" (query RoomFilter, page) -> Paged<RoomView> [403] => service::list;
///     /// 设置考场.
///     create create "" (body RoomInput) -> RoomView [400, 404, 409] => service::create;
///     /// 编辑考场.
///     put edit "/{id}" (id, body RoomInput) -> RoomView [400, 404, 409] => service::edit;
///     /// 删除考场.
///     delete delete "/{id}" (id) [404, 409] => service::delete;
///     /// 批量删除考场, per id, after the caller's check.
///     batch batch_delete "/batch-delete" (school_exam_writer) [400] => service::delete;
/// }
/// ```
///
/// - The verb: `get`, `post`, `put`, `delete`, or `create` (POST answering
///   201). Without `-> Answer` the route answers 204. `batch` is a POST of
///   [`BatchIds`](crate::BatchIds) answering [`BatchOutcome`](crate::BatchOutcome):
///   the caller's check named in parentheses, then the service per id.
/// - What the route reads, in this order: `id` (the `{id}` segment; `path
///   "no" "考生编号"` names and describes another one), `query Filter`,
///   `page` ([`PageParams`](crate::PageParams)), `body Input` (JSON).
/// - The error statuses it documents, each with
///   [`ErrorBody`](crate::ErrorBody).
/// - The service function, and in brackets what it takes between the state
///   and the session when it needs more (`=> service::list [&Orders];`).
#[macro_export]
macro_rules! handlers {
    (
        tag = $tag:tt, session = $session:ident;
        $(
            $(#[doc = $doc:tt])*
            $verb:ident $name:ident $path:tt ($($arg:tt)*)
            $(-> $out:ident $(<$gen:ident>)?)?
            [$($code:tt),*] => $service:path $([$($with:tt)*])?;
        )*
    ) => {
        $(
            $crate::handlers!(@verb $verb [$($out $(<$gen>)?)?]
                { [$($doc)*] $name $path $tag $session [$($code)*] $service [$($($with)*,)?] }
                $($arg)*);
        )*

        /// The routes of the handlers in the table.
        fn handlers() -> $crate::AreaRouter {
            $crate::AreaRouter::new()
                $(.routes($crate::handlers::rt::routes!($name)))*
        }
    };

    // The verb and the answer: method, documented success, responder and
    // the handler's return type.
    (@verb batch [] { $doc:tt $name:ident $path:tt $tag:tt $session:ident [$($code:tt)*] $service:path [$($with:tt)*] } $check:ident) => {
        $crate::handlers!(@fn $doc [post, path = $path, tag = $tag, request_body = $crate::handlers::rt::BatchIds,
            responses((status = 200, body = $crate::handlers::rt::BatchOutcome) $(, (status = $code, body = $crate::handlers::rt::ErrorBody))*)]
            $name [
                $crate::handlers::rt::State(state): $crate::handlers::rt::State<$crate::handlers::rt::AppState>,
                session: $session,
                $crate::handlers::rt::Json(ids): $crate::handlers::rt::Json<$crate::handlers::rt::BatchIds>,
            ]
            $crate::handlers::rt::Body<$crate::handlers::rt::BatchOutcome>,
            {
                session.$check()?;
                $crate::each(ids, (state, session), |(state, session), id| async move {
                    $service(&state, $($with)* &session, &id).await
                })
                .await
            });
    };
    (@verb create [$($out:tt)+] $meta:tt $($arg:tt)*) => {
        $crate::handlers!(@args [post, (status = 201, body = $($out)+), created,
            ($crate::handlers::rt::StatusCode, $crate::handlers::rt::Body<$($out)+>)] $meta [] [] [] [] $($arg)*);
    };
    (@verb $method:ident [$($out:tt)+] $meta:tt $($arg:tt)*) => {
        $crate::handlers!(@args [$method, (status = 200, body = $($out)+), reply,
            $crate::handlers::rt::Body<$($out)+>] $meta [] [] [] [] $($arg)*);
    };
    (@verb $method:ident [] $meta:tt $($arg:tt)*) => {
        $crate::handlers!(@args [$method, (status = 204), no_content,
            $crate::handlers::rt::StatusCode] $meta [] [] [] [] $($arg)*);
    };

    // What the route reads, one input at a time: its OpenAPI parameters,
    // its request body, its extractors and the service's arguments.
    (@args $how:tt $meta:tt [$($param:tt)*] $body:tt [$($extract:tt)*] [$($call:tt)*] id $(, $($rest:tt)*)?) => {
        $crate::handlers!(@args $how $meta [$($param)* ("id" = String, Path),] $body
            [$($extract)* $crate::handlers::rt::Path(id): $crate::handlers::rt::Path<$crate::handlers::rt::RecordId>,]
            [$($call)* &id,] $($($rest)*)?);
    };
    (@args $how:tt $meta:tt [$($param:tt)*] $body:tt [$($extract:tt)*] [$($call:tt)*] path $key:tt $desc:tt $(, $($rest:tt)*)?) => {
        $crate::handlers!(@args $how $meta [$($param)* ($key = String, Path, description = $desc),] $body
            [$($extract)* $crate::handlers::rt::Path(id): $crate::handlers::rt::Path<$crate::handlers::rt::RecordId>,]
            [$($call)* &id,] $($($rest)*)?);
    };
    (@args $how:tt $meta:tt [$($param:tt)*] $body:tt [$($extract:tt)*] [$($call:tt)*] query $filter:ident $(, $($rest:tt)*)?) => {
        $crate::handlers!(@args $how $meta [$($param)* $filter,] $body
            [$($extract)* $crate::handlers::rt::Query(query): $crate::handlers::rt::Query<$filter>,]
            [$($call)* &query,] $($($rest)*)?);
    };
    (@args $how:tt $meta:tt [$($param:tt)*] $body:tt [$($extract:tt)*] [$($call:tt)*] page $(, $($rest:tt)*)?) => {
        $crate::handlers!(@args $how $meta [$($param)* $crate::handlers::rt::PageParams,] $body
            [$($extract)* $crate::handlers::rt::Query(page): $crate::handlers::rt::Query<$crate::handlers::rt::PageParams>,]
            [$($call)* &page,] $($($rest)*)?);
    };
    (@args $how:tt $meta:tt $param:tt [] [$($extract:tt)*] [$($call:tt)*] body $input:ident $(, $($rest:tt)*)?) => {
        $crate::handlers!(@args $how $meta $param [request_body = $input,]
            [$($extract)* $crate::handlers::rt::Json(body): $crate::handlers::rt::Json<$input>,]
            [$($call)* body,] $($($rest)*)?);
    };
    (@args $how:tt $meta:tt [] $body:tt $extract:tt $call:tt) => {
        $crate::handlers!(@route $how $meta [] $body $extract $call);
    };
    (@args $how:tt $meta:tt [$($param:tt)+] $body:tt $extract:tt $call:tt) => {
        $crate::handlers!(@route $how $meta [params($($param)+),] $body $extract $call);
    };

    (@route [$method:ident, $success:tt, $respond:ident, $ret:ty]
        { $doc:tt $name:ident $path:tt $tag:tt $session:ident [$($code:tt)*] $service:path [$($with:tt)*] }
        [$($params:tt)*] [$($body:tt)*] [$($extract:tt)*] [$($call:tt)*]) => {
        $crate::handlers!(@fn $doc [$method, path = $path, tag = $tag, $($params)* $($body)*
            responses($success $(, (status = $code, body = $crate::handlers::rt::ErrorBody))*)]
            $name [
                $crate::handlers::rt::State(state): $crate::handlers::rt::State<$crate::handlers::rt::AppState>,
                session: $session,
                $($extract)*
            ] $ret,
            { $crate::handlers::$respond($service(&state, $($with)* &session, $($call)*)).await });
    };

    // One handler. Its parameters and its body are written by the same rule
    // (hygiene: a binding is seen only by code of the expansion that made it).
    (@fn [$($doc:tt)*] [$($attr:tt)*] $name:ident [$($param:tt)*] $ret:ty, $body:block) => {
        $(#[doc = $doc])*
        #[utoipa::path($($attr)*, security(("bearer" = [])))]
        async fn $name($($param)*) -> $crate::handlers::rt::ApiResult<$ret> $body
    };
}

/// `reply` under the name the table's 200 lines use.
pub use crate::reply::reply;

#[cfg(test)]
mod tests {
    use axum::extract::FromRequestParts;
    use axum::http::request::Parts;
    use serde::{Deserialize, Serialize};
    use utoipa::{IntoParams, ToSchema};
    use vslc_ports::{AppState, DomainError};

    use crate::{ApiError, PageParams, Paged};

    /// The caller, as an area's session extractor would give it.
    #[derive(Clone)]
    struct Session;

    impl Session {
        fn writer(&self) -> Result<(), ApiError> {
            Ok(())
        }
    }

    impl FromRequestParts<AppState> for Session {
        type Rejection = ApiError;
        async fn from_request_parts(_: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
            Ok(Session)
        }
    }

    #[derive(Serialize, ToSchema)]
    struct Thing {
        id: String,
    }

    #[derive(Deserialize, ToSchema)]
    struct ThingInput {
        name: String,
    }

    #[derive(Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    struct ThingFilter {
        #[allow(dead_code)]
        name: Option<String>,
    }

    mod service {
        use super::*;
        use vslc_ports::domain::RecordId;

        pub async fn list(
            _: &AppState,
            _: &Session,
            _: &ThingFilter,
            _: &PageParams,
        ) -> Result<Paged<Thing>, DomainError> {
            Err(DomainError::not_found("物品"))
        }
        pub async fn create(
            _: &AppState,
            _: &Session,
            t: ThingInput,
        ) -> Result<Thing, DomainError> {
            Ok(Thing { id: t.name })
        }
        pub async fn edit(
            _: &AppState,
            _: &Session,
            id: &RecordId,
            _: ThingInput,
        ) -> Result<Thing, DomainError> {
            Ok(Thing { id: id.to_string() })
        }
        pub async fn delete(_: &AppState, _: &Session, _: &str) -> Result<(), DomainError> {
            Ok(())
        }
    }

    crate::handlers! {
        tag = "things", session = Session;
        /// 物品列表.
        get list "" (query ThingFilter, page) -> Paged<Thing> [403] => service::list;
        /// 新增物品.
        create create "" (body ThingInput) -> Thing [400, 409] => service::create;
        /// 编辑物品.
        put edit "/{id}" (id, body ThingInput) -> Thing [400, 404, 409] => service::edit;
        /// 删除物品.
        delete delete "/{id}" (path "id" "物品编号") [404] => service::delete;
        /// 批量删除物品.
        batch batch_delete "/batch-delete" (writer) [400] => service::delete;
    }

    fn operation(api: &utoipa::openapi::OpenApi, path: &str, method: &str) -> serde_json::Value {
        let doc = serde_json::to_value(api).unwrap();
        doc["paths"][path][method].clone()
    }

    #[test]
    fn each_line_is_a_documented_route() {
        let (_, api) = handlers().split_for_parts();
        let list = operation(&api, "", "get");
        assert_eq!(list["summary"], "物品列表.");
        let params: Vec<_> = list["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(params, ["name", "page", "pageSize"]);
        let codes = |op: &serde_json::Value| {
            let mut c: Vec<String> = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            c.sort();
            c
        };
        assert_eq!(codes(&list), ["200", "403"]);
        let create = operation(&api, "", "post");
        assert_eq!(codes(&create), ["201", "400", "409"]);
        assert!(create["requestBody"].is_object());
        assert_eq!(
            codes(&operation(&api, "/{id}", "put")),
            ["200", "400", "404", "409"]
        );
        let delete = operation(&api, "/{id}", "delete");
        assert_eq!(codes(&delete), ["204", "404"]);
        assert_eq!(delete["parameters"][0]["description"], "物品编号");
        let batch = operation(&api, "/batch-delete", "post");
        assert_eq!(codes(&batch), ["200", "400"]);
        assert!(batch["security"].is_array());
    }
}
