//! `/api/imports` — 批量导入: templates, upload URLs and 导入记录
//! (PLATFORM.md §5). The work itself is done by `import-worker`.

use std::sync::LazyLock;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_http::{
    ApiError, ApiResult, Area, AreaRouter, ErrorBody, Json, PageParams, Paged, Path, Query,
};
use vslc_imports::service::{self, CreatedImport, ImportView, NewImport};
use vslc_imports::xlsx::XLSX_CONTENT_TYPE;
use vslc_imports::{ImportRecord, Registry};
use vslc_ports::AppState;
use vslc_ports::blobs::content_disposition;
use vslc_ports::domain::RecordId;

pub const AREA: Area = Area::new("imports", "/api/imports", "批量导入");

static KINDS: LazyLock<Registry> = LazyLock::new(vslc_app::import_kinds);

pub fn routes() -> AreaRouter {
    AreaRouter::new()
        .routes(routes!(template))
        .routes(routes!(create, list))
        .routes(routes!(get_one))
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

/// 新建导入: returns the URL to PUT the file to.
#[utoipa::path(post, path = "", tag = "imports", request_body = NewImport,
    responses((status = 201, body = CreatedImport), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<NewImport>,
) -> ApiResult<(StatusCode, axum::Json<CreatedImport>)> {
    let created = service::create(&state, &KINDS, &session, req).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListFilter {
    /// Only this import type.
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// 导入记录, newest first.
#[utoipa::path(get, path = "", tag = "imports", params(ListFilter, PageParams),
    responses((status = 200, body = Paged<ImportView>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(filter): Query<ListFilter>,
    Query(page): Query<PageParams>,
) -> ApiResult<axum::Json<Paged<ImportView>>> {
    let mut all = ImportRecord::list(state.table.as_ref(), &session.tenant).await?;
    // A type and its former names are one type.
    let canonical = |name: &str| KINDS.get(name).map_or(name.to_owned(), |k| k.name().into());
    let wanted = filter.kind.as_deref().map(canonical);
    all.retain(|r| vslc_http::filter::exact(&canonical(&r.kind), wanted.as_deref()));
    let page = Paged::of(all, &page)?;
    let mut items = Vec::with_capacity(page.items.len());
    for r in page.items {
        items.push(service::view(&state, &KINDS, r).await?);
    }
    audit_failed_rows(&state, &session, &items).await;
    Ok(axum::Json(Paged {
        items,
        total: page.total,
        page: page.page,
        page_size: page.page_size,
    }))
}

/// One import: status, counts, progress, failed-rows link.
#[utoipa::path(get, path = "/{id}", tag = "imports", params(("id" = String, Path)),
    responses((status = 200, body = ImportView), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RecordId>,
) -> ApiResult<axum::Json<ImportView>> {
    let record = service::get(&state, &session, &id).await?;
    let view = service::view(&state, &KINDS, record).await?;
    audit_failed_rows(&state, &session, std::slice::from_ref(&view)).await;
    Ok(axum::Json(view))
}

/// The failed-rows links handed out (personal data) go to the 操作日志.
async fn audit_failed_rows(state: &AppState, session: &Session, views: &[ImportView]) {
    let ids: Vec<&str> = views
        .iter()
        .filter(|v| v.failed_rows_url.is_some())
        .map(|v| v.id.as_str())
        .collect();
    vslc_audit::record::links_handed_out(
        state,
        session,
        ("import.failed_rows", "下载导入失败数据"),
        "import",
        &ids,
    )
    .await;
}
