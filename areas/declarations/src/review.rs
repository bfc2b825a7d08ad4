//! 试点申报审核 (province side): the 市级审核员 passes declarations of plans
//! that need 地市级教育局审批 on to the province; the 省级管理员 approves
//! (with 审核人数 per line) or returns them. Approval makes the certificate
//! level one of the school's 已参与试点证书.

use serde::Deserialize;
use utoipa::ToSchema;
use vslc_ports::Caller;

use super::model::{Declaration, DeclarationStatus};
use super::service::{self, DeclarationDetail, DeclarationFilter, bad, matches};
use vslc_catalogue::pilot::{Pilot, PilotLevel};
use vslc_http::{CursorPage, CursorParams};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::table::{Condition, TableExt, TxOp, Update};
use vslc_review::log::ReturnInput;
use vslc_review::workflow::{open, queue, queue_page};
use vslc_review::{Allowed, Step};

vslc_review::reviewed!(Declaration: DeclarationStatus, "试点申报",
    key = |d| Declaration::key(&d.school(), &d.id), history = |d| Some(&d.history),
    reviewer = Province, reviewer_id = |d| &d.province_id, queue = Declaration::province_index,
    id = |id| Declaration::school_of_id(id).map(|school| Declaration::key(&school, id)));

use DeclarationStatus::{Approved, CityPending, Draft, Pending, Returned};

const SUBMITTABLE: &str = "只有未提交、审核退回的申报可以提交";
const CITY_STEP: &str = "市级审核员只能审核“待市级审核”的申报";
const PROVINCE_STEP: &str = "省级管理员只能审核“待初审”的申报";

/// 提交 (school) of a plan with 地市级教育局审批: → 待市级审核.
pub const SUBMIT_TO_CITY: Step<DeclarationStatus> =
    Step::new("提交", &[Draft, Returned], CityPending, SUBMITTABLE).stamping("submittedAt");
/// 提交 (school) of a plan without: straight to the province, 待初审.
pub const SUBMIT: Step<DeclarationStatus> =
    Step::new("提交", &[Draft, Returned], Pending, SUBMITTABLE).stamping("submittedAt");
/// 市级审核通过 (市级审核员): 待市级审核 → 待初审.
pub const CITY_APPROVE: Step<DeclarationStatus> =
    Step::new("市级审核通过", &[CityPending], Pending, CITY_STEP);
/// 审核退回 (市级审核员).
pub const CITY_RETURN: Step<DeclarationStatus> =
    Step::new("审核退回", &[CityPending], Returned, CITY_STEP);
/// 审核通过 (省级管理员), with 审核人数: the school joins the pilot.
pub const APPROVE: Step<DeclarationStatus> =
    Step::new("审核通过", &[Pending], Approved, PROVINCE_STEP).clearing_reason();
/// 审核退回 (省级管理员).
pub const RETURN: Step<DeclarationStatus> =
    Step::new("审核退回", &[Pending], Returned, PROVINCE_STEP);
/// 编辑 (school), with 保存并提交 as well.
pub const EDIT: Allowed<DeclarationStatus> =
    Allowed::new(&[Draft, Returned], "只有未提交、审核退回的申报可以编辑");
/// 删除 (school): a declaration the province has seen stays.
pub const DELETE: Allowed<DeclarationStatus> = Allowed::new(&[Draft], "只有未提交的申报可以删除");

/// The 提交 of a declaration: to the city first when its plan says so.
pub fn submit_step(city_review: bool) -> Step<DeclarationStatus> {
    if city_review { SUBMIT_TO_CITY } else { SUBMIT }
}

/// 审核人数 of one major line.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApprovedLine {
    pub code: String,
    pub approved: u32,
}

/// 审核通过: 审核人数 for every major line, or the total when no major was
/// named. Without any numbers the applied ones are approved as they are;
/// numbers for only some lines are refused.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApproveInput {
    #[serde(default)]
    pub lines: Vec<ApprovedLine>,
    #[serde(default)]
    pub approved_total: Option<u32>,
}

/// Every declaration a province's schools submitted (drafts stay theirs).
pub async fn of_province(
    state: &AppState,
    province_id: &str,
) -> Result<Vec<Declaration>, DomainError> {
    queue(&*state.table, province_id).await
}

/// The province's declarations (drafts stay the schools'), newest first,
/// by keyset cursor.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &DeclarationFilter,
    paging: &CursorParams,
) -> Result<CursorPage<Declaration>, DomainError> {
    Ok(queue_page(
        state,
        caller,
        None,
        paging.cursor.as_deref(),
        paging.size()?,
        |d: &Declaration| matches(d, f),
    )
    .await?
    .into())
}

/// A submitted declaration of one of the province's schools; anything else
/// looks missing.
async fn load(state: &AppState, caller: &Caller, id: &str) -> Result<Declaration, DomainError> {
    open(state, caller, id).await
}

pub async fn get(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<DeclarationDetail, DomainError> {
    let d = load(state, caller, id).await?;
    service::detail(state, d).await
}

/// The 通过 and 退回 of the step this caller decides: the 市级审核员
/// decides 待市级审核, the 省级管理员 待初审.
fn steps_for(caller: &Caller) -> Result<[Step<DeclarationStatus>; 2], DomainError> {
    if caller.city_reviewer().is_ok() {
        Ok([CITY_APPROVE, CITY_RETURN])
    } else {
        caller.province_admin()?;
        Ok([APPROVE, RETURN])
    }
}

/// The lines with their 审核人数, and the 审核总人数.
fn approved(
    d: &Declaration,
    input: &ApproveInput,
) -> Result<(Vec<super::model::DeclaredMajor>, u32), DomainError> {
    if d.majors.is_empty() {
        let total = input.approved_total.unwrap_or(d.applied_total);
        if total > d.applied_total {
            return Err(bad("审核总人数不能超过申请培训总人数"));
        }
        return Ok((Vec::new(), total));
    }
    if let Some(l) = input
        .lines
        .iter()
        .find(|l| !d.majors.iter().any(|m| m.code == l.code))
    {
        return Err(bad(format!("专业 {} 不在该申报中", l.code)));
    }
    if !input.lines.is_empty()
        && let Some(m) = d
            .majors
            .iter()
            .find(|m| !input.lines.iter().any(|l| l.code == m.code))
    {
        return Err(bad(format!("请填写专业“{} {}”的审核人数", m.code, m.name)));
    }
    let mut majors = d.majors.clone();
    for m in &mut majors {
        let n = input
            .lines
            .iter()
            .find(|l| l.code == m.code)
            .map_or(m.applied, |l| l.approved);
        if n > m.applied {
            return Err(bad(format!(
                "专业“{} {}”的审核人数不能超过申请培训人数{}",
                m.code, m.name, m.applied
            )));
        }
        m.approved = Some(n);
    }
    let total = majors.iter().filter_map(|m| m.approved).sum();
    Ok((majors, total))
}

/// 审核通过: the city passes it to the province; the province approves it
/// and the school takes part in the certificate level.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: ApproveInput,
) -> Result<Declaration, DomainError> {
    let [step, _] = steps_for(caller)?;
    // The pilot record is shared by the levels of a certificate: a
    // concurrent approval of another level makes this one retry.
    for _ in 0..5 {
        let d = load(state, caller, id).await?;
        if step.to == DeclarationStatus::Pending {
            return step.take(state, caller, &d).await;
        }
        step.check(&d)?;
        let now = state.clock.now_text();
        let (majors, total) = approved(&d, &input)?;
        let extra = Update::new()
            .set_json("majors", &majors)?
            .set("approvedTotal", total);
        let update = step.update(&d, caller, now, None, extra)?.bump_version();
        let school = d.school();
        let existing: Option<Pilot> = state
            .table
            .get_as(&Pilot::key(&school, &d.certificate_id))
            .await?;
        let condition = match &existing {
            Some(p) => Condition::VersionIs(p.version),
            None => Condition::NotExists,
        };
        let pilot = pilot_with(existing, &d, &majors);
        let result = state
            .table
            .transact(vec![
                TxOp::Update {
                    key: Declaration::key(&school, &d.id),
                    update,
                    condition: Some(Condition::VersionIs(d.version)),
                },
                TxOp::Put {
                    item: pilot.to_item(&school)?,
                    condition: Some(condition),
                },
            ])
            .await;
        match result {
            Ok(()) => return load(state, caller, id).await,
            Err(e) if e.is_conflict() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(DomainError::conflict(
        "BUSY",
        "该申报正在被其他操作修改，请稍后重试",
    ))
}

/// The school's pilot of the certificate with this declaration's level.
fn pilot_with(
    existing: Option<Pilot>,
    d: &Declaration,
    majors: &[super::model::DeclaredMajor],
) -> Pilot {
    let mut p = existing.unwrap_or_else(|| Pilot {
        school_id: d.school_id.clone(),
        school_name: d.school_name.clone(),
        certificate_id: d.certificate_id.clone(),
        org_id: d.org_id.clone(),
        year: d.year,
        levels: Vec::new(),
        declared: Vec::new(),
        version: 0,
    });
    if !p.levels.contains(&d.level) {
        p.levels.push(d.level);
        p.levels.sort();
    }
    p.year = p.year.max(d.year);
    p.declared.retain(|l| l.level != d.level);
    p.declared.push(PilotLevel {
        level: d.level,
        year: d.year,
        declaration_id: d.id.clone(),
        majors: majors.iter().map(|m| m.code.clone()).collect(),
    });
    p.version += 1;
    p
}

/// 审核退回 with the reason (the city or the province, at its own step).
pub async fn return_declaration(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: ReturnInput,
) -> Result<Declaration, DomainError> {
    let [_, step] = steps_for(caller)?;
    let d = load(state, caller, id);
    step.decide(state, caller, Some(&input), d, Update::new())
        .await
}
