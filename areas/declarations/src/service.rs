//! 证书试点申报 (school side): declare from an open plan, edit, submit,
//! delete a draft, list, view, export.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::model::{Declaration, DeclarationStatus, DeclaredMajor};
use super::plan::{self, DeclarationPlan, DeclarationPlanStatus, batch_label};
use super::review;
use vslc_accounts::Tenant;
use vslc_catalogue::certificate::{Certificate, Level, Major};
use vslc_catalogue::school::{self, School};
use vslc_http::{CursorPage, CursorParams, filter};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_ports::domain::RichText;
use vslc_ports::table::{Query, TableExt, Update, to_item};
use vslc_ports::{DomainError, OnConflict};
use vslc_review::workflow;

/// One 拟申报专业 line as typed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MajorLineInput {
    /// 专业代码 (one of the certificate's majors).
    pub code: String,
    pub students: u32,
    pub teachers: u32,
    pub applied: u32,
}

/// 申报证书试点 / 编辑. 申请培训总人数 is typed only when no major is named;
/// otherwise the server sums the lines.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationInput {
    pub plan_id: RecordId,
    pub certificate_id: RecordId,
    pub level: Level,
    #[serde(default)]
    pub applied_total: Option<u32>,
    #[serde(default)]
    pub majors: Vec<MajorLineInput>,
    /// 师资情况.
    #[serde(default)]
    pub teachers: String,
    /// 场地情况.
    #[serde(default)]
    pub facilities: String,
    /// 申报情况 (HTML from the editor; sanitised on save).
    #[serde(default)]
    pub description: String,
    /// 保存并提交 (true) or 保存 (false).
    #[serde(default)]
    pub submit: bool,
}

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DeclarationFilter {
    /// 年份.
    pub year: Option<i32>,
    #[serde(default, deserialize_with = "vslc_ports::domain::id::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub certificate_id: Option<RecordId>,
    /// 审核状态.
    pub status: Option<String>,
    /// 学校名称 (contains; the province's lists).
    pub school: Option<String>,
}

pub fn matches(d: &Declaration, f: &DeclarationFilter) -> bool {
    f.year.is_none_or(|y| d.year == y)
        && filter::exact(&d.certificate_id, f.certificate_id.as_deref())
        && filter::exact(d.status.label(), f.status.as_deref())
        && filter::text(&d.school_name, f.school.as_deref())
}

/// A certificate a plan opens, with what the form needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclarableCertificate {
    pub id: String,
    pub name: String,
    pub category: String,
    pub org_name: String,
    pub levels: Vec<Level>,
    pub majors: Vec<Major>,
}

/// 院校基本信息 and 联系人 on the detail view.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchoolInfo {
    pub code: String,
    pub name: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub contact: String,
    pub phone: String,
    pub email: String,
}

impl From<School> for SchoolInfo {
    fn from(s: School) -> Self {
        Self {
            code: s.code,
            name: s.name,
            province: s.province,
            city: s.city,
            address: s.address,
            contact: s.contact,
            phone: s.phone,
            email: s.email,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationDetail {
    #[serde(flatten)]
    pub declaration: Declaration,
    pub school: SchoolInfo,
}

pub fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_DECLARATION", message.into())
}

fn duplicate() -> DomainError {
    DomainError::conflict(
        "DECLARATION_EXISTS",
        "同一年度同一证书同一级别，只能申报一次",
    )
}

/// The certificates a plan opens (立即申报's choices).
pub async fn options(
    state: &AppState,
    caller: &Caller,
    plan_id: &str,
) -> Result<Vec<DeclarableCertificate>, DomainError> {
    let plan = plan::get(state, caller, plan_id).await?;
    Ok(Certificate::all(state.table.as_ref())
        .await?
        .into_iter()
        .filter(|c| plan.opens(&c.id))
        .map(|c| DeclarableCertificate {
            id: c.id,
            name: c.name,
            category: c.category,
            org_name: c.org_name,
            levels: c.levels,
            majors: c.majors,
        })
        .collect())
}

/// What a valid input becomes.
struct Lines {
    majors: Vec<DeclaredMajor>,
    applied_total: u32,
    teachers: String,
    facilities: String,
    description: RichText,
}

fn lines(
    plan: &DeclarationPlan,
    cert: &Certificate,
    input: &DeclarationInput,
) -> Result<Lines, DomainError> {
    if plan.by_major && input.majors.is_empty() {
        return Err(bad("本批次要求按专业填报，请选择拟申报专业"));
    }
    let mut majors: Vec<DeclaredMajor> = Vec::new();
    for line in &input.majors {
        let code = line.code.trim();
        let m = cert
            .majors
            .iter()
            .find(|m| m.code == code)
            .ok_or_else(|| bad(format!("专业 {code} 不是{}的对应专业", cert.name)))?;
        if majors.iter().any(|d| d.code == m.code) {
            return Err(bad(format!("拟申报专业“{} {}”重复", m.code, m.name)));
        }
        let label = format!("{} {}", m.code, m.name);
        if line.applied == 0 {
            return Err(bad(format!("请填写专业“{label}”的申请培训人数")));
        }
        if line.applied > line.students {
            return Err(bad(format!(
                "专业“{label}”的申请培训人数不能超过本专业在校学生数"
            )));
        }
        if line.students > 100_000 || line.teachers > 10_000 {
            return Err(bad(format!("专业“{label}”的人数超出合理范围")));
        }
        majors.push(DeclaredMajor {
            code: m.code.clone(),
            name: m.name.clone(),
            version: m.version.clone(),
            students: line.students,
            teachers: line.teachers,
            applied: line.applied,
            approved: None,
        });
    }
    let applied_total = if majors.is_empty() {
        match input.applied_total {
            Some(n) if (1..=1_000_000).contains(&n) => n,
            _ => return Err(bad("请填写申请培训人数")),
        }
    } else {
        majors.iter().map(|m| m.applied).sum()
    };
    let text = |s: &str, what: &str| -> Result<String, DomainError> {
        let s = s.trim();
        if s.chars().count() > 2000 {
            return Err(bad(format!("{what}不能超过2000个字符")));
        }
        Ok(s.to_owned())
    };
    Ok(Lines {
        majors,
        applied_total,
        teachers: text(&input.teachers, "师资情况")?,
        facilities: text(&input.facilities, "场地情况")?,
        description: RichText::parse(&input.description, "申报情况").map_err(bad)?,
    })
}

fn plan_open(plan: &DeclarationPlan, state: &AppState) -> Result<(), DomainError> {
    let status = plan.status(state.clock.now_local());
    if status != DeclarationPlanStatus::Open {
        return Err(DomainError::conflict(
            "PLAN_CLOSED",
            format!(
                "{}年度{}申报计划{}，不能申报或提交",
                plan.year,
                batch_label(plan.batch),
                if status == DeclarationPlanStatus::NotStarted {
                    "尚未开始"
                } else {
                    "已结束"
                }
            ),
        ));
    }
    Ok(())
}

async fn certificate(
    state: &AppState,
    plan: &DeclarationPlan,
    input: &DeclarationInput,
) -> Result<Certificate, DomainError> {
    if !plan.opens(&input.certificate_id) {
        return Err(bad("该证书不在本批次申报计划的开放证书范围内"));
    }
    let cert = Certificate::load(state.table.as_ref(), &input.certificate_id)
        .await?
        .ok_or_else(|| bad("证书不存在"))?;
    if !cert.levels.contains(&input.level) {
        return Err(bad(format!("{}没有{}", cert.name, input.level.label())));
    }
    Ok(cert)
}

/// 保存 (未提交) or 保存并提交 (待初审, or 待市级审核 when the plan asks the city first).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: DeclarationInput,
) -> Result<Declaration, DomainError> {
    let school = caller.school_exam_writer()?;
    let profile = school::load(state, school).await?;
    let province = profile.overseer()?;
    let plan = plan::load(state, &province, &input.plan_id).await?;
    plan_open(&plan, state)?;
    let cert = certificate(state, &plan, &input).await?;
    let l = lines(&plan, &cert, &input)?;
    let now = state.clock.now_text();
    let submit = review::submit_step(plan.city_review);
    let status = if input.submit {
        submit.to
    } else {
        DeclarationStatus::Draft
    };
    let d = Declaration {
        id: format!("{}-{}", school.id, ulid::Ulid::new()),
        school_id: school.id.clone(),
        school_name: profile.name.clone(),
        province_id: province.id.clone(),
        plan_id: plan.id.clone(),
        year: plan.year,
        batch: plan.batch,
        batch_label: batch_label(plan.batch),
        by_major: plan.by_major,
        city_review: plan.city_review,
        certificate_id: cert.id.clone(),
        certificate_name: cert.name.clone(),
        category: cert.category.clone(),
        org_id: cert.org_id.clone(),
        org_name: cert.org_name.clone(),
        level: input.level,
        majors: l.majors,
        applied_total: l.applied_total,
        approved_total: None,
        teachers: l.teachers,
        facilities: l.facilities,
        description: l.description,
        status,
        review_reason: None,
        history: if input.submit {
            vec![submit.record(caller, now.clone(), None)]
        } else {
            Vec::new()
        },
        submitted_at: input.submit.then(|| now.clone()),
        created_at: now,
        version: 1,
    };
    let guard = to_item(
        &Declaration::guard_key(school, d.year, &d.certificate_id, d.level),
        &serde_json::json!({ "declarationId": d.id }),
    )?;
    state
        .table
        .put_guarded(guard, d.to_item()?)
        .await
        .on_conflict(duplicate)?;
    Ok(d)
}

pub async fn all(state: &AppState, school: &Tenant) -> Result<Vec<Declaration>, DomainError> {
    let query = Query::partition(school.pk()).begins_with("DECL#");
    Ok(state.table.query_all_as(query).await?)
}

/// The school's declarations, newest first, by keyset cursor (the filter
/// applied to the declarations read).
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &DeclarationFilter,
    paging: &CursorParams,
) -> Result<CursorPage<Declaration>, DomainError> {
    let query = Query::partition(caller.school_reader()?.pk())
        .begins_with("DECL#")
        .reverse();
    CursorPage::scan(state.table.as_ref(), query, paging, |d: &Declaration| {
        matches(d, f)
    })
    .await
}

/// The school's own declaration (another school's id looks missing).
pub async fn own(state: &AppState, school: &Tenant, id: &str) -> Result<Declaration, DomainError> {
    workflow::own(&*state.table, Some(Declaration::key(school, id))).await
}

/// The detail: the declaration with the school's information and contacts.
pub async fn detail(state: &AppState, d: Declaration) -> Result<DeclarationDetail, DomainError> {
    let profile = school::load(state, &d.school()).await?;
    Ok(DeclarationDetail {
        declaration: d,
        school: profile.into(),
    })
}

pub async fn get(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<DeclarationDetail, DomainError> {
    let d = own(state, caller.school_reader()?, id).await?;
    detail(state, d).await
}

/// A draft is submitted only while its plan is open; a returned
/// declaration may be corrected and resubmitted after the window.
async fn submittable(state: &AppState, d: &Declaration) -> Result<(), DomainError> {
    if d.status == DeclarationStatus::Draft {
        let plan = plan::load(state, &d.province(), &d.plan_id).await?;
        plan_open(&plan, state)?;
    }
    Ok(())
}

/// 编辑 (未提交 / 审核退回): 保存 or 保存并提交. Certificate and level stay.
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: DeclarationInput,
) -> Result<Declaration, DomainError> {
    let school = caller.school_exam_writer()?;
    let d = own(state, school, id).await?;
    review::EDIT.check(&d)?;
    if input.certificate_id != d.certificate_id
        || input.level != d.level
        || input.plan_id != d.plan_id
    {
        return Err(bad(
            "申报计划、证书和等级不能修改；如需更换请删除后重新申报",
        ));
    }
    let plan = plan::load(state, &d.province(), &d.plan_id).await?;
    let cert = certificate(state, &plan, &input).await?;
    let l = lines(&plan, &cert, &input)?;
    let update = Update::new()
        .set_json("majors", &l.majors)?
        .set("appliedTotal", l.applied_total)
        .set("teachers", l.teachers)
        .set("facilities", l.facilities)
        .set_json("description", &l.description)?;
    if input.submit {
        submittable(state, &d).await?;
    }
    review::submit_step(d.city_review)
        .edit(state, caller, &d, update, input.submit)
        .await
}

/// 提交 (未提交 / 审核退回).
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Declaration, DomainError> {
    let d = own(state, caller.school_exam_writer()?, id).await?;
    let step = review::submit_step(d.city_review);
    step.check(&d)?;
    submittable(state, &d).await?;
    step.take(state, caller, &d).await
}

/// 删除 a draft, with its uniqueness guard (a declaration the province has
/// seen stays, as the record of what was declared).
pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let d = own(state, school, id).await?;
    review::DELETE.check(&d)?;
    let guard = Declaration::guard_key(school, d.year, &d.certificate_id, d.level);
    workflow::remove(&*state.table, &d, Some(guard)).await
}
