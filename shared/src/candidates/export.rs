//! 批量导出考生信息: the selected candidates, or every one matching the
//! filter, as xlsx — ID numbers and phones masked, formula-like text escaped,
//! written row by row in rust_xlsxwriter's constant-memory mode.

use rust_xlsxwriter::Workbook;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{Candidate, CandidateKind};
use super::service::{CandidateFilter, all, matches};
use crate::accounts::Session;
use crate::http::ApiError;
use crate::imports::xlsx::safe_text;
use crate::mask;
use crate::state::AppState;

/// `POST /api/candidates/export`: `ids` when rows are selected, otherwise
/// the filter (kind first) chooses.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    #[schema(inline)]
    pub kind: Option<CandidateKind>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub major: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub enrolment_year: Option<i32>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub has_photo: Option<bool>,
}

pub use crate::export::ExportFile;

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

/// The workbook of these candidates.
pub fn workbook(rows: &[Candidate]) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let head = crate::export::header_format();
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name("考生信息")?;
    for (i, h) in HEADERS.iter().enumerate() {
        ws.set_column_width(i as u16, if i == 0 { 30 } else { 14 })?;
        ws.write_string_with_format(0, i as u16, *h, &head)?;
    }
    for (r, c) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        let cells = [
            c.candidate_no.clone(),
            c.kind.label().to_owned(),
            c.name.clone(),
            c.name_pinyin.clone(),
            c.gender.label().to_owned(),
            c.id_type.label().to_owned(),
            mask::id_number(&c.id_number),
            c.phone.as_deref().map(mask::phone).unwrap_or_default(),
            c.major
                .as_ref()
                .map(|m| format!("{} {}", m.code, m.name))
                .unwrap_or_default(),
            c.major_level
                .map(|l| l.label().to_owned())
                .unwrap_or_default(),
            c.enrolment_year.map(|y| y.to_string()).unwrap_or_default(),
            c.work_unit.clone().unwrap_or_default(),
            c.status.label().to_owned(),
            c.registrations.to_string(),
        ];
        for (col, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(row, col as u16, safe_text(v))?;
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}

pub async fn export(
    state: &AppState,
    session: &Session,
    req: ExportRequest,
) -> Result<ExportFile, ApiError> {
    let school = session.school_reader()?;
    let mut rows = all(state, school).await?;
    if req.ids.is_empty() {
        let f = CandidateFilter {
            kind: req.kind,
            name: req.name,
            id_number: req.id_number,
            major: req.major,
            level: req.level,
            enrolment_year: req.enrolment_year,
            status: req.status,
            has_photo: req.has_photo,
        };
        rows.retain(|c| matches(c, &f));
    } else {
        let wanted: std::collections::HashSet<&str> = req.ids.iter().map(String::as_str).collect();
        rows.retain(|c| wanted.contains(c.candidate_no.as_str()));
    }
    rows.sort_by(|a, b| a.candidate_no.cmp(&b.candidate_no));
    let count = rows.len();
    let bytes = tokio::task::spawn_blocking(move || workbook(&rows))
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))??;
    crate::export::deliver(state, school, "candidates", "考生信息", count, bytes).await
}
