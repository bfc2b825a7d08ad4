//! The bulk-file pipeline (PLATFORM.md §5): template → `POST /api/imports`
//! → PUT to the upload URL → object-created event → queue → `import-worker`
//! → import record with counts, progress and the failed rows as xlsx.
//!
//! Each import type is an `ImportKind`; the pipeline does everything else.

pub mod demo_notes;
pub mod record;
pub mod service;
pub mod worker;
pub use vslc_files::{xlsx, xlsx_guard};

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;

pub use record::{ImportRecord, ImportStatus};
use vslc_accounts::TenantKind;
pub use vslc_files::xlsx::Column;
use vslc_ports::AppState;
use vslc_ports::table::{Condition, Key, Update};

/// What an import uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Xlsx,
    /// A zip of files (candidate photos).
    Zip,
}

impl FileType {
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Xlsx => "xlsx",
            FileType::Zip => "zip",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Xlsx => xlsx::XLSX_CONTENT_TYPE,
            FileType::Zip => "application/zip",
        }
    }
}

/// Per-file or per-row results of a whole-file import: the cells to show in
/// the failed-rows file, and the outcome.
pub type FileOutcomes = Vec<(Vec<String>, Result<(), String>)>;

/// One data row: its row number in the sheet (as Excel shows it) and its
/// cells in the order of the kind's columns.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }
}

/// What an import kind sees while it works.
pub struct ImportContext<'a> {
    pub state: &'a AppState,
    pub record: &'a ImportRecord,
    /// 校验 only: report every row error, save nothing.
    pub dry_run: bool,
    /// The data rows the file may hold (the gate's count of rows with
    /// values, less the header; at most `MAX_ROWS`), 0 where unknown: a
    /// kind can reserve what it numbers once, not chunk by chunk.
    pub rows_expected: usize,
}

impl ImportContext<'_> {
    /// Reports how far the import is (drives the progress bar); capped at
    /// 99 % until the record is finished.
    pub async fn progress_of(&self, done: usize, total: usize) -> anyhow::Result<()> {
        self.progress_write(done, total).await
    }

    /// The progress write as a task of its own (it holds no borrow), so a
    /// long import reports progress without waiting for the store between
    /// chunks. Its caller awaits it before the record is finished.
    pub fn progress_write(
        &self,
        done: usize,
        total: usize,
    ) -> impl std::future::Future<Output = anyhow::Result<()>> + Send + 'static {
        let pct = (done * 100)
            .checked_div(total)
            .map_or(100, |p| p.min(99) as u8);
        let key = ImportRecord::key(&self.record.tenant, &self.record.id);
        let table = self.state.table.clone();
        async move {
            // Progress is advisory: no version check, and no version bump;
            // but only while the import runs, so that a write landing late
            // never touches a finished record.
            let running = Condition::attr_equals("status", ImportStatus::Processing.label());
            match table
                .update(&key, Update::new().set("progress", pct), Some(running))
                .await
            {
                Ok(_) => Ok(()),
                Err(e) if e.is_conflict() => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
    }

    /// Where the records this import owns start: the tenant's partition.
    pub fn tenant_pk(&self) -> String {
        self.record.tenant.pk()
    }

    pub fn key(&self, sk: String) -> Key {
        Key::new(self.tenant_pk(), sk)
    }
}

/// A chunk's writes, resolving to one outcome per row of the chunk, in
/// order: Ok, or the reason in Chinese. The worker runs it while the next
/// chunk is checked, so it owns what it needs (`'static`).
pub type Saving = Pin<Box<dyn Future<Output = anyhow::Result<Outcomes>> + Send + 'static>>;

/// One outcome per row.
pub type Outcomes = Vec<Result<(), String>>;

/// One saved row: the items it created, and the counter it raised (key,
/// attribute).
pub type SavedRow = (Vec<Key>, Option<(Key, &'static str)>);

/// What an xlsx import has saved so far, kept so that a failed import can
/// take it back (`RowSink::undo`). Savings run on their own tasks, so it is
/// shared with them.
#[derive(Clone, Default)]
pub struct Saved(Arc<std::sync::Mutex<SavedRows>>);

#[derive(Default)]
struct SavedRows {
    rows: usize,
    /// Items the rows created (records and their guards).
    created: Vec<Key>,
    /// Counters the rows added one to: (key, attribute).
    counted: Vec<(Key, &'static str)>,
}

impl Saved {
    /// One row saved: the items it created and the counters it raised.
    pub fn row(
        &self,
        created: impl IntoIterator<Item = Key>,
        counted: Option<(Key, &'static str)>,
    ) {
        let mut saved = self.0.lock().unwrap_or_else(|p| p.into_inner());
        saved.rows += 1;
        saved.created.extend(created);
        saved.counted.extend(counted);
    }

    /// Takes what the rows saved so far: how many rows, the keys they
    /// created (in the order each row gave them), the counters they raised.
    /// For kinds whose undo is more than deleting keys.
    pub fn take(&self) -> (usize, Vec<Key>, Vec<(Key, &'static str)>) {
        let saved = std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()));
        (saved.rows, saved.created, saved.counted)
    }

    /// Deletes what the rows created and lowers what they raised; returns
    /// how many rows it took back.
    pub async fn undo(&self, table: &dyn vslc_ports::Table) -> anyhow::Result<usize> {
        self.undo_with(table, Vec::new()).await
    }

    /// `undo`, also taking back `earlier` rows — what an earlier delivery of
    /// the same import saved (found by the import's id when the sink
    /// opened) — that this run had not reached.
    pub async fn undo_with(
        &self,
        table: &dyn vslc_ports::Table,
        earlier: Vec<SavedRow>,
    ) -> anyhow::Result<usize> {
        let SavedRows {
            mut rows,
            mut created,
            mut counted,
        } = std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()));
        let seen: std::collections::HashSet<Key> = created.iter().cloned().collect();
        for (keys, count) in earlier {
            // A row this run saved or re-found is already in `created`.
            if !keys.is_empty() && keys.iter().all(|k| !seen.contains(k)) {
                rows += 1;
                created.extend(keys);
                counted.extend(count);
            }
        }
        for chunk in created.chunks(1_000) {
            table
                .batch_write(
                    chunk
                        .iter()
                        .cloned()
                        .map(vslc_ports::table::BatchOp::Delete)
                        .collect(),
                )
                .await?;
        }
        let mut by_key: HashMap<(Key, &'static str), i64> = HashMap::new();
        for c in counted {
            *by_key.entry(c).or_default() += 1;
        }
        for ((key, attribute), n) in by_key {
            // Only a counter still there: lowering one that went would
            // make a stray item of it.
            match table
                .update(
                    &key,
                    Update::new().add(attribute, -n),
                    Some(vslc_ports::table::Condition::Exists),
                )
                .await
            {
                Ok(_) => {}
                Err(e) if e.is_conflict() => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(rows)
    }
}

/// A `Saving` for a chunk whose work is already done.
pub fn saved(outcomes: Outcomes) -> Saving {
    Box::pin(std::future::ready(Ok(outcomes)))
}

/// An xlsx import under way: it sees every row once, chunk by chunk, in
/// file order.
#[async_trait]
pub trait RowSink: Send {
    /// Validates a chunk against the rows before it and returns its saving
    /// (unless dry run, the good rows' writes). Must be idempotent: an
    /// import run twice saves nothing twice.
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving>;
    /// Takes back everything this import saved: it failed part-way (the
    /// file stopped being readable, or held too many rows), and a failed
    /// import leaves nothing of itself stored. Called after every saving
    /// has finished; returns how many rows it took back.
    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize>;
}

/// What an import type is called and who may use it.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// `type` in the API (`candidates`, `rooms`, …).
    pub name: &'static str,
    /// 中文名称 (template file and sheet names).
    pub title: &'static str,
    /// Which tenants may use it.
    pub tenants: &'static [TenantKind],
    /// Former type names still accepted (records keep `name`).
    pub aliases: &'static [&'static str],
}

impl About {
    /// A school's import type.
    pub const fn school(name: &'static str, title: &'static str) -> Self {
        About {
            name,
            title,
            tenants: &[TenantKind::School],
            aliases: &[],
        }
    }

    /// Open to these tenants instead.
    pub const fn for_tenants(self, tenants: &'static [TenantKind]) -> Self {
        About { tenants, ..self }
    }

    /// Also accepted under these former names.
    pub const fn formerly(self, aliases: &'static [&'static str]) -> Self {
        About { aliases, ..self }
    }
}

/// An import type.
#[async_trait]
pub trait ImportKind: Send + Sync {
    /// Its name, title, tenants and former names.
    fn about(&self) -> About;
    /// `type` in the API (`candidates`, `rooms`, …).
    fn name(&self) -> &'static str {
        self.about().name
    }
    /// Former type names still accepted (records keep `name`).
    fn aliases(&self) -> &'static [&'static str] {
        self.about().aliases
    }
    /// 中文名称 (template file and sheet names).
    fn title(&self) -> &'static str {
        self.about().title
    }
    /// Which tenants may use it.
    fn tenants(&self) -> &'static [TenantKind] {
        self.about().tenants
    }
    /// The template's columns; `params` are the import's (e.g. candidate kind).
    fn columns(&self, params: &serde_json::Value) -> Vec<Column>;
    /// The template's sample row; an uploaded row equal to it is skipped.
    fn sample(&self, params: &serde_json::Value) -> Vec<&'static str>;
    /// Lines of the 填写说明 sheet.
    fn instructions(&self, params: &serde_json::Value) -> Vec<String>;
    /// Dropdown values that depend on the tenant (e.g. the majors of a
    /// school's certificates), by column header.
    async fn choices(
        &self,
        _state: &AppState,
        _tenant: &vslc_accounts::Tenant,
        _params: &serde_json::Value,
    ) -> anyhow::Result<HashMap<&'static str, Vec<String>>> {
        Ok(HashMap::new())
    }
    /// Checks `params` when the import is created (400 with the message).
    fn check_params(&self, _params: &serde_json::Value) -> Result<(), String> {
        Ok(())
    }
    /// What the user uploads (xlsx unless said otherwise).
    fn file_type(&self) -> FileType {
        FileType::Xlsx
    }
    /// For `FileType::Zip` kinds: processes the whole file. `Err(message)`
    /// inside fails the whole import with that message (not a zip, too many
    /// entries, …); the outer error is a fault worth retrying.
    async fn apply_file(
        &self,
        _ctx: &ImportContext<'_>,
        _bytes: Vec<u8>,
    ) -> anyhow::Result<Result<FileOutcomes, String>> {
        Ok(Err("该导入类型只接受 .xlsx 文件".into()))
    }
    /// Starts an xlsx import: loads once what checking needs (existing
    /// records, the catalogue); the rows then arrive in chunks, in file order.
    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>>;
}

/// Every import kind, by type name.
#[derive(Clone, Default)]
pub struct Registry {
    kinds: HashMap<&'static str, Arc<dyn ImportKind>>,
}

impl Registry {
    pub fn with(mut self, kind: Arc<dyn ImportKind>) -> Self {
        for alias in kind.aliases() {
            self.kinds.insert(alias, kind.clone());
        }
        self.kinds.insert(kind.name(), kind);
        self
    }
    /// A kind by its name or a former one.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn ImportKind>> {
        self.kinds.get(name)
    }
    /// The kinds' names (not their aliases).
    pub fn names(&self) -> Vec<&'static str> {
        let mut n: Vec<_> = self
            .kinds
            .iter()
            .filter(|(name, kind)| **name == kind.name())
            .map(|(name, _)| *name)
            .collect();
        n.sort();
        n
    }
}
