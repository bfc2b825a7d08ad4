//! Roster import and export at full size on the embedded backend.
//!
//! `cargo bench -p vslc-app --bench candidates` generates a realistic
//! 100,000-row roster (`common::People`: real names with their pinyin,
//! random valid 身份证 numbers, mobile numbers, the catalogue's majors; 10
//! columns, about 1 % bad rows), imports it end to end through
//! the import worker, then exports every candidate, printing wall time,
//! rows per second and peak RSS for each step. Targets on 2 cores: import
//! ≤ 0.8 s and ≤ 120 MB, export ≤ 1.0 s and ≤ 100 MB. With
//! `VSLC_MOTO_ENDPOINT` set (a moto server), a third step imports 1,000 rows
//! into the DynamoDB adapter and counts its write requests per 1,000 rows.

use std::sync::atomic::Ordering;
use std::time::Instant;

use vslc_accounts::{Tenant, TenantKind};
use vslc_imports::ImportStatus;

mod common;
use common::{peak_mb, reset_peak};

vslc_runtime::global_allocator!();

const ROWS: usize = 100_000;

fn roster(rows: usize) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    // An extra column the import ignores.
    let head = [common::roster_head(), vec!["备注".into()]].concat();
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let mut people = common::People::new(common::SEED);
    for i in 0..rows {
        let p = people.next_person();
        let mut id = p.id_number;
        if i % 100 == 7 {
            // About 1 % bad rows: a wrong check character.
            let last = if id.ends_with('0') { "1" } else { "0" };
            id.replace_range(17..18, last);
        }
        let row = [
            p.name,
            p.pinyin,
            String::new(),
            "身份证".into(),
            id,
            p.phone,
            p.major.into(),
            String::new(),
            p.year.to_string(),
            format!("{}级", p.year),
        ];
        for (c, v) in row.iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Each step runs in a fresh process, so its peak RSS is its own.
fn main() -> anyhow::Result<()> {
    if std::env::args().nth(1).as_deref() == Some(SEED_STEP) {
        return tokio::runtime::Runtime::new()?.block_on(seed_export());
    }
    let mut all = vec!["import", "export"];
    if std::env::var("VSLC_MOTO_ENDPOINT").is_ok() {
        all.push("dynamodb");
    } else if std::env::args().nth(1).is_none() {
        println!(
            "(set VSLC_MOTO_ENDPOINT to a moto server to count DynamoDB write requests per 1,000 rows)"
        );
    }
    match common::steps(&all)? {
        Some(step) => tokio::runtime::Runtime::new()?.block_on(run(&step)),
        None => Ok(()),
    }
}

async fn run(step: &str) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    if step == "export" {
        return export(dir.path()).await;
    }
    let state = common::open(dir.path())?;
    vslc_app::seed::catalogue::seed(&state).await?;
    let (state, requests, rows) = if step == "dynamodb" {
        let (state, requests) = common::on_moto(state).await?;
        vslc_app::seed::catalogue::seed(&state).await?;
        (state, Some(requests), 1_000)
    } else {
        (state, None, ROWS)
    };

    let t = Instant::now();
    let bytes = roster(rows);
    println!(
        "generated {rows}-row roster: {:.1} MB in {:.2} s",
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    if requests.is_none() {
        // What the gate costs next to reading the sheet it guards.
        let t = Instant::now();
        let seen = vslc_imports::xlsx_guard::inspect(
            &bytes,
            &vslc_imports::xlsx_guard::Limits::default(),
        )?;
        let gate = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut rows = 0;
        vslc_imports::xlsx::stream_inspected(&bytes, 1_000, |chunk| {
            rows += chunk.len();
            true
        })?;
        println!(
            "gate: {gate:.3} s for {} rows with values; reading the sheet: {:.3} s for {rows} rows",
            seen.valued_rows,
            t.elapsed().as_secs_f64()
        );
    }
    let school = Tenant::new(TenantKind::School, "10009");
    let queued = common::queue_roster(&state, &school, bytes).await?;
    let before = requests
        .as_ref()
        .map_or(0, |r| r.writes.load(Ordering::Relaxed));
    if let Some(r) = &requests {
        r.partitions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
    let run = common::run_queued(&state, &school, queued).await?;
    println!("import: {}", run.summary("rows"));
    assert_eq!(run.record.status, ImportStatus::Completed);
    if let Some(r) = requests {
        let writes = r.writes.load(Ordering::Relaxed) - before;
        let partitions = r.partitions.lock().unwrap_or_else(|p| p.into_inner());
        let school_pk = school.pk();
        let spread = partitions
            .iter()
            .filter(|pk| pk.starts_with(&school_pk))
            .count();
        println!(
            "dynamodb (moto): {writes} write requests for {rows} rows = {:.1} per 1,000 rows; {} partition keys written, {spread} of them the school's",
            writes as f64 * 1000.0 / rows as f64,
            partitions.len()
        );
    }

    Ok(())
}

/// The export step's data, stored by a process of its own (`VSLC_BENCH_DIR`)
/// so that the export's peak RSS owes nothing to storing them.
const SEED_STEP: &str = "export-seed";

async fn seed_export() -> anyhow::Result<()> {
    let dir = std::env::var("VSLC_BENCH_DIR")?;
    let state = common::open(std::path::Path::new(&dir))?;
    vslc_app::seed::catalogue::seed(&state).await?;
    let all = common::candidates(&state, ROWS).await?;
    let school = Tenant::new(TenantKind::School, "10009");
    common::store_candidates(&state, &school, &all).await?;
    Ok(())
}

/// Exports 100,000 stored candidates end to end: read page by page,
/// written to the xlsx, stored and handed out as a link.
async fn export(dir: &std::path::Path) -> anyhow::Result<()> {
    let status = std::process::Command::new(std::env::current_exe()?)
        .arg(SEED_STEP)
        .env("VSLC_BENCH_DIR", dir)
        .status()?;
    anyhow::ensure!(status.success(), "storing the candidates failed");
    let state = common::open(dir)?;
    let school = Tenant::new(TenantKind::School, "10009");
    let session = vslc_accounts::Session {
        caller: vslc_ports::Caller {
            user_id: "bench".into(),
            account: "bench".into(),
            name: "bench".into(),
            tenant: school,
            tenant_name: "北方工业大学".into(),
            roles: vec![vslc_accounts::Role::SchoolAdmin],
            cert_lead: false,
            certificates: Vec::new(),
            invigilator_id: None,
        },
        epoch: 0,
        expires_at: i64::MAX,
    };
    reset_peak();
    let t = Instant::now();
    let file = vslc_candidates::export::export(&state, &session, Default::default()).await?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "export: {} rows in {secs:.3} s = {:.0} rows/s, peak RSS {:.0} MB",
        file.rows,
        file.rows as f64 / secs,
        peak_mb()
    );
    Ok(())
}
