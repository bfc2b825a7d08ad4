//! `import-worker`: turns an object-created event into a finished import
//! record. Idempotent: a record already finished is left alone, and a
//! record left 处理中 by a crash is processed again from the start — the
//! import kinds write rows under deterministic keys, so nothing doubles.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use async_trait::async_trait;
use serde::Deserialize;

use super::record::{ImportRecord, ImportStatus};
use super::xlsx::SheetRows;
use super::xlsx_guard::{Limits, inspect};
use super::{FileOutcomes, FileType, ImportContext, ImportKind, Outcomes, Registry, Row};
use tokio::task::JoinHandle;
use vslc_ports::AppState;
use vslc_ports::blobs::decode_component;
use vslc_ports::queue::QueueName;
use vslc_ports::table::Update;
use vslc_ports::worker::{Message, Worker};

/// Most data rows one file may hold.
pub const MAX_ROWS: usize = 100_000;

/// Largest upload of each file type. A workbook of 100,000 rows is a few
/// MB; photo zips are larger.
pub fn max_upload_bytes(file_type: FileType) -> u64 {
    match file_type {
        FileType::Xlsx => 50 * 1024 * 1024,
        FileType::Zip => 200 * 1024 * 1024,
    }
}

fn too_large(file_type: FileType) -> String {
    format!(
        "文件超过 {}MB 的上限，请拆分后分批导入",
        max_upload_bytes(file_type) / (1024 * 1024)
    )
}

fn too_many() -> String {
    format!("单个文件最多 {MAX_ROWS} 行数据，请拆分后分批导入")
}

pub struct ImportWorker {
    state: AppState,
    registry: Registry,
}

#[derive(Deserialize)]
struct S3Event {
    #[serde(rename = "Records", default)]
    records: Vec<S3Record>,
}

#[derive(Deserialize)]
struct S3Record {
    s3: S3Entity,
}

#[derive(Deserialize)]
struct S3Entity {
    object: S3Object,
}

#[derive(Deserialize)]
struct S3Object {
    key: String,
}

/// The object keys an S3 event notification names (decoded). S3's test
/// event and other messages without records name none.
pub fn event_keys(body: &str) -> anyhow::Result<Vec<String>> {
    let event: S3Event = serde_json::from_str(body).context("message is not an S3 event")?;
    Ok(event
        .records
        .into_iter()
        .map(|r| decode_component(&r.s3.object.key, true))
        .collect())
}

/// Header text without the required marker and spaces.
fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('*')
        .trim_start_matches('＊')
        .trim()
        .to_owned()
}

/// Where each of a kind's columns sits in the uploaded sheet.
pub struct ColumnMap {
    /// Sheet column of each kind column, in the kind's order.
    positions: Vec<Option<usize>>,
    sample: Vec<String>,
}

impl ColumnMap {
    /// Maps the header row; Err names the missing required columns.
    pub fn new(
        kind: &dyn ImportKind,
        params: &serde_json::Value,
        header: &[String],
    ) -> Result<Self, String> {
        let index: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, h)| (normalise_header(h), i))
            .collect();
        let columns = kind.columns(params);
        let missing: Vec<&str> = columns
            .iter()
            .filter(|c| c.required && !index.contains_key(c.header))
            .map(|c| c.header)
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "文件缺少必填列：{}。请使用最新模板填写",
                missing.join("、")
            ));
        }
        Ok(Self {
            positions: columns
                .iter()
                .map(|c| index.get(c.header).copied())
                .collect(),
            sample: kind.sample(params).iter().map(|s| s.to_string()).collect(),
        })
    }

    /// A sheet row in the kind's column order; None for blank rows and the
    /// template's sample row. Cells move out of the sheet row.
    pub fn row(&self, number: usize, mut raw: Vec<String>) -> Option<Row> {
        let cells: Vec<String> = self
            .positions
            .iter()
            .map(|p| {
                p.and_then(|j| raw.get_mut(j))
                    .map(std::mem::take)
                    .unwrap_or_default()
            })
            .collect();
        if cells.iter().all(|c| c.is_empty()) || cells == self.sample {
            return None;
        }
        Some(Row { number, cells })
    }
}

/// Rows read from the sheet per chunk handed to the import kind.
const READ_CHUNK: usize = 10_000;
/// Progress is written at most this often.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// What a file held: how many rows (or zip entries), and the failed ones
/// with their reasons.
struct Tally {
    total: usize,
    failed: Vec<(Vec<String>, String)>,
}

impl Tally {
    /// Takes a saved chunk's outcomes; failed rows keep their cells.
    fn settle(
        &mut self,
        kind: &dyn ImportKind,
        rows: Vec<Row>,
        outcomes: Outcomes,
    ) -> anyhow::Result<()> {
        anyhow::ensure!(
            outcomes.len() == rows.len(),
            "import kind {} returned {} outcomes for {} rows",
            kind.name(),
            outcomes.len(),
            rows.len()
        );
        for (row, outcome) in rows.into_iter().zip(outcomes) {
            if let Err(reason) = outcome {
                self.failed
                    .push((row.cells, format!("第{}行：{reason}", row.number)));
            }
        }
        Ok(())
    }

    fn of(outcomes: FileOutcomes) -> Self {
        let total = outcomes.len();
        let failed = outcomes
            .into_iter()
            .filter_map(|(cells, o)| o.err().map(|reason| (cells, reason)))
            .collect();
        Self { total, failed }
    }
}

const UNREADABLE: &str = "文件无法读取，请上传由模板填写的 .xlsx 文件";
/// The sheet reader stopped without finishing (it panicked).
const READER_DIED: &str = "文件读取过程中出错，请用 Excel 打开并另存为 .xlsx 后重新上传";
/// Deliveries that started the import and never finished it (the process
/// died: out of time or memory). The next delivery fails the import.
pub const MAX_ATTEMPTS: u32 = 3;
const GAVE_UP: &str = "文件多次处理均未完成，已停止处理。请检查文件内容，拆分后重新导入";
const TIMED_OUT: &str = "文件处理超时，已停止并撤回已保存的数据，请拆分文件后分批导入";
const STORAGE_FAILED: &str = "保存数据时多次出错，导入未完成，请稍后重新导入";

/// What the sheet reader hands to the importer.
enum Read {
    Rows(SheetRows),
    /// The sheet was read to its end.
    Done,
    /// The sheet stopped being readable part-way (message for the user).
    Failed(String),
}

impl ImportWorker {
    /// Streams an xlsx upload through the kind. First the gate checks the
    /// whole file (limits, well-formed XML, the row count) so that what can
    /// be refused is refused before anything is saved; then a blocking
    /// thread parses the sheet a chunk ahead while the kind checks and saves
    /// the chunk before, so reading and writing overlap and the file is
    /// never held as cells whole. `Err(message)` fails the import, and
    /// whatever it had saved is taken back first.
    async fn stream_rows(
        &self,
        kind: &Arc<dyn ImportKind>,
        record: &ImportRecord,
        bytes: Vec<u8>,
    ) -> anyhow::Result<Result<Tally, String>> {
        let bytes: Arc<[u8]> = bytes.into();
        let import = record.id.clone();
        let gate = {
            let bytes = bytes.clone();
            tokio::task::spawn_blocking(move || inspect(&bytes, &Limits::default())).await
        };
        let inspection = match gate {
            Ok(Ok(i)) => i,
            Ok(Err(refused)) => {
                tracing::info!(%import, reason = %refused, "upload refused by the gate");
                return Ok(Err(refused.to_string()));
            }
            Err(panic) => {
                tracing::error!(%import, error = %panic, "the xlsx gate panicked");
                return Ok(Err(READER_DIED.into()));
            }
        };
        // The header and MAX_ROWS data rows always fit; a file with more
        // rows holding values is counted exactly before anything is saved.
        if inspection.valued_rows > MAX_ROWS as u64 + 1 {
            match self.count_rows(kind, record, bytes.clone()).await {
                Ok(n) if n > MAX_ROWS => return Ok(Err(too_many())),
                Ok(_) => {}
                Err(message) => return Ok(Err(message)),
            }
        }
        // One chunk waiting beside the one being checked and the one being
        // saved: the reader is faster than the writes, and each chunk
        // waiting is 10,000 rows of cells held.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Read>(1);
        let reader = tokio::task::spawn_blocking(move || {
            let read = super::xlsx::stream_inspected(&bytes, READ_CHUNK, |rows| {
                tx.blocking_send(Read::Rows(rows)).is_ok()
            });
            let last = match read {
                Ok(()) => Read::Done,
                Err(e) => {
                    tracing::info!(%import, error = %e, "unreadable upload");
                    Read::Failed(UNREADABLE.into())
                }
            };
            let _ = tx.blocking_send(last);
        });
        let result = self
            .consume(kind.as_ref(), record, inspection.valued_rows, &mut rx)
            .await;
        // Dropping the receiver stops a reader still going (a failed import).
        drop(rx);
        if let Err(e) = reader.await {
            // `consume` saw the channel close without `Done` and failed the import.
            tracing::error!(import = %record.id, error = %e, "sheet reader panicked");
        }
        result
    }

    /// The data rows of a sheet as the import would see them (blank and
    /// sample rows left out), read without saving anything.
    async fn count_rows(
        &self,
        kind: &Arc<dyn ImportKind>,
        record: &ImportRecord,
        bytes: Arc<[u8]>,
    ) -> Result<usize, String> {
        let kind = kind.clone();
        let params = record.params.clone();
        let counted = tokio::task::spawn_blocking(move || {
            let mut map: Option<ColumnMap> = None;
            let mut rows = 0usize;
            let mut refused = None;
            let read = super::xlsx::stream_inspected(&bytes, READ_CHUNK, |chunk| {
                for (number, raw) in chunk {
                    match &map {
                        Some(m) => rows += usize::from(m.row(number, raw).is_some()),
                        None => match ColumnMap::new(kind.as_ref(), &params, &raw) {
                            Ok(m) => map = Some(m),
                            Err(message) => {
                                refused = Some(message);
                                return false;
                            }
                        },
                    }
                }
                true
            });
            match (refused, read) {
                (Some(message), _) => Err(message),
                (None, Err(_)) => Err(UNREADABLE.to_owned()),
                (None, Ok(())) => Ok(rows),
            }
        })
        .await;
        counted.unwrap_or_else(|_| Err(READER_DIED.into()))
    }

    async fn consume(
        &self,
        kind: &dyn ImportKind,
        record: &ImportRecord,
        valued_rows: u64,
        rx: &mut tokio::sync::mpsc::Receiver<Read>,
    ) -> anyhow::Result<Result<Tally, String>> {
        let first = match rx.recv().await {
            Some(Read::Rows(rows)) => rows,
            Some(Read::Done) => return Ok(Err("文件中没有数据行".into())),
            Some(Read::Failed(message)) => return Ok(Err(message)),
            None => return Ok(Err(READER_DIED.into())),
        };
        let declared = usize::try_from(valued_rows).unwrap_or(usize::MAX);
        let mut first = first.into_iter();
        let header = first.next().map(|(_, cells)| cells).unwrap_or_default();
        let map = match ColumnMap::new(kind, &record.params, &header) {
            Ok(m) => m,
            Err(message) => return Ok(Err(message)),
        };
        let ctx = ImportContext {
            state: &self.state,
            record,
            dry_run: record.dry_run,
            rows_expected: declared.saturating_sub(1).min(MAX_ROWS),
        };
        let mut sink = kind.open(&ctx).await?;
        let mut tally = Tally {
            total: 0,
            failed: Vec::new(),
        };
        let mut chunk: SheetRows = first.collect();
        let mut read = 0;
        let started = std::time::Instant::now();
        let mut reported = started;
        // The chunk being saved while the next one is checked.
        let mut saving: Option<(Vec<Row>, JoinHandle<anyhow::Result<Outcomes>>)> = None;
        let mut progress: Option<JoinHandle<anyhow::Result<()>>> = None;
        let failure = loop {
            read += chunk.len();
            let rows: Vec<Row> = chunk
                .into_iter()
                .filter_map(|(number, raw)| map.row(number, raw))
                .collect();
            tally.total += rows.len();
            if tally.total > MAX_ROWS {
                break Some(too_many());
            }
            if !rows.is_empty() {
                let next = tokio::spawn(sink.apply(&ctx, &rows).await?);
                if let Some((rows, done)) = saving.replace((rows, next)) {
                    tally.settle(kind, rows, done.await??)?;
                }
                // The progress write goes on beside the chunks (a write
                // behind a chunk's transaction would hold the next chunk
                // up); one at a time, and none outlives the loop.
                if reported.elapsed() >= PROGRESS_EVERY
                    && progress.as_ref().is_none_or(JoinHandle::is_finished)
                {
                    if let Some(done) = progress.take() {
                        done.await??;
                    }
                    let write = ctx.progress_write(read, declared.max(read + 1));
                    progress = Some(tokio::spawn(write));
                    reported = std::time::Instant::now();
                }
            }
            if started.elapsed() > self.state.config.import_deadline {
                break Some(TIMED_OUT.into());
            }
            chunk = match rx.recv().await {
                Some(Read::Rows(rows)) => rows,
                Some(Read::Done) => break None,
                Some(Read::Failed(message)) => break Some(message),
                None => break Some(READER_DIED.into()),
            };
        };
        // Whatever happens next, the last chunk's writes finish first.
        if let Some((rows, done)) = saving {
            tally.settle(kind, rows, done.await??)?;
        }
        if let Some(done) = progress {
            done.await??;
        }
        if let Some(message) = failure {
            // A failed import leaves nothing of itself stored.
            if !ctx.dry_run {
                let removed = sink
                    .undo(&ctx)
                    .await
                    .context("taking back a failed import's rows")?;
                tracing::info!(import = %record.id, removed, "failed import taken back");
            }
            return Ok(Err(message));
        }
        if tally.total == 0 {
            return Ok(Err("文件中没有数据行".into()));
        }
        Ok(Ok(tally))
    }

    pub fn new(state: AppState, registry: Registry) -> Self {
        Self { state, registry }
    }

    async fn fail(&self, record: &mut ImportRecord, message: String) -> anyhow::Result<()> {
        let update = Update::new()
            .set("status", ImportStatus::Failed.label())
            .set("message", message)
            .set("progress", 100)
            .set("finishedAt", self.state.clock.now_text());
        record
            .save_if_unchanged(self.state.table.as_ref(), update)
            .await?;
        Ok(())
    }

    /// Processes one uploaded file. On the queue's last delivery an error
    /// fails the import instead of being retried, so no record is left
    /// 处理中 when the message would go to the dead-letter queue.
    pub async fn process_key(&self, key: &str, last_delivery: bool) -> anyhow::Result<()> {
        let Some((tenant, id)) = ImportRecord::parse_upload_key(key) else {
            tracing::warn!(%key, "object is not an import upload; ignored");
            return Ok(());
        };
        let table = self.state.table.as_ref();
        let Some(mut record) = ImportRecord::load(table, &tenant, &id).await? else {
            tracing::warn!(%key, "no import record for this upload; ignored");
            return Ok(());
        };
        if record.status.is_final() {
            tracing::info!(import = %id, "already finished; redelivery ignored");
            return Ok(());
        }
        if record.attempts >= MAX_ATTEMPTS {
            // Every earlier delivery died while processing (time or memory):
            // another try would too. What they saved is taken back first.
            tracing::error!(import = %id, attempts = record.attempts, "import never finished; failing it");
            self.take_back(&record).await?;
            return self.fail(&mut record, GAVE_UP.into()).await;
        }
        let attempts = record.attempts + 1;
        record
            .save_if_unchanged(
                table,
                Update::new()
                    .set("status", ImportStatus::Processing.label())
                    .set("attempts", attempts)
                    .set("progress", 0),
            )
            .await
            .context("claiming the import")?;
        match self.run(key, &mut record).await {
            Ok(()) => Ok(()),
            Err(e) if last_delivery => {
                tracing::error!(import = %id, error = ?e, "import failed on the last delivery; failing it");
                let Some(mut record) = ImportRecord::load(table, &tenant, &id).await? else {
                    return Ok(());
                };
                if record.status.is_final() {
                    return Ok(());
                }
                self.fail(&mut record, STORAGE_FAILED.into()).await
            }
            Err(e) => Err(e),
        }
    }

    /// Removes what earlier deliveries of an import saved, as its kind finds
    /// them by the import's id when it opens.
    async fn take_back(&self, record: &ImportRecord) -> anyhow::Result<()> {
        let Some(kind) = self.registry.get(&record.kind).cloned() else {
            return Ok(());
        };
        if kind.file_type() != FileType::Xlsx || record.dry_run {
            return Ok(());
        }
        let ctx = ImportContext {
            state: &self.state,
            record,
            dry_run: false,
            rows_expected: 0,
        };
        let removed = kind.open(&ctx).await?.undo(&ctx).await?;
        tracing::info!(import = %record.id, removed, "an abandoned import taken back");
        Ok(())
    }

    /// The claimed import, from the upload to the finished record.
    async fn run(&self, key: &str, record: &mut ImportRecord) -> anyhow::Result<()> {
        let table = self.state.table.as_ref();
        let (tenant, id) = (record.tenant.clone(), record.id.clone());
        let Some(kind) = self.registry.get(&record.kind).cloned() else {
            let message = format!("不支持的导入类型：{}", record.kind);
            return self.fail(record, message).await;
        };
        let limit = max_upload_bytes(kind.file_type());
        let size = self
            .state
            .uploads
            .list(key)
            .await?
            .into_iter()
            .find(|b| b.key == key)
            .map(|b| b.size);
        const GONE: &str = "上传的文件不存在，请重新上传";
        match size {
            None => return self.fail(record, GONE.into()).await,
            Some(size) if size > limit => {
                return self.fail(record, too_large(kind.file_type())).await;
            }
            Some(_) => {}
        }
        let Some(blob) = self.state.uploads.get(key).await? else {
            return self.fail(record, GONE.into()).await;
        };
        let tally = match kind.file_type() {
            FileType::Xlsx => match self.stream_rows(&kind, record, blob.bytes).await? {
                Ok(t) => t,
                Err(message) => return self.fail(record, message).await,
            },
            FileType::Zip => {
                let ctx = ImportContext {
                    state: &self.state,
                    record,
                    dry_run: record.dry_run,
                    rows_expected: 0,
                };
                match kind.apply_file(&ctx, blob.bytes).await? {
                    Ok(r) if r.is_empty() => {
                        return self.fail(record, "压缩包中没有文件".into()).await;
                    }
                    Ok(r) => Tally::of(r),
                    Err(message) => return self.fail(record, message).await,
                }
            }
        };
        let Tally { total, failed } = tally;
        let mut update = Update::new()
            .set("status", ImportStatus::Completed.label())
            .set("total", total)
            .set("success", total - failed.len())
            .set("failed", failed.len())
            .set("progress", 100)
            .set("finishedAt", self.state.clock.now_text());
        if !failed.is_empty() {
            let bytes =
                super::xlsx::failed_rows(kind.title(), &kind.columns(&record.params), &failed)?;
            let key = format!("imports/{}/{}/failed-rows.xlsx", tenant.path(), id);
            self.state
                .documents
                .put(&key, bytes, super::xlsx::XLSX_CONTENT_TYPE)
                .await?;
            update = update.set("failedRowsKey", key);
        }
        // Progress writes do not bump the version, so this only loses to a
        // competing delivery that claimed the record meanwhile.
        record
            .save_if_unchanged(table, update)
            .await
            .context("finishing the import")?;
        tracing::info!(import = %id, total, failed = failed.len(), "import finished");
        Ok(())
    }
}

#[async_trait]
impl Worker for ImportWorker {
    fn queue(&self) -> QueueName {
        QueueName::Imports
    }

    async fn handle(&self, message: &Message) -> anyhow::Result<()> {
        let last = message.receive_count >= self.state.config.queue_max_receives;
        for key in event_keys(&message.body)? {
            self.process_key(&key, last).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_are_decoded_and_test_events_name_none() {
        let body = r#"{"Records":[{"s3":{"bucket":{"name":"u"},"object":{"key":"imports/school/S001/01J%E8%80%83+x.xlsx","size":1}}}]}"#;
        assert_eq!(
            event_keys(body).unwrap(),
            vec!["imports/school/S001/01J考 x.xlsx"]
        );
        let test_event = r#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"u"}"#;
        assert!(event_keys(test_event).unwrap().is_empty());
        assert!(event_keys("not json").is_err());
    }

    #[test]
    fn rows_follow_headers_and_skip_blank_and_sample_rows() {
        let kind = super::super::demo_notes::DemoNotes;
        let params = serde_json::Value::Null;
        let header = vec!["内容".into(), "*编号".into(), "多余".into()];
        let map = ColumnMap::new(&kind, &params, &header).unwrap();
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        // The sample row of this kind is (10001, 示例内容：第一次课, 2026-03-01).
        assert!(map.row(2, row(&["示例内容：第一次课", "10001"])).is_some());
        assert!(map.row(3, row(&["", "", "x"])).is_none());
        let got = map.row(4, row(&["你好", "7"])).unwrap();
        assert_eq!(got.number, 4);
        assert_eq!(got.cells, vec!["7", "你好", ""]);
        let mut with_date = header.clone();
        with_date.push("日期".into());
        let map = ColumnMap::new(&kind, &params, &with_date).unwrap();
        let sample = row(&["示例内容：第一次课", "10001", "", "2026-03-01"]);
        assert!(map.row(2, sample).is_none());
        let missing = ColumnMap::new(&kind, &params, &["内容".into()])
            .err()
            .unwrap();
        assert!(missing.contains("编号"), "{missing}");
    }
}
