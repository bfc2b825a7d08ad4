//! 考生列表 at scale: keyset pages over the school's shards, totals from
//! counters (docs/data-model.md). The order stays stable while candidates
//! arrive, a cursor a client made up answers 400, and the counters stay
//! exact under concurrent imports and deletes.

use std::collections::HashSet;

use base64::Engine;
use serde_json::{Value, json};
use vslc_api_tests::{TestApp, candidate_roster as roster, id_number, spawn_app};

async fn import(app: &TestApp, token: &str, ids: &[String]) -> Value {
    let r = app.post("/api/imports", Some(token), json!({"type": "candidates", "fileName": "考生.xlsx", "params": {"kind": "school"}, "dryRun": false})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.put_upload(&r.body, roster(ids)).await, 200);
    let done = app.wait_import(token, r.body["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "已完成", "{done}");
    done
}

/// Every 考生编号 of a list, page by page; and the first page's total.
async fn walk(app: &TestApp, token: &str, query: &str) -> (Vec<String>, Option<u64>) {
    let mut nos = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    for page in 0.. {
        assert!(page < 1_000, "the walk ends");
        let mut url = format!("/api/candidates?pageSize=20&{query}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let r = app.get(&url, Some(token)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        if page == 0 {
            total = r.body["total"].as_u64();
        }
        for item in r.body["items"].as_array().unwrap() {
            nos.push(item["candidateNo"].as_str().unwrap().to_owned());
        }
        match r.body["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    (nos, total)
}

fn ids(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|i| id_number(i, i)).collect()
}

#[tokio::test]
async fn pages_keep_their_order_while_candidates_arrive() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    import(&app, &t, &ids(0..130)).await;
    let first = app
        .get("/api/candidates?kind=school&pageSize=20", Some(&t))
        .await;
    assert_eq!(first.body["total"], 130);
    let page1: Vec<String> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["candidateNo"].as_str().unwrap().to_owned())
        .collect();
    // Newest first: the roster's numbers count up, the list counts down.
    let mut sorted = page1.clone();
    sorted.sort_by(|a, b| b[10..].cmp(&a[10..]));
    assert_eq!(page1, sorted);

    // Fifty more arrive while the user pages on from page 1's cursor.
    let mut cursor = first.body["nextCursor"].as_str().unwrap().to_owned();
    let arriving = {
        let (app, t) = (&app, &t);
        async move { import(app, t, &ids(200..250)).await }
    };
    let paging = async {
        let mut seen = page1.clone();
        loop {
            let r = app
                .get(
                    &format!("/api/candidates?kind=school&pageSize=20&cursor={cursor}"),
                    Some(&t),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
            assert_eq!(r.body["total"], Value::Null, "totals come with page 1");
            for item in r.body["items"].as_array().unwrap() {
                seen.push(item["candidateNo"].as_str().unwrap().to_owned());
            }
            match r.body["nextCursor"].as_str() {
                Some(c) => cursor = c.to_owned(),
                None => break seen,
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    let (_, seen) = tokio::join!(arriving, paging);
    let distinct: HashSet<&String> = seen.iter().collect();
    assert_eq!(
        (seen.len(), distinct.len()),
        (130, 130),
        "every one of the first 130 once, none of the newcomers (they sort before the cursor)"
    );
    // Page 1 now starts with the newcomers, and the counters know them.
    let (all, total) = walk(&app, &t, "kind=school").await;
    assert_eq!((all.len(), total), (180, Some(180)));
    assert!(all[..50].iter().all(|no| !distinct.contains(no)));
    app.stop().await;
}

#[tokio::test]
async fn cursors_a_client_made_up_answer_400() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    import(&app, &t, &ids(0..30)).await;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let name_cursor = app
        .get("/api/candidates?name=学生&pageSize=5", Some(&t))
        .await
        .body["nextCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    for (query, why) in [
        ("cursor=%%%".to_owned(), "not base64"),
        (format!("cursor={}", b64("not json")), "not JSON"),
        (format!("cursor={}", b64(r#"{"after":"12"}"#)), "no rank"),
        (format!("cursor={}", b64(r#"{"after":""}"#)), "empty"),
        (
            format!("cursor={}", b64("{\"after\":\"1\\u0001\"}")),
            "control character",
        ),
        (
            format!("cursor={name_cursor}"),
            "a name search's cursor on the plain list",
        ),
    ] {
        let r = app
            .get(&format!("/api/candidates?kind=school&{query}"), Some(&t))
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("BAD_CURSOR")),
            "{why}: {}",
            r.body
        );
    }
    // A well-formed cursor only ever positions within the caller's own rows.
    let other = app.login("school2-admin").await;
    let mine = app
        .get("/api/candidates?kind=school&pageSize=5", Some(&t))
        .await;
    let c = mine.body["nextCursor"].as_str().unwrap();
    let r = app
        .get(
            &format!("/api/candidates?kind=school&cursor={c}"),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["items"], json!([]), "{}", r.body);
    app.stop().await;
}

#[tokio::test]
async fn counters_stay_exact_under_concurrent_imports_and_deletes() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    import(&app, &t, &ids(0..200)).await;
    let (first, _) = walk(&app, &t, "kind=school").await;
    assert_eq!(first.len(), 200);
    // One import adds 150 people and meets 50 it finds there; another adds
    // 100 of its own; meanwhile 40 candidates are deleted, one by one and
    // in batches.
    // The oldest 40: people neither import meets.
    let doomed: Vec<String> = first[first.len() - 40..].to_vec();
    let deleting = async {
        for (i, chunk) in doomed.chunks(10).enumerate() {
            if i % 2 == 0 {
                for no in chunk {
                    let r = app.delete(&format!("/api/candidates/{no}"), &t).await;
                    assert_eq!(r.status, 204, "{}", r.body);
                }
            } else {
                let r = app
                    .post(
                        "/api/candidates/batch-delete",
                        Some(&t),
                        json!({"ids": chunk}),
                    )
                    .await;
                assert_eq!(r.body["succeeded"], 10, "{}", r.body);
            }
        }
    };
    let (meets, own) = (ids(150..350), ids(400..500));
    let (a, b, ()) = tokio::join!(import(&app, &t, &meets), import(&app, &t, &own), deleting);
    assert_eq!(
        (a["success"].as_u64(), b["success"].as_u64()),
        (Some(150), Some(100))
    );
    let expected = 200 + 150 + 100 - 40;
    let (all, total) = walk(&app, &t, "kind=school").await;
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(
        (all.len(), distinct.len(), total),
        (expected, expected, Some(expected as u64))
    );
    assert!(doomed.iter().all(|no| !distinct.contains(no)));
    let (no_photo, by_status) = walk(&app, &t, "kind=school&status=无照片").await;
    assert_eq!(
        (no_photo.len(), by_status),
        (expected, Some(expected as u64))
    );
    let (social, none) = walk(&app, &t, "kind=social").await;
    assert_eq!((social.len(), none), (0, Some(0)));
    app.stop().await;
}
