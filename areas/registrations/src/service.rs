//! 报考列表, 删除 and 批量导出报考数据 (school side).

use std::collections::HashMap;
use vslc_ports::Caller;

use async_trait::async_trait;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{CandidateSnapshot, ClaimRow, Registration, RegistrationStatus};
use vslc_accounts::Tenant;
use vslc_candidates::{Candidate, MajorRef};
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{CursorParams, ExportFilter, ExportRequest, filter};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::OptionalId;
use vslc_ports::keyset;
use vslc_ports::table::{Condition, Key, TableExt, TxOp, Update};

/// A registration as lists show it: candidate ID and phone masked, with the
/// derived 报考状态 and 缴费状态.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationView {
    /// Its `id` here is the public one, `<计划 id>.<ULID>`.
    #[serde(flatten)]
    pub registration: Registration,
    pub status: RegistrationStatus,
    /// 已缴费: its 缴费申请单 is 已确认.
    pub paid: bool,
    /// The live 缴费申请单 it is in, if any.
    pub order: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RegistrationFilter {
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub plan_id: OptionalId,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub certificate_id: OptionalId,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub subject_id: OptionalId,
    /// 考生姓名、考生编号或证件号码末位 (contains).
    pub candidate: Option<String>,
    /// 未排考 / 待考试 / 考试中 / 已结束.
    pub status: Option<String>,
    /// 是否已缴费.
    pub paid: Option<bool>,
}

/// 批量导出报考数据: the ticked registrations, or those the list's filter
/// matches.
pub type RegistrationExportRequest = ExportRequest<RegistrationFilter>;

impl ExportFilter for RegistrationFilter {
    const REQUEST_NAME: &'static str = "RegistrationExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

/// Every registration of a school (bulk work: the export).
pub async fn all(state: &AppState, school: &Tenant) -> Result<Vec<Registration>, DomainError> {
    of(state, school, None).await
}

/// The school's registrations made between two days (inclusive) and the
/// subject sittings held between them, for the weekly report's figures:
/// the day counters, never the registrations.
pub async fn activity_between(
    state: &AppState,
    school: &Tenant,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<(u32, u32), DomainError> {
    let counters: Vec<serde_json::Map<String, serde_json::Value>> = state
        .table
        .get_many_as(Registration::count_keys(school))
        .await?;
    let days: Vec<chrono::NaiveDate> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .take(366)
        .collect();
    let sum = |attr: fn(chrono::NaiveDate) -> String| {
        let n: i64 = days
            .iter()
            .map(|d| attr(*d))
            .flat_map(|a| counters.iter().filter_map(move |c| c.get(&a)?.as_i64()))
            .sum();
        u32::try_from(n.max(0)).unwrap_or(u32::MAX)
    };
    Ok((sum(Registration::made_count), sum(Registration::sat_count)))
}

/// Every registration of a school's plan (bulk work: an order's lines).
pub async fn of_plan(
    state: &AppState,
    school: &Tenant,
    plan_id: &str,
) -> Result<Vec<Registration>, DomainError> {
    of(state, school, Some(plan_id)).await
}

async fn of(
    state: &AppState,
    school: &Tenant,
    plan_id: Option<&str>,
) -> Result<Vec<Registration>, DomainError> {
    let sources = Registration::partitions(school, plan_id);
    Ok(keyset::all_in(state.table.as_ref(), &sources).await?)
}

/// The paid-registration counters of some schools' plans (counted when
/// their orders are confirmed): one read of a counter item per school and
/// plan.
pub struct PaidCounts(HashMap<(String, String), serde_json::Map<String, serde_json::Value>>);

impl PaidCounts {
    pub async fn load(state: &AppState, of: &[(Tenant, String)]) -> Result<Self, DomainError> {
        let keys = of
            .iter()
            .map(|(s, plan)| Registration::paid_key(s, plan))
            .collect();
        let items = state.table.get_many_json(keys).await?;
        Ok(Self(
            of.iter()
                .zip(items)
                .filter_map(|((s, plan), j)| {
                    Some((
                        (s.id.clone(), plan.clone()),
                        serde_json::from_slice(&j?).ok()?,
                    ))
                })
                .collect(),
        ))
    }

    /// A school's paid registrations of a plan's subject: those counted by
    /// subject, and those of older orders counted by the subject's guard
    /// part (its certificate level).
    pub fn of(&self, school_id: &str, plan_id: &str, subject_id: &str, part: &str) -> u64 {
        let Some(item) = self.0.get(&(school_id.to_owned(), plan_id.to_owned())) else {
            return 0;
        };
        let n = |attr: &str| item.get(attr).and_then(|v| v.as_i64()).unwrap_or(0);
        let total = if part == subject_id {
            n(subject_id)
        } else {
            n(subject_id) + n(part)
        };
        u64::try_from(total.max(0)).unwrap_or(0)
    }
}

/// A 缴费申请单 as registrations see it: its number and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRef {
    pub no: String,
    pub state: OrderState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderState {
    Unconfirmed,
    Confirmed,
    /// 删除 leaves a tombstone; claims naming it free their registrations.
    Deleted,
}

/// The payments area's answer to "which orders does this school have, in
/// which state" (it owns the orders; registrations only hold the claims).
#[async_trait]
pub trait OrderBook: Send + Sync {
    /// The school's orders of these numbers (those its claims name), by key.
    async fn orders_named(
        &self,
        state: &AppState,
        school: &Tenant,
        nos: Vec<String>,
    ) -> Result<HashMap<String, OrderRef>, DomainError>;

    /// Which of these registrations hold a seat (排考): answered by the
    /// scheduling area's book, none by a book that only knows orders.
    async fn seated(
        &self,
        _state: &AppState,
        _school: &Tenant,
        _regs: &[&Registration],
    ) -> Result<std::collections::HashSet<String>, DomainError> {
        Ok(std::collections::HashSet::new())
    }
}

/// A registration as its guard records it, one per registration: what
/// 缴费 needs to price an order without reading the registrations.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardLine {
    #[serde(rename = "registrationId")]
    pub id: String,
    pub certificate_id: String,
    pub fee_cents: u64,
    /// The subjects it sits (guards written before they were recorded
    /// have none: their order counts their certificate level).
    #[serde(default)]
    pub subject_ids: Vec<String>,
    /// Where the guard is: it comes and goes with its registration (in the
    /// same transaction), so an order checks it to know the registration
    /// is still there.
    pub pk: String,
    pub sk: String,
}

impl GuardLine {
    pub fn key(&self) -> Key {
        Key::new(self.pk.clone(), self.sk.clone())
    }

    /// The 考生编号 its key names (`<计划 id>#<考生编号>#<part>`: neither
    /// a plan id nor a platform-given 考生编号 holds a `#`).
    pub fn candidate_no(&self) -> Option<&str> {
        self.sk.split('#').nth(1).filter(|no| !no.is_empty())
    }
}

/// The guard lines of a school's plan.
pub async fn guard_lines(
    state: &AppState,
    school: &Tenant,
    plan_id: &str,
) -> Result<Vec<GuardLine>, DomainError> {
    let sources = Registration::guard_sources(school, plan_id);
    Ok(keyset::all_in(state.table.as_ref(), &sources).await?)
}

/// The claims of a school's registrations (of one plan): registration id →
/// 缴费单号.
pub async fn claims(
    state: &AppState,
    school: &Tenant,
    plan_id: Option<&str>,
) -> Result<HashMap<String, String>, DomainError> {
    let sources = Registration::claim_sources(school, plan_id);
    Ok(keyset::all_in::<ClaimRow>(state.table.as_ref(), &sources)
        .await?
        .into_iter()
        .map(|c| (c.registration_id().to_owned(), c.order_no))
        .collect())
}

/// What a school's registrations are paid with: its orders and the claims.
pub struct Payments {
    pub orders: HashMap<String, OrderRef>,
    pub claims: HashMap<String, String>,
    /// The registrations (ids) that hold a seat, when the book knows.
    pub seated: std::collections::HashSet<String>,
}

impl Payments {
    /// What a school's registrations (of one plan, or all) are paid with:
    /// the claims, and the orders they name, by key.
    pub async fn load(
        state: &AppState,
        school: &Tenant,
        plan_id: Option<&str>,
        book: &dyn OrderBook,
    ) -> Result<Self, DomainError> {
        let claims = claims(state, school, plan_id).await?;
        Self::named(state, school, claims, book).await
    }

    /// What these registrations (a page) are paid with: their claims by
    /// key, and the orders those name — never the school's others.
    pub async fn of_page(
        state: &AppState,
        school: &Tenant,
        regs: &[&Registration],
        book: &dyn OrderBook,
    ) -> Result<Self, DomainError> {
        let keys = regs
            .iter()
            .map(|r| Registration::claim_key(school, &r.plan_id, &r.id))
            .collect();
        let claims: HashMap<String, String> = state
            .table
            .get_many_as::<ClaimRow>(keys)
            .await?
            .into_iter()
            .map(|c| (c.registration_id().to_owned(), c.order_no))
            .collect();
        let mut payments = Self::named(state, school, claims, book).await?;
        payments.seated = book.seated(state, school, regs).await?;
        Ok(payments)
    }

    /// The claims with the orders they name.
    async fn named(
        state: &AppState,
        school: &Tenant,
        claims: HashMap<String, String>,
        book: &dyn OrderBook,
    ) -> Result<Self, DomainError> {
        let mut nos: Vec<String> = claims.values().cloned().collect();
        nos.sort();
        nos.dedup();
        let orders = if nos.is_empty() {
            HashMap::new()
        } else {
            book.orders_named(state, school, nos).await?
        };
        Ok(Self {
            orders,
            claims,
            seated: Default::default(),
        })
    }

    /// The live order a registration is in; a claim naming a deleted order
    /// frees it.
    pub fn live_order(&self, registration_id: &str) -> Option<&OrderRef> {
        self.claims
            .get(registration_id)
            .and_then(|no| self.orders.get(no))
            .filter(|o| o.state != OrderState::Deleted)
    }
}

pub fn view(
    r: Registration,
    payments: &Payments,
    now: chrono::NaiveDateTime,
    full: bool,
) -> RegistrationView {
    let order = payments.live_order(&r.id);
    let paid = order.is_some_and(|o| o.state == OrderState::Confirmed);
    let order = order.map(|o| o.no.clone());
    let mut registration = r;
    registration.scheduled = registration.scheduled || payments.seated.contains(&registration.id);
    let status = registration.status(now);
    registration.id = registration.public_id();
    let mut v = RegistrationView {
        registration,
        status,
        paid,
        order,
    };
    if !full {
        v.mask();
    }
    v
}

impl RegistrationView {
    /// ID number and phone masked, as lists and exports show them.
    fn mask(&mut self) {
        let c = &mut self.registration.candidate;
        c.id_number = vslc_ports::mask::id_number(&c.id_number);
        c.phone = c.phone.as_deref().map(vslc_ports::mask::phone);
    }
}

/// The views of the registrations the filter matches — matched on the
/// stored ID number (a tail of it finds its candidate), then masked.
fn matching(
    regs: Vec<Registration>,
    payments: &Payments,
    now: chrono::NaiveDateTime,
    f: &RegistrationFilter,
) -> impl Iterator<Item = RegistrationView> {
    regs.into_iter()
        .map(move |r| view(r, payments, now, true))
        .filter(move |v| matches(v, f))
        .map(|mut v| {
            v.mask();
            v
        })
}

fn matches(v: &RegistrationView, f: &RegistrationFilter) -> bool {
    let r = &v.registration;
    let c: &CandidateSnapshot = &r.candidate;
    let who = f
        .candidate
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .is_none_or(|q| {
            c.name.contains(q)
                || c.candidate_no == q
                || (q.len() >= 4 && c.id_number.ends_with(&q.to_ascii_uppercase()))
        });
    filter::exact(&r.plan_id, f.plan_id.as_deref())
        && filter::exact(&r.certificate_id, f.certificate_id.as_deref())
        && f.subject_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .is_none_or(|s| r.subjects.iter().any(|x| x.subject_id == s))
        && who
        && filter::exact(v.status.label(), f.status.as_deref())
        && f.paid.is_none_or(|p| v.paid == p)
}

async fn views(
    state: &AppState,
    book: &dyn OrderBook,
    school: &Tenant,
    f: &RegistrationFilter,
) -> Result<Vec<RegistrationView>, DomainError> {
    let plan = f.plan_id.as_deref().filter(|p| !p.is_empty());
    let regs = match plan {
        Some(plan) => of_plan(state, school, plan).await?,
        None => all(state, school).await?,
    };
    let mut payments = Payments::load(state, school, plan, book).await?;
    let refs: Vec<&Registration> = regs.iter().collect();
    payments.seated = book.seated(state, school, &refs).await?;
    let now = state.clock.now_local();
    let mut rows: Vec<RegistrationView> = matching(regs, &payments, now, f).collect();
    rows.sort_by(|a, b| {
        (&b.registration.created_at, &b.registration.id)
            .cmp(&(&a.registration.created_at, &a.registration.id))
    });
    Ok(rows)
}

/// One page of registrations, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationPage {
    pub items: Vec<RegistrationView>,
    /// How many registrations the filter matches, from the counters: on
    /// the first page of the school's list or a plan's, none otherwise (a
    /// filter the counters do not answer).
    pub total: Option<u64>,
    /// Where the next page starts; none on the last page.
    pub next_cursor: Option<String>,
}

/// Rounds of the merge one request reads at most before answering what it
/// found (a narrow filter answers fewer rows and a cursor to go on with).
const MAX_ROUNDS: usize = 4;

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// 报考列表: one keyset page of a plan's registrations (or the list rows of
/// every plan) merged from the school's shards; the other filters are
/// applied to the rows read, for at most [`MAX_ROUNDS`] rounds.
pub async fn list(
    state: &AppState,
    book: &dyn OrderBook,
    caller: &Caller,
    f: &RegistrationFilter,
    paging: &CursorParams,
) -> Result<RegistrationPage, DomainError> {
    let school = caller.school_reader()?;
    let size = paging.size()?;
    if let Some(s) = text(&f.status)
        && !RegistrationStatus::ALL.iter().any(|x| x.label() == s)
    {
        return Err(DomainError::invalid(
            "BAD_STATUS",
            format!("报考状态“{s}”不正确"),
        ));
    }
    let plan = f.plan_id.as_deref().filter(|p| !p.is_empty());
    let valid = |body: &str| match plan {
        Some(_) => Registration::id_of_rank(body).is_some(),
        None => Registration::of_list_row(body).is_some(),
    };
    let mut after = keyset::decode(paging.cursor.as_deref(), valid)?;
    let first_page = after.is_none();
    let sources = Registration::sources(school, plan);
    let now = state.clock.now_local();
    let mut items = Vec::with_capacity(size);
    let mut more = false;
    for _ in 0..MAX_ROUNDS {
        let page = keyset::merge(
            state.table.as_ref(),
            &sources,
            after.as_deref(),
            size - items.len(),
        )
        .await?;
        let regs: Vec<Registration> = match plan {
            // A plan's list is its registrations.
            Some(_) => {
                let json: Vec<Vec<u8>> = page.rows.iter().map(|r| r.json.clone()).collect();
                vslc_ports::table::parse_all(&json)?
            }
            None => {
                let keys = page
                    .rows
                    .iter()
                    .filter_map(|r| Registration::of_list_row(&r.body))
                    .map(|(plan, id)| Registration::key(school, &plan, &id))
                    .collect();
                state.table.get_many_as(keys).await?
            }
        };
        let refs: Vec<&Registration> = regs.iter().collect();
        let payments = Payments::of_page(state, school, &refs, book).await?;
        items.extend(matching(regs, &payments, now, f));
        after = page.rows.last().map(|r| r.body.clone()).or(after);
        more = page.more;
        if items.len() >= size || !more {
            break;
        }
    }
    // The counters answer a plan's list and the school's, nothing narrower.
    let plain = f.certificate_id.as_deref().is_none_or(str::is_empty)
        && f.subject_id.as_deref().is_none_or(str::is_empty)
        && text(&f.candidate).is_none()
        && text(&f.status).is_none()
        && f.paid.is_none();
    let total = if plain && first_page {
        let attr = plan.map_or(Registration::COUNT_ALL.to_owned(), Registration::plan_count);
        Some(counted(state, school, &attr).await?.max(0) as u64)
    } else {
        None
    };
    Ok(RegistrationPage {
        items,
        total,
        next_cursor: more.then(|| after.as_deref().map(keyset::encode)).flatten(),
    })
}

/// The sum of one attribute over the school's counter shards.
async fn counted(state: &AppState, school: &Tenant, attr: &str) -> Result<i64, DomainError> {
    let counters: Vec<serde_json::Map<String, serde_json::Value>> = state
        .table
        .get_many_as(Registration::count_keys(school))
        .await?;
    Ok(counters.iter().filter_map(|c| c.get(attr)?.as_i64()).sum())
}

async fn own(state: &AppState, school: &Tenant, id: &str) -> Result<Registration, DomainError> {
    let missing = || DomainError::not_found("报考记录");
    let (plan, reg) = id.split_once('.').ok_or_else(missing)?;
    state
        .table
        .get_as(&Registration::key(school, plan, reg))
        .await?
        .ok_or_else(missing)
}

pub async fn get(
    state: &AppState,
    book: &dyn OrderBook,
    caller: &Caller,
    id: &str,
) -> Result<RegistrationView, DomainError> {
    let school = caller.school_reader()?;
    let r = own(state, school, id).await?;
    let payments = Payments::of_page(state, school, &[&r], book).await?;
    Ok(view(r, &payments, state.clock.now_local(), true))
}

/// 查看报考记录: the full candidate snapshot, the view recorded in the
/// 操作日志.
pub async fn show(
    state: &AppState,
    book: &dyn OrderBook,
    caller: &Caller,
    id: &str,
) -> Result<RegistrationView, DomainError> {
    let view = get(state, book, caller, id).await?;
    let c = &view.registration.candidate;
    let who = format!("{} {}", c.name, vslc_ports::mask::id_number(&c.id_number));
    let target = ("registration", view.registration.id.as_str());
    vslc_audit::viewed(
        state,
        caller,
        "registration.view",
        "查看报考数据",
        target,
        who,
    )
    .await;
    Ok(view)
}

/// 删除: only 未排考 and unpaid, and not in a live 缴费申请单; the guards go
/// and the candidate's counter goes down, in one transaction.
pub async fn delete(
    state: &AppState,
    book: &dyn OrderBook,
    caller: &Caller,
    id: &str,
) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let r = own(state, school, id).await?;
    let payments = Payments::of_page(state, school, &[&r], book).await?;
    let conflict = |m: String| DomainError::conflict("REGISTRATION_STATE", m);
    if let Some(o) = payments.live_order(&r.id) {
        return Err(conflict(if o.state == OrderState::Confirmed {
            "已缴费的报考记录不能删除".into()
        } else {
            format!("该报考记录已在缴费申请单 {} 中，请先删除缴费申请单", o.no)
        }));
    }
    let status = r.status(state.clock.now_local());
    if status != RegistrationStatus::NotScheduled {
        return Err(conflict(format!(
            "报考记录为“{}”状态，只能删除未排考且未缴费的报考记录",
            status.label()
        )));
    }
    let mut ops = vec![
        TxOp::Delete {
            key: Registration::key(school, &r.plan_id, &r.id),
            condition: Some(Condition::VersionIs(r.version)),
        },
        TxOp::Delete {
            key: Registration::list_row_key(school, &r.plan_id, &r.id),
            condition: None,
        },
    ];
    ops.extend(r.guard_keys(school).into_iter().map(|key| TxOp::Delete {
        key,
        condition: None,
    }));
    // No order may claim it meanwhile: the claim must still be absent (or
    // still name the deleted order, and go with it).
    ops.push(TxOp::Delete {
        key: Registration::claim_key(school, &r.plan_id, &r.id),
        condition: Some(match payments.claims.get(&r.id) {
            Some(stale) => Condition::AttrEquals("orderNo".into(), stale.as_str().into()),
            None => Condition::NotExists,
        }),
    });
    ops.push(TxOp::Update {
        key: Candidate::count_key(school, r.candidate.kind, &r.candidate.candidate_no),
        update: Update::new().add(Candidate::COUNT, -1),
        condition: Some(Condition::Exists),
    });
    let group = vslc_ports::table::Group {
        ops,
        counts: r.counts(school, -1),
    };
    state.table.transact(group.into_ops()).await?;
    Ok(())
}

const HEADERS: [&str; 14] = [
    "考生编号",
    "考生姓名",
    "考生类型",
    "证件类型",
    "证件号码",
    "手机号",
    "就读专业",
    "考试计划",
    "考试证书",
    "证书等级",
    "考试科目",
    "报考费（元）",
    "报考状态",
    "缴费状态",
];

/// 批量导出报考数据 (masked).
pub async fn export(
    state: &AppState,
    book: &dyn OrderBook,
    caller: &Caller,
    req: RegistrationExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    let (chosen, any) = (req.selection(), RegistrationFilter::default());
    let mut rows = views(state, book, school, chosen.filter_or(&any)).await?;
    rows.retain(|v| chosen.keeps(&v.registration.id, |_| true));
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|v| {
            let r = &v.registration;
            let c = &r.candidate;
            vec![
                c.candidate_no.clone().into(),
                c.name.clone().into(),
                c.kind.label().into(),
                c.id_type.label().into(),
                c.id_number.clone().into(),
                c.phone.clone().unwrap_or_default().into(),
                c.major
                    .as_ref()
                    .map(MajorRef::label)
                    .unwrap_or_default()
                    .into(),
                r.plan_name.clone().into(),
                r.certificate_name.clone().into(),
                r.level.label().into(),
                Cell::list(r.subjects.iter().map(|s| format!("{} {}", s.code, s.name))),
                Cell::Money(r.fee_cents),
                v.status.label().into(),
                if v.paid { "已缴费" } else { "未缴费" }.into(),
            ]
        })
        .collect();
    vslc_files::export::deliver_sheet(state, school, "registrations", "报考数据", &HEADERS, cells)
        .await
}
