//! 批量打印: the documents of every room a school runs in a plan (or the
//! part of it the 考场编排 filter names — a site, a certificate, a
//! subject) in one zip, made by `print-worker` from the prints queue.
//!
//! The request stores a [`PrintJob`] (排队中) and queues it. The worker
//! claims it (生成中, one attempt more), reads the rooms, and for each
//! room reads its sheet and renders the chosen documents off the async
//! threads — a few rooms at once, so both cores render — each PDF
//! deflated into a one-entry zip where it was made; one writer thread
//! copies those entries as they are into the job's zip in a temporary
//! file. Memory holds a few rooms, whatever the plan's size. Progress is
//! saved every [`PROGRESS_EVERY`]; the file goes to the documents bucket
//! from disk and the job is 已完成 with its key. Every save checks the
//! version read: a second delivery that claimed the job makes the first
//! stop. A failure the user can act on is 失败 with the reason; others
//! are retried by the queue, and after [`MAX_ATTEMPTS`] the job is 失败.

use std::collections::HashSet;
use std::io::{Cursor, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{data, desk, door, signin, ticket};
use crate::context::{self, Subject};
use crate::model::RoomSlot;
use crate::rooms::RoomRowFilter;
use vslc_accounts::{Tenant, TenantKind};
use vslc_http::filter;
use vslc_ports::domain::{OptionalId, RecordId};
use vslc_ports::queue::{QueueName, QueueRef, send};
use vslc_ports::table::{Condition, Key, Query, TableError, TableExt, TxOp, Update, to_item};
use vslc_ports::worker::{Message, Worker};
use vslc_ports::{AppState, Caller, DomainError};

/// Rooms read at once and rendered at once (one a core). Reading more
/// rooms ahead is faster (on the embedded store 4 took 10.1–11.4 s for
/// 2,942 rooms against 12.6–13.6 s) but each room in flight holds its
/// candidates, and the peak passed 150 MB (138–153 MB against 126–127);
/// on DynamoDB a room's reads take tens of milliseconds, so a plan of
/// 3,000 rooms takes a minute or two of the worker's 15.
const READS_AT_ONCE: usize = 2;
const RENDERS_AT_ONCE: usize = 2;

/// The zip's size at most: S3 takes one PUT up to 5 GB, and the worker's
/// temporary storage is 4 GB.
const MAX_ZIP_BYTES: u64 = 3 * 1024 * 1024 * 1024;

/// How often progress is saved (and at least every this many rooms).
const PROGRESS_EVERY: Duration = Duration::from_secs(1);
const PROGRESS_ROOMS: u32 = 200;

/// Deliveries after which a job that never finished is 失败.
pub const MAX_ATTEMPTS: u32 = 3;

/// A job not finished this long after it was queued no longer blocks a
/// new one (its message was lost: three deliveries take at most 48
/// minutes).
const STALE_AFTER: chrono::Duration = chrono::Duration::hours(1);

/// How long the zips are kept (the bucket's lifecycle rule on `prints/`).
const KEPT: chrono::Duration = chrono::Duration::days(30);

/// The jobs 批量打印 lists.
const LISTED: usize = 20;

const ZIP: &str = "application/zip";

/// A document a job prints for each room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum PrintDoc {
    #[serde(rename = "考场门贴")]
    DoorSign,
    #[serde(rename = "考场签到表")]
    SignInSheet,
    #[serde(rename = "考场桌贴")]
    DeskLabels,
    #[serde(rename = "准考证")]
    Tickets,
}

impl PrintDoc {
    pub fn label(self) -> &'static str {
        match self {
            PrintDoc::DoorSign => "考场门贴",
            PrintDoc::SignInSheet => "考场签到表",
            PrintDoc::DeskLabels => "考场桌贴",
            PrintDoc::Tickets => "准考证",
        }
    }
}

/// 打印状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum PrintJobStatus {
    #[serde(rename = "排队中")]
    Queued,
    #[serde(rename = "生成中")]
    Running,
    #[serde(rename = "已完成")]
    Done,
    #[serde(rename = "失败")]
    Failed,
}

impl PrintJobStatus {
    pub fn label(self) -> &'static str {
        match self {
            PrintJobStatus::Queued => "排队中",
            PrintJobStatus::Running => "生成中",
            PrintJobStatus::Done => "已完成",
            PrintJobStatus::Failed => "失败",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, PrintJobStatus::Done | PrintJobStatus::Failed)
    }
}

/// 批量打印: the rooms (the 考场编排 filter; the plan is required) and the
/// documents to print for each.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrintJobInput {
    pub plan_id: RecordId,
    #[serde(default)]
    #[schema(inline, required = false)]
    pub certificate_id: OptionalId,
    /// 考核站点名称 (contains).
    #[serde(default)]
    pub site: Option<String>,
    /// 考试科目 (name or code, contains).
    #[serde(default)]
    pub subject: Option<String>,
    /// 考场名称 (contains).
    #[serde(default)]
    pub room: Option<String>,
    /// At least one.
    pub documents: Vec<PrintDoc>,
}

/// A stored job, in its school's `PRINTJOB` partition (newest last).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintJob {
    pub id: String,
    pub school: Tenant,
    pub plan_id: String,
    pub plan_name: String,
    #[serde(default)]
    pub certificate_id: Option<String>,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub room: Option<String>,
    pub documents: Vec<PrintDoc>,
    pub status: PrintJobStatus,
    pub rooms_total: u32,
    pub rooms_done: u32,
    /// PDFs in the zip.
    pub files: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_key: Option<String>,
    #[serde(default)]
    pub size: u64,
    pub created_by: String,
    pub created_by_name: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    pub attempts: u32,
    pub version: u64,
}

impl PrintJob {
    fn pk(school: &Tenant) -> String {
        school.index("PRINTJOB")
    }

    pub fn key(school: &Tenant, id: &str) -> Key {
        Key::new(Self::pk(school), id)
    }

    /// The lock that lets a school have one job at a time: the job that
    /// holds it.
    fn lock_key(school: &Tenant) -> Key {
        Key::new(school.index("PRINTLOCK"), "LOCK")
    }

    /// Not finished long after it was queued: its message was lost.
    fn stale(&self, now: chrono::NaiveDateTime) -> bool {
        !self.status.is_final() && age(&self.created_at, now).is_some_and(|a| a >= STALE_AFTER)
    }

    fn filter(&self) -> Result<RoomRowFilter, Stop> {
        let plan = RecordId::parse(&self.plan_id)
            .map_err(|_| Stop::Refused("考试计划编号不正确".into()))?;
        Ok(RoomRowFilter {
            plan_id: Some(plan).into(),
            certificate_id: self
                .certificate_id
                .as_deref()
                .and_then(|c| RecordId::parse(c).ok())
                .into(),
            site: self.site.clone(),
            subject: self.subject.clone(),
            room: self.room.clone(),
        })
    }

    /// Saves `update` if the job is still the version read; `false` when
    /// someone else changed it (another delivery claimed it).
    async fn save(&mut self, state: &AppState, update: Update) -> Result<bool, TableError> {
        let key = Self::key(&self.school, &self.id);
        match state
            .table
            .update_versioned::<PrintJob>(&key, self.version, update)
            .await
        {
            Ok(job) => {
                *self = job;
                Ok(true)
            }
            Err(e) if e.is_conflict() => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// A job as 批量打印 shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrintJobView {
    pub id: String,
    pub plan_name: String,
    /// The filter beside the plan, as the page shows it (考核站点 …).
    pub scope: String,
    pub documents: Vec<PrintDoc>,
    pub status: PrintJobStatus,
    pub rooms_total: u32,
    pub rooms_done: u32,
    /// 0–100.
    pub progress: u8,
    pub files: u32,
    /// Bytes of the zip, once made.
    pub size: u64,
    pub message: Option<String>,
    /// Once 已完成: where to download the zip (for a limited time).
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub created_by_name: String,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// How long ago a recorded time (`Clock::now_text`) was.
fn age(recorded: &str, now: chrono::NaiveDateTime) -> Option<chrono::Duration> {
    chrono::NaiveDateTime::parse_from_str(recorded, vslc_ports::clock::TIME_FORMAT)
        .ok()
        .map(|at| now - at)
}

fn file_name(job: &PrintJob) -> String {
    let stamp: String = job
        .created_at
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    format!("批量打印_{}_{stamp}.zip", super::file_safe(&job.plan_name))
}

async fn view(state: &AppState, mut job: PrintJob) -> Result<PrintJobView, DomainError> {
    let now = state.clock.now_local();
    if job.stale(now) {
        job.status = PrintJobStatus::Failed;
        job.message = Some("生成超时未完成，请重新提交".into());
    }
    let expired = job
        .finished_at
        .as_deref()
        .and_then(|t| age(t, now))
        .is_some_and(|a| a >= KEPT);
    if expired && job.status == PrintJobStatus::Done {
        job.zip_key = None;
        job.message = Some("文件已超过保留期（30天），请重新生成".into());
    }
    let url = match (&job.zip_key, job.status) {
        (Some(key), PrintJobStatus::Done) => Some(
            state
                .documents
                .download_url(key, Some(&file_name(&job)), state.config.url_ttl)
                .await?,
        ),
        _ => None,
    };
    let scope = [
        job.site.as_deref().map(|s| format!("考核站点含“{s}”")),
        job.subject.as_deref().map(|s| format!("科目含“{s}”")),
        job.room.as_deref().map(|s| format!("考场含“{s}”")),
        job.certificate_id
            .as_deref()
            .map(|c| format!("证书编号 {c}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("，");
    let progress = match (job.status, job.rooms_total) {
        (PrintJobStatus::Done, _) => 100,
        (_, 0) => 0,
        (_, total) => (u64::from(job.rooms_done) * 100 / u64::from(total)).min(99) as u8,
    };
    Ok(PrintJobView {
        file_name: url.as_ref().map(|_| file_name(&job)),
        url,
        id: job.id,
        plan_name: job.plan_name,
        scope: if scope.is_empty() {
            "全部考场".into()
        } else {
            scope
        },
        documents: job.documents,
        status: job.status,
        rooms_total: job.rooms_total,
        rooms_done: job.rooms_done,
        progress,
        files: job.files,
        size: job.size,
        message: job.message,
        created_by_name: job.created_by_name,
        created_at: job.created_at,
        finished_at: job.finished_at,
    })
}

/// The school's latest jobs, newest first.
async fn latest(state: &AppState, school: &Tenant) -> Result<Vec<PrintJob>, DomainError> {
    let page = state
        .table
        .query(
            Query::partition(PrintJob::pk(school))
                .reverse()
                .limit(LISTED),
        )
        .await?;
    page.items
        .into_iter()
        .map(|i| vslc_ports::table::from_item(i).map_err(DomainError::from))
        .collect()
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(100).collect())
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PrintMessage {
    school_id: String,
    job_id: String,
}

/// 批量打印: stores the job and queues it. One job of a school at a time.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: PrintJobInput,
) -> Result<PrintJobView, DomainError> {
    let school = caller.school_reader()?;
    let mut documents: Vec<PrintDoc> = Vec::new();
    for d in input.documents {
        if !documents.contains(&d) {
            documents.push(d);
        }
    }
    if documents.is_empty() {
        return Err(DomainError::invalid(
            "NO_DOCUMENTS",
            "请至少选择一种要打印的文档",
        ));
    }
    let plan = vslc_exam::Plan::load(state, input.plan_id.as_str())
        .await?
        .filter(|p| p.status == vslc_exam::PublishStatus::Published)
        .ok_or_else(|| DomainError::not_found("考试计划"))?;
    let now = state.clock.now_local();
    let busy = || {
        DomainError::conflict(
            "PRINT_JOB_RUNNING",
            "本校已有批量打印任务正在生成，请等待完成后再提交",
        )
    };
    // The lock names the school's last job: taken over only while that
    // job is finished (or stale), and only by one request at a time (the
    // version read).
    let lock_key = PrintJob::lock_key(school);
    let lock = state.table.get(&lock_key).await?;
    let holder = lock
        .as_ref()
        .and_then(|l| l.get("jobId"))
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    if let Some(holder) = &holder {
        let held: Option<PrintJob> = state.table.get_as(&PrintJob::key(school, holder)).await?;
        if held.is_some_and(|j| !j.status.is_final() && !j.stale(now)) {
            return Err(busy());
        }
    }
    let job = PrintJob {
        id: ulid::Ulid::new().to_string(),
        school: school.clone(),
        plan_id: plan.id.clone(),
        plan_name: plan.name.clone(),
        certificate_id: input.certificate_id.0.map(RecordId::into_string),
        site: trimmed(&input.site),
        subject: trimmed(&input.subject),
        room: trimmed(&input.room),
        documents,
        status: PrintJobStatus::Queued,
        rooms_total: 0,
        rooms_done: 0,
        files: 0,
        message: None,
        zip_key: None,
        size: 0,
        created_by: caller.user_id.clone(),
        created_by_name: caller.name.clone(),
        created_at: state.clock.now_text(),
        finished_at: None,
        attempts: 0,
        version: 1,
    };
    let key = PrintJob::key(school, &job.id);
    let lock_version = lock
        .as_ref()
        .and_then(|l| l.get("version"))
        .and_then(|v| v.as_u64());
    let lock_item = to_item(
        &lock_key,
        &serde_json::json!({"jobId": job.id, "version": lock_version.unwrap_or(0) + 1}),
    )?;
    let taken = state
        .table
        .transact(vec![
            TxOp::Put {
                item: lock_item,
                condition: Some(match lock_version {
                    Some(v) => Condition::VersionIs(v),
                    None => Condition::NotExists,
                }),
            },
            TxOp::Put {
                item: to_item(&key, &job)?,
                condition: Some(Condition::NotExists),
            },
        ])
        .await;
    match taken {
        Ok(()) => {}
        Err(e) if e.is_conflict() => return Err(busy()),
        Err(e) => return Err(e.into()),
    }
    let body = serde_json::to_string(&PrintMessage {
        school_id: school.id.clone(),
        job_id: job.id.clone(),
    })
    .map_err(DomainError::internal)?;
    if let Err(e) = send(
        state.queue.as_ref(),
        QueueRef::main(QueueName::Prints),
        body,
    )
    .await
    {
        let _ = state
            .table
            .update(
                &key,
                Update::new()
                    .set("status", PrintJobStatus::Failed.label())
                    .set("message", "任务未能提交，请重试"),
                None,
            )
            .await;
        return Err(e.into());
    }
    let title = format!("批量打印_{}", job.plan_name);
    vslc_audit::record::exported(state, "print-job", &title, 0, &job.id).await;
    view(state, job).await
}

/// 批量打印: the school's latest jobs (20), newest first.
pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<PrintJobView>, DomainError> {
    let school = caller.school_reader()?;
    let mut out = Vec::new();
    for job in latest(state, school).await? {
        out.push(view(state, job).await?);
    }
    audit_links(state, caller, &out).await;
    Ok(out)
}

/// The zips name candidates: each answer carrying download links is in
/// 操作日志.
async fn audit_links(state: &AppState, caller: &Caller, views: &[PrintJobView]) {
    let ids: Vec<&str> = views
        .iter()
        .filter(|v| v.url.is_some())
        .map(|v| v.id.as_str())
        .collect();
    vslc_audit::record::links_handed_out(
        state,
        caller,
        ("print-job.download", "下载批量打印文件"),
        "print-job",
        &ids,
    )
    .await;
}

/// One job with its progress, and the download link once done.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<PrintJobView, DomainError> {
    let school = caller.school_reader()?;
    let job: PrintJob = state
        .table
        .get_as(&PrintJob::key(school, id))
        .await?
        .ok_or_else(|| DomainError::not_found("批量打印任务"))?;
    let view = view(state, job).await?;
    audit_links(state, caller, std::slice::from_ref(&view)).await;
    Ok(view)
}

/// A room a job prints: the room and its subject at the site.
struct JobRoom {
    room: vslc_rooms::Room,
    subject: Arc<Subject>,
}

/// The rooms of the job: those the school runs (host) with candidates
/// seated, among the 考场编排 rows the filter matches, in site, subject
/// and room order.
async fn rooms_of(
    state: &AppState,
    school: &Tenant,
    f: &RoomRowFilter,
) -> Result<Vec<JobRoom>, DomainError> {
    let rows = crate::rooms::arranged_rows(state, school, f).await?;
    let all = context::host_rooms(state, school).await?;
    let mut out = Vec::new();
    for data in rows.into_iter().filter(|r| r.subject.host == *school) {
        let rooms = data.subject.rooms_in(&all);
        let fills = crate::views::fills(state, &data, &rooms).await?;
        let subject = Arc::new(data.subject);
        for (room, fill) in rooms.into_iter().zip(fills) {
            if fill.seated > 0 && filter::text(&room.name, f.room.as_deref()) {
                out.push(JobRoom {
                    room,
                    subject: subject.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// One PDF of a room, deflated where it was made: a one-entry zip whose
/// entry the writer copies as it is.
struct Packed {
    name: String,
    zip: Vec<u8>,
}

/// Why a job stopped.
enum Stop {
    /// Another delivery claimed the job.
    Superseded,
    /// The user can act on it: the job is 失败 with this message.
    Refused(String),
    /// Retried by the queue.
    Failed(anyhow::Error),
}

impl From<DomainError> for Stop {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Internal(e) => Stop::Failed(e),
            refused => Stop::Refused(refused.to_string()),
        }
    }
}

impl From<TableError> for Stop {
    fn from(e: TableError) -> Self {
        Stop::Failed(e.into())
    }
}

/// Runs a job (a delivery of its message).
pub async fn run(state: &AppState, school: &Tenant, id: &str) -> anyhow::Result<()> {
    let Some(mut job) = state
        .table
        .get_as::<PrintJob>(&PrintJob::key(school, id))
        .await?
    else {
        return Ok(());
    };
    if job.status.is_final() {
        return Ok(());
    }
    if job.attempts >= MAX_ATTEMPTS {
        fail(state, &mut job, "多次生成均未完成，请重新提交").await?;
        return Ok(());
    }
    let claim = Update::new()
        .set("status", PrintJobStatus::Running.label())
        .add("attempts", 1)
        .set("roomsDone", 0)
        .set("files", 0)
        .remove("message");
    if !job.save(state, claim).await? {
        return Ok(());
    }
    match build(state, &mut job).await {
        Ok(()) | Err(Stop::Superseded) => Ok(()),
        Err(Stop::Refused(message)) => {
            fail(state, &mut job, &message).await?;
            Ok(())
        }
        Err(Stop::Failed(e)) => {
            tracing::warn!(job = %job.id, error = %e, "print job failed; the queue retries it");
            Err(e)
        }
    }
}

async fn fail(state: &AppState, job: &mut PrintJob, message: &str) -> Result<(), TableError> {
    let update = Update::new()
        .set("status", PrintJobStatus::Failed.label())
        .set("message", message)
        .set("finishedAt", state.clock.now_text());
    job.save(state, update).await.map(|_| ())
}

async fn build(state: &AppState, job: &mut PrintJob) -> Result<(), Stop> {
    let school = job.school.clone();
    let rooms = rooms_of(state, &school, &job.filter()?).await?;
    if rooms.is_empty() {
        return Err(Stop::Refused(
            "没有符合条件的本校考场：批量打印只包括本校考核站点中已排考的考场".into(),
        ));
    }
    let total = rooms.len() as u32;
    if !job
        .save(state, Update::new().set("roomsTotal", total))
        .await?
    {
        return Err(Stop::Superseded);
    }
    let dir = work_dir().map_err(Stop::Failed)?;
    let path = dir.join(format!("{}.zip", job.id));
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<Packed>>(RENDERS_AT_ONCE);
    let writer = {
        let path = path.clone();
        tokio::task::spawn_blocking(move || write_zip(&path, rx))
    };
    let documents = Arc::new(job.documents.clone());
    let renders = Arc::new(tokio::sync::Semaphore::new(RENDERS_AT_ONCE));
    let mut made = futures_util::stream::iter(rooms)
        .map(|r| room_files(state, r, documents.clone(), renders.clone()))
        .buffered(READS_AT_ONCE);
    let (mut done, mut saved_at) = (0u32, Instant::now());
    let mut outcome = Ok(());
    while let Some(files) = made.next().await {
        let files = match files {
            Ok(f) => f,
            Err(e) => {
                outcome = Err(e);
                break;
            }
        };
        if tx.send(files).await.is_err() {
            break; // the writer failed: its error is below
        }
        done += 1;
        if done % PROGRESS_ROOMS == 0 || saved_at.elapsed() >= PROGRESS_EVERY {
            saved_at = Instant::now();
            match job.save(state, Update::new().set("roomsDone", done)).await {
                Ok(true) => {}
                Ok(false) => {
                    outcome = Err(Stop::Superseded);
                    break;
                }
                Err(e) => {
                    outcome = Err(e.into());
                    break;
                }
            }
        }
    }
    drop(made);
    drop(tx);
    let written = writer.await.map_err(|e| Stop::Failed(e.into()));
    let stored = async {
        let (files, size) = match written? {
            Ok(w) => w,
            Err(e) if e.is::<TooLarge>() => {
                return Err(Stop::Refused(format!(
                    "打印文件超过{}GB，请按考核站点或科目筛选后分批打印",
                    MAX_ZIP_BYTES >> 30
                )));
            }
            Err(e) => return Err(Stop::Failed(e)),
        };
        outcome?;
        // A key per delivery: one that lost the job never overwrites the
        // zip of the one that finished it.
        let key = format!(
            "prints/{}/jobs/{}-{}.zip",
            school.path(),
            job.id,
            job.attempts
        );
        state
            .documents
            .put_file(&key, &path, ZIP)
            .await
            .map_err(|e| Stop::Failed(e.into()))?;
        Ok((files, size, key))
    }
    .await;
    let _ = std::fs::remove_file(&path);
    let (files, size, key) = stored?;
    let finish = Update::new()
        .set("status", PrintJobStatus::Done.label())
        .set("roomsDone", total)
        .set("files", files)
        .set("size", size)
        .set("zipKey", key)
        .set("finishedAt", state.clock.now_text());
    if !job.save(state, finish).await? {
        return Err(Stop::Superseded);
    }
    Ok(())
}

/// A room's documents: its sheet read, then rendered and packed on a
/// blocking thread.
async fn room_files(
    state: &AppState,
    r: JobRoom,
    documents: Arc<Vec<PrintDoc>>,
    renders: Arc<tokio::sync::Semaphore>,
) -> Result<Vec<Packed>, Stop> {
    let slot: RoomSlot = state
        .table
        .get_as(&RoomSlot::key(&r.room.id, &r.subject.subject.subject_id))
        .await?
        .ok_or_else(|| Stop::Refused(format!("考场“{}”的编排已被取消，请重新提交", r.room.name)))?;
    // 准考证 read their candidates themselves.
    let people = documents
        .iter()
        .any(|d| matches!(d, PrintDoc::SignInSheet | PrintDoc::DeskLabels));
    let (sheet, seats) = data::sheet_of(state, &slot, &r.subject, r.room.seats, people).await?;
    let tickets = if documents.contains(&PrintDoc::Tickets) {
        Some(data::ticket_sheet(state, &r.subject.plan, seats).await?)
    } else {
        None
    };
    let folder = format!(
        "{}/{}",
        super::file_safe(&sheet.place.site_name),
        super::file_safe(&format!(
            "{}{}",
            sheet.place.subject_code, sheet.place.subject_name
        ))
    );
    let room = super::file_safe(&sheet.place.room_name);
    let permit = renders
        .acquire_owned()
        .await
        .map_err(|e| Stop::Failed(e.into()))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut out = Vec::with_capacity(documents.len());
        for doc in documents.iter() {
            let rendered = match doc {
                PrintDoc::DoorSign => door::render(&sheet),
                PrintDoc::SignInSheet => signin::render(&sheet),
                PrintDoc::DeskLabels => desk::render(&sheet),
                PrintDoc::Tickets => match &tickets {
                    Some(t) if !t.candidates.is_empty() => ticket::render(t),
                    _ => continue,
                },
            };
            let (pdf, _) = rendered.map_err(|e| Stop::Failed(anyhow::anyhow!(e)))?;
            out.push(Packed {
                name: format!("{}/{folder}/{room}.pdf", doc.label()),
                zip: pack(&pdf).map_err(|e| Stop::Failed(e.into()))?,
            });
        }
        Ok(out)
    })
    .await
    .map_err(|e| Stop::Failed(e.into()))?
}

fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
}

/// A PDF deflated into a one-entry zip.
fn pack(pdf: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(pdf.len() / 3)));
    zip.start_file("f.pdf", entry_options())?;
    zip.write_all(pdf)?;
    Ok(zip.finish()?.into_inner())
}

/// Copies the packed entries into the zip at `path` as they come, each
/// under a name not used before; answers the entries and bytes written.
fn write_zip(
    path: &Path,
    mut rx: tokio::sync::mpsc::Receiver<Vec<Packed>>,
) -> anyhow::Result<(u32, u64)> {
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut zip = ZipWriter::new(file);
    let mut names: HashSet<String> = HashSet::new();
    let mut files = 0u32;
    let mut bytes = 0u64;
    while let Some(room) = rx.blocking_recv() {
        for p in room {
            bytes += p.zip.len() as u64;
            if bytes > MAX_ZIP_BYTES {
                return Err(TooLarge.into());
            }
            let name = unique(&mut names, p.name);
            let mut one = ZipArchive::new(Cursor::new(p.zip))?;
            zip.raw_copy_file_rename(one.by_index_raw(0)?, name)?;
            files += 1;
        }
    }
    let mut file = zip.finish()?;
    file.flush()?;
    let size = file.get_ref().metadata()?.len();
    Ok((files, size))
}

/// The zip would pass [`MAX_ZIP_BYTES`].
#[derive(Debug, thiserror::Error)]
#[error("the zip would pass its size limit")]
struct TooLarge;

/// Where jobs build their zips (`<job id>.zip`). A job the platform
/// stopped (a Lambda timeout) leaves its file behind for the next
/// invocation of the same environment: files older than any job may run
/// are removed at each job's start.
fn work_dir() -> anyhow::Result<std::path::PathBuf> {
    const LEFT_BEHIND: Duration = Duration::from_secs(20 * 60);
    let dir = std::env::temp_dir().join("vslc-prints");
    std::fs::create_dir_all(&dir)?;
    for entry in std::fs::read_dir(&dir)?.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > LEFT_BEHIND);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(dir)
}

/// `name`, or `name` with ` (2)`, ` (3)` … before `.pdf` when taken.
fn unique(names: &mut HashSet<String>, name: String) -> String {
    if names.insert(name.clone()) {
        return name;
    }
    let stem = name.trim_end_matches(".pdf");
    (2..)
        .map(|n| format!("{stem} ({n}).pdf"))
        .find(|n| names.insert(n.clone()))
        .expect("a free name")
}

/// `print-worker`.
pub struct PrintWorker {
    state: AppState,
}

impl PrintWorker {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[async_trait]
impl Worker for PrintWorker {
    fn queue(&self) -> QueueName {
        QueueName::Prints
    }

    async fn handle(&self, message: &Message) -> anyhow::Result<()> {
        let m: PrintMessage = serde_json::from_str(&message.body)?;
        let school = Tenant::new(TenantKind::School, m.school_id);
        run(&self.state, &school, &m.job_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_labels_are_the_stored_values() {
        use PrintJobStatus::*;
        for s in [Queued, Running, Done, Failed] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.label());
        }
    }

    #[test]
    fn names_taken_get_a_number() {
        let mut names = HashSet::new();
        assert_eq!(unique(&mut names, "a/第1考场.pdf".into()), "a/第1考场.pdf");
        assert_eq!(
            unique(&mut names, "a/第1考场.pdf".into()),
            "a/第1考场 (2).pdf"
        );
        assert_eq!(
            unique(&mut names, "a/第1考场.pdf".into()),
            "a/第1考场 (3).pdf"
        );
    }

    #[test]
    fn packed_entries_copy_into_one_zip_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.zip");
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let pdfs: Vec<Vec<u8>> = (0..3)
            .map(|i| format!("%PDF-1.7 {i} ").repeat(2000).into_bytes())
            .collect();
        tx.blocking_send(
            pdfs.iter()
                .map(|p| Packed {
                    name: "考场门贴/站点/第1考场.pdf".into(),
                    zip: pack(p).unwrap(),
                })
                .collect(),
        )
        .unwrap();
        drop(tx);
        let (files, size) = write_zip(&path, rx).unwrap();
        assert_eq!(files, 3);
        assert!(size < 20_000, "deflated: {size}");
        let mut zip = ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for (i, want) in pdfs.iter().enumerate() {
            let mut f = zip.by_index(i).unwrap();
            let mut got = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut got).unwrap();
            assert_eq!(&got, want);
        }
        assert_eq!(
            zip.by_index(1).unwrap().name().unwrap(),
            "考场门贴/站点/第1考场 (2).pdf"
        );
    }
}
