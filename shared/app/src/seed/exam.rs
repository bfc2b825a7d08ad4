//! Demo exam setup: ORG001 publishes the subjects of its Web前端开发
//! certificate and an exam plan whose 报名 window is open when the store is
//! first seeded, with both demo schools as 参考院校.

use chrono::{Duration, NaiveDateTime, Timelike};

use vslc_catalogue::certificate::{Certificate, Level};
use vslc_exam::plans::{PlanCertificate, PlanSchool, PlanSubject, RegistrationMode};
use vslc_exam::window::TIME_FORMAT;
use vslc_exam::{Audience, ExamMethod, Plan, PublishStatus, Subject, Window};
use vslc_ports::AppState;
use vslc_ports::table::{Condition, to_item};

pub const DEMO_PLAN_ID: &str = "01DEMOPLAN0000000000000001";

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let table = state.table.as_ref();
    let Some(cert) = Certificate::load(table, "CERT0101").await? else {
        return Ok(());
    };
    let now = state.clock.now_local();
    let created = now.format(TIME_FORMAT).to_string();
    let subject = |id: &str, level, code: &str, name: &str, method, minutes| Subject {
        id: id.into(),
        org_id: cert.org_id.clone(),
        org_name: cert.org_name.clone(),
        certificate_id: cert.id.clone(),
        certificate_name: cert.name.clone(),
        level,
        code: code.into(),
        name: name.into(),
        method,
        duration_minutes: minutes,
        audience: Audience::All,
        full_mark: 100,
        pass_mark: 60,
        status: PublishStatus::Published,
        created_at: created.clone(),
        version: 1,
    };
    let subjects = [
        subject(
            "01DEMOSUBJ0000000000000001",
            Level::Junior,
            "WEB01",
            "理论知识",
            ExamMethod::Computer,
            90,
        ),
        subject(
            "01DEMOSUBJ0000000000000002",
            Level::Junior,
            "WEB02",
            "实操技能",
            ExamMethod::Practical,
            120,
        ),
        subject(
            "01DEMOSUBJ0000000000000003",
            Level::Intermediate,
            "WEBM01",
            "理论知识",
            ExamMethod::Computer,
            90,
        ),
        subject(
            "01DEMOSUBJ0000000000000004",
            Level::Intermediate,
            "WEBM02",
            "实操技能",
            ExamMethod::Practical,
            150,
        ),
    ];
    for s in &subjects {
        for item in [to_item(&Subject::key(&s.id), s)?, s.code_guard()?] {
            table
                .put(item, Some(Condition::NotExists))
                .await
                .or_else(|e| if e.is_conflict() { Ok(()) } else { Err(e) })?;
        }
    }

    // Whole hours from now: 报名 open since yesterday for two weeks.
    let base = now
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .unwrap_or(now);
    let day = |d: i64, h: u32| -> NaiveDateTime {
        (base.date() + Duration::days(d))
            .and_hms_opt(h, 0, 0)
            .unwrap_or(base)
    };
    let window = |a: NaiveDateTime, b: NaiveDateTime| Window::new(a, b);
    let exam = |s: &Subject, d: i64, h: u32| PlanSubject {
        subject_id: s.id.clone(),
        code: s.code.clone(),
        name: s.name.clone(),
        certificate_id: s.certificate_id.clone(),
        level: s.level,
        method: s.method,
        audience: s.audience,
        duration_minutes: s.duration_minutes,
        exam: window(
            day(d, h),
            day(d, h) + Duration::minutes(s.duration_minutes as i64),
        ),
        fee_cents: 0,
    };
    let plan = Plan {
        id: DEMO_PLAN_ID.into(),
        org_id: cert.org_id.clone(),
        org_name: cert.org_name.clone(),
        name: format!("{}年Web前端开发职业技能等级证书考试", base.format("%Y")),
        mode: RegistrationMode::ByCertificate,
        certificates: vec![PlanCertificate {
            certificate_id: cert.id.clone(),
            certificate_name: cert.name.clone(),
            levels: vec![Level::Junior, Level::Intermediate],
            fee_cents: 12_000,
        }],
        subjects: vec![
            exam(&subjects[0], 30, 9),
            exam(&subjects[1], 30, 14),
            exam(&subjects[2], 31, 9),
            exam(&subjects[3], 31, 14),
        ],
        schools: vec![
            PlanSchool {
                school_id: "10009".into(),
                school_name: "北方工业大学".into(),
            },
            PlanSchool {
                school_id: "14361".into(),
                school_name: "北京示范职业技术学院".into(),
            },
        ],
        registration: window(base - Duration::days(1), day(14, 18)),
        scheduling: window(day(15, 8), day(25, 18)),
        score_entry: window(day(35, 8), day(45, 18)),
        publicity: window(day(46, 8), day(53, 18)),
        remark: "演示数据：报名时间自首次启动起开放两周。".into(),
        exam_notice: String::new(),
        status: PublishStatus::Published,
        created_at: created.clone(),
        published_at: Some(created),
        version: 1,
    };
    table
        .put(plan.to_item()?, Some(Condition::NotExists))
        .await
        .or_else(|e| if e.is_conflict() { Ok(()) } else { Err(e) })?;
    plan.index_schools(state).await?;
    Ok(())
}
