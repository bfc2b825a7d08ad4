//! 考证结果 as the school (its candidates') and the org (its plans') read
//! them: a list by keyset cursor, 查看考证详情 with every subject's score,
//! and 批量导出证书考核详情 with the manual's columns.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::model::{Mark, Outcome, Points};
use crate::results::{CertResult, ResultStatus};
use crate::service::reader;
use vslc_accounts::{Tenant, TenantKind};
use vslc_candidates::CandidateKind;
use vslc_catalogue::certificate::Level;
use vslc_exam::Plan;
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{CursorParams, ExportFilter, ExportRequest, filter};
use vslc_ports::domain::{IdType, OptionalId};
use vslc_ports::table::TableExt;
use vslc_ports::{AppState, Caller, DomainError, keyset, mask};
use vslc_registrations::Registration;
use vslc_registrations::model::CandidateSnapshot;

/// A subject of a result, named.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubjectLine {
    pub subject_id: String,
    pub subject_code: String,
    pub subject_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Points>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// `86.5`, `缺考`, `违纪（52）`, or `未登记成绩`.
    pub score_text: String,
    pub pass_mark: Points,
    pub passed: bool,
}

/// A result as lists show it (ID number masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResultRow {
    /// `<计划 id>.<报考 id>`.
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub registration_id: String,
    pub school_id: String,
    pub school_name: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    /// 考核单位.
    pub org_name: String,
    pub ticket_no: String,
    pub candidate_no: String,
    pub candidate_name: String,
    pub candidate_kind: CandidateKind,
    pub id_type: IdType,
    /// 证件号码, masked.
    pub id_number: String,
    /// 通过条件.
    pub condition: String,
    /// 考核状态.
    pub status: ResultStatus,
    pub subjects: Vec<SubjectLine>,
    pub decided_at: String,
}

/// 考证结果 filters. The org names a plan.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ResultFilter {
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub plan_id: OptionalId,
    pub certificate_id: Option<String>,
    /// 初级 / 中级 / 高级.
    pub level: Option<String>,
    /// 已通过 / 未通过.
    pub status: Option<String>,
    /// 考生姓名、考生编号或准考证号 (contains).
    pub candidate: Option<String>,
    /// 所属院校 (the org's list).
    pub school_id: Option<String>,
}

/// 批量导出证书考核详情: the ticked rows, or those the filter matches.
pub type ResultExportRequest = ExportRequest<ResultFilter>;

impl ExportFilter for ResultFilter {
    const REQUEST_NAME: &'static str = "ResultExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

/// One page of 考证结果.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResultPage {
    pub items: Vec<ResultRow>,
    pub next_cursor: Option<String>,
}

fn sources(tenant: &Tenant, f: &ResultFilter) -> Result<Vec<keyset::Source>, DomainError> {
    let plan = f.plan_id.as_deref().filter(|p| !p.is_empty());
    if tenant.kind == TenantKind::Org && plan.is_none() {
        return Err(DomainError::invalid("BAD_FILTER", "请先选择考试计划"));
    }
    if let Some(s) = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty())
        && ResultStatus::from_label(s).is_none()
    {
        return Err(DomainError::invalid(
            "BAD_STATUS",
            format!("考核状态“{s}”不正确"),
        ));
    }
    Ok(CertResult::sources(tenant, plan))
}

fn keeps(r: &ResultRow, f: &ResultFilter) -> bool {
    let q = f.candidate.as_deref();
    (filter::text(&r.candidate_name, q)
        || filter::text(&r.candidate_no, q)
        || filter::text(&r.ticket_no, q))
        && filter::exact(&r.certificate_id, f.certificate_id.as_deref())
        && filter::exact(r.level.label(), f.level.as_deref())
        && filter::exact(r.status.label(), f.status.as_deref())
        && filter::exact(&r.school_id, f.school_id.as_deref())
}

async fn rows(state: &AppState, results: Vec<CertResult>) -> Result<Vec<ResultRow>, DomainError> {
    let mut plan_ids: Vec<String> = results.iter().map(|r| r.plan_id.clone()).collect();
    plan_ids.sort();
    plan_ids.dedup();
    let plans: HashMap<String, Plan> = Plan::load_many(state, &plan_ids)
        .await?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let wanted = results
        .iter()
        .map(|r| {
            let school = Tenant::new(TenantKind::School, &r.school_id);
            let key = Registration::key(&school, &r.plan_id, &r.registration_id);
            (r.registration_id.clone(), key)
        })
        .collect();
    let people: HashMap<String, CandidateSnapshot> =
        vslc_scheduling::holders::by_key(state, wanted).await?;
    Ok(results
        .into_iter()
        .filter_map(|r| {
            let plan = plans.get(&r.plan_id)?;
            let person = people.get(&r.registration_id)?;
            Some(row(r, plan, person))
        })
        .collect())
}

fn row(r: CertResult, plan: &Plan, person: &CandidateSnapshot) -> ResultRow {
    let subjects = r
        .subjects
        .iter()
        .map(|s| {
            let named = plan.subject(&s.subject_id);
            let outcome = Outcome {
                points: s.score,
                mark: s.mark,
            };
            SubjectLine {
                subject_id: s.subject_id.clone(),
                subject_code: named.map(|n| n.code.clone()).unwrap_or_default(),
                subject_name: named.map(|n| n.name.clone()).unwrap_or_default(),
                score: s.score,
                mark: s.mark,
                score_text: if s.score.is_none() && s.mark.is_none() {
                    "未登记成绩".into()
                } else {
                    outcome.text()
                },
                pass_mark: s.pass_mark,
                passed: s.passed,
            }
        })
        .collect();
    ResultRow {
        id: r.public_id(),
        plan_name: plan.name.clone(),
        certificate_name: plan
            .certificate(&r.certificate_id)
            .map(|c| c.certificate_name.clone())
            .unwrap_or_default(),
        org_name: plan.org_name.clone(),
        candidate_name: person.name.clone(),
        candidate_kind: person.kind,
        id_type: person.id_type,
        id_number: mask::id_number(&person.id_number),
        condition: r.condition.label().to_owned(),
        status: r.status,
        subjects,
        plan_id: r.plan_id,
        registration_id: r.registration_id,
        school_id: r.school_id,
        school_name: r.school_name,
        certificate_id: r.certificate_id,
        level: r.level,
        ticket_no: r.ticket_no,
        candidate_no: r.candidate_no,
        decided_at: r.decided_at,
    }
}

/// 考证结果 list.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &ResultFilter,
    paging: &CursorParams,
) -> Result<ResultPage, DomainError> {
    let tenant = reader(caller)?;
    let sources = sources(tenant, f)?;
    let (items, next_cursor) = crate::paging::page(
        state,
        &sources,
        paging,
        |results: Vec<CertResult>| rows(state, results),
        |r| keeps(r, f),
    )
    .await?;
    Ok(ResultPage { items, next_cursor })
}

/// 查看考证详情.
pub async fn detail(state: &AppState, caller: &Caller, id: &str) -> Result<ResultRow, DomainError> {
    let tenant = reader(caller)?;
    let missing = || DomainError::not_found("考证结果");
    let (plan_id, reg_id) = id.split_once('.').ok_or_else(missing)?;
    let ok =
        |x: &str| !x.is_empty() && x.len() <= 40 && x.bytes().all(|b| b.is_ascii_alphanumeric());
    if !ok(plan_id) || !ok(reg_id) {
        return Err(missing());
    }
    let key = match tenant.kind {
        TenantKind::Org => CertResult::org_key(&tenant.id, plan_id, reg_id),
        _ => CertResult::school_key(&tenant.id, plan_id, reg_id),
    };
    let r: CertResult = state.table.get_as(&key).await?.ok_or_else(missing)?;
    rows(state, vec![r]).await?.pop().ok_or_else(missing)
}

const HEADERS: [&str; 11] = [
    "考试计划",
    "考生姓名",
    "考生编号",
    "身份证号",
    "学生类型",
    "高职院校",
    "报考证书",
    "证书等级",
    "考核单位",
    "通过条件",
    "考核状态",
];

/// 批量导出证书考核详情 (ID numbers masked).
pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: ResultExportRequest,
) -> Result<ExportFile, DomainError> {
    let tenant = reader(caller)?;
    let (chosen, any) = (req.selection(), ResultFilter::default());
    let f = match tenant.kind {
        TenantKind::Org => &req.filter,
        _ => chosen.filter_or(&any),
    };
    let sources = sources(tenant, f)?;
    let chosen_rows = crate::paging::all(
        state,
        &sources,
        |results: Vec<CertResult>| rows(state, results),
        |r| chosen.keeps(&r.id, |f| keeps(r, f)),
    )
    .await?;
    let cells = chosen_rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::from(r.plan_name),
                r.candidate_name.into(),
                r.candidate_no.into(),
                r.id_number.into(),
                r.candidate_kind.label().into(),
                r.school_name.into(),
                r.certificate_name.into(),
                r.level.label().into(),
                r.org_name.into(),
                r.condition.into(),
                r.status.label().into(),
            ]
        })
        .collect();
    vslc_files::export::deliver_sheet(state, tenant, "results", "证书考核详情", &HEADERS, cells)
        .await
}
