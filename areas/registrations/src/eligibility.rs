//! Who may register for what (manual §5.2.6), each rule with its own
//! Chinese reason, as the failed-rows file shows it.

use chrono::NaiveDateTime;

use super::model::RegSubject;
use vslc_candidates::{Candidate, CandidateKind, InfoStatus};
use vslc_catalogue::certificate::{Certificate, Level};
use vslc_catalogue::pilot::Pilot;
use vslc_exam::plans::{PlanSubject, RegistrationMode};
use vslc_exam::window::Position;
use vslc_exam::{Audience, Plan};

/// The plan is inside its 报名 window.
pub fn registration_open(plan: &Plan, now: NaiveDateTime) -> Result<(), String> {
    if plan.registration.position(now) != Position::Inside {
        return Err(format!(
            "考试计划“{}”当前不在报名时间内（{} 至 {}）",
            plan.name, plan.registration.start, plan.registration.end
        ));
    }
    Ok(())
}

/// The plan is open for 报名 and takes registrations this way (the
/// wording of 批量导入报考).
pub fn plan_open(plan: &Plan, mode: RegistrationMode, now: NaiveDateTime) -> Result<(), String> {
    registration_open(plan, now)?;
    if plan.mode != mode {
        return Err(format!(
            "考试计划“{}”为{}报考，请使用{}导入",
            plan.name,
            plan.mode.label(),
            plan.mode.label()
        ));
    }
    Ok(())
}

pub fn candidate_ready(c: &Candidate) -> Result<(), String> {
    if c.status != InfoStatus::Accurate {
        return Err(format!(
            "考生信息状态为“{}”，须为“信息准确”才能报考",
            c.status.label()
        ));
    }
    Ok(())
}

/// The school takes part in the certificate level; a 院校考生's major is
/// among the certificate's majors and, when the declaration named majors,
/// among those. 社会考生 have no 就读专业 to check.
pub fn major_allowed(
    c: &Candidate,
    cert: &Certificate,
    level: Level,
    pilot: Option<&Pilot>,
) -> Result<(), String> {
    let Some(pilot) = pilot.filter(|p| p.levels.contains(&level)) else {
        return Err(format!("本校未参与{}({})的试点", cert.name, level.label()));
    };
    if c.kind == CandidateKind::Social {
        return Ok(());
    }
    let Some(major) = &c.major else {
        return Err("考生没有就读专业，不能报考该证书".into());
    };
    if !cert.majors.iter().any(|m| m.code == major.code) {
        return Err(format!(
            "考生就读专业 {} {} 不在该证书对应的专业之内",
            major.code, major.name
        ));
    }
    let declared = pilot.declared_majors(level);
    if !declared.is_empty() && !declared.contains(&major.code) {
        return Err(format!(
            "考生就读专业 {} {} 不在本校试点申报的专业之内",
            major.code, major.name
        ));
    }
    Ok(())
}

fn audience_fits(a: Audience, kind: CandidateKind) -> bool {
    match a {
        Audience::All => true,
        Audience::School => kind == CandidateKind::School,
        Audience::Social => kind == CandidateKind::Social,
    }
}

fn reg_subject(s: &PlanSubject) -> RegSubject {
    RegSubject {
        subject_id: s.subject_id.clone(),
        code: s.code.clone(),
        name: s.name.clone(),
        method: s.method,
        exam: s.exam.clone(),
    }
}

/// 按证书: the level's subjects this candidate type sits.
pub fn certificate_subjects(
    plan: &Plan,
    certificate_id: &str,
    level: Level,
    kind: CandidateKind,
) -> Result<Vec<RegSubject>, String> {
    let subjects: Vec<RegSubject> = plan
        .subjects
        .iter()
        .filter(|s| s.certificate_id == certificate_id && s.level == level)
        .filter(|s| audience_fits(s.audience, kind))
        .map(reg_subject)
        .collect();
    if subjects.is_empty() {
        return Err(format!(
            "该证书等级在本考试计划中没有参考对象为{}的科目",
            kind.label()
        ));
    }
    Ok(subjects)
}

/// 按科目: the subject's 参考对象 fits the candidate.
pub fn subject_fits(s: &PlanSubject, kind: CandidateKind) -> Result<RegSubject, String> {
    if !audience_fits(s.audience, kind) {
        return Err(format!(
            "科目“{}”的参考对象为{}，与考生类型（{}）不符",
            s.name,
            s.audience.label(),
            kind.label()
        ));
    }
    Ok(reg_subject(s))
}
