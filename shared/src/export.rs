//! Exports (批量导出): an xlsx written to the documents store and handed
//! out as a signed, expiring download URL, and recorded in the 操作日志.

use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::Tenant;
use crate::http::ApiError;
use crate::imports::xlsx::{XLSX_CONTENT_TYPE, safe_text};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportFile {
    pub url: String,
    pub file_name: String,
    pub rows: usize,
}

/// The header format of every export.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#DDEBF7")
}

/// A one-sheet workbook of text cells (constant memory; formula-like text
/// escaped; empty cells left empty).
pub fn sheet(title: &str, headers: &[&str], rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let head = header_format();
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(title)?;
    for (i, h) in headers.iter().enumerate() {
        ws.set_column_width(i as u16, (h.chars().count() as f64 * 2.2 + 6.0).max(14.0))?;
        ws.write_string_with_format(0, i as u16, *h, &head)?;
    }
    for (r, cells) in rows.iter().enumerate() {
        for (col, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, col as u16, safe_text(v))?;
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// Stores a finished workbook and returns its download link, named
/// `<标题>_<时间>.xlsx`.
pub async fn deliver(
    state: &AppState,
    tenant: &Tenant,
    stem: &str,
    title: &str,
    rows: usize,
    bytes: Vec<u8>,
) -> Result<ExportFile, ApiError> {
    let stamp = state.clock.now_cst().format("%Y%m%d%H%M%S").to_string();
    let key = format!(
        "exports/{}/{stem}-{}.xlsx",
        tenant.path(),
        ulid::Ulid::new()
    );
    state.documents.put(&key, bytes, XLSX_CONTENT_TYPE).await?;
    let file_name = format!("{title}_{stamp}.xlsx");
    let url = state
        .documents
        .download_url(&key, Some(&file_name), state.config.url_ttl)
        .await?;
    // Every export of personal data passes here: one 操作日志 entry each.
    crate::audit::record::exported(state, stem, title, rows, &key).await;
    Ok(ExportFile {
        url,
        file_name,
        rows,
    })
}
