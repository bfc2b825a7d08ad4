//! Standards (manual §3): 职业技能等级标准 and 考核站点建设标准, each 已启用 or
//! 已停用. A school sees those of the certificates it takes part in; an org
//! maintains its own.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::certificate::{Certificate, Level};
use super::pilot::Pilot;
use vslc_accounts::TenantKind;
use vslc_http::{PageParams, Paged, filter};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::RecordId;
use vslc_ports::table::{Condition, Key, Query, TableExt, Update, to_item};

/// Which standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StandardKind {
    /// 职业技能等级标准.
    Skill,
    /// 考核站点建设标准.
    Site,
}

impl StandardKind {
    fn pk(self) -> &'static str {
        match self {
            StandardKind::Skill => "CATALOGUE#STD#SKILL",
            StandardKind::Site => "CATALOGUE#STD#SITE",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StandardKind::Skill => "职业技能等级标准",
            StandardKind::Site => "考核站点建设标准",
        }
    }
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "skill" => Ok(StandardKind::Skill),
            "site" => Ok(StandardKind::Site),
            _ => Err(DomainError::not_found("标准类型")),
        }
    }
}

/// 状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum StandardStatus {
    #[serde(rename = "已启用")]
    Enabled,
    #[serde(rename = "已停用")]
    Disabled,
}

impl StandardStatus {
    pub fn label(self) -> &'static str {
        match self {
            StandardStatus::Enabled => "已启用",
            StandardStatus::Disabled => "已停用",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Standard {
    pub id: String,
    pub kind: StandardKind,
    pub certificate_id: String,
    pub certificate_name: String,
    pub org_id: String,
    pub org_name: String,
    /// 标准代码 (skill standards).
    #[serde(default)]
    pub code: String,
    pub name: String,
    /// 版本 of the standard (skill standards), e.g. `1.0`.
    #[serde(default)]
    pub standard_version: String,
    /// 证书等级 (site standards are per level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// 标准内容 / 建设要求.
    pub content: String,
    /// 发布日期 YYYY-MM-DD.
    pub published_at: String,
    pub status: StandardStatus,
    pub version: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct StandardFilter {
    /// 标准名称 (contains).
    pub name: Option<String>,
    /// 证书名称 (contains).
    pub certificate: Option<String>,
    /// 已启用 / 已停用.
    pub status: Option<String>,
    /// 证书等级 (site standards).
    pub level: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StandardInput {
    pub certificate_id: RecordId,
    #[serde(default)]
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub standard_version: String,
    #[serde(default)]
    pub level: Option<Level>,
    pub content: String,
    pub published_at: String,
}

fn key(kind: StandardKind, id: &str) -> Key {
    Key::new(kind.pk(), id)
}

async fn all(state: &AppState, kind: StandardKind) -> Result<Vec<Standard>, DomainError> {
    Ok(state
        .table
        .query_all_as(Query::partition(kind.pk()))
        .await?)
}

/// The enabled 考核站点建设标准 of a certificate level: what a site
/// declaration answers.
pub async fn site_standards(
    state: &AppState,
    certificate_id: &str,
    level: Level,
) -> Result<Vec<Standard>, DomainError> {
    let mut rows = all(state, StandardKind::Site).await?;
    rows.retain(|s| {
        s.certificate_id == certificate_id
            && s.status == StandardStatus::Enabled
            && s.level.is_none_or(|l| l == level)
    });
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// Whether the caller may see a standard: schools those of their pilots,
/// orgs their own, provinces all.
async fn visibility(
    state: &AppState,
    caller: &Caller,
) -> Result<Box<dyn Fn(&Standard) -> bool + Send>, DomainError> {
    Ok(match caller.tenant.kind {
        TenantKind::School => {
            let pilots: Vec<String> = Pilot::of_school(state.table.as_ref(), &caller.tenant)
                .await?
                .into_iter()
                .map(|p| p.certificate_id)
                .collect();
            Box::new(move |s: &Standard| pilots.contains(&s.certificate_id))
        }
        TenantKind::Org => {
            let org = caller.tenant.id.clone();
            Box::new(move |s: &Standard| s.org_id == org)
        }
        TenantKind::Province => Box::new(|_: &Standard| true),
    })
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    kind: StandardKind,
    f: &StandardFilter,
    page: &PageParams,
) -> Result<Paged<Standard>, DomainError> {
    let visible = visibility(state, caller).await?;
    let mut items = all(state, kind).await?;
    items.retain(|s| {
        visible(s)
            && filter::text(&s.name, f.name.as_deref())
            && filter::text(&s.certificate_name, f.certificate.as_deref())
            && filter::exact(s.status.label(), f.status.as_deref())
            && filter::exact(s.level.map(Level::label).unwrap_or(""), f.level.as_deref())
    });
    items.sort_by(|a, b| {
        (&a.certificate_id, a.level, &a.code).cmp(&(&b.certificate_id, b.level, &b.code))
    });
    Paged::of(items, page)
}

pub async fn detail(
    state: &AppState,
    caller: &Caller,
    kind: StandardKind,
    id: &str,
) -> Result<Standard, DomainError> {
    let visible = visibility(state, caller).await?;
    state
        .table
        .get_as::<Standard>(&key(kind, id))
        .await?
        .filter(|s| visible(s))
        .ok_or_else(|| DomainError::not_found(kind.label()))
}

async fn checked(
    state: &AppState,
    caller: &Caller,
    kind: StandardKind,
    input: &StandardInput,
) -> Result<Certificate, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let bad = |m: &str| DomainError::invalid("BAD_STANDARD", m.to_owned());
    if input.name.trim().is_empty() || input.name.chars().count() > 100 {
        return Err(bad("标准名称不能为空且不超过100个字符"));
    }
    if input.content.trim().is_empty() {
        return Err(bad("标准内容不能为空"));
    }
    chrono::NaiveDate::parse_from_str(input.published_at.trim(), "%Y-%m-%d")
        .map_err(|_| bad("发布日期须为 YYYY-MM-DD"))?;
    let cert = Certificate::load(state.table.as_ref(), &input.certificate_id)
        .await?
        .filter(|c| c.org_id == org.id)
        .ok_or_else(|| bad("请选择本机构的证书"))?;
    match kind {
        StandardKind::Skill
            if input.code.trim().is_empty() || input.standard_version.trim().is_empty() =>
        {
            Err(bad("标准代码和版本不能为空"))
        }
        StandardKind::Site if input.level.is_none_or(|l| !cert.levels.contains(&l)) => {
            Err(bad("请选择该证书的等级"))
        }
        _ => Ok(cert),
    }
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    kind: StandardKind,
    input: StandardInput,
) -> Result<Standard, DomainError> {
    let cert = checked(state, caller, kind, &input).await?;
    let s = Standard {
        id: ulid::Ulid::new().to_string(),
        kind,
        certificate_id: cert.id,
        certificate_name: cert.name,
        org_id: cert.org_id,
        org_name: cert.org_name,
        code: input.code.trim().into(),
        name: input.name.trim().into(),
        standard_version: input.standard_version.trim().into(),
        level: if kind == StandardKind::Site {
            input.level
        } else {
            None
        },
        content: input.content,
        published_at: input.published_at.trim().into(),
        status: StandardStatus::Enabled,
        version: 1,
    };
    state
        .table
        .put(to_item(&key(kind, &s.id), &s)?, Some(Condition::NotExists))
        .await?;
    Ok(s)
}

/// Loads an org's own standard (others look missing).
async fn own(
    state: &AppState,
    caller: &Caller,
    kind: StandardKind,
    id: &str,
) -> Result<Standard, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    state
        .table
        .get_as::<Standard>(&key(kind, id))
        .await?
        .filter(|s| s.org_id == org.id)
        .ok_or_else(|| DomainError::not_found(kind.label()))
}

async fn save(
    state: &AppState,
    kind: StandardKind,
    s: &Standard,
    update: Update,
) -> Result<Standard, DomainError> {
    Ok(state
        .table
        .update_versioned(&key(kind, &s.id), s.version, update)
        .await?)
}

pub async fn edit(
    state: &AppState,
    caller: &Caller,
    kind: StandardKind,
    id: &str,
    input: StandardInput,
) -> Result<Standard, DomainError> {
    let s = own(state, caller, kind, id).await?;
    let cert = checked(state, caller, kind, &input).await?;
    let update = Update::new()
        .set("certificateId", cert.id)
        .set("certificateName", cert.name)
        .set("code", input.code.trim())
        .set("name", input.name.trim())
        .set("standardVersion", input.standard_version.trim())
        .set_json(
            "level",
            &if kind == StandardKind::Site {
                input.level
            } else {
                None
            },
        )?
        .set("content", input.content)
        .set("publishedAt", input.published_at.trim());
    save(state, kind, &s, update).await
}

/// 启用 / 停用.
pub async fn set_status(
    state: &AppState,
    caller: &Caller,
    kind: StandardKind,
    id: &str,
    to: StandardStatus,
) -> Result<Standard, DomainError> {
    let s = own(state, caller, kind, id).await?;
    if s.status == to {
        return Err(DomainError::conflict(
            "STATE_CONFLICT",
            format!("该标准已是“{}”状态", to.label()),
        ));
    }
    save(state, kind, &s, Update::new().set("status", to.label())).await
}

/// Seeds a standard as given (demo data).
pub async fn put(state: &AppState, s: &Standard) -> Result<(), DomainError> {
    state
        .table
        .put(to_item(&key(s.kind, &s.id), s)?, None)
        .await?;
    Ok(())
}
