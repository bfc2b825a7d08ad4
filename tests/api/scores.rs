//! 科目成绩 over HTTP: the 成绩登记表, the `scores` import with its row
//! rules inside the 成绩登记 window (and refused outside it), re-imports,
//! the lists of school and org, corrections only in 公示期 with their
//! history, the lock at the end of 公示期 (twice at once: one anchor), the
//! check against the ledger catching a changed score, and the tenants.

use serde_json::{Value, json};
use vslc_api_tests::{TestApp, XCell, column, typed_sheet, workbook};
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_ports::table::Update;

use crate::scheduling::{SUBJECT1, arranged};

fn text(c: &XCell) -> String {
    match c {
        XCell::Text(t) => t.clone(),
        XCell::Number(n) => n.to_string(),
        XCell::Empty => String::new(),
    }
}

/// 成绩登记 is 2026-04-05 08:00 to 04-15 18:00; 公示期 04-16 08:00 to
/// 04-23 18:00 (China time).
const IN_ENTRY: &str = "2026-04-06T10:00:00+08:00";
const IN_PUBLICITY: &str = "2026-04-17T10:00:00+08:00";
const AFTER_PUBLICITY: &str = "2026-04-23T18:00:00+08:00";

fn sheet_id() -> String {
    format!("{DEMO_PLAN_ID}.{SUBJECT1}")
}

/// The 成绩登记表's rows: (准考证号, 考生编号, 姓名, 成绩, 缺考/违纪).
async fn score_sheet(app: &TestApp, org: &str) -> Vec<[String; 5]> {
    let r = app
        .post(
            &format!("/api/scores/sheets/{}/template", sheet_id()),
            Some(org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sheet = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    assert_eq!(text(&sheet[0][0]), "*准考证号");
    sheet[1..]
        .iter()
        .map(|r| std::array::from_fn(|i| r.get(i).map(text).unwrap_or_default()))
        .collect()
}

async fn import(app: &TestApp, org: &str, rows: &[Vec<&str>]) -> (Value, Vec<String>) {
    let mut all = vec![vec!["*准考证号", "*考生编号", "*姓名", "成绩", "缺考/违纪"]];
    all.extend(rows.iter().cloned());
    let id = app
        .upload_import_with(
            org,
            "scores",
            "成绩.xlsx",
            workbook(&all),
            false,
            json!({"planId": DEMO_PLAN_ID, "subjectId": SUBJECT1}),
        )
        .await;
    let rec = app.wait_import(org, &id).await;
    let reasons = app.failure_reasons(&rec).await;
    (rec, reasons)
}

async fn list(app: &TestApp, token: &str, query: &str) -> vslc_api_tests::Resp {
    app.get(&format!("/api/scores?pageSize=100{query}"), Some(token))
        .await
}

async fn by_ticket(app: &TestApp, token: &str, ticket: &str) -> Value {
    let r = list(
        app,
        token,
        &format!("&planId={DEMO_PLAN_ID}&candidate={ticket}"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", r.body);
    items[0].clone()
}

async fn detail(app: &TestApp, token: &str, id: &str) -> vslc_api_tests::Resp {
    app.get(&format!("/api/scores/{id}"), Some(token)).await
}

async fn correct(app: &TestApp, token: &str, id: &str, body: Value) -> vslc_api_tests::Resp {
    app.post(&format!("/api/scores/{id}/correct"), Some(token), body)
        .await
}

/// Marks a seated candidate 缺考 at the door, as the absence closer does
/// for a room that signed people in.
async fn mark_absent(app: &TestApp, ticket: &str) {
    use vslc_accounts::{Tenant, TenantKind};
    use vslc_scheduling::Seat;
    let state = app.state();
    for school in ["10009", "14361"] {
        let t = Tenant::new(TenantKind::School, school);
        let sources = Seat::school_sources(&t, Some(DEMO_PLAN_ID), Some(SUBJECT1));
        let seats: Vec<Seat> = vslc_ports::keyset::each_in(state.table.as_ref(), &sources)
            .await
            .unwrap();
        if let Some(s) = seats.iter().find(|s| s.ticket_no == ticket) {
            state
                .table
                .update(
                    &s.own_school_key(),
                    Update::new().set("attendance", "缺考"),
                    None,
                )
                .await
                .unwrap();
            return;
        }
    }
    panic!("no seat with ticket {ticket}");
}

#[tokio::test]
async fn scores_are_imported_corrected_in_publicity_and_locked_on_the_ledger() {
    let (app, clock, mut f) = arranged().await;
    // Before 成绩登记 the import takes nothing.
    f.at(&app, &clock, "2026-04-01T10:00:00+08:00").await;
    let sheet = score_sheet(&app, &f.org).await;
    assert_eq!(sheet.len(), 10, "{sheet:?}");
    assert!(sheet.windows(2).all(|w| w[0][0] < w[1][0]), "by 准考证号");
    assert!(sheet.iter().all(|r| r[3].is_empty() && r[4].is_empty()));
    let row = |i: usize, score: &'static str, mark: &'static str| -> Vec<String> {
        vec![
            sheet[i][0].clone(),
            sheet[i][1].clone(),
            sheet[i][2].clone(),
            score.into(),
            mark.into(),
        ]
    };
    let (rec, reasons) = import(&app, &f.org, &[as_refs(&row(0, "86.5", ""))]).await;
    assert_eq!(
        (rec["success"].as_u64(), rec["failed"].as_u64()),
        (Some(0), Some(1)),
        "{rec}"
    );
    assert!(reasons[0].contains("不在成绩登记时间内"), "{reasons:?}");

    f.at(&app, &clock, IN_ENTRY).await;
    mark_absent(&app, &sheet[9][0]).await;
    let mut rows = vec![
        row(0, "86.5", ""),
        row(1, "", "缺考"),
        row(2, "120", ""),
        row(3, "75", ""),
        row(4, "59.5", ""),
        row(5, "60", "违纪"),
        row(6, "70", ""),
        row(7, "80.25", ""),
        row(8, "90.0", ""),
        row(9, "100", ""),
        row(0, "86.5", ""),
        vec![
            "99999".into(),
            "1".into(),
            "某人".into(),
            "50".into(),
            String::new(),
        ],
    ];
    rows[3][2] = "错误姓名".into();
    let refs: Vec<Vec<&str>> = rows.iter().map(|r| as_refs(r)).collect();
    let (rec, reasons) = import(&app, &f.org, &refs).await;
    assert_eq!(
        (rec["success"].as_u64(), rec["failed"].as_u64()),
        (Some(6), Some(6)),
        "{rec} {reasons:?}"
    );
    for expected in [
        "超过该科目满分100",
        "姓名与准考证号不符",
        "考场签到记录为缺考",
        "与第2行准考证号重复",
        "准考证号“99999”不存在",
        "最多保留一位小数",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(expected)),
            "{expected}: {reasons:?}"
        );
    }
    // The same file again changes nothing.
    let (again, _) = import(&app, &f.org, &refs).await;
    assert_eq!(
        (again["success"].as_u64(), again["failed"].as_u64()),
        (Some(6), Some(6))
    );
    let first = by_ticket(&app, &f.org, &sheet[0][0]).await;
    assert_eq!(first["score"], 86.5);
    assert_eq!(first["changes"], 0);
    assert_eq!(first["status"], "待公示");
    // A corrected score before 公示期 replaces the one recorded.
    let (rec, _) = import(&app, &f.org, &[as_refs(&row(4, "61", ""))]).await;
    assert_eq!(rec["success"], 1, "{rec}");
    let fifth = by_ticket(&app, &f.org, &sheet[4][0]).await;
    let d = detail(&app, &f.org, fifth["id"].as_str().unwrap()).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["score"], 61.0);
    assert_eq!(d.body["passed"], true);
    let history = d.body["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{}", d.body);
    assert_eq!(history[0]["before"], "59.5");
    assert_eq!(history[0]["after"], "61");
    assert!(history[0]["reason"].as_str().unwrap().contains("重新导入"));
    let absent = by_ticket(&app, &f.org, &sheet[1][0]).await;
    assert_eq!(absent["scoreText"], "缺考");
    assert_eq!(absent["passed"], false);

    // The lists: each school its own, masked; the org its plan's.
    let r = list(&app, &f.org, "").await;
    assert_eq!(r.status, 400, "the org names a plan: {}", r.body);
    let org_rows = list(&app, &f.org, &format!("&planId={DEMO_PLAN_ID}")).await;
    assert_eq!(org_rows.body["items"].as_array().unwrap().len(), 6);
    let mut seen = 0;
    for (token, school) in [(&f.school, "10009"), (&f.school2, "14361")] {
        let r = list(&app, token, "").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let items = r.body["items"].as_array().unwrap();
        assert!(items.iter().all(|i| i["schoolId"] == school), "{}", r.body);
        assert!(
            items
                .iter()
                .all(|i| i["idNumber"].as_str().unwrap().contains('*'))
        );
        seen += items.len();
    }
    assert_eq!(seen, 6);
    let r = list(
        &app,
        &f.org,
        &format!("&planId={DEMO_PLAN_ID}&outcome=缺考"),
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1, "{}", r.body);
    let sheets = app
        .get(
            &format!("/api/scores/sheets?planId={DEMO_PLAN_ID}"),
            Some(&f.org),
        )
        .await;
    assert_eq!(sheets.status, 200, "{}", sheets.body);
    let s1 = sheets
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subjectId"] == SUBJECT1)
        .unwrap()
        .clone();
    assert_eq!(s1["recorded"], 6, "{s1}");
    assert_eq!(s1["status"], "待公示");
    // The template now shows what is recorded, and 缺考 from the door.
    let again = score_sheet(&app, &f.org).await;
    assert_eq!(again[0][3], "86.5");
    assert_eq!(again[1][4], "缺考");
    assert_eq!(again[9][4], "缺考");

    // No correction before 公示期.
    let id = first["id"].as_str().unwrap().to_owned();
    let fix = json!({"score": 88, "reason": "复核后更正"});
    let r = correct(&app, &f.org, &id, fix.clone()).await;
    assert_eq!(r.status, 409, "{}", r.body);

    // In 公示期: no import, corrections with a reason, each kept.
    f.at(&app, &clock, IN_PUBLICITY).await;
    let (rec, reasons) = import(&app, &f.org, &[as_refs(&row(0, "90", ""))]).await;
    assert_eq!(rec["success"], 0, "{rec}");
    assert!(reasons[0].contains("不在成绩登记时间内"), "{reasons:?}");
    let r = correct(&app, &f.org, &id, json!({"score": 88, "reason": " "})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = correct(&app, &f.org, &id, json!({"score": 101, "reason": "x"})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = correct(&app, &f.school, &id, fix.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = correct(&app, &f.org, &id, fix.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["score"], 88.0);
    assert_eq!(r.body["status"], "公示中");
    let h = r.body["history"].as_array().unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["reason"], "复核后更正");
    assert_eq!(h[0]["before"], "86.5");
    let r = correct(&app, &f.org, &id, fix.clone()).await;
    assert_eq!(r.status, 400, "unchanged: {}", r.body);
    // The school sees the corrected score; the other school does not see it at all.
    let owner = if first["schoolId"] == "10009" {
        &f.school
    } else {
        &f.school2
    };
    let other = if first["schoolId"] == "10009" {
        &f.school2
    } else {
        &f.school
    };
    let r = detail(&app, owner, &id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["score"], 88.0);
    assert_eq!(r.body["history"].as_array().unwrap().len(), 1);
    assert_eq!(detail(&app, other, &id).await.status, 404);

    // At the end of 公示期 the scores are locked, whether or not the closer ran.
    f.at(&app, &clock, AFTER_PUBLICITY).await;
    let r = correct(
        &app,
        &f.org,
        &id,
        json!({"score": 89, "reason": "再次更正"}),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(
        by_ticket(&app, &f.org, &sheet[0][0]).await["status"],
        "已锁定"
    );
    let r = app
        .post(
            &format!("/api/scores/sheets/{}/verify", sheet_id()),
            Some(&f.org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "not anchored yet: {}", r.body);
    // Two closers at once: one lock, one anchor.
    let (a, b) = tokio::join!(app.run_period_closer(), app.run_period_closer());
    assert!(!a.is_empty() && !b.is_empty());
    let locked = sheet_view(&app, &f.org).await;
    assert_eq!(locked["status"], "已锁定");
    assert_eq!(locked["lockedAt"], "2026-04-23 18:00:00");
    let chain = locked["chain"].clone();
    assert_eq!(chain["txHash"].as_str().unwrap().len(), 64, "{locked}");
    app.run_period_closer().await;
    assert_eq!(
        sheet_view(&app, &f.org).await["chain"],
        chain,
        "anchored once"
    );
    let r = app
        .post(
            &format!("/api/scores/sheets/{}/verify", sheet_id()),
            Some(&f.org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["intact"], true, "{}", r.body);
    assert_eq!(r.body["anchoredHash"], locked["sheetHash"]);
    // A score changed behind the platform's back shows.
    let state = app.state();
    let reg = id.split('.').nth(2).unwrap();
    let key = vslc_scores::Score::org_key(&plan_org(&app).await, DEMO_PLAN_ID, SUBJECT1, reg);
    state
        .table
        .update(&key, Update::new().set("points", 99.0), None)
        .await
        .unwrap();
    let r = app
        .post(
            &format!("/api/scores/sheets/{}/verify", sheet_id()),
            Some(&f.org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["intact"], false, "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("不一致"));

    // So does one changed in a school's copy only.
    state
        .table
        .update(&key, Update::new().set("points", 88.0), None)
        .await
        .unwrap();
    let school_key = vslc_scores::Score::school_key(
        first["schoolId"].as_str().unwrap(),
        DEMO_PLAN_ID,
        SUBJECT1,
        reg,
    );
    state
        .table
        .update(&school_key, Update::new().set("points", 99.0), None)
        .await
        .unwrap();
    let r = app
        .post(
            &format!("/api/scores/sheets/{}/verify", sheet_id()),
            Some(&f.org),
            json!({}),
        )
        .await;
    assert_eq!(r.body["intact"], false, "{}", r.body);
    assert_eq!(r.body["currentHash"], r.body["anchoredHash"], "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("院校"));

    // The school's export: the manual's columns, ID numbers masked.
    let r = app
        .post(
            "/api/scores/export",
            Some(&f.school),
            json!({"ids": [], "filter": {}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let x = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    assert_eq!(text(&x[0][0]), "考试类别");
    assert_eq!(text(&x[0][15]), "状态");
    assert!(x.len() > 1);
    assert!(text(&x[1][column(&x, "证件号码")]).contains('*'));
    assert_eq!(text(&x[1][column(&x, "状态")]), "已锁定");
    app.stop().await;
}

async fn sheet_view(app: &TestApp, org: &str) -> Value {
    let r = app
        .get(&format!("/api/scores/sheets/{}", sheet_id()), Some(org))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// The demo org's id, as the plan names it.
async fn plan_org(app: &TestApp) -> String {
    vslc_exam::Plan::load(&app.state(), DEMO_PLAN_ID)
        .await
        .unwrap()
        .unwrap()
        .org_id
}

fn as_refs(row: &[String]) -> Vec<&str> {
    row.iter().map(String::as_str).collect()
}

#[tokio::test]
async fn score_routes_keep_to_their_tenants() {
    let (app, clock, mut f) = arranged().await;
    f.at(&app, &clock, IN_ENTRY).await;
    let sheet = score_sheet(&app, &f.org).await;
    let rows: Vec<Vec<&str>> = sheet
        .iter()
        .map(|r| vec![r[0].as_str(), r[1].as_str(), r[2].as_str(), "75", ""])
        .collect();
    let (rec, _) = import(&app, &f.org, &rows).await;
    assert_eq!(rec["success"], 10, "{rec}");
    let org2 = app.login("org2-admin").await;
    let id = by_ticket(&app, &f.org, &sheet[0][0]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sid = sheet_id();
    // Another org: nothing of this plan.
    assert_eq!(
        list(&app, &org2, &format!("&planId={DEMO_PLAN_ID}"))
            .await
            .body["items"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    assert_eq!(detail(&app, &org2, &id).await.status, 404);
    for path in [
        format!("/api/scores/sheets?planId={DEMO_PLAN_ID}"),
        format!("/api/scores/sheets/{sid}"),
    ] {
        assert_eq!(app.get(&path, Some(&org2)).await.status, 404, "{path}");
    }
    for path in [
        format!("/api/scores/sheets/{sid}/template"),
        format!("/api/scores/sheets/{sid}/verify"),
    ] {
        assert_eq!(
            app.post(&path, Some(&org2), json!({})).await.status,
            404,
            "{path}"
        );
        assert_eq!(
            app.post(&path, Some(&f.school), json!({})).await.status,
            403,
            "{path}"
        );
    }
    let r = app
        .upload_import_with(
            &org2,
            "scores",
            "成绩.xlsx",
            workbook(&[
                vec!["*准考证号", "*考生编号", "*姓名", "成绩"],
                rows[0][..4].to_vec(),
            ]),
            false,
            json!({"planId": DEMO_PLAN_ID, "subjectId": SUBJECT1}),
        )
        .await;
    let rec = app.wait_import(&org2, &r).await;
    assert_eq!(rec["success"], 0, "{rec}");
    // Schools: no subject sheets, no corrections, no import.
    assert_eq!(
        app.get(
            &format!("/api/scores/sheets?planId={DEMO_PLAN_ID}"),
            Some(&f.school)
        )
        .await
        .status,
        403
    );
    assert_eq!(
        correct(&app, &f.school, &id, json!({"score": 1, "reason": "x"}))
            .await
            .status,
        403
    );
    let r = app
        .post(
            "/api/imports",
            Some(&f.school),
            json!({"type": "scores", "fileName": "a.xlsx", "params": {"planId": DEMO_PLAN_ID, "subjectId": SUBJECT1}}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .post(
            "/api/imports",
            Some(&f.org),
            json!({"type": "scores", "fileName": "a.xlsx", "params": {"planId": "a#b", "subjectId": SUBJECT1}}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    // An empty or malformed plan is a bad request; malformed ids are 404,
    // never 500.
    for q in ["", "%23", "a%23b"] {
        let r = app
            .get(&format!("/api/scores/sheets?planId={q}"), Some(&f.org))
            .await;
        assert!(
            [400, 404].contains(&r.status),
            "{q}: {} {}",
            r.status,
            r.body
        );
    }
    for bad in ["x", "a.b", "a.b.c.d", "%E4%B8%AD.b.c"] {
        assert_eq!(detail(&app, &f.org, bad).await.status, 404, "{bad}");
    }
    app.stop().await;
}

/// The 证件号码 of a score row's candidate, as registered.
async fn id_number_of(app: &TestApp, row: &Value) -> String {
    use vslc_accounts::{Tenant, TenantKind};
    let school = Tenant::new(TenantKind::School, row["schoolId"].as_str().unwrap());
    let key = vslc_registrations::Registration::key(
        &school,
        DEMO_PLAN_ID,
        row["registrationId"].as_str().unwrap(),
    );
    let reg: vslc_registrations::Registration =
        vslc_ports::table::TableExt::get_as(app.state().table.as_ref(), &key)
            .await
            .unwrap()
            .unwrap();
    reg.candidate.id_number
}

async fn lookup(app: &TestApp, ticket: &str, id: &str) -> vslc_api_tests::Resp {
    app.post(
        "/api/scores/public/lookup",
        None,
        json!({"ticketNo": ticket, "idNumber": id}),
    )
    .await
}

#[tokio::test]
async fn public_lookup_answers_only_the_holder_and_is_rate_limited() {
    let (app, clock, mut f) = arranged().await;
    f.at(&app, &clock, IN_ENTRY).await;
    let sheet = score_sheet(&app, &f.org).await;
    let rows: Vec<Vec<&str>> = sheet
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let score = if i == 0 { "91.5" } else { "75" };
            vec![r[0].as_str(), r[1].as_str(), r[2].as_str(), score, ""]
        })
        .collect();
    let (rec, _) = import(&app, &f.org, &rows).await;
    assert_eq!(rec["success"], 10, "{rec}");
    let (t0, t1) = (sheet[0][0].clone(), sheet[1][0].clone());
    let row0 = by_ticket(&app, &f.org, &t0).await;
    let row1 = by_ticket(&app, &f.org, &t1).await;
    let (id0, id1) = (
        id_number_of(&app, &row0).await,
        id_number_of(&app, &row1).await,
    );
    // Not before 公示期, even to the holder.
    let r = lookup(&app, &t0, &id0).await;
    assert_eq!(r.status, 409, "{}", r.body);
    f.at(&app, &clock, IN_PUBLICITY).await;
    let r = lookup(&app, &t0, &id0.to_lowercase()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let subjects = r.body["subjects"].as_array().unwrap();
    assert_eq!(subjects.len(), 2, "both subjects of 初级: {}", r.body);
    assert_eq!(subjects[0]["scoreText"], "91.5");
    assert_eq!(subjects[0]["status"], "公示中");
    assert_eq!(subjects[1]["scoreText"], "未登记");
    assert!(r.body["candidateName"].as_str().unwrap().contains('*'));
    assert!(r.body.get("result").is_none());
    // Another's ID number, an unknown ticket, a malformed one: alike.
    let wrong = lookup(&app, &t0, &id1).await;
    let unknown = lookup(&app, "99999999", &id0).await;
    let malformed = lookup(&app, "<script>", &id0).await;
    for r in [&wrong, &unknown, &malformed] {
        assert_eq!(r.status, 404, "{}", r.body);
        assert_eq!(r.body, wrong.body);
    }
    assert_eq!(lookup(&app, " ", &id0).await.status, 400);
    // One ticket from anywhere: ten attempts a window (two on it in this
    // window above).
    let mut statuses = Vec::new();
    for _ in 0..9 {
        statuses.push(lookup(&app, &t0, "110101199001011234").await.status);
    }
    assert_eq!(statuses[..8], [404; 8], "{statuses:?}");
    assert_eq!(statuses[8], 429, "{statuses:?}");
    // The right numbers are refused too while the ticket is stopped.
    assert_eq!(lookup(&app, &t0, &id0).await.status, 429);
    // Other tickets are not held back by it.
    assert_eq!(lookup(&app, &t1, &id1).await.status, 200);
    // The next window opens again.
    f.at(&app, &clock, "2026-04-17T10:20:00+08:00").await;
    assert_eq!(lookup(&app, &t0, &id0).await.status, 200);
    // One address, whatever the tickets: thirty attempts a window.
    let mut statuses = Vec::new();
    for i in 0..30 {
        statuses.push(lookup(&app, &format!("5{i:07}"), &id0).await.status);
    }
    assert_eq!(statuses[..29], [404; 29], "{statuses:?}");
    assert_eq!(statuses[29], 429, "{statuses:?}");
    app.stop().await;
}
