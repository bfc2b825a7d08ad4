//! 试点院校: the school's own profile (manual §2.2) — contacts, 电子签章 and
//! the 试点证书负责人 of each certificate.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vslc_ports::Caller;

use crate::images::{self as images, ImageUpload, Purpose};
use vslc_accounts::{Tenant, TenantKind};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::{PersonName, Phone};
use vslc_ports::table::{Condition, Index, Key, Query, TableExt, Update, to_item};

/// 试点证书负责人.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateLead {
    pub certificate_id: String,
    pub certificate_name: String,
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct School {
    /// 学校代码 (assigned by the platform, not editable).
    pub code: String,
    pub name: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub contact: String,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub leads: Vec<CertificateLead>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<String>,
    pub version: u64,
}

/// The profile as the school sees it, with a link to its 电子签章.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchoolView {
    #[serde(flatten)]
    pub school: School,
    pub seal_url: Option<String>,
}

/// What the school may edit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchoolInput {
    pub address: String,
    pub contact: String,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub leads: Vec<CertificateLead>,
}

impl School {
    pub fn key(tenant: &Tenant) -> Key {
        Key::new(tenant.pk(), "PROFILE")
    }

    pub fn tenant(&self) -> Tenant {
        Tenant::new(TenantKind::School, &self.code)
    }

    /// The province tenant that oversees this school (declarations, weekly
    /// reports), from the profile's province.
    pub fn province(&self) -> Option<Tenant> {
        super::province::code_of(&self.province).map(|c| Tenant::new(TenantKind::Province, c))
    }

    /// [`School::province`], or the 409 a school without a recognisable
    /// province gets.
    pub fn overseer(&self) -> Result<Tenant, DomainError> {
        self.province().ok_or_else(|| {
            DomainError::conflict(
                "NO_PROVINCE",
                "院校信息中的所在省份无法识别，请联系平台管理员",
            )
        })
    }

    fn directory_pk(province: &Tenant) -> String {
        format!("{}#SCHOOLS", province.pk())
    }
}

fn school_tenant(caller: &Caller) -> Result<&Tenant, DomainError> {
    Ok(caller.require_kind(TenantKind::School)?)
}

pub async fn load(state: &AppState, tenant: &Tenant) -> Result<School, DomainError> {
    state
        .table
        .get_as(&School::key(tenant))
        .await?
        .ok_or_else(|| DomainError::not_found("院校信息"))
}

pub async fn view(state: &AppState, caller: &Caller) -> Result<SchoolView, DomainError> {
    let school = load(state, school_tenant(caller)?).await?;
    let seal_url = images::url(state, school.seal_key.as_deref()).await?;
    Ok(SchoolView { school, seal_url })
}

pub async fn edit(
    state: &AppState,
    caller: &Caller,
    input: SchoolInput,
) -> Result<SchoolView, DomainError> {
    caller.require_admin()?;
    let tenant = school_tenant(caller)?;
    let school = load(state, tenant).await?;
    let bad = |m: &str| DomainError::invalid("BAD_SCHOOL", m.to_owned());
    if input.address.trim().is_empty() || input.address.chars().count() > 200 {
        return Err(bad("地址不能为空且不超过200个字符"));
    }
    PersonName::parse(&input.contact).map_err(|_| bad("联系人不能为空且不超过50个字符"))?;
    if input.phone.trim().is_empty() || input.phone.chars().count() > 20 {
        return Err(bad("联系电话不能为空"));
    }
    if !input.email.trim().is_empty() && !input.email.contains('@') {
        return Err(bad("电子邮箱格式不正确"));
    }
    for lead in &input.leads {
        PersonName::parse(&lead.name).map_err(|_| bad("证书负责人姓名不能为空"))?;
        Phone::parse(&lead.phone).map_err(&bad)?;
    }
    let update = Update::new()
        .set("address", input.address.trim())
        .set("contact", input.contact.trim())
        .set("phone", input.phone.trim())
        .set("email", input.email.trim())
        .set_json("leads", &input.leads)?;
    let school: School = state
        .table
        .update_versioned(&School::key(tenant), school.version, update)
        .await?;
    let seal_url = images::url(state, school.seal_key.as_deref()).await?;
    Ok(SchoolView { school, seal_url })
}

pub async fn begin_seal(state: &AppState, caller: &Caller) -> Result<ImageUpload, DomainError> {
    caller.require_admin()?;
    images::begin(state, school_tenant(caller)?, Purpose::SchoolSeal).await
}

pub async fn confirm_seal(state: &AppState, caller: &Caller) -> Result<SchoolView, DomainError> {
    caller.require_admin()?;
    let tenant = school_tenant(caller)?;
    load(state, tenant).await?;
    let key = images::confirm(state, tenant, Purpose::SchoolSeal).await?;
    state
        .table
        .update(
            &School::key(tenant),
            Update::new().set("sealKey", key).bump_version(),
            Some(Condition::Exists),
        )
        .await?;
    view(state, caller).await
}

/// Seeds or replaces a school's profile (demo data, platform onboarding),
/// listed in its province's directory (GSI1).
pub async fn put(state: &AppState, tenant: &Tenant, school: &School) -> Result<(), DomainError> {
    let mut item = to_item(&School::key(tenant), school)?;
    if let Some(province) = school.province() {
        item.insert(
            Index::Gsi1.pk_attr().into(),
            School::directory_pk(&province).into(),
        );
        item.insert(Index::Gsi1.sk_attr().into(), school.code.clone().into());
    }
    state.table.put(item, None).await?;
    Ok(())
}

/// The schools a province oversees.
pub async fn of_province(state: &AppState, province: &Tenant) -> Result<Vec<School>, DomainError> {
    Ok(state
        .table
        .query_all_as(Query::index(Index::Gsi1, School::directory_pk(province)))
        .await?)
}

/// The province tenant of a school (from its profile).
pub async fn province_of(state: &AppState, school: &Tenant) -> Result<Tenant, DomainError> {
    load(state, school).await?.overseer()
}

/// The province whose records a caller works with: a province its own, a
/// school its province's; an org gets 403 with `org_message`.
pub async fn session_province(
    state: &AppState,
    caller: &Caller,
    org_message: &'static str,
) -> Result<Tenant, DomainError> {
    match caller.tenant.kind {
        TenantKind::Province => Ok(caller.tenant.clone()),
        TenantKind::School => province_of(state, &caller.tenant).await,
        TenantKind::Org => Err(DomainError::forbidden(org_message)),
    }
}
