//! 考试计划 (manual §5.2.2): an org's plan names its certificates and
//! levels, the subjects with their exam times, the 参考院校, the 报考方式 and
//! fees, and the windows every later step obeys. Drafts are the org's own;
//! a published plan is read-only and visible to its schools.

use std::collections::{HashMap, HashSet};
use vslc_ports::Caller;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{self, Audience, ExamMethod, PlanPhase, PublishStatus};
use super::subjects::Subject;
use super::window::Window;
use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::certificate::{Certificate, Level};
use vslc_catalogue::pilot::Pilot;
use vslc_http::{CursorPage, CursorParams, filter};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::{OptionalId, RecordId};
use vslc_ports::keyset;
use vslc_ports::table::{
    BatchOp, Condition, Index, Item, Key, Query, TableError, TableExt, Update, to_indexed_item,
};
use vslc_ports::tenant::org_index;

/// 报考方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum RegistrationMode {
    #[serde(rename = "按证书")]
    ByCertificate,
    #[serde(rename = "按科目")]
    BySubject,
}

impl RegistrationMode {
    pub fn label(self) -> &'static str {
        match self {
            RegistrationMode::ByCertificate => "按证书",
            RegistrationMode::BySubject => "按科目",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanCertificate {
    pub certificate_id: String,
    pub certificate_name: String,
    pub levels: Vec<Level>,
    /// 报考费 per certificate and level (分); used when 按证书.
    pub fee_cents: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanSubject {
    pub subject_id: String,
    pub code: String,
    pub name: String,
    pub certificate_id: String,
    pub level: Level,
    pub method: ExamMethod,
    pub audience: Audience,
    pub duration_minutes: u32,
    /// 考试时间.
    pub exam: Window,
    /// 报考费 per subject (分); used when 按科目.
    pub fee_cents: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanSchool {
    pub school_id: String,
    pub school_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub name: String,
    pub mode: RegistrationMode,
    pub certificates: Vec<PlanCertificate>,
    pub subjects: Vec<PlanSubject>,
    /// 参考院校.
    pub schools: Vec<PlanSchool>,
    /// 报名时间.
    pub registration: Window,
    /// 排考时间.
    pub scheduling: Window,
    /// 成绩登记时间.
    pub score_entry: Window,
    /// 公示期.
    pub publicity: Window,
    #[serde(default)]
    pub remark: String,
    /// 考试须知, printed on every 准考证 (a standard text when empty).
    #[serde(default)]
    pub exam_notice: String,
    pub status: PublishStatus,
    pub created_at: String,
    #[serde(default)]
    pub published_at: Option<String>,
    pub version: u64,
}

impl Plan {
    pub fn key(id: &str) -> Key {
        model::key::<Self>(id)
    }

    pub async fn load(state: &AppState, id: &str) -> Result<Option<Plan>, DomainError> {
        model::load(state, id).await
    }

    /// (first exam start, last exam end).
    pub fn exam_span(&self) -> (NaiveDateTime, NaiveDateTime) {
        let starts = self.subjects.iter().map(|s| s.exam.bounds().0);
        let ends = self.subjects.iter().map(|s| s.exam.bounds().1);
        (
            starts.min().unwrap_or_default(),
            ends.max().unwrap_or_default(),
        )
    }

    /// The plan's status at `now` (China time).
    pub fn phase(&self, now: NaiveDateTime) -> PlanPhase {
        if self.status == PublishStatus::Draft {
            return PlanPhase::Draft;
        }
        let (first_exam, last_exam) = self.exam_span();
        let steps = [
            (self.registration.bounds().0, PlanPhase::NotStarted),
            (self.registration.bounds().1, PlanPhase::Registration),
            (self.scheduling.bounds().0, PlanPhase::AwaitingScheduling),
            (self.scheduling.bounds().1, PlanPhase::Scheduling),
            (first_exam, PlanPhase::AwaitingExam),
            (last_exam, PlanPhase::Examining),
            (self.publicity.bounds().0, PlanPhase::ScoreEntry),
            (self.publicity.bounds().1, PlanPhase::Publicity),
        ];
        steps
            .into_iter()
            .find(|(until, _)| now < *until)
            .map_or(PlanPhase::Ended, |(_, phase)| phase)
    }

    pub fn includes_school(&self, school_id: &str) -> bool {
        self.schools.iter().any(|s| s.school_id == school_id)
    }

    pub fn subject(&self, id: &str) -> Option<&PlanSubject> {
        self.subjects.iter().find(|s| s.subject_id == id)
    }

    pub fn certificate(&self, id: &str) -> Option<&PlanCertificate> {
        self.certificates.iter().find(|c| c.certificate_id == id)
    }

    /// Plans by id, read together (missing ones left out).
    pub async fn load_many(state: &AppState, ids: &[String]) -> Result<Vec<Plan>, DomainError> {
        let keys = ids.iter().map(|id| Self::key(id)).collect();
        Ok(state.table.get_many_as(keys).await?)
    }

    /// The plan as stored: also on its org's index (`ORG#<orgId>#PLANS`,
    /// by id, so newest last), which the org's plan list reads; once
    /// published, on the provinces' index of published plans too.
    pub fn to_item(&self) -> Result<Item, TableError> {
        let mut item = to_indexed_item(
            &Self::key(&self.id),
            self,
            Index::Gsi1,
            Key::new(org_index(&self.org_id, "PLANS"), self.id.clone()),
        )?;
        if self.status == PublishStatus::Published {
            for (name, value) in published_index(&self.id) {
                item.insert(name.into(), value.into());
            }
        }
        Ok(item)
    }

    /// Where a school finds the plans naming it among the 参考院校:
    /// `T#school#<id>#EXAMPLANS`, one key-only row per plan id.
    fn school_row(school_id: &str, plan_id: &str) -> Key {
        Key::new(
            Tenant::new(TenantKind::School, school_id).index("EXAMPLANS"),
            plan_id,
        )
    }

    /// Writes the rows of its 参考院校, before it is published (a plan
    /// never changes afterwards). Readers check the plan itself, so a row
    /// left by a draft that was then edited or deleted shows nothing.
    pub async fn index_schools(&self, state: &AppState) -> Result<(), TableError> {
        let rows = self
            .schools
            .iter()
            .map(|s| {
                let key = Self::school_row(&s.school_id, &self.id);
                let mut item = Item::new();
                item.insert(vslc_ports::table::PK.into(), key.pk.into());
                item.insert(vslc_ports::table::SK.into(), key.sk.into());
                BatchOp::Put(item)
            })
            .collect();
        state.table.batch_write(rows).await
    }

    /// A published plan the school takes part in, by id (others: None).
    pub async fn for_school(
        state: &AppState,
        school: &Tenant,
        id: &str,
    ) -> Result<Option<Plan>, DomainError> {
        Ok(Self::load(state, id)
            .await?
            .filter(|p| p.status == PublishStatus::Published && p.includes_school(&school.id)))
    }

    /// The published plans a school takes part in: its rows, then those
    /// plans by key — never every org's plans.
    pub async fn of_school(state: &AppState, school: &Tenant) -> Result<Vec<Plan>, DomainError> {
        #[derive(Deserialize)]
        struct Row {
            sk: String,
        }
        let rows: Vec<Row> = state
            .table
            .query_all_as(Query::partition(school.index("EXAMPLANS")))
            .await?;
        let ids: Vec<String> = rows.into_iter().map(|r| r.sk).collect();
        let mut plans = Self::load_many(state, &ids).await?;
        plans.retain(|p| p.status == PublishStatus::Published && p.includes_school(&school.id));
        Ok(plans)
    }

    /// An org's plans, drafts included, from its index.
    pub async fn of_org(state: &AppState, org_id: &str) -> Result<Vec<Plan>, DomainError> {
        Ok(state
            .table
            .query_all_as(Query::index(Index::Gsi1, org_index(org_id, "PLANS")))
            .await?)
    }
}

/// The index of every published plan (`gsi2pk`; `gsi2sk` = plan id), which
/// the provinces' plan list reads.
const PUBLISHED_PLANS: &str = "EXAM#PUBLISHED_PLANS";

/// A published plan's attributes on that index (written when it is
/// published, and by `to_item` for one that is).
fn published_index(id: &str) -> [(&'static str, String); 2] {
    [
        (Index::Gsi2.pk_attr(), PUBLISHED_PLANS.to_owned()),
        (Index::Gsi2.sk_attr(), id.to_owned()),
    ]
}

/// A plan as lists and details show it: with its derived status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: Plan,
    /// 计划状态 (derived).
    pub phase: PlanPhase,
}

/// 分 → "120.00" (元).
pub fn yuan(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A school sees only itself among the 参考院校.
fn view(state: &AppState, caller: &Caller, mut plan: Plan) -> PlanView {
    if caller.tenant.kind == TenantKind::School {
        plan.schools.retain(|s| s.school_id == caller.tenant.id);
    }
    let phase = plan.phase(state.clock.now_local());
    PlanView { plan, phase }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanCertificateInput {
    pub certificate_id: RecordId,
    pub levels: Vec<Level>,
    #[serde(default)]
    pub fee_cents: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanSubjectInput {
    pub subject_id: RecordId,
    pub exam: Window,
    #[serde(default)]
    pub fee_cents: u64,
}

/// 新增 / 编辑考试计划.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanInput {
    pub name: String,
    pub mode: RegistrationMode,
    pub certificates: Vec<PlanCertificateInput>,
    pub subjects: Vec<PlanSubjectInput>,
    /// 参考院校 (学校代码).
    pub school_ids: Vec<RecordId>,
    pub registration: Window,
    pub scheduling: Window,
    pub score_entry: Window,
    pub publicity: Window,
    #[serde(default)]
    pub remark: String,
    /// 考试须知 for the 准考证 (up to 1,000 characters; empty: the standard
    /// text).
    #[serde(default)]
    pub exam_notice: String,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PlanFilter {
    /// 计划名称 (contains).
    pub name: Option<String>,
    /// 计划状态 (未发布/未开始/报名中/待排考/排考中/待考试/考试中/成绩登记中/公示中/已结束).
    pub phase: Option<String>,
    #[param(value_type = Option<String>)]
    pub certificate_id: OptionalId,
}

/// A school an org may name as 参考院校: it takes part in some of the
/// org's certificates.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EligibleSchool {
    pub school_id: String,
    pub school_name: String,
    /// Certificates it takes part in, with the levels.
    pub certificates: Vec<EligibleCertificate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EligibleCertificate {
    pub certificate_id: String,
    pub levels: Vec<Level>,
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_PLAN", message.into())
}

/// The org's pilots: which schools take part in which of its certificates.
async fn org_pilots(state: &AppState, org_id: &str) -> Result<Vec<Pilot>, DomainError> {
    Ok(Pilot::of_org(state.table.as_ref(), org_id).await?)
}

pub async fn eligible_schools(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<EligibleSchool>, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let mut by_school: HashMap<String, EligibleSchool> = HashMap::new();
    for p in org_pilots(state, &org.id).await? {
        by_school
            .entry(p.school_id.clone())
            .or_insert_with(|| EligibleSchool {
                school_id: p.school_id.clone(),
                school_name: p.school_name.clone(),
                certificates: Vec::new(),
            })
            .certificates
            .push(EligibleCertificate {
                certificate_id: p.certificate_id,
                levels: p.levels,
            });
    }
    let mut out: Vec<EligibleSchool> = by_school.into_values().collect();
    out.sort_by(|a, b| a.school_id.cmp(&b.school_id));
    Ok(out)
}

/// The parts of a plan checked from its input.
struct Checked {
    certificates: Vec<PlanCertificate>,
    subjects: Vec<PlanSubject>,
    schools: Vec<PlanSchool>,
    registration: Window,
    scheduling: Window,
    score_entry: Window,
    publicity: Window,
}

async fn checked(
    state: &AppState,
    org_id: &str,
    input: &PlanInput,
) -> Result<Checked, DomainError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(bad("计划名称不能为空，且不超过100个字符"));
    }
    if input.remark.chars().count() > 500 {
        return Err(bad("备注不能超过500个字符"));
    }
    if input.exam_notice.chars().count() > 1000 {
        return Err(bad("考试须知不能超过1000个字符"));
    }
    if input.certificates.is_empty() {
        return Err(bad("请至少选择一个考试证书"));
    }
    let mut certificates = Vec::new();
    for c in &input.certificates {
        let cert = Certificate::load(state.table.as_ref(), &c.certificate_id)
            .await?
            .filter(|cert| cert.org_id == org_id)
            .ok_or_else(|| bad("考试证书须为本机构的证书"))?;
        if certificates
            .iter()
            .any(|p: &PlanCertificate| p.certificate_id == cert.id)
        {
            return Err(bad(format!("{}重复选择", cert.name)));
        }
        if c.levels.is_empty() {
            return Err(bad(format!("请选择{}的证书等级", cert.name)));
        }
        let mut levels = c.levels.clone();
        levels.sort_by_key(|l| *l as u8);
        levels.dedup();
        if let Some(l) = levels.iter().find(|l| !cert.levels.contains(l)) {
            return Err(bad(format!("{}没有{}等级", cert.name, l.label())));
        }
        if input.mode == RegistrationMode::ByCertificate && c.fee_cents == 0 {
            return Err(bad(format!("按证书报考须填写{}的报考费", cert.name)));
        }
        certificates.push(PlanCertificate {
            certificate_id: cert.id,
            certificate_name: cert.name,
            levels,
            fee_cents: c.fee_cents,
        });
    }

    let registration = input.registration.checked("报名时间").map_err(bad)?;
    let scheduling = input.scheduling.checked("排考时间").map_err(bad)?;
    let score_entry = input.score_entry.checked("成绩登记时间").map_err(bad)?;
    let publicity = input.publicity.checked("公示期").map_err(bad)?;

    if input.subjects.is_empty() {
        return Err(bad("请至少选择一个考试科目"));
    }
    let catalogue: HashMap<String, Subject> = model::all::<Subject>(state)
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let mut subjects = Vec::new();
    for s in &input.subjects {
        let subject = catalogue
            .get(s.subject_id.as_str())
            .filter(|x| x.org_id == org_id && x.status == PublishStatus::Published)
            .ok_or_else(|| bad("考试科目须为本机构已发布的科目"))?;
        let in_plan = certificates.iter().any(|c| {
            c.certificate_id == subject.certificate_id && c.levels.contains(&subject.level)
        });
        if !in_plan {
            return Err(bad(format!(
                "科目“{}”不属于计划中的证书等级（{}{}）",
                subject.name,
                subject.certificate_name,
                subject.level.label()
            )));
        }
        if subjects
            .iter()
            .any(|p: &PlanSubject| p.subject_id == subject.id)
        {
            return Err(bad(format!("科目“{}”重复选择", subject.name)));
        }
        let exam = s
            .exam
            .checked(&format!("科目“{}”的考试时间", subject.name))
            .map_err(bad)?;
        if input.mode == RegistrationMode::BySubject && s.fee_cents == 0 {
            return Err(bad(format!(
                "按科目报考须填写科目“{}”的报考费",
                subject.name
            )));
        }
        subjects.push(PlanSubject {
            subject_id: subject.id.clone(),
            code: subject.code.clone(),
            name: subject.name.clone(),
            certificate_id: subject.certificate_id.clone(),
            level: subject.level,
            method: subject.method,
            audience: subject.audience,
            duration_minutes: subject.duration_minutes,
            exam,
            fee_cents: s.fee_cents,
        });
    }
    for c in &certificates {
        for l in &c.levels {
            if !subjects
                .iter()
                .any(|s| s.certificate_id == c.certificate_id && s.level == *l)
            {
                return Err(bad(format!(
                    "{}{}还没有选择考试科目",
                    c.certificate_name,
                    l.label()
                )));
            }
        }
    }

    // The windows follow one another: 报名 → 排考 → 考试 → 成绩登记 → 公示.
    let first_exam = subjects
        .iter()
        .map(|s| s.exam.bounds().0)
        .min()
        .unwrap_or_default();
    let last_exam = subjects
        .iter()
        .map(|s| s.exam.bounds().1)
        .max()
        .unwrap_or_default();
    let order = [
        (
            registration.bounds().1,
            scheduling.bounds().0,
            "报名结束时间不能晚于排考开始时间",
        ),
        (
            scheduling.bounds().1,
            first_exam,
            "排考结束时间不能晚于最早的科目考试开始时间",
        ),
        (
            last_exam,
            score_entry.bounds().0,
            "成绩登记开始时间不能早于最晚的科目考试结束时间",
        ),
        (
            score_entry.bounds().1,
            publicity.bounds().0,
            "公示期开始时间不能早于成绩登记结束时间",
        ),
    ];
    if let Some((_, _, message)) = order.iter().find(|(before, after, _)| before > after) {
        return Err(bad(*message));
    }

    if input.school_ids.is_empty() {
        return Err(bad("请至少选择一所参考院校"));
    }
    let pilots = org_pilots(state, org_id).await?;
    let mut schools = Vec::new();
    let mut seen = HashSet::new();
    for id in &input.school_ids {
        if !seen.insert(id.clone()) {
            continue;
        }
        let takes_part = pilots.iter().find(|p| {
            p.school_id == *id
                && certificates.iter().any(|c| {
                    c.certificate_id == p.certificate_id
                        && c.levels.iter().any(|l| p.levels.contains(l))
                })
        });
        let Some(p) = takes_part else {
            return Err(bad(format!(
                "学校 {id} 未参与计划中任何证书等级的试点，不能作为参考院校"
            )));
        };
        schools.push(PlanSchool {
            school_id: p.school_id.clone(),
            school_name: p.school_name.clone(),
        });
    }
    Ok(Checked {
        certificates,
        subjects,
        schools,
        registration,
        scheduling,
        score_entry,
        publicity,
    })
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: PlanInput,
) -> Result<PlanView, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let c = checked(state, &org.id, &input).await?;
    let org_name = vslc_catalogue::Org::load(state.table.as_ref(), &org.id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let plan = Plan {
        id: ulid::Ulid::new().to_string(),
        org_id: org.id.clone(),
        org_name,
        name: input.name.trim().into(),
        mode: input.mode,
        certificates: c.certificates,
        subjects: c.subjects,
        schools: c.schools,
        registration: c.registration,
        scheduling: c.scheduling,
        score_entry: c.score_entry,
        publicity: c.publicity,
        remark: input.remark.trim().into(),
        exam_notice: input.exam_notice.trim().into(),
        status: PublishStatus::Draft,
        created_at: state.clock.now_text(),
        published_at: None,
        version: 1,
    };
    state
        .table
        .put(plan.to_item()?, Some(Condition::NotExists))
        .await?;
    Ok(view(state, caller, plan))
}

/// The plans a caller may see: an org its own, a school the published
/// plans it takes part in.
pub async fn visible(state: &AppState, caller: &Caller) -> Result<Vec<Plan>, DomainError> {
    match caller.tenant.kind {
        TenantKind::Org => Plan::of_org(state, &caller.tenant.id).await,
        TenantKind::School => Plan::of_school(state, &caller.tenant).await,
        TenantKind::Province => Ok(state
            .table
            .query_all_as(Query::index(Index::Gsi2, PUBLISHED_PLANS.to_owned()))
            .await?),
    }
}

/// 考试计划列表, newest first by keyset cursor: an org's own plans from its
/// index, a province's the published ones from theirs, a school's those
/// naming it (its rows, then the plans by key). The filter is applied to
/// the plans read.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &PlanFilter,
    paging: &CursorParams,
) -> Result<CursorPage<PlanView>, DomainError> {
    let now = state.clock.now_local();
    let keep = |p: &Plan| {
        filter::text(&p.name, f.name.as_deref())
            && filter::exact(p.phase(now).label(), f.phase.as_deref())
            && f.certificate_id
                .as_deref()
                .filter(|c| !c.is_empty())
                .is_none_or(|c| p.certificate(c).is_some())
    };
    let (cursor, size) = (paging.cursor.as_deref(), paging.size()?);
    let table = state.table.as_ref();
    let (plans, next_cursor) = match caller.tenant.kind {
        TenantKind::Org => {
            let index = Query::index(Index::Gsi1, org_index(&caller.tenant.id, "PLANS"));
            keyset::scan(table, index.reverse(), cursor, size, keep).await?
        }
        TenantKind::Province => {
            let index = Query::index(Index::Gsi2, PUBLISHED_PLANS.to_owned());
            keyset::scan(table, index.reverse(), cursor, size, keep).await?
        }
        TenantKind::School => {
            #[derive(Deserialize)]
            struct Row {
                sk: String,
            }
            // Its rows name plans; those a filter (or a draft's stale row)
            // leaves out are made up from the next rows, for a few rounds.
            const ROUNDS: usize = 4;
            let rows = Query::partition(caller.tenant.index("EXAMPLANS")).reverse();
            let (mut plans, mut next) = (Vec::with_capacity(size), cursor.map(str::to_owned));
            for round in 0..ROUNDS {
                if round > 0 && next.is_none() {
                    break;
                }
                let want = size - plans.len();
                let (read, after) =
                    keyset::scan(table, rows.clone(), next.as_deref(), want, |_: &Row| true)
                        .await?;
                let ids: Vec<String> = read.into_iter().map(|r| r.sk).collect();
                let mut found = Plan::load_many(state, &ids).await?;
                found.retain(|p| {
                    p.status == PublishStatus::Published
                        && p.includes_school(&caller.tenant.id)
                        && keep(p)
                });
                plans.append(&mut found);
                next = after;
                if plans.len() == size {
                    break;
                }
            }
            (plans, next)
        }
    };
    Ok(CursorPage {
        items: plans.into_iter().map(|p| view(state, caller, p)).collect(),
        total: None,
        next_cursor,
    })
}

/// One plan the caller may see, by key: an org's own, a school's naming
/// it, a province's published ones.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<PlanView, DomainError> {
    let plan = Plan::load(state, id)
        .await?
        .filter(|p| match caller.tenant.kind {
            TenantKind::Org => p.org_id == caller.tenant.id,
            TenantKind::School => {
                p.status == PublishStatus::Published && p.includes_school(&caller.tenant.id)
            }
            TenantKind::Province => p.status == PublishStatus::Published,
        })
        .ok_or_else(|| DomainError::not_found("考试计划"))?;
    Ok(view(state, caller, plan))
}

model::impl_draft!(Plan, pk: "EXAM#PLANS", noun: "考试计划",
    published: ("PLAN_PUBLISHED", "考试计划已发布，不能修改或删除"));

pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: PlanInput,
) -> Result<PlanView, DomainError> {
    let plan = model::load_own_draft::<Plan>(state, caller, id).await?;
    let c = checked(state, &plan.org_id, &input).await?;
    let update = Update::new()
        .set("name", input.name.trim())
        .set_json("mode", &input.mode)?
        .set_json("certificates", &c.certificates)?
        .set_json("subjects", &c.subjects)?
        .set_json("schools", &c.schools)?
        .set_json("registration", &c.registration)?
        .set_json("scheduling", &c.scheduling)?
        .set_json("scoreEntry", &c.score_entry)?
        .set_json("publicity", &c.publicity)?
        .set("remark", input.remark.trim())
        .set("examNotice", input.exam_notice.trim());
    let after = state
        .table
        .update_versioned(&Plan::key(id), plan.version, update)
        .await?;
    Ok(view(state, caller, after))
}

pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let plan = model::load_own_draft::<Plan>(state, caller, id).await?;
    state
        .table
        .delete(&Plan::key(id), Some(Condition::VersionIs(plan.version)))
        .await?;
    Ok(())
}

/// 发布: schools see the plan; it no longer changes.
pub async fn publish(state: &AppState, caller: &Caller, id: &str) -> Result<PlanView, DomainError> {
    let plan = model::load_own_draft::<Plan>(state, caller, id).await?;
    plan.index_schools(state).await?;
    // Published plans are also on the provinces' index, newest last.
    let update = published_index(id)
        .into_iter()
        .fold(Update::new(), |u, (name, value)| u.set(name, value))
        .set("publishedAt", state.clock.now_text());
    let after = model::publish(state, id, &plan, update).await?;
    Ok(view(state, caller, after))
}
