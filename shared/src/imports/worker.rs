//! `import-worker`: turns an object-created event into a finished import
//! record. Idempotent: a record already finished is left alone, and a
//! record left 处理中 by a crash is processed again from the start — the
//! import kinds write rows under deterministic keys, so nothing doubles.

use std::collections::HashMap;

use anyhow::Context;
use async_trait::async_trait;
use serde::Deserialize;

use super::record::{ImportRecord, ImportStatus};
use super::{FileOutcomes, FileType, ImportContext, ImportKind, Registry, Row};
use crate::adapters::embedded::signing::decode_component;
use crate::ports::queue::QueueName;
use crate::ports::table::Update;
use crate::state::AppState;
use crate::worker::{Message, Worker};

/// Most data rows one file may hold.
pub const MAX_ROWS: usize = 100_000;

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

/// Maps the sheet into rows in the kind's column order; Err names the
/// missing required columns.
pub fn rows_for(
    kind: &dyn ImportKind,
    params: &serde_json::Value,
    sheet: Vec<Vec<String>>,
) -> Result<Vec<Row>, String> {
    let mut iter = sheet.into_iter();
    let header: Vec<String> = iter
        .next()
        .unwrap_or_default()
        .iter()
        .map(|h| normalise_header(h))
        .collect();
    let columns = kind.columns(params);
    let index: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
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
    let sample: Vec<String> = kind.sample(params).iter().map(|s| s.to_string()).collect();
    let mut rows = Vec::new();
    for (i, mut raw) in iter.enumerate() {
        // Cells move out of the sheet: a large file is not held twice.
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                index
                    .get(c.header)
                    .and_then(|&j| raw.get_mut(j))
                    .map(std::mem::take)
                    .unwrap_or_default()
            })
            .collect();
        if cells.iter().all(|c| c.is_empty()) || cells == sample {
            continue;
        }
        rows.push(Row {
            number: i + 2,
            cells,
        });
    }
    if rows.len() > MAX_ROWS {
        return Err(format!("单个文件最多 {MAX_ROWS} 行数据，请拆分后分批导入"));
    }
    Ok(rows)
}

impl ImportWorker {
    /// Reads an xlsx upload and applies its rows; `Err(message)` fails the
    /// whole import. Failed rows' reasons carry their row number.
    async fn rows_of(
        &self,
        kind: &dyn ImportKind,
        record: &ImportRecord,
        bytes: &[u8],
    ) -> anyhow::Result<Result<FileOutcomes, String>> {
        let sheet = match super::xlsx::read_first_sheet(bytes) {
            Ok(s) => s,
            Err(e) => {
                tracing::info!(import = %record.id, error = %e, "unreadable upload");
                return Ok(Err("文件无法读取，请上传由模板填写的 .xlsx 文件".into()));
            }
        };
        let rows = match rows_for(kind, &record.params, sheet) {
            Ok(r) if r.is_empty() => return Ok(Err("文件中没有数据行".into())),
            Ok(r) => r,
            Err(message) => return Ok(Err(message)),
        };
        let ctx = ImportContext {
            state: &self.state,
            record,
            dry_run: record.dry_run,
            total: rows.len(),
        };
        let outcomes = kind.apply(&ctx, &rows).await?;
        anyhow::ensure!(
            outcomes.len() == rows.len(),
            "import kind {} returned {} outcomes for {} rows",
            kind.name(),
            outcomes.len(),
            rows.len()
        );
        Ok(Ok(rows
            .into_iter()
            .zip(outcomes)
            .map(|(row, o)| {
                (
                    row.cells,
                    o.map_err(|reason| format!("第{}行：{reason}", row.number)),
                )
            })
            .collect()))
    }

    pub fn new(state: AppState, registry: Registry) -> Self {
        Self { state, registry }
    }

    fn now(&self) -> String {
        self.state
            .clock
            .now_cst()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    async fn fail(&self, record: &mut ImportRecord, message: String) -> anyhow::Result<()> {
        let update = Update::new()
            .set("status", ImportStatus::Failed.label())
            .set("message", message)
            .set("progress", 100)
            .set("finishedAt", self.now());
        record
            .save_if_unchanged(self.state.table.as_ref(), update)
            .await?;
        Ok(())
    }

    /// Processes one uploaded file.
    pub async fn process_key(&self, key: &str) -> anyhow::Result<()> {
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

        let Some(kind) = self.registry.get(&record.kind).cloned() else {
            let message = format!("不支持的导入类型：{}", record.kind);
            return self.fail(&mut record, message).await;
        };
        let Some(blob) = self.state.uploads.get(key).await? else {
            return self
                .fail(&mut record, "上传的文件不存在，请重新上传".into())
                .await;
        };
        let results = match kind.file_type() {
            FileType::Xlsx => match self.rows_of(kind.as_ref(), &record, &blob.bytes).await? {
                Ok(r) => r,
                Err(message) => return self.fail(&mut record, message).await,
            },
            FileType::Zip => {
                let ctx = ImportContext {
                    state: &self.state,
                    record: &record,
                    dry_run: record.dry_run,
                    total: 0,
                };
                match kind.apply_file(&ctx, blob.bytes).await? {
                    Ok(r) if r.is_empty() => {
                        return self.fail(&mut record, "压缩包中没有文件".into()).await;
                    }
                    Ok(r) => r,
                    Err(message) => return self.fail(&mut record, message).await,
                }
            }
        };
        let total = results.len();
        let failed: Vec<(Vec<String>, String)> = results
            .into_iter()
            .filter_map(|(cells, o)| o.err().map(|reason| (cells, reason)))
            .collect();
        let mut update = Update::new()
            .set("status", ImportStatus::Completed.label())
            .set("total", total)
            .set("success", total - failed.len())
            .set("failed", failed.len())
            .set("progress", 100)
            .set("finishedAt", self.now());
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
        for key in event_keys(&message.body)? {
            self.process_key(&key).await?;
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
        let sheet = vec![
            vec!["内容".into(), "*编号".into(), "多余".into()],
            vec!["示例内容：第一次课".into(), "10001".into(), "".into()],
            vec!["".into(), "".into(), "x".into()],
            vec!["你好".into(), "7".into(), "".into()],
        ];
        // The sample row of this kind is (10001, 示例内容：第一次课, 2026-03-01); this one differs by date.
        let rows = rows_for(&kind, &serde_json::Value::Null, sheet).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].number, 4);
        assert_eq!(rows[1].cells, vec!["7", "你好", ""]);
        let missing =
            rows_for(&kind, &serde_json::Value::Null, vec![vec!["内容".into()]]).unwrap_err();
        assert!(missing.contains("编号"), "{missing}");
    }
}
