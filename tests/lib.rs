//! `spawn_app()`: the dev server on port 0 over a fresh temporary data dir,
//! and a small HTTP client that speaks the platform's conventions.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use vslc_ports::SystemClock;
use vslc_ports::config::{Backend, Config};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub running: Option<vslc_local::Running>,
    pub dir: tempfile::TempDir,
}

/// The moto endpoint the API tests run against, when `VSLC_TEST_BACKEND`
/// is `moto` (the test script's second run); embedded storage otherwise.
pub fn moto_endpoint() -> Option<String> {
    match std::env::var("VSLC_TEST_BACKEND").as_deref() {
        Ok("moto") => Some(
            std::env::var("VSLC_MOTO_ENDPOINT")
                .expect("VSLC_TEST_BACKEND=moto needs VSLC_MOTO_ENDPOINT (moto's server)"),
        ),
        Ok("embedded") | Err(_) => None,
        Ok(other) => panic!("VSLC_TEST_BACKEND={other}: expected embedded or moto"),
    }
}

/// On moto, skips the rest of a test that meets one of moto's documented
/// gaps: says so, and records the test and the reason in the file named
/// by `VSLC_TEST_SKIP_LOG`, which the test script counts. Use as
/// `if skip_on_moto("…") { return; }`.
pub fn skip_on_moto(reason: &str) -> bool {
    if moto_endpoint().is_none() {
        return false;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("an API test")
        .to_owned();
    eprintln!("SKIPPED on moto: {test}: {reason}");
    if let Ok(path) = std::env::var("VSLC_TEST_SKIP_LOG") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{test}: {reason}");
        }
    }
    true
}

/// Configuration for a test server: port 0, its own data dir, and on moto
/// its own table, buckets and queues (created here, named for this server).
pub async fn test_config(dir: &std::path::Path) -> Config {
    // The servers' logs, when asked for (`RUST_LOG=warn cargo test …`).
    if std::env::var_os("RUST_LOG").is_some() {
        vslc_runtime::lambda::init_tracing(false);
    }
    let mut c = Config::from_env(Backend::Embedded).expect("config");
    c.backend = Backend::Embedded;
    c.data_dir = dir.to_path_buf();
    c.bind = "127.0.0.1".into();
    c.port = 0;
    c.public_url = None;
    c.seed_demo = true;
    c.seed_scheduling = false;
    c.period_closer_interval = Duration::from_secs(3600);
    if let Some(endpoint) = moto_endpoint() {
        let run = ulid::Ulid::new().to_string().to_lowercase();
        c.backend = Backend::Aws;
        c.aws_endpoint = Some(endpoint);
        c.table = format!("t-{run}");
        c.upload_bucket = format!("uploads-{run}");
        c.document_bucket = format!("documents-{run}");
        vslc_runtime::provision(&mut c)
            .await
            .expect("moto resources created");
    }
    c
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Arc::new(SystemClock)).await
}

/// A test server on this clock (a `ManualClock` lets a test move time
/// across an exam plan's windows).
pub async fn spawn_app_with(clock: Arc<dyn vslc_ports::Clock>) -> TestApp {
    spawn_app_configured(clock, |_| {}).await
}

/// A test server on this clock with its configuration changed first (the
/// 排考 demo data on, say).
pub async fn spawn_app_configured(
    clock: Arc<dyn vslc_ports::Clock>,
    change: impl FnOnce(&mut Config),
) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(dir.path()).await;
    change(&mut config);
    let running = vslc_local::start(config, clock)
        .await
        .expect("server starts");
    TestApp {
        base: running.base_url.clone(),
        http: reqwest::Client::new(),
        running: Some(running),
        dir,
    }
}

/// A response: status and JSON body (Null when the body is not JSON).
pub struct Resp {
    pub status: u16,
    pub body: Value,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let r = req.send().await.expect("request sent");
        let status = r.status().as_u16();
        let body = r.json::<Value>().await.unwrap_or(Value::Null);
        Resp { status, body }
    }

    /// The bytes behind a link the API handed out (an export, a failed-rows
    /// file): a signed URL, fetched without the session.
    pub async fn download(&self, url: &str) -> Vec<u8> {
        let r = self.http.get(url).send().await.expect("download sent");
        assert!(r.status().is_success(), "{url}: {}", r.status());
        r.bytes().await.expect("download read").to_vec()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    /// A login attempt from another loopback address (`[127, 0, 0, n]`):
    /// the server sees each address as a different client.
    pub async fn login_from(&self, from: [u8; 4], account: &str, password: &str) -> Resp {
        let client = reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(from))
            .build()
            .expect("client");
        self.send(
            client
                .post(self.url("/api/auth/login"))
                .json(&json!({"account": account, "password": password})),
        )
        .await
    }

    /// Logs a demo account in; returns its token.
    pub async fn login(&self, account: &str) -> String {
        let r = self
            .post(
                "/api/auth/login",
                None,
                json!({"account": account, "password": vslc_app::seed::DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(r.status, 200, "login {account}: {}", r.body);
        r.body["token"].as_str().expect("token").to_owned()
    }

    /// Creates an import, uploads the bytes, and returns the import id.
    pub async fn upload_import(
        &self,
        token: &str,
        kind: &str,
        file_name: &str,
        bytes: Vec<u8>,
        dry_run: bool,
    ) -> String {
        self.upload_import_with(token, kind, file_name, bytes, dry_run, Value::Null)
            .await
    }

    /// `upload_import` with the import's `params`.
    pub async fn upload_import_with(
        &self,
        token: &str,
        kind: &str,
        file_name: &str,
        bytes: Vec<u8>,
        dry_run: bool,
        params: Value,
    ) -> String {
        let r = self
            .post(
                "/api/imports",
                Some(token),
                json!({"type": kind, "fileName": file_name, "dryRun": dry_run, "params": params}),
            )
            .await;
        assert_eq!(r.status, 201, "create import: {}", r.body);
        let url = r.body["uploadUrl"].as_str().unwrap();
        let ct = r.body["contentType"].as_str().unwrap();
        let put = self
            .http
            .put(url)
            .header("content-type", ct)
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert!(
            put.status().is_success(),
            "upload answered {}",
            put.status()
        );
        r.body["id"].as_str().unwrap().to_owned()
    }

    /// Polls an import until it is finished (or 60 s pass).
    pub async fn wait_import(&self, token: &str, id: &str) -> Value {
        for _ in 0..600 {
            let r = self.get(&format!("/api/imports/{id}"), Some(token)).await;
            assert_eq!(r.status, 200, "{}", r.body);
            if matches!(r.body["status"].as_str(), Some("已完成" | "失败")) {
                return r.body;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("import {id} did not finish");
    }

    /// The 失败原因 column of a finished import's failed-rows file (none
    /// when every row passed).
    pub async fn failure_reasons(&self, record: &Value) -> Vec<String> {
        let Some(url) = record["failedRowsUrl"].as_str() else {
            return Vec::new();
        };
        let bytes = self
            .http
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let rows = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
        rows[1..]
            .iter()
            .map(|r| r.last().cloned().unwrap_or_default())
            .collect()
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await.expect("clean shutdown");
        }
    }
}

/// An xlsx with these rows (first row = headers), every cell as text.
pub fn workbook(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// A cell of an exported sheet, with its type.
#[derive(Debug, Clone, PartialEq)]
pub enum XCell {
    Empty,
    Text(String),
    Number(f64),
}

/// The first sheet of an xlsx with typed cells: a quantity must be a number
/// a spreadsheet can sum, an ID number or code must stay text.
pub fn typed_sheet(bytes: &[u8]) -> Vec<Vec<XCell>> {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).expect("a sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Empty => XCell::Empty,
                    Data::Int(i) => XCell::Number(*i as f64),
                    Data::Float(f) => XCell::Number(*f),
                    other => XCell::Text(other.to_string()),
                })
                .collect()
        })
        .collect()
}

/// The column of a header in a typed sheet.
pub fn column(sheet: &[Vec<XCell>], header: &str) -> usize {
    sheet[0]
        .iter()
        .position(|c| *c == XCell::Text(header.into()))
        .unwrap_or_else(|| panic!("no column {header}"))
}

/// A w×h RGBA PNG (red, like a seal).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        let mut writer = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h).flat_map(|_| [220, 20, 20, 255]).collect();
        writer.write_image_data(&data).unwrap();
    }
    out
}

/// A red `w`×`h` JPEG, like a checked candidate photo.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([210, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("JPEG encoded");
    out.into_inner()
}

impl TestApp {
    /// Stores a generated document directly (a photo the tests attach
    /// without its upload round trip).
    pub async fn put_document(&self, key: &str, bytes: Vec<u8>, content_type: &str) {
        let state = self.running.as_ref().expect("running").state.clone();
        state
            .documents
            .put(key, bytes, content_type)
            .await
            .expect("document stored");
    }

    /// PUT bytes to an upload URL the API handed out.
    pub async fn put_upload(&self, answer: &Value, bytes: Vec<u8>) -> u16 {
        let url = answer["uploadUrl"].as_str().expect("upload URL");
        let ct = answer["contentType"].as_str().expect("content type");
        self.http
            .put(url)
            .header("content-type", ct)
            .body(bytes)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// Changes a candidate of the first demo school directly in the store,
    /// for states the API reaches only through other areas (信息准确 after a
    /// 公安 check, registrations).
    pub async fn set_candidate(&self, no: &str, update: vslc_ports::table::Update) {
        self.set_candidate_of("10009", no, update).await;
    }

    /// [`Self::set_candidate`] for a candidate of any school.
    pub async fn set_candidate_of(
        &self,
        school_id: &str,
        no: &str,
        update: vslc_ports::table::Update,
    ) {
        let school = vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, school_id);
        let state = self.running.as_ref().expect("running").state.clone();
        let c = vslc_candidates::service::find(&state, &school, no)
            .await
            .expect("read")
            .expect("the candidate");
        // A new status goes the way the services move it: with its list
        // row and counters.
        let status = update
            .set
            .iter()
            .find(|(name, _)| name == "status")
            .and_then(|(_, v)| v.as_str())
            .map(|s| vslc_candidates::InfoStatus::from_label(s).expect("a status"));
        let Some(status) = status else {
            state
                .table
                .update(&c.item_key(&school), update, None)
                .await
                .expect("candidate updated");
            return;
        };
        let mut rest = update;
        rest.set.retain(|(name, _)| name != "status");
        state
            .table
            .transact(c.change_status(&school, status, rest).into_ops())
            .await
            .expect("candidate updated");
    }

    /// Sets a school's finished import back to 处理中 and delivers its S3
    /// event again, as if the worker had died before finishing.
    pub async fn redeliver_import(&self, school_id: &str, id: &str) {
        use vslc_ports::queue::{QueueName, QueueRef};
        let state = self.running.as_ref().expect("running").state.clone();
        let tenant = vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, school_id);
        state
            .table
            .update(
                &vslc_imports::ImportRecord::key(&tenant, id),
                vslc_ports::table::Update::new().set("status", "处理中"),
                None,
            )
            .await
            .expect("record reset");
        let upload_key = format!("imports/school/{school_id}/{id}.xlsx");
        let event = vslc_adapters::embedded::serve::s3_created_event(
            state.uploads.bucket(),
            &upload_key,
            1,
        );
        vslc_ports::queue::send(
            state.queue.as_ref(),
            QueueRef::main(QueueName::Imports),
            event,
        )
        .await
        .expect("event sent");
    }

    /// Changes a stored exam plan directly (a published plan is read-only
    /// through the API): for exam times a test needs.
    pub async fn edit_plan(&self, id: &str, edit: impl FnOnce(&mut vslc_exam::Plan)) {
        let state = self.running.as_ref().expect("running").state.clone();
        let mut plan = vslc_exam::Plan::load(&state, id)
            .await
            .expect("read")
            .expect("the plan");
        edit(&mut plan);
        state
            .table
            .put(plan.to_item().expect("item"), None)
            .await
            .expect("plan saved");
    }

    pub async fn delete(&self, path: &str, token: &str) -> Resp {
        self.send(self.http.delete(self.url(path)).bearer_auth(token))
            .await
    }

    /// Sets a demo-school candidate's registration count directly, for
    /// states reached only through registrations.
    pub async fn set_registrations(&self, no: &str, count: i64) {
        let school = vslc_accounts::Tenant::new(vslc_accounts::TenantKind::School, "10009");
        let state = self.running.as_ref().expect("running").state.clone();
        let c = vslc_candidates::service::find(&state, &school, no)
            .await
            .expect("read")
            .expect("the candidate");
        state
            .table
            .update(
                &c.item_key(&school),
                vslc_ports::table::Update::new().set(vslc_candidates::Candidate::COUNT, count),
                None,
            )
            .await
            .expect("count set");
    }

    /// Adds an account (demo password) for a tenant the demo data lacks,
    /// such as a second province.
    pub async fn add_account(
        &self,
        account: &'static str,
        tenant: vslc_accounts::Tenant,
        tenant_name: &'static str,
        role: vslc_accounts::Role,
    ) {
        let state = self.running.as_ref().expect("running").state.clone();
        let a = vslc_app::seed::DemoAccount {
            account,
            name: "测试用户",
            tenant,
            tenant_name,
            role,
        };
        vslc_app::seed::add_account(&state, &a)
            .await
            .expect("account added");
    }

    /// The running platform's state: for a test that must reach past the
    /// API (tampering with a stored record to see it detected).
    pub fn state(&self) -> vslc_ports::AppState {
        self.running.as_ref().expect("running").state.clone()
    }

    /// Runs the period closer once, as its schedule would; returns what it
    /// reported.
    pub async fn run_period_closer(&self) -> Vec<String> {
        use vslc_ports::jobs::ScheduledJob;
        let state = self.running.as_ref().expect("running").state.clone();
        vslc_runtime::jobs::PeriodCloser::new(state, vslc_app::closers())
            .run()
            .await
            .expect("closer ran")
            .steps
    }

    pub async fn put_json(&self, path: &str, token: &str, body: Value) -> Resp {
        self.send(self.http.put(self.url(path)).bearer_auth(token).json(&body))
            .await
    }
}

/// The code the dev SMS outbox holds for this phone (newest first).
pub async fn sms_code(app: &TestApp, phone: &str) -> String {
    let outbox = app.get("/api/dev/sms", None).await;
    let text = outbox
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["phone"] == phone)
        .expect("a code was sent")["text"]
        .as_str()
        .unwrap()
        .to_owned();
    let start = text.find("验证码为").unwrap() + "验证码为".len();
    text[start..].chars().take(6).collect()
}

/// Creates a sub-account through the SMS-code flow; returns (id, password).
pub async fn create_user(
    app: &TestApp,
    admin: &str,
    account: &str,
    phone: &str,
    role: &str,
) -> (String, String) {
    let sent = app
        .post(
            "/api/users/verification-code",
            Some(admin),
            json!({"phone": phone}),
        )
        .await;
    assert_eq!(sent.status, 204, "{}", sent.body);
    let code = sms_code(app, phone).await;
    let r = app
        .post("/api/users", Some(admin), json!({"account": account, "name": "测试用户", "phone": phone, "code": code, "role": role}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    (
        r.body["user"]["id"].as_str().unwrap().to_owned(),
        r.body["password"].as_str().unwrap().to_owned(),
    )
}

/// A valid 身份证 number: Beijing, born 1990-01-01 + n days, sequence `seq`.
pub fn id_number(n: u32, seq: u32) -> String {
    let date =
        chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Duration::days(n as i64);
    let first = format!("110105{}{:03}", date.format("%Y%m%d"), seq % 1000);
    let check = vslc_ports::domain::identity::check_char(first.as_bytes()) as char;
    format!("{first}{check}")
}

/// The same zip (xlsx) with each entry's bytes passed through `edit`
/// (name, bytes) → bytes: hostile variants of a real workbook.
pub fn rezip(bytes: &[u8], mut edit: impl FnMut(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let name = entry.name().expect("a name").into_owned();
        let mut body = Vec::new();
        entry.read_to_end(&mut body).expect("readable");
        let body = edit(&name, body);
        out.start_file(name, opts).expect("entry started");
        out.write_all(&body).expect("entry written");
    }
    out.finish().expect("zip finished").into_inner()
}

/// The header of a 院校考生 roster.
pub const CANDIDATE_HEAD: [&str; 9] = [
    "*姓名",
    "*姓名拼音",
    "性别",
    "*证件类型",
    "*证件号码",
    "*手机号",
    "*就读专业",
    "专业层次",
    "*入学年份",
];

/// A 院校考生 roster of these ID numbers, every row valid.
pub fn candidate_roster(ids: &[String]) -> Vec<u8> {
    let mut rows: Vec<Vec<String>> = vec![CANDIDATE_HEAD.iter().map(|s| s.to_string()).collect()];
    for (i, id) in ids.iter().enumerate() {
        rows.push(vec![
            format!("学生{i}"),
            "XUE SHENG".into(),
            String::new(),
            "身份证".into(),
            id.clone(),
            "18512340926".into(),
            "510201 计算机应用技术".into(),
            String::new(),
            "2024".into(),
        ]);
    }
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    workbook(&refs)
}
