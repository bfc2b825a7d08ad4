//! Hostile and broken uploads: the import ends 失败 with a message a person
//! understands, nothing of it stays stored, and the server keeps serving.

use std::sync::Arc;

use serde_json::{Value, json};
use vslc_api_tests::{TestApp, candidate_roster, id_number, rezip, spawn_app, spawn_app_with};
use vslc_ports::ManualClock;

async fn import(app: &TestApp, token: &str, bytes: Vec<u8>) -> Value {
    let r = app
        .post(
            "/api/imports",
            Some(token),
            json!({"type": "candidates", "fileName": "考生.xlsx", "params": {"kind": "school"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.put_upload(&r.body, bytes).await, 200);
    app.wait_import(token, r.body["id"].as_str().unwrap()).await
}

async fn candidates(app: &TestApp, token: &str) -> u64 {
    app.get("/api/candidates?pageSize=1", Some(token))
        .await
        .body["total"]
        .as_u64()
        .unwrap()
}

fn ids(from: u32, n: u32) -> Vec<String> {
    (from..from + n).map(|i| id_number(i, i % 997)).collect()
}

fn failed_with(record: &Value, needle: &str) {
    assert_eq!(record["status"], "失败", "{record}");
    assert_eq!(record["success"], 0, "{record}");
    let message = record["message"].as_str().unwrap_or_default();
    assert!(message.contains(needle), "{needle} not in {message}");
}

/// Replaces one part of a real roster.
fn with_part(bytes: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    rezip(bytes, |name, body| {
        if name == part {
            edit(String::from_utf8(body).unwrap()).into_bytes()
        } else {
            body
        }
    })
}

#[tokio::test]
async fn a_declared_string_count_of_1e18_fails_the_import_and_the_server_lives_on() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let good = candidate_roster(&ids(0, 2));
    let bomb = with_part(&good, "xl/sharedStrings.xml", |xml| {
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}1000000000000000000{}", &xml[..at], &xml[end..])
    });
    assert!(bomb.len() < 10_000);
    failed_with(&import(&app, &t, bomb).await, "不重复文本");
    // The worker is still there for the next file.
    let done = import(&app, &t, good).await;
    assert_eq!(
        (done["status"].as_str(), done["success"].as_u64()),
        (Some("已完成"), Some(2))
    );
}

#[tokio::test]
async fn whitespace_bombs_long_cells_and_broken_xml_fail_and_save_nothing() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let before = candidates(&app, &t).await;
    let good = candidate_roster(&ids(0, 50));
    let blank = with_part(&good, "xl/worksheets/sheet1.xml", |xml| {
        xml.replacen(
            "<sheetData>",
            &format!("<sheetData>{}", " ".repeat(300_000)),
            1,
        )
    });
    failed_with(&import(&app, &t, blank).await, "内容过长");
    // Rows 1–40 are fine; the XML breaks after them.
    let broken = with_part(&good, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find("<row r=\"42\"").unwrap();
        format!(
            "{}<row r=\"42\"><c r=\"A42\"><v>1</c></row></sheetData></worksheet>",
            &xml[..at]
        )
    });
    failed_with(&import(&app, &t, broken).await, "文件无法读取");
    let not_xlsx = b"PK\x03\x04 this is not a workbook".to_vec();
    failed_with(&import(&app, &t, not_xlsx).await, ".xlsx");
    assert_eq!(candidates(&app, &t).await, before);
}

#[tokio::test]
async fn a_file_over_the_row_limit_fails_and_stores_nothing() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let before = candidates(&app, &t).await;
    let file = candidate_roster(&ids(0, 100_001));
    failed_with(&import(&app, &t, file).await, "100000");
    assert_eq!(candidates(&app, &t).await, before);
}

#[tokio::test]
async fn a_file_that_stops_being_readable_part_way_takes_back_what_it_saved() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let before = candidates(&app, &t).await;
    let rows = ids(0, 2_500);
    let good = candidate_roster(&rows);
    // Well-formed XML, but row 2,401 names a shared string the file does
    // not have: the reader fails after two chunks of 1,000 rows were saved.
    let bad = with_part(&good, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find("<c r=\"I2401\"").unwrap();
        let end = at + xml[at..].find("</c>").unwrap() + "</c>".len();
        format!(
            "{}<c r=\"I2401\" t=\"s\"><v>99999999</v></c>{}",
            &xml[..at],
            &xml[end..]
        )
    });
    failed_with(&import(&app, &t, bad).await, "文件无法读取");
    assert_eq!(candidates(&app, &t).await, before);
    // Nothing was left behind: the corrected file saves every row.
    let done = import(&app, &t, good).await;
    assert_eq!(
        (
            done["status"].as_str(),
            done["success"].as_u64(),
            done["failed"].as_u64()
        ),
        (Some("已完成"), Some(2_500), Some(0)),
        "{done}"
    );
    assert_eq!(candidates(&app, &t).await, before + 2_500);
}

#[tokio::test]
async fn oversize_files_are_refused_up_front_and_unused_uploads_end_failed() {
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let app = spawn_app_with(clock.clone()).await;
    let t = app.login("school-admin").await;
    let r = app
        .post(
            "/api/imports",
            Some(&t),
            json!({"type": "candidates", "fileName": "大.xlsx", "params": {"kind": "school"}, "size": 60_000_000u64}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (400, Some("FILE_TOO_LARGE")),
        "{}",
        r.body
    );
    assert!(r.body["message"].as_str().unwrap().contains("50MB"));

    let r = app
        .post(
            "/api/imports",
            Some(&t),
            json!({"type": "candidates", "fileName": "未上传.xlsx", "params": {"kind": "school"}}),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let queued = app.get(&format!("/api/imports/{id}"), Some(&t)).await;
    assert_eq!(queued.body["status"], "排队中");
    // The upload link expires unused (the file was refused, or never sent).
    clock.advance(chrono::Duration::minutes(36));
    let gone = app.get(&format!("/api/imports/{id}"), Some(&t)).await;
    assert_eq!(gone.body["status"], "失败", "{}", gone.body);
    assert!(
        gone.body["message"]
            .as_str()
            .unwrap()
            .contains("未收到上传的文件")
    );
}

#[tokio::test]
async fn an_import_whose_deliveries_keep_dying_ends_failed() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let before = candidates(&app, &t).await;
    let done = import(&app, &t, candidate_roster(&ids(0, 3))).await;
    let id = done["id"].as_str().unwrap();
    assert_eq!(candidates(&app, &t).await, before + 3);
    // Three deliveries started it, saved its rows and none finished (out of
    // time or memory).
    let state = app.running.as_ref().unwrap().state.clone();
    let school = vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, "10009");
    state
        .table
        .update(
            &vslc_imports::ImportRecord::key(&school, id),
            vslc_ports::table::Update::new()
                .set("attempts", vslc_imports::worker::MAX_ATTEMPTS)
                .set("success", 0),
            None,
        )
        .await
        .unwrap();
    app.redeliver_import("10009", id).await;
    let again = app.wait_import(&t, id).await;
    failed_with(&again, "多次处理均未完成");
    // What those deliveries saved is found by the import's id and taken back.
    assert_eq!(candidates(&app, &t).await, before);
}

#[tokio::test]
async fn an_import_past_its_deadline_stops_takes_back_its_rows_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = vslc_api_tests::test_config(dir.path()).await;
    config.import_deadline = std::time::Duration::ZERO;
    let running = vslc_local::start(config, Arc::new(vslc_ports::SystemClock))
        .await
        .unwrap();
    let app = TestApp {
        base: running.base_url.clone(),
        http: reqwest::Client::new(),
        running: Some(running),
        dir,
    };
    let t = app.login("school-admin").await;
    let before = candidates(&app, &t).await;
    failed_with(
        &import(&app, &t, candidate_roster(&ids(0, 1_500))).await,
        "文件处理超时",
    );
    assert_eq!(candidates(&app, &t).await, before);
}
