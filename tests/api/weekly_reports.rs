//! 周报管理 over HTTP on a manual clock: one report per school and period,
//! the submit / withdraw / review cycle with its 审核记录, the deadline at
//! the next period's start, the province's cycle, the period closer
//! (逾期未提交, idempotent) and cross-tenant probes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use vslc_api_tests::{Resp, TestApp, spawn_app_with};
use vslc_ports::ManualClock;

const DUPLICATE: &str = "本周周报已提交，请勿重复提交";
const TOO_LATE: &str = "提交时间已过，该周报目前不能提交，谢谢";

fn at(cst: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{cst}+08:00"))
        .unwrap()
        .to_utc()
}

/// Wednesday 2026-03-04 10:00 China time: the week 03-02 – 03-08.
async fn app() -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(at("2026-03-04T10:00:00")));
    let app = spawn_app_with(clock.clone()).await;
    // The closer's first run makes this week the current period.
    app.run_period_closer().await;
    (app, clock)
}

fn report(content: &str, submit: bool) -> Value {
    json!({"content": content, "figures": {"candidates": 3, "registrations": 2, "exams": 0, "certificates": 0}, "submit": submit})
}

fn message(r: &Resp) -> &str {
    r.body["message"].as_str().unwrap_or_default()
}

fn actions(r: &Resp) -> Vec<String> {
    r.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_report_is_written_once_per_week_submitted_withdrawn_returned_and_approved() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let province = app.login("province-admin").await;

    let cur = app.get("/api/weekly-reports/current", Some(&school)).await;
    assert_eq!(cur.status, 200, "{}", cur.body);
    assert_eq!(cur.body["periodLabel"], "2026-03-02 至 2026-03-08");
    assert_eq!(cur.body["deadline"], "2026-03-09 00:00:00");
    assert_eq!(cur.body["period"]["cycle"], "周报");
    assert!(cur.body["report"].is_null());
    assert_eq!(cur.body["figures"]["candidates"], 0);
    // Figures come from live data: a candidate added this week counts.
    let r = app
        .post(
            "/api/candidates",
            Some(&school),
            json!({"kind": "school", "name": "周报考生", "namePinyin": "ZHOU BAO", "idType": "身份证",
                   "idNumber": vslc_api_tests::id_number(9, 9), "phone": "18512340926",
                   "majorCode": "510201", "enrolmentYear": 2024}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let cur = app.get("/api/weekly-reports/current", Some(&school)).await;
    assert_eq!(cur.body["figures"]["candidates"], 1);

    let r = app
        .post(
            "/api/weekly-reports",
            Some(&school),
            report("<p><br></p>", false),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(message(&r), "请填写周报内容");
    let r = app
        .post(
            "/api/weekly-reports",
            Some(&school),
            report("<p>本周完成考生导入<img src=x onerror=alert(1)></p>", false),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["status"], "未提交");
    assert!(!r.body["content"].as_str().unwrap().contains("onerror"));
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(id, "10009-20260302-20260308");
    let r = app
        .post(
            "/api/weekly-reports",
            Some(&school),
            report("<p>再写一份</p>", true),
        )
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(message(&r), DUPLICATE);
    let cur = app.get("/api/weekly-reports/current", Some(&school)).await;
    assert_eq!(cur.body["report"]["id"], id.as_str());

    // Drafts stay the school's.
    assert_eq!(
        app.get("/api/weekly-reports/review", Some(&province))
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let path = format!("/api/weekly-reports/{id}");
    let r = app
        .put_json(&path, &school, report("<p>修改后的内容</p>", false))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // 提交 → 撤回 → 提交.
    let r = app
        .post(&format!("{path}/submit"), Some(&school), json!({}))
        .await;
    assert_eq!(r.body["status"], "待审核", "{}", r.body);
    for (r, what) in [
        (
            app.put_json(&path, &school, report("<p>x</p>", false))
                .await,
            "编辑",
        ),
        (app.delete(&path, &school).await, "删除"),
        (
            app.post(&format!("{path}/submit"), Some(&school), json!({}))
                .await,
            "提交",
        ),
    ] {
        assert_eq!(r.status, 409, "{what}: {}", r.body);
    }
    let r = app
        .post(&format!("{path}/withdraw"), Some(&school), json!({}))
        .await;
    assert_eq!(r.body["status"], "未提交", "{}", r.body);
    assert_eq!(
        app.post(&format!("{path}/withdraw"), Some(&school), json!({}))
            .await
            .status,
        409
    );
    let r = app
        .post(&format!("{path}/submit"), Some(&school), json!({}))
        .await;
    assert_eq!(r.body["status"], "待审核");

    // The province returns it with a reason; the school edits and resubmits.
    let review = format!("/api/weekly-reports/review/{id}");
    let list = app
        .get("/api/weekly-reports/review?status=待审核", Some(&province))
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.post(
            &format!("{review}/return"),
            Some(&province),
            json!({"reason": ""})
        )
        .await
        .status,
        400
    );
    let r = app
        .post(
            &format!("{review}/return"),
            Some(&province),
            json!({"reason": "请补充考务安排"}),
        )
        .await;
    assert_eq!(r.body["status"], "审核退回", "{}", r.body);
    let r = app
        .put_json(&path, &school, report("<p>补充了考务安排</p>", true))
        .await;
    assert_eq!(r.body["status"], "待审核", "{}", r.body);
    let r = app
        .post(&format!("{review}/approve"), Some(&province), json!({}))
        .await;
    assert_eq!(r.body["status"], "审核通过", "{}", r.body);
    assert_eq!(
        app.post(&format!("{review}/approve"), Some(&province), json!({}))
            .await
            .status,
        409
    );

    let r = app.get(&path, Some(&school)).await;
    assert_eq!(
        actions(&r),
        vec!["提交", "撤回", "提交", "审核退回", "提交", "审核通过"]
    );
    assert_eq!(r.body["history"][3]["reason"], "请补充考务安排");
    let mine = app
        .get("/api/weekly-reports?status=审核通过", Some(&school))
        .await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn the_next_period_closes_the_last_and_the_closer_marks_missing_reports_once() {
    let (app, clock) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let r = app
        .post(
            "/api/weekly-reports",
            Some(&school),
            report("<p>已提交</p>", true),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app
        .post(
            "/api/weekly-reports",
            Some(&school2),
            report("<p>草稿</p>", false),
        )
        .await;
    let draft = r.body["id"].as_str().unwrap().to_owned();

    // 本期提交情况: one school submitted, the other only has a draft (which
    // the province does not open).
    let province = app.login("province-admin").await;
    let o = app
        .get("/api/weekly-reports/review/overview", Some(&province))
        .await;
    assert_eq!(o.status, 200, "{}", o.body);
    assert_eq!(
        (o.body["total"].as_u64(), o.body["submitted"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(o.body["periodLabel"], "2026-03-02 至 2026-03-08");
    let rows = o.body["schools"].as_array().unwrap();
    assert_eq!(
        (rows[0]["schoolId"].as_str(), rows[0]["status"].as_str()),
        (Some("14361"), Some("未提交"))
    );
    assert!(rows[0]["reportId"].is_null());
    assert_eq!(
        (rows[1]["schoolId"].as_str(), rows[1]["status"].as_str()),
        (Some("10009"), Some("待审核"))
    );
    let last_week = app
        .get(
            "/api/weekly-reports/review/overview?date=2026-02-25",
            Some(&province),
        )
        .await;
    assert_eq!(last_week.body["submitted"], 0);
    assert_eq!(
        app.get(
            "/api/weekly-reports/review/overview?date=03-01",
            Some(&province)
        )
        .await
        .status,
        400
    );
    assert_eq!(
        app.get("/api/weekly-reports/review/overview", Some(&school))
            .await
            .status,
        403
    );

    // Nothing ended yet: the closer changes nothing.
    assert_eq!(app.run_period_closer().await[0], "weekly-reports: 0");

    // Sunday 23:59 is still this week; Monday 00:00 is the next.
    clock.set(at("2026-03-08T23:59:00"));
    let school2 = app.login("school2-admin").await;
    let r = app.get("/api/weekly-reports/current", Some(&school2)).await;
    assert_eq!(r.body["report"]["id"], draft.as_str());
    clock.set(at("2026-03-09T00:00:00"));
    let school2 = app.login("school2-admin").await;
    let r = app
        .post(
            &format!("/api/weekly-reports/{draft}/submit"),
            Some(&school2),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(message(&r), TOO_LATE);
    let r = app
        .put_json(
            &format!("/api/weekly-reports/{draft}"),
            &school2,
            report("<p>补填</p>", true),
        )
        .await;
    assert_eq!(message(&r), TOO_LATE);
    // A new report is always for the current period, never a past one.
    let r = app.get("/api/weekly-reports/current", Some(&school2)).await;
    assert_eq!(r.body["periodLabel"], "2026-03-09 至 2026-03-15");
    assert!(r.body["report"].is_null());

    // The closer: the draft becomes 逾期未提交; the submitted one stays.
    assert_eq!(app.run_period_closer().await[0], "weekly-reports: 1");
    let r = app
        .get(&format!("/api/weekly-reports/{draft}"), Some(&school2))
        .await;
    assert_eq!(r.body["status"], "逾期未提交");
    let version = r.body["version"].clone();
    assert_eq!(
        app.run_period_closer().await[0],
        "weekly-reports: 0",
        "idempotent"
    );
    let r = app
        .get(&format!("/api/weekly-reports/{draft}"), Some(&school2))
        .await;
    assert_eq!(r.body["version"], version);
    let school = app.login("school-admin").await;
    let mine = app.get("/api/weekly-reports", Some(&school)).await;
    assert_eq!(mine.body["items"][0]["status"], "待审核");

    // Two weeks pass without reports: each school gets one 逾期未提交 per week.
    clock.set(at("2026-03-23T09:00:00"));
    assert_eq!(app.run_period_closer().await[0], "weekly-reports: 4");
    assert_eq!(app.run_period_closer().await[0], "weekly-reports: 0");
    let province = app.login("province-admin").await;
    let overdue = app
        .get(
            "/api/weekly-reports/review?status=逾期未提交",
            Some(&province),
        )
        .await;
    assert_eq!(overdue.body["items"].as_array().unwrap().len(), 5);
    let week = app
        .get(
            "/api/weekly-reports/review?date=2026-03-11",
            Some(&province),
        )
        .await;
    assert_eq!(
        week.body["items"].as_array().unwrap().len(),
        2,
        "both schools, week of 03-09"
    );
    // The school's own list by day: the one report whose period holds it.
    let school = app.login("school-admin").await;
    let mine = app
        .get("/api/weekly-reports?date=2026-03-15", Some(&school))
        .await;
    let items = mine.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", mine.body);
    assert_eq!(items[0]["period"]["start"], "2026-03-09", "{}", mine.body);
    // A day that is not one answers 400 on both lists.
    for (path, token) in [
        ("/api/weekly-reports?date=2026-3-1x", &school),
        ("/api/weekly-reports/review?date=03-11", &province),
        // Days a date holds but no period arithmetic should meet.
        ("/api/weekly-reports?date=-262143-01-01", &school),
        ("/api/weekly-reports/review?date=-262143-01-01", &province),
        (
            "/api/weekly-reports/review/overview?date=%2B262143-12-20",
            &province,
        ),
    ] {
        let r = app.get(path, Some(token)).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("BAD_DATE")),
            "{path}: {}",
            r.body
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn the_province_switches_to_half_months_from_the_next_period() {
    let (app, clock) = app().await;
    let province = app.login("province-admin").await;
    let school = app.login("school-admin").await;
    assert_eq!(
        app.put_json(
            "/api/weekly-reports/cycle",
            &school,
            json!({"cycle": "半月报"})
        )
        .await
        .status,
        403
    );
    let r = app
        .put_json(
            "/api/weekly-reports/cycle",
            &province,
            json!({"cycle": "半月报"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["cycle"], "周报", "this week stays a week");
    // Half months start with a whole one (03-16); the week 03-09 stays a week.
    assert_eq!(
        r.body["pending"],
        json!({"from": "2026-03-16", "cycle": "半月报"})
    );
    let r = app.get("/api/weekly-reports/cycle", Some(&school)).await;
    assert_eq!(r.body["pending"]["cycle"], "半月报");

    clock.set(at("2026-03-10T09:00:00"));
    let school = app.login("school-admin").await;
    let r = app.get("/api/weekly-reports/current", Some(&school)).await;
    assert_eq!(r.body["periodLabel"], "2026-03-09 至 2026-03-15");
    assert_eq!(r.body["period"]["cycle"], "周报");
    let r = app
        .post(
            "/api/weekly-reports",
            Some(&school),
            report("<p>上半月</p>", true),
        )
        .await;
    assert_eq!(r.status, 201);
    clock.set(at("2026-03-16T09:00:00"));
    let school = app.login("school-admin").await;
    let r = app.get("/api/weekly-reports/current", Some(&school)).await;
    assert_eq!(r.body["periodLabel"], "2026-03-16 至 2026-03-31");
    // The closer closed the weeks 03-02 and 03-09 (one school reported for
    // the second).
    assert_eq!(app.run_period_closer().await[0], "weekly-reports: 3");
    app.stop().await;
}

#[tokio::test]
async fn a_switch_never_leaves_a_period_of_a_day_or_two() {
    // Monday 2026-12-07: the half month 12-01 – 12-15 has only 12-14 and
    // 12-15 left after this week, too little for a period of its own.
    let clock = Arc::new(ManualClock::new(at("2026-12-07T10:00:00")));
    let app = spawn_app_with(clock.clone()).await;
    app.run_period_closer().await;
    let province = app.login("province-admin").await;
    let r = app
        .put_json(
            "/api/weekly-reports/cycle",
            &province,
            json!({"cycle": "半月报"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["currentLabel"], "2026-12-07 至 2026-12-13");
    assert_eq!(
        r.body["pending"],
        json!({"from": "2027-01-01", "cycle": "半月报"})
    );
    for (day, label, cycle) in [
        ("2026-12-15T10:00:00", "2026-12-14 至 2026-12-20", "周报"),
        ("2026-12-29T10:00:00", "2026-12-21 至 2026-12-31", "周报"),
        ("2027-01-05T10:00:00", "2027-01-01 至 2027-01-15", "半月报"),
    ] {
        clock.set(at(day));
        let school = app.login("school-admin").await;
        let r = app.get("/api/weekly-reports/current", Some(&school)).await;
        assert_eq!(r.body["periodLabel"], label, "{day}");
        assert_eq!(r.body["period"]["cycle"], cycle, "{day}");
    }
    // On 12-16 nothing but the week 12-07 – 12-13 has ended: no school is
    // overdue for a two-day period.
    clock.set(at("2026-12-16T09:00:00"));
    assert_eq!(app.run_period_closer().await[0], "weekly-reports: 2");
    let school = app.login("school-admin").await;
    let r = app.get("/api/weekly-reports", Some(&school)).await;
    let labels: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["periodLabel"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["2026-12-07 至 2026-12-13"], "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn reports_stay_within_their_school_and_province() {
    let (app, _) = app().await;
    let school = app.login("school-admin").await;
    let school2 = app.login("school2-admin").await;
    let org = app.login("org-admin").await;
    let r = app
        .post(
            "/api/weekly-reports",
            Some(&school),
            report("<p>内容</p>", false),
        )
        .await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/weekly-reports/{id}");
    assert_eq!(
        app.get("/api/weekly-reports", Some(&school2)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(app.get(&path, Some(&school2)).await.status, 404);
    assert_eq!(
        app.put_json(&path, &school2, report("<p>x</p>", false))
            .await
            .status,
        404
    );
    assert_eq!(app.delete(&path, &school2).await.status, 404);
    assert_eq!(
        app.post(&format!("{path}/submit"), Some(&school2), json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(&format!("{path}/withdraw"), Some(&school2), json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/api/weekly-reports/review", Some(&school))
            .await
            .status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/api/weekly-reports/review/{id}/approve"),
            Some(&school),
            json!({})
        )
        .await
        .status,
        403
    );
    assert_eq!(app.get("/api/weekly-reports", Some(&org)).await.status, 403);
    assert_eq!(
        app.get("/api/weekly-reports/current", Some(&org))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get("/api/weekly-reports/review", Some(&org))
            .await
            .status,
        403
    );

    // Another province: none of Beijing's reports.
    let r = app
        .post(&format!("{path}/submit"), Some(&school), json!({}))
        .await;
    assert_eq!(r.status, 200);
    app.add_account(
        "sh-province",
        vslc_accounts::Tenant::new(vslc_accounts::TenantKind::Province, "310000"),
        "上海市教育委员会",
        vslc_accounts::Role::ProvinceAdmin,
    )
    .await;
    let sh = app.login("sh-province").await;
    assert_eq!(
        app.get("/api/weekly-reports/review", Some(&sh)).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let review = format!("/api/weekly-reports/review/{id}");
    assert_eq!(app.get(&review, Some(&sh)).await.status, 404);
    assert_eq!(
        app.post(&format!("{review}/approve"), Some(&sh), json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(
            &format!("{review}/return"),
            Some(&sh),
            json!({"reason": "x"})
        )
        .await
        .status,
        404
    );
    let o = app
        .get("/api/weekly-reports/review/overview", Some(&sh))
        .await;
    assert_eq!(
        (o.body["total"].as_u64(), o.body["submitted"].as_u64()),
        (Some(0), Some(0))
    );
    // Its reporting cycle is its own.
    let r = app
        .put_json("/api/weekly-reports/cycle", &sh, json!({"cycle": "半月报"}))
        .await;
    assert_eq!(r.body["pending"]["cycle"], "半月报", "{}", r.body);
    let beijing = app.get("/api/weekly-reports/cycle", Some(&school)).await;
    assert!(beijing.body["pending"].is_null(), "{}", beijing.body);
    // The city reviewer is no 省级管理员 for reports.
    let city = app.login("city-reviewer").await;
    assert_eq!(
        app.post(&format!("{review}/approve"), Some(&city), json!({}))
            .await
            .status,
        403
    );
    app.stop().await;
}
