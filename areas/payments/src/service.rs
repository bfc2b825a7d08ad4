//! 生成缴费申请单, list, view, delete and export (school); list, view and
//! 批量确认缴费 (org).

use std::collections::HashMap;
use vslc_ports::Caller;

use async_trait::async_trait;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Order, OrderStatus};
use vslc_accounts::{Tenant, TenantKind};
use vslc_exam::Plan;
use vslc_exam::plans::RegistrationMode;
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{CursorPage, CursorParams, ExportFilter, ExportRequest, filter};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::{OptionalId, RecordId};
use vslc_ports::table::{
    Condition, EncodedItem, Guarded, Index, Query, TableError, TableExt, TxOp, Update, from_item,
};
use vslc_registrations::Registration;
use vslc_registrations::eligibility::registration_open;
use vslc_registrations::model::ClaimBody;
use vslc_registrations::service::{
    GuardLine as Line, OrderBook, OrderRef, OrderState, Payments, RegistrationView, guard_lines,
    view,
};

/// 按证书 / 按科目报考生生成缴费申请单.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenerateInput {
    pub plan_id: RecordId,
    pub certificate_id: RecordId,
    pub mode: RegistrationMode,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    /// 缴费单号 (contains).
    pub no: Option<String>,
    #[param(value_type = Option<String>)]
    pub plan_id: OptionalId,
    #[param(value_type = Option<String>)]
    pub certificate_id: OptionalId,
    /// 未确认 / 已确认.
    pub status: Option<String>,
    /// 院校名称 (contains; the org's list).
    pub school: Option<String>,
}

/// An order with its registrations (查看).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetail {
    pub order: Order,
    /// The org's 缴费方式: how the school pays this order (offline).
    pub payment_method: String,
    pub lines: Vec<RegistrationView>,
}

/// 批量导出缴费申请单: the ticked orders (by 缴费单号), or those of a plan
/// and status.
pub type OrderExportRequest = ExportRequest<OrderExportFilter>;

/// The part of the order list's filter an export takes.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderExportFilter {
    #[schema(inline, required = false)]
    pub plan_id: OptionalId,
    pub status: Option<String>,
    /// 缴费单号 (contains), as the list filters it.
    pub no: Option<String>,
    /// 院校名称 (contains; the org's export).
    pub school: Option<String>,
}

impl ExportFilter for OrderExportFilter {
    const REQUEST_NAME: &'static str = "OrderExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected numbers, or the filter.";
}

fn matches(o: &Order, f: &OrderFilter) -> bool {
    o.status != OrderStatus::Deleted
        && filter::text(&o.no, f.no.as_deref())
        && filter::exact(&o.plan_id, f.plan_id.as_deref())
        && filter::exact(&o.certificate_id, f.certificate_id.as_deref())
        && filter::exact(o.status.label(), f.status.as_deref())
        && filter::text(&o.school_name, f.school.as_deref())
}

fn newest_first(rows: &mut [Order]) {
    rows.sort_by(|a, b| (&b.created_at, &b.no).cmp(&(&a.created_at, &a.no)));
}

/// Claims registrations for an order: a new claim where none exists, or
/// one still naming a deleted order taken over, each only while its
/// registration's guard is there and still names it — a 删除, or a failed
/// import taking it back, before the claim leaves no claim behind (one
/// after it refuses a registration that is claimed). Answers which were
/// claimed.
pub async fn claim(
    state: &AppState,
    school: &Tenant,
    plan_id: &str,
    lines: &[(&Line, Option<&String>)],
    no: &str,
) -> Result<Vec<bool>, DomainError> {
    let groups = lines
        .iter()
        .map(|(line, stale)| {
            let key = Registration::claim_key(school, plan_id, &line.id);
            let group = match stale {
                None => Guarded::new(
                    EncodedItem::new(
                        key,
                        &ClaimBody {
                            order_no: no.into(),
                        },
                    )?,
                    Vec::new(),
                ),
                Some(old) => Guarded {
                    guards: Vec::new(),
                    items: Vec::new(),
                    updates: vec![(
                        key,
                        Update::new().set("orderNo", no),
                        Condition::AttrEquals("orderNo".into(), old.as_str().into()),
                    )],
                    checks: Vec::new(),
                    counts: Vec::new(),
                },
            };
            // The registration's guard, small and read just before, stands
            // for it: they are written and removed together. It must still
            // name this registration: a guard at the same key may since be
            // another's (deleted, then the candidate registered again).
            Ok(group.checking(
                line.key(),
                Condition::attr_equals("registrationId", line.id.as_str()),
            ))
        })
        .collect::<Result<Vec<_>, TableError>>()?;
    Ok(state.table.insert_guarded(groups).await?)
}

pub async fn generate(
    state: &AppState,
    caller: &Caller,
    input: GenerateInput,
) -> Result<Order, DomainError> {
    let school = caller.school_exam_writer()?;
    let plan = Plan::for_school(state, school, &input.plan_id)
        .await?
        .ok_or_else(|| DomainError::not_found("考试计划"))?;
    registration_open(&plan, state.clock.now_local())
        .map_err(|m| DomainError::conflict("PLAN_NOT_OPEN", m))?;
    if plan.mode != input.mode {
        return Err(DomainError::conflict(
            "PLAN_NOT_OPEN",
            format!(
                "考试计划“{}”为{}报考，请{}生成缴费申请单",
                plan.name,
                plan.mode.label(),
                plan.mode.label()
            ),
        ));
    }
    let cert = plan
        .certificate(&input.certificate_id)
        .ok_or_else(|| DomainError::invalid("BAD_CERTIFICATE", "考核证书不在该考试计划中"))?
        .clone();
    let payments = Payments::load(state, school, Some(&plan.id), &Orders).await?;
    let all: Vec<Line> = guard_lines(state, school, &plan.id).await?;
    // Free: never claimed, or claimed by an order since deleted.
    let free: Vec<(&Line, Option<&String>)> = all
        .iter()
        .filter(|l| l.certificate_id == cert.certificate_id && payments.live_order(&l.id).is_none())
        .map(|l| (l, payments.claims.get(&l.id)))
        .collect();
    let nothing = || {
        DomainError::conflict(
            "NOTHING_TO_PAY",
            "没有可生成缴费申请单的报考记录（须为本计划该证书下未缴费且未生成缴费申请单的报考记录）",
        )
    };
    if free.is_empty() {
        return Err(nothing());
    }
    let profile = vslc_catalogue::school::load(state, school).await?;
    let seq = vslc_ports::sequence::reserve(state.table.as_ref(), "ORDER", 1).await?;
    let date = state.clock.now_cst().format("%Y%m%d").to_string();
    let mut order = Order {
        no: Order::number(&date, &school.id, seq),
        school_id: school.id.clone(),
        school_name: profile.name,
        org_id: plan.org_id.clone(),
        plan_id: plan.id.clone(),
        plan_name: plan.name.clone(),
        mode: plan.mode,
        certificate_id: cert.certificate_id.clone(),
        certificate_name: cert.certificate_name.clone(),
        count: 0,
        total_cents: 0,
        parts: Default::default(),
        status: OrderStatus::Unconfirmed,
        created_at: state.clock.now_text(),
        created_by: caller.name.clone(),
        confirmed_at: None,
        confirmed_by: None,
        version: 1,
    };
    // The order first: a crash before the totals are written leaves an
    // order whose lines (the registrations naming it) are still exact.
    state
        .table
        .put(order.to_item()?, Some(Condition::NotExists))
        .await?;
    let claimed = claim(state, school, &plan.id, &free, &order.no).await?;
    let (count, total) = free
        .iter()
        .zip(&claimed)
        .filter(|(_, won)| **won)
        .fold((0u64, 0u64), |(n, t), ((l, _), _)| (n + 1, t + l.fee_cents));
    let mut parts = std::collections::BTreeMap::<String, u64>::new();
    for ((l, _), _) in free.iter().zip(&claimed).filter(|(_, won)| **won) {
        if !l.subject_ids.is_empty() {
            for s in &l.subject_ids {
                *parts.entry(s.clone()).or_default() += 1;
            }
        } else if let Some(part) = Registration::part_of_guard(&l.sk) {
            *parts.entry(part.to_owned()).or_default() += 1;
        }
    }
    let key = Order::key(school, &order.no);
    if count == 0 {
        // Another order took them all meanwhile: this one never existed.
        state
            .table
            .update(
                &key,
                Update::new().set("status", OrderStatus::Deleted.label()),
                None,
            )
            .await?;
        return Err(nothing());
    }
    let after = state
        .table
        .update(
            &key,
            Update::new()
                .set("count", count)
                .set("totalCents", total)
                .set_json("parts", &parts)?
                .bump_version(),
            Some(Condition::VersionIs(order.version)),
        )
        .await?;
    order = from_item(after)?;
    Ok(order)
}

/// 缴费申请单列表 (school), newest first by keyset cursor; the filter is
/// applied to the orders read.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &OrderFilter,
    paging: &CursorParams,
) -> Result<CursorPage<Order>, DomainError> {
    let school = caller.school_reader()?;
    let query = Query::partition(school.pk())
        .begins_with(Order::SK_PREFIX)
        .reverse();
    scan(state, query, f, paging).await
}

async fn scan(
    state: &AppState,
    query: Query,
    f: &OrderFilter,
    paging: &CursorParams,
) -> Result<CursorPage<Order>, DomainError> {
    CursorPage::scan(state.table.as_ref(), query, paging, |o: &Order| {
        matches(o, f)
    })
    .await
}

/// An order and its lines; `full` shows unmasked candidate details.
async fn detail(state: &AppState, order: Order, full: bool) -> Result<OrderDetail, DomainError> {
    let school = order.school();
    let payments = Payments::load(state, &school, Some(&order.plan_id), &Orders).await?;
    let now = state.clock.now_local();
    // Its registrations by key: those whose claims name it.
    let keys = payments
        .claims
        .iter()
        .filter(|(_, no)| **no == order.no)
        .map(|(id, _)| Registration::key(&school, &order.plan_id, id))
        .collect();
    let mut lines: Vec<RegistrationView> = state
        .table
        .get_many_as::<Registration>(keys)
        .await?
        .into_iter()
        .map(|r| view(r, &payments, now, full))
        .collect();
    lines.sort_by(|a, b| {
        a.registration
            .candidate
            .candidate_no
            .cmp(&b.registration.candidate.candidate_no)
    });
    let payment_method = vslc_catalogue::Org::load(state.table.as_ref(), &order.org_id)
        .await?
        .map(|o| o.payment_method)
        .unwrap_or_default();
    Ok(OrderDetail {
        order,
        payment_method,
        lines,
    })
}

/// A school's order; deleted ones look missing.
async fn own(state: &AppState, school: &Tenant, no: &str) -> Result<Order, DomainError> {
    state
        .table
        .get_as::<Order>(&Order::key(school, no))
        .await?
        .filter(|o| o.status != OrderStatus::Deleted)
        .ok_or_else(|| DomainError::not_found("缴费申请单"))
}

pub async fn get(state: &AppState, caller: &Caller, no: &str) -> Result<OrderDetail, DomainError> {
    let school = caller.school_reader()?;
    detail(state, own(state, school, no).await?, false).await
}

/// 删除 (未确认 only): the order becomes a tombstone, which frees its
/// registrations in one write (their claims name a deleted order).
pub async fn delete(state: &AppState, caller: &Caller, no: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let order = own(state, school, no).await?;
    if order.status != OrderStatus::Unconfirmed {
        return Err(DomainError::conflict(
            "ORDER_CONFIRMED",
            "缴费申请单已确认，不能删除",
        ));
    }
    state
        .table
        .update(
            &Order::key(school, no),
            Update::new()
                .set("status", OrderStatus::Deleted.label())
                .bump_version(),
            Some(Condition::VersionIs(order.version)),
        )
        .await?;
    Ok(())
}

const HEADERS: [&str; 9] = [
    "缴费单号",
    "考试计划",
    "考核证书",
    "报考方式",
    "报考人次",
    "总费用（元）",
    "状态",
    "生成时间",
    "确认时间",
];

/// The org's export: the same with the paying school.
const ORG_HEADERS: [&str; 10] = [
    "缴费单号",
    "院校",
    "考试计划",
    "考核证书",
    "报考方式",
    "报考人次",
    "总费用（元）",
    "状态",
    "生成时间",
    "确认时间",
];

/// 批量导出缴费申请单.
pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: OrderExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    // An export is bulk work: every order of the school (an order stands for
    // a batch of registrations, so a school has hundreds, not millions).
    let all: Vec<Order> = state
        .table
        .query_all_as::<Order>(Query::partition(school.pk()).begins_with(Order::SK_PREFIX))
        .await?;
    let cells: Vec<Vec<Cell>> = exported(all, &req).iter().map(|o| cells(o, None)).collect();
    vslc_files::export::deliver_sheet(state, school, "orders", "缴费申请单", &HEADERS, cells).await
}

/// 导出 for the org: the orders for its certificates (ticked, or those
/// matching the filter), with the paying school.
pub async fn org_export(
    state: &AppState,
    caller: &Caller,
    req: OrderExportRequest,
) -> Result<ExportFile, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    // As the school's export: bulk work over every order of the org (its
    // index holds the org's orders only, as org_list relies on).
    let all: Vec<Order> = state
        .table
        .query_all_as::<Order>(Query::index(Index::Gsi1, Order::org_index(&org.id)))
        .await?;
    let cells: Vec<Vec<Cell>> = exported(all, &req)
        .iter()
        .map(|o| cells(o, Some(&o.school_name)))
        .collect();
    vslc_files::export::deliver_sheet(state, org, "orders", "缴费申请单", &ORG_HEADERS, cells).await
}

/// The orders an export holds: live ones, ticked or matching the filter,
/// newest first.
fn exported(mut rows: Vec<Order>, req: &OrderExportRequest) -> Vec<Order> {
    let f = OrderFilter {
        plan_id: req.filter.plan_id.clone(),
        status: req.filter.status.clone(),
        no: req.filter.no.clone(),
        school: req.filter.school.clone(),
        ..OrderFilter::default()
    };
    let chosen = req.selection();
    rows.retain(|o| o.status != OrderStatus::Deleted && chosen.keeps(&o.no, |_| matches(o, &f)));
    newest_first(&mut rows);
    rows
}

/// An order's row of an export; the org's names the school second.
fn cells(o: &Order, school: Option<&str>) -> Vec<Cell> {
    let mut row: Vec<Cell> = vec![o.no.clone().into()];
    if let Some(name) = school {
        row.push(name.to_owned().into());
    }
    row.extend([
        o.plan_name.clone().into(),
        o.certificate_name.clone().into(),
        o.mode.label().into(),
        Cell::count(o.count),
        Cell::Money(o.total_cents),
        o.status.label().into(),
        o.created_at.clone().into(),
        o.confirmed_at.clone().unwrap_or_default().into(),
    ]);
    row
}

/// The orders for the org's certificates, newest first by keyset cursor.
pub async fn org_list(
    state: &AppState,
    caller: &Caller,
    f: &OrderFilter,
    paging: &CursorParams,
) -> Result<CursorPage<Order>, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let query = Query::index(Index::Gsi1, Order::org_index(&org.id)).reverse();
    scan(state, query, f, paging).await
}

/// An order of the org's certificates; anything else looks missing.
async fn org_order(state: &AppState, caller: &Caller, no: &str) -> Result<Order, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let missing = || DomainError::not_found("缴费申请单");
    let school = Order::school_of(no).ok_or_else(missing)?;
    own(state, &school, no)
        .await
        .ok()
        .filter(|o| o.org_id == org.id)
        .ok_or_else(missing)
}

pub async fn org_get(
    state: &AppState,
    caller: &Caller,
    no: &str,
) -> Result<OrderDetail, DomainError> {
    detail(state, org_order(state, caller, no).await?, false).await
}

/// 确认缴费: 未确认 → 已确认, and with it every registration of the order is
/// paid. Confirming again changes nothing (409).
pub async fn confirm(state: &AppState, caller: &Caller, no: &str) -> Result<Order, DomainError> {
    let order = org_order(state, caller, no).await?;
    if order.status == OrderStatus::Confirmed {
        return Err(DomainError::conflict(
            "ORDER_CONFIRMED",
            format!("缴费申请单 {no} 已确认"),
        ));
    }
    // The paid counters move with the confirmation, in one write.
    let school = order.school();
    let key = Order::key(&school, no);
    let mut ops = vec![TxOp::Update {
        key: key.clone(),
        update: Update::new()
            .set("status", OrderStatus::Confirmed.label())
            .set("confirmedAt", state.clock.now_text())
            .set("confirmedBy", caller.name.clone())
            .bump_version(),
        condition: Some(Condition::VersionIs(order.version)),
    }];
    let paid = order
        .parts
        .iter()
        .filter(|(_, n)| **n > 0)
        .fold(Update::new(), |u, (part, n)| {
            u.add(part.clone(), i64::try_from(*n).unwrap_or(i64::MAX))
        });
    if !paid.is_empty() {
        ops.push(TxOp::Update {
            key: Registration::paid_key(&school, &order.plan_id),
            update: paid,
            condition: None,
        });
    }
    state.table.transact(ops).await?;
    let after = state
        .table
        .get(&key)
        .await?
        .ok_or_else(|| DomainError::not_found("缴费申请单"))?;
    Ok(from_item(after)?)
}

/// What registrations learn of an order: its number and state.
fn order_ref(o: Order) -> (String, OrderRef) {
    let state = match o.status {
        OrderStatus::Unconfirmed => OrderState::Unconfirmed,
        OrderStatus::Confirmed => OrderState::Confirmed,
        OrderStatus::Deleted => OrderState::Deleted,
    };
    (o.no.clone(), OrderRef { no: o.no, state })
}

/// What registrations learn of the orders: number and state.
pub struct Orders;

#[async_trait]
impl OrderBook for Orders {
    async fn orders_named(
        &self,
        state: &AppState,
        school: &Tenant,
        nos: Vec<String>,
    ) -> Result<HashMap<String, OrderRef>, DomainError> {
        let keys = nos.iter().map(|no| Order::key(school, no)).collect();
        Ok(state
            .table
            .get_many_as::<Order>(keys)
            .await?
            .into_iter()
            .map(order_ref)
            .collect())
    }
}
