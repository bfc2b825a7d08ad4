//! 排考管理 over HTTP: 考核站点编排 and its status through the 排考 window,
//! 排考 by the site's school (interleaved, reproducible, idempotent, one at
//! a time), too few seats, clashing exam times, 准考证号, invigilators,
//! 手动调整 and 取消编排, 考场编排 and 排考明细 with their exports, and every
//! route's tenant checks.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use vslc_api_tests::{
    TestApp, XCell, column, id_number, spawn_app_configured, spawn_app_with, typed_sheet, workbook,
};

fn text(c: &XCell) -> String {
    match c {
        XCell::Text(t) => t.clone(),
        XCell::Number(n) => n.to_string(),
        XCell::Empty => String::new(),
    }
}
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_ports::ManualClock;
use vslc_ports::table::Update;

pub(crate) const SUBJECT1: &str = "01DEMOSUBJ0000000000000001";
pub(crate) const SUBJECT2: &str = "01DEMOSUBJ0000000000000002";
const CERT: &str = "Web前端开发职业技能等级证书";

/// 2026-03-01 08:00 China time: the demo plan is in 报名; its 排考时间 is
/// 2026-03-16 08:00 to 03-26 18:00, 理论知识 on 03-31 09:00–10:30 and
/// 实操技能 on 03-31 14:00–16:00.
pub(crate) async fn app() -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
            .unwrap()
            .to_utc(),
    ));
    (spawn_app_with(clock.clone()).await, clock)
}

/// The fixture inside the 排考 window with 理论知识 arranged by the host.
pub(crate) async fn arranged() -> (TestApp, Arc<ManualClock>, Fixture) {
    let (app, clock) = app().await;
    let mut f = fixture(&app).await;
    f.at(&app, &clock, IN_WINDOW).await;
    assert_eq!(
        arrange(&app, &f.school, &f.site, SUBJECT1).await.status,
        200
    );
    (app, clock, f)
}

pub(crate) fn at(clock: &ManualClock, cst: &str) {
    clock.set(
        DateTime::parse_from_rfc3339(cst)
            .unwrap()
            .with_timezone(&Utc),
    );
}

pub(crate) const IN_WINDOW: &str = "2026-03-17T10:00:00+08:00";

/// Declares and approves the 初级 Web前端 site of 北方工业大学, and lends
/// it to 北京示范职业技术学院 for the demo plan.
pub(crate) async fn site(app: &TestApp, school: &str, org: &str) -> String {
    let id = crate::exam::approved_site(app, school, org).await;
    let r = app
        .post(
            "/api/sites/allocations",
            Some(org),
            json!({"planId": DEMO_PLAN_ID, "schoolId": "14361", "certificateId": "CERT0101",
                   "level": "初级", "siteId": id}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    id
}

pub(crate) async fn room(
    app: &TestApp,
    token: &str,
    site: &str,
    subject: &str,
    name: &str,
    seats: u32,
) -> String {
    let r = app
        .post(
            "/api/rooms",
            Some(token),
            json!({"planId": DEMO_PLAN_ID, "siteId": site, "certificateId": "CERT0101",
                   "subjectIds": [subject], "name": name, "seats": seats}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

/// Registers `n` new 信息准确 candidates of a school for 初级 (both subjects).
pub(crate) async fn register(app: &TestApp, token: &str, school_id: &str, seed: u32, n: u32) {
    let mut nos = Vec::new();
    for i in 0..n {
        let r = app
            .post(
                "/api/candidates",
                Some(token),
                json!({"kind": "school", "name": format!("考生{school_id}{i}"), "namePinyin": "KAO SHENG",
                       "idType": "身份证", "idNumber": id_number(seed + i, i), "phone": "18512340926",
                       "majorCode": "510201", "enrolmentYear": 2024}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let no = r.body["candidateNo"].as_str().unwrap().to_owned();
        // With a photo, as the 准考证 and 桌贴 show it.
        let key = format!("photos/school/{school_id}/{no}.jpg");
        app.put_document(&key, vslc_api_tests::jpeg(295, 413), "image/jpeg")
            .await;
        app.set_candidate_of(
            school_id,
            &no,
            Update::new().set("status", "信息准确").set("photoKey", key),
        )
        .await;
        nos.push(no);
    }
    let mut rows = vec![vec![
        "*考生编号或证件号码",
        "姓名",
        "*考试证书",
        "*证书等级",
    ]];
    rows.extend(nos.iter().map(|n| vec![n.as_str(), "", CERT, "初级"]));
    let id = app
        .upload_import_with(
            token,
            "registrations-by-certificate",
            "报考.xlsx",
            workbook(&rows),
            false,
            json!({"planId": DEMO_PLAN_ID}),
        )
        .await;
    let rec = app.wait_import(token, &id).await;
    assert_eq!(rec["success"], n, "{rec}");
}

/// Generates the school's order and has the org confirm it.
pub(crate) async fn pay(app: &TestApp, token: &str, org: &str) {
    let r = app
        .post(
            "/api/payments",
            Some(token),
            json!({"planId": DEMO_PLAN_ID, "certificateId": "CERT0101", "mode": "按证书"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let no = r.body["no"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/payments/review/{no}/confirm"),
            Some(org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

pub(crate) struct Fixture {
    pub(crate) school: String,
    pub(crate) school2: String,
    pub(crate) org: String,
    pub(crate) site: String,
    pub(crate) rooms: Vec<String>,
}

impl Fixture {
    /// Moves the clock and logs in again (sessions expire over days).
    pub(crate) async fn at(&mut self, app: &TestApp, clock: &ManualClock, cst: &str) {
        at(clock, cst);
        self.school = app.login("school-admin").await;
        self.school2 = app.login("school2-admin").await;
        self.org = app.login("org-admin").await;
    }
}

/// 北方工业大学 runs the site with a room of 5 seats; 北京示范 borrows it and
/// sets up a room of 6 there, both for 理论知识. 6 and 4 paid candidates,
/// and one more of the host's registered but not paid.
pub(crate) async fn fixture(app: &TestApp) -> Fixture {
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let site = site(app, &school, &org).await;
    let rooms = vec![
        room(app, &school, &site, SUBJECT1, "第1考场", 5).await,
        room(app, &school2, &site, SUBJECT1, "第2考场", 6).await,
    ];
    register(app, &school, "10009", 100, 6).await;
    register(app, &school2, "14361", 200, 4).await;
    pay(app, &school, &org).await;
    pay(app, &school2, &org).await;
    register(app, &school, "10009", 300, 1).await;
    Fixture {
        school,
        school2,
        org,
        site,
        rooms,
    }
}

pub(crate) fn row_id(site: &str, subject: &str) -> String {
    format!("{DEMO_PLAN_ID}.{site}.{subject}")
}

pub(crate) async fn rows(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app
        .get(
            &format!("/api/scheduling/sites?planId={DEMO_PLAN_ID}&pageSize=100"),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

pub(crate) async fn row(app: &TestApp, token: &str, site: &str, subject: &str) -> Value {
    rows(app, token)
        .await
        .into_iter()
        .find(|r| r["id"] == row_id(site, subject).as_str())
        .expect("the row")
}

pub(crate) async fn arrange(
    app: &TestApp,
    token: &str,
    site: &str,
    subject: &str,
) -> vslc_api_tests::Resp {
    app.post(
        &format!("/api/scheduling/sites/{}/arrange", row_id(site, subject)),
        Some(token),
        json!({}),
    )
    .await
}

pub(crate) async fn seat_map(app: &TestApp, token: &str, room: &str, subject: &str) -> Value {
    let r = app
        .get(
            &format!("/api/scheduling/rooms/{room}.{subject}"),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// (seat, school, 准考证号) of the taken seats of a room.
pub(crate) fn taken(map: &Value) -> Vec<(u64, String, String)> {
    map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["schoolName"].as_str().unwrap().is_empty())
        .map(|s| {
            (
                s["seat"].as_u64().unwrap(),
                s["schoolName"].as_str().unwrap().to_owned(),
                s["ticketNo"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn registration_statuses(app: &TestApp, token: &str) -> Vec<String> {
    let r = app
        .get(
            &format!("/api/registrations?planId={DEMO_PLAN_ID}&pageSize=100"),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut out: Vec<String> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn arrangement_interleaves_schools_is_reproducible_and_runs_once() {
    let (app, clock) = app().await;
    let mut f = fixture(&app).await;

    // Before the window: 未开始, and no arranging.
    let r = row(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r["status"], "未开始", "{r}");
    assert_eq!(r["registered"], 10, "paid only: {r}");
    assert_eq!(r["borrowed"], false);
    let r2 = row(&app, &f.school2, &f.site, SUBJECT1).await;
    assert_eq!(r2["borrowed"], true, "{r2}");
    let r = arrange(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "SCHEDULING_CLOSED");
    assert!(
        r.body["message"].as_str().unwrap().contains("尚未开始"),
        "{}",
        r.body
    );

    // The window's edges: a second before it opens, and the moment it does.
    f.at(&app, &clock, "2026-03-16T07:59:59+08:00").await;
    assert_eq!(
        row(&app, &f.school, &f.site, SUBJECT1).await["status"],
        "未开始"
    );
    assert_eq!(
        arrange(&app, &f.school, &f.site, SUBJECT1).await.status,
        409
    );
    f.at(&app, &clock, "2026-03-16T08:00:00+08:00").await;
    assert_eq!(
        row(&app, &f.school, &f.site, SUBJECT1).await["status"],
        "未排考"
    );
    // The borrowing school sees the row but does not arrange the host's site.
    let r = arrange(&app, &f.school2, &f.site, SUBJECT1).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        r.body["message"],
        "借考考核站点的考生由站点所属院校（北方工业大学）排考"
    );

    // Two at once: exactly ten seats given, whoever wins.
    let (a, b) = tokio::join!(
        arrange(&app, &f.school, &f.site, SUBJECT1),
        arrange(&app, &f.school, &f.site, SUBJECT1)
    );
    let mut seated = 0;
    for r in [&a, &b] {
        assert!(r.status == 200 || r.status == 409, "{}", r.body);
        if r.status == 200 {
            seated += r.body["seated"].as_u64().unwrap();
        } else {
            assert_eq!(r.body["code"], "ARRANGING");
        }
    }
    assert_eq!(seated, 10, "{} / {}", a.body, b.body);
    let r = row(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r["status"], "已排完", "{r}");
    assert_eq!(r["seated"], 10);

    // Seats: 5 + 5 of 5 + 6, never a neighbour of the same school (6 and
    // 4 can be mixed), 准考证号 unique and 26 digits.
    let first: Vec<Vec<(u64, String, String)>> = {
        let mut v = Vec::new();
        for room in &f.rooms {
            v.push(taken(&seat_map(&app, &f.school, room, SUBJECT1).await));
        }
        v
    };
    assert_eq!(first.iter().map(Vec::len).sum::<usize>(), 10);
    assert!(first[0].len() <= 5 && first[1].len() <= 6);
    let mut tickets = HashSet::new();
    for room in &first {
        for w in room.windows(2) {
            if w[1].0 == w[0].0 + 1 {
                assert_ne!(w[0].1, w[1].1, "same-school neighbours: {room:?}");
            }
        }
        for (_, _, t) in room {
            assert_eq!(t.len(), 26, "{t}");
            assert!(t.starts_with("20260331"), "the exam date first: {t}");
            assert!(tickets.insert(t.clone()), "{t} twice");
        }
    }

    // Again: nothing changes.
    let r = arrange(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["seated"], 0);
    assert_eq!(r.body["already"], 10);
    for (i, room) in f.rooms.iter().enumerate() {
        assert_eq!(
            taken(&seat_map(&app, &f.school, room, SUBJECT1).await),
            first[i]
        );
    }

    // The borrower sees the host's room with only its own candidates named.
    let map = seat_map(&app, &f.school2, &f.rooms[0], SUBJECT1).await;
    for s in map["seats"].as_array().unwrap() {
        if s["schoolName"] == "北方工业大学" {
            assert!(s["candidateName"].is_null(), "{s}");
        }
        if s["schoolName"] == "北京示范职业技术学院" {
            assert!(s["candidateName"].is_string(), "{s}");
            assert!(s["idNumber"].as_str().unwrap().contains('*'), "{s}");
        }
    }
    assert_eq!(map["editable"], false);

    // 报考状态: seated 待考试, the unpaid one 未排考; exam time moves them.
    assert_eq!(
        registration_statuses(&app, &f.school).await,
        [
            "待考试",
            "待考试",
            "待考试",
            "待考试",
            "待考试",
            "待考试",
            "未排考"
        ]
    );
    f.at(&app, &clock, "2026-03-31T09:30:00+08:00").await;
    let st = registration_statuses(&app, &f.school).await;
    assert_eq!(st.iter().filter(|s| *s == "考试中").count(), 6, "{st:?}");
    f.at(&app, &clock, "2026-04-01T09:30:00+08:00").await;
    let st = registration_statuses(&app, &f.school).await;
    assert_eq!(st.iter().filter(|s| *s == "已结束").count(), 6, "{st:?}");
    assert_eq!(
        row(&app, &f.school, &f.site, SUBJECT1).await["status"],
        "已结束"
    );
    let r = arrange(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r.status, 409);
    assert!(
        r.body["message"].as_str().unwrap().contains("已结束"),
        "{}",
        r.body
    );
    app.stop().await;
}

#[tokio::test]
async fn too_few_seats_write_nothing_and_clashing_times_are_refused_with_both_named() {
    let (app, clock) = app().await;
    let mut f = fixture(&app).await;
    let small = room(&app, &f.school, &f.site, SUBJECT2, "实操1室", 4).await;
    f.at(&app, &clock, IN_WINDOW).await;
    let r = arrange(&app, &f.school, &f.site, SUBJECT2).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "NOT_ENOUGH_SEATS");
    assert_eq!(
        r.body["message"],
        "考位不足：待排考10人，空余考位4个，还差6个考位，请增加考场或座位数后再排考"
    );
    assert_eq!(row(&app, &f.school, &f.site, SUBJECT2).await["seated"], 0);
    let r = app
        .get("/api/scheduling/details?pageSize=100", Some(&f.school))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0, "{}", r.body);

    // 排考中 rooms may grow; the 实操 exam is moved onto the 理论 one.
    let r = app
        .put_json(
            &format!("/api/rooms/{small}"),
            &f.school,
            json!({"planId": DEMO_PLAN_ID, "siteId": f.site, "certificateId": "CERT0101",
                   "subjectIds": [SUBJECT2], "name": "实操1室", "seats": 12}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.edit_plan(DEMO_PLAN_ID, |p| {
        let one = p.subjects[0].exam.clone();
        p.subjects[1].exam = vslc_exam::Window {
            start: "2026-03-31 10:00:00".into(),
            end: "2026-03-31 12:00:00".into(),
        };
        assert_eq!(one.start, "2026-03-31 09:00:00");
    })
    .await;
    let r = arrange(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r.body["seated"], 10, "{}", r.body);
    let r = arrange(&app, &f.school, &f.site, SUBJECT2).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["seated"], 0, "{}", r.body);
    assert_eq!(r.body["skippedCount"], 10);
    let reason = r.body["skipped"][0].as_str().unwrap();
    assert!(
        reason.contains("已排考的科目“理论知识”（2026-03-31 09:00:00 至 2026-03-31 10:30:00）与科目“实操技能”（2026-03-31 10:00:00 至 2026-03-31 12:00:00）考试时间冲突"),
        "{reason}"
    );
    assert_eq!(
        row(&app, &f.school, &f.site, SUBJECT2).await["status"],
        "未排考"
    );
    app.stop().await;
}

async fn adjust(app: &TestApp, token: &str, room: &str, body: Value) -> vslc_api_tests::Resp {
    app.post(
        &format!("/api/scheduling/rooms/{room}.{SUBJECT1}/adjust"),
        Some(token),
        body,
    )
    .await
}

#[tokio::test]
async fn seats_move_swap_and_cancel_while_the_window_is_open_and_numbers_stay() {
    let (app, clock) = app().await;
    let mut f = fixture(&app).await;
    f.at(&app, &clock, IN_WINDOW).await;
    let r = arrange(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let big = f.rooms[1].clone();
    let before = taken(&seat_map(&app, &f.school, &big, SUBJECT1).await);
    assert_eq!(before.len(), 5, "{before:?}");
    // Bad input answers in Chinese and changes nothing.
    for (body, message) in [
        (json!({"seat": 1, "toSeat": 0}), "目标座位号须在1到6之间"),
        (json!({"seat": 1, "toSeat": 7}), "目标座位号须在1到6之间"),
        (json!({"seat": 6, "toSeat": 1}), "6号座位没有考生"),
        (json!({"seat": 1, "toSeat": 1}), "目标座位与原座位相同"),
        (
            json!({"seat": 1, "toSeat": 2, "toRoomId": "NOPE"}),
            "目标考场不是该科目在本考核站点的考场",
        ),
    ] {
        let r = adjust(&app, &f.school, &big, body).await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert_eq!(r.body["message"], message);
    }
    let r = app
        .post(
            &format!("/api/scheduling/rooms/{big}.{SUBJECT1}/adjust"),
            Some(&f.school2),
            json!({"seat": 1, "toSeat": 6}),
        )
        .await;
    assert_eq!(r.status, 403, "the borrower: {}", r.body);
    // Move seat 1 to the free seat 6, then swap 2 and 3.
    let r = adjust(&app, &f.school, &big, json!({"seat": 1, "toSeat": 6})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = adjust(&app, &f.school, &big, json!({"seat": 2, "toSeat": 3})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = taken(&r.body);
    let find = |v: &[(u64, String, String)], seat: u64| v.iter().find(|s| s.0 == seat).cloned();
    assert_eq!(
        find(&after, 6).unwrap().2,
        find(&before, 1).unwrap().2,
        "numbers stay"
    );
    assert_eq!(find(&after, 2).unwrap().2, find(&before, 3).unwrap().2);
    assert_eq!(find(&after, 3).unwrap().2, find(&before, 2).unwrap().2);
    assert!(find(&after, 1).is_none());

    // 取消编排: back to 未排考, then 排考 again gives the same numbers.
    let path = format!("/api/scheduling/rooms/{big}.{SUBJECT1}");
    assert_eq!(app.delete(&path, &f.school2).await.status, 403);
    let r = app.delete(&path, &f.school).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = row(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r["status"], "排考中", "{r}");
    assert_eq!(r["seated"], 5);
    let r = app.delete(&path, &f.school).await;
    assert_eq!(r.status, 409, "nothing left: {}", r.body);
    let r = arrange(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r.body["seated"], 5, "{}", r.body);
    let again: HashSet<String> = taken(&seat_map(&app, &f.school, &big, SUBJECT1).await)
        .into_iter()
        .map(|s| s.2)
        .collect();
    let was: HashSet<String> = before.into_iter().map(|s| s.2).collect();
    assert_eq!(again, was, "a registration keeps its 准考证号");

    // A move to another room counts in both rooms' 排考人数.
    let small = f.rooms[0].clone();
    let map = seat_map(&app, &f.school, &big, SUBJECT1).await;
    assert_eq!(map["room"]["seated"], 5, "{map}");
    let free = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["candidateName"].is_null())
        .and_then(|s| s["seat"].as_u64())
        .expect("a free seat in the big room");
    let r = adjust(
        &app,
        &f.school,
        &small,
        json!({"seat": 1, "toSeat": free, "toRoomId": big}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["room"]["seated"], 4, "{}", r.body);
    let map = seat_map(&app, &f.school, &big, SUBJECT1).await;
    assert_eq!(map["room"]["seated"], 6, "{map}");
    assert_eq!(row(&app, &f.school, &f.site, SUBJECT1).await["seated"], 10);

    // The window closes at its end: a second before, seats still move; at
    // the end, nothing does.
    f.at(&app, &clock, "2026-03-26T17:59:59+08:00").await;
    let r = adjust(&app, &f.school, &big, json!({"seat": 1, "toSeat": 6})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    f.at(&app, &clock, "2026-03-26T18:00:00+08:00").await;
    let r = adjust(&app, &f.school, &big, json!({"seat": 1, "toSeat": 6})).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["code"], "SCHEDULING_CLOSED");
    assert_eq!(app.delete(&path, &f.school).await.status, 409);
    app.stop().await;
}

#[tokio::test]
async fn rooms_get_certified_invigilators_and_the_exports_carry_the_manuals_columns() {
    let (app, clock) = app().await;
    let mut f = fixture(&app).await;
    f.at(&app, &clock, IN_WINDOW).await;
    let r = app
        .post(
            &format!(
                "/api/scheduling/sites/{}/arrange",
                row_id(&f.site, SUBJECT1)
            ),
            Some(&f.school),
            json!({"invigilatorsPerRoom": 9}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["message"], "每个考场的监考人数须为1到4人");
    let r = arrange(&app, &f.school, &f.site, SUBJECT1).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["roomsShortOfInvigilators"], json!([]), "{}", r.body);

    // Two a room, four different people (the rooms sit at the same time).
    let mut people = HashSet::new();
    for room in &f.rooms {
        let map = seat_map(&app, &f.school, room, SUBJECT1).await;
        let inv = map["room"]["invigilators"].as_array().unwrap();
        assert_eq!(inv.len(), 2, "{map}");
        for i in inv {
            assert!(people.insert(i["invigilatorId"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(people.len(), 4);

    // 考场编排: both schools see the two arranged rooms.
    for token in [&f.school, &f.school2] {
        let r = app.get("/api/scheduling/rooms", Some(token)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["total"], 2, "{}", r.body);
    }
    let r = app
        .post(
            "/api/scheduling/rooms/export",
            Some(&f.school),
            json!({"ids": [], "filter": {}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sheet = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    let headers: Vec<String> = sheet[0].iter().map(text).collect();
    assert_eq!(
        headers,
        [
            "考试计划",
            "考场名称",
            "所属院校",
            "所在地区",
            "考核站点",
            "考试单位",
            "考试证书",
            "考试科目",
            "考试时间",
            "排考人数",
            "准考证姓名（编号）",
            "监考人员姓名（编号）",
            "监考人员所在区域（院校）"
        ]
    );
    assert_eq!(sheet.len(), 3);
    let people_col = column(&sheet, "准考证姓名（编号）");
    let named = text(&sheet[1][people_col]) + &text(&sheet[2][people_col]);
    assert_eq!(named.matches('（').count(), 10, "{named}");
    assert!(text(&sheet[1][column(&sheet, "考试时间")]).contains("2026-03-31 09:00-10:30"));
    let inv_col = column(&sheet, "监考人员姓名（编号）");
    assert_eq!(text(&sheet[1][inv_col]).matches('（').count(), 2);
    // The borrower's export names only its own candidates.
    let r = app
        .post(
            "/api/scheduling/rooms/export",
            Some(&f.school2),
            json!({"ids": [], "filter": {}}),
        )
        .await;
    let sheet = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    let named = text(&sheet[1][people_col]) + &text(&sheet[2][people_col]);
    assert_eq!(named.matches('（').count(), 4, "{named}");
    // 考核站点编排 export of the ticked row.
    let r = app
        .post(
            "/api/scheduling/sites/export",
            Some(&f.school),
            json!({"ids": [row_id(&f.site, SUBJECT1)], "filter": {}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["rows"], 2);

    // 排考明细: each school its own, masked, by cursor; export.
    let r = app
        .get("/api/scheduling/details?pageSize=4", Some(&f.school))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 4);
    let cursor = r.body["nextCursor"].as_str().unwrap().to_owned();
    let r2 = app
        .get(
            &format!("/api/scheduling/details?pageSize=4&cursor={cursor}"),
            Some(&f.school),
        )
        .await;
    assert_eq!(r2.body["items"].as_array().unwrap().len(), 2, "{}", r2.body);
    for item in r.body["items"].as_array().unwrap() {
        assert_eq!(item["schoolId"], "10009");
        assert!(item["idNumber"].as_str().unwrap().contains('*'));
        assert_eq!(item["status"], "待考试");
    }
    let r = app
        .get("/api/scheduling/details?pageSize=100", Some(&f.school2))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 4);
    let r = app
        .post(
            "/api/scheduling/details/export",
            Some(&f.school),
            json!({"ids": [], "filter": {}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sheet = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    assert_eq!(sheet.len(), 7);
    assert!(text(&sheet[1][column(&sheet, "证件号码")]).contains('*'));
    let r = app
        .get("/api/scheduling/details?subjectId=X", Some(&f.school))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let _ = &f.org;
    app.stop().await;
}

#[tokio::test]
async fn every_route_keeps_to_its_schools() {
    let (app, _clock, f) = arranged().await;
    app.add_account(
        "school3-admin",
        vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, "10010"),
        "北京第三测试学院",
        vslc_accounts::Role::SchoolAdmin,
    )
    .await;
    let other = app.login("school3-admin").await;
    let slot = format!("{}.{SUBJECT1}", f.rooms[0]);
    let row = row_id(&f.site, SUBJECT1);
    // Another school: nothing to see, nothing to touch.
    for path in [
        format!("/api/scheduling/sites/{row}"),
        format!("/api/scheduling/rooms/{slot}"),
    ] {
        assert_eq!(app.get(&path, Some(&other)).await.status, 404, "{path}");
    }
    assert_eq!(arrange(&app, &other, &f.site, SUBJECT1).await.status, 404);
    let r = app
        .post(
            &format!("/api/scheduling/rooms/{slot}/adjust"),
            Some(&other),
            json!({"seat": 1, "toSeat": 2}),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        app.delete(&format!("/api/scheduling/rooms/{slot}"), &other)
            .await
            .status,
        404
    );
    for path in [
        "/api/scheduling/sites",
        "/api/scheduling/rooms",
        "/api/scheduling/details",
    ] {
        let r = app.get(path, Some(&other)).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert_eq!(r.body["items"].as_array().unwrap().len(), 0, "{path}");
        // Its exports, even naming the other school's rows, hold nothing.
        let export = format!("{path}/export");
        let ids = json!({"ids": [row.clone(), slot.clone()], "filter": {}});
        let r = app.post(&export, Some(&other), ids.clone()).await;
        assert_eq!(r.status, 200, "{export}: {}", r.body);
        assert_eq!(r.body["rows"], 0, "{export}");
        let r = app.post(&export, Some(&f.org), ids).await;
        assert_eq!(r.status, 403, "{export}: {}", r.body);
    }
    // Orgs and provinces do not use the school's pages.
    let province = app.login("province-admin").await;
    for token in [&f.org, &province] {
        for path in [
            "/api/scheduling/sites".to_owned(),
            "/api/scheduling/rooms".to_owned(),
            "/api/scheduling/details".to_owned(),
            format!("/api/scheduling/sites/{row}"),
            format!("/api/scheduling/rooms/{slot}"),
        ] {
            assert_eq!(app.get(&path, Some(token)).await.status, 403, "{path}");
        }
        assert_eq!(arrange(&app, token, &f.site, SUBJECT1).await.status, 403);
    }
    // Unknown and malformed ids.
    for path in [
        "/api/scheduling/sites/nothing".to_owned(),
        format!("/api/scheduling/sites/{DEMO_PLAN_ID}.{}.NOPE", f.site),
        "/api/scheduling/rooms/nothing".to_owned(),
    ] {
        assert_eq!(app.get(&path, Some(&f.school)).await.status, 404, "{path}");
    }
    assert_eq!(app.get("/api/scheduling/sites", None).await.status, 401);
    app.stop().await;
}

/// The demo's 排考 plan (`VSLC_SEED_SCHEDULING`, on for `vslc-local`) is
/// ready to arrange as soon as the store is seeded: 24 paid candidates of
/// two schools into the two 理论知识 rooms, with invigilators.
#[tokio::test]
async fn the_demo_scheduling_plan_arranges_out_of_the_box() {
    let app = spawn_app_configured(Arc::new(vslc_ports::SystemClock), |c| {
        c.seed_scheduling = true;
    })
    .await;
    let host = app.login("school3-admin").await;
    let guest = app.login("school4-admin").await;
    let plan = vslc_app::seed::scheduling::SCHEDULING_PLAN_ID;
    let r = app
        .get(&format!("/api/scheduling/sites?planId={plan}"), Some(&host))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", r.body);
    let theory = items
        .iter()
        .find(|i| i["subjectName"] == "理论知识")
        .unwrap()
        .clone();
    assert_eq!(theory["status"], "未排考", "{theory}");
    assert_eq!(theory["registered"], 24);
    let id = theory["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/scheduling/sites/{id}/arrange"),
            Some(&host),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["seated"], 24, "{}", r.body);
    assert_eq!(r.body["rooms"], 2);
    assert_eq!(r.body["roomsShortOfInvigilators"], json!([]));
    let r = app
        .get("/api/scheduling/details?pageSize=100", Some(&guest))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 10, "{}", r.body);
    let r = app
        .get(
            &format!("/api/registrations?planId={plan}&pageSize=100"),
            Some(&host),
        )
        .await;
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 14);
    assert!(
        items
            .iter()
            .all(|i| i["status"] == "待考试" && i["paid"] == true)
    );
    // Its 实操 room holds 30: the second subject arranges too.
    let practice = app
        .get(
            &format!("/api/scheduling/sites?planId={plan}&subject=WEB02"),
            Some(&host),
        )
        .await;
    let id = practice.body["items"][0]["id"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/api/scheduling/sites/{id}/arrange"),
            Some(&host),
            json!({}),
        )
        .await;
    assert_eq!(r.body["seated"], 24, "{}", r.body);
    app.stop().await;
}
