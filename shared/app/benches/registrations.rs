//! Registration import and payment order at full size on the embedded
//! backend.
//!
//! `cargo bench -p vslc-shared --bench registrations` stores 50,000
//! candidates (信息准确) of the first demo school, imports a 50,000-row
//! 按证书 registration file for the demo plan (whose 报名 is open) through
//! the import worker, then generates one payment order over all of them,
//! printing wall time, CPU time and peak RSS of each. Targets on 2 cores:
//! import ≤ 1.0 s, order ≤ 0.3 s.

use std::time::Instant;

use vslc_accounts::{Role, Session, Tenant, TenantKind};
use vslc_app::seed::exam::DEMO_PLAN_ID;
use vslc_candidates::InfoStatus;
use vslc_exam::plans::RegistrationMode;
use vslc_imports::ImportStatus;
use vslc_ports::AppState;

mod common;
use common::{cpu_secs, peak_mb, reset_peak};

vslc_runtime::global_allocator!();

const ROWS: usize = 50_000;

fn main() -> anyhow::Result<()> {
    match common::steps(&["registrations"])? {
        Some(_) => tokio::runtime::Runtime::new()?.block_on(run()),
        None => Ok(()),
    }
}

/// 50,000 candidates, 信息准确, in a major the certificate lists, stored
/// directly (their import has its own bench).
async fn candidates(state: &AppState, school: &Tenant) -> anyhow::Result<Vec<(String, String)>> {
    let mut all = common::candidates_in(state, ROWS, Some("510201 计算机应用技术")).await?;
    for c in &mut all {
        c.status = InfoStatus::Accurate;
    }
    let nos = all
        .iter()
        .map(|c| (c.candidate_no.clone(), c.name.clone()))
        .collect();
    common::store_candidates(state, school, &all).await?;
    Ok(nos)
}

/// A 按证书 registration file: each candidate by 考生编号, with the name.
fn file(nos: &[(String, String)]) -> anyhow::Result<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory()?;
    for (c, h) in ["*考生编号或证件号码", "姓名", "*考试证书", "*证书等级"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, (no, name)) in nos.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, no)?;
        ws.write_string(row, 1, name)?;
        ws.write_string(row, 2, "Web前端开发职业技能等级证书")?;
        ws.write_string(row, 3, "初级")?;
    }
    Ok(wb.save_to_buffer()?)
}

async fn run() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let state = common::open(dir.path())?;
    vslc_app::seed::seed_demo(&state).await?;
    let school = Tenant::new(TenantKind::School, "10009");
    let t = Instant::now();
    let nos = candidates(&state, &school).await?;
    let bytes = file(&nos)?;
    println!(
        "set up {ROWS} candidates and a {:.1} MB registration file in {:.2} s",
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let queued = common::queue_import(
        &state,
        &school,
        "registrations-by-certificate",
        serde_json::json!({"planId": DEMO_PLAN_ID}),
        bytes,
    )
    .await?;
    let run = common::run_queued(&state, &school, queued).await?;
    println!("import: {} (target ≤ 1.0 s)", run.summary("registrations"));
    let done = run.record;
    anyhow::ensure!(
        done.status == ImportStatus::Completed && done.success == ROWS,
        "import did not register everyone: {:?} {} {:?}",
        done.status,
        done.success,
        done.message
    );

    let session = Session {
        caller: vslc_ports::Caller {
            user_id: "bench".into(),
            account: "bench".into(),
            name: "bench".into(),
            tenant: school.clone(),
            tenant_name: "北方工业大学".into(),
            roles: vec![Role::SchoolAdmin],
            cert_lead: false,
            certificates: Vec::new(),
            invigilator_id: None,
        },
        epoch: 0,
        expires_at: i64::MAX,
    };
    reset_peak();
    let (t, cpu) = (Instant::now(), cpu_secs());
    let order = vslc_payments::service::generate(
        &state,
        &session,
        vslc_payments::service::GenerateInput {
            plan_id: DEMO_PLAN_ID.try_into().unwrap(),
            certificate_id: "CERT0101".try_into().unwrap(),
            mode: RegistrationMode::ByCertificate,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "order: {} with {} registrations, {} 元, in {secs:.3} s, CPU {:.2} s, peak RSS {:.0} MB (target ≤ 0.3 s)",
        order.no,
        order.count,
        vslc_exam::plans::yuan(order.total_cents),
        cpu_secs() - cpu,
        peak_mb()
    );
    anyhow::ensure!(
        order.count as usize == ROWS,
        "the order missed registrations"
    );
    Ok(())
}
