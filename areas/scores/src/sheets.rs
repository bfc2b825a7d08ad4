//! The org's subjects of a plan (成绩单): how many scores each holds, its
//! status and, once locked, its 上链信息 and a check against the ledger;
//! and the 成绩登记表 — the import's columns with every candidate seated
//! for the subject, their recorded scores filled in.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::context;
use crate::import;
use crate::lock::{self, SheetCheck};
use crate::model::{Points, ScoreSheet, ScoreStatus, SheetId};
use vslc_accounts::TenantKind;
use vslc_catalogue::certificate::Level;
use vslc_exam::{ExamMethod, Plan, PublishStatus};
use vslc_files::export::ExportFile;
use vslc_ledger::ChainInfo;
use vslc_ports::domain::RecordId;
use vslc_ports::table::TableExt;
use vslc_ports::{AppState, Caller, DomainError};
use vslc_scheduling::model::Attendance;

/// A plan subject's scores, as the org sees them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SheetView {
    /// `<计划 id>.<科目 id>`.
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub subject_id: String,
    pub subject_code: String,
    pub subject_name: String,
    pub method: ExamMethod,
    pub certificate_name: String,
    pub level: Level,
    pub full_mark: Points,
    pub pass_mark: Points,
    /// 已登记成绩.
    pub recorded: i64,
    pub status: ScoreStatus,
    /// 成绩登记时间 and 公示期.
    pub score_entry: vslc_exam::Window,
    pub publicity: vslc_exam::Window,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet_hash: Option<String>,
    /// 上链信息.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<ChainInfo>,
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SheetFilter {
    /// 考试计划 (required).
    #[param(value_type = String)]
    #[schema(value_type = String)]
    pub plan_id: RecordId,
}

async fn own_plan(state: &AppState, caller: &Caller, plan_id: &str) -> Result<Plan, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    Plan::load(state, plan_id)
        .await?
        .filter(|p| p.org_id == org.id && p.status == PublishStatus::Published)
        .ok_or_else(|| DomainError::not_found("考试计划"))
}

async fn views(state: &AppState, plan: &Plan) -> Result<Vec<SheetView>, DomainError> {
    let sheets: Vec<ScoreSheet> = state
        .table
        .query_all_as(ScoreSheet::of_plan(&plan.id))
        .await?;
    let marks = context::marks(state, plan).await?;
    let now = state.clock.now_local();
    Ok(plan
        .subjects
        .iter()
        .map(|s| {
            let sheet = sheets.iter().find(|x| x.subject_id == s.subject_id);
            let (full, pass) = marks
                .get(&s.subject_id)
                .copied()
                .unwrap_or((Points::whole(100), Points::whole(60)));
            SheetView {
                id: SheetId {
                    plan_id: plan.id.clone(),
                    subject_id: s.subject_id.clone(),
                }
                .to_string(),
                plan_id: plan.id.clone(),
                plan_name: plan.name.clone(),
                subject_id: s.subject_id.clone(),
                subject_code: s.code.clone(),
                subject_name: s.name.clone(),
                method: s.method,
                certificate_name: plan
                    .certificate(&s.certificate_id)
                    .map(|c| c.certificate_name.clone())
                    .unwrap_or_default(),
                level: s.level,
                full_mark: full,
                pass_mark: pass,
                recorded: sheet.map_or(0, |x| x.recorded),
                // A lock is for good, whatever the clock says.
                status: match sheet.and_then(|x| x.locked_at.as_ref()) {
                    Some(_) => ScoreStatus::Locked,
                    None => ScoreStatus::at(&plan.publicity, now),
                },
                score_entry: plan.score_entry.clone(),
                publicity: plan.publicity.clone(),
                locked_at: sheet.and_then(|x| x.locked_at.clone()),
                sheet_hash: sheet.and_then(|x| x.sheet_hash.clone()),
                chain: sheet.and_then(|x| x.chain.clone()),
            }
        })
        .collect())
}

/// 科目成绩 of a plan (the org): one row per subject.
pub async fn sheets(
    state: &AppState,
    caller: &Caller,
    f: &SheetFilter,
) -> Result<Vec<SheetView>, DomainError> {
    let plan = own_plan(state, caller, f.plan_id.as_str()).await?;
    views(state, &plan).await
}

fn sheet_id(id: &str) -> Result<SheetId, DomainError> {
    SheetId::parse(id).ok_or_else(|| DomainError::not_found("考试科目"))
}

/// One subject's scores (the org).
pub async fn sheet(state: &AppState, caller: &Caller, id: &str) -> Result<SheetView, DomainError> {
    let id = sheet_id(id)?;
    let plan = own_plan(state, caller, &id.plan_id).await?;
    views(state, &plan)
        .await?
        .into_iter()
        .find(|v| v.subject_id == id.subject_id)
        .ok_or_else(|| DomainError::not_found("考试科目"))
}

/// 校验上链成绩单 (the org): the scores as stored now against the anchor.
pub async fn verify(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<SheetCheck, DomainError> {
    let id = sheet_id(id)?;
    let plan = own_plan(state, caller, &id.plan_id).await?;
    let sheet: ScoreSheet = state
        .table
        .get_as(&ScoreSheet::key(&plan.id, &id.subject_id))
        .await?
        .ok_or_else(|| {
            DomainError::conflict("NOT_LOCKED", "该科目尚未登记成绩，没有可校验的成绩单")
        })?;
    lock::verify(state, &sheet).await
}

/// 下载成绩登记表 (the org): every candidate seated for the subject, by
/// 准考证号, with the score recorded (if any) — filled in and imported back.
pub async fn template(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<ExportFile, DomainError> {
    let id = sheet_id(id)?;
    let org = caller.require_kind(TenantKind::Org)?;
    let cx = context::for_org(state, org, &id).await?;
    let sitters = context::sitters(state, &cx).await?;
    let scores = context::recorded(state, &cx).await?;
    let rows: Vec<Vec<String>> = sitters
        .iter()
        .map(|s| {
            let recorded = scores.get(&s.registration_id).map(|x| x.outcome);
            let absent = s.attendance == Some(Attendance::Absent);
            let points = recorded
                .and_then(|o| o.points)
                .map(|p| p.to_string())
                .unwrap_or_default();
            let mark = match recorded.and_then(|o| o.mark) {
                Some(m) => m.label().to_owned(),
                None if absent && recorded.is_none() => "缺考".to_owned(),
                None => String::new(),
            };
            vec![
                s.ticket_no.clone(),
                s.candidate_no.clone(),
                s.name.clone(),
                points,
                mark,
            ]
        })
        .collect();
    let count = rows.len();
    let title = "成绩登记表";
    let mut lines = import::instructions();
    lines.insert(
        0,
        format!(
            "考试计划：{}；考试科目：{} {}（满分{}，合格分{}）；成绩登记时间：{} 至 {}。",
            cx.plan.name,
            cx.subject.code,
            cx.subject.name,
            cx.full,
            cx.pass,
            cx.plan.score_entry.start,
            cx.plan.score_entry.end
        ),
    );
    let bytes = workbook(title, rows, lines).await?;
    vslc_files::export::deliver(state, org, "score-sheet", title, count, bytes).await
}

/// The workbook, written off the async threads (a subject may seat many).
async fn workbook(
    title: &'static str,
    rows: Vec<Vec<String>>,
    lines: Vec<String>,
) -> Result<Vec<u8>, DomainError> {
    let columns = import::columns();
    tokio::task::spawn_blocking(move || {
        vslc_files::xlsx::template_with(title, &columns, &rows, &lines)
    })
    .await
    .map_err(DomainError::internal)?
    .map_err(DomainError::internal)
}
