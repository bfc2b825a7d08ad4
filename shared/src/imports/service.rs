//! What the `/api/imports` area does, independent of HTTP.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::record::{ImportRecord, ImportStatus};
use super::{ImportKind, Registry};
use crate::accounts::Session;
use crate::http::ApiError;
use crate::state::AppState;

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
    session: &Session,
    name: &str,
) -> Result<&'r std::sync::Arc<dyn ImportKind>, ApiError> {
    let kind = registry.get(name).ok_or_else(|| {
        ApiError::invalid("UNKNOWN_IMPORT_TYPE", format!("不支持的导入类型：{name}"))
    })?;
    if !kind.tenants().contains(&session.tenant.kind) {
        return Err(ApiError::forbidden(format!(
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
    session: &Session,
    name: &str,
    params: &serde_json::Value,
) -> Result<(Vec<u8>, String), ApiError> {
    let kind = kind_for(registry, session, name)?;
    kind.check_params(params)
        .map_err(|m| ApiError::invalid("BAD_PARAMS", m))?;
    let choices = kind.choices(state, &session.tenant, params).await?;
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
    session: &Session,
    req: NewImport,
) -> Result<CreatedImport, ApiError> {
    let kind = kind_for(registry, session, &req.kind)?;
    let file_name = req.file_name.trim();
    if file_name.is_empty() || file_name.chars().count() > MAX_FILE_NAME {
        return Err(ApiError::invalid(
            "BAD_FILE_NAME",
            "文件名不能为空且不超过200个字符",
        ));
    }
    let file_type = kind.file_type();
    if !file_name
        .to_lowercase()
        .ends_with(&format!(".{}", file_type.extension()))
    {
        return Err(ApiError::invalid(
            "BAD_FILE_TYPE",
            match file_type {
                super::FileType::Xlsx => "请上传 .xlsx 格式的文件（可先下载模板）",
                super::FileType::Zip => "请上传 .zip 格式的压缩包",
            },
        ));
    }
    kind.check_params(&req.params)
        .map_err(|m| ApiError::invalid("BAD_PARAMS", m))?;
    let id = ulid::Ulid::new().to_string();
    let upload_key = ImportRecord::upload_key_for(&session.tenant, &id, file_type.extension());
    let record = ImportRecord {
        id: id.clone(),
        kind: kind.name().into(),
        tenant: session.tenant.clone(),
        file_name: file_name.into(),
        upload_key: upload_key.clone(),
        params: req.params,
        dry_run: req.dry_run,
        status: ImportStatus::Queued,
        total: 0,
        success: 0,
        failed: 0,
        progress: 0,
        message: None,
        failed_rows_key: None,
        created_by: session.user_id.clone(),
        created_by_name: session.name.clone(),
        created_at: state.clock.now_text(),
        finished_at: None,
        attempts: 0,
        version: 1,
    };
    record.create(state.table.as_ref()).await?;
    let upload_url = state
        .uploads
        .upload_url(&upload_key, file_type.content_type(), state.config.url_ttl)
        .await?;
    Ok(CreatedImport {
        id,
        upload_url,
        content_type: file_type.content_type().into(),
    })
}

/// One record as the API shows it, with a fresh failed-rows link.
pub async fn view(
    state: &AppState,
    registry: &Registry,
    record: ImportRecord,
) -> Result<ImportView, ApiError> {
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

/// The session's own record; another tenant's looks missing.
pub async fn get(state: &AppState, session: &Session, id: &str) -> Result<ImportRecord, ApiError> {
    ImportRecord::load(state.table.as_ref(), &session.tenant, id)
        .await?
        .ok_or_else(|| ApiError::not_found("导入记录"))
}
