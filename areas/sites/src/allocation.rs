//! 考核站点分配 (借考): per plan, an org assigns a school without its own
//! approved site for a certificate level to another school's approved site.
//! Both schools see it in 考核站点分配查询.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::model::{Site, SiteStatus};
use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::certificate::Level;
use vslc_catalogue::pilot::Pilot;
use vslc_exam::Plan;
use vslc_http::{PageParams, Paged, filter};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_ports::table::{Condition, Key, Query, TableExt, TxOp, to_item};
use vslc_ports::{DomainError, OnConflict};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    /// `<计划 id>.<ULID>`.
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    /// 借考院校.
    pub school_id: String,
    pub school_name: String,
    /// 分配的考核站点 and the school that hosts it.
    pub site_id: String,
    pub site_name: String,
    pub host_school_id: String,
    pub host_school_name: String,
    pub created_at: String,
}

impl Allocation {
    fn pk(plan_id: &str) -> String {
        format!("PLAN#{plan_id}")
    }

    pub fn key(plan_id: &str, id: &str) -> Key {
        Key::new(Self::pk(plan_id), format!("ALLOC#{id}"))
    }

    fn guard_key(plan_id: &str, school_id: &str, certificate_id: &str, level: Level) -> Key {
        Key::new(
            Self::pk(plan_id),
            format!("ALLOCKEY#{school_id}#{certificate_id}#{}", level.label()),
        )
    }

    pub async fn of_plan(state: &AppState, plan_id: &str) -> Result<Vec<Allocation>, DomainError> {
        let query = Query::partition(Self::pk(plan_id)).begins_with("ALLOC#");
        Ok(state.table.query_all_as(query).await?)
    }
}

/// 分配考核站点.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllocationInput {
    pub plan_id: RecordId,
    /// 借考院校 (学校代码).
    pub school_id: RecordId,
    pub certificate_id: RecordId,
    pub level: Level,
    /// An approved site of another participating school.
    pub site_id: RecordId,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AllocationFilter {
    #[serde(default, deserialize_with = "vslc_ports::domain::id::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub plan_id: Option<RecordId>,
    #[serde(default, deserialize_with = "vslc_ports::domain::id::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub certificate_id: Option<RecordId>,
    /// 院校名称 (contains; either side).
    pub school: Option<String>,
}

fn matches(a: &Allocation, f: &AllocationFilter) -> bool {
    filter::exact(&a.plan_id, f.plan_id.as_deref())
        && filter::exact(&a.certificate_id, f.certificate_id.as_deref())
        && (filter::text(&a.school_name, f.school.as_deref())
            || filter::text(&a.host_school_name, f.school.as_deref()))
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_ALLOCATION", message.into())
}

async fn org_plan(state: &AppState, org: &Tenant, plan_id: &str) -> Result<Plan, DomainError> {
    Plan::load(state, plan_id)
        .await?
        .filter(|p| p.org_id == org.id)
        .ok_or_else(|| DomainError::not_found("考试计划"))
}

async fn approved_site(
    state: &AppState,
    school: &Tenant,
    certificate_id: &str,
    level: Level,
) -> Result<Option<Site>, DomainError> {
    let guard = state
        .table
        .get(&Site::guard_key(school, certificate_id, level))
        .await?;
    let Some(site_id) = guard
        .as_ref()
        .and_then(|g| g.get("siteId"))
        .and_then(|v| v.as_str())
    else {
        return Ok(None);
    };
    Ok(state
        .table
        .get_as::<Site>(&Site::key(school, site_id))
        .await?
        .filter(|s| s.status == SiteStatus::Approved))
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: AllocationInput,
) -> Result<Allocation, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let plan = org_plan(state, org, &input.plan_id).await?;
    let cert = plan
        .certificate(&input.certificate_id)
        .filter(|c| c.levels.contains(&input.level))
        .ok_or_else(|| bad("该证书等级不在考试计划中"))?;
    let borrower = plan
        .schools
        .iter()
        .find(|s| s.school_id == input.school_id)
        .ok_or_else(|| bad("借考院校须为考试计划的参考院校"))?;
    let borrower_tenant = Tenant::new(TenantKind::School, &borrower.school_id);
    let pilot: Option<Pilot> = state
        .table
        .get_as(&Pilot::key(&borrower_tenant, &cert.certificate_id))
        .await?;
    if !pilot.is_some_and(|p| p.levels.contains(&input.level)) {
        return Err(DomainError::conflict(
            "NOT_PILOT",
            format!(
                "{}未参与{}({})的试点，不能为其分配考核站点",
                borrower.school_name,
                cert.certificate_name,
                input.level.label()
            ),
        ));
    }
    if approved_site(state, &borrower_tenant, &cert.certificate_id, input.level)
        .await?
        .is_some()
    {
        return Err(DomainError::conflict(
            "HAS_OWN_SITE",
            format!(
                "{}已有审核通过的该证书等级考核站点，无需借考",
                borrower.school_name
            ),
        ));
    }
    let host = Site::school_of_id(&input.site_id).ok_or_else(|| bad("考核站点不存在"))?;
    let site: Site = state
        .table
        .get_as(&Site::key(&host, &input.site_id))
        .await?
        .filter(|s: &Site| s.org_id == org.id)
        .ok_or_else(|| bad("考核站点不存在"))?;
    if site.status != SiteStatus::Approved
        || site.certificate_id != cert.certificate_id
        || site.level != input.level
    {
        return Err(bad("只能分配该证书等级审核通过的考核站点"));
    }
    if !plan.includes_school(&site.school_id) {
        return Err(bad("考核站点所在院校须为考试计划的参考院校"));
    }
    let a = Allocation {
        id: format!("{}.{}", plan.id, ulid::Ulid::new()),
        plan_id: plan.id.clone(),
        plan_name: plan.name.clone(),
        certificate_id: cert.certificate_id.clone(),
        certificate_name: cert.certificate_name.clone(),
        level: input.level,
        school_id: borrower.school_id.clone(),
        school_name: borrower.school_name.clone(),
        site_id: site.id.clone(),
        site_name: site.name.clone(),
        host_school_id: site.school_id.clone(),
        host_school_name: site.school_name.clone(),
        created_at: state.clock.now_text(),
    };
    state
        .table
        .transact(vec![
            TxOp::Put {
                item: to_item(
                    &Allocation::guard_key(&plan.id, &a.school_id, &a.certificate_id, a.level),
                    &serde_json::json!({ "allocationId": a.id }),
                )?,
                condition: Some(Condition::NotExists),
            },
            TxOp::Put {
                item: to_item(&Allocation::key(&plan.id, &a.id), &a)?,
                condition: Some(Condition::NotExists),
            },
        ])
        .await
        .on_conflict(|| {
            DomainError::conflict(
                "ALLOCATION_EXISTS",
                "该院校在本考试计划中已分配了该证书等级的考核站点",
            )
        })?;
    Ok(a)
}

/// 取消分配.
pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let missing = || DomainError::not_found("考核站点分配");
    let (plan_id, _) = id.split_once('.').ok_or_else(missing)?;
    let plan = org_plan(state, org, plan_id).await.map_err(|_| missing())?;
    let a: Allocation = state
        .table
        .get_as(&Allocation::key(&plan.id, id))
        .await?
        .ok_or_else(missing)?;
    state
        .table
        .transact(vec![
            TxOp::Delete {
                key: Allocation::key(&plan.id, id),
                condition: Some(Condition::Exists),
            },
            TxOp::Delete {
                key: Allocation::guard_key(&plan.id, &a.school_id, &a.certificate_id, a.level),
                condition: None,
            },
        ])
        .await?;
    Ok(())
}

/// 考核站点分配: an org sees its plans' allocations; a school those where
/// it borrows or lends.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &AllocationFilter,
    page: &PageParams,
) -> Result<Paged<Allocation>, DomainError> {
    let plans = vslc_exam::plans::visible(state, caller).await?;
    let mut rows = Vec::new();
    for plan in plans.iter().filter(|p| {
        f.plan_id
            .as_deref()
            .is_none_or(|id| id.is_empty() || p.id == id)
    }) {
        rows.extend(Allocation::of_plan(state, &plan.id).await?);
    }
    if caller.tenant.kind == TenantKind::School {
        let me = &caller.tenant.id;
        rows.retain(|a| a.school_id == *me || a.host_school_id == *me);
    }
    rows.retain(|a| matches(a, f));
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Paged::of(rows, page)
}

/// The sites a school may set rooms at for a plan's certificate level: its
/// own approved site, or the one the org assigned it.
pub async fn usable_site(
    state: &AppState,
    school: &Tenant,
    plan: &Plan,
    site_id: &str,
) -> Result<Option<Site>, DomainError> {
    let owner = Site::school_of_id(site_id);
    let Some(owner) = owner else {
        return Ok(None);
    };
    let site: Option<Site> = state.table.get_as(&Site::key(&owner, site_id)).await?;
    let Some(site) = site.filter(|s| s.status == SiteStatus::Approved) else {
        return Ok(None);
    };
    if owner.id == school.id {
        return Ok(Some(site));
    }
    let assigned = Allocation::of_plan(state, &plan.id)
        .await?
        .iter()
        .any(|a| a.school_id == school.id && a.site_id == site.id);
    Ok(assigned.then_some(site))
}
