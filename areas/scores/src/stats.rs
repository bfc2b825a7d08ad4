//! 统计分析 (manual §7.1, 证书通过率统计): 报考人数, 实考人数, 通过人数 and
//! 通过率 by certificate and by certificate level, for a school, an org
//! (its certificates) and a province (its schools), by year and plan.
//!
//! The figures are tallied when a plan's results are computed — one item
//! per (plan, school, certificate, level) in the school's, the org's and
//! the province's partitions — so a request reads a few dozen items, never
//! the results.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::results::{CertResult, ResultStatus};
use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::certificate::Level;
use vslc_exam::Plan;
use vslc_files::export::{Cell, ExportFile};
use vslc_ports::table::{BatchOp, Key, Query, TableExt, to_item};
use vslc_ports::{AppState, Caller, DomainError};

const STATS: &str = "STATS";

/// The figures of one school's candidates of one certificate level in one
/// plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub plan_id: String,
    pub plan_name: String,
    /// The year of the plan's first exam.
    pub year: i32,
    pub org_id: String,
    pub org_name: String,
    pub school_id: String,
    pub school_name: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    /// 报考人数 (with a result), 实考人数, 通过人数.
    pub registered: u64,
    pub sat: u64,
    pub passed: u64,
}

impl Tally {
    pub fn add(&mut self, r: &CertResult) {
        self.registered += 1;
        self.sat += u64::from(r.sat);
        self.passed += u64::from(r.status == ResultStatus::Passed);
    }

    fn own_sk(&self) -> String {
        format!(
            "{:04}#{}#{}#{}",
            self.year,
            self.plan_id,
            self.certificate_id,
            self.level.label()
        )
    }

    fn key_in(&self, tenant: &Tenant) -> Key {
        let sk = match tenant.kind {
            TenantKind::School => self.own_sk(),
            _ => format!("{}#{}", self.own_sk(), self.school_id),
        };
        Key::new(tenant.index(STATS), sk)
    }
}

/// A tally to be counted: the result's plan, school and certificate level.
pub(crate) fn tally_of(plan: &Plan, r: &CertResult) -> Tally {
    Tally {
        plan_id: plan.id.clone(),
        plan_name: plan.name.clone(),
        year: plan_year(plan),
        org_id: plan.org_id.clone(),
        org_name: plan.org_name.clone(),
        school_id: r.school_id.clone(),
        school_name: r.school_name.clone(),
        certificate_id: r.certificate_id.clone(),
        certificate_name: plan
            .certificate(&r.certificate_id)
            .map(|c| c.certificate_name.clone())
            .unwrap_or_default(),
        level: r.level,
        registered: 0,
        sat: 0,
        passed: 0,
    }
}

fn plan_year(plan: &Plan) -> i32 {
    use chrono::Datelike;
    plan.exam_span().0.year()
}

/// Stores a plan's tallies where the school, the org and the school's
/// province read them (puts: storing them again writes the same).
pub(crate) async fn store(
    state: &AppState,
    plan: &Plan,
    tallies: Vec<Tally>,
) -> anyhow::Result<()> {
    let mut provinces: BTreeMap<String, Option<Tenant>> = BTreeMap::new();
    for s in &plan.schools {
        let t = Tenant::new(TenantKind::School, &s.school_id);
        let province = match vslc_catalogue::school::load(state, &t).await {
            Ok(school) => school.province(),
            Err(DomainError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        provinces.insert(s.school_id.clone(), province);
    }
    let org = Tenant::new(TenantKind::Org, &plan.org_id);
    let mut ops = Vec::new();
    for t in &tallies {
        let school = Tenant::new(TenantKind::School, &t.school_id);
        let mut homes = vec![school, org.clone()];
        if let Some(Some(p)) = provinces.get(&t.school_id) {
            homes.push(p.clone());
        }
        for home in homes {
            ops.push(BatchOp::Put(to_item(&t.key_in(&home), t)?));
        }
    }
    for chunk in ops.chunks(1_000) {
        state.table.batch_write(chunk.to_vec()).await?;
    }
    Ok(())
}

/// 统计分析 filters.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct StatFilter {
    /// 年度.
    pub year: Option<i32>,
    /// 考试计划.
    pub plan_id: Option<String>,
    /// 证书.
    pub certificate_id: Option<String>,
}

/// A row of 按证书统计 (no level) or 按证书等级统计.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatRow {
    pub certificate_id: String,
    pub certificate_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    pub registered: u64,
    pub sat: u64,
    pub passed: u64,
    /// 通过率 (%): 通过人数 of 实考人数, one decimal; none when nobody sat.
    pub pass_rate: Option<f64>,
}

/// One plan's figures, for the trend over plans.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanPoint {
    pub plan_id: String,
    pub plan_name: String,
    pub year: i32,
    pub registered: u64,
    pub sat: u64,
    pub passed: u64,
    pub pass_rate: Option<f64>,
}

/// What a 统计分析 page shows: the rows, the total, the trend over plans
/// and what the filters can choose.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    pub rows: Vec<StatRow>,
    pub total: StatRow,
    pub plans: Vec<PlanPoint>,
    pub years: Vec<i32>,
}

fn rate(passed: u64, sat: u64) -> Option<f64> {
    (sat > 0).then(|| (passed as f64 * 1000.0 / sat as f64).round() / 10.0)
}

/// Whose figures a caller reads.
fn home(caller: &Caller) -> Result<&Tenant, DomainError> {
    match caller.tenant.kind {
        TenantKind::Org => Ok(caller.require_kind(TenantKind::Org)?),
        TenantKind::Province => Ok(caller.require_kind(TenantKind::Province)?),
        _ => Ok(caller.school_reader()?),
    }
}

async fn tallies(state: &AppState, tenant: &Tenant) -> Result<Vec<Tally>, DomainError> {
    Ok(state
        .table
        .query_all_as(Query::partition(tenant.index(STATS)))
        .await?)
}

/// By certificate (`by_level` false) or by certificate level.
fn figures(all: &[Tally], f: &StatFilter, by_level: bool) -> Statistics {
    let mut years: Vec<i32> = all.iter().map(|t| t.year).collect();
    years.sort_unstable();
    years.dedup();
    let kept: Vec<&Tally> = all
        .iter()
        .filter(|t| f.year.is_none_or(|y| t.year == y))
        .filter(|t| {
            f.plan_id
                .as_deref()
                .map(str::trim)
                .is_none_or(|p| p.is_empty() || t.plan_id == p)
        })
        .filter(|t| {
            f.certificate_id
                .as_deref()
                .map(str::trim)
                .is_none_or(|c| c.is_empty() || t.certificate_id == c)
        })
        .collect();
    let mut rows: BTreeMap<(String, Option<Level>), StatRow> = BTreeMap::new();
    let mut plans: BTreeMap<(i32, String), PlanPoint> = BTreeMap::new();
    let mut total = StatRow {
        certificate_id: String::new(),
        certificate_name: "合计".into(),
        level: None,
        registered: 0,
        sat: 0,
        passed: 0,
        pass_rate: None,
    };
    for t in kept {
        let level = by_level.then_some(t.level);
        let row = rows
            .entry((t.certificate_id.clone(), level))
            .or_insert_with(|| StatRow {
                certificate_id: t.certificate_id.clone(),
                certificate_name: t.certificate_name.clone(),
                level,
                registered: 0,
                sat: 0,
                passed: 0,
                pass_rate: None,
            });
        let plan = plans
            .entry((t.year, t.plan_id.clone()))
            .or_insert_with(|| PlanPoint {
                plan_id: t.plan_id.clone(),
                plan_name: t.plan_name.clone(),
                year: t.year,
                registered: 0,
                sat: 0,
                passed: 0,
                pass_rate: None,
            });
        for (r, s, p) in [
            (&mut row.registered, &mut row.sat, &mut row.passed),
            (&mut plan.registered, &mut plan.sat, &mut plan.passed),
            (&mut total.registered, &mut total.sat, &mut total.passed),
        ] {
            *r += t.registered;
            *s += t.sat;
            *p += t.passed;
        }
    }
    let mut rows: Vec<StatRow> = rows.into_values().collect();
    for r in &mut rows {
        r.pass_rate = rate(r.passed, r.sat);
    }
    rows.sort_by(|a, b| {
        (a.certificate_name.as_str(), a.level).cmp(&(b.certificate_name.as_str(), b.level))
    });
    let mut plans: Vec<PlanPoint> = plans.into_values().collect();
    for p in &mut plans {
        p.pass_rate = rate(p.passed, p.sat);
    }
    total.pass_rate = rate(total.passed, total.sat);
    Statistics {
        rows,
        total,
        plans,
        years,
    }
}

/// 按证书统计.
pub async fn by_certificate(
    state: &AppState,
    caller: &Caller,
    f: &StatFilter,
) -> Result<Statistics, DomainError> {
    let tenant = home(caller)?;
    Ok(figures(&tallies(state, tenant).await?, f, false))
}

/// 按证书等级统计.
pub async fn by_level(
    state: &AppState,
    caller: &Caller,
    f: &StatFilter,
) -> Result<Statistics, DomainError> {
    let tenant = home(caller)?;
    Ok(figures(&tallies(state, tenant).await?, f, true))
}

const HEADERS_CERT: [&str; 5] = ["证书名称", "报考人数", "实考人数", "通过人数", "通过率"];
const HEADERS_LEVEL: [&str; 6] = [
    "证书名称",
    "证书等级",
    "报考人数",
    "实考人数",
    "通过人数",
    "通过率",
];

fn export_rows(s: &Statistics, by_level: bool) -> Vec<Vec<Cell>> {
    s.rows
        .iter()
        .chain(std::iter::once(&s.total))
        .map(|r| {
            let mut cells: Vec<Cell> = vec![r.certificate_name.clone().into()];
            if by_level {
                cells.push(r.level.map_or("", Level::label).into());
            }
            cells.extend([
                Cell::count(r.registered),
                Cell::count(r.sat),
                Cell::count(r.passed),
                r.pass_rate
                    .map_or(String::new(), |p| format!("{p:.1}%"))
                    .into(),
            ]);
            cells
        })
        .collect()
}

/// 导出按证书统计.
pub async fn export_by_certificate(
    state: &AppState,
    caller: &Caller,
    f: StatFilter,
) -> Result<ExportFile, DomainError> {
    let tenant = home(caller)?;
    let s = figures(&tallies(state, tenant).await?, &f, false);
    let rows = export_rows(&s, false);
    vslc_files::export::deliver_sheet(
        state,
        tenant,
        "stats-certificates",
        "按证书统计",
        &HEADERS_CERT,
        rows,
    )
    .await
}

/// 导出按证书等级统计.
pub async fn export_by_level(
    state: &AppState,
    caller: &Caller,
    f: StatFilter,
) -> Result<ExportFile, DomainError> {
    let tenant = home(caller)?;
    let s = figures(&tallies(state, tenant).await?, &f, true);
    let rows = export_rows(&s, true);
    vslc_files::export::deliver_sheet(
        state,
        tenant,
        "stats-levels",
        "按证书等级统计",
        &HEADERS_LEVEL,
        rows,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(plan: &str, year: i32, cert: &str, level: Level, n: (u64, u64, u64)) -> Tally {
        Tally {
            plan_id: plan.into(),
            plan_name: format!("计划{plan}"),
            year,
            org_id: "O".into(),
            org_name: "组织".into(),
            school_id: "S".into(),
            school_name: "学校".into(),
            certificate_id: cert.into(),
            certificate_name: format!("证书{cert}"),
            level,
            registered: n.0,
            sat: n.1,
            passed: n.2,
        }
    }

    #[test]
    fn figures_add_up_by_certificate_and_level() {
        let all = vec![
            tally("P1", 2026, "C1", Level::Junior, (10, 8, 6)),
            tally("P1", 2026, "C1", Level::Intermediate, (5, 5, 1)),
            tally("P2", 2027, "C1", Level::Junior, (4, 0, 0)),
            tally("P2", 2027, "C2", Level::Junior, (3, 3, 3)),
        ];
        let s = figures(&all, &StatFilter::default(), false);
        assert_eq!(s.years, vec![2026, 2027]);
        assert_eq!(s.rows.len(), 2);
        let c1 = &s.rows[0];
        assert_eq!((c1.registered, c1.sat, c1.passed), (19, 13, 7));
        assert_eq!(c1.pass_rate, Some(53.8));
        assert_eq!((s.total.registered, s.total.passed), (22, 10));
        assert_eq!(s.plans.len(), 2);
        let by_level = figures(&all, &StatFilter::default(), true);
        assert_eq!(by_level.rows.len(), 3);
        let f = StatFilter {
            year: Some(2027),
            ..StatFilter::default()
        };
        let s = figures(&all, &f, false);
        assert_eq!(s.total.registered, 7);
        let none_sat = s.rows.iter().find(|r| r.certificate_id == "C1").unwrap();
        assert_eq!(none_sat.pass_rate, None);
    }
}
