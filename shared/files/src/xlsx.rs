//! Reading uploaded workbooks (calamine) and writing templates and
//! failed-row files (rust_xlsxwriter). Every cell is written as text, so
//! ID numbers keep their digits and nothing is ever evaluated as a formula.

use std::io::Cursor;

use anyhow::Context;
use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, Formula, Workbook, Worksheet};

use crate::xlsx_guard::{Limits, Refused, inspect};

/// A column of an import template.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: &'static str,
    pub required: bool,
    /// Shown as a note on the header cell.
    pub hint: &'static str,
    /// Closed value set: a dropdown in the template.
    pub choices: Option<Vec<String>>,
}

impl Column {
    pub const fn required(header: &'static str, hint: &'static str) -> Self {
        Self {
            header,
            required: true,
            hint,
            choices: None,
        }
    }
    pub const fn optional(header: &'static str, hint: &'static str) -> Self {
        Self {
            header,
            required: false,
            hint,
            choices: None,
        }
    }

    /// The header cell's text: `*` before a required column's name.
    pub fn label(&self) -> String {
        if self.required {
            format!("*{}", self.header)
        } else {
            self.header.to_owned()
        }
    }
}

pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Text that a spreadsheet would run as a formula gets a leading `'`
/// (`=`, `+`, `-`, `@`, tab, CR): exports never carry live formulas.
pub fn safe_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// Excel serial day number → `YYYY-MM-DD` (`HH:MM:SS` when it has a time).
fn excel_date(serial: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    let days = serial.floor() as i64;
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    let Some(date) = base.checked_add_signed(chrono::Duration::days(days)) else {
        return serial.to_string();
    };
    if secs == 0 {
        date.format("%Y-%m-%d").to_string()
    } else {
        let t = date.and_hms_opt(0, 0, 0).expect("midnight") + chrono::Duration::seconds(secs);
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// A cell as the text a person typed: integers without `.0`, dates as dates.
fn ref_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_owned(),
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(dt) => excel_date(dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn bool_text(b: bool) -> String {
    if b { "是" } else { "否" }.to_owned()
}

/// Cells past this column are ignored: no template is that wide, and a
/// stray cell in column XFD must not widen every row.
pub const MAX_COLUMNS: u32 = 256;

/// Rows of a sheet: each its row number as Excel shows it (1-based) and its
/// cells from column A. Rows without any text are left out.
pub type SheetRows = Vec<(usize, Vec<String>)>;

/// Why a sheet could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// The gate refused the file; the message is for the uploader.
    #[error("{0}")]
    Refused(#[from] Refused),
    /// calamine could not read it.
    #[error("unreadable workbook: {0:#}")]
    Unreadable(anyhow::Error),
}

/// Streams the first sheet in chunks of up to `chunk` rows without loading
/// it whole, after the gate (`xlsx_guard::inspect`) has checked the file.
/// `each` returns false to stop reading. Blocking work: run it off the
/// async executor.
pub fn stream_first_sheet(
    bytes: &[u8],
    chunk: usize,
    each: impl FnMut(SheetRows) -> bool,
) -> Result<(), SheetError> {
    inspect(bytes, &Limits::default())?;
    stream_inspected(bytes, chunk, each).map_err(SheetError::Unreadable)
}

/// `stream_first_sheet` for a file the caller has already inspected.
pub fn stream_inspected(
    bytes: &[u8],
    chunk: usize,
    mut each: impl FnMut(SheetRows) -> bool,
) -> anyhow::Result<()> {
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).context("not an xlsx workbook")?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .context("the workbook has no sheet")?;
    let mut cells = wb.worksheet_cells_reader(&name)?;
    let chunk = chunk.max(1);
    let mut rows: SheetRows = Vec::with_capacity(chunk);
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell()? {
        let (r, c) = cell.get_position();
        if c >= MAX_COLUMNS {
            continue;
        }
        let text = ref_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if current.as_ref().is_some_and(|(cr, _)| *cr != r) {
            let (cr, cells) = current.take().expect("checked");
            rows.push((cr as usize + 1, cells));
            if rows.len() >= chunk && !each(std::mem::replace(&mut rows, Vec::with_capacity(chunk)))
            {
                return Ok(());
            }
        }
        let (_, row) = current.get_or_insert_with(|| (r, Vec::new()));
        let c = c as usize;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    if let Some((cr, cells)) = current {
        rows.push((cr as usize + 1, cells));
    }
    if !rows.is_empty() {
        each(rows);
    }
    Ok(())
}

/// The first sheet's rows of text, whole (small files: templates, tests).
pub fn read_first_sheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let mut out = Vec::new();
    stream_first_sheet(bytes, 1024, |rows| {
        out.extend(rows.into_iter().map(|(_, cells)| cells));
        true
    })?;
    Ok(out)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#DDEBF7")
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
}

fn text_format() -> Format {
    Format::new().set_num_format("@")
}

/// Writes the header row (required columns marked `*`) and text-formatted columns.
fn write_header(ws: &mut Worksheet, columns: &[Column], extra: &[&str]) -> anyhow::Result<()> {
    let head = header_format();
    let text = text_format();
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, c.label(), &head)?;
        ws.set_column_width(col, (c.header.chars().count() as f64 * 2.2 + 6.0).max(14.0))?;
        ws.set_column_format(col, &text)?;
    }
    for (j, h) in extra.iter().enumerate() {
        let col = (columns.len() + j) as u16;
        ws.write_string_with_format(0, col, *h, &head.clone().set_font_color("#C00000"))?;
        ws.set_column_width(col, 40)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The import template: headers, one sample row, dropdowns for closed value
/// sets and a 填写说明 sheet.
pub fn template(
    title: &str,
    columns: &[Column],
    sample: &[&str],
    instructions: &[String],
) -> anyhow::Result<Vec<u8>> {
    let sample: Vec<String> = sample.iter().map(|s| (*s).to_owned()).collect();
    template_with(title, columns, &[sample], instructions)
}

/// A template already holding rows to complete (a subject's candidates
/// to give scores to), instead of a sample row; text that would run as a
/// formula is escaped.
pub fn template_with(
    title: &str,
    columns: &[Column],
    rows: &[Vec<String>],
    instructions: &[String],
) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let mut lists: Vec<(usize, Vec<String>)> = Vec::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(title))?;
        write_header(ws, columns, &[])?;
        for (r, row) in rows.iter().enumerate() {
            for (i, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                ws.write_string(r as u32 + 1, i as u16, safe_text(v))?;
            }
        }
        for (i, c) in columns.iter().enumerate() {
            if let Some(choices) = &c.choices {
                lists.push((i, choices.clone()));
            }
            if !c.hint.is_empty() {
                ws.insert_note(
                    0,
                    i as u16,
                    &rust_xlsxwriter::Note::new(c.hint).set_author("vslc"),
                )?;
            }
        }
    }
    // Long lists do not fit a validation's 255 characters: keep them on a hidden sheet.
    let mut hidden_col = 0u16;
    let mut validations = Vec::new();
    for (col, choices) in &lists {
        let joined: usize = choices.iter().map(|c| c.chars().count() + 1).sum();
        let dv = if joined <= 250 {
            DataValidation::new()
                .allow_list_strings(&choices.iter().map(String::as_str).collect::<Vec<_>>())?
        } else {
            let ws = match wb.worksheet_from_name("选项") {
                Ok(ws) => ws,
                Err(_) => {
                    let ws = wb.add_worksheet();
                    ws.set_name("选项")?;
                    ws.set_hidden(true);
                    ws
                }
            };
            for (r, v) in choices.iter().enumerate() {
                ws.write_string(r as u32, hidden_col, v)?;
            }
            let letter = rust_xlsxwriter::utility::column_number_to_name(hidden_col);
            hidden_col += 1;
            DataValidation::new().allow_list_formula(Formula::new(format!(
                "=选项!${letter}$1:${letter}${}",
                choices.len()
            )))
        };
        validations.push((
            *col as u16,
            dv.set_error_title("输入值无效")?
                .set_error_message("请从下拉列表中选择")?,
        ));
    }
    {
        let last_row = (rows.len() as u32 + 1_000).max(50_000);
        let ws = wb.worksheet_from_index(0)?;
        for (col, dv) in &validations {
            ws.add_data_validation(1, *col, last_row, *col, dv)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("填写说明")?;
    ws.set_column_width(0, 100)?;
    ws.write_string_with_format(
        0,
        0,
        "填写说明",
        &Format::new().set_bold().set_font_size(14),
    )?;
    for (i, line) in instructions.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, line)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The failed rows: the template's columns as uploaded, plus 失败原因.
pub fn failed_rows(
    title: &str,
    columns: &[Column],
    rows: &[(Vec<String>, String)],
) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(title))?;
    write_header(ws, columns, &["失败原因"])?;
    for (r, (cells, reason)) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, v) in cells.iter().enumerate().take(columns.len()) {
            ws.write_string(row, c as u16, safe_text(v))?;
        }
        ws.write_string(row, columns.len() as u16, safe_text(reason))?;
    }
    Ok(wb.save_to_buffer()?)
}

/// A valid sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_escaped() {
        assert_eq!(safe_text("=1+1"), "'=1+1");
        assert_eq!(safe_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_text("-5"), "'-5");
        assert_eq!(safe_text("张三"), "张三");
        assert_eq!(safe_text(""), "");
    }

    #[test]
    fn cells_read_as_typed() {
        assert_eq!(ref_text(&DataRef::Float(513321199.0)), "513321199");
        assert_eq!(ref_text(&DataRef::Float(1.5)), "1.5");
        assert_eq!(ref_text(&DataRef::SharedString("  王强 ")), "王强");
        assert_eq!(ref_text(&DataRef::String("  王强 ".into())), "王强");
        assert_eq!(excel_date(45658.0), "2025-01-01");
        assert_eq!(excel_date(45658.5), "2025-01-01 12:00:00");
    }

    #[test]
    fn template_and_failed_rows_read_back() {
        let cols = vec![
            Column {
                header: "编号",
                required: true,
                hint: "数字",
                choices: None,
            },
            Column {
                header: "类型",
                required: false,
                hint: "",
                choices: Some(vec!["甲".into(), "乙".into()]),
            },
        ];
        let t = template("演示", &cols, &["001", "甲"], &["第一条".into()]).unwrap();
        let rows = read_first_sheet(&t).unwrap();
        assert_eq!(rows[0], vec!["*编号", "类型"]);
        assert_eq!(
            (cols[0].label(), cols[1].label()),
            ("*编号".into(), "类型".into())
        );
        assert_eq!(rows[1], vec!["001", "甲"]);
        let f = failed_rows(
            "演示",
            &cols,
            &[(vec!["=cmd".into(), "乙".into()], "编号须为数字".into())],
        )
        .unwrap();
        let rows = read_first_sheet(&f).unwrap();
        assert_eq!(rows[0], vec!["*编号", "类型", "失败原因"]);
        assert_eq!(rows[1], vec!["'=cmd", "乙", "编号须为数字"]);
    }

    #[test]
    fn long_choice_lists_go_to_a_hidden_sheet() {
        let many: Vec<String> = (0..80).map(|i| format!("专业名称{i:03}")).collect();
        let cols = vec![Column {
            header: "专业",
            required: true,
            hint: "",
            choices: Some(many),
        }];
        let t = template("演示", &cols, &["专业名称001"], &[]).unwrap();
        assert_eq!(read_first_sheet(&t).unwrap()[1], vec!["专业名称001"]);
    }
}
