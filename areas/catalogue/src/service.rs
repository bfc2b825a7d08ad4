//! What the `/api/certificates` and `/api/orgs` areas do, independent of HTTP.

use std::collections::HashMap;
use vslc_ports::Caller;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::certificate::{Certificate, Level, Major};
use super::org::{Org, OrgNature};
use super::pilot::Pilot;
use vslc_accounts::TenantKind;
use vslc_http::{PageParams, Paged, filter};
use vslc_ledger::{self as ledger, ChainInfo, TxBody};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::table::Condition;

/// 证书范围.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// 已参与试点 (a school's default).
    #[default]
    Pilot,
    /// 全部.
    All,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CertificateFilter {
    /// `pilot` (default for schools) or `all`.
    #[param(inline)]
    pub scope: Option<Scope>,
    /// 证书名称 (contains).
    pub name: Option<String>,
    /// 颁证机构 name (contains).
    pub org: Option<String>,
    /// 证书等级: 初级 / 中级 / 高级.
    pub level: Option<String>,
    /// 证书类别.
    pub category: Option<String>,
}

/// A certificate as the list shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    pub levels: Vec<Level>,
    pub category: String,
    pub batch: String,
    pub major_count: usize,
    /// The caller's school takes part in it (已参与试点).
    pub pilot: bool,
    /// Levels the school takes part in.
    pub pilot_levels: Vec<Level>,
}

impl CertificateRow {
    pub fn of(c: Certificate, pilot: Option<&Pilot>) -> Self {
        Self {
            major_count: c.majors.len(),
            pilot: pilot.is_some(),
            pilot_levels: pilot.map(|p| p.levels.clone()).unwrap_or_default(),
            id: c.id,
            code: c.code,
            name: c.name,
            org_id: c.org_id,
            org_name: c.org_name,
            levels: c.levels,
            category: c.category,
            batch: c.batch,
        }
    }
}

/// A certificate with its majors and 上链信息.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateDetail {
    #[serde(flatten)]
    pub certificate: Certificate,
    pub pilot: bool,
    pub pilot_levels: Vec<Level>,
}

/// 证书信息 as an org registers or edits it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInput {
    pub code: String,
    pub name: String,
    pub levels: Vec<Level>,
    pub category: String,
    pub batch: String,
    pub majors: Vec<Major>,
}

/// 上链信息 with the block's time.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChainView {
    #[serde(flatten)]
    pub chain: ChainInfo,
    pub block_time: String,
    pub verify_url: String,
}

async fn pilots_of(
    state: &AppState,
    caller: &Caller,
) -> Result<HashMap<String, Pilot>, DomainError> {
    if caller.tenant.kind != TenantKind::School {
        return Ok(HashMap::new());
    }
    Ok(Pilot::of_school(state.table.as_ref(), &caller.tenant)
        .await?
        .into_iter()
        .map(|p| (p.certificate_id.clone(), p))
        .collect())
}

fn level_matches(levels: &[Level], query: Option<&str>) -> bool {
    query
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .is_none_or(|q| levels.iter().any(|l| l.label() == q))
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &CertificateFilter,
    page: &PageParams,
) -> Result<Paged<CertificateRow>, DomainError> {
    let pilots = pilots_of(state, caller).await?;
    // Schools see their pilots by default; orgs and provinces see everything.
    let scope = f
        .scope
        .unwrap_or(if caller.tenant.kind == TenantKind::School {
            Scope::Pilot
        } else {
            Scope::All
        });
    let mut certs = Certificate::all(state.table.as_ref()).await?;
    certs.retain(|c| {
        (scope == Scope::All || pilots.contains_key(&c.id))
            && filter::text(&c.name, f.name.as_deref())
            && filter::text(&c.org_name, f.org.as_deref())
            && level_matches(&c.levels, f.level.as_deref())
            && filter::exact(&c.category, f.category.as_deref())
    });
    certs.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Paged::of(certs, page)?.map(|c| {
        let pilot = pilots.get(&c.id);
        CertificateRow::of(c, pilot)
    }))
}

pub async fn detail(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<CertificateDetail, DomainError> {
    let certificate = Certificate::load(state.table.as_ref(), id)
        .await?
        .ok_or_else(|| DomainError::not_found("证书"))?;
    let pilots = pilots_of(state, caller).await?;
    let pilot = pilots.get(id);
    Ok(CertificateDetail {
        pilot: pilot.is_some(),
        pilot_levels: pilot.map(|p| p.levels.clone()).unwrap_or_default(),
        certificate,
    })
}

pub async fn chain(state: &AppState, id: &str) -> Result<ChainView, DomainError> {
    let cert = Certificate::load(state.table.as_ref(), id)
        .await?
        .ok_or_else(|| DomainError::not_found("证书"))?;
    let chain = cert
        .chain
        .ok_or_else(|| DomainError::not_found("上链信息"))?;
    let proof = ledger::prove(state.table.as_ref(), &chain.tx_hash)
        .await
        .map_err(DomainError::internal)?
        .ok_or_else(|| DomainError::not_found("上链信息"))?;
    Ok(ChainView {
        verify_url: format!("/api/verify/tx/{}", chain.tx_hash),
        block_time: proof.block.time,
        chain,
    })
}

fn check_input(input: &CertificateInput) -> Result<(), DomainError> {
    let bad = |m: &str| DomainError::invalid("BAD_CERTIFICATE", m.to_owned());
    if input.code.trim().is_empty() || input.code.len() > 20 {
        return Err(bad("证书代码不能为空且不超过20个字符"));
    }
    if input.name.trim().is_empty() || input.name.chars().count() > 100 {
        return Err(bad("证书名称不能为空且不超过100个字符"));
    }
    if input.levels.is_empty() {
        return Err(bad("请至少选择一个证书等级"));
    }
    if input.category.trim().is_empty() || input.batch.trim().is_empty() {
        return Err(bad("证书类别和批次不能为空"));
    }
    let mut codes = std::collections::HashSet::new();
    for m in &input.majors {
        if m.code.trim().is_empty() || m.name.trim().is_empty() || m.version.trim().is_empty() {
            return Err(bad("专业代码、专业名称、专业版本不能为空"));
        }
        if !codes.insert((m.code.trim(), m.version.trim())) {
            return Err(DomainError::invalid(
                "BAD_CERTIFICATE",
                format!("专业 {} 重复", m.code),
            ));
        }
    }
    Ok(())
}

fn org_session(caller: &Caller) -> Result<&str, DomainError> {
    Ok(caller
        .require_kind(TenantKind::Org)
        .map(|t| t.id.as_str())?)
}

/// An org registers a certificate; it goes on the ledger.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: CertificateInput,
) -> Result<Certificate, DomainError> {
    let org_id = org_session(caller)?;
    check_input(&input)?;
    let table = state.table.as_ref();
    let org = Org::load(table, org_id)
        .await?
        .ok_or_else(|| DomainError::not_found("培训评价组织"))?;
    let all = Certificate::all(table).await?;
    if all.iter().any(|c| c.code == input.code.trim()) {
        return Err(DomainError::conflict("CODE_TAKEN", "证书代码已存在"));
    }
    let mut levels = input.levels;
    levels.sort();
    levels.dedup();
    let cert = Certificate {
        id: format!("CERT{}", input.code.trim()),
        code: input.code.trim().into(),
        name: input.name.trim().into(),
        org_id: org.id,
        org_name: org.name,
        levels,
        category: input.category.trim().into(),
        batch: input.batch.trim().into(),
        majors: input.majors,
        chain: None,
        version: 1,
    };
    let time = state.clock.now_cst().to_rfc3339();
    let mut done = Certificate::register(table, vec![cert], &time)
        .await
        .map_err(|e| {
            if e.downcast_ref::<vslc_ports::TableError>()
                .is_some_and(|t| t.is_conflict())
            {
                DomainError::conflict("CODE_TAKEN", "证书代码已存在")
            } else {
                DomainError::internal(e)
            }
        })?;
    done.pop()
        .ok_or_else(|| DomainError::internal(anyhow::anyhow!("registered nothing")))
}

/// The owning org edits name, levels, category, batch and majors; the new
/// state is anchored on the ledger too.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: CertificateInput,
) -> Result<Certificate, DomainError> {
    let org_id = org_session(caller)?;
    check_input(&input)?;
    let table = state.table.as_ref();
    let mut cert = Certificate::load(table, id)
        .await?
        .filter(|c| c.org_id == org_id)
        .ok_or_else(|| DomainError::not_found("证书"))?;
    if input.code.trim() != cert.code {
        return Err(DomainError::invalid("CODE_FIXED", "证书代码登记后不能修改"));
    }
    let version = cert.version;
    cert.name = input.name.trim().into();
    let mut levels = input.levels;
    levels.sort();
    levels.dedup();
    cert.levels = levels;
    cert.category = input.category.trim().into();
    cert.batch = input.batch.trim().into();
    cert.majors = input.majors;
    let time = state.clock.now_cst().to_rfc3339();
    let mut payload = serde_json::to_value(&cert).map_err(DomainError::internal)?;
    if let Some(o) = payload.as_object_mut() {
        o.remove("chain");
        o.remove("version");
    }
    let saved = cert.save(table, version).await?;
    let info = ledger::append(
        table,
        vec![TxBody {
            kind: "certificate.update".into(),
            payload,
            time: time.clone(),
        }],
        &time,
    )
    .await
    .map_err(DomainError::internal)?;
    let chain = info
        .into_iter()
        .next()
        .ok_or_else(|| DomainError::internal(anyhow::anyhow!("no chain info")))?;
    let after = table
        .update(
            &Certificate::key(id),
            vslc_ports::table::Update::new().set_json("chain", &chain)?,
            Some(Condition::VersionIs(saved.version)),
        )
        .await?;
    Ok(vslc_ports::table::from_item(after)?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgFilter {
    /// 机构名称 (contains).
    pub name: Option<String>,
    /// 机构性质.
    pub nature: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub nature: OrgNature,
    pub contact: String,
    pub phone: String,
    pub certificate_count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrgDetail {
    #[serde(flatten)]
    pub org: Org,
    /// Its certificates (for a school: those it takes part in).
    pub certificates: Vec<CertificateRow>,
}

fn nature_label(n: OrgNature) -> String {
    serde_json::to_value(n)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The certificates a caller may see of an org: a school only its pilots.
async fn visible_certs(
    state: &AppState,
    caller: &Caller,
) -> Result<(Vec<Certificate>, HashMap<String, Pilot>), DomainError> {
    let pilots = pilots_of(state, caller).await?;
    let mut certs = Certificate::all(state.table.as_ref()).await?;
    if caller.tenant.kind == TenantKind::School {
        certs.retain(|c| pilots.contains_key(&c.id));
    }
    Ok((certs, pilots))
}

pub async fn orgs(
    state: &AppState,
    caller: &Caller,
    f: &OrgFilter,
    page: &PageParams,
) -> Result<Paged<OrgRow>, DomainError> {
    let (certs, _) = visible_certs(state, caller).await?;
    let mut orgs = Org::all(state.table.as_ref()).await?;
    orgs.retain(|o| {
        // A school sees the orgs of the certificates it takes part in (§2.1).
        (caller.tenant.kind != TenantKind::School || certs.iter().any(|c| c.org_id == o.id))
            && filter::text(&o.name, f.name.as_deref())
            && filter::exact(&nature_label(o.nature), f.nature.as_deref())
    });
    Ok(Paged::of(orgs, page)?.map(|o| OrgRow {
        certificate_count: certs.iter().filter(|c| c.org_id == o.id).count(),
        id: o.id,
        name: o.name,
        nature: o.nature,
        contact: o.contact,
        phone: o.phone,
    }))
}

pub async fn org_detail(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<OrgDetail, DomainError> {
    let (certs, pilots) = visible_certs(state, caller).await?;
    let org = Org::load(state.table.as_ref(), id)
        .await?
        .ok_or_else(|| DomainError::not_found("培训评价组织"))?;
    let mine: Vec<Certificate> = certs.into_iter().filter(|c| c.org_id == org.id).collect();
    if caller.tenant.kind == TenantKind::School && mine.is_empty() {
        return Err(DomainError::not_found("培训评价组织"));
    }
    let certificates = mine
        .into_iter()
        .map(|c| {
            let pilot = pilots.get(&c.id);
            CertificateRow::of(c, pilot)
        })
        .collect();
    Ok(OrgDetail { org, certificates })
}
