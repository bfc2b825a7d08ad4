//! 考试科目, 考试计划, 考核站点 (declaration, review, 借考) and 考场 over
//! HTTP, with a manual clock that moves across the demo plan's windows.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use vslc_api_tests::{TestApp, spawn_app_with, workbook};
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_ports::ManualClock;

/// 2026-03-01 08:00 China time: the demo plan's 报名 is open; 排考 runs
/// 03-16 08:00 – 03-26 18:00.
fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
        .unwrap()
        .to_utc()
}

async fn app() -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start()));
    (spawn_app_with(clock.clone()).await, clock)
}

fn subject_input(code: &str, method: &str) -> Value {
    json!({"certificateId": "CERT0101", "level": "初级", "code": code, "name": format!("科目{code}"),
           "method": method, "durationMinutes": 90, "audience": "所有考生", "fullMark": 100, "passMark": 60})
}

fn window(start: &str, end: &str) -> Value {
    json!({"start": start, "end": end})
}

fn plan_input(subject_ids: &[&str]) -> Value {
    json!({
        "name": "2026年第二次Web前端开发考试",
        "mode": "按证书",
        "certificates": [{"certificateId": "CERT0101", "levels": ["初级"], "feeCents": 10000}],
        "subjects": subject_ids.iter().enumerate().map(|(i, id)| json!({
            "subjectId": id, "exam": window(&format!("2026-05-1{i} 09:00"), &format!("2026-05-1{i} 11:00"))
        })).collect::<Vec<_>>(),
        "schoolIds": ["10009", "14361"],
        "registration": window("2026-04-01 08:00", "2026-04-10 18:00"),
        "scheduling": window("2026-04-11 08:00", "2026-04-20 18:00"),
        "scoreEntry": window("2026-05-20 08:00", "2026-05-30 18:00"),
        "publicity": window("2026-06-01 08:00", "2026-06-07 18:00"),
    })
}

#[tokio::test]
async fn subjects_are_the_orgs_until_published_then_schools_see_them() {
    let (app, _) = app().await;
    let org = app.login("org-admin").await;
    let school = app.login("school-admin").await;

    let mut bad = subject_input("T1", "笔试");
    bad["passMark"] = json!(120);
    let r = app.post("/api/exam/subjects", Some(&org), bad).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("合格分"));
    let r = app
        .post(
            "/api/exam/subjects",
            Some(&school),
            subject_input("T1", "笔试"),
        )
        .await;
    assert_eq!(r.status, 403, "schools do not define subjects");
    // Another org's certificate is not ours to define.
    let org2 = app.login("org2-admin").await;
    let r = app
        .post(
            "/api/exam/subjects",
            Some(&org2),
            subject_input("T1", "笔试"),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);

    let r = app
        .post(
            "/api/exam/subjects",
            Some(&org),
            subject_input("T1", "笔试"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["status"], "未发布");
    let id = r.body["id"].as_str().unwrap().to_owned();
    let dup = app
        .post(
            "/api/exam/subjects",
            Some(&org),
            subject_input("T1", "机考"),
        )
        .await;
    assert_eq!(dup.status, 409, "{}", dup.body);
    // Codes are unique whatever their letter case, on create and on edit;
    // a changed code frees the old one.
    let dup = app
        .post(
            "/api/exam/subjects",
            Some(&org),
            subject_input("t1", "笔试"),
        )
        .await;
    assert_eq!(dup.status, 409, "{}", dup.body);
    assert_eq!(dup.body["code"], "SUBJECT_EXISTS");
    let other = app
        .post(
            "/api/exam/subjects",
            Some(&org),
            subject_input("X2", "笔试"),
        )
        .await;
    assert_eq!(other.status, 201, "{}", other.body);
    let other_path = format!("/api/exam/subjects/{}", other.body["id"].as_str().unwrap());
    let r = app
        .put_json(&other_path, &org, subject_input("t1", "笔试"))
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = app
        .put_json(&other_path, &org, subject_input("x3", "笔试"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["code"], "x3");
    let r = app
        .post(
            "/api/exam/subjects",
            Some(&org),
            subject_input("x2", "笔试"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.delete(&other_path, &org).await.status, 204);
    let r = app
        .post(
            "/api/exam/subjects",
            Some(&org),
            subject_input("X3", "笔试"),
        )
        .await;
    assert_eq!(
        r.status, 201,
        "deleting a subject frees its code: {}",
        r.body
    );

    // Drafts stay the org's own.
    let r = app
        .get(&format!("/api/exam/subjects/{id}"), Some(&school))
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .get(&format!("/api/exam/subjects/{id}"), Some(&org2))
        .await;
    assert_eq!(r.status, 404);

    let mut edited = subject_input("T1", "实操");
    edited["name"] = json!("实操考核");
    let r = app
        .put_json(&format!("/api/exam/subjects/{id}"), &org, edited.clone())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["method"], "实操");
    let r = app
        .post(
            &format!("/api/exam/subjects/{id}/publish"),
            Some(&org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "已发布");
    let r = app
        .put_json(&format!("/api/exam/subjects/{id}"), &org, edited)
        .await;
    assert_eq!(r.status, 409, "published subjects are read-only");
    let r = app.delete(&format!("/api/exam/subjects/{id}"), &org).await;
    assert_eq!(r.status, 409);

    // Schools see the published subjects of their certificates.
    let r = app
        .get(
            "/api/exam/subjects?certificateId=CERT0101&pageSize=100",
            Some(&school),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let codes: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"T1") && codes.contains(&"WEB01"),
        "{codes:?}"
    );
    // ORG002's own list has none of ORG001's subjects.
    let r = app.get("/api/exam/subjects", Some(&org2)).await;
    assert_eq!(r.body["total"], 0, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn plans_check_their_windows_and_derive_their_status_from_the_clock() {
    let (app, clock) = app().await;
    let org = app.login("org-admin").await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let subjects = ["01DEMOSUBJ0000000000000001", "01DEMOSUBJ0000000000000002"];

    let mut bad = plan_input(&subjects);
    bad["scheduling"] = window("2026-04-05 08:00", "2026-04-20 18:00");
    let r = app.post("/api/exam/plans", Some(&org), bad).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"], "报名结束时间不能晚于排考开始时间");
    let mut bad = plan_input(&subjects);
    bad["registration"] = window("2026-04-10 08:00", "2026-04-01 08:00");
    let r = app.post("/api/exam/plans", Some(&org), bad).await;
    assert_eq!(r.body["message"], "报名时间的开始时间须早于结束时间");
    let mut bad = plan_input(&subjects);
    bad["scoreEntry"] = window("2026-05-10 10:00", "2026-05-30 18:00");
    let r = app.post("/api/exam/plans", Some(&org), bad).await;
    assert_eq!(r.status, 400);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("成绩登记开始时间")
    );
    // A 中级 subject does not belong to a plan of 初级 only.
    let r = app
        .post(
            "/api/exam/plans",
            Some(&org),
            plan_input(&["01DEMOSUBJ0000000000000001", "01DEMOSUBJ0000000000000003"]),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("不属于计划中的证书等级")
    );
    let mut bad = plan_input(&subjects);
    bad["schoolIds"] = json!(["99999"]);
    let r = app.post("/api/exam/plans", Some(&org), bad).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = app
        .post("/api/exam/plans", Some(&school), plan_input(&subjects))
        .await;
    assert_eq!(r.status, 403);

    let r = app
        .post("/api/exam/plans", Some(&org), plan_input(&subjects))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["phase"], "未发布");
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = app
        .get(&format!("/api/exam/plans/{id}"), Some(&school))
        .await;
    assert_eq!(r.status, 404, "drafts are the org's own");
    let r = app
        .post(
            &format!("/api/exam/plans/{id}/publish"),
            Some(&org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .get(&format!("/api/exam/plans/{id}"), Some(&school))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["phase"], "未开始");
    let schools = r.body["schools"].as_array().unwrap();
    assert_eq!(
        schools.len(),
        1,
        "a school sees only itself among the 参考院校"
    );
    let r = app
        .put_json(
            &format!("/api/exam/plans/{id}"),
            &org,
            plan_input(&subjects),
        )
        .await;
    assert_eq!(r.status, 409);

    // The demo plan is open for 报名 now; both plans move with the clock.
    let phase = |body: &Value| body["phase"].as_str().unwrap().to_owned();
    let demo = app
        .get(&format!("/api/exam/plans/{DEMO_PLAN_ID}"), Some(&school2))
        .await;
    assert_eq!(phase(&demo.body), "报名中");
    // Between 报名 and 排考, and between 排考 and the first exam, a plan
    // waits (待排考, 待考试) instead of showing 排考中.
    let steps = [
        ("2026-03-16T07:00:00+08:00", "待排考", "未开始"),
        ("2026-03-17T08:00:00+08:00", "排考中", "未开始"),
        ("2026-03-28T10:00:00+08:00", "待考试", "未开始"),
        ("2026-03-31T10:00:00+08:00", "考试中", "未开始"),
        ("2026-04-05T10:00:00+08:00", "成绩登记中", "报名中"),
        ("2026-04-10T20:00:00+08:00", "成绩登记中", "待排考"),
        ("2026-04-16T10:00:00+08:00", "公示中", "排考中"),
        ("2026-04-25T10:00:00+08:00", "已结束", "待考试"),
        ("2026-05-10T10:30:00+08:00", "已结束", "考试中"),
        ("2026-05-25T10:00:00+08:00", "已结束", "成绩登记中"),
        ("2026-06-03T10:00:00+08:00", "已结束", "公示中"),
    ];
    for (at, demo_phase, new_phase) in steps {
        clock.set(DateTime::parse_from_rfc3339(at).unwrap().to_utc());
        let org = app.login("org-admin").await;
        let d = app
            .get(&format!("/api/exam/plans/{DEMO_PLAN_ID}"), Some(&org))
            .await;
        assert_eq!(phase(&d.body), demo_phase, "{}", clock_text(&clock));
        let p = app.get(&format!("/api/exam/plans/{id}"), Some(&org)).await;
        assert_eq!(phase(&p.body), new_phase, "{}", clock_text(&clock));
        let listed = app
            .get(
                &format!("/api/exam/plans?phase={}", urlencoding(demo_phase)),
                Some(&org),
            )
            .await;
        assert!(
            listed.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == DEMO_PLAN_ID),
            "filter by status"
        );
    }
    app.stop().await;
}

fn clock_text(c: &ManualClock) -> String {
    use vslc_ports::Clock;
    c.now_cst().to_rfc3339()
}

fn urlencoding(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Declares and approves the 初级 Web前端 site of the first demo school.
pub(crate) async fn approved_site(app: &TestApp, school: &str, org: &str) -> String {
    approved_site_of_level(app, school, org, "初级").await
}

/// Declares and approves the Web前端 site of a level of the first demo school.
async fn approved_site_of_level(app: &TestApp, school: &str, org: &str, level: &str) -> String {
    let std = app
        .get(
            &format!(
                "/api/sites/standards?certificateId=CERT0101&level={}",
                urlencoding(level)
            ),
            Some(school),
        )
        .await;
    let answers: Vec<Value> = std
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!({"standardId": s["id"], "met": true}))
        .collect();
    let r = app
        .post(
            "/api/sites",
            Some(school),
            json!({"certificateId": "CERT0101", "level": level, "address": "北京市石景山区晋元庄路5号",
                   "contact": "张老师", "phone": "010-88801234", "capacity": 120,
                   "equipment": "机房3间，计算机120台", "standards": answers, "submit": true}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/api/sites/review/{id}/approve"),
            Some(org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

#[tokio::test]
async fn sites_follow_their_states_and_stay_with_their_school_and_org() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let org2 = app.login("org2-admin").await;

    let std = app
        .get(
            "/api/sites/standards?certificateId=CERT0101&level=%E4%B8%AD%E7%BA%A7",
            Some(&school),
        )
        .await;
    assert_eq!(std.status, 200, "{}", std.body);
    let content = std.body[0]["content"].as_str().unwrap();
    assert!(content.contains("满足中级考核要求"), "{content}");
    let answers: Vec<Value> = std
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!({"standardId": s["id"], "met": true}))
        .collect();
    assert!(!answers.is_empty());
    let input = |answers: Vec<Value>, submit: bool| {
        json!({"certificateId": "CERT0101", "level": "中级", "address": "北京市石景山区晋元庄路5号",
               "contact": "张老师", "phone": "13812345678", "capacity": 60,
               "equipment": "实训室2间", "standards": answers, "submit": submit})
    };
    let r = app
        .post("/api/sites", Some(&school), input(Vec::new(), false))
        .await;
    assert_eq!(r.status, 400, "every standard must be answered");
    assert!(r.body["message"].as_str().unwrap().contains("建设标准"));
    // 14361 does not take part in CERT0101 中级.
    let r = app
        .post("/api/sites", Some(&school2), input(answers.clone(), false))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);

    let r = app
        .post("/api/sites", Some(&school), input(answers.clone(), false))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.body["name"],
        "北方工业大学Web前端开发职业技能等级证书(中级)考核站点"
    );
    assert_eq!(r.body["status"], "未提交");
    let id = r.body["id"].as_str().unwrap().to_owned();
    let again = app
        .post("/api/sites", Some(&school), input(answers.clone(), true))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again.body["message"]
            .as_str()
            .unwrap()
            .contains("不允许再次申报")
    );

    // Other tenants: another school and the org see nothing of a draft.
    for (token, path) in [
        (&school2, format!("/api/sites/{id}")),
        (&org, format!("/api/sites/review/{id}")),
        (&org2, format!("/api/sites/review/{id}")),
    ] {
        assert_eq!(app.get(&path, Some(token)).await.status, 404, "{path}");
    }
    assert_eq!(
        app.delete(&format!("/api/sites/{id}"), &school2)
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(
            &format!("/api/sites/{id}/submit"),
            Some(&school2),
            json!({})
        )
        .await
        .status,
        404
    );

    let r = app
        .post(
            &format!("/api/sites/{id}/withdraw"),
            Some(&school),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "only 待审核 can be withdrawn");
    let r = app
        .post(&format!("/api/sites/{id}/submit"), Some(&school), json!({}))
        .await;
    assert_eq!(r.body["status"], "待审核");
    let r = app
        .put_json(
            &format!("/api/sites/{id}"),
            &school,
            input(answers.clone(), false),
        )
        .await;
    assert_eq!(r.status, 409, "待审核 is not editable");
    let r = app
        .post(
            &format!("/api/sites/{id}/withdraw"),
            Some(&school),
            json!({}),
        )
        .await;
    assert_eq!(r.body["status"], "未提交", "{}", r.body);
    let r = app
        .put_json(
            &format!("/api/sites/{id}"),
            &school,
            input(answers.clone(), true),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "待审核");

    // ORG002 cannot review a site of ORG001's certificate.
    assert_eq!(
        app.post(
            &format!("/api/sites/review/{id}/approve"),
            Some(&org2),
            json!({})
        )
        .await
        .status,
        404
    );
    let listed = app.get("/api/sites/review", Some(&org2)).await;
    assert_eq!(listed.body["total"], 0);
    let listed = app.get("/api/sites/review?status=待审核", Some(&org)).await;
    assert_eq!(listed.body["total"], 1, "{}", listed.body);

    let r = app
        .post(
            &format!("/api/sites/review/{id}/return"),
            Some(&org),
            json!({"reason": " "}),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .post(
            &format!("/api/sites/review/{id}/return"),
            Some(&org),
            json!({"reason": "实训设备数量不足30套"}),
        )
        .await;
    assert_eq!(r.body["status"], "审核退回");
    let mine = app.get(&format!("/api/sites/{id}"), Some(&school)).await;
    assert_eq!(mine.body["reviewReason"], "实训设备数量不足30套");
    let r = app
        .post(
            &format!("/api/sites/review/{id}/approve"),
            Some(&org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "a returned site is resubmitted first");
    app.post(&format!("/api/sites/{id}/submit"), Some(&school), json!({}))
        .await;
    let r = app
        .post(
            &format!("/api/sites/review/{id}/approve"),
            Some(&org),
            json!({}),
        )
        .await;
    assert_eq!(r.body["status"], "审核通过", "{}", r.body);
    assert_eq!(r.body["reviewedBy"], "王主任");

    // Approved: neither editable nor deletable; batch delete answers per id.
    assert_eq!(
        app.delete(&format!("/api/sites/{id}"), &school)
            .await
            .status,
        409
    );
    let draft = app
        .post(
            "/api/sites",
            Some(&school),
            json!({"certificateId": "CERT0103", "level": "中级", "address": "北京", "contact": "张老师",
                   "phone": "13812345678", "capacity": 30,
                   "standards": app.get("/api/sites/standards?certificateId=CERT0103&level=%E4%B8%AD%E7%BA%A7", Some(&school)).await
                        .body.as_array().unwrap().iter().map(|s| json!({"standardId": s["id"], "met": false})).collect::<Vec<_>>()}),
        )
        .await;
    assert_eq!(draft.status, 201, "{}", draft.body);
    let r = app
        .post(
            "/api/sites/batch-delete",
            Some(&school),
            json!({"ids": [id, draft.body["id"], "10009-NOPE"]}),
        )
        .await;
    assert_eq!(r.body["succeeded"], 1, "{}", r.body);
    assert_eq!(r.body["failed"], 2);
    assert_eq!(r.body["results"][0]["code"], "STATE_CONFLICT");
    app.stop().await;
}

#[tokio::test]
async fn a_school_without_a_site_borrows_one_and_sets_up_rooms_there() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let org2 = app.login("org2-admin").await;
    let site = approved_site(&app, &school, &org).await;

    let alloc = json!({"planId": DEMO_PLAN_ID, "schoolId": "14361", "certificateId": "CERT0101",
                       "level": "初级", "siteId": site});
    let r = app
        .post("/api/sites/allocations", Some(&org2), alloc.clone())
        .await;
    assert_eq!(r.status, 404, "another org's plan");
    let mut own = alloc.clone();
    own["schoolId"] = json!("10009");
    let r = app.post("/api/sites/allocations", Some(&org), own).await;
    assert_eq!(r.status, 409, "a school with its own site does not borrow");
    // 14361 pilots CERT0101 初级 only: no 中级 site is lent to it.
    let senior_site = approved_site_of_level(&app, &school, &org, "中级").await;
    let mut not_pilot = alloc.clone();
    not_pilot["level"] = json!("中级");
    not_pilot["siteId"] = json!(senior_site);
    let r = app
        .post("/api/sites/allocations", Some(&org), not_pilot)
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "NOT_PILOT");
    assert_eq!(
        r.body["message"],
        "北京示范职业技术学院未参与Web前端开发职业技能等级证书(中级)的试点，不能为其分配考核站点"
    );
    let r = app
        .post("/api/sites/allocations", Some(&org), alloc.clone())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let alloc_id = r.body["id"].as_str().unwrap().to_owned();
    let r = app.post("/api/sites/allocations", Some(&org), alloc).await;
    assert_eq!(r.status, 409);

    // Both schools see it in 考核站点分配查询.
    for token in [&school, &school2] {
        let r = app.get("/api/sites/allocations", Some(token)).await;
        assert_eq!(r.body["total"], 1, "{}", r.body);
        assert_eq!(r.body["items"][0]["hostSchoolName"], "北方工业大学");
    }
    // The borrower sets up a room at the assigned site.
    let opts = app
        .get(
            &format!("/api/rooms/options?planId={DEMO_PLAN_ID}"),
            Some(&school2),
        )
        .await;
    assert_eq!(opts.status, 200, "{}", opts.body);
    assert_eq!(opts.body[0]["borrowed"], true);
    assert_eq!(opts.body[0]["siteId"], site.as_str());
    let r = app
        .post(
            "/api/rooms",
            Some(&school2),
            json!({"planId": DEMO_PLAN_ID, "siteId": site, "certificateId": "CERT0101",
                   "subjectIds": ["01DEMOSUBJ0000000000000001"], "name": "借考第1考场", "seats": 30}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["roomType"], "机考考场");
    let lent_room = r.body["id"].as_str().unwrap().to_owned();
    // The host sees it (read only) among its rooms at that site.
    let r = app
        .get(&format!("/api/rooms?siteId={site}"), Some(&school))
        .await;
    assert_eq!(r.body["total"], 1, "{}", r.body);
    assert_eq!(r.body["items"][0]["id"], lent_room.as_str());
    assert_eq!(r.body["items"][0]["readOnly"], true);
    assert_eq!(r.body["items"][0]["schoolId"], "14361");
    let r = app.get("/api/rooms", Some(&school2)).await;
    assert_eq!(r.body["items"][0]["readOnly"], false, "{}", r.body);
    let path = format!("/api/rooms/{lent_room}");
    assert_eq!(app.delete(&path, &school).await.status, 404);
    // The host cannot reuse that name at its own site for the same plan and certificate.
    let r = app
        .post(
            "/api/rooms",
            Some(&school),
            json!({"planId": DEMO_PLAN_ID, "siteId": site, "certificateId": "CERT0101",
                   "subjectIds": ["01DEMOSUBJ0000000000000001"], "name": "借考第1考场", "seats": 30}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // Once the allocation is cancelled the site is no longer the borrower's.
    assert_eq!(
        app.delete(&format!("/api/sites/allocations/{alloc_id}"), &org2)
            .await
            .status,
        404
    );
    assert_eq!(
        app.delete(&format!("/api/sites/allocations/{alloc_id}"), &org)
            .await
            .status,
        204
    );
    let r = app
        .post(
            "/api/rooms",
            Some(&school2),
            json!({"planId": DEMO_PLAN_ID, "siteId": site, "certificateId": "CERT0101",
                   "subjectIds": ["01DEMOSUBJ0000000000000001"], "name": "借考第2考场", "seats": 30}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn rooms_follow_the_plans_scheduling_window() {
    let (app, clock) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let site = approved_site(&app, &school, &org).await;
    let room = |subjects: &[&str], name: &str, seats: u32| {
        json!({"planId": DEMO_PLAN_ID, "siteId": site, "certificateId": "CERT0101",
               "subjectIds": subjects, "name": name, "seats": seats, "location": "第一教学楼301"})
    };
    let theory = "01DEMOSUBJ0000000000000001";
    let practice = "01DEMOSUBJ0000000000000002";

    let r = app
        .post(
            "/api/rooms",
            Some(&school),
            room(&[theory, practice], "第1考场", 30),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("科目“实操技能”"),
        "{}",
        r.body
    );
    let r = app
        .post(
            "/api/rooms",
            Some(&school),
            room(&["01DEMOSUBJ0000000000000003"], "第1考场", 30),
        )
        .await;
    assert_eq!(r.status, 400, "a 中级 subject at a 初级 site");
    let r = app
        .post("/api/rooms", Some(&school2), room(&[theory], "第1考场", 30))
        .await;
    assert_eq!(r.status, 400, "another school's site without an allocation");

    // No more seats than the site's 可容纳考生数 (120).
    let r = app
        .post("/api/rooms", Some(&school), room(&[theory], "第1考场", 121))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["message"], "座位数不能超过考核站点可容纳考生数120");
    let r = app
        .post("/api/rooms", Some(&school), room(&[theory], "第1考场", 30))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["status"], "未排考");
    assert_eq!(r.body["roomType"], "机考考场");
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = app
        .post("/api/rooms", Some(&school), room(&[theory], "第1考场", 40))
        .await;
    assert_eq!(r.status, 409, "unique name per plan, site and certificate");
    let r = app
        .post(
            "/api/rooms",
            Some(&school),
            room(&[practice], "第2考场", 20),
        )
        .await;
    assert_eq!(r.body["roomType"], "实操考场");
    let second = r.body["id"].as_str().unwrap().to_owned();

    // Another school sees and touches none of it.
    let path = format!("/api/rooms/{id}");
    assert_eq!(app.get(&path, Some(&school2)).await.status, 404);
    assert_eq!(
        app.put_json(&path, &school2, room(&[theory], "x", 1))
            .await
            .status,
        404
    );
    assert_eq!(app.delete(&path, &school2).await.status, 404);
    assert_eq!(app.get("/api/rooms", Some(&school2)).await.body["total"], 0);

    // 未排考: everything may change.
    let r = app
        .put_json(&path, &school, room(&[theory], "第一考场", 25))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["name"], "第一考场");

    // 排考中: only more seats.
    clock.advance(Duration::days(15) + Duration::hours(1));
    let school = app.login("school-admin").await;
    let r = app.get(&path, Some(&school)).await;
    assert_eq!(r.body["status"], "排考中", "{}", r.body);
    let r = app
        .put_json(&path, &school, room(&[theory], "第一考场", 20))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["message"], "排考中的考场不能减少座位数");
    let r = app
        .put_json(&path, &school, room(&[theory], "改名考场", 30))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["message"], "排考中的考场只能增加座位数");
    let r = app
        .put_json(&path, &school, room(&[theory], "第一考场", 200))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("120"));
    let r = app
        .put_json(&path, &school, room(&[theory], "第一考场", 35))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["seats"], 35);
    assert_eq!(app.delete(&path, &school).await.status, 409);
    let r = app
        .post(
            "/api/rooms/batch-delete",
            Some(&school),
            json!({"ids": [id, second]}),
        )
        .await;
    assert_eq!(r.body["failed"], 2, "{}", r.body);

    // 已结束: read only.
    clock.advance(Duration::days(11));
    let school = app.login("school-admin").await;
    let r = app
        .put_json(&path, &school, room(&[theory], "第一考场", 40))
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["message"], "考场已结束，不能修改");
    let r = app
        .post("/api/rooms", Some(&school), room(&[theory], "第3考场", 30))
        .await;
    assert_eq!(r.status, 409, "no new rooms after 排考");
    let listed = app.get("/api/rooms?status=已结束", Some(&school)).await;
    assert_eq!(listed.body["total"], 2, "{}", listed.body);
    app.stop().await;
}

#[tokio::test]
async fn rooms_import_export_and_carry_over_to_a_new_plan() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let org = app.login("org-admin").await;
    let site = approved_site(&app, &school, &org).await;
    let site_name = "北方工业大学Web前端开发职业技能等级证书(初级)考核站点";

    // The template offers the school's usable sites as a dropdown.
    let t = app
        .http
        .get(app.url(&format!(
            "/api/imports/templates/rooms?planId={DEMO_PLAN_ID}"
        )))
        .bearer_auth(&school)
        .send()
        .await
        .unwrap();
    assert_eq!(t.status(), 200);
    let bytes = t.bytes().await.unwrap();
    let sheet = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    assert_eq!(
        sheet[0],
        vec![
            "*考核站点名称",
            "*考试科目",
            "*考场名称",
            "*座位数",
            "考场地址"
        ]
    );
    let r = app
        .post(
            "/api/imports",
            Some(&school),
            json!({"type": "rooms", "fileName": "考场.xlsx"}),
        )
        .await;
    assert_eq!(r.status, 400, "a plan must be chosen first");

    let file = workbook(&[
        vec![
            "*考核站点名称",
            "*考试科目",
            "*考场名称",
            "*座位数",
            "考场地址",
        ],
        vec![site_name, "WEB01", "A101", "30", "A楼101"],
        vec![site_name, "WEB02 实操技能", "A102", "20", "A楼102"],
        vec![site_name, "WEB01、WEB02", "A103", "20", ""],
        vec![site_name, "WEB01", "A101", "30", ""],
        vec!["别的学校的站点", "WEB01", "A104", "30", ""],
        vec![site_name, "WEB01", "A105", "三十", ""],
        vec![site_name, "WEB01", "=HYPERLINK(\"x\")", "30", ""],
        vec![site_name, "WEB01", "A106", "200", ""],
    ]);
    let params = json!({"planId": DEMO_PLAN_ID});
    let id = app
        .upload_import_with(
            &school,
            "rooms",
            "考场.xlsx",
            file.clone(),
            false,
            params.clone(),
        )
        .await;
    let rec = app.wait_import(&school, &id).await;
    assert_eq!(rec["status"], "已完成", "{rec}");
    assert_eq!(rec["success"], 3, "{rec}");
    assert_eq!(rec["failed"], 5, "{rec}");
    let reasons = app.failure_reasons(&rec).await;
    assert!(reasons[0].contains("考试方式"), "{reasons:?}");
    assert!(reasons[1].contains("与第2行考场名称重复"), "{reasons:?}");
    assert!(reasons[2].contains("不是本校可用的站点"), "{reasons:?}");
    assert!(reasons[3].contains("座位数须为整数"), "{reasons:?}");
    assert!(
        reasons[4].contains("座位数不能超过考核站点可容纳考生数120"),
        "{reasons:?}"
    );

    // Redelivered (the worker died before finishing): its own rooms are not
    // duplicates of themselves, and none is created twice.
    app.redeliver_import("10009", &id).await;
    let rec = app.wait_import(&school, &id).await;
    assert_eq!(
        (rec["success"].as_u64(), rec["failed"].as_u64()),
        (Some(3), Some(5)),
        "{rec}"
    );

    // The same file again: every good row's room exists already.
    let again = app
        .upload_import_with(&school, "rooms", "考场.xlsx", file, false, params)
        .await;
    let rec = app.wait_import(&school, &again).await;
    assert_eq!(rec["success"], 0, "{rec}");
    assert_eq!(rec["failed"], 8, "{rec}");
    let listed = app
        .get(
            &format!("/api/rooms?planId={DEMO_PLAN_ID}&pageSize=100"),
            Some(&school),
        )
        .await;
    assert_eq!(listed.body["total"], 3, "{}", listed.body);

    // Export escapes formula-like names.
    let r = app
        .post(
            "/api/rooms/export",
            Some(&school),
            json!({"planId": DEMO_PLAN_ID}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["rows"], 3);
    let file = reqwest::get(r.body["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let rows = vslc_imports::xlsx::read_first_sheet(&file).unwrap();
    assert_eq!(rows[0][6], "考场名称");
    let typed = vslc_api_tests::typed_sheet(&file);
    let seats = vslc_api_tests::column(&typed, "座位数");
    assert!(
        typed[1..]
            .iter()
            .all(|r| matches!(r[seats], vslc_api_tests::XCell::Number(n) if n >= 20.0)),
        "座位数 are numbers: {typed:?}"
    );
    assert!(
        rows.iter().any(|r| r[6] == "'=HYPERLINK(\"x\")"),
        "{rows:?}"
    );

    // 沿用 into a new plan of the same certificate level.
    let subject_ids = ["01DEMOSUBJ0000000000000001", "01DEMOSUBJ0000000000000002"];
    let p = app
        .post("/api/exam/plans", Some(&org), plan_input(&subject_ids))
        .await;
    let new_plan = p.body["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/exam/plans/{new_plan}/publish"),
        Some(&org),
        json!({}),
    )
    .await;
    let r = app
        .post(
            "/api/rooms/reuse",
            Some(&school),
            json!({"fromPlanId": DEMO_PLAN_ID, "toPlanId": new_plan}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["succeeded"], 3, "{}", r.body);
    let r = app
        .post(
            "/api/rooms/reuse",
            Some(&school),
            json!({"fromPlanId": DEMO_PLAN_ID, "toPlanId": new_plan}),
        )
        .await;
    assert_eq!(r.body["failed"], 3, "names are taken now: {}", r.body);
    let _ = site;
    app.stop().await;
}

/// Every plan a list shows, page by page (pageSize 2).
async fn plan_ids(app: &TestApp, token: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for page in 0.. {
        assert!(page < 100, "the walk ends");
        let mut url = "/api/exam/plans?pageSize=2".to_owned();
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let r = app.get(&url, Some(token)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        for p in r.body["items"].as_array().unwrap() {
            ids.push(p["id"].as_str().unwrap().to_owned());
        }
        match r.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    ids
}

#[tokio::test]
async fn plan_lists_page_by_cursor_and_show_each_tenant_its_own() {
    let (app, _clock) = app().await;
    let org = app.login("org-admin").await;
    let org2 = app.login("org2-admin").await;
    let school = app.login("school-admin").await;
    let province = app.login("province-admin").await;
    let subjects = ["01DEMOSUBJ0000000000000001", "01DEMOSUBJ0000000000000002"];
    // Four new plans: three published (one naming only school 14361), one draft.
    let mut made = Vec::new();
    for (i, schools) in [
        ["10009", "14361"],
        ["14361", "14361"],
        ["10009", "10009"],
        ["10009", "14361"],
    ]
    .iter()
    .enumerate()
    {
        let mut input = plan_input(&subjects);
        input["name"] = json!(format!("分页计划{i}"));
        input["schoolIds"] = json!(
            schools[..]
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
        );
        let r = app.post("/api/exam/plans", Some(&org), input).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.body["id"].as_str().unwrap().to_owned();
        if i < 3 {
            let r = app
                .post(
                    &format!("/api/exam/plans/{id}/publish"),
                    Some(&org),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        made.push(id);
    }
    // Newest first; the org sees its draft, nobody else does.
    let mine = plan_ids(&app, &org).await;
    assert_eq!(
        mine[..4],
        [
            made[3].clone(),
            made[2].clone(),
            made[1].clone(),
            made[0].clone()
        ]
    );
    assert!(mine.contains(&DEMO_PLAN_ID.to_owned()));
    assert!(
        plan_ids(&app, &org2)
            .await
            .iter()
            .all(|id| !made.contains(id))
    );
    let published = plan_ids(&app, &province).await;
    assert_eq!(
        published[..3],
        [made[2].clone(), made[1].clone(), made[0].clone()]
    );
    assert!(!published.contains(&made[3]), "drafts stay the org's");
    let seen = plan_ids(&app, &school).await;
    assert_eq!(
        seen[..2],
        [made[2].clone(), made[0].clone()],
        "only the plans naming school 10009"
    );
    // A school's filtered page is made up from the rows after those the
    // filter leaves out (its newest plan does not match).
    let r = app
        .get("/api/exam/plans?name=分页计划0&pageSize=1", Some(&school))
        .await;
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", r.body);
    assert_eq!(items[0]["id"], made[0].as_str(), "{}", r.body);
    // A filter reads on from the cursor; a made-up cursor answers 400.
    let named = app
        .get("/api/exam/plans?name=分页计划1", Some(&province))
        .await;
    assert_eq!(
        named.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        named.body
    );
    let r = app
        .get("/api/exam/plans?cursor=bm90LWpzb24", Some(&province))
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (400, Some("BAD_CURSOR")),
        "{}",
        r.body
    );
    // One plan by id: the province sees published ones only.
    let r = app
        .get(&format!("/api/exam/plans/{}", made[3]), Some(&province))
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .get(&format!("/api/exam/plans/{}", made[1]), Some(&school))
        .await;
    assert_eq!(r.status, 404, "a plan not naming the school looks missing");
    app.stop().await;
}
