//! What every bench prints: peak RSS and CPU time of the step's own process.
//! Each bench uses some of these helpers.
#![allow(dead_code)]

/// Peak resident set size in MB since the last reset (Linux).
pub fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resets the peak to the current RSS, so a step's own peak is measured.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// CPU seconds (user + system) this process has used (Linux).
pub fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// A valid 身份证 number for row `i`.
pub fn id_number(i: usize) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(1995, 1, 1).unwrap()
        + chrono::Duration::days((i / 1000) as i64);
    let first = format!("110105{}{:03}", date.format("%Y%m%d"), i % 1000);
    let check = vslc_ports::domain::identity::check_char(first.as_bytes()) as char;
    format!("{first}{check}")
}

/// Runs each step in a fresh process (its peak RSS is its own); a step name
/// as the first argument runs that step here.
pub fn steps(all: &[&str]) -> anyhow::Result<Option<String>> {
    if let Some(step) = std::env::args()
        .nth(1)
        .filter(|a| all.contains(&a.as_str()))
    {
        vslc_runtime::lambda::init_tracing(false);
        return Ok(Some(step));
    }
    for step in all {
        let status = std::process::Command::new(std::env::current_exe()?)
            .arg(step)
            .status()?;
        anyhow::ensure!(status.success(), "{step} step failed");
    }
    Ok(None)
}

/// The header row of a 院校考生 roster, as the import's template writes it
/// (`*` before a required column).
pub fn roster_head() -> Vec<String> {
    use vslc_imports::ImportKind;
    vslc_candidates::import::CandidatesImport
        .columns(&serde_json::json!({"kind": "school"}))
        .iter()
        .map(|c| c.label())
        .collect()
}

/// `n` checked, numbered 院校考生 (major 510201), not stored.
pub async fn candidates(
    state: &vslc_ports::AppState,
    n: usize,
) -> anyhow::Result<Vec<vslc_candidates::Candidate>> {
    use vslc_candidates::service::{CandidateInput, check, majors, new_candidates};
    let today = state.clock.now_cst().date_naive();
    let major = majors(state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .resolve("510201")
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let checked = (0..n)
        .map(|i| {
            let input = CandidateInput {
                kind: vslc_candidates::CandidateKind::School,
                name: format!("学生{i}"),
                name_pinyin: "XUE SHENG".into(),
                gender: None,
                id_type: vslc_ports::domain::IdType::ResidentId,
                id_number: id_number(i),
                phone: Some(format!("185{:08}", i)),
                major_code: Some("510201".into()),
                major_level: None,
                enrolment_year: Some(2024),
                work_unit: None,
            };
            check(&input, today, major.clone()).map_err(|e| anyhow::anyhow!(e))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(new_candidates(state, checked).await?)
}

/// Stores candidates directly, with their uniqueness guards (their import
/// has its own bench).
pub async fn store_candidates(
    state: &vslc_ports::AppState,
    school: &vslc_accounts::Tenant,
    all: &[vslc_candidates::Candidate],
) -> anyhow::Result<()> {
    for chunk in all.chunks(10_000) {
        let groups = chunk
            .iter()
            .map(|c| c.guarded(school, None))
            .collect::<Result<Vec<_>, vslc_ports::TableError>>()?;
        state.table.insert_guarded(groups).await?;
    }
    Ok(())
}

/// Stores an upload and its 排队中 import record, as `POST /api/imports`
/// and the PUT would; returns the upload key and the import id.
pub async fn queue_import(
    state: &vslc_ports::AppState,
    school: &vslc_accounts::Tenant,
    kind: &str,
    params: serde_json::Value,
    bytes: Vec<u8>,
) -> anyhow::Result<(String, String)> {
    use vslc_imports::ImportRecord;
    let record = ImportRecord {
        file_name: "bench.xlsx".into(),
        params,
        created_by: "bench".into(),
        created_by_name: "bench".into(),
        ..ImportRecord::queued(kind, school, "xlsx")
    };
    state
        .uploads
        .put(
            &record.upload_key,
            bytes,
            vslc_imports::xlsx::XLSX_CONTENT_TYPE,
        )
        .await?;
    record.create(state.table.as_ref()).await?;
    Ok((record.upload_key, record.id))
}

/// Queues a 院校考生 roster's import (`candidates`, kind `school`).
pub async fn queue_roster(
    state: &vslc_ports::AppState,
    school: &vslc_accounts::Tenant,
    bytes: Vec<u8>,
) -> anyhow::Result<(String, String)> {
    let params = serde_json::json!({"kind": "school"});
    queue_import(state, school, "candidates", params, bytes).await
}

/// What one timed import run measured.
pub struct ImportRun {
    pub record: vslc_imports::ImportRecord,
    pub secs: f64,
    pub cpu: f64,
    pub peak_mb: f64,
}

impl ImportRun {
    /// `<total> <rows> (<n> saved, <n> failed) in … s = … rows/s, CPU … s,
    /// peak RSS … MB`: the line a bench prints for a timed import.
    pub fn summary(&self, rows: &str) -> String {
        let (done, secs) = (&self.record, self.secs);
        format!(
            "{} {rows} ({} saved, {} failed) in {secs:.3} s = {:.0} rows/s, CPU {:.2} s, peak RSS {:.0} MB",
            done.total,
            done.success,
            done.failed,
            done.total as f64 / secs,
            self.cpu,
            self.peak_mb
        )
    }
}

/// Runs a queued import through the worker, timed (wall and CPU) from a
/// reset peak RSS, and reads its record back.
pub async fn run_queued(
    state: &vslc_ports::AppState,
    school: &vslc_accounts::Tenant,
    (key, id): (String, String),
) -> anyhow::Result<ImportRun> {
    use vslc_imports::{ImportRecord, worker::ImportWorker};
    let worker = ImportWorker::new(state.clone(), vslc_app::import_kinds());
    reset_peak();
    let (t, cpu) = (std::time::Instant::now(), cpu_secs());
    worker.process_key(&key, false).await?;
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu;
    let peak_mb = peak_mb();
    let record = ImportRecord::load(state.table.as_ref(), school, &id)
        .await?
        .expect("record");
    Ok(ImportRun {
        record,
        secs,
        cpu,
        peak_mb,
    })
}

/// The embedded platform on a data directory (no seed data).
pub fn open(dir: &std::path::Path) -> anyhow::Result<vslc_ports::AppState> {
    use vslc_ports::config::{Backend, Config};
    let mut config = Config::from_env(Backend::Embedded)?;
    config.data_dir = dir.to_path_buf();
    let clock = std::sync::Arc::new(vslc_ports::SystemClock);
    Ok(vslc_runtime::embedded(config, clock, "http://127.0.0.1:1")?.0)
}
