//! 考核站点申报 (school side): declare, edit, submit, withdraw, delete.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::model::{Site, SiteStatus, StandardCheck};
use super::review;
use vslc_accounts::Tenant;
use vslc_catalogue::certificate::{Certificate, Level};
use vslc_catalogue::pilot::Pilot;
use vslc_catalogue::standard::site_standards;
use vslc_http::{PageParams, Paged, filter};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_ports::table::{Query, TableExt, Update};
use vslc_ports::{DomainError, OnConflict};
use vslc_review::workflow;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StandardAnswer {
    pub standard_id: RecordId,
    pub met: bool,
}

/// 申报 / 编辑考核站点. The name is never typed: it is generated.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SiteInput {
    pub certificate_id: RecordId,
    pub level: Level,
    pub address: String,
    pub contact: String,
    pub phone: String,
    pub capacity: u32,
    #[serde(default)]
    pub equipment: String,
    /// Answers to every enabled 考核站点建设标准 of the certificate level.
    #[serde(default)]
    pub standards: Vec<StandardAnswer>,
    /// 保存并提交 (true) or 保存 (false).
    #[serde(default)]
    pub submit: bool,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SiteFilter {
    /// 考核站点名称 (contains).
    pub name: Option<String>,
    #[serde(default, deserialize_with = "vslc_ports::domain::id::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub certificate_id: Option<RecordId>,
    /// 证书等级.
    pub level: Option<String>,
    /// 状态.
    pub status: Option<String>,
    /// 学校名称 (contains; the org's review list).
    pub school: Option<String>,
}

pub fn matches(s: &Site, f: &SiteFilter) -> bool {
    filter::text(&s.name, f.name.as_deref())
        && filter::exact(&s.certificate_id, f.certificate_id.as_deref())
        && filter::exact(s.level.label(), f.level.as_deref())
        && filter::exact(s.status.label(), f.status.as_deref())
        && filter::text(&s.school_name, f.school.as_deref())
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_SITE", message.into())
}

/// The details every declaration needs, checked.
struct Details {
    address: String,
    contact: String,
    phone: String,
    equipment: String,
    standards: Vec<StandardCheck>,
}

async fn details(state: &AppState, input: &SiteInput) -> Result<Details, DomainError> {
    let address = input.address.trim();
    if address.is_empty() || address.chars().count() > 200 {
        return Err(bad("站点地址不能为空，且不超过200个字符"));
    }
    let contact = input.contact.trim();
    if contact.is_empty() || contact.chars().count() > 50 {
        return Err(bad("联系人不能为空，且不超过50个字符"));
    }
    let phone = vslc_ports::domain::text::normalise(&input.phone);
    let phone_ok =
        (7..=20).contains(&phone.len()) && phone.chars().all(|c| c.is_ascii_digit() || c == '-');
    if !phone_ok {
        return Err(bad("联系电话须为手机号或带区号的固定电话"));
    }
    if !(1..=100_000).contains(&input.capacity) {
        return Err(bad("可容纳考生数须在1到100000之间"));
    }
    if input.equipment.chars().count() > 2000 {
        return Err(bad("设备设施说明不能超过2000个字符"));
    }
    let required = site_standards(state, &input.certificate_id, input.level).await?;
    if let Some(a) = input
        .standards
        .iter()
        .find(|a| !required.iter().any(|r| r.id == a.standard_id))
    {
        return Err(bad(format!("建设标准 {} 不属于该证书等级", a.standard_id)));
    }
    let mut standards = Vec::new();
    for r in required {
        let answer = input
            .standards
            .iter()
            .find(|a| a.standard_id == r.id)
            .ok_or_else(|| bad(format!("请逐项确认建设标准“{}”", r.name)))?;
        standards.push(StandardCheck {
            standard_id: r.id,
            standard_name: r.name,
            met: answer.met,
        });
    }
    Ok(Details {
        address: address.into(),
        contact: contact.into(),
        phone,
        equipment: input.equipment.trim().into(),
        standards,
    })
}

fn exists() -> DomainError {
    DomainError::conflict(
        "SITE_EXISTS",
        "该证书等级已申报过考核站点，为保证考核站点唯一性，不允许再次申报",
    )
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: SiteInput,
) -> Result<Site, DomainError> {
    let school = caller.school_exam_writer()?;
    let pilot = Pilot::of_school(state.table.as_ref(), school)
        .await?
        .into_iter()
        .find(|p| p.certificate_id == input.certificate_id);
    if !pilot.is_some_and(|p| p.levels.contains(&input.level)) {
        return Err(bad("本校未参与该证书等级的试点，不能申报考核站点"));
    }
    let cert = Certificate::load(state.table.as_ref(), &input.certificate_id)
        .await?
        .ok_or_else(|| bad("证书不存在"))?;
    let profile = vslc_catalogue::school::load(state, school).await?;
    let d = details(state, &input).await?;
    let now = state.clock.now_text();
    let site = Site {
        id: format!("{}-{}", school.id, ulid::Ulid::new()),
        school_id: school.id.clone(),
        school_name: profile.name.clone(),
        org_id: cert.org_id.clone(),
        certificate_id: cert.id.clone(),
        certificate_name: cert.name.clone(),
        level: input.level,
        name: Site::generated_name(&profile.name, &cert.name, input.level),
        address: d.address,
        contact: d.contact,
        phone: d.phone,
        capacity: input.capacity,
        equipment: d.equipment,
        standards: d.standards,
        status: if input.submit {
            SiteStatus::Pending
        } else {
            SiteStatus::Draft
        },
        review_reason: None,
        submitted_at: input.submit.then(|| now.clone()),
        reviewed_at: None,
        reviewed_by: None,
        created_at: now,
        version: 1,
    };
    let guard = vslc_ports::table::to_item(
        &Site::guard_key(school, &site.certificate_id, site.level),
        &serde_json::json!({ "siteId": site.id }),
    )?;
    state
        .table
        .put_guarded(guard, site.to_item()?)
        .await
        .on_conflict(exists)?;
    Ok(site)
}

pub async fn all(state: &AppState, school: &Tenant) -> Result<Vec<Site>, DomainError> {
    let query = Query::partition(school.pk()).begins_with("SITE#");
    Ok(state.table.query_all_as(query).await?)
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &SiteFilter,
    page: &PageParams,
) -> Result<Paged<Site>, DomainError> {
    let school = caller.school_reader()?;
    let mut rows = all(state, school).await?;
    rows.retain(|s| matches(s, f));
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Paged::of(rows, page)
}

/// The school's own site (another school's id looks missing).
pub async fn own(state: &AppState, school: &Tenant, id: &str) -> Result<Site, DomainError> {
    workflow::own(&*state.table, Some(Site::key(school, id))).await
}

pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Site, DomainError> {
    own(state, caller.school_reader()?, id).await
}

pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: SiteInput,
) -> Result<Site, DomainError> {
    let school = caller.school_exam_writer()?;
    let s = own(state, school, id).await?;
    review::EDIT.check(&s)?;
    if input.certificate_id != s.certificate_id || input.level != s.level {
        return Err(bad("考核证书和等级不能修改；如需更换请删除后重新申报"));
    }
    let d = details(state, &input).await?;
    let update = Update::new()
        .set("address", d.address)
        .set("contact", d.contact)
        .set("phone", d.phone)
        .set("capacity", input.capacity)
        .set("equipment", d.equipment)
        .set_json("standards", &d.standards)?;
    review::SUBMIT
        .edit(state, caller, &s, update, input.submit)
        .await
}

/// 提交 (未提交 / 审核退回 → 待审核).
pub async fn submit(state: &AppState, caller: &Caller, id: &str) -> Result<Site, DomainError> {
    let s = own(state, caller.school_exam_writer()?, id).await?;
    review::SUBMIT.take(state, caller, &s).await
}

/// 撤销 (待审核 → 未提交), before the org reviews it.
pub async fn withdraw(state: &AppState, caller: &Caller, id: &str) -> Result<Site, DomainError> {
    let s = own(state, caller.school_exam_writer()?, id).await?;
    review::WITHDRAW.take(state, caller, &s).await
}

/// 删除 (未提交 / 审核退回), with its uniqueness guard.
pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let s = own(state, school, id).await?;
    review::DELETE.check(&s)?;
    let guard = Site::guard_key(school, &s.certificate_id, s.level);
    workflow::remove(&*state.table, &s, Some(guard)).await
}

/// The 考核站点建设标准 a declaration answers.
pub async fn standards_for(
    state: &AppState,
    caller: &Caller,
    certificate_id: &str,
    level: Level,
) -> Result<Vec<vslc_catalogue::standard::Standard>, DomainError> {
    caller.school_reader()?;
    site_standards(state, certificate_id, level).await
}
