//! What the `/api/imports` area does, independent of HTTP.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_http::{CursorPage, CursorParams};
use vslc_ports::Caller;

use super::record::{ImportRecord, ImportStatus};
use super::{ImportKind, Registry};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::keyset;
use vslc_ports::table::Update;

/// `POST /api/imports` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewImport {
    /// Import type (`candidates`, `rooms`, … `demo-notes`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The file's name as the user picked it (shown in 导入记录).
    pub file_name: String,
    /// Type-specific choices (plan, certificate, candidate kind).
    #[serde(default)]
    pub params: serde_json::Value,
    /// 校验: check every row, save nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The file's size in bytes, when the client knows it: a file over the
    /// type's limit is refused here, before anything is uploaded.
    #[serde(default)]
    pub size: Option<u64>,
}

/// Where to PUT the file.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedImport {
    pub id: String,
    pub upload_url: String,
    /// The `Content-Type` the PUT must carry.
    pub content_type: String,
}

/// An import record as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub type_title: String,
    pub file_name: String,
    pub status: ImportStatus,
    pub dry_run: bool,
    pub total: usize,
    pub success: usize,
    pub failed: usize,
    pub progress: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Download of the failed rows with 失败原因 (short-lived link).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_rows_url: Option<String>,
    pub created_by_name: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
}

const MAX_FILE_NAME: usize = 200;

fn kind_for<'r>(
    registry: &'r Registry,
    caller: &Caller,
    name: &str,
) -> Result<&'r std::sync::Arc<dyn ImportKind>, DomainError> {
    let kind = registry.get(name).ok_or_else(|| {
        DomainError::invalid("UNKNOWN_IMPORT_TYPE", format!("不支持的导入类型：{name}"))
    })?;
    if !kind.tenants().contains(&caller.tenant.kind) {
        return Err(DomainError::forbidden(format!(
            "当前账号不能使用“{}”导入",
            kind.title()
        )));
    }
    Ok(kind)
}

/// The template workbook of a type, with its download file name; `params`
/// shape it (e.g. `kind` of candidates) and the tenant fills its dropdowns.
pub async fn template(
    state: &AppState,
    registry: &Registry,
    caller: &Caller,
    name: &str,
    params: &serde_json::Value,
) -> Result<(Vec<u8>, String), DomainError> {
    let kind = kind_for(registry, caller, name)?;
    kind.check_params(params)
        .map_err(|m| DomainError::invalid("BAD_PARAMS", m))?;
    let choices = kind.choices(state, &caller.tenant, params).await?;
    let mut columns = kind.columns(params);
    for c in &mut columns {
        if let Some(values) = choices.get(c.header).filter(|v| !v.is_empty()) {
            c.choices = Some(values.clone());
        }
    }
    let bytes = super::xlsx::template(
        kind.title(),
        &columns,
        &kind.sample(params),
        &kind.instructions(params),
    )?;
    Ok((bytes, format!("{}模板.xlsx", kind.title())))
}

/// Creates the record (排队中) and the upload URL.
pub async fn create(
    state: &AppState,
    registry: &Registry,
    caller: &Caller,
    req: NewImport,
) -> Result<CreatedImport, DomainError> {
    let kind = kind_for(registry, caller, &req.kind)?;
    let file_name = req.file_name.trim();
    if file_name.is_empty() || file_name.chars().count() > MAX_FILE_NAME {
        return Err(DomainError::invalid(
            "BAD_FILE_NAME",
            "文件名不能为空且不超过200个字符",
        ));
    }
    let file_type = kind.file_type();
    if !file_name
        .to_lowercase()
        .ends_with(&format!(".{}", file_type.extension()))
    {
        return Err(DomainError::invalid(
            "BAD_FILE_TYPE",
            match file_type {
                super::FileType::Xlsx => "请上传 .xlsx 格式的文件（可先下载模板）",
                super::FileType::Zip => "请上传 .zip 格式的压缩包",
            },
        ));
    }
    kind.check_params(&req.params)
        .map_err(|m| DomainError::invalid("BAD_PARAMS", m))?;
    let limit = super::worker::max_upload_bytes(file_type);
    if req.size.is_some_and(|size| size > limit) {
        return Err(DomainError::invalid(
            "FILE_TOO_LARGE",
            format!(
                "文件超过 {}MB 的上限，请拆分后分批导入",
                limit / (1024 * 1024)
            ),
        ));
    }
    let record = ImportRecord {
        file_name: file_name.into(),
        params: req.params,
        dry_run: req.dry_run,
        created_by: caller.user_id.clone(),
        created_by_name: caller.name.clone(),
        created_at: state.clock.now_text(),
        ..ImportRecord::queued(kind.name(), &caller.tenant, file_type.extension())
    };
    record.create(state.table.as_ref()).await?;
    let upload_url = state
        .uploads
        .upload_url(
            &record.upload_key,
            file_type.content_type(),
            state.config.url_ttl,
        )
        .await?;
    Ok(CreatedImport {
        id: record.id,
        upload_url,
        content_type: file_type.content_type().into(),
    })
}

/// An import whose file never arrived: the upload link expired unused, or
/// the upload was refused (over the size limit) or broken off.
const NEVER_UPLOADED: &str = "未收到上传的文件（文件可能超过大小限制，或上传中断），请重新导入";

/// Ends an import still 排队中 after its upload link expired: no file will
/// come, and the record must not wait forever.
async fn expire_if_stale(state: &AppState, record: &mut ImportRecord) -> Result<(), DomainError> {
    if record.status != ImportStatus::Queued {
        return Ok(());
    }
    let Ok(created) =
        chrono::NaiveDateTime::parse_from_str(&record.created_at, vslc_ports::clock::TIME_FORMAT)
    else {
        return Ok(());
    };
    let grace = chrono::Duration::from_std(state.config.url_ttl).unwrap_or_default()
        + chrono::Duration::minutes(5);
    if state.clock.now_local() < created + grace {
        return Ok(());
    }
    let update = Update::new()
        .set("status", ImportStatus::Failed.label())
        .set("message", NEVER_UPLOADED)
        .set("progress", 100)
        .set("finishedAt", state.clock.now_text());
    match record.save_if_unchanged(state.table.as_ref(), update).await {
        // A worker picked it up meanwhile: show it as it is now.
        Err(e) if e.is_conflict() => {
            if let Some(now) =
                ImportRecord::load(state.table.as_ref(), &record.tenant, &record.id).await?
            {
                *record = now;
            }
            Ok(())
        }
        other => Ok(other?),
    }
}

/// One record as the API shows it, with a fresh failed-rows link.
pub async fn view(
    state: &AppState,
    registry: &Registry,
    mut record: ImportRecord,
) -> Result<ImportView, DomainError> {
    expire_if_stale(state, &mut record).await?;
    let failed_rows_url = match &record.failed_rows_key {
        Some(key) => {
            let name = format!(
                "{}_失败数据.xlsx",
                record.file_name.trim_end_matches(".xlsx")
            );
            Some(
                state
                    .documents
                    .download_url(key, Some(&name), state.config.url_ttl)
                    .await?,
            )
        }
        None => None,
    };
    Ok(ImportView {
        type_title: registry
            .get(&record.kind)
            .map_or_else(|| record.kind.clone(), |k| k.title().to_owned()),
        id: record.id,
        kind: record.kind,
        file_name: record.file_name,
        status: record.status,
        dry_run: record.dry_run,
        total: record.total,
        success: record.success,
        failed: record.failed,
        progress: record.progress,
        message: record.message,
        failed_rows_url,
        created_by_name: record.created_by_name,
        created_at: record.created_at,
        finished_at: record.finished_at,
    })
}

/// The caller's own record; another tenant's looks missing.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<ImportRecord, DomainError> {
    ImportRecord::load(state.table.as_ref(), &caller.tenant, id)
        .await?
        .ok_or_else(|| DomainError::not_found("导入记录"))
}

/// The 导入记录 list's filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Only this import type.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// 导入记录, newest first, by keyset cursor. A type and its former names
/// are one type (applied to the records read).
pub async fn list(
    state: &AppState,
    registry: &Registry,
    caller: &Caller,
    filter: &ListFilter,
    paging: &CursorParams,
) -> Result<CursorPage<ImportView>, DomainError> {
    let canonical = |name: &str| {
        registry
            .get(name)
            .map_or(name.to_owned(), |k| k.name().into())
    };
    let wanted = filter.kind.as_deref().map(canonical);
    let (records, next_cursor) = keyset::scan(
        state.table.as_ref(),
        ImportRecord::newest_first(&caller.tenant),
        paging.cursor.as_deref(),
        paging.size()?,
        |r: &ImportRecord| vslc_http::filter::exact(&canonical(&r.kind), wanted.as_deref()),
    )
    .await?;
    let mut items = Vec::with_capacity(records.len());
    for r in records {
        items.push(view(state, registry, r).await?);
    }
    audit_failed_rows(state, caller, &items).await;
    Ok(CursorPage {
        items,
        total: None,
        next_cursor,
    })
}

/// One import as the API shows it: status, counts, progress, failed-rows link.
pub async fn show(
    state: &AppState,
    registry: &Registry,
    caller: &Caller,
    id: &str,
) -> Result<ImportView, DomainError> {
    let view = view(state, registry, get(state, caller, id).await?).await?;
    audit_failed_rows(state, caller, std::slice::from_ref(&view)).await;
    Ok(view)
}

/// The failed-rows links handed out (personal data) go to the 操作日志.
async fn audit_failed_rows(state: &AppState, caller: &Caller, views: &[ImportView]) {
    let ids: Vec<&str> = views
        .iter()
        .filter(|v| v.failed_rows_url.is_some())
        .map(|v| v.id.as_str())
        .collect();
    vslc_audit::record::links_handed_out(
        state,
        caller,
        ("import.failed_rows", "下载导入失败数据"),
        "import",
        &ids,
    )
    .await;
}
