//! 科目成绩 as the school (its candidates') and the org (its plans') read
//! them: a list by keyset cursor, a score with its history, the export
//! with the manual's columns, and the org's correction in 公示期.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::context;
use crate::model::{
    Mark, Outcome, Points, Score, ScoreChange, ScoreId, ScoreStatus, attendance_conflict,
};
use vslc_accounts::{Tenant, TenantKind};
use vslc_candidates::CandidateKind;
use vslc_catalogue::certificate::Level;
use vslc_exam::window::Position;
use vslc_exam::{ExamMethod, Plan};
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{CursorParams, ExportFilter, ExportRequest, filter};
use vslc_ports::domain::{IdType, OptionalId};
use vslc_ports::table::TableExt;
use vslc_ports::{AppState, Caller, DomainError, keyset, mask};
use vslc_registrations::Registration;
use vslc_registrations::model::CandidateSnapshot;
use vslc_scheduling::Seat;
use vslc_scheduling::model::Attendance;

/// A score as lists show it (ID number masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScoreRow {
    /// `<计划 id>.<科目 id>.<报考 id>`.
    pub id: String,
    pub plan_id: String,
    /// 考试计划 (the manual's 考试类别).
    pub plan_name: String,
    pub subject_id: String,
    pub subject_code: String,
    pub subject_name: String,
    pub method: ExamMethod,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    /// 考核单位.
    pub org_name: String,
    pub registration_id: String,
    pub school_id: String,
    pub school_name: String,
    pub ticket_no: String,
    pub candidate_no: String,
    pub candidate_name: String,
    pub candidate_kind: CandidateKind,
    pub id_type: IdType,
    /// 证件号码, masked.
    pub id_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Points>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// 成绩 as shown: `86.5`, `缺考`, `违纪（52）`.
    pub score_text: String,
    pub full_mark: Points,
    pub pass_mark: Points,
    /// Reaches the 合格分 (no mark).
    pub passed: bool,
    pub status: ScoreStatus,
    pub recorded_at: String,
    pub recorded_by: String,
    /// Changes after the first recording.
    pub changes: u32,
}

/// A score with its history, newest change last.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScoreDetail {
    #[serde(flatten)]
    pub row: ScoreRow,
    pub history: Vec<ScoreChange>,
}

/// 科目成绩 filters. The org names a plan; `subjectId` only with a plan.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ScoreFilter {
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub plan_id: OptionalId,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub subject_id: OptionalId,
    /// 考生姓名、考生编号或准考证号 (contains).
    pub candidate: Option<String>,
    /// 所属院校 (the org's list): a school id.
    pub school_id: Option<String>,
    /// 待公示 / 公示中 / 已锁定.
    pub status: Option<String>,
    /// 合格 / 不合格 / 缺考 / 违纪.
    pub outcome: Option<String>,
}

/// 批量导出科目成绩: the ticked rows, or those the filter matches.
pub type ScoreExportRequest = ExportRequest<ScoreFilter>;

impl ExportFilter for ScoreFilter {
    const REQUEST_NAME: &'static str = "ScoreExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

/// One page of 科目成绩.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScorePage {
    pub items: Vec<ScoreRow>,
    /// Where the next page starts; none on the last page.
    pub next_cursor: Option<String>,
}

/// Whose rows a caller reads: a school its own, an org those of its plans.
pub(crate) fn reader(caller: &Caller) -> Result<&Tenant, DomainError> {
    match caller.tenant.kind {
        TenantKind::Org => Ok(caller.require_kind(TenantKind::Org)?),
        _ => Ok(caller.school_reader()?),
    }
}

const OUTCOMES: [&str; 4] = ["合格", "不合格", "缺考", "违纪"];

fn sources(tenant: &Tenant, f: &ScoreFilter) -> Result<Vec<keyset::Source>, DomainError> {
    let plan = f.plan_id.as_deref().filter(|p| !p.is_empty());
    let subject = f.subject_id.as_deref().filter(|p| !p.is_empty());
    if tenant.kind == TenantKind::Org && plan.is_none() {
        return Err(DomainError::invalid("BAD_FILTER", "请先选择考试计划"));
    }
    if subject.is_some() && plan.is_none() {
        return Err(DomainError::invalid(
            "BAD_FILTER",
            "按考试科目查询时请先选择考试计划",
        ));
    }
    if let Some(s) = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty())
        && ScoreStatus::from_label(s).is_none()
    {
        return Err(DomainError::invalid(
            "BAD_STATUS",
            format!("状态“{s}”不正确"),
        ));
    }
    if let Some(s) = f
        .outcome
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        && !OUTCOMES.contains(&s)
    {
        return Err(DomainError::invalid(
            "BAD_OUTCOME",
            format!("成绩类别“{s}”不正确"),
        ));
    }
    Ok(Score::sources(tenant, plan, subject))
}

fn keeps(r: &ScoreRow, f: &ScoreFilter) -> bool {
    let q = f.candidate.as_deref();
    let outcome = match (r.mark, r.passed) {
        (Some(m), _) => m.label(),
        (None, true) => "合格",
        (None, false) => "不合格",
    };
    (filter::text(&r.candidate_name, q)
        || filter::text(&r.candidate_no, q)
        || filter::text(&r.ticket_no, q))
        && filter::exact(&r.school_id, f.school_id.as_deref())
        && filter::exact(r.status.label(), f.status.as_deref())
        && filter::exact(outcome, f.outcome.as_deref())
}

/// What rows are built with: the plans of the scores, their subjects'
/// marks, the sheets (locks) and the candidates.
struct Lookups {
    plans: HashMap<String, Plan>,
    marks: HashMap<(String, String), (Points, Points)>,
    people: HashMap<String, CandidateSnapshot>,
}

async fn lookups(state: &AppState, scores: &[Score]) -> Result<Lookups, DomainError> {
    let mut plan_ids: Vec<String> = scores.iter().map(|s| s.plan_id.clone()).collect();
    plan_ids.sort();
    plan_ids.dedup();
    let plans: HashMap<String, Plan> = Plan::load_many(state, &plan_ids)
        .await?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let mut marks = HashMap::new();
    for plan in plans.values() {
        for (subject, m) in context::marks(state, plan).await? {
            marks.insert((plan.id.clone(), subject), m);
        }
    }
    let wanted = scores
        .iter()
        .map(|s| {
            let school = Tenant::new(TenantKind::School, &s.school_id);
            let key = Registration::key(&school, &s.plan_id, &s.registration_id);
            (s.registration_id.clone(), key)
        })
        .collect();
    let people = vslc_scheduling::holders::by_key(state, wanted).await?;
    Ok(Lookups {
        plans,
        marks,
        people,
    })
}

fn row(s: Score, l: &Lookups, now: chrono::NaiveDateTime) -> Option<ScoreRow> {
    let plan = l.plans.get(&s.plan_id)?;
    let subject = plan.subject(&s.subject_id)?;
    let person = l.people.get(&s.registration_id)?;
    let (full, pass) = l
        .marks
        .get(&(s.plan_id.clone(), s.subject_id.clone()))
        .copied()
        .unwrap_or((Points::whole(100), Points::whole(60)));
    Some(ScoreRow {
        id: s.public_id(),
        plan_name: plan.name.clone(),
        subject_code: subject.code.clone(),
        subject_name: subject.name.clone(),
        method: subject.method,
        certificate_id: subject.certificate_id.clone(),
        certificate_name: plan
            .certificate(&subject.certificate_id)
            .map(|c| c.certificate_name.clone())
            .unwrap_or_default(),
        level: subject.level,
        org_name: plan.org_name.clone(),
        candidate_name: person.name.clone(),
        candidate_kind: person.kind,
        id_type: person.id_type,
        id_number: mask::id_number(&person.id_number),
        score: s.outcome.points,
        mark: s.outcome.mark,
        score_text: s.outcome.text(),
        full_mark: full,
        pass_mark: pass,
        passed: s.outcome.passes(pass),
        status: ScoreStatus::at(&plan.publicity, now),
        plan_id: s.plan_id,
        subject_id: s.subject_id,
        registration_id: s.registration_id,
        school_id: s.school_id,
        school_name: s.school_name,
        ticket_no: s.ticket_no,
        candidate_no: s.candidate_no,
        recorded_at: s.recorded_at,
        recorded_by: s.recorded_by,
        changes: s.changes,
    })
}

async fn rows(state: &AppState, scores: Vec<Score>) -> Result<Vec<ScoreRow>, DomainError> {
    let l = lookups(state, &scores).await?;
    let now = state.clock.now_local();
    Ok(scores.into_iter().filter_map(|s| row(s, &l, now)).collect())
}

/// 科目成绩 list.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &ScoreFilter,
    paging: &CursorParams,
) -> Result<ScorePage, DomainError> {
    let tenant = reader(caller)?;
    let sources = sources(tenant, f)?;
    let (items, next_cursor) = crate::paging::page(
        state,
        &sources,
        paging,
        |scores: Vec<Score>| rows(state, scores),
        |r| keeps(r, f),
    )
    .await?;
    Ok(ScorePage { items, next_cursor })
}

/// The score a caller may see: the school's own, or one of the org's plans.
async fn load(state: &AppState, tenant: &Tenant, id: &ScoreId) -> Result<Score, DomainError> {
    let key = match tenant.kind {
        TenantKind::Org => {
            Score::org_key(&tenant.id, &id.plan_id, &id.subject_id, &id.registration_id)
        }
        _ => Score::school_key(&tenant.id, &id.plan_id, &id.subject_id, &id.registration_id),
    };
    state
        .table
        .get_as(&key)
        .await?
        .ok_or_else(|| DomainError::not_found("科目成绩"))
}

fn parse_id(id: &str) -> Result<ScoreId, DomainError> {
    ScoreId::parse(id).ok_or_else(|| DomainError::not_found("科目成绩"))
}

/// 查看: a score with its history.
pub async fn detail(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<ScoreDetail, DomainError> {
    let tenant = reader(caller)?;
    let id = parse_id(id)?;
    let score = load(state, tenant, &id).await?;
    let history: Vec<ScoreChange> = state.table.query_all_as(ScoreChange::of(&id)).await?;
    let row = rows(state, vec![score])
        .await?
        .pop()
        .ok_or_else(|| DomainError::not_found("科目成绩"))?;
    Ok(ScoreDetail { row, history })
}

/// 修改成绩 in 公示期: the new score and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CorrectionInput {
    /// 成绩 (none for 缺考).
    #[serde(default)]
    pub score: Option<Points>,
    #[serde(default)]
    pub mark: Option<Mark>,
    /// 修改原因.
    pub reason: String,
}

const MAX_REASON: usize = 200;

/// 修改成绩 (the org, in the plan's 公示期 only): both rows at the version
/// read, the change in the history, and only while the sheet is unlocked.
pub async fn correct(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: CorrectionInput,
) -> Result<ScoreDetail, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let sid = parse_id(id)?;
    let old = load(state, org, &sid).await?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(DomainError::invalid("NO_REASON", "请填写修改原因"));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(DomainError::invalid(
            "BAD_REASON",
            format!("修改原因不能超过{MAX_REASON}个字"),
        ));
    }
    let plan = Plan::load(state, &old.plan_id)
        .await?
        .ok_or_else(|| DomainError::not_found("科目成绩"))?;
    let w = &plan.publicity;
    if w.position(state.clock.now_local()) != Position::Inside {
        return Err(DomainError::conflict(
            "NOT_IN_PUBLICITY",
            format!("只能在公示期内（{} 至 {}）修改成绩", w.start, w.end),
        ));
    }
    let cx = context::of_plan(state, plan, &old.subject_id).await?;
    let outcome = Outcome::checked(input.score, input.mark, cx.full)
        .map_err(|m| DomainError::invalid("BAD_SCORE", m))?;
    if outcome == old.outcome {
        return Err(DomainError::invalid("NO_CHANGE", "成绩未改变"));
    }
    let school = Tenant::new(TenantKind::School, &old.school_id);
    let seat_key = Seat::school_key(&school, &old.plan_id, &old.subject_id, &old.registration_id);
    if let Some(seat) = state.table.get_as::<Seat>(&seat_key).await? {
        match attendance_conflict(seat.attendance, outcome.mark) {
            Some(Attendance::Absent) => {
                return Err(DomainError::invalid(
                    "ABSENT",
                    "考场签到记录为缺考，只能标记缺考",
                ));
            }
            Some(Attendance::Present) => {
                return Err(DomainError::invalid(
                    "PRESENT",
                    "考场签到记录为已签到，不能标记缺考",
                ));
            }
            None => {}
        }
    }
    let now = state.clock.now_text();
    let ops = old
        .changed(outcome, &caller.name, &now, reason.to_owned(), None)?
        .ops;
    match state.table.transact(ops).await {
        Ok(()) => {}
        Err(e) if e.is_conflict() => {
            return Err(DomainError::conflict(
                "STATE_CONFLICT",
                "成绩已锁定或刚被他人修改，请刷新后重试",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    detail(state, caller, id).await
}

const HEADERS: [&str; 16] = [
    "考试类别",
    "考生姓名",
    "考生编号",
    "证件号码",
    "准考证号",
    "考生类型",
    "所属院校",
    "科目编号",
    "科目名称",
    "考试方式",
    "报考证书",
    "证书等级",
    "考核单位",
    "考试通过条件",
    "成绩",
    "状态",
];

/// 批量导出科目成绩 (ID numbers masked): the ticked rows, or all matching.
pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: ScoreExportRequest,
) -> Result<ExportFile, DomainError> {
    let tenant = reader(caller)?;
    let (chosen, any) = (req.selection(), ScoreFilter::default());
    // The org's rows are read by plan, ticked or not.
    let f = match tenant.kind {
        TenantKind::Org => &req.filter,
        _ => chosen.filter_or(&any),
    };
    let sources = sources(tenant, f)?;
    let chosen_rows = crate::paging::all(
        state,
        &sources,
        |scores: Vec<Score>| rows(state, scores),
        |r| chosen.keeps(&r.id, |f| keeps(r, f)),
    )
    .await?;
    let cells = chosen_rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::from(r.plan_name),
                r.candidate_name.into(),
                r.candidate_no.into(),
                r.id_number.into(),
                r.ticket_no.into(),
                r.candidate_kind.label().into(),
                r.school_name.into(),
                r.subject_code.into(),
                r.subject_name.into(),
                r.method.label().into(),
                r.certificate_name.into(),
                r.level.label().into(),
                r.org_name.into(),
                format!("全科合格（本科目{}分合格）", r.pass_mark).into(),
                r.score_text.into(),
                r.status.label().into(),
            ]
        })
        .collect();
    vslc_files::export::deliver_sheet(state, tenant, "scores", "科目成绩", &HEADERS, cells).await
}
