//! Exports (批量导出): an xlsx written to the documents store and handed
//! out as a signed, expiring download URL, and recorded in the 操作日志.

use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use serde::Serialize;
use utoipa::ToSchema;

use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::tenant::Tenant;

use crate::xlsx::{XLSX_CONTENT_TYPE, safe_text};

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

/// One cell of an export row. Quantities (座位数, 人数, 费用) are numbers a
/// spreadsheet can sum; everything else — names, ID numbers, phone numbers,
/// codes, 考生编号, years — stays text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// 分, written as 元 with two decimals.
    Money(u64),
    Empty,
}

impl Cell {
    /// A count or other whole quantity.
    pub fn count(n: impl Into<u64>) -> Self {
        Cell::Number(n.into() as f64)
    }

    /// Several values in one text cell, joined with `、` (a room's 考试科目).
    pub fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Self {
        let items: Vec<S> = items.into_iter().collect();
        let texts: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
        Cell::Text(texts.join("、"))
    }

    /// An optional quantity: empty when absent.
    pub fn count_or_empty(n: Option<impl Into<u64>>) -> Self {
        n.map_or(Cell::Empty, Cell::count)
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

/// Writes one cell: text formula-escaped, numbers as numbers, empty text
/// and `Empty` left empty.
pub fn write_cell(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
) -> anyhow::Result<()> {
    match cell {
        Cell::Text(v) if v.is_empty() => {}
        Cell::Text(v) => {
            ws.write_string(row, col, safe_text(v))?;
        }
        Cell::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Money(cents) => {
            let money = Format::new().set_num_format("0.00");
            ws.write_number_with_format(row, col, *cents as f64 / 100.0, &money)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// A one-sheet workbook (constant memory; formula-like text escaped;
/// quantities as numbers; empty cells left empty).
pub fn sheet(title: &str, headers: &[&str], rows: &[Vec<Cell>]) -> anyhow::Result<Vec<u8>> {
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
            write_cell(ws, r as u32 + 1, col as u16, v)?;
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
) -> Result<ExportFile, DomainError> {
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
    vslc_audit::record::exported(state, stem, title, rows, &key).await;
    Ok(ExportFile {
        url,
        file_name,
        rows,
    })
}

/// A one-sheet workbook written on a blocking thread: an export's rows
/// may be many, and the writing is all CPU.
pub async fn sheet_off_thread(
    title: &'static str,
    headers: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
) -> Result<Vec<u8>, DomainError> {
    tokio::task::spawn_blocking(move || sheet(title, headers, &rows))
        .await
        .map_err(DomainError::internal)?
        .map_err(DomainError::internal)
}

/// 批量导出 of one sheet titled `title`: the rows written (off the async
/// threads), stored and handed out as a download link, like every export.
pub async fn deliver_sheet(
    state: &AppState,
    tenant: &Tenant,
    stem: &str,
    title: &'static str,
    headers: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
) -> Result<ExportFile, DomainError> {
    let count = rows.len();
    let bytes = sheet_off_thread(title, headers, rows).await?;
    deliver(state, tenant, stem, title, count, bytes).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sheets_are_written_off_thread() {
        let rows = vec![vec![Cell::from("=1+1"), Cell::count(3u32), Cell::Empty]];
        let bytes = sheet_off_thread("考场信息", &["名称", "座位数", "备注"], rows)
            .await
            .unwrap();
        let read = crate::xlsx::read_first_sheet(&bytes).unwrap();
        assert_eq!(read[0], ["名称", "座位数", "备注"]);
        assert_eq!(read[1][..2], ["'=1+1", "3"]);
    }

    #[test]
    fn lists_share_one_cell() {
        assert_eq!(
            Cell::list(["1 甲", "2 乙"]),
            Cell::Text("1 甲、2 乙".into())
        );
        assert_eq!(Cell::list(Vec::<String>::new()), Cell::Text(String::new()));
    }
}
