//! 批量导入报考: `registrations-by-certificate` (按证书导入, `params.planId`)
//! and `registrations-by-subject` (按科目导入, `params.planId` and
//! `params.certificateId`). Each row is one registration, written with its
//! per-subject guards and the candidate's counter in one group; a re-run of
//! the same import recognises its own guards.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use serde::Serialize;

use super::eligibility::{
    candidate_ready, certificate_subjects, major_allowed, plan_open, subject_fits,
};
use super::model::{CandidateSnapshot, RegSubject, Registration};
use vslc_accounts::Tenant;
use vslc_candidates::Candidate;
use vslc_catalogue::certificate::{Certificate, Level};
use vslc_catalogue::pilot::Pilot;
use vslc_exam::Plan;
use vslc_exam::plans::RegistrationMode;
use vslc_imports::{About, Column, ImportContext, ImportKind, Row, RowSink, Saved, Saving, saved};
use vslc_ports::AppState;
use vslc_ports::keyset;
use vslc_ports::table::{
    BatchOp, Condition, EncodedItem, Group, Guarded, Key, TableError, TableExt, TxOp, Update,
};

pub struct RegistrationsImport {
    pub mode: RegistrationMode,
}

const H_WHO: &str = "考生编号或证件号码";
const H_NAME: &str = "姓名";
const H_CERT: &str = "考试证书";
const H_LEVEL: &str = "证书等级";
const H_SUBJECT: &str = "考试科目";

fn param<'a>(params: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .and_then(|p| p.as_str())
        .filter(|p| !p.is_empty())
}

/// A published plan the school takes part in.
async fn school_plan(state: &AppState, school: &Tenant, id: &str) -> anyhow::Result<Option<Plan>> {
    Plan::for_school(state, school, id)
        .await
        .map_err(anyhow::Error::from)
}

#[async_trait]
impl ImportKind for RegistrationsImport {
    fn about(&self) -> About {
        match self.mode {
            RegistrationMode::ByCertificate => {
                About::school("registrations-by-certificate", "批量导入报考-按证书导入")
                    .formerly(&["registrations-cert"])
            }
            RegistrationMode::BySubject => {
                About::school("registrations-by-subject", "批量导入报考-按科目导入")
                    .formerly(&["registrations-subject"])
            }
        }
    }
    fn check_params(&self, params: &serde_json::Value) -> Result<(), String> {
        if param(params, "planId").is_none() {
            return Err("请先选择考试计划".into());
        }
        if self.mode == RegistrationMode::BySubject && param(params, "certificateId").is_none() {
            return Err("请先选择考核证书".into());
        }
        Ok(())
    }
    fn columns(&self, _params: &serde_json::Value) -> Vec<Column> {
        let mut cols = vec![
            Column::required(H_WHO, "26位考生编号，或考生的证件号码"),
            Column::optional(H_NAME, "填写时须与考生信息一致"),
        ];
        match self.mode {
            RegistrationMode::ByCertificate => {
                cols.push(Column::required(H_CERT, "从下拉列表选择"));
                cols.push(Column {
                    choices: Some(vec!["初级".into(), "中级".into(), "高级".into()]),
                    ..Column::required(H_LEVEL, "初级、中级或高级")
                });
            }
            RegistrationMode::BySubject => {
                cols.push(Column::required(
                    H_SUBJECT,
                    "从下拉列表选择，或填写科目代码",
                ));
            }
        }
        cols
    }
    fn sample(&self, _params: &serde_json::Value) -> Vec<&'static str> {
        match self.mode {
            RegistrationMode::ByCertificate => vec![
                "51332120211635871875143006",
                "王强",
                "Web前端开发职业技能等级证书",
                "初级",
            ],
            RegistrationMode::BySubject => {
                vec!["51332120211635871875143006", "王强", "WEB01 理论知识"]
            }
        }
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        vec![
            "1. 带 * 的列为必填项；请勿修改表头，第2行示例数据导入时自动忽略。".into(),
            "2. 考试计划须处于报名时间内，且参考院校包含本校。".into(),
            "3. 考生须为本校考生且信息状态为“信息准确”；院校考生的就读专业须在证书对应的专业之内（见“证书信息管理”）。".into(),
            "4. 科目的参考对象不是“所有考生”时，按考生类型（院校考生/社会考生）确定可报考的科目。".into(),
            "5. 同一考生在同一考试计划中不能重复报考同一科目；导入后可在导入记录中下载失败数据。".into(),
        ]
    }

    async fn choices(
        &self,
        state: &AppState,
        tenant: &Tenant,
        params: &serde_json::Value,
    ) -> anyhow::Result<HashMap<&'static str, Vec<String>>> {
        let Some(plan) = (match param(params, "planId") {
            Some(id) => school_plan(state, tenant, id).await?,
            None => None,
        }) else {
            return Ok(HashMap::new());
        };
        Ok(match self.mode {
            RegistrationMode::ByCertificate => HashMap::from([(
                H_CERT,
                plan.certificates
                    .iter()
                    .map(|c| c.certificate_name.clone())
                    .collect(),
            )]),
            RegistrationMode::BySubject => {
                let cert = param(params, "certificateId").unwrap_or_default();
                HashMap::from([(
                    H_SUBJECT,
                    plan.subjects
                        .iter()
                        .filter(|s| s.certificate_id == cert)
                        .map(|s| format!("{} {}", s.code, s.name))
                        .collect(),
                )])
            }
        })
    }

    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        let state = ctx.state;
        let school = ctx.record.tenant.clone();
        let params = &ctx.record.params;
        let plan = school_plan(state, &school, param(params, "planId").unwrap_or_default()).await?;
        let candidates = vslc_candidates::service::all(state, &school)
            .await
            .map_err(anyhow::Error::from)?;
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in candidates.iter().enumerate() {
            by_id.entry(c.id_number.clone()).or_default().push(i);
        }
        let by_no = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.candidate_no.clone(), i))
            .collect();
        let pilots = Pilot::of_school(state.table.as_ref(), &school)
            .await?
            .into_iter()
            .map(|p| (p.certificate_id.clone(), p))
            .collect();
        let mut certificates = HashMap::new();
        let mut guards = HashMap::new();
        if let Some(plan) = &plan {
            for c in &plan.certificates {
                if let Some(cert) =
                    Certificate::load(state.table.as_ref(), &c.certificate_id).await?
                {
                    certificates.insert(cert.id.clone(), cert);
                }
            }
            let prefix = format!("{}#", plan.id);
            let sources = Registration::guard_sources(&school, &plan.id);
            let stored: Vec<serde_json::Map<String, serde_json::Value>> =
                keyset::all_in(state.table.as_ref(), &sources).await?;
            for g in stored {
                let sk = g.get("sk").and_then(|v| v.as_str()).unwrap_or_default();
                let field = |name: &str| g.get(name).and_then(|v| v.as_str()).map(str::to_owned);
                guards.insert(
                    sk.trim_start_matches(&prefix).to_owned(),
                    StoredGuard {
                        import: field("importId"),
                        registration: field("registrationId"),
                    },
                );
            }
        }
        Ok(Box::new(RegistrationsSink {
            mode: self.mode,
            school,
            certificate_id: param(params, "certificateId").map(str::to_owned),
            plan,
            candidates,
            by_no,
            by_id,
            pilots,
            certificates,
            guards,
            first_row: HashMap::new(),
            saved: Saved::default(),
        }))
    }
}

struct RegistrationsSink {
    mode: RegistrationMode,
    school: Tenant,
    /// 按科目: the certificate chosen for the import.
    certificate_id: Option<String>,
    plan: Option<Plan>,
    candidates: Vec<Candidate>,
    by_no: HashMap<String, usize>,
    by_id: HashMap<String, Vec<usize>>,
    pilots: HashMap<String, Pilot>,
    certificates: HashMap<String, Certificate>,
    /// Registration guards of this plan when the import started, by `<考生编号>#<subject>`.
    guards: HashMap<String, StoredGuard>,
    /// `<考生编号>#<subject>` → first row of this file.
    first_row: HashMap<String, usize>,
    /// What this import saved, for `undo`.
    saved: Saved,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GuardRef<'a> {
    registration_id: &'a str,
    import_id: &'a str,
    /// What a payment order needs, so it reads the small guards instead of
    /// the registrations (one guard per registration in either mode).
    certificate_id: &'a str,
    fee_cents: u64,
    /// The subjects it sits: what confirming its order counts as paid.
    subject_ids: Vec<&'a str>,
}

/// The writes that store a new registration (by an import, or the demo
/// data): a guard per part it holds, itself, its row in the every-plan
/// list, its candidate's counter (unless the candidate was deleted
/// meanwhile) and the school's counters. Answers the group and the keys
/// that take it back.
pub fn insert_group(
    school: &Tenant,
    reg: &Registration,
    kind: vslc_candidates::CandidateKind,
    import_id: &str,
) -> Result<(Guarded, Vec<Key>), TableError> {
    let guard_ref = GuardRef {
        registration_id: &reg.id,
        import_id,
        certificate_id: &reg.certificate_id,
        fee_cents: reg.fee_cents,
        subject_ids: reg.subjects.iter().map(|s| s.subject_id.as_str()).collect(),
    };
    let no = &reg.candidate.candidate_no;
    let guards = reg
        .guards()
        .iter()
        .map(|part| {
            EncodedItem::new(
                Registration::guard_key(school, &reg.plan_id, no, part),
                &guard_ref,
            )
        })
        .collect::<Result<Vec<_>, TableError>>()?;
    let reg_key = Registration::key(school, &reg.plan_id, &reg.id);
    let row_key = Registration::list_row_key(school, &reg.plan_id, &reg.id);
    let keys = guards
        .iter()
        .map(|g| g.key().clone())
        .chain([reg_key.clone(), row_key.clone()])
        .collect();
    let group = Guarded {
        guards,
        items: vec![
            EncodedItem::new(reg_key, reg)?,
            EncodedItem::new(row_key, &serde_json::Map::new())?,
        ],
        updates: vec![(
            Candidate::count_key(school, kind, no),
            Update::new().add(Candidate::COUNT, 1),
            Candidate::countable(),
        )],
        checks: Vec::new(),
        counts: reg.counts(school, 1),
    };
    Ok((group, keys))
}

/// What a row asks for, once checked.
struct Wanted {
    candidate: usize,
    certificate_id: String,
    certificate_name: String,
    level: Level,
    subjects: Vec<RegSubject>,
    fee_cents: u64,
}

/// A registration guard as the import found it.
struct StoredGuard {
    import: Option<String>,
    registration: Option<String>,
}

enum Verdict {
    New(Box<Wanted>),
    /// Saved by this import before (a redelivery): what it wrote then, so
    /// that a failed run can take it back too.
    Own {
        created: Vec<Key>,
        counter: Key,
    },
}

impl RegistrationsSink {
    fn candidate(&self, who: &str) -> Result<usize, String> {
        let who = vslc_ports::domain::text::normalise(who).to_uppercase();
        if who.is_empty() {
            return Err("请填写考生编号或证件号码".into());
        }
        if let Some(&i) = self.by_no.get(&who) {
            return Ok(i);
        }
        match self.by_id.get(&who).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(_) => Err("该证件号码对应多名考生，请填写考生编号".into()),
            None => Err(format!("本校没有考生编号或证件号码为 {who} 的考生")),
        }
    }

    fn check(&mut self, plan: &Plan, row: &Row, import_id: &str) -> Result<Verdict, String> {
        let i = self.candidate(row.cell(0))?;
        let c = &self.candidates[i];
        let name = row.cell(1).trim();
        if !name.is_empty() && name != c.name {
            return Err(format!("姓名与考生信息不一致（系统中为{}）", c.name));
        }
        candidate_ready(c)?;
        let (cert_id, level, subjects, fee) = match self.mode {
            RegistrationMode::ByCertificate => {
                let cell = row.cell(2).trim();
                let pc = plan
                    .certificates
                    .iter()
                    .find(|p| p.certificate_name == cell || p.certificate_id == cell)
                    .ok_or_else(|| format!("考试证书“{cell}”不在本考试计划中"))?;
                let level_cell = row.cell(3).trim();
                let level = [Level::Junior, Level::Intermediate, Level::Senior]
                    .into_iter()
                    .find(|l| l.label() == level_cell)
                    .ok_or_else(|| format!("证书等级“{level_cell}”无效，应为初级、中级或高级"))?;
                if !pc.levels.contains(&level) {
                    return Err(format!(
                        "本考试计划不含{}({})",
                        pc.certificate_name,
                        level.label()
                    ));
                }
                let subjects = certificate_subjects(plan, &pc.certificate_id, level, c.kind)?;
                (pc.certificate_id.clone(), level, subjects, pc.fee_cents)
            }
            RegistrationMode::BySubject => {
                let cert = self.certificate_id.clone().unwrap_or_default();
                let cell = row.cell(2).trim();
                let code = cell.split_whitespace().next().unwrap_or(cell);
                let s = plan
                    .subjects
                    .iter()
                    .filter(|s| s.certificate_id == cert)
                    .find(|s| s.code == code || s.name == cell)
                    .ok_or_else(|| format!("考试科目“{cell}”不是本考试计划中该证书的科目"))?;
                let subject = subject_fits(s, c.kind)?;
                (cert, s.level, vec![subject], s.fee_cents)
            }
        };
        let certificate = self
            .certificates
            .get(&cert_id)
            .ok_or_else(|| "考试证书不存在".to_string())?;
        major_allowed(c, certificate, level, self.pilots.get(&cert_id))?;

        let keys: Vec<String> = Registration::guard_parts(self.mode, &cert_id, level, &subjects)
            .into_iter()
            .map(|part| format!("{}#{part}", c.candidate_no))
            .collect();
        if let Some(first) = keys.iter().find_map(|k| self.first_row.get(k)) {
            return Err(format!("与第{first}行重复报考"));
        }
        for k in &keys {
            self.first_row.insert(k.clone(), row.number);
        }
        let existing: Vec<&StoredGuard> = keys.iter().filter_map(|k| self.guards.get(k)).collect();
        if !existing.is_empty() {
            if existing.len() == keys.len()
                && existing
                    .iter()
                    .all(|g| g.import.as_deref() == Some(import_id))
            {
                let mut created: Vec<Key> =
                    Registration::guard_parts(self.mode, &cert_id, level, &subjects)
                        .iter()
                        .map(|part| {
                            Registration::guard_key(&self.school, &plan.id, &c.candidate_no, part)
                        })
                        .collect();
                if let Some(id) = existing.iter().find_map(|g| g.registration.as_deref()) {
                    created.push(Registration::key(&self.school, &plan.id, id));
                    created.push(Registration::list_row_key(&self.school, &plan.id, id));
                }
                return Ok(Verdict::Own {
                    created,
                    counter: Candidate::count_key(&self.school, c.kind, &c.candidate_no),
                });
            }
            let taken: Vec<&str> = match self.mode {
                RegistrationMode::ByCertificate => {
                    subjects.iter().map(|s| s.name.as_str()).collect()
                }
                RegistrationMode::BySubject => subjects
                    .iter()
                    .zip(&keys)
                    .filter(|(_, k)| self.guards.contains_key(*k))
                    .map(|(s, _)| s.name.as_str())
                    .collect(),
            };
            return Err(format!("该考生已报考本计划的科目：{}", taken.join("、")));
        }
        Ok(Verdict::New(Box::new(Wanted {
            candidate: i,
            certificate_id: certificate.id.clone(),
            certificate_name: certificate.name.clone(),
            level,
            subjects,
            fee_cents: fee,
        })))
    }
}

#[async_trait]
impl RowSink for RegistrationsSink {
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving> {
        let state = ctx.state;
        let Some(plan) = self.plan.clone() else {
            return Ok(saved(
                rows.iter()
                    .map(|_| Err("考试计划不存在或本校不是该计划的参考院校".to_string()))
                    .collect(),
            ));
        };
        let now = state.clock.now_local();
        if let Err(reason) = plan_open(&plan, self.mode, now) {
            return Ok(saved(rows.iter().map(|_| Err(reason.clone())).collect()));
        }
        let created = state.clock.now_text();
        let import_id = ctx.record.id.as_str();
        let mut outcomes = Vec::with_capacity(rows.len());
        let mut groups = Vec::new();
        let mut positions = Vec::new();
        let mut undo_of = Vec::new();
        for (pos, row) in rows.iter().enumerate() {
            match self.check(&plan, row, import_id) {
                Err(reason) => outcomes.push(Err(reason)),
                Ok(Verdict::Own { created, counter }) => {
                    outcomes.push(Ok(()));
                    if !ctx.dry_run {
                        self.saved.row(created, Some((counter, Candidate::COUNT)));
                    }
                }
                Ok(Verdict::New(w)) => {
                    outcomes.push(Ok(()));
                    if ctx.dry_run {
                        continue;
                    }
                    let c = &self.candidates[w.candidate];
                    let reg = Registration {
                        id: ulid::Ulid::new().to_string(),
                        school_id: self.school.id.clone(),
                        plan_id: plan.id.clone(),
                        plan_name: plan.name.clone(),
                        org_id: plan.org_id.clone(),
                        mode: self.mode,
                        certificate_id: w.certificate_id,
                        certificate_name: w.certificate_name,
                        level: w.level,
                        subjects: w.subjects,
                        candidate: CandidateSnapshot::of(c),
                        fee_cents: w.fee_cents,
                        scheduled: false,
                        import_id: Some(import_id.to_owned()),
                        created_at: created.clone(),
                        version: 1,
                    };
                    let (group, keys) = insert_group(&self.school, &reg, c.kind, import_id)?;
                    undo_of.push((
                        keys,
                        Candidate::count_key(&self.school, c.kind, &c.candidate_no),
                    ));
                    groups.push(group);
                    positions.push(pos);
                }
            }
        }
        if groups.is_empty() {
            return Ok(saved(outcomes));
        }
        let table = state.table.clone();
        let saved = self.saved.clone();
        Ok(Box::pin(async move {
            let won = table.insert_guarded(groups).await?;
            for ((pos, won), (keys, count)) in positions.into_iter().zip(won).zip(undo_of) {
                if won {
                    saved.row(keys, Some((count, Candidate::COUNT)));
                } else {
                    outcomes[pos] =
                        Err("该考生已报考该科目，或考生信息已变化，请刷新后重试".into());
                }
            }
            Ok(outcomes)
        }))
    }

    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize> {
        let Some(plan) = &self.plan else {
            return self.saved.undo(ctx.state.table.as_ref()).await;
        };
        // What earlier deliveries saved, by registration: its guards and
        // itself.
        let mut by_registration: HashMap<&str, (Vec<Key>, &str)> = HashMap::new();
        for (k, g) in &self.guards {
            if g.import.as_deref() != Some(ctx.record.id.as_str()) {
                continue;
            }
            let (Some(reg), Some((no, part))) = (g.registration.as_deref(), k.split_once('#'))
            else {
                continue;
            };
            by_registration
                .entry(reg)
                .or_insert_with(|| (Vec::new(), no))
                .0
                .push(Registration::guard_key(&self.school, &plan.id, no, part));
        }
        let earlier: Vec<Vec<Key>> = by_registration
            .into_iter()
            .map(|(reg, (mut keys, _))| {
                keys.sort_by(|a, b| a.sk.cmp(&b.sk));
                keys.push(Registration::key(&self.school, &plan.id, reg));
                keys.push(Registration::list_row_key(&self.school, &plan.id, reg));
                keys
            })
            .collect();
        let (mut rows, mut created, _) = self.saved.take();
        let seen: HashSet<Key> = created.iter().cloned().collect();
        for keys in earlier {
            if !keys.is_empty() && keys.iter().all(|k| !seen.contains(k)) {
                rows += 1;
                created.extend(keys);
            }
        }
        // Each registration still there goes with its guards, its list
        // row, its candidate's count and its counters, all at once.
        let (registrations, guards): (Vec<Key>, Vec<Key>) = created
            .into_iter()
            .partition(|k| Registration::is_item_key(&self.school, k));
        let table = ctx.state.table.as_ref();
        // A registration an order claimed meanwhile stays (the claim must
        // be absent), whole, with its guards and row: taking it back would
        // leave the order counting one that is gone.
        let mut kept: HashSet<Key> = HashSet::new();
        let mut claimed = 0;
        for chunk in registrations.chunks(1_000) {
            let found: Vec<Registration> = table.get_many_as(chunk.to_vec()).await?;
            let groups =
                found
                    .iter()
                    .map(|r| {
                        let mut ops = vec![
                            TxOp::Delete {
                                key: Registration::key(&self.school, &r.plan_id, &r.id),
                                condition: Some(Condition::Exists),
                            },
                            TxOp::Delete {
                                key: Registration::list_row_key(&self.school, &r.plan_id, &r.id),
                                condition: None,
                            },
                        ];
                        ops.extend(r.guard_keys(&self.school).into_iter().map(|key| {
                            TxOp::Delete {
                                key,
                                condition: None,
                            }
                        }));
                        ops.push(TxOp::Update {
                            key: Candidate::count_key(
                                &self.school,
                                r.candidate.kind,
                                &r.candidate.candidate_no,
                            ),
                            update: Update::new().add(Candidate::COUNT, -1),
                            condition: Some(Candidate::countable()),
                        });
                        ops.push(TxOp::Check {
                            key: Registration::claim_key(&self.school, &r.plan_id, &r.id),
                            condition: Condition::NotExists,
                        });
                        Group {
                            ops,
                            counts: r.counts(&self.school, -1),
                        }
                    })
                    .collect();
            let taken = table.apply_groups(groups).await?;
            // Those not taken back that are still there stay whole.
            let refused: Vec<Key> = found
                .iter()
                .zip(&taken)
                .filter(|(_, taken)| !**taken)
                .map(|(r, _)| Registration::key(&self.school, &r.plan_id, &r.id))
                .collect();
            let staying: Vec<Registration> = if refused.is_empty() {
                Vec::new()
            } else {
                table.get_many_as(refused).await?
            };
            for r in &staying {
                claimed += 1;
                kept.insert(Registration::list_row_key(&self.school, &r.plan_id, &r.id));
                kept.extend(r.guard_keys(&self.school));
            }
        }
        if claimed > 0 {
            tracing::info!(
                import = %ctx.record.id,
                staying = claimed,
                "registrations not taken back (claimed by an order meanwhile) stay whole"
            );
        }
        // Guards and rows whose registration was never written (or is gone).
        let gone: Vec<Key> = guards.into_iter().filter(|k| !kept.contains(k)).collect();
        for chunk in gone.chunks(1_000) {
            table
                .batch_write(chunk.iter().cloned().map(BatchOp::Delete).collect())
                .await?;
        }
        Ok(rows.saturating_sub(claimed))
    }
}
