//! 排考 at full size: 100,000 paid registrations of one plan, from 20
//! schools (the host and 19 borrowing its site), into 3,000 rooms of 34
//! seats — end to end through HTTP on the embedded backend.
//!
//! `cargo bench --profile release -p vslc-api-tests --bench arrange` runs
//! each step in a process of its own:
//! - `prepare` starts the platform on a fresh data directory (demo data),
//!   stores the site, the rooms, the registrations and their confirmed
//!   orders directly, and stops;
//! - `arrange` starts the platform on that directory (a server runtime as
//!   `vslc-local` serves), logs in as the host school and sends
//!   `POST /api/scheduling/sites/{id}/arrange` over loopback, printing the
//!   request's wall time, the process's CPU time and its peak RSS while
//!   the request ran (target ≤ 2 s, ≤ 150 MB);
//! - `scores` starts the platform on the arranged directory with the plan's
//!   成绩登记 window open, has the org download the subject's 成绩登记表
//!   (100,000 candidates) over HTTP, fills in a score a row and imports it
//!   through the import worker (timed from the upload to 已完成, as the
//!   candidates bench times imports; target ≤ 1 s), imports it again
//!   (nothing changes), then ends the 公示期 and times the lock with the
//!   anchor and the 100,000 results (the period closer's calls, in the
//!   process; target ≤ 2 s), and a 统计分析 request over HTTP (median of
//!   20; target ≤ 20 ms);
//! - `print` starts the platform on the arranged directory, sends
//!   `POST /api/scheduling/prints` for the 3,000 rooms' 考场门贴 and
//!   考场签到表 and polls the job until the print worker (in the same
//!   process, as `vslc-local` runs it) has stored the zip, printing the
//!   wall time from the request to 已完成, the CPU time, the peak RSS and
//!   the zip's size (target ≤ 20 s on 2 cores, ≤ 150 MB);
//! - `dynamodb` (when `VSLC_MOTO_ENDPOINT` is set) does the same at 2,000
//!   registrations and 60 rooms on a fresh moto table through the service
//!   call, counting the write requests the SDK sends (target ≤ 50 per
//!   1,000 seats).

use std::time::Instant;

use chrono::Duration;
use vslc_accounts::{Role, Session, Tenant, TenantKind};
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_exam::plans::{PlanSchool, RegistrationMode};
use vslc_exam::{Plan, Window};
use vslc_payments::{Order, OrderStatus};
use vslc_ports::AppState;
use vslc_ports::table::{BatchOp, to_item};
use vslc_registrations::Registration;
use vslc_registrations::import::insert_group;
use vslc_registrations::model::{CandidateSnapshot, ClaimBody, RegSubject};
use vslc_sites::{Allocation, Site, SiteStatus};

#[path = "../../shared/app/benches/common/mod.rs"]
mod common;
use common::{cpu_secs, peak_mb, reset_peak};

vslc_runtime::global_allocator!();

const REGISTRATIONS: usize = 100_000;
const ROOMS: usize = 3_000;
const SEATS: u32 = 34;
const SCHOOLS: usize = 20;
const SUBJECT: &str = "01DEMOSUBJ0000000000000001";

fn main() -> anyhow::Result<()> {
    let mut all = vec!["prepare", "arrange", "scores", "print"];
    if std::env::var_os("VSLC_MOTO_ENDPOINT").is_some() {
        all.push("dynamodb");
    }
    let rt = || vslc_runtime::server_runtime();
    match common::steps(&all)?.as_deref() {
        Some("prepare") => rt()?.block_on(prepare()),
        Some("arrange") => rt()?.block_on(arrange()),
        Some("scores") => rt()?.block_on(scores()),
        Some("print") => rt()?.block_on(print()),
        Some("dynamodb") => rt()?.block_on(dynamodb()),
        _ => Ok(()),
    }
}

fn data_dir() -> std::path::PathBuf {
    std::env::temp_dir().join("vslc-bench-arrange")
}

async fn config(dir: &std::path::Path) -> anyhow::Result<vslc_ports::config::Config> {
    use vslc_ports::config::{Backend, Config};
    let mut c = Config::from_env(Backend::Embedded)?;
    c.backend = Backend::Embedded;
    c.data_dir = dir.to_path_buf();
    c.bind = "127.0.0.1".into();
    c.port = 0;
    c.public_url = None;
    c.seed_demo = true;
    c.seed_scheduling = false;
    c.period_closer_interval = std::time::Duration::from_secs(3600);
    Ok(c)
}

/// The host (北方工业大学) and the schools borrowing its site.
fn school_ids(n: usize) -> Vec<String> {
    let mut ids = vec!["10009".to_owned(), "14361".to_owned()];
    ids.extend((2..n).map(|i| format!("{}", 20000 + i)));
    ids
}

/// Stores what 排考 reads: the plan inside its 排考 window with `schools`
/// taking part, the host's approved site lent to the others, `rooms` rooms
/// of `seats`, and `regs` registrations (按证书, 初级) spread over the
/// schools, each in a confirmed order. Answers the 考核站点编排 row id.
async fn populate(
    state: &AppState,
    schools: usize,
    regs: usize,
    rooms: usize,
    seats: u32,
) -> anyhow::Result<String> {
    let now = state.clock.now_local();
    let mut plan = Plan::load(state, DEMO_PLAN_ID)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo plan"))?;
    plan.registration = Window::new(now - Duration::days(20), now - Duration::days(10));
    plan.scheduling = Window::new(now - Duration::days(1), now + Duration::days(5));
    let ids = school_ids(schools);
    for id in ids.iter().skip(2) {
        plan.schools.push(PlanSchool {
            school_id: id.clone(),
            school_name: format!("测试职业技术学院{id}"),
        });
    }
    state.table.put(plan.to_item()?, None).await?;
    plan.index_schools(state).await?;
    let host = Tenant::new(TenantKind::School, "10009");
    let stamp = state.clock.now_text();
    let site = Site {
        id: format!("10009-{}", ulid::Ulid::new()),
        school_id: "10009".into(),
        school_name: "北方工业大学".into(),
        org_id: plan.org_id.clone(),
        certificate_id: "CERT0101".into(),
        certificate_name: "Web前端开发职业技能等级证书".into(),
        level: vslc_catalogue::certificate::Level::Junior,
        name: "北方工业大学Web前端开发职业技能等级证书(初级)考核站点".into(),
        address: "北京市石景山区晋元庄路5号".into(),
        contact: "张老师".into(),
        phone: "010-88801234".into(),
        capacity: 1000,
        equipment: "机房".into(),
        standards: Vec::new(),
        status: SiteStatus::Approved,
        review_reason: None,
        submitted_at: Some(stamp.clone()),
        reviewed_at: Some(stamp.clone()),
        reviewed_by: Some("bench".into()),
        created_at: stamp.clone(),
        version: 1,
    };
    let mut ops = vec![BatchOp::Put(site.to_item()?)];
    for id in ids.iter().skip(1) {
        let a = Allocation {
            id: format!("{DEMO_PLAN_ID}.{}", ulid::Ulid::new()),
            plan_id: plan.id.clone(),
            plan_name: plan.name.clone(),
            certificate_id: site.certificate_id.clone(),
            certificate_name: site.certificate_name.clone(),
            level: site.level,
            school_id: id.clone(),
            school_name: String::new(),
            site_id: site.id.clone(),
            site_name: site.name.clone(),
            host_school_id: "10009".into(),
            host_school_name: site.school_name.clone(),
            created_at: stamp.clone(),
        };
        ops.push(BatchOp::Put(to_item(
            &Allocation::key(&plan.id, &a.id),
            &a,
        )?));
    }
    let ps = plan
        .subject(SUBJECT)
        .ok_or_else(|| anyhow::anyhow!("no subject"))?
        .clone();
    let subjects = vec![vslc_rooms::model::RoomSubject {
        subject_id: ps.subject_id.clone(),
        code: ps.code.clone(),
        name: ps.name.clone(),
        method: ps.method,
    }];
    for i in 0..rooms {
        let room = vslc_rooms::service::new_room(
            state,
            &host,
            &plan,
            &site,
            subjects.clone(),
            ps.method.room_type(),
            &format!("第{}考场", i + 1),
            seats,
            &format!("实训楼{}层", i / 100 + 1),
            None,
        );
        ops.push(BatchOp::Put(room.to_item()?));
    }
    state.table.batch_write(ops).await?;
    // The registrations, their claims and one confirmed order a school.
    let reg_subjects: Vec<RegSubject> = plan
        .subjects
        .iter()
        .filter(|s| s.level == site.level)
        .map(|s| RegSubject {
            subject_id: s.subject_id.clone(),
            code: s.code.clone(),
            name: s.name.clone(),
            method: s.method,
            exam: s.exam.clone(),
        })
        .collect();
    let per_school = regs.div_ceil(ids.len());
    let mut left = regs;
    for (k, id) in ids.iter().enumerate() {
        let school = Tenant::new(TenantKind::School, id);
        let n = per_school.min(left);
        left -= n;
        // The school's candidates and their registrations, stored as the
        // import stores them (guards, counters), each claimed by one
        // confirmed order.
        let candidates = common::candidates(state, n).await?;
        common::store_candidates(state, &school, &candidates).await?;
        let no = format!("JF20260301-{id}-{:06}", k + 1);
        let order = Order {
            no: no.clone(),
            school_id: id.clone(),
            school_name: String::new(),
            org_id: plan.org_id.clone(),
            plan_id: plan.id.clone(),
            plan_name: plan.name.clone(),
            mode: RegistrationMode::ByCertificate,
            certificate_id: "CERT0101".into(),
            certificate_name: site.certificate_name.clone(),
            count: n as u64,
            total_cents: 12_000 * n as u64,
            parts: Default::default(),
            status: OrderStatus::Confirmed,
            created_at: stamp.clone(),
            created_by: "bench".into(),
            confirmed_at: Some(stamp.clone()),
            confirmed_by: Some("bench".into()),
            version: 2,
        };
        let mut ops = vec![BatchOp::Put(order.to_item()?)];
        let mut groups = Vec::with_capacity(n);
        for c in &candidates {
            let reg_id = ulid::Ulid::new().to_string();
            let reg = Registration {
                id: reg_id.clone(),
                school_id: id.clone(),
                plan_id: plan.id.clone(),
                plan_name: plan.name.clone(),
                org_id: plan.org_id.clone(),
                mode: RegistrationMode::ByCertificate,
                certificate_id: "CERT0101".into(),
                certificate_name: site.certificate_name.clone(),
                level: site.level,
                subjects: reg_subjects.clone(),
                candidate: CandidateSnapshot::of(c),
                fee_cents: 12_000,
                scheduled: false,
                import_id: None,
                created_at: stamp.clone(),
                version: 1,
            };
            let (group, _) = insert_group(&school, &reg, c.kind, "bench")?;
            groups.push(group);
            ops.push(BatchOp::Put(to_item(
                &Registration::claim_key(&school, &plan.id, &reg_id),
                &ClaimBody {
                    order_no: no.clone(),
                },
            )?));
        }
        let written = state.table.insert_guarded(groups).await?;
        anyhow::ensure!(written.iter().all(|w| *w), "a registration was not stored");
        state.table.batch_write(ops).await?;
    }
    Ok(format!("{}.{}.{SUBJECT}", plan.id, site.id))
}

async fn prepare() -> anyhow::Result<()> {
    let dir = data_dir();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let running = vslc_local::start(
        config(&dir).await?,
        std::sync::Arc::new(vslc_ports::SystemClock),
    )
    .await?;
    let row = populate(&running.state, SCHOOLS, REGISTRATIONS, ROOMS, SEATS).await?;
    std::fs::write(dir.join("bench-row"), &row)?;
    running.shutdown().await?;
    println!(
        "prepare: {REGISTRATIONS} paid registrations of {SCHOOLS} schools, {ROOMS} rooms × {SEATS} seats, in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn arrange() -> anyhow::Result<()> {
    let dir = data_dir();
    let row = std::fs::read_to_string(dir.join("bench-row"))?;
    let (running, http, token) = signed_in(&dir).await?;
    let before = peak_mb();
    reset_peak();
    let (t, cpu) = (Instant::now(), cpu_secs());
    let r = http
        .post(format!(
            "{}/api/scheduling/sites/{row}/arrange",
            running.base_url
        ))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await?;
    let status = r.status();
    let body: serde_json::Value = r.json().await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "arrange: {} seated in {} rooms, {secs:.2} s, CPU {:.2} s, peak RSS {:.0} MB (before the request {before:.0} MB; target ≤ 2 s, ≤ 150 MB)",
        body["seated"],
        body["rooms"],
        cpu_secs() - cpu,
        peak_mb()
    );
    anyhow::ensure!(
        status.is_success() && body["seated"] == REGISTRATIONS as u64,
        "arrangement failed: {status} {body}"
    );
    // What the lists cost afterwards: 考场编排 reads the host's rooms,
    // 排考明细 one keyset page.
    for path in [
        "/api/scheduling/sites?pageSize=20",
        "/api/scheduling/rooms?pageSize=20",
        "/api/scheduling/details?pageSize=20",
    ] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let r = http
                .get(format!("{}{path}", running.base_url))
                .bearer_auth(&token)
                .send()
                .await?;
            anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
            let _ = r.bytes().await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("GET {path}: median {:.1} ms of 5", times[2]);
    }
    running.shutdown().await?;
    Ok(())
}

/// The platform started on the prepared directory, and the host school's
/// session.
async fn signed_in(
    dir: &std::path::Path,
) -> anyhow::Result<(vslc_local::Running, reqwest::Client, String)> {
    signed_in_as(dir, "school-admin").await
}

/// The platform started on the prepared directory, and a demo account's
/// session.
async fn signed_in_as(
    dir: &std::path::Path,
    account: &str,
) -> anyhow::Result<(vslc_local::Running, reqwest::Client, String)> {
    let running = vslc_local::start(
        config(dir).await?,
        std::sync::Arc::new(vslc_ports::SystemClock),
    )
    .await?;
    let http = reqwest::Client::new();
    let login: serde_json::Value = http
        .post(format!("{}/api/auth/login", running.base_url))
        .json(&serde_json::json!({"account": account, "password": vslc_app::seed::DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().unwrap_or_default().to_owned();
    Ok((running, http, token))
}

/// Median of `n` GETs of `path`, in ms.
async fn median_ms(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    n: usize,
) -> anyhow::Result<f64> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = http
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
        let _ = r.bytes().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[n / 2])
}

/// 科目成绩 of the arranged subject: the 成绩登记表, the import (twice),
/// the lock with the results, and 统计分析.
async fn scores() -> anyhow::Result<()> {
    let dir = data_dir();
    let (running, http, token) = signed_in_as(&dir, "org-admin").await?;
    let state = running.state.clone();
    let now = state.clock.now_local();
    let mut plan = Plan::load(&state, DEMO_PLAN_ID)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo plan"))?;
    plan.score_entry = Window::new(now - Duration::hours(1), now + Duration::days(1));
    plan.publicity = Window::new(now + Duration::days(1), now + Duration::days(2));
    state.table.put(plan.to_item()?, None).await?;
    // The 成绩登记表 over HTTP.
    let t = Instant::now();
    let r: serde_json::Value = http
        .post(format!(
            "{}/api/scores/sheets/{DEMO_PLAN_ID}.{SUBJECT}/template",
            running.base_url
        ))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await?
        .json()
        .await?;
    let url = r["url"].as_str().unwrap_or_default().to_owned();
    anyhow::ensure!(!url.is_empty(), "no 成绩登记表: {r}");
    let bytes = http.get(&url).send().await?.bytes().await?.to_vec();
    println!(
        "成绩登记表: {} candidates, {:.0} KB, {:.2} s (request and download)",
        r["rows"],
        bytes.len() as f64 / 1e3,
        t.elapsed().as_secs_f64()
    );
    let rows = vslc_imports::xlsx::read_first_sheet(&bytes)?;
    let filled: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if i == 0 {
                return r.clone();
            }
            let mut r: Vec<String> = r.iter().take(3).cloned().collect();
            r.resize(3, String::new());
            if i % 50 == 0 {
                r.extend([String::new(), "缺考".into()]);
            } else {
                r.push(format!("{}.{}", 40 + i % 60, i % 10));
            }
            r
        })
        .collect();
    let refs: Vec<Vec<&str>> = filled
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let file = vslc_api_tests::workbook(&refs);
    let org = Tenant::new(TenantKind::Org, &plan.org_id);
    let params = serde_json::json!({"planId": DEMO_PLAN_ID, "subjectId": SUBJECT});
    for (label, target) in [
        ("import", " (target ≤ 1 s)"),
        ("import again", " (nothing changes)"),
    ] {
        let queued =
            common::queue_import(&state, &org, "scores", params.clone(), file.clone()).await?;
        let run = common::run_queued(&state, &org, queued).await?;
        println!("scores {label}: {}{target}", run.summary("rows"));
        anyhow::ensure!(
            run.record.success as usize == REGISTRATIONS,
            "scores not all saved: {:?}",
            run.record.message
        );
    }
    // The 公示期 over: the lock, the anchor and the results, as the period
    // closer runs them.
    plan.publicity = Window::new(now - Duration::days(2), now - Duration::hours(1));
    state.table.put(plan.to_item()?, None).await?;
    let before = peak_mb();
    reset_peak();
    let (t, cpu) = (Instant::now(), cpu_secs());
    let locked = vslc_scores::lock::lock_plan(&state, &plan).await?;
    let locked_at = t.elapsed().as_secs_f64();
    let results = vslc_scores::results::compute_plan(&state, &plan).await?;
    println!(
        "lock + results: {locked} sheet steps ({locked_at:.2} s) and {results} results, {:.2} s, CPU {:.2} s, peak RSS {:.0} MB (before {before:.0} MB; target ≤ 2 s)",
        t.elapsed().as_secs_f64(),
        cpu_secs() - cpu,
        peak_mb()
    );
    anyhow::ensure!(results == REGISTRATIONS, "results: {results}");
    for path in [
        "/api/statistics/certificates?year=2026",
        "/api/statistics/levels",
    ] {
        let ms = median_ms(&http, &running.base_url, &token, path, 20).await?;
        println!("GET {path}: median {ms:.1} ms of 20 (target ≤ 20 ms)");
    }
    for path in [
        format!("/api/scores?planId={DEMO_PLAN_ID}&pageSize=20"),
        format!("/api/results?planId={DEMO_PLAN_ID}&pageSize=20"),
    ] {
        let ms = median_ms(&http, &running.base_url, &token, &path, 5).await?;
        println!("GET {path}: median {ms:.1} ms of 5");
    }
    running.shutdown().await?;
    Ok(())
}

/// 批量打印 of the arranged plan: 考场门贴 and 考场签到表 of every room.
async fn print() -> anyhow::Result<()> {
    let dir = data_dir();
    let (running, http, token) = signed_in(&dir).await?;
    let before = peak_mb();
    reset_peak();
    let (t, cpu) = (Instant::now(), cpu_secs());
    let r: serde_json::Value = http
        .post(format!("{}/api/scheduling/prints", running.base_url))
        .bearer_auth(&token)
        .json(&serde_json::json!({"planId": DEMO_PLAN_ID, "documents": ["考场门贴", "考场签到表"]}))
        .send()
        .await?
        .json()
        .await?;
    let id = r["id"].as_str().unwrap_or_default().to_owned();
    anyhow::ensure!(!id.is_empty(), "print job refused: {r}");
    let job = loop {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let job: serde_json::Value = http
            .get(format!("{}/api/scheduling/prints/{id}", running.base_url))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        if matches!(job["status"].as_str(), Some("已完成" | "失败")) {
            break job;
        }
    };
    let secs = t.elapsed().as_secs_f64();
    println!(
        "print: {} rooms, {} PDFs, zip {:.0} MB, {secs:.2} s, CPU {:.2} s, peak RSS {:.0} MB (before the request {before:.0} MB; target ≤ 20 s on 2 cores, ≤ 150 MB)",
        job["roomsTotal"],
        job["files"],
        job["size"].as_f64().unwrap_or_default() / 1e6,
        cpu_secs() - cpu,
        peak_mb()
    );
    anyhow::ensure!(
        job["status"] == "已完成"
            && job["roomsTotal"].as_u64().unwrap_or_default() * SEATS as u64
                >= REGISTRATIONS as u64
            && job["files"] == 2 * job["roomsTotal"].as_u64().unwrap_or_default(),
        "print job failed: {job}"
    );
    running.shutdown().await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn dynamodb() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let state = common::open(dir.path())?;
    let (state, requests) = common::on_moto(state).await?;
    vslc_app::seed::seed_demo(&state).await?;
    let (regs, rooms) = (2_000, 60);
    let row = populate(&state, 4, regs, rooms, SEATS).await?;
    let session = Session {
        caller: vslc_ports::Caller {
            user_id: "bench".into(),
            account: "bench".into(),
            name: "bench".into(),
            tenant: Tenant::new(TenantKind::School, "10009"),
            tenant_name: "北方工业大学".into(),
            roles: vec![Role::SchoolAdmin],
            cert_lead: false,
            certificates: Vec::new(),
            invigilator_id: None,
        },
        epoch: 0,
        expires_at: i64::MAX,
    };
    use std::sync::atomic::Ordering;
    let (w0, r0) = (
        requests.writes.load(Ordering::Relaxed),
        requests.reads.load(Ordering::Relaxed),
    );
    let t = Instant::now();
    let out = vslc_scheduling::arrange::arrange(&state, &session, &row, Default::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let writes = requests.writes.load(Ordering::Relaxed) - w0;
    let reads = requests.reads.load(Ordering::Relaxed) - r0;
    println!(
        "dynamodb (moto): {} seated in {} rooms with {writes} write requests ({:.1} per 1,000 seats; target ≤ 50) and {reads} read requests, {:.1} s (moto's time, not DynamoDB's)",
        out.seated,
        out.rooms,
        writes as f64 * 1000.0 / out.seated.max(1) as f64,
        t.elapsed().as_secs_f64()
    );
    anyhow::ensure!(
        out.seated == regs as u64,
        "not everyone seated: {}",
        out.message
    );
    Ok(())
}
