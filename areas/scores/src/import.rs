//! `scores` (导入科目成绩, the org, `params.planId` and `params.subjectId`):
//! one row per seated candidate of the subject — 准考证号, 考生编号, 姓名,
//! 成绩, 缺考/违纪 — inside the plan's 成绩登记 window.
//!
//! A row equal to the score recorded changes nothing, so the same file
//! imported again (or delivered twice) changes nothing; a row with another
//! score replaces it (the window ends before 公示期 begins) and the change
//! joins the score's history. An import that fails part-way takes back what
//! it recorded and puts back what it replaced.

use std::collections::HashMap;

use async_trait::async_trait;

use crate::context::{self, Sitter, SubjectContext};
use crate::model::{
    Changed, LockDue, Mark, Outcome, Points, Score, ScoreSheet, SheetId, attendance_conflict,
};
use crate::public::TicketRef;
use vslc_exam::window::Position;
use vslc_imports::{About, Column, ImportContext, ImportKind, Row, RowSink, Saved, Saving, saved};
use vslc_ports::domain::RecordId;
use vslc_ports::table::{Condition, Count, EncodedItem, Guarded, TableError, TxOp, to_item};
use vslc_ports::{AppState, DomainError};
use vslc_scheduling::model::Attendance;

pub struct ScoresImport;

const H_TICKET: &str = "准考证号";
const H_NO: &str = "考生编号";
const H_NAME: &str = "姓名";
const H_SCORE: &str = "成绩";
const H_MARK: &str = "缺考/违纪";

/// The columns of the import and of the 成绩登记表.
pub fn columns() -> Vec<Column> {
    vec![
        Column::required(H_TICKET, "考生的准考证号"),
        Column::required(H_NO, "与准考证号对应的考生编号"),
        Column::required(H_NAME, "与报考信息一致"),
        Column::optional(H_SCORE, "0到该科目满分之间，最多一位小数；缺考不填"),
        Column {
            choices: Some(Mark::ALL.iter().map(|m| m.label().to_owned()).collect()),
            ..Column::optional(H_MARK, "缺考或违纪时选择；违纪可同时填写成绩")
        },
    ]
}

/// The lines of its 填写说明.
pub fn instructions() -> Vec<String> {
    vec![
        "1. 带 * 的列为必填项；请勿修改表头。建议在“科目成绩”中下载该科目的成绩登记表，表中已列出该科目全部已排考考生。".into(),
        "2. 成绩为0到该科目满分之间的数字，最多保留一位小数；缺考的考生在“缺考/违纪”列选择“缺考”，成绩不填；违纪的考生选择“违纪”，可同时填写成绩。".into(),
        "3. 考场签到记录为缺考的考生须标记缺考；已签到的考生不能标记缺考。".into(),
        "4. 只能在考试计划的成绩登记时间内导入；同一考生再次导入不同成绩时替换原成绩，并记入成绩修改记录；再次导入相同成绩不做任何修改。".into(),
        "5. 公示期内成绩不能再导入，如需更正请在科目成绩中逐条修改并填写修改原因；公示期结束后成绩永久锁定。".into(),
        "6. 导入完成后可在导入记录中下载失败数据（含失败原因），修改后重新导入。".into(),
    ]
}

pub(crate) fn param<'a>(params: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .and_then(|p| p.as_str())
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

#[async_trait]
impl ImportKind for ScoresImport {
    fn about(&self) -> About {
        About::school("scores", "导入科目成绩").for_tenants(&[vslc_accounts::TenantKind::Org])
    }
    fn check_params(&self, params: &serde_json::Value) -> Result<(), String> {
        match (param(params, "planId"), param(params, "subjectId")) {
            (Some(p), Some(s)) => {
                for (name, v) in [("考试计划", p), ("考试科目", s)] {
                    RecordId::parse(v).map_err(|e| format!("{name}{e}"))?;
                }
                Ok(())
            }
            _ => Err("请先选择考试计划和考试科目".into()),
        }
    }
    fn columns(&self, _params: &serde_json::Value) -> Vec<Column> {
        columns()
    }
    fn sample(&self, _params: &serde_json::Value) -> Vec<&'static str> {
        vec![
            "20260331000001000100010001",
            "11010520261795852800000001",
            "张三",
            "86.5",
            "",
        ]
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        instructions()
    }

    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        let state = ctx.state;
        let params = &ctx.record.params;
        let id = SheetId {
            plan_id: param(params, "planId").unwrap_or_default().to_owned(),
            subject_id: param(params, "subjectId").unwrap_or_default().to_owned(),
        };
        let loaded = match context::for_org(state, &ctx.record.tenant, &id).await {
            Ok(cx) => Ok(cx),
            Err(DomainError::NotFound(_)) => Err("考试计划或考试科目不存在".to_owned()),
            Err(e) => return Err(e.into()),
        };
        let (cx, refusal) = match loaded {
            Ok(cx) => {
                let refusal = closed(&cx, state.clock.now_local());
                (Some(cx), refusal)
            }
            Err(reason) => (None, Some(reason)),
        };
        let (sitters, scores) = match (&cx, &refusal) {
            (Some(cx), None) => {
                if !ctx.dry_run {
                    open_sheet(state, cx).await?;
                }
                (
                    context::sitters(state, cx).await?,
                    context::recorded(state, cx).await?,
                )
            }
            _ => (Vec::new(), HashMap::new()),
        };
        let by_ticket: HashMap<String, usize> = sitters
            .iter()
            .enumerate()
            .map(|(i, s)| (s.ticket_no.clone(), i))
            .collect();
        // What an earlier delivery of this import recorded (first
        // recordings only), for `undo` to take back with this run's.
        let earlier = scores
            .values()
            .filter(|s| s.import_id.as_deref() == Some(ctx.record.id.as_str()) && s.changes == 0)
            .map(|s| fresh_keys(s))
            .collect();
        Ok(Box::new(ScoresSink {
            earlier,
            cx,
            refusal,
            sitters,
            by_ticket,
            scores,
            first_row: HashMap::new(),
            saved: Saved::default(),
            replaced: Vec::new(),
        }))
    }
}

/// Why no score of the subject may be imported now, if so.
fn closed(cx: &SubjectContext, now: chrono::NaiveDateTime) -> Option<String> {
    let w = &cx.plan.score_entry;
    (w.position(now) != Position::Inside).then(|| {
        format!(
            "不在成绩登记时间内（{} 至 {}），不能导入成绩",
            w.start, w.end
        )
    })
}

/// The subject's sheet and the plan's place in the lock queue, written
/// before its first score (both once).
pub(crate) async fn open_sheet(state: &AppState, cx: &SubjectContext) -> anyhow::Result<()> {
    let sheet = ScoreSheet {
        plan_id: cx.plan.id.clone(),
        subject_id: cx.subject.subject_id.clone(),
        org_id: cx.plan.org_id.clone(),
        recorded: 0,
        locked_at: None,
        sheet_hash: None,
        chain: None,
        version: 1,
    };
    let due = LockDue {
        plan_id: cx.plan.id.clone(),
        end: cx.plan.publicity.end.clone(),
    };
    for item in [
        to_item(&ScoreSheet::key(&sheet.plan_id, &sheet.subject_id), &sheet)?,
        to_item(&due.key(), &due)?,
    ] {
        match state.table.put(item, Some(Condition::NotExists)).await {
            Err(e) if !e.is_conflict() => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

struct ScoresSink {
    /// First recordings an earlier delivery of this import made.
    earlier: Vec<vslc_imports::SavedRow>,
    cx: Option<SubjectContext>,
    /// Why every row fails (no such subject, outside the window).
    refusal: Option<String>,
    sitters: Vec<Sitter>,
    /// 准考证号 → sitter.
    by_ticket: HashMap<String, usize>,
    /// Scores recorded, by registration (updated as rows save).
    scores: HashMap<String, Score>,
    /// 准考证号 → its first row in this file.
    first_row: HashMap<String, usize>,
    saved: Saved,
    /// Scores this import replaced, as they were, with the version it
    /// left and the history entry it wrote: what `undo` puts back.
    replaced: Vec<(Score, u64, vslc_ports::table::Key)>,
}

/// A row checked: its sitter and its score.
struct Checked {
    sitter: usize,
    outcome: Outcome,
}

impl ScoresSink {
    fn check(&mut self, row: &Row) -> Result<Checked, String> {
        if let Some(reason) = &self.refusal {
            return Err(reason.clone());
        }
        let Some(cx) = &self.cx else {
            return Err("考试计划或考试科目不存在".into());
        };
        let ticket = row.cell(0).trim();
        if ticket.is_empty() {
            return Err("请填写准考证号".into());
        }
        let Some(&i) = self.by_ticket.get(ticket) else {
            return Err(format!(
                "准考证号“{ticket}”不存在，或该考生未安排本科目考试"
            ));
        };
        let s = &self.sitters[i];
        if row.cell(1).trim() != s.candidate_no {
            return Err("考生编号与准考证号不符".into());
        }
        if s.name.is_empty() {
            return Err("该考生的报考记录已不存在".into());
        }
        if row.cell(2).trim() != s.name {
            return Err("姓名与准考证号不符".into());
        }
        if let Some(first) = self.first_row.get(ticket) {
            return Err(format!("与第{first}行准考证号重复"));
        }
        let mark = match row.cell(4).trim() {
            "" => None,
            m => Some(
                Mark::from_label(m)
                    .ok_or_else(|| format!("缺考/违纪“{m}”无效，只能填写“缺考”或“违纪”"))?,
            ),
        };
        let points = match row.cell(3).trim() {
            "" => None,
            p => Some(Points::parse(p)?),
        };
        let outcome = Outcome::checked(points, mark, cx.full)?;
        match attendance_conflict(s.attendance, outcome.mark) {
            Some(Attendance::Absent) => {
                return Err("考场签到记录为缺考，请在“缺考/违纪”列选择缺考".into());
            }
            Some(Attendance::Present) => {
                return Err("考场签到记录为已签到，不能标记缺考".into());
            }
            None => {}
        }
        self.first_row.insert(ticket.to_owned(), row.number);
        Ok(Checked { sitter: i, outcome })
    }

    fn new_score(&self, ctx: &ImportContext<'_>, c: &Checked, cx: &SubjectContext) -> Score {
        let s = &self.sitters[c.sitter];
        Score {
            plan_id: cx.plan.id.clone(),
            subject_id: cx.subject.subject_id.clone(),
            org_id: cx.plan.org_id.clone(),
            registration_id: s.registration_id.clone(),
            school_id: s.school_id.clone(),
            school_name: s.school_name.clone(),
            ticket_no: s.ticket_no.clone(),
            candidate_no: s.candidate_no.clone(),
            outcome: c.outcome,
            subjects: s.subjects.clone(),
            recorded_at: ctx.state.clock.now_text(),
            recorded_by: ctx.record.created_by_name.clone(),
            import_id: Some(ctx.record.id.clone()),
            changes: 0,
            version: 1,
        }
    }

    /// Replaces a recorded score with another: both rows at the version
    /// read, and the change in the history.
    async fn replace(
        &mut self,
        ctx: &ImportContext<'_>,
        old: Score,
        outcome: Outcome,
    ) -> anyhow::Result<Result<(), String>> {
        let now = ctx.state.clock.now_text();
        let Changed {
            score: new,
            change_key,
            ops,
        } = old.changed(
            outcome,
            &ctx.record.created_by_name,
            &now,
            format!("重新导入（导入记录{}）", ctx.record.id),
            Some(&ctx.record.id),
        )?;
        match ctx.state.table.transact(ops).await {
            Ok(()) => {}
            Err(e) if e.is_conflict() => {
                return Ok(Err("该考生成绩正在被修改，请稍后重新导入".into()));
            }
            Err(e) => return Err(e.into()),
        }
        self.replaced.push((old, new.version, change_key));
        self.scores.insert(new.registration_id.clone(), new);
        Ok(Ok(()))
    }
}

/// What a first recording wrote: its two rows and its 准考证号 item, and
/// the count it raised.
fn fresh_keys(score: &Score) -> vslc_imports::SavedRow {
    (
        vec![
            score.own_org_key(),
            score.own_school_key(),
            TicketRef::key(&score.ticket_no, &score.plan_id, &score.subject_id),
        ],
        Some((
            ScoreSheet::key(&score.plan_id, &score.subject_id),
            ScoreSheet::RECORDED,
        )),
    )
}

/// A new score's writes: its two rows as guards, where its 准考证号 leads
/// (an item of this subject's, new with the score), and the sheet's count.
fn score_group(score: &Score, id_number: &str) -> Result<Guarded, TableError> {
    let body = serde_json::to_vec(score).map_err(|e| TableError::Invalid(e.to_string()))?;
    Ok(Guarded {
        guards: vec![
            EncodedItem::with_body(score.own_org_key(), &body)?,
            EncodedItem::with_body(score.own_school_key(), &body)?,
        ],
        items: vec![TicketRef::encoded(score, id_number)?],
        updates: Vec::new(),
        checks: Vec::new(),
        counts: vec![Count::new(
            ScoreSheet::key(&score.plan_id, &score.subject_id),
            ScoreSheet::RECORDED,
            1,
        )],
    })
}

#[async_trait]
impl RowSink for ScoresSink {
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving> {
        // The window may close while a long import runs: each chunk looks.
        if self.refusal.is_none()
            && let Some(cx) = &self.cx
        {
            self.refusal = closed(cx, ctx.state.clock.now_local());
        }
        let mut outcomes: Vec<Result<(), String>> = Vec::with_capacity(rows.len());
        // New scores of the chunk: (its outcome slot, the score).
        let mut fresh: Vec<(usize, Score)> = Vec::new();
        for row in rows {
            let checked = match self.check(row) {
                Ok(c) => c,
                Err(reason) => {
                    outcomes.push(Err(reason));
                    continue;
                }
            };
            let reg = self.sitters[checked.sitter].registration_id.clone();
            let slot = outcomes.len();
            outcomes.push(Ok(()));
            if ctx.dry_run {
                continue;
            }
            match self.scores.get(&reg).cloned() {
                Some(old) if old.outcome == checked.outcome => {}
                Some(old) => outcomes[slot] = self.replace(ctx, old, checked.outcome).await?,
                None => {
                    let cx = self
                        .cx
                        .as_ref()
                        .ok_or_else(|| anyhow::anyhow!("no subject"))?;
                    fresh.push((slot, self.new_score(ctx, &checked, cx)));
                }
            }
        }
        if !fresh.is_empty() {
            let groups = fresh
                .iter()
                .map(|(_, s)| {
                    let sitter = self.by_ticket.get(&s.ticket_no).map(|&i| &self.sitters[i]);
                    score_group(s, sitter.map_or("", |x| x.id_number.as_str()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let written = ctx.state.table.insert_guarded(groups).await?;
            for ((slot, score), ok) in fresh.into_iter().zip(written) {
                if ok {
                    let (keys, count) = fresh_keys(&score);
                    self.saved.row(keys, count);
                    self.scores.insert(score.registration_id.clone(), score);
                } else {
                    outcomes[slot] = Err("该考生的成绩刚被另一次导入登记，请重新导入".into());
                }
            }
        }
        Ok(saved(outcomes))
    }

    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize> {
        let table = ctx.state.table.as_ref();
        let earlier = std::mem::take(&mut self.earlier);
        let mut rows = self.saved.undo_with(table, earlier).await?;
        // A replaced score goes back only if nobody changed it since (a
        // later version stays, with its history), at a version after both.
        for (old, left, change) in std::mem::take(&mut self.replaced) {
            let mut back = old.clone();
            back.version = left + 1;
            let at = Some(Condition::VersionIs(left));
            let ops = vec![
                TxOp::Put {
                    item: to_item(&back.own_org_key(), &back)?,
                    condition: at.clone(),
                },
                TxOp::Put {
                    item: to_item(&back.own_school_key(), &back)?,
                    condition: at,
                },
                TxOp::Delete {
                    key: change,
                    condition: None,
                },
            ];
            match table.transact(ops).await {
                Ok(()) => rows += 1,
                Err(e) if e.is_conflict() => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(rows)
    }
}
