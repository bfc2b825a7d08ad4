//! `demo-notes` (演示备注): the smallest real import kind. It exercises the
//! whole pipeline — required columns, row rules, duplicates within the file
//! and against stored data, idempotent saving — without any exam domain.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{About, Column, ImportContext, ImportKind, Row, RowSink, Saved, Saving};
use vslc_accounts::TenantKind;
use vslc_ports::table::{BatchOp, Query, TableExt, from_item, to_item};

pub struct DemoNotes;

/// A stored note.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub code: String,
    pub content: String,
    #[serde(default)]
    pub date: Option<String>,
    pub import_id: String,
}

pub const NOTE_PREFIX: &str = "NOTE#";

fn check_row(row: &Row) -> Result<(String, String, Option<String>), String> {
    let code = row.cell(0).trim();
    let content = row.cell(1).trim();
    let date = row.cell(2).trim();
    if code.is_empty() {
        return Err("编号不能为空".into());
    }
    if code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("编号须为不超过20位的字母或数字".into());
    }
    if content.is_empty() {
        return Err("内容不能为空".into());
    }
    if content.chars().count() > 200 {
        return Err("内容不能超过200个字符".into());
    }
    let date = if date.is_empty() {
        None
    } else {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| "日期须为 YYYY-MM-DD 格式的真实日期".to_string())?;
        Some(date.to_owned())
    };
    Ok((code.to_owned(), content.to_owned(), date))
}

#[async_trait]
impl ImportKind for DemoNotes {
    fn about(&self) -> About {
        About::school("demo-notes", "演示备注").for_tenants(&[
            TenantKind::School,
            TenantKind::Org,
            TenantKind::Province,
        ])
    }
    fn columns(&self, _params: &serde_json::Value) -> Vec<Column> {
        vec![
            Column::required("编号", "不超过20位的字母或数字，不可重复"),
            Column::required("内容", "不超过200个字符"),
            Column::optional("日期", "YYYY-MM-DD，可不填"),
        ]
    }
    fn sample(&self, _params: &serde_json::Value) -> Vec<&'static str> {
        vec!["10001", "示例内容：第一次课", "2026-03-01"]
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        vec![
            "1. 带 * 的列为必填项；请勿修改表头。".into(),
            "2. 第2行为示例数据，导入时会自动忽略，可直接覆盖填写。".into(),
            "3. 编号在本单位内唯一；同一文件内编号不可重复。".into(),
            "4. 导入完成后可在导入记录中下载失败数据，修改后重新导入。".into(),
        ]
    }

    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        let existing: HashMap<String, String> = ctx
            .state
            .table
            .query_all(Query::partition(ctx.tenant_pk()).begins_with(NOTE_PREFIX))
            .await?
            .into_iter()
            .filter_map(|i| from_item::<Note>(i).ok())
            .map(|n| (n.code, n.import_id))
            .collect();
        Ok(Box::new(NotesSink {
            existing,
            first_row: HashMap::new(),
            saved: Saved::default(),
        }))
    }
}

struct NotesSink {
    /// Stored notes: code → the import that saved it.
    existing: HashMap<String, String>,
    first_row: HashMap<String, usize>,
    saved: Saved,
}

#[async_trait]
impl RowSink for NotesSink {
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving> {
        let mut outcomes = Vec::with_capacity(rows.len());
        let mut pending = Vec::new();
        let mut keys = Vec::new();
        for row in rows {
            let outcome = check_row(row).and_then(|(code, content, date)| {
                if let Some(first) = self.first_row.get(&code) {
                    return Err(format!("与第{first}行编号重复"));
                }
                self.first_row.insert(code.clone(), row.number);
                // Rows this import saved before a crash are its own, not duplicates.
                if self
                    .existing
                    .get(&code)
                    .is_some_and(|import| *import != ctx.record.id)
                {
                    return Err("该编号已存在".into());
                }
                Ok(Note {
                    code,
                    content,
                    date,
                    import_id: ctx.record.id.clone(),
                })
            });
            match outcome {
                Ok(note) => {
                    if !ctx.dry_run {
                        let key = ctx.key(format!("{NOTE_PREFIX}{}", note.code));
                        pending.push(BatchOp::Put(to_item(&key, &note)?));
                        keys.push(key);
                    }
                    outcomes.push(Ok(()));
                }
                Err(e) => outcomes.push(Err(e)),
            }
        }
        let table = ctx.state.table.clone();
        let saved = self.saved.clone();
        Ok(Box::pin(async move {
            if !pending.is_empty() {
                table.batch_write(pending).await?;
            }
            for key in keys {
                saved.row([key], None);
            }
            Ok(outcomes)
        }))
    }

    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize> {
        self.saved.undo(ctx.state.table.as_ref()).await
    }
}
