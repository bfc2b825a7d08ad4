//! 报考 and 缴费 over HTTP: eligibility rules, the candidate snapshot and
//! counter, windows on a manual clock, re-imports, orders and confirmation.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use vslc_api_tests::{
    Resp, TestApp, XCell, column, id_number, spawn_app_with, typed_sheet, workbook,
};
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_ports::ManualClock;
use vslc_ports::table::Update;

/// 2026-03-01 08:00 China time: the demo plan (按证书, 120 元) is in 报名.
async fn app() -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
            .unwrap()
            .to_utc(),
    ));
    (spawn_app_with(clock.clone()).await, clock)
}

fn at(clock: &ManualClock, cst: &str) {
    clock.set(
        DateTime::parse_from_rfc3339(cst)
            .unwrap()
            .with_timezone(&Utc),
    );
}

/// Creates a candidate and, unless `status` is 无照片, sets its status.
async fn candidate(app: &TestApp, token: &str, body: Value, status: &str) -> String {
    let r = app.post("/api/candidates", Some(token), body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let no = r.body["candidateNo"].as_str().unwrap().to_owned();
    if status != "无照片" {
        app.set_candidate(&no, Update::new().set("status", status))
            .await;
    }
    no
}

fn student(name: &str, id: &str, major: &str) -> Value {
    json!({"kind": "school", "name": name, "namePinyin": "XUE SHENG", "idType": "身份证", "idNumber": id,
           "phone": "18512340926", "majorCode": major, "enrolmentYear": 2024})
}

const CERT: &str = "Web前端开发职业技能等级证书";
const HEAD: [&str; 4] = ["*考生编号或证件号码", "姓名", "*考试证书", "*证书等级"];

async fn import(
    app: &TestApp,
    token: &str,
    kind: &str,
    rows: &[Vec<&str>],
    params: Value,
) -> Value {
    let mut all = vec![HEAD.to_vec()];
    if kind == "registrations-by-subject" {
        all[0] = vec!["*考生编号或证件号码", "姓名", "*考试科目"];
    }
    all.extend(rows.iter().cloned());
    let id = app
        .upload_import_with(token, kind, "报考.xlsx", workbook(&all), false, params)
        .await;
    app.wait_import(token, &id).await
}

/// Asks for a 缴费申请单 of CERT0101's unpaid registrations in this plan.
async fn order_for(app: &TestApp, token: &str, plan: &str, mode: &str) -> Resp {
    app.post(
        "/api/payments",
        Some(token),
        json!({"planId": plan, "certificateId": "CERT0101", "mode": mode}),
    )
    .await
}

async fn registrations(app: &TestApp, token: &str, query: &str) -> Value {
    let r = app
        .get(
            &format!("/api/registrations?pageSize=100{query}"),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

async fn count_of(app: &TestApp, token: &str, no: &str) -> u64 {
    let r = app.get(&format!("/api/candidates/{no}"), Some(token)).await;
    r.body["registrations"].as_u64().unwrap()
}

/// 报考人次 and 考试场次 of the school's current weekly report.
async fn weekly_figures(app: &TestApp, token: &str) -> (u64, u64) {
    let r = app.get("/api/weekly-reports/current", Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let f = &r.body["figures"];
    (
        f["registrations"].as_u64().unwrap(),
        f["exams"].as_u64().unwrap(),
    )
}

#[tokio::test]
async fn registrations_follow_every_rule_keep_a_snapshot_and_count_exactly() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let ok_id = id_number(1, 1);
    let a = candidate(&app, &school, student("甲", &ok_id, "510201"), "信息准确").await;
    let b = candidate(
        &app,
        &school,
        student("乙", &id_number(2, 2), "510201"),
        "无照片",
    )
    .await;
    let c = candidate(
        &app,
        &school,
        student("丙", &id_number(3, 3), "510205"),
        "信息准确",
    )
    .await;
    let d = candidate(
        &app,
        &school,
        json!({"kind": "social", "name": "丁", "namePinyin": "DING", "gender": "男", "idType": "护照", "idNumber": "E12345678"}),
        "信息准确",
    )
    .await;
    let params = json!({"planId": DEMO_PLAN_ID});
    let rec = import(
        &app,
        &school,
        "registrations-by-certificate",
        &[
            vec![&ok_id, "甲", CERT, "初级"],
            vec![&a, "", CERT, "初级"],
            vec![&b, "", CERT, "初级"],
            vec![&c, "", CERT, "初级"],
            vec!["110105199001010000", "", CERT, "初级"],
            vec![&a, "", CERT, "高级"],
            vec![&a, "", "云计算平台运维与开发职业技能等级证书", "初级"],
            vec![&d, "丁", CERT, "中级"],
            vec![&a, "李四", CERT, "中级"],
        ],
        params.clone(),
    )
    .await;
    assert_eq!(rec["status"], "已完成", "{rec}");
    assert_eq!(
        (rec["success"].as_u64(), rec["failed"].as_u64()),
        (Some(2), Some(7)),
        "{rec}"
    );
    let why = app.failure_reasons(&rec).await;
    let expect = [
        "第3行：与第2行重复报考",
        "第4行：考生信息状态为“无照片”，须为“信息准确”才能报考",
        "第5行：考生就读专业 510205 大数据技术 不在该证书对应的专业之内",
        "第6行：本校没有考生编号或证件号码为 110105199001010000 的考生",
        "第7行：本考试计划不含Web前端开发职业技能等级证书(高级)",
        "第8行：考试证书“云计算平台运维与开发职业技能等级证书”不在本考试计划中",
        "第10行：姓名与考生信息不一致（系统中为甲）",
    ];
    assert_eq!(why, expect);

    // The list masks; the registration holds a snapshot; the counter is exact.
    let list = registrations(&app, &school, "").await;
    assert_eq!(list["total"], 2);
    let mine = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["candidate"]["candidateNo"] == a.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        mine["candidate"]["idNumber"],
        vslc_ports::mask::id_number(&ok_id)
    );
    assert_eq!(mine["status"], "未排考");
    assert_eq!(mine["paid"], false);
    assert_eq!(
        mine["subjects"].as_array().unwrap().len(),
        2,
        "初级: 理论知识 and 实操技能"
    );
    assert_eq!(mine["feeCents"], 12000);
    assert_eq!(count_of(&app, &school, &a).await, 1);
    let reg_id = mine["id"].as_str().unwrap().to_owned();
    let mut edited = student("甲", &ok_id, "510201");
    edited["phone"] = json!("13900001111");
    edited["gender"] = json!("男");
    let r = app
        .put_json(&format!("/api/candidates/{a}"), &school, edited)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let full = app
        .get(&format!("/api/registrations/{reg_id}"), Some(&school))
        .await;
    assert_eq!(
        full.body["candidate"]["phone"], "18512340926",
        "the snapshot stays"
    );
    assert_eq!(full.body["candidate"]["idNumber"], ok_id.as_str());
    // A registered candidate cannot be deleted.
    assert_eq!(
        app.delete(&format!("/api/candidates/{a}"), &school)
            .await
            .status,
        409
    );

    // Redelivery and re-import never register twice.
    let import_id = rec["id"].as_str().unwrap().to_owned();
    app.redeliver_import("10009", &import_id).await;
    let again = app.wait_import(&school, &import_id).await;
    assert_eq!(again["success"], 2, "{again}");
    let rec = import(
        &app,
        &school,
        "registrations-by-certificate",
        &[vec![&a, "", CERT, "初级"]],
        params.clone(),
    )
    .await;
    assert_eq!(
        app.failure_reasons(&rec).await,
        ["第2行：该考生已报考本计划的科目：理论知识、实操技能"]
    );
    assert_eq!(registrations(&app, &school, "").await["total"], 2);
    assert_eq!(count_of(&app, &school, &a).await, 1);
    // The weekly report's figures count them from the day counters: made
    // this week, sat (in April) not yet.
    assert_eq!(weekly_figures(&app, &school).await, (2, 0));

    // 按科目 into a 按证书 plan: every row says so.
    let rec = import(
        &app,
        &school,
        "registrations-by-subject",
        &[vec![&c, "", "WEB01"]],
        json!({"planId": DEMO_PLAN_ID, "certificateId": "CERT0101"}),
    )
    .await;
    assert!(app.failure_reasons(&rec).await[0].contains("为按证书报考，请使用按证书导入"));

    // Another school sees and touches none of it.
    assert_eq!(registrations(&app, &school2, "").await["total"], 0);
    let path = format!("/api/registrations/{reg_id}");
    assert_eq!(app.get(&path, Some(&school2)).await.status, 404);
    assert_eq!(app.delete(&path, &school2).await.status, 404);
    let r = app
        .post(
            "/api/registrations/export",
            Some(&school2),
            json!({"ids": [reg_id]}),
        )
        .await;
    assert_eq!(r.body["rows"], 0);
    let r = app
        .post(
            "/api/registrations/batch-delete",
            Some(&school2),
            json!({"ids": [reg_id]}),
        )
        .await;
    assert_eq!(r.body["failed"], 1, "{}", r.body);
    assert_eq!(r.body["results"][0]["code"], "NOT_FOUND");

    // Export masks; delete gives the count back.
    let r = app
        .post("/api/registrations/export", Some(&school), json!({}))
        .await;
    assert_eq!(r.body["rows"], 2, "{}", r.body);
    let bytes = app.download(r.body["url"].as_str().unwrap()).await;
    let rows = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    assert!(rows[1..].iter().all(|r| r[4].contains('*')), "{rows:?}");
    // The fee is a number; 考生编号 and 证件号码 stay text.
    let typed = typed_sheet(&bytes);
    let (fee, no, id) = (
        column(&typed, "报考费（元）"),
        column(&typed, "考生编号"),
        column(&typed, "证件号码"),
    );
    for r in &typed[1..] {
        assert_eq!(r[fee], XCell::Number(120.0), "{r:?}");
        assert!(matches!(r[no], XCell::Text(_)), "{r:?}");
        assert!(matches!(r[id], XCell::Text(_)), "{r:?}");
    }
    assert_eq!(app.delete(&path, &school).await.status, 204);
    assert_eq!(count_of(&app, &school, &a).await, 0);
    assert_eq!(weekly_figures(&app, &school).await, (1, 0));
    assert_eq!(
        app.delete(&format!("/api/candidates/{a}"), &school)
            .await
            .status,
        204
    );
    app.stop().await;
}

/// A 按科目 plan whose 报名 opens on 2026-04-01.
async fn subject_plan(app: &TestApp) -> String {
    let org = app.login("org-admin").await;
    let w = |s: &str, e: &str| json!({"start": s, "end": e});
    let r = app
        .post(
            "/api/exam/plans",
            Some(&org),
            json!({
                "name": "按科目考试", "mode": "按科目",
                "certificates": [{"certificateId": "CERT0101", "levels": ["初级"]}],
                "subjects": [
                    {"subjectId": "01DEMOSUBJ0000000000000001", "exam": w("2026-05-10 09:00", "2026-05-10 10:30"), "feeCents": 5000},
                    {"subjectId": "01DEMOSUBJ0000000000000002", "exam": w("2026-05-10 14:00", "2026-05-10 16:00"), "feeCents": 8000}
                ],
                "schoolIds": ["10009"],
                "registration": w("2026-04-01 08:00", "2026-04-10 18:00"),
                "scheduling": w("2026-04-11 08:00", "2026-04-20 18:00"),
                "scoreEntry": w("2026-05-20 08:00", "2026-05-30 18:00"),
                "publicity": w("2026-06-01 08:00", "2026-06-07 18:00"),
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/exam/plans/{id}/publish"),
        Some(&org),
        json!({}),
    )
    .await;
    id
}

#[tokio::test]
async fn the_registration_window_and_the_fee_standard_apply_by_subject() {
    let (app, clock) = app().await;
    let school = app.login("school-admin").await;
    let plan = subject_plan(&app).await;
    let params = json!({"planId": plan, "certificateId": "CERT0101"});
    let a = candidate(
        &app,
        &school,
        student("甲", &id_number(5, 5), "510201"),
        "信息准确",
    )
    .await;

    let rec = import(
        &app,
        &school,
        "registrations-by-subject",
        &[vec![&a, "", "WEB01"]],
        params.clone(),
    )
    .await;
    assert!(
        app.failure_reasons(&rec).await[0].contains("当前不在报名时间内"),
        "{rec}"
    );

    at(&clock, "2026-04-02T09:00:00+08:00");
    let school = app.login("school-admin").await;
    let rec = import(
        &app,
        &school,
        "registrations-by-subject",
        &[
            vec![&a, "", "WEB01 理论知识"],
            vec![&a, "", "实操技能"],
            vec![&a, "", "WEB01"],
            vec![&a, "", "WEBM01"],
        ],
        params.clone(),
    )
    .await;
    assert_eq!(rec["success"], 2, "{rec}");
    assert_eq!(
        app.failure_reasons(&rec).await,
        [
            "第4行：与第2行重复报考",
            "第5行：考试科目“WEBM01”不是本考试计划中该证书的科目"
        ]
    );
    assert_eq!(count_of(&app, &school, &a).await, 2);
    let order = order_for(&app, &school, &plan, "按科目").await;
    assert_eq!(order.status, 201, "{}", order.body);
    assert_eq!(order.body["count"], 2);
    assert_eq!(order.body["totalCents"], 13000, "50 + 80 元 by subject");
    let r = order_for(&app, &school, &plan, "按证书").await;
    assert_eq!(r.status, 409, "the mode must match the plan");
    assert_eq!(
        r.body["message"],
        "考试计划“按科目考试”为按科目报考，请按科目生成缴费申请单"
    );
    // Two subject registrations of one certificate: two records, not two
    // certificates.
    let r = app.delete(&format!("/api/candidates/{a}"), &school).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["message"], "该考生已有2条报考记录，不能删除");

    // After 报名 closes, neither imports nor orders.
    at(&clock, "2026-04-11T09:00:00+08:00");
    let school = app.login("school-admin").await;
    let b = candidate(
        &app,
        &school,
        student("乙", &id_number(6, 6), "510201"),
        "信息准确",
    )
    .await;
    let rec = import(
        &app,
        &school,
        "registrations-by-subject",
        &[vec![&b, "", "WEB01"]],
        params,
    )
    .await;
    assert!(app.failure_reasons(&rec).await[0].contains("当前不在报名时间内"));
    let r = order_for(&app, &school, &plan, "按科目").await;
    assert_eq!(r.status, 409, "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn orders_gather_unpaid_registrations_once_and_the_org_confirms_them() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let org2 = app.login("org2-admin").await;
    registered(&app, &school, 10, 6).await;
    let generate = json!({"planId": DEMO_PLAN_ID, "certificateId": "CERT0101", "mode": "按证书"});

    // Two orders at once never share a registration.
    let (x, y) = tokio::join!(
        app.post("/api/payments", Some(&school), generate.clone()),
        app.post("/api/payments", Some(&school), generate.clone())
    );
    let counts: u64 = [&x, &y]
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| r.body["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counts, 6, "{} / {}", x.body, y.body);
    for r in [&x, &y] {
        assert!(r.status == 201 || r.status == 409, "{}", r.body);
    }
    let list = app.get("/api/payments", Some(&school)).await;
    let orders: Vec<String> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["no"].as_str().unwrap().to_owned())
        .collect();
    let mut lines = 0;
    for no in &orders {
        let d = app.get(&format!("/api/payments/{no}"), Some(&school)).await;
        lines += d.body["lines"].as_array().unwrap().len();
        assert_eq!(
            d.body["order"]["totalCents"].as_u64().unwrap(),
            12000 * d.body["lines"].as_array().unwrap().len() as u64
        );
    }
    assert_eq!(lines, 6, "each registration in exactly one order");
    let r = app
        .post("/api/payments", Some(&school), generate.clone())
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["code"], "NOTHING_TO_PAY");

    let no = orders[0].clone();
    assert!(no.starts_with("JF20260301-10009-"), "{no}");
    let d = app.get(&format!("/api/payments/{no}"), Some(&school)).await;
    // The school pays offline, by the org's 缴费方式, shown with the order.
    assert!(
        d.body["paymentMethod"]
            .as_str()
            .is_some_and(|m| m.contains("收款单位：北京示例培训评价组织有限公司")),
        "{}",
        d.body
    );
    let line = d.body["lines"][0]["id"].as_str().unwrap().to_owned();
    let r = app
        .delete(&format!("/api/registrations/{line}"), &school)
        .await;
    assert_eq!(r.status, 409, "in a live order: {}", r.body);

    // Only the org of the certificate sees and confirms it.
    assert_eq!(
        app.get(&format!("/api/payments/{no}"), Some(&school2))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/payments/review/{no}"), Some(&org2))
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(
            &format!("/api/payments/review/{no}/confirm"),
            Some(&org2),
            json!({})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get("/api/payments/review", Some(&org2)).await.body["items"],
        json!([])
    );
    assert_eq!(
        app.delete(&format!("/api/payments/{no}"), &school2)
            .await
            .status,
        404
    );
    let r = app
        .post("/api/payments/export", Some(&school2), json!({"ids": [no]}))
        .await;
    assert_eq!(r.body["rows"], 0);
    let r = app
        .post(
            "/api/payments/review/confirm",
            Some(&org2),
            json!({"ids": [no]}),
        )
        .await;
    assert_eq!(r.body["failed"], 1, "{}", r.body);
    assert_eq!(
        app.get("/api/payments", Some(&school2)).await.body["items"],
        json!([])
    );
    assert_eq!(
        app.get("/api/payments/review", Some(&school)).await.status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/api/payments/review/{no}/confirm"),
            Some(&school),
            json!({})
        )
        .await
        .status,
        403
    );
    let review = app
        .get("/api/payments/review?status=未确认", Some(&org))
        .await;
    assert_eq!(
        review.body["items"].as_array().unwrap().len(),
        orders.len(),
        "{}",
        review.body
    );
    let r = app
        .post(
            "/api/payments/review/confirm",
            Some(&org),
            json!({"ids": [no, no.clone() + "x"]}),
        )
        .await;
    assert_eq!(
        (r.body["succeeded"].as_u64(), r.body["failed"].as_u64()),
        (Some(1), Some(1)),
        "{}",
        r.body
    );
    let r = app
        .post(
            &format!("/api/payments/review/{no}/confirm"),
            Some(&org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "confirming twice changes nothing");

    // The org exports its orders, with the paying school; no one else's.
    let r = app
        .post("/api/payments/review/export", Some(&org), json!({}))
        .await;
    assert_eq!(
        r.body["rows"].as_u64(),
        Some(orders.len() as u64),
        "{}",
        r.body
    );
    let bytes = app.download(r.body["url"].as_str().unwrap()).await;
    let sheet = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    assert_eq!(sheet[0][..2], ["缴费单号", "院校"]);
    let row = sheet.iter().find(|r| r[0] == no).expect("the order");
    assert_eq!(row[1], "北方工业大学");
    assert_eq!(row[7], "已确认");
    let r = app
        .post(
            "/api/payments/review/export",
            Some(&org2),
            json!({"ids": [no]}),
        )
        .await;
    assert_eq!(r.body["rows"], 0, "another org's order: {}", r.body);
    let r = app
        .post("/api/payments/review/export", Some(&school), json!({}))
        .await;
    assert_eq!(r.status, 403);

    // Paid registrations show so, and can no longer be deleted; nor can the order.
    let paid = registrations(&app, &school, "&paid=true").await;
    assert_eq!(
        paid["items"].as_array().unwrap().len(),
        d.body["lines"].as_array().unwrap().len()
    );
    assert!(
        paid.get("total").is_none_or(Value::is_null),
        "no counter answers 已缴费: {paid}"
    );
    assert!(
        paid["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["paid"] == true)
    );
    let r = app
        .delete(&format!("/api/registrations/{line}"), &school)
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.body["message"], "已缴费的报考记录不能删除");
    assert_eq!(
        app.delete(&format!("/api/payments/{no}"), &school)
            .await
            .status,
        409
    );

    // Deleting an unconfirmed order frees its registrations for a new one.
    if let Some(other) = orders.get(1) {
        assert_eq!(
            app.delete(&format!("/api/payments/{other}"), &school)
                .await
                .status,
            204
        );
        let r = app.post("/api/payments", Some(&school), generate).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    // Export of the school's orders: 报考人次 and 总费用 are numbers.
    let r = app
        .post("/api/payments/export", Some(&school), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let bytes = app.download(r.body["url"].as_str().unwrap()).await;
    let typed = typed_sheet(&bytes);
    assert!(typed.len() > 1, "{typed:?}");
    let (count, total, no) = (
        column(&typed, "报考人次"),
        column(&typed, "总费用（元）"),
        column(&typed, "缴费单号"),
    );
    for r in &typed[1..] {
        assert!(matches!(r[count], XCell::Number(n) if n >= 1.0), "{r:?}");
        assert!(matches!(r[total], XCell::Number(_)), "{r:?}");
        assert!(matches!(r[no], XCell::Text(_)), "{r:?}");
    }
    app.stop().await;
}

/// `n` new candidates (ID numbers from `seed`) registered in the demo
/// plan (按证书, 初级) by one import; answers the import record.
async fn registered(app: &TestApp, school: &str, seed: u32, n: u32) -> Value {
    let mut nos = Vec::new();
    for i in 0..n {
        nos.push(
            candidate(
                app,
                school,
                student(&format!("生{i}"), &id_number(seed + i, i), "510201"),
                "信息准确",
            )
            .await,
        );
    }
    let rows: Vec<Vec<&str>> = nos
        .iter()
        .map(|n| vec![n.as_str(), "", CERT, "初级"])
        .collect();
    let rec = import(
        app,
        school,
        "registrations-by-certificate",
        &rows,
        json!({"planId": DEMO_PLAN_ID}),
    )
    .await;
    assert_eq!(rec["success"], n, "{rec}");
    rec
}

/// A registration taken away between an order reading the plan's guard
/// lines and claiming them (a 删除, or a failed import taking its rows
/// back) is not claimed: the claim checks the guard that goes with it.
#[tokio::test]
async fn an_order_never_claims_a_registration_that_is_gone() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    registered(&app, &school, 40, 2).await;
    // The order's read of the lines...
    let tenant = vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, "10009");
    let state = app.running.as_ref().unwrap().state.clone();
    let lines = vslc_registrations::service::guard_lines(&state, &tenant, DEMO_PLAN_ID)
        .await
        .unwrap();
    assert_eq!(lines.len(), 2);
    // ...then one of them is deleted, before the claims.
    let gone = format!("{DEMO_PLAN_ID}.{}", lines[0].id);
    let r = app
        .delete(&format!("/api/registrations/{gone}"), &school)
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    // ...and the candidate registered again: a new registration under the
    // same guard key.
    // (The guard's sort key is `<plan>#<考生编号>#…`.)
    let no = lines[0].sk.split('#').nth(1).unwrap();
    let again = vec![vec![no, "", CERT, "初级"]];
    let rec = import(
        &app,
        &school,
        "registrations-by-certificate",
        &again,
        json!({"planId": DEMO_PLAN_ID}),
    )
    .await;
    assert_eq!(rec["success"], 1, "{rec}");
    let claimed = vslc_payments::service::claim(
        &state,
        &tenant,
        DEMO_PLAN_ID,
        &[(&lines[0], None), (&lines[1], None)],
        "JF20260301-10009-999999",
    )
    .await
    .unwrap();
    assert_eq!(claimed, vec![false, true], "only the one still there");
    let claim_of =
        |id: &str| vslc_registrations::Registration::claim_key(&tenant, DEMO_PLAN_ID, id);
    let left = state.table.get(&claim_of(&lines[0].id)).await.unwrap();
    assert!(
        left.is_none(),
        "no claim for a registration that is gone: {left:?}"
    );
    assert!(
        state
            .table
            .get(&claim_of(&lines[1].id))
            .await
            .unwrap()
            .is_some()
    );
    app.stop().await;
}

/// An import taken back after its deliveries kept dying leaves the
/// registrations an order has claimed meanwhile, whole: the order's count
/// and lines stay exact.
#[tokio::test]
async fn a_taken_back_import_leaves_what_an_order_claimed() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let rec = registered(&app, &school, 60, 2).await;
    let order = order_for(&app, &school, DEMO_PLAN_ID, "按证书").await;
    assert_eq!(order.status, 201, "{}", order.body);
    let no = order.body["no"].as_str().unwrap().to_owned();

    // Every delivery of the import "died": the next one takes it back.
    let id = rec["id"].as_str().unwrap().to_owned();
    let tenant = vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, "10009");
    let state = app.running.as_ref().unwrap().state.clone();
    state
        .table
        .update(
            &vslc_imports::ImportRecord::key(&tenant, &id),
            Update::new().set("attempts", vslc_imports::worker::MAX_ATTEMPTS),
            None,
        )
        .await
        .unwrap();
    app.redeliver_import("10009", &id).await;
    let failed = app.wait_import(&school, &id).await;
    assert_eq!(failed["status"], "失败", "{failed}");

    let listed = registrations(&app, &school, "").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
    let d = app.get(&format!("/api/payments/{no}"), Some(&school)).await;
    assert_eq!(d.body["order"]["count"], 2, "{}", d.body);
    assert_eq!(d.body["lines"].as_array().unwrap().len(), 2, "{}", d.body);
    app.stop().await;
}
