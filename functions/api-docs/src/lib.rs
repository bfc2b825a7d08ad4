//! The API catalogue: every area, and the OpenAPI 3.1 document generated
//! from their routes, served at `/api/openapi.json`.

pub mod areas;

use axum::Router;
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder, Tag};

pub const OPENAPI_PATH: &str = "/api/openapi.json";

/// The document of every area's routes.
pub fn openapi() -> OpenApi {
    let mut doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("vslc — 职业技能等级证书信息管理服务平台 API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some("Errors answer {code, message}: a stable English code and a Chinese message. Lists take page and pageSize and answer {items, total, page, pageSize}."))
                .build(),
        )
        .build();
    let mut tags = Vec::new();
    for (a, routes) in areas::all() {
        let (_, mut api) = vslc_audit::router::mount(a, routes()).split_for_parts();
        prefix_operation_ids(&mut api, a.name);
        doc.merge(api);
        let mut tag = Tag::new(a.name);
        tag.description = Some(format!("{} ({})", a.title, a.prefix));
        tags.push(tag);
    }
    doc.tags = Some(tags);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    document_errors(&mut doc);
    doc
}

/// The error answers every operation of a kind can give, added where its
/// own annotation does not name them, so that the document lists every
/// status the API answers: 400 (a parameter or body that does not parse),
/// 401 and 403 (operations behind a session), 404 (a record named in the
/// request: missing, or another tenant's), 409 (a write that loses to a
/// concurrent one or meets a state that forbids it) and 413 (a body over
/// the limit).
fn document_errors(doc: &mut OpenApi) {
    use utoipa::openapi::path::{HttpMethod, ParameterIn};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| -> RefOr<utoipa::openapi::Response> {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for item in doc.paths.paths.values_mut() {
        let ops = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Delete, &mut item.delete),
            (HttpMethod::Patch, &mut item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op.as_mut() else { continue };
            let params: Vec<_> = op
                .parameters
                .iter()
                .flatten()
                .filter_map(|p| match p {
                    RefOr::T(p) => Some(p.parameter_in.clone()),
                    RefOr::Ref(_) => None,
                })
                .collect();
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let body = op.request_body.is_some();
            let writes = method != HttpMethod::Get;
            let mut wanted = Vec::new();
            if body || !params.is_empty() {
                wanted.push(("400", "请求参数或内容有误"));
            }
            if secured {
                wanted.push(("401", "未登录或登录已失效"));
                wanted.push(("403", "无权进行此操作"));
            }
            // A record named in the path, the query or the body may be
            // missing or another tenant's.
            if params.contains(&ParameterIn::Path) || (secured && (body || !params.is_empty())) {
                wanted.push(("404", "记录不存在或无权访问"));
            }
            if secured && writes {
                wanted.push(("409", "记录状态不允许此操作，或已被他人修改"));
            }
            if body {
                wanted.push(("413", "请求内容过大"));
            }
            for (status, description) in wanted {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description));
            }
        }
    }
}

/// Schema names two areas define differently. Merging keeps one of them,
/// so the other area's document (and the web client typed from it) would
/// silently describe the wrong shape; the API tests require none.
pub fn schema_collisions() -> Vec<String> {
    let mut seen: std::collections::BTreeMap<String, (&str, serde_json::Value)> =
        Default::default();
    let mut clashes = Vec::new();
    for (a, routes) in areas::all() {
        let (_, api) = vslc_audit::router::mount(a, routes()).split_for_parts();
        let Some(components) = api.components else {
            continue;
        };
        for (name, schema) in components.schemas {
            let json = serde_json::to_value(&schema).expect("schemas serialise");
            match seen.get(&name) {
                Some((other, known)) if *known != json => {
                    clashes.push(format!("{name}: {other} and {}", a.name));
                }
                Some(_) => {}
                None => {
                    seen.insert(name, (a.name, json));
                }
            }
        }
    }
    clashes
}

/// Operation ids are unique across the document: `<area>_<handler>`.
fn prefix_operation_ids(api: &mut OpenApi, area: &str) {
    for item in api.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for op in ops.into_iter().flatten() {
            if let Some(id) = op.operation_id.as_mut() {
                *id = format!("{}_{id}", area.replace('-', "_"));
            }
        }
    }
}

/// The document as pretty JSON (what `web/openapi.json` holds).
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&openapi()).expect("the OpenAPI document serialises")
}

/// A router answering `GET /api/openapi.json`.
pub fn router() -> Router {
    let json = serde_json::to_string(&openapi()).expect("the OpenAPI document serialises");
    Router::new().route(
        OPENAPI_PATH,
        get(move || {
            let json = json.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    json,
                )
            }
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn document_covers_every_area_with_unique_operation_ids() {
        let doc = super::openapi();
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["openapi"], "3.1.0");
        for (a, _) in super::areas::all() {
            let health = format!("{}/health", a.prefix);
            assert!(
                doc.paths.paths.contains_key(&health),
                "{health} missing from the document"
            );
        }
        let committed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../web/openapi.json"
        ))
        .unwrap_or_default();
        assert!(
            committed.trim() == super::openapi_json().trim(),
            "web/openapi.json is stale: run `cargo run -q -p vslc-local -- --print-openapi > web/openapi.json && (cd web && npm run gen:api)`"
        );
        // Every $ref resolves to a schema in the document.
        let text = serde_json::to_string(&json).unwrap();
        let schemas = json["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(
                schemas.contains_key(name),
                "schema {name} is referenced but not in the document"
            );
        }
        let mut seen = HashSet::new();
        for item in doc.paths.paths.values() {
            for op in [&item.get, &item.put, &item.post, &item.delete, &item.patch]
                .into_iter()
                .flatten()
            {
                let id = op.operation_id.clone().unwrap();
                assert!(seen.insert(id.clone()), "operation id {id} repeats");
            }
        }
    }
}
