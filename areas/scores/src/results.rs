//! 考证结果 (manual §5.2.10): once a plan's scores are locked, each seated
//! registration's 考核状态 — 已通过 when every subject it sits meets the
//! certificate level's 通过条件 (全科合格: each subject at or above its 合格分,
//! no 缺考 or 违纪), else 未通过 — kept in the school's rows and the org's,
//! and the figures of 统计分析 counted as they are made ([`crate::stats`]).
//!
//! The results come from locked sheets only, and their time is the 公示期's
//! end: computing them again (a second closer run, a crash in between)
//! writes the same items, so it is safe to repeat.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::context;
use crate::model::{Outcome, Points, Score};
use crate::stats::{self, Tally};
use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::certificate::Level;
use vslc_exam::Plan;
use vslc_ports::table::{EncodedItem, Guarded, Key, TableError};
use vslc_ports::{AppState, DomainError, keyset, shard};
use vslc_scheduling::Seat;

/// Item family of the result rows in a tenant's partitions.
const RESULTS: &str = "RESULT";

/// 通过条件 of a certificate level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum PassCondition {
    /// Every subject at or above its 合格分, none 缺考 or 违纪.
    #[serde(rename = "全科合格")]
    AllSubjects,
}

impl PassCondition {
    pub fn label(self) -> &'static str {
        match self {
            PassCondition::AllSubjects => "全科合格",
        }
    }
}

/// 考核状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ResultStatus {
    #[serde(rename = "已通过")]
    Passed,
    #[serde(rename = "未通过")]
    Failed,
}

impl ResultStatus {
    pub const ALL: [ResultStatus; 2] = [ResultStatus::Passed, ResultStatus::Failed];

    pub fn label(self) -> &'static str {
        match self {
            ResultStatus::Passed => "已通过",
            ResultStatus::Failed => "未通过",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.label() == s.trim())
    }
}

/// A subject of a result: its locked score (none: no score was recorded).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubjectResult {
    pub subject_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Points>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<crate::model::Mark>,
    pub pass_mark: Points,
    pub passed: bool,
}

/// A registration's 考证结果.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertResult {
    pub plan_id: String,
    pub registration_id: String,
    pub org_id: String,
    pub school_id: String,
    pub school_name: String,
    pub certificate_id: String,
    pub level: Level,
    pub ticket_no: String,
    pub candidate_no: String,
    pub condition: PassCondition,
    pub status: ResultStatus,
    /// 实考: sat at least one subject (recorded, not 缺考).
    pub sat: bool,
    pub subjects: Vec<SubjectResult>,
    /// The 公示期's end: when the scores it comes from were locked.
    pub decided_at: String,
}

impl CertResult {
    fn sort_key(plan_id: &str, reg_id: &str) -> String {
        format!("{plan_id}#{reg_id}")
    }

    pub fn school_key(school_id: &str, plan_id: &str, reg_id: &str) -> Key {
        Key::new(
            Tenant::new(TenantKind::School, school_id).sharded(RESULTS, shard::of(reg_id)),
            Self::sort_key(plan_id, reg_id),
        )
    }

    pub fn org_key(org_id: &str, plan_id: &str, reg_id: &str) -> Key {
        Key::new(
            Tenant::new(TenantKind::Org, org_id).sharded(RESULTS, shard::of(reg_id)),
            Self::sort_key(plan_id, reg_id),
        )
    }

    /// Where a tenant's result rows are (every shard), under a plan or all.
    pub fn sources(tenant: &Tenant, plan_id: Option<&str>) -> Vec<keyset::Source> {
        let prefix = plan_id.map(|p| format!("{p}#")).unwrap_or_default();
        shard::all()
            .map(|s| keyset::Source {
                pk: tenant.sharded(RESULTS, s),
                prefix: prefix.clone(),
            })
            .collect()
    }

    /// The public id: `<计划 id>.<报考 id>`.
    pub fn public_id(&self) -> String {
        format!("{}.{}", self.plan_id, self.registration_id)
    }
}

/// A seated registration as the results gather it.
struct Gathered {
    school_id: String,
    school_name: String,
    ticket_no: String,
    candidate_no: String,
    /// Its subjects: those it is seated for and those its scores name.
    subjects: BTreeSet<String>,
    /// Locked scores by subject.
    scores: HashMap<String, Outcome>,
}

impl Gathered {
    /// A registration first met (at a seat or a score), nothing gathered yet.
    fn new(school_id: &str, school_name: &str, ticket_no: &str, candidate_no: &str) -> Self {
        Self {
            school_id: school_id.to_owned(),
            school_name: school_name.to_owned(),
            ticket_no: ticket_no.to_owned(),
            candidate_no: candidate_no.to_owned(),
            subjects: BTreeSet::new(),
            scores: HashMap::new(),
        }
    }
}

/// The registrations of a plan with what decides their results: every
/// seat at every school of the plan, and every locked score.
async fn gather(state: &AppState, plan: &Plan) -> Result<BTreeMap<String, Gathered>, DomainError> {
    let mut out: BTreeMap<String, Gathered> = BTreeMap::new();
    for school in &plan.schools {
        let tenant = Tenant::new(TenantKind::School, &school.school_id);
        let sources = Seat::school_sources(&tenant, Some(&plan.id), None);
        let seats: Vec<Seat> = keyset::each_in(state.table.as_ref(), &sources).await?;
        for s in seats {
            let g = out.entry(s.registration_id.clone()).or_insert_with(|| {
                Gathered::new(&s.school_id, &s.school_name, &s.ticket_no, &s.candidate_no)
            });
            g.subjects.insert(s.subject_id);
        }
    }
    let org = Tenant::new(TenantKind::Org, &plan.org_id);
    let scores: Vec<Score> = keyset::each_in(
        state.table.as_ref(),
        &Score::sources(&org, Some(&plan.id), None),
    )
    .await?;
    for s in scores {
        let g = out.entry(s.registration_id.clone()).or_insert_with(|| {
            Gathered::new(&s.school_id, &s.school_name, &s.ticket_no, &s.candidate_no)
        });
        g.subjects.extend(s.subjects.iter().cloned());
        g.subjects.insert(s.subject_id.clone());
        g.scores.insert(s.subject_id, s.outcome);
    }
    Ok(out)
}

/// Decides one registration's result.
fn decide(
    plan: &Plan,
    reg_id: String,
    g: Gathered,
    pass_marks: &HashMap<String, Points>,
) -> Option<CertResult> {
    let first = g.subjects.iter().find_map(|s| plan.subject(s))?;
    let subjects: Vec<SubjectResult> = g
        .subjects
        .iter()
        .map(|id| {
            let pass = pass_marks.get(id).copied().unwrap_or(Points::whole(60));
            let outcome = g.scores.get(id);
            SubjectResult {
                subject_id: id.clone(),
                score: outcome.and_then(|o| o.points),
                mark: outcome.and_then(|o| o.mark),
                pass_mark: pass,
                passed: outcome.is_some_and(|o| o.passes(pass)),
            }
        })
        .collect();
    let passed = !subjects.is_empty() && subjects.iter().all(|s| s.passed);
    // 实考: present for at least one subject (a 违纪 without a score sat).
    let sat = g
        .scores
        .values()
        .any(|o| o.mark != Some(crate::model::Mark::Absent));
    Some(CertResult {
        plan_id: plan.id.clone(),
        registration_id: reg_id,
        org_id: plan.org_id.clone(),
        school_id: g.school_id,
        school_name: g.school_name,
        certificate_id: first.certificate_id.clone(),
        level: first.level,
        ticket_no: g.ticket_no,
        candidate_no: g.candidate_no,
        condition: PassCondition::AllSubjects,
        status: if passed {
            ResultStatus::Passed
        } else {
            ResultStatus::Failed
        },
        sat,
        subjects,
        decided_at: plan.publicity.end.clone(),
    })
}

/// Results written per call.
const BATCH: usize = 10_000;

/// A result's two rows, written if absent: a result is decided once, from
/// locked scores, so one already there is the same (a second run writes
/// nothing).
fn result_group(r: &CertResult) -> Result<Guarded, TableError> {
    let body = serde_json::to_vec(r).map_err(|e| TableError::Invalid(e.to_string()))?;
    Ok(Guarded {
        guards: vec![
            EncodedItem::with_body(
                CertResult::school_key(&r.school_id, &r.plan_id, &r.registration_id),
                &body,
            )?,
            EncodedItem::with_body(
                CertResult::org_key(&r.org_id, &r.plan_id, &r.registration_id),
                &body,
            )?,
        ],
        items: Vec::new(),
        updates: Vec::new(),
        checks: Vec::new(),
        counts: Vec::new(),
    })
}

/// Computes and stores the results of a plan whose scores are locked, and
/// the figures they add up to; returns how many results.
pub async fn compute_plan(state: &AppState, plan: &Plan) -> anyhow::Result<usize> {
    let pass_marks: HashMap<String, Points> = context::marks(state, plan)
        .await?
        .into_iter()
        .map(|(id, (_, pass))| (id, pass))
        .collect();
    let gathered = gather(state, plan).await?;
    let mut tallies: BTreeMap<(String, String, Level), Tally> = BTreeMap::new();
    let mut groups = Vec::with_capacity(BATCH);
    let mut count = 0;
    for (reg_id, g) in gathered {
        let Some(r) = decide(plan, reg_id, g, &pass_marks) else {
            continue;
        };
        tallies
            .entry((r.school_id.clone(), r.certificate_id.clone(), r.level))
            .or_insert_with(|| stats::tally_of(plan, &r))
            .add(&r);
        groups.push(result_group(&r)?);
        count += 1;
        if groups.len() >= BATCH {
            state
                .table
                .insert_guarded(std::mem::take(&mut groups))
                .await?;
        }
    }
    if !groups.is_empty() {
        state.table.insert_guarded(groups).await?;
    }
    stats::store(state, plan, tallies.into_values().collect()).await?;
    Ok(count)
}
