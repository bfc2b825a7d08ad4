//! 报考列表 at scale: keyset pages over the school's shards (the list rows
//! of every plan, or a plan's registrations), newest first, totals from
//! counters. The order stays stable while registrations arrive, a cursor a
//! client made up answers 400, the counters stay exact under concurrent
//! imports and deletes, and every filter answers what it names.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use base64::Engine;
use chrono::DateTime;
use serde_json::{Value, json};
use vslc_api_tests::{TestApp, candidate_roster as roster, id_number, spawn_app_with};
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_ports::ManualClock;
use vslc_ports::table::Update;

const CERT: &str = "Web前端开发职业技能等级证书";
const HEAD: [&str; 4] = ["*考生编号或证件号码", "姓名", "*考试证书", "*证书等级"];

/// 2026-03-01 08:00 China time: the demo plan (按证书) is in 报名.
async fn app() -> TestApp {
    let clock = Arc::new(ManualClock::new(
        DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
            .unwrap()
            .to_utc(),
    ));
    spawn_app_with(clock).await
}

fn ids(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|i| id_number(i, i)).collect()
}

/// Imports a roster of `count` 院校考生 (ID numbers `ids(0..count)`, names
/// 学生0, 学生1, …; major 510201, which the certificate admits) and makes
/// each 信息准确; returns their 考生编号 in roster order.
async fn people(app: &TestApp, token: &str, count: u32) -> Vec<String> {
    let r = app.post("/api/imports", Some(token), json!({"type": "candidates", "fileName": "考生.xlsx", "params": {"kind": "school"}, "dryRun": false})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.put_upload(&r.body, roster(&ids(0..count))).await, 200);
    let done = app.wait_import(token, r.body["id"].as_str().unwrap()).await;
    assert_eq!(
        (done["status"].as_str(), done["success"].as_u64()),
        (Some("已完成"), Some(u64::from(count))),
        "{done}"
    );
    let mut by_name = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = "/api/candidates?kind=school&pageSize=100".to_owned();
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let r = app.get(&url, Some(token)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        for c in r.body["items"].as_array().unwrap() {
            by_name.insert(
                c["name"].as_str().unwrap().to_owned(),
                c["candidateNo"].as_str().unwrap().to_owned(),
            );
        }
        match r.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let nos: Vec<String> = (0..count)
        .map(|i| by_name[&format!("学生{i}")].clone())
        .collect();
    for no in &nos {
        app.set_candidate(no, Update::new().set("status", "信息准确"))
            .await;
    }
    nos
}

/// 按证书导入 of these people (by ID number) into the demo plan, 初级.
async fn register(app: &TestApp, token: &str, who: &[String]) -> Value {
    let mut rows = vec![HEAD.to_vec()];
    rows.extend(who.iter().map(|id| vec![id.as_str(), "", CERT, "初级"]));
    let id = app
        .upload_import_with(
            token,
            "registrations-by-certificate",
            "报考.xlsx",
            vslc_api_tests::workbook(&rows),
            false,
            json!({"planId": DEMO_PLAN_ID}),
        )
        .await;
    let done = app.wait_import(token, &id).await;
    assert_eq!(done["status"], "已完成", "{done}");
    done
}

/// The ULID of a public registration id `<planId>.<ULID>`.
fn ulid_of(item: &Value) -> String {
    let id = item["id"].as_str().unwrap();
    let (plan, ulid) = id.split_once('.').expect("<planId>.<ULID>");
    assert_eq!(plan, item["planId"].as_str().unwrap(), "{id}");
    assert_eq!(ulid.len(), 26, "{id}");
    ulid.to_owned()
}

fn assert_newest_first(items: &[Value]) {
    let ulids: Vec<String> = items.iter().map(ulid_of).collect();
    assert!(
        ulids.windows(2).all(|w| w[0] > w[1]),
        "newest first: {ulids:?}"
    );
}

/// Every item of a list, page by page; and the first page's total. Pages
/// after the first carry no total; the whole walk is newest first.
async fn walk(app: &TestApp, token: &str, query: &str, size: usize) -> (Vec<Value>, Option<u64>) {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    for page in 0.. {
        assert!(page < 1_000, "the walk ends");
        let mut url = format!("/api/registrations?pageSize={size}&{query}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let r = app.get(&url, Some(token)).await;
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        let got = r.body["items"].as_array().unwrap();
        assert!(got.len() <= size, "{url}: {}", r.body);
        if page == 0 {
            total = r.body["total"].as_u64();
        } else {
            assert_eq!(r.body["total"], Value::Null, "totals come with page 1");
        }
        items.extend(got.iter().cloned());
        match r.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_newest_first(&items);
    (items, total)
}

fn public_ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn candidate_nos(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["candidate"]["candidateNo"].as_str().unwrap().to_owned())
        .collect()
}

async fn count_of(app: &TestApp, token: &str, no: &str) -> u64 {
    let r = app.get(&format!("/api/candidates/{no}"), Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["registrations"].as_u64().unwrap()
}

#[tokio::test]
async fn registration_pages_keep_their_order_while_registrations_arrive() {
    let app = app().await;
    let t = app.login("school-admin").await;
    let nos = people(&app, &t, 85).await;
    let id_of: Vec<String> = ids(0..85);
    let rec = register(&app, &t, &id_of[..45]).await;
    assert_eq!(rec["success"], 45, "{rec}");

    let plan = format!("planId={DEMO_PLAN_ID}");
    // The school's list, then the plan's; each time 20 newcomers arrive
    // while the user pages on from page 1's cursor.
    for (query, newcomers, before) in [("", 45..65, 45usize), (plan.as_str(), 65..85, 65)] {
        let (all, total) = walk(&app, &t, query, 20).await;
        let all_ids = public_ids(&all);
        let distinct: HashSet<&String> = all_ids.iter().collect();
        assert_eq!(
            (all.len(), distinct.len(), total),
            (before, before, Some(before as u64)),
            "{query}"
        );
        let first = app
            .get(&format!("/api/registrations?pageSize=20&{query}"), Some(&t))
            .await;
        assert_eq!(first.status, 200, "{}", first.body);
        assert_eq!(first.body["total"], before, "{query}: {}", first.body);
        let page1 = first.body["items"].as_array().unwrap().clone();
        assert_eq!(page1.len(), 20);
        assert_newest_first(&page1);
        assert_eq!(
            public_ids(&page1),
            all_ids[..20],
            "page 1 is the walk's start"
        );
        for item in &page1 {
            assert!(
                item["candidate"]["idNumber"]
                    .as_str()
                    .unwrap()
                    .contains('*')
            );
            assert_eq!(item["status"], "未排考");
            assert_eq!(item["paid"], false);
            assert_eq!(item["order"], Value::Null);
        }

        let mut cursor = first.body["nextCursor"].as_str().unwrap().to_owned();
        let arriving = {
            let (app, t, who) = (
                &app,
                &t,
                id_of[newcomers.start as usize..newcomers.end as usize].to_vec(),
            );
            async move { register(app, t, &who).await }
        };
        let paging = async {
            let mut seen = page1.clone();
            loop {
                let r = app
                    .get(
                        &format!("/api/registrations?pageSize=20&{query}&cursor={cursor}"),
                        Some(&t),
                    )
                    .await;
                assert_eq!(r.status, 200, "{}", r.body);
                assert_eq!(r.body["total"], Value::Null, "totals come with page 1");
                seen.extend(r.body["items"].as_array().unwrap().iter().cloned());
                match r.body["nextCursor"].as_str() {
                    Some(c) => cursor = c.to_owned(),
                    None => break seen,
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        };
        let (rec, seen) = tokio::join!(arriving, paging);
        assert_eq!(rec["success"], 20, "{rec}");
        assert_newest_first(&seen);
        let seen_ids = public_ids(&seen);
        let seen_set: HashSet<&String> = seen_ids.iter().collect();
        assert_eq!(
            (seen.len(), seen_set.len()),
            (before, before),
            "{query}: every one of the first {before} once, none of the newcomers"
        );
        assert_eq!(
            seen_set, distinct,
            "{query}: exactly the registrations of before"
        );
        let new_nos: HashSet<&String> = nos[newcomers.start as usize..newcomers.end as usize]
            .iter()
            .collect();

        // Page 1 now starts with the newcomers, and the counters know them.
        let (after, total) = walk(&app, &t, query, 20).await;
        let after_ids = public_ids(&after);
        let after_set: HashSet<&String> = after_ids.iter().collect();
        assert_eq!(
            (after.len(), after_set.len(), total),
            (before + 20, before + 20, Some(before as u64 + 20)),
            "{query}"
        );
        let heads: HashSet<String> = candidate_nos(&after[..20]).into_iter().collect();
        assert_eq!(
            heads,
            new_nos.iter().map(|s| (*s).clone()).collect(),
            "{query}"
        );
        assert_eq!(after_ids[20..], all_ids[..], "{query}: the rest as before");
    }

    // Another school sees none of it.
    let other = app.login("school2-admin").await;
    for query in ["", plan.as_str()] {
        let (theirs, total) = walk(&app, &other, query, 20).await;
        assert_eq!((theirs.len(), total), (0, Some(0)), "{query}");
    }
    app.stop().await;
}

#[tokio::test]
async fn registration_cursors_a_client_made_up_answer_400() {
    let app = app().await;
    let t = app.login("school-admin").await;
    people(&app, &t, 30).await;
    let rec = register(&app, &t, &ids(0..30)).await;
    assert_eq!(rec["success"], 30, "{rec}");
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let cursor_of = |query: String| {
        let (app, t) = (&app, &t);
        async move {
            let r = app.get(&query, Some(t)).await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.body["nextCursor"].as_str().unwrap().to_owned()
        }
    };
    let every = cursor_of("/api/registrations?pageSize=5".into()).await;
    let plan = format!("planId={DEMO_PLAN_ID}");
    let of_plan = cursor_of(format!("/api/registrations?pageSize=5&{plan}")).await;
    // What the cursors hold: `<rank>#<planId>` and `<rank>`.
    let body = |c: &str| -> String {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(c)
            .unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        v["after"].as_str().unwrap().to_owned()
    };
    let (every_body, plan_body) = (body(&every), body(&of_plan));
    assert_eq!(
        every_body,
        format!("{plan_body}#{DEMO_PLAN_ID}"),
        "the same 5th row"
    );
    // Both cursors work where they belong.
    for (query, c) in [("", &every), (plan.as_str(), &of_plan)] {
        let r = app
            .get(
                &format!("/api/registrations?pageSize=5&{query}&cursor={c}"),
                Some(&t),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["items"].as_array().unwrap().len(), 5);
    }

    let made_up = [
        ("cursor=%%%".to_owned(), "not base64"),
        ("cursor=eyJhZnRlciI6".to_owned(), "truncated base64 JSON"),
        (format!("cursor={}", b64("not json")), "not JSON"),
        (format!("cursor={}", b64(r#"{"after":"12"}"#)), "no rank"),
        (format!("cursor={}", b64(r#"{"after":12}"#)), "a number"),
        (format!("cursor={}", b64(r#"{"before":"x"}"#)), "no after"),
        (format!("cursor={}", b64(r#"["x"]"#)), "an array"),
        (format!("cursor={}", b64(r#"{"after":""}"#)), "empty"),
        (
            format!("cursor={}", b64("{\"after\":\"1\\u0001\"}")),
            "control character",
        ),
        (
            format!(
                "cursor={}",
                b64(&format!(r#"{{"after":"{}"}}"#, "I".repeat(26)))
            ),
            "not a rank (I is no ULID character)",
        ),
        (
            format!("cursor={}", b64(&format!(r#"{{"after":"{plan_body}#"}}"#))),
            "a row with no plan",
        ),
    ];
    for (query, why) in &made_up {
        for list in ["", plan.as_str()] {
            let r = app
                .get(&format!("/api/registrations?{list}&{query}"), Some(&t))
                .await;
            assert_eq!(
                (r.status, r.body["code"].as_str()),
                (400, Some("BAD_CURSOR")),
                "{why} on list `{list}`: {}",
                r.body
            );
        }
    }
    for (query, why) in [
        (
            format!("{plan}&cursor={every}"),
            "the every-plan list's cursor on a plan's list",
        ),
        (
            format!("cursor={of_plan}"),
            "a plan's cursor on the every-plan list",
        ),
    ] {
        let r = app
            .get(&format!("/api/registrations?{query}"), Some(&t))
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("BAD_CURSOR")),
            "{why}: {}",
            r.body
        );
    }
    let r = app.get("/api/registrations?status=胡说", Some(&t)).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (400, Some("BAD_STATUS")),
        "{}",
        r.body
    );
    for size in ["0", "101", "x"] {
        let r = app
            .get(&format!("/api/registrations?pageSize={size}"), Some(&t))
            .await;
        assert_eq!(r.status, 400, "pageSize={size}: {}", r.body);
    }
    // An empty cursor is the first page.
    let r = app.get("/api/registrations?cursor=", Some(&t)).await;
    assert_eq!(
        (r.status, r.body["total"].as_u64()),
        (200, Some(30)),
        "{}",
        r.body
    );

    // A well-formed cursor only ever positions within the caller's own rows.
    let other = app.login("school2-admin").await;
    for (query, c) in [("", &every), (plan.as_str(), &of_plan)] {
        let r = app
            .get(
                &format!("/api/registrations?{query}&cursor={c}"),
                Some(&other),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["items"], json!([]), "{}", r.body);
        assert_eq!(r.body["nextCursor"], Value::Null, "{}", r.body);
    }
    let r = app.get("/api/registrations", Some(&other)).await;
    assert_eq!(
        (r.body["items"].clone(), r.body["total"].clone()),
        (json!([]), json!(0))
    );
    app.stop().await;
}

#[tokio::test]
async fn registration_counters_stay_exact_under_concurrent_imports_and_deletes() {
    let app = app().await;
    let t = app.login("school-admin").await;
    let nos = people(&app, &t, 130).await;
    let id_of = ids(0..130);
    let rec = register(&app, &t, &id_of[..60]).await;
    assert_eq!(rec["success"], 60, "{rec}");
    let (first, total) = walk(&app, &t, "", 20).await;
    assert_eq!((first.len(), total), (60, Some(60)));
    let reg_of: HashMap<String, String> = candidate_nos(&first)
        .into_iter()
        .zip(public_ids(&first))
        .collect();
    // The registrations of people 0..20, whom neither import meets: half
    // deleted one by one, half in batches.
    let doomed: Vec<String> = nos[..20].iter().map(|no| reg_of[no].clone()).collect();
    let deleting = async {
        for (i, chunk) in doomed.chunks(5).enumerate() {
            if i % 2 == 0 {
                for id in chunk {
                    let r = app.delete(&format!("/api/registrations/{id}"), &t).await;
                    assert_eq!(r.status, 204, "{}", r.body);
                }
            } else {
                let r = app
                    .post(
                        "/api/registrations/batch-delete",
                        Some(&t),
                        json!({"ids": chunk}),
                    )
                    .await;
                assert_eq!(
                    (r.body["succeeded"].as_u64(), r.body["failed"].as_u64()),
                    (Some(5), Some(0)),
                    "{}",
                    r.body
                );
            }
        }
    };
    // One import meets 20 registered people (40..60) and adds 40 (60..100);
    // another adds 30 of its own (100..130).
    let (meets, own) = (&id_of[40..100], &id_of[100..130]);
    let (a, b, ()) = tokio::join!(register(&app, &t, meets), register(&app, &t, own), deleting);
    assert_eq!(
        (
            a["success"].as_u64(),
            a["failed"].as_u64(),
            b["success"].as_u64(),
            b["failed"].as_u64()
        ),
        (Some(40), Some(20), Some(30), Some(0)),
        "{a} / {b}"
    );
    let why = app.failure_reasons(&a).await;
    assert_eq!(why.len(), 20);
    assert!(why.iter().all(|w| w.contains("已报考")), "{why:?}");

    let expected = 60 + 40 + 30 - 20;
    let plan = format!("planId={DEMO_PLAN_ID}");
    let mut lists = Vec::new();
    for query in ["", plan.as_str()] {
        for size in [20, 7, 100] {
            let (all, total) = walk(&app, &t, query, size).await;
            let all_ids = public_ids(&all);
            let distinct: HashSet<&String> = all_ids.iter().collect();
            assert_eq!(
                (all.len(), distinct.len(), total),
                (expected, expected, Some(expected as u64)),
                "{query} by {size}"
            );
            assert!(doomed.iter().all(|id| !distinct.contains(id)), "{query}");
            let who: HashSet<String> = candidate_nos(&all).into_iter().collect();
            assert_eq!(who, nos[20..].iter().cloned().collect(), "{query}");
            lists.push(all_ids);
        }
    }
    assert!(
        lists.windows(2).all(|w| w[0] == w[1]),
        "one order whatever the list or page size"
    );
    for id in &doomed {
        let r = app.get(&format!("/api/registrations/{id}"), Some(&t)).await;
        assert_eq!(r.status, 404, "{}", r.body);
        let r = app.delete(&format!("/api/registrations/{id}"), &t).await;
        assert_eq!(r.status, 404, "deleting twice: {}", r.body);
    }
    for (i, no) in nos.iter().enumerate() {
        let want = u64::from(i >= 20);
        assert_eq!(count_of(&app, &t, no).await, want, "学生{i}");
    }
    app.stop().await;
}

#[tokio::test]
async fn registration_filters_answer_what_they_name() {
    let app = app().await;
    let t = app.login("school-admin").await;
    let nos = people(&app, &t, 12).await;
    let id_of = ids(0..12);
    // 学生0 … 学生10 register; 学生11 does not.
    let rec = register(&app, &t, &id_of[..11]).await;
    assert_eq!(rec["success"], 11, "{rec}");
    let (all, total) = walk(&app, &t, "", 20).await;
    assert_eq!((all.len(), total), (11, Some(11)));
    let reg_of: HashMap<String, String> = candidate_nos(&all)
        .into_iter()
        .zip(public_ids(&all))
        .collect();
    let every: HashSet<String> = reg_of.values().cloned().collect();
    let of = |people: &[usize]| -> HashSet<String> {
        people.iter().map(|&i| reg_of[&nos[i]].clone()).collect()
    };
    let subject = all[0]["subjects"][0]["subjectId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(all.iter().all(|r| {
        r["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["subjectId"] == subject.as_str())
    }));
    let plan = format!("planId={DEMO_PLAN_ID}");
    let suffix4 = &id_of[7][14..];
    let none = HashSet::new();
    let cases: Vec<(String, HashSet<String>)> = vec![
        ("candidate=学生1".into(), of(&[1, 10])),
        ("candidate=学生5".into(), of(&[5])),
        ("candidate=学生11".into(), none.clone()),
        ("candidate=%20学生5%20".into(), of(&[5])),
        (format!("candidate={}", nos[3]), of(&[3])),
        (format!("candidate={}", nos[11]), none.clone()),
        (format!("candidate={suffix4}"), of(&[7])),
        ("status=未排考".into(), every.clone()),
        ("status=待考试".into(), none.clone()),
        ("status=已结束".into(), none.clone()),
        ("paid=false".into(), every.clone()),
        ("paid=true".into(), none.clone()),
        ("certificateId=CERT0101".into(), every.clone()),
        ("certificateId=CERT9999".into(), none.clone()),
        (format!("subjectId={subject}"), every.clone()),
        ("subjectId=01DEMOSUBJ0000000000000099".into(), none.clone()),
        (format!("{plan}&candidate=学生5"), of(&[5])),
        (format!("{plan}&status=未排考&paid=false"), every.clone()),
        (
            "planId=01NOSUCHPLAN00000000000000&paid=false".into(),
            none.clone(),
        ),
    ];
    for (query, want) in &cases {
        for size in [20, 3] {
            let (got, total) = walk(&app, &t, query, size).await;
            let ids = public_ids(&got);
            let set: HashSet<String> = ids.iter().cloned().collect();
            assert_eq!(ids.len(), set.len(), "{query}: each once");
            assert_eq!(&set, want, "{query} by {size}");
            assert_eq!(total, None, "{query}: no counter answers a filter");
        }
    }
    // The plan alone is counted; an unknown plan counts none.
    let (got, total) = walk(&app, &t, &plan, 20).await;
    assert_eq!((got.len(), total), (11, Some(11)));
    let (got, total) = walk(&app, &t, "planId=01NOSUCHPLAN00000000000000", 20).await;
    assert_eq!((got.len(), total), (0, Some(0)));

    // One row at a time, a narrow filter still comes to an end.
    for (query, want) in [
        (format!("candidate={}", nos[3]), of(&[3])),
        ("status=已结束".into(), none.clone()),
        (format!("{plan}&candidate={}", nos[0]), of(&[0])),
    ] {
        let (got, total) = walk(&app, &t, &query, 1).await;
        let set: HashSet<String> = public_ids(&got).into_iter().collect();
        assert_eq!((set, total), (want, None), "{query} by 1");
    }

    // Another school's filters find none of these.
    let other = app.login("school2-admin").await;
    for query in [
        "candidate=学生1".to_owned(),
        format!("candidate={}", nos[3]),
        "paid=false".into(),
    ] {
        let (got, _) = walk(&app, &other, &query, 20).await;
        assert!(got.is_empty(), "{query}");
    }
    app.stop().await;
}

/// The filter takes an ID-number tail of 4 characters or more, matched
/// against the stored number — not the masked one the list shows
/// (`110*****` + the last 4), which no longer tail could match.
#[tokio::test]
async fn registration_id_tails_longer_than_four_find_their_candidate() {
    let app = app().await;
    let t = app.login("school-admin").await;
    people(&app, &t, 3).await;
    let id_of = ids(0..3);
    let rec = register(&app, &t, &id_of).await;
    assert_eq!(rec["success"], 3, "{rec}");
    for tail in [4, 5, 6, 18] {
        let q = &id_of[1][18 - tail..];
        let (got, _) = walk(&app, &t, &format!("candidate={q}"), 20).await;
        let nos: Vec<String> = got
            .iter()
            .map(|r| r["candidate"]["idNumber"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            nos,
            [vslc_ports::mask::id_number(&id_of[1])],
            "candidate={q}"
        );
    }
    app.stop().await;
}
