//! 监考人员 (school side): the rules of a person's fields, the views, the
//! list, 查看, the certificates a school may apply for, and what the
//! scheduling area asks — [`certified`]. The writes are in `manage`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Certification, CertificationStatus, Invigilator};
use super::text;
use vslc_accounts::Tenant;
use vslc_catalogue::school::School;
use vslc_catalogue::{Certificate, Pilot};
use vslc_http::{PageParams, Paged, filter};
use vslc_ports::domain::text::normalise;
use vslc_ports::domain::{IdDocument, IdType, OptionalId, PersonName, Phone, RecordId};
use vslc_ports::table::TableExt;
use vslc_ports::{AppState, Caller, DomainError};
use vslc_review::ReviewRecord;

/// 新增 / 编辑监考人员.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvigilatorInput {
    /// 教师编号, unique within the school.
    pub teacher_no: String,
    /// 姓名.
    pub name: String,
    /// 手机号.
    pub phone: String,
    pub id_type: IdType,
    /// 证件号码.
    pub id_number: String,
    /// 申请证书: ids of the school's 已参与试点证书 (at least one).
    pub certificate_ids: Vec<RecordId>,
}

/// 重新申请 a 未通过 certificate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReapplyInput {
    pub certificate_id: RecordId,
}

/// One certificate of an invigilator as the school sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateView {
    /// The certification's id (what the org decides on).
    pub id: String,
    pub certificate_id: String,
    /// 证书编号.
    pub certificate_code: String,
    pub certificate_name: String,
    /// 颁证机构.
    pub org_name: String,
    /// 认证状态.
    pub status: CertificationStatus,
    /// 驳回原因 of the last 驳回.
    pub review_reason: Option<String>,
    pub applied_at: String,
    pub decided_at: Option<String>,
    /// 审核记录.
    pub history: Vec<ReviewRecord>,
}

impl CertificateView {
    pub fn of(c: &Certification) -> Self {
        Self {
            id: c.id.clone(),
            certificate_id: c.certificate_id.clone(),
            certificate_code: c.certificate_code.clone(),
            certificate_name: c.certificate_name.clone(),
            org_name: c.org_name.clone(),
            status: c.status,
            review_reason: c.review_reason.clone(),
            applied_at: c.applied_at.clone(),
            decided_at: c.decided_at.clone(),
            history: c.history.clone(),
        }
    }
}

/// An invigilator with its certificates; lists mask the phone and the
/// ID number, 查看 shows them in full.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvigilatorView {
    pub id: String,
    /// 教师编号.
    pub teacher_no: String,
    pub name: String,
    pub phone: String,
    pub id_type: IdType,
    pub id_number: String,
    /// 所属院校.
    pub school_name: String,
    /// 所在区域.
    pub region: String,
    pub certificates: Vec<CertificateView>,
    /// 监考员账号, once opened.
    pub login_account: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl InvigilatorView {
    pub fn of(p: &Invigilator, certs: &[Certification], full: bool) -> Self {
        let mut certificates: Vec<CertificateView> =
            certs.iter().map(CertificateView::of).collect();
        certificates.sort_by(|a, b| a.certificate_code.cmp(&b.certificate_code));
        Self {
            id: p.id.clone(),
            teacher_no: p.teacher_no.clone(),
            name: p.name.clone(),
            phone: if full {
                p.phone.clone()
            } else {
                vslc_ports::mask::phone(&p.phone)
            },
            id_type: p.id_type,
            id_number: if full {
                p.id_number.clone()
            } else {
                vslc_ports::mask::id_number(&p.id_number)
            },
            school_name: p.school_name.clone(),
            region: p.region.clone(),
            certificates,
            login_account: p.login_account.clone(),
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
        }
    }
}

/// 监考人员列表's search form (`certificateId`: invigilators who applied for it).
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct InvigilatorFilter {
    /// 教师编号 (contains).
    pub teacher_no: Option<String>,
    /// 姓名 (contains).
    pub name: Option<String>,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub certificate_id: OptionalId,
    /// 认证状态 (待认证 / 已认证 / 未通过): invigilators with a certificate
    /// (of `certificateId`, when given) in it.
    pub status: Option<String>,
}

impl InvigilatorFilter {
    /// Whether a certificate of a listed invigilator answers the filter's
    /// certificate and status.
    pub fn keeps_certificate(&self, c: &Certification) -> bool {
        filter::exact(&c.certificate_id, self.certificate_id.as_deref())
            && filter::exact(c.status.label(), self.status.as_deref())
    }

    fn asks_certificate(&self) -> bool {
        self.certificate_id.is_some()
            || self.status.as_deref().is_some_and(|s| !s.trim().is_empty())
    }

    pub fn matches(&self, p: &Invigilator, certs: &[Certification]) -> bool {
        filter::text(&p.teacher_no, self.teacher_no.as_deref())
            && filter::text(&p.name, self.name.as_deref())
            && (!self.asks_certificate() || certs.iter().any(|c| self.keeps_certificate(c)))
    }
}

/// A certificate the school may apply for (已参与试点证书).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CertificateOption {
    pub id: String,
    /// 证书编号.
    pub code: String,
    pub name: String,
    /// 颁证机构.
    pub org_name: String,
}

/// A person's checked fields, shared by the form and the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub teacher_no: String,
    pub name: String,
    pub phone: String,
    pub id: IdDocument,
}

/// 教师编号: 1–32 letters, digits, `-` or `_` (after normalising).
pub fn teacher_no(raw: &str) -> Result<String, String> {
    let s = normalise(raw);
    let ok = (1..=32).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(s)
    } else {
        Err(text::BAD_TEACHER_NO.into())
    }
}

/// Checks a person's fields as of `today`; the error is the first
/// problem, in Chinese. Phones and documents follow the candidates' rules.
pub fn check(
    teacher: &str,
    name: &str,
    phone: &str,
    id_type: IdType,
    id_number: &str,
    today: chrono::NaiveDate,
) -> Result<Checked, String> {
    let teacher_no = teacher_no(teacher)?;
    let name = PersonName::parse(name)?.as_str().to_owned();
    let phone = Phone::parse(phone)?.as_str().to_owned();
    let id = IdDocument::parse(id_type, id_number, today)?;
    Ok(Checked {
        teacher_no,
        name,
        phone,
        id,
    })
}

/// Checks the form's person fields.
pub fn check_input(state: &AppState, input: &InvigilatorInput) -> Result<Checked, DomainError> {
    check(
        &input.teacher_no,
        &input.name,
        &input.phone,
        input.id_type,
        &input.id_number,
        state.clock.now_cst().date_naive(),
    )
    .map_err(text::bad)
}

/// 所在区域 of a school: its province, and its city when that says more.
pub fn region_of(school: &School) -> String {
    let (province, city) = (school.province.trim(), school.city.trim());
    if city.is_empty() || city == province {
        province.to_owned()
    } else {
        format!("{province}-{city}")
    }
}

/// The certificates a school takes part in (已参与试点证书), by code.
pub async fn pilot_certificates(
    state: &AppState,
    school: &Tenant,
) -> Result<Vec<Certificate>, DomainError> {
    let table = state.table.as_ref();
    let pilots = Pilot::of_school(table, school).await?;
    let mut certs: Vec<Certificate> = Certificate::all(table)
        .await?
        .into_iter()
        .filter(|c| pilots.iter().any(|p| p.certificate_id == c.id))
        .collect();
    certs.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(certs)
}

/// The 申请证书 choices of the form.
pub async fn certificates(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<CertificateOption>, DomainError> {
    let school = caller.school_reader()?;
    Ok(pilot_certificates(state, school)
        .await?
        .into_iter()
        .map(|c| CertificateOption {
            id: c.id,
            code: c.code,
            name: c.name,
            org_name: c.org_name,
        })
        .collect())
}

/// Every invigilator of the school with its certificates, by 教师编号.
pub async fn roster(
    state: &AppState,
    school: &Tenant,
) -> Result<Vec<(Invigilator, Vec<Certification>)>, DomainError> {
    let people: Vec<Invigilator> = state
        .table
        .query_all_as(Invigilator::all_of(school))
        .await?;
    let certs: Vec<Certification> = state
        .table
        .query_all_as(Certification::all_of(school))
        .await?;
    let mut by_person: HashMap<String, Vec<Certification>> = HashMap::new();
    for c in certs {
        by_person
            .entry(c.invigilator_id.clone())
            .or_default()
            .push(c);
    }
    let mut rows: Vec<(Invigilator, Vec<Certification>)> = people
        .into_iter()
        .map(|p| {
            let certs = by_person.remove(&p.id).unwrap_or_default();
            (p, certs)
        })
        .collect();
    rows.sort_by(|a, b| {
        a.0.teacher_no
            .cmp(&b.0.teacher_no)
            .then(a.0.id.cmp(&b.0.id))
    });
    Ok(rows)
}

/// 监考人员列表: phones and ID numbers masked.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &InvigilatorFilter,
    page: &PageParams,
) -> Result<Paged<InvigilatorView>, DomainError> {
    let school = caller.school_reader()?;
    let rows: Vec<InvigilatorView> = roster(state, school)
        .await?
        .iter()
        .filter(|(p, certs)| f.matches(p, certs))
        .map(|(p, certs)| InvigilatorView::of(p, certs, false))
        .collect();
    Paged::of(rows, page)
}

/// The school's invigilator `id` with its certificates (404 when the
/// school has none of that id).
pub async fn load(
    state: &AppState,
    school: &Tenant,
    id: &str,
) -> Result<(Invigilator, Vec<Certification>), DomainError> {
    let person: Invigilator = state
        .table
        .get_as(&Invigilator::key(school, id))
        .await?
        .ok_or_else(|| DomainError::not_found(text::PERSON))?;
    let certs = state
        .table
        .query_all_as(Certification::of_invigilator(school, id))
        .await?;
    Ok((person, certs))
}

/// 查看监考人员: the full phone and ID number, recorded in the 操作日志.
pub async fn view(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<InvigilatorView, DomainError> {
    let school = caller.school_reader()?;
    let (person, certs) = load(state, school, id).await?;
    let who = format!(
        "{} {}",
        person.name,
        vslc_ports::mask::id_number(&person.id_number)
    );
    let target = ("invigilator", person.id.as_str());
    vslc_audit::viewed(
        state,
        caller,
        "invigilator.view",
        "查看监考人员",
        target,
        who,
    )
    .await;
    Ok(InvigilatorView::of(&person, &certs, true))
}

/// The school's invigilators whose certificate `certificate_id` is
/// 已认证, by 教师编号: whom the scheduling area may put in a room.
pub async fn certified(
    state: &AppState,
    school: &Tenant,
    certificate_id: &str,
) -> Result<Vec<Invigilator>, DomainError> {
    let certs: Vec<Certification> = state
        .table
        .query_all_as(Certification::all_of(school))
        .await?;
    let ids: std::collections::HashSet<String> = certs
        .into_iter()
        .filter(|c| c.certificate_id == certificate_id)
        .filter(|c| c.status == CertificationStatus::Certified)
        .map(|c| c.invigilator_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut people: Vec<Invigilator> = state
        .table
        .query_all_as::<Invigilator>(Invigilator::all_of(school))
        .await?
        .into_iter()
        .filter(|p| ids.contains(&p.id))
        .collect();
    people.sort_by(|a, b| a.teacher_no.cmp(&b.teacher_no).then(a.id.cmp(&b.id)));
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn people_are_checked_like_candidates() {
        let ok = check(
            " ＪＥ19722 ",
            "李伟",
            "18512340926",
            IdType::ResidentId,
            "11010519491231002x",
            today(),
        )
        .unwrap();
        assert_eq!(ok.teacher_no, "JE19722");
        assert_eq!(ok.id.number, "11010519491231002X");
        let err = |t: &str, n: &str, p: &str, id: &str| {
            check(t, n, p, IdType::ResidentId, id, today()).unwrap_err()
        };
        let id = "11010519491231002X";
        assert_eq!(err("", "李伟", "18512340926", id), text::BAD_TEACHER_NO);
        assert_eq!(err("JE#1", "李伟", "18512340926", id), text::BAD_TEACHER_NO);
        assert_eq!(err("JE1", " ", "18512340926", id), "姓名不能为空");
        assert_eq!(
            err("JE1", "李伟", "1851234092", id),
            "手机号格式不正确，请输入11位手机号"
        );
        assert_eq!(
            err("JE1", "李伟", "18512340926", "110105194912310021"),
            "身份证号码校验位错误"
        );
    }

    #[test]
    fn regions_name_the_province_and_a_city_that_says_more() {
        let mut s = School {
            code: "10009".into(),
            name: "北方工业大学".into(),
            province: "北京市".into(),
            city: "北京市".into(),
            address: String::new(),
            contact: String::new(),
            phone: String::new(),
            email: String::new(),
            leads: Vec::new(),
            seal_key: None,
            version: 1,
        };
        assert_eq!(region_of(&s), "北京市");
        s.province = "江苏省".into();
        s.city = "南京市".into();
        assert_eq!(region_of(&s), "江苏省-南京市");
    }
}
