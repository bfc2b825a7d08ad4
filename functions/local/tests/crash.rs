//! kill -9 of `vslc-local` while the import queue holds work loses nothing:
//! after a restart every import completes, and every row is stored once.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vslc_adapters::embedded::{EmbeddedStore, EmbeddedTable};
use vslc_ports::table::{Query, TableExt};

const IMPORTS: usize = 4;
const ROWS: usize = 20_000;

/// The server process; killed when dropped, so a failing test leaves none
/// running behind it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on port 0 and returns it with its base URL.
fn start(data: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vslc-local"))
        .env("VSLC_DATA_DIR", data)
        .env("PORT", "0")
        .env("VSLC_WORKERS", "1")
        .env("VSLC_PERIOD_CLOSER_SECS", "3600")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("vslc-local starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(url) = line.strip_prefix("vslc-local listening on ") {
            break url.trim().to_owned();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Server(child), base)
}

fn workbook(file: usize) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "编号").unwrap();
    ws.write_string(0, 1, "内容").unwrap();
    for r in 0..ROWS {
        ws.write_string(r as u32 + 1, 0, format!("F{file}R{r}"))
            .unwrap();
        ws.write_string(r as u32 + 1, 1, format!("第{file}个文件第{r}行"))
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

async fn import_status(http: &reqwest::Client, base: &str, token: &str, id: &str) -> Value {
    http.get(format!("{base}/api/imports/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let r: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"account": "school-admin", "password": vslc_app::seed::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn kill_9_mid_batch_loses_no_queued_work_and_repeats_none() {
    let dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::new();
    let (mut child, base) = start(dir.path());
    let token = login(&http, &base).await;

    let mut ids = Vec::new();
    for f in 0..IMPORTS {
        let r: Value = http
            .post(format!("{base}/api/imports"))
            .bearer_auth(&token)
            .json(&json!({"type": "demo-notes", "fileName": format!("第{f}批.xlsx")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let put = http
            .put(r["uploadUrl"].as_str().unwrap())
            .header("content-type", r["contentType"].as_str().unwrap())
            .body(workbook(f))
            .send()
            .await
            .unwrap();
        assert!(put.status().is_success());
        ids.push(r["id"].as_str().unwrap().to_owned());
    }

    // Wait until an import is being processed, then kill -9. (The first
    // may already be done: the worker starts on it while the others upload.)
    let deadline = Instant::now() + Duration::from_secs(60);
    'wait: loop {
        let mut unfinished = 0;
        for id in &ids {
            let s = import_status(&http, &base, &token, id).await;
            if s["status"] == "处理中" {
                break 'wait;
            }
            if s["status"] == "排队中" {
                unfinished += 1;
            }
        }
        assert!(
            unfinished > 0,
            "every import finished before one could be interrupted"
        );
        assert!(Instant::now() < deadline, "no import ever started");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.0.kill().unwrap(); // SIGKILL
    child.0.wait().unwrap();

    let (mut child, base) = start(dir.path());
    let token = login(&http, &base).await;
    let deadline = Instant::now() + Duration::from_secs(240);
    for id in &ids {
        loop {
            let s = import_status(&http, &base, &token, id).await;
            if s["status"] == "已完成" {
                assert_eq!(s["total"].as_u64(), Some(ROWS as u64), "{s}");
                assert_eq!(
                    s["success"].as_u64(),
                    Some(ROWS as u64),
                    "every row of its own file is its own: {s}"
                );
                assert_eq!(s["failed"].as_u64(), Some(0), "{s}");
                break;
            }
            assert_ne!(s["status"], "失败", "{s}");
            assert!(
                Instant::now() < deadline,
                "import {id} did not complete after the restart: {s}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // Stop gracefully and count what was stored: each row exactly once.
    Command::new("kill")
        .arg("-TERM")
        .arg(child.0.id().to_string())
        .status()
        .unwrap();
    assert!(
        child.0.wait().unwrap().success(),
        "graceful shutdown exits 0"
    );
    let table = EmbeddedTable::new(EmbeddedStore::open(dir.path()).unwrap());
    let notes = table
        .query_all(Query::partition("T#school#10009").begins_with("NOTE#"))
        .await
        .unwrap();
    assert_eq!(notes.len(), IMPORTS * ROWS);
}
