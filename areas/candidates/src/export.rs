//! 批量导出考生信息: the selected candidates, or every one matching the
//! filter, as xlsx — ID numbers and phones masked, formula-like text escaped,
//! written row by row in rust_xlsxwriter's constant-memory mode.

use rust_xlsxwriter::Workbook;
use vslc_ports::Caller;

use super::model::{Candidate, MajorRef};
use super::service::{CandidateFilter, matches};
use vslc_files::export::{Cell, write_cell};
use vslc_http::ExportFilter;
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::mask;
use vslc_ports::table::{Query, parse_all};

/// `POST /api/candidates/export`: `ids` when rows are selected, otherwise
/// the filter (kind first) chooses.
pub type ExportRequest = vslc_http::ExportRequest<CandidateFilter>;

impl ExportFilter for CandidateFilter {
    const REQUEST_NAME: &'static str = "ExportRequest";
    const REQUEST_DOC: &'static str = "`POST /api/candidates/export`: `ids` when rows are selected, otherwise\nthe filter (kind first) chooses.";
}

pub use vslc_files::export::ExportFile;

const HEADERS: [&str; 14] = [
    "考生编号",
    "学生类型",
    "姓名",
    "姓名拼音",
    "性别",
    "证件类型",
    "证件号码",
    "手机号",
    "就读专业",
    "专业层次",
    "入学年份",
    "工作单位",
    "信息状态",
    "已报考证书数",
];

/// The 考生信息 sheet, written a row at a time (constant memory).
pub struct Sheet {
    wb: Workbook,
    rows: u32,
}

impl Sheet {
    pub fn new() -> anyhow::Result<Self> {
        let mut wb = Workbook::new();
        let head = vslc_files::export::header_format();
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name("考生信息")?;
        for (i, h) in HEADERS.iter().enumerate() {
            ws.set_column_width(i as u16, if i == 0 { 30 } else { 14 })?;
            ws.write_string_with_format(0, i as u16, *h, &head)?;
        }
        Ok(Self { wb, rows: 0 })
    }

    pub fn push(&mut self, c: &Candidate) -> anyhow::Result<()> {
        self.rows += 1;
        let row = self.rows;
        let cells: [Cell; 14] = [
            c.candidate_no.clone().into(),
            c.kind.label().into(),
            c.name.clone().into(),
            c.name_pinyin.clone().into(),
            c.gender.label().into(),
            c.id_type.label().into(),
            mask::id_number(&c.id_number).into(),
            c.phone
                .as_deref()
                .map(mask::phone)
                .unwrap_or_default()
                .into(),
            c.major
                .as_ref()
                .map(MajorRef::label)
                .unwrap_or_default()
                .into(),
            c.major_level
                .map(|l| l.label().to_owned())
                .unwrap_or_default()
                .into(),
            c.enrolment_year
                .map(|y| y.to_string())
                .unwrap_or_default()
                .into(),
            c.work_unit.clone().unwrap_or_default().into(),
            c.status.label().into(),
            Cell::count(c.registrations),
        ];
        let ws = self.wb.worksheet_from_index(0)?;
        for (col, v) in cells.iter().enumerate() {
            write_cell(ws, row, col as u16, v)?;
        }
        Ok(())
    }

    /// The rows written so far.
    pub fn len(&self) -> usize {
        self.rows as usize
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    pub fn finish(mut self) -> anyhow::Result<Vec<u8>> {
        Ok(self.wb.save_to_buffer()?)
    }
}

/// The workbook of these candidates.
pub fn workbook(rows: &[Candidate]) -> anyhow::Result<Vec<u8>> {
    let mut sheet = Sheet::new()?;
    for c in rows {
        sheet.push(c)?;
    }
    sheet.finish()
}

/// Candidates are read this many at a time, so that an export of a whole
/// school never holds the school in memory.
const PAGE: usize = 2_000;

pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: ExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    let chosen = req.selection();
    let keep = |c: &Candidate| chosen.keeps(&c.candidate_no, |f| matches(c, f));
    // Pages are read here, shard by shard, and written on a blocking thread.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Candidate>>(2);
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<(Vec<u8>, usize)> {
        let mut sheet = Sheet::new()?;
        while let Some(page) = rx.blocking_recv() {
            for c in &page {
                sheet.push(c)?;
            }
        }
        let n = sheet.len();
        Ok((sheet.finish()?, n))
    });
    'partitions: for pk in Candidate::partitions(school) {
        let mut query = Query::partition(pk).limit(PAGE);
        loop {
            let (items, next) = state.table.query_json(query.clone()).await?;
            let mut page: Vec<Candidate> = parse_all(&items)?;
            drop(items);
            page.retain(|c| keep(c));
            if !page.is_empty() && tx.send(page).await.is_err() {
                break 'partitions; // the writer failed; its error is reported below
            }
            match next {
                Some(cursor) => query.cursor = Some(cursor),
                None => break,
            }
        }
    }
    drop(tx);
    let (bytes, count) = writer
        .await
        .map_err(|e| DomainError::internal(anyhow::anyhow!(e)))?
        .map_err(DomainError::internal)?;
    vslc_files::export::deliver(state, school, "candidates", "考生信息", count, bytes).await
}
