//! `/api/imports` — 批量导入: templates, upload URLs and 导入记录
//! (PLATFORM.md §5). The work itself is done by `import-worker`.

use std::sync::LazyLock;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_http::{
    ApiError, ApiResult, Area, AreaRouter, CursorPage, CursorParams, ErrorBody, Path, Query,
};
use vslc_imports::Registry;
use vslc_imports::service::{self, CreatedImport, ImportView, ListFilter, NewImport};
use vslc_imports::xlsx::XLSX_CONTENT_TYPE;
use vslc_ports::AppState;
use vslc_ports::blobs::content_disposition;

pub const AREA: Area = Area::new("imports", "/api/imports", "批量导入");

static KINDS: LazyLock<Registry> = LazyLock::new(vslc_app::import_kinds);

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(template))
}

vslc_http::handlers! {
    tag = "imports", session = Session;
    /// 新建导入: returns the URL to PUT the file to.
    create create "" (body NewImport) -> CreatedImport [400] => service::create [&KINDS];
    /// 导入记录, newest first, by keyset cursor.
    get list "" (query ListFilter, query CursorParams) -> CursorPage<ImportView> [400] => service::list [&KINDS];
    /// One import: status, counts, progress, failed-rows link.
    get get_one "/{id}" (id) -> ImportView [404] => service::show [&KINDS];
}

/// 下载模板.
#[utoipa::path(get, path = "/templates/{type}", tag = "imports",
    params(("type" = String, Path, description = "import type"), ("kind" = Option<String>, Query, description = "candidates: school | social"), ("planId" = Option<String>, Query, description = "rooms: 考试计划 id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
async fn template(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    Query(params): Query<std::collections::BTreeMap<String, String>>,
) -> ApiResult<Response> {
    let params = serde_json::to_value(params).map_err(ApiError::internal)?;
    let (bytes, file_name) = service::template(&state, &KINDS, &session, &kind, &params).await?;
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(XLSX_CONTENT_TYPE),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
