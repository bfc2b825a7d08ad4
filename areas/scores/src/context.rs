//! What a subject's scores are checked against: the plan (its windows), the
//! plan subject with its 满分 and 合格分, and the candidates seated for it
//! at every school of the plan (their 准考证号, 考生编号, name, sign-in).

use std::collections::HashMap;

use serde::Deserialize;

use crate::model::{Points, Score, SheetId};
use vslc_accounts::{Tenant, TenantKind};
use vslc_exam::plans::PlanSubject;
use vslc_exam::{Plan, PublishStatus, Subject};
use vslc_ports::table::{Key, TableExt};
use vslc_ports::{AppState, DomainError, keyset};
use vslc_registrations::Registration;
use vslc_scheduling::Seat;
use vslc_scheduling::model::Attendance;

/// A plan subject as scores see it.
#[derive(Debug, Clone)]
pub struct SubjectContext {
    pub plan: Plan,
    pub subject: PlanSubject,
    /// 满分 and 合格分.
    pub full: Points,
    pub pass: Points,
}

impl SubjectContext {
    pub fn id(&self) -> SheetId {
        SheetId {
            plan_id: self.plan.id.clone(),
            subject_id: self.subject.subject_id.clone(),
        }
    }
}

/// The full and pass marks of the plan's subjects (a subject gone from the
/// catalogue counts 100 and 60, the platform's default).
pub async fn marks(
    state: &AppState,
    plan: &Plan,
) -> Result<HashMap<String, (Points, Points)>, DomainError> {
    let keys = plan
        .subjects
        .iter()
        .map(|s| Subject::key(&s.subject_id))
        .collect();
    let found: Vec<Subject> = state.table.get_many_as(keys).await?;
    let mut out: HashMap<String, (Points, Points)> = plan
        .subjects
        .iter()
        .map(|s| {
            (
                s.subject_id.clone(),
                (Points::whole(100), Points::whole(60)),
            )
        })
        .collect();
    for s in found {
        out.insert(
            s.id.clone(),
            (Points::whole(s.full_mark), Points::whole(s.pass_mark)),
        );
    }
    Ok(out)
}

/// The org's own published plan subject (another org's, or none, is 404).
pub async fn for_org(
    state: &AppState,
    org: &Tenant,
    id: &SheetId,
) -> Result<SubjectContext, DomainError> {
    let plan = Plan::load(state, &id.plan_id)
        .await?
        .filter(|p| p.org_id == org.id && p.status == PublishStatus::Published)
        .ok_or_else(|| DomainError::not_found("考试科目"))?;
    of_plan(state, plan, &id.subject_id).await
}

/// The subject of a plan already loaded.
pub async fn of_plan(
    state: &AppState,
    plan: Plan,
    subject_id: &str,
) -> Result<SubjectContext, DomainError> {
    let subject = plan
        .subject(subject_id)
        .cloned()
        .ok_or_else(|| DomainError::not_found("考试科目"))?;
    let (full, pass) = marks(state, &plan)
        .await?
        .remove(subject_id)
        .unwrap_or((Points::whole(100), Points::whole(60)));
    Ok(SubjectContext {
        plan,
        subject,
        full,
        pass,
    })
}

/// A candidate seated for the subject.
#[derive(Debug, Clone)]
pub struct Sitter {
    pub registration_id: String,
    pub school_id: String,
    pub school_name: String,
    pub ticket_no: String,
    pub candidate_no: String,
    /// From the registration (empty if it is gone).
    pub name: String,
    pub id_number: String,
    pub attendance: Option<Attendance>,
    /// The registration's subjects.
    pub subjects: Vec<String>,
}

/// The part of a registration read here.
#[derive(Deserialize)]
struct RegPart {
    candidate: Named,
    subjects: Vec<SubjectRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Named {
    name: String,
    id_number: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubjectRef {
    subject_id: String,
}

/// Registrations read per bulk get.
const CHUNK: usize = 1000;

/// Everyone seated for the subject, at every school of the plan, in
/// 准考证号 order.
pub async fn sitters(state: &AppState, cx: &SubjectContext) -> Result<Vec<Sitter>, DomainError> {
    let plan_id = cx.plan.id.as_str();
    let subject_id = cx.subject.subject_id.as_str();
    let mut out = Vec::new();
    for school in &cx.plan.schools {
        let tenant = Tenant::new(TenantKind::School, &school.school_id);
        let sources = Seat::school_sources(&tenant, Some(plan_id), Some(subject_id));
        let seats: Vec<Seat> = keyset::each_in(state.table.as_ref(), &sources).await?;
        for chunk in seats.chunks(CHUNK) {
            let keys: Vec<Key> = chunk
                .iter()
                .map(|s| Registration::key(&tenant, plan_id, &s.registration_id))
                .collect();
            let found = state.table.get_many_json(keys).await?;
            for (seat, json) in chunk.iter().zip(found) {
                let reg = json
                    .map(|j| serde_json::from_slice::<RegPart>(&j))
                    .transpose()
                    .map_err(DomainError::internal)?;
                let (name, id_number, subjects) = match reg {
                    Some(r) => (
                        r.candidate.name,
                        r.candidate.id_number,
                        r.subjects.into_iter().map(|s| s.subject_id).collect(),
                    ),
                    None => (String::new(), String::new(), vec![subject_id.to_owned()]),
                };
                out.push(Sitter {
                    registration_id: seat.registration_id.clone(),
                    school_id: seat.school_id.clone(),
                    school_name: seat.school_name.clone(),
                    ticket_no: seat.ticket_no.clone(),
                    candidate_no: seat.candidate_no.clone(),
                    name,
                    id_number,
                    attendance: seat.attendance,
                    subjects,
                });
            }
        }
    }
    out.sort_by(|a, b| a.ticket_no.cmp(&b.ticket_no));
    Ok(out)
}

/// The scores recorded for the subject, by registration.
pub async fn recorded(
    state: &AppState,
    cx: &SubjectContext,
) -> Result<HashMap<String, Score>, DomainError> {
    let org = Tenant::new(TenantKind::Org, &cx.plan.org_id);
    let sources = Score::sources(&org, Some(&cx.plan.id), Some(&cx.subject.subject_id));
    let scores: Vec<Score> = keyset::each_in(state.table.as_ref(), &sources).await?;
    Ok(scores
        .into_iter()
        .map(|s| (s.registration_id.clone(), s))
        .collect())
}
