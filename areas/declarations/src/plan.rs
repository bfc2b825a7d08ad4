//! 申报计划 (manual §4.3): published by a province for its schools — year,
//! 第N批, the open window, whether declarations go by major, whether the
//! 地市级教育局 approves first, and which certificates are open.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::Certificate;
use vslc_exam::window::{Position, Window};
use vslc_http::{PageParams, Paged};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_ports::table::{Condition, Key, Query, TableExt, TxOp, Update, to_item};
use vslc_ports::{DomainError, OnConflict};

/// 状态, from the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum DeclarationPlanStatus {
    #[serde(rename = "未开始")]
    NotStarted,
    #[serde(rename = "进行中")]
    Open,
    #[serde(rename = "已结束")]
    Ended,
}

impl DeclarationPlanStatus {
    pub fn label(self) -> &'static str {
        match self {
            DeclarationPlanStatus::NotStarted => "未开始",
            DeclarationPlanStatus::Open => "进行中",
            DeclarationPlanStatus::Ended => "已结束",
        }
    }
}

/// A certificate the plan opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScopeCertificate {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationPlan {
    pub id: String,
    pub province_id: String,
    pub province_name: String,
    /// 申报年度.
    pub year: i32,
    /// 申报批次 (第N批).
    pub batch: u32,
    /// 申报时间.
    pub window: Window,
    /// 是否要求按专业填报.
    pub by_major: bool,
    /// 是否要求地市级教育局审批.
    pub city_review: bool,
    /// 开放证书范围: 全部 (true) or the listed ones.
    pub all_certificates: bool,
    #[serde(default)]
    pub certificates: Vec<ScopeCertificate>,
    pub created_at: String,
    pub version: u64,
}

/// A plan as the lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationPlanView {
    #[serde(flatten)]
    pub plan: DeclarationPlan,
    /// 第七批.
    pub batch_label: String,
    /// 全部 / 部分.
    pub scope_label: &'static str,
    pub status: DeclarationPlanStatus,
}

/// 发布 / 修改申报计划.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationPlanInput {
    pub year: i32,
    pub batch: u32,
    pub window: Window,
    pub by_major: bool,
    pub city_review: bool,
    pub all_certificates: bool,
    /// The certificate ids, when not all are open.
    #[serde(default)]
    pub certificate_ids: Vec<RecordId>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DeclarationPlanFilter {
    /// 申报年度.
    pub year: Option<i32>,
    /// 状态.
    pub status: Option<String>,
}

/// 第N批 in Chinese numerals (1–99).
pub fn batch_label(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let text = match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n as usize % 10] }),
        _ => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize % 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n as usize % 10]
            }
        ),
    };
    format!("第{text}批")
}

impl DeclarationPlan {
    pub fn key(province: &Tenant, id: &str) -> Key {
        Key::new(province.pk(), format!("DPLAN#{id}"))
    }

    pub fn guard_key(province: &Tenant, year: i32, batch: u32) -> Key {
        Key::new(province.pk(), format!("DPLANKEY#{year}#{batch}"))
    }

    pub fn province(&self) -> Tenant {
        Tenant::new(TenantKind::Province, &self.province_id)
    }

    pub fn status(&self, now: NaiveDateTime) -> DeclarationPlanStatus {
        match self.window.position(now) {
            Position::Before => DeclarationPlanStatus::NotStarted,
            Position::Inside => DeclarationPlanStatus::Open,
            Position::After => DeclarationPlanStatus::Ended,
        }
    }

    pub fn opens(&self, certificate_id: &str) -> bool {
        self.all_certificates || self.certificates.iter().any(|c| c.id == certificate_id)
    }

    pub fn view(self, now: NaiveDateTime) -> DeclarationPlanView {
        DeclarationPlanView {
            batch_label: batch_label(self.batch),
            scope_label: if self.all_certificates {
                "全部"
            } else {
                "部分"
            },
            status: self.status(now),
            plan: self,
        }
    }
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_DECLARATION_PLAN", message.into())
}

/// Every plan of a province, newest batch first.
pub async fn of_province(
    state: &AppState,
    province: &Tenant,
) -> Result<Vec<DeclarationPlan>, DomainError> {
    let query = Query::partition(province.pk()).begins_with("DPLAN#");
    let mut plans: Vec<DeclarationPlan> = state.table.query_all_as(query).await?;
    plans.sort_by(|a, b| b.year.cmp(&a.year).then(b.batch.cmp(&a.batch)));
    Ok(plans)
}

/// The province whose plans the caller sees: its own, or a school's.
async fn viewer_province(state: &AppState, caller: &Caller) -> Result<Tenant, DomainError> {
    vslc_catalogue::school::session_province(
        state,
        caller,
        "申报计划仅供试点院校和省级教育行政部门查看",
    )
    .await
}

/// 查看申报计划: a school its province's, a province its own.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &DeclarationPlanFilter,
    page: &PageParams,
) -> Result<Paged<DeclarationPlanView>, DomainError> {
    let province = viewer_province(state, caller).await?;
    let now = state.clock.now_local();
    let rows: Vec<DeclarationPlanView> = of_province(state, &province)
        .await?
        .into_iter()
        .filter(|p| f.year.is_none_or(|y| p.year == y))
        .map(|p| p.view(now))
        .filter(|v| {
            f.status
                .as_deref()
                .is_none_or(|s| s.is_empty() || v.status.label() == s)
        })
        .collect();
    Paged::of(rows, page)
}

/// A plan of the caller's province (another province's id looks missing).
pub async fn get(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<DeclarationPlan, DomainError> {
    let province = viewer_province(state, caller).await?;
    load(state, &province, id).await
}

/// 查看申报计划, with its status at this moment.
pub async fn show(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<DeclarationPlanView, DomainError> {
    Ok(get(state, caller, id).await?.view(state.clock.now_local()))
}

pub async fn load(
    state: &AppState,
    province: &Tenant,
    id: &str,
) -> Result<DeclarationPlan, DomainError> {
    state
        .table
        .get_as(&DeclarationPlan::key(province, id))
        .await?
        .ok_or_else(|| DomainError::not_found("申报计划"))
}

struct Checked {
    window: Window,
    certificates: Vec<ScopeCertificate>,
}

async fn check(state: &AppState, input: &DeclarationPlanInput) -> Result<Checked, DomainError> {
    if !(2000..=2100).contains(&input.year) {
        return Err(bad("申报年度须为2000到2100之间的年份"));
    }
    if !(1..=99).contains(&input.batch) {
        return Err(bad("申报批次须在第一批到第九十九批之间"));
    }
    let window = input.window.checked("申报时间").map_err(bad)?;
    let mut certificates = Vec::new();
    if !input.all_certificates {
        if input.certificate_ids.is_empty() {
            return Err(bad("开放证书范围为“部分”时，请至少选择一个证书"));
        }
        let catalogue = Certificate::all(state.table.as_ref()).await?;
        for id in &input.certificate_ids {
            if certificates.iter().any(|c: &ScopeCertificate| &c.id == id) {
                continue;
            }
            let cert = catalogue
                .iter()
                .find(|c| &c.id == id)
                .ok_or_else(|| bad(format!("证书 {id} 不存在")))?;
            certificates.push(ScopeCertificate {
                id: cert.id.clone(),
                name: cert.name.clone(),
            });
        }
    }
    Ok(Checked {
        window,
        certificates,
    })
}

fn batch_taken(input: &DeclarationPlanInput) -> DomainError {
    DomainError::conflict(
        "PLAN_EXISTS",
        format!(
            "{}年度{}的申报计划已存在",
            input.year,
            batch_label(input.batch)
        ),
    )
}

/// 发布申报计划 (省级管理员).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: DeclarationPlanInput,
) -> Result<DeclarationPlanView, DomainError> {
    let province = caller.province_admin()?;
    let c = check(state, &input).await?;
    let plan = DeclarationPlan {
        id: ulid::Ulid::new().to_string(),
        province_id: province.id.clone(),
        province_name: caller.tenant_name.clone(),
        year: input.year,
        batch: input.batch,
        window: c.window,
        by_major: input.by_major,
        city_review: input.city_review,
        all_certificates: input.all_certificates,
        certificates: c.certificates,
        created_at: state.clock.now_text(),
        version: 1,
    };
    let guard = to_item(
        &DeclarationPlan::guard_key(province, plan.year, plan.batch),
        &serde_json::json!({ "planId": plan.id }),
    )?;
    let item = to_item(&DeclarationPlan::key(province, &plan.id), &plan)?;
    state
        .table
        .put_guarded(guard, item)
        .await
        .on_conflict(|| batch_taken(&input))?;
    Ok(plan.view(state.clock.now_local()))
}

fn started(plan: &DeclarationPlan, now: NaiveDateTime, action: &str) -> DomainError {
    let rule = format!("只有未开始的申报计划可以{action}");
    DomainError::wrong_state("申报计划", plan.status(now).label(), rule)
}

/// 修改申报计划: only before it opens.
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: DeclarationPlanInput,
) -> Result<DeclarationPlanView, DomainError> {
    let province = caller.province_admin()?;
    let plan = load(state, province, id).await?;
    let now = state.clock.now_local();
    if plan.status(now) != DeclarationPlanStatus::NotStarted {
        return Err(started(&plan, now, "修改"));
    }
    let c = check(state, &input).await?;
    let update = Update::new()
        .set_json("window", &c.window)?
        .set("byMajor", input.by_major)
        .set("cityReview", input.city_review)
        .set("allCertificates", input.all_certificates)
        .set_json("certificates", &c.certificates)?
        .bump_version();
    let mut ops = Vec::new();
    if (input.year, input.batch) != (plan.year, plan.batch) {
        ops.push(TxOp::Put {
            item: to_item(
                &DeclarationPlan::guard_key(province, input.year, input.batch),
                &serde_json::json!({ "planId": plan.id }),
            )?,
            condition: Some(Condition::NotExists),
        });
        ops.push(TxOp::Delete {
            key: DeclarationPlan::guard_key(province, plan.year, plan.batch),
            condition: None,
        });
    }
    ops.push(TxOp::Update {
        key: DeclarationPlan::key(province, id),
        update: update.set("year", input.year).set("batch", input.batch),
        condition: Some(Condition::VersionIs(plan.version)),
    });
    state.table.transact(ops).await.on_conflict(|| {
        DomainError::conflict(
            "PLAN_EXISTS",
            format!(
                "{}年度{}的申报计划已存在，或该计划已被他人修改，请刷新后重试",
                input.year,
                batch_label(input.batch)
            ),
        )
    })?;
    Ok(load(state, province, id).await?.view(now))
}

/// 删除申报计划: only before it opens (no school can have declared yet).
pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let province = caller.province_admin()?;
    let plan = load(state, province, id).await?;
    let now = state.clock.now_local();
    if plan.status(now) != DeclarationPlanStatus::NotStarted {
        return Err(started(&plan, now, "删除"));
    }
    state
        .table
        .delete_guarded(
            DeclarationPlan::key(province, id),
            plan.version,
            DeclarationPlan::guard_key(province, plan.year, plan.batch),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_read_as_the_manual_writes_them() {
        assert_eq!(batch_label(1), "第一批");
        assert_eq!(batch_label(7), "第七批");
        assert_eq!(batch_label(10), "第十批");
        assert_eq!(batch_label(12), "第十二批");
        assert_eq!(batch_label(20), "第二十批");
        assert_eq!(batch_label(99), "第九十九批");
    }
}
