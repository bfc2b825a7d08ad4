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

/// A valid 身份证 number for row `i` (sequential: the hostile files' filler).
pub fn id_number(i: usize) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(1995, 1, 1).unwrap()
        + chrono::Duration::days((i / 1000) as i64);
    let first = format!("110105{}{:03}", date.format("%Y%m%d"), i % 1000);
    let check = vslc_ports::domain::identity::check_char(first.as_bytes()) as char;
    format!("{first}{check}")
}

/// Surnames and given-name characters with their pinyin (the same as
/// `scripts/load.py`).
const SURNAMES: [(&str, &str); 44] = [
    ("王", "WANG"),
    ("李", "LI"),
    ("张", "ZHANG"),
    ("刘", "LIU"),
    ("陈", "CHEN"),
    ("杨", "YANG"),
    ("黄", "HUANG"),
    ("赵", "ZHAO"),
    ("吴", "WU"),
    ("周", "ZHOU"),
    ("徐", "XU"),
    ("孙", "SUN"),
    ("马", "MA"),
    ("朱", "ZHU"),
    ("胡", "HU"),
    ("郭", "GUO"),
    ("何", "HE"),
    ("高", "GAO"),
    ("林", "LIN"),
    ("罗", "LUO"),
    ("郑", "ZHENG"),
    ("梁", "LIANG"),
    ("谢", "XIE"),
    ("宋", "SONG"),
    ("唐", "TANG"),
    ("许", "XU"),
    ("韩", "HAN"),
    ("冯", "FENG"),
    ("邓", "DENG"),
    ("曹", "CAO"),
    ("彭", "PENG"),
    ("曾", "ZENG"),
    ("肖", "XIAO"),
    ("田", "TIAN"),
    ("董", "DONG"),
    ("潘", "PAN"),
    ("蒋", "JIANG"),
    ("蔡", "CAI"),
    ("余", "YU"),
    ("杜", "DU"),
    ("叶", "YE"),
    ("程", "CHENG"),
    ("欧阳", "OUYANG"),
    ("司马", "SIMA"),
];
const GIVEN: [(&str, &str); 42] = [
    ("伟", "WEI"),
    ("芳", "FANG"),
    ("娜", "NA"),
    ("敏", "MIN"),
    ("静", "JING"),
    ("丽", "LI"),
    ("强", "QIANG"),
    ("磊", "LEI"),
    ("军", "JUN"),
    ("洋", "YANG"),
    ("勇", "YONG"),
    ("艳", "YAN"),
    ("杰", "JIE"),
    ("娟", "JUAN"),
    ("涛", "TAO"),
    ("明", "MING"),
    ("超", "CHAO"),
    ("秀", "XIU"),
    ("霞", "XIA"),
    ("平", "PING"),
    ("刚", "GANG"),
    ("桂", "GUI"),
    ("英", "YING"),
    ("华", "HUA"),
    ("文", "WEN"),
    ("宇", "YU"),
    ("浩", "HAO"),
    ("欣", "XIN"),
    ("梓", "ZI"),
    ("涵", "HAN"),
    ("子", "ZI"),
    ("轩", "XUAN"),
    ("雨", "YU"),
    ("萱", "XUAN"),
    ("思", "SI"),
    ("佳", "JIA"),
    ("博", "BO"),
    ("一", "YI"),
    ("诺", "NUO"),
    ("晨", "CHEN"),
    ("嘉", "JIA"),
    ("怡", "YI"),
];
const REGIONS: [&str; 14] = [
    "110101", "110105", "310104", "440305", "510104", "330106", "420102", "320102", "370102",
    "610113", "500103", "513321", "130102", "410105",
];
/// The demo catalogue's majors, as the template's 就读专业 list offers them.
const MAJORS: [&str; 10] = [
    "510201 计算机应用技术",
    "510202 计算机网络技术",
    "510203 软件技术",
    "510204 数字媒体技术",
    "510205 大数据技术",
    "510206 云计算技术应用",
    "510209 人工智能技术应用",
    "530701 电子商务",
    "530302 大数据与会计",
    "520201 护理",
];
const PHONE_PREFIXES: [&str; 28] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "176", "177", "180", "181", "182", "183", "185", "186", "187",
    "188", "189",
];

/// One generated student, as a roster row holds them.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub pinyin: String,
    pub id_number: String,
    pub phone: String,
    pub major: &'static str,
    pub year: i32,
}

/// Realistic people (issue 14): real surnames and given names with their
/// pinyin, random valid 身份证 numbers (14 regions, born 2000–2007, no two
/// alike), random mobile numbers, the demo catalogue's majors and entry
/// years 2022–2025. The same seed gives the same people.
pub struct People {
    state: u64,
    taken: std::collections::HashSet<String>,
}

impl People {
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed,
            taken: std::collections::HashSet::new(),
        }
    }

    /// splitmix64: good enough spread for test data, no dependency.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }

    fn id_number(&mut self) -> String {
        let born = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        loop {
            let birth = born + chrono::Duration::days(self.below(8 * 365) as i64);
            let first = format!(
                "{}{}{:03}",
                self.pick(&REGIONS),
                birth.format("%Y%m%d"),
                self.below(1000)
            );
            let check = vslc_ports::domain::identity::check_char(first.as_bytes()) as char;
            let number = format!("{first}{check}");
            if self.taken.insert(number.clone()) {
                return number;
            }
        }
    }

    pub fn next_person(&mut self) -> Person {
        let (surname, pinyin) = self.pick(&SURNAMES);
        let mut name = surname.to_owned();
        let mut spelled = pinyin.to_owned();
        for _ in 0..[1, 2, 2][self.below(3)] {
            let (c, p) = self.pick(&GIVEN);
            name.push_str(c);
            spelled.push(' ');
            spelled.push_str(p);
        }
        let id_number = self.id_number();
        let phone = format!(
            "{}{:08}",
            self.pick(&PHONE_PREFIXES),
            self.below(100_000_000)
        );
        Person {
            name,
            pinyin: spelled,
            id_number,
            phone,
            major: self.pick(&MAJORS),
            year: 2022 + self.below(4) as i32,
        }
    }
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

/// `n` checked, numbered 院校考生 from `People::new(SEED)`, not stored.
pub async fn candidates(
    state: &vslc_ports::AppState,
    n: usize,
) -> anyhow::Result<Vec<vslc_candidates::Candidate>> {
    candidates_in(state, n, None).await
}

/// As `candidates`, everyone in `major` if one is given (a certificate's
/// registrations need a major it lists).
pub async fn candidates_in(
    state: &vslc_ports::AppState,
    n: usize,
    major: Option<&'static str>,
) -> anyhow::Result<Vec<vslc_candidates::Candidate>> {
    use vslc_candidates::service::{CandidateInput, check, majors, new_candidates};
    let today = state.clock.now_cst().date_naive();
    let majors = majors(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut people = People::new(SEED);
    let checked = (0..n)
        .map(|_| {
            let mut p = people.next_person();
            p.major = major.unwrap_or(p.major);
            let major = majors.resolve(p.major).map_err(|e| anyhow::anyhow!(e))?;
            let input = CandidateInput {
                kind: vslc_candidates::CandidateKind::School,
                name: p.name,
                name_pinyin: p.pinyin,
                gender: None,
                id_type: vslc_ports::domain::IdType::ResidentId,
                id_number: p.id_number,
                phone: Some(p.phone),
                major_code: Some(p.major.into()),
                major_level: None,
                enrolment_year: Some(p.year),
                work_unit: None,
            };
            check(&input, today, major).map_err(|e| anyhow::anyhow!(e))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(new_candidates(state, checked).await?)
}

/// The seed of the benches' people: `People::new(SEED)` is who
/// `candidates` stores, in order.
pub const SEED: u64 = 14;

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

/// Every `"pk": {"S": …}` in a request body.
fn partition_keys(v: &serde_json::Value, out: &mut std::collections::HashSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.get("S").and_then(|s| s.as_str())) {
                    ("pk", Some(pk)) => {
                        out.insert(pk.to_owned());
                    }
                    _ => partition_keys(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| partition_keys(v, out)),
        _ => {}
    }
}

/// What the DynamoDB adapter sent, counted as the SDK sends it: read
/// requests, write requests and the distinct partition keys written.
#[derive(Debug, Default, Clone)]
pub struct Requests {
    pub reads: std::sync::Arc<std::sync::atomic::AtomicU64>,
    pub writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    pub partitions: std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl aws_smithy_runtime_api::client::interceptors::Intercept for Requests {
    fn name(&self) -> &'static str {
        "request-counter"
    }
    fn read_before_transmit(
        &self,
        ctx: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _rc: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        use std::sync::atomic::Ordering;
        let target = ctx
            .request()
            .headers()
            .get("x-amz-target")
            .unwrap_or_default();
        let read = ["GetItem", "Query", "Scan", "DescribeTable", "BatchGetItem"]
            .iter()
            .any(|op| target.ends_with(op));
        if read {
            self.reads.fetch_add(1, Ordering::Relaxed);
        } else {
            self.writes.fetch_add(1, Ordering::Relaxed);
            if let Some(body) = ctx.request().body().bytes()
                && let Ok(v) = serde_json::from_slice::<serde_json::Value>(body)
            {
                partition_keys(
                    &v,
                    &mut self.partitions.lock().unwrap_or_else(|p| p.into_inner()),
                );
            }
        }
        Ok(())
    }
}

/// The same state with its table on a fresh table in moto's DynamoDB
/// (`VSLC_MOTO_ENDPOINT`), counting the requests the SDK sends. The table
/// starts empty: seed what the step needs.
pub async fn on_moto(
    mut state: vslc_ports::AppState,
) -> anyhow::Result<(vslc_ports::AppState, Requests)> {
    let endpoint = std::env::var("VSLC_MOTO_ENDPOINT")?;
    let conf = vslc_adapters::aws::sdk_config(Some(&endpoint)).await;
    let counter = Requests::default();
    let ddb = aws_sdk_dynamodb::config::Builder::from(&conf)
        .interceptor(counter.clone())
        .build();
    let table = vslc_adapters::aws::DynamoTable::new(
        aws_sdk_dynamodb::Client::from_conf(ddb),
        format!("bench-{}", ulid::Ulid::new()),
    );
    table.create_table_if_missing().await?;
    state.table = std::sync::Arc::new(table);
    Ok((state, counter))
}
