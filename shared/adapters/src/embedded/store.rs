//! The embedded store: one redb file under the data directory, shared by
//! the table and the queue adapters.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use redb::{Database, TableDefinition};

pub(crate) type Bytes = TableDefinition<'static, &'static [u8], &'static [u8]>;

pub(crate) const ITEMS: Bytes = TableDefinition::new("items");
pub(crate) const GSI1: Bytes = TableDefinition::new("gsi1");
pub(crate) const GSI2: Bytes = TableDefinition::new("gsi2");
pub(crate) const QUEUE_MESSAGES: Bytes = TableDefinition::new("queue_messages");
pub(crate) const QUEUE_VISIBLE: Bytes = TableDefinition::new("queue_visible");

/// Separator of composite keys: the smallest byte, so a shorter part sorts
/// before every longer part it is a prefix of.
pub(crate) const SEP: u8 = 0;
/// Larger than any byte of UTF-8 text: `prefix + HIGH` bounds a prefix range.
pub(crate) const HIGH: u8 = 0xFF;

/// redb's page cache (reads and the write buffer). redb's default is 1 GiB,
/// which a bulk import would fill with pages it never reads again. 16 MB:
/// the bulk jobs (排考, 批量打印) read far more than any cache holds, and
/// since 排考 writes each side of its seats in key order its transaction
/// no longer needs the buffer (release benches at 32 MB → 16 MB: 排考 of
/// 100,000 seats 164–168 → 134–152 MB at the same time, 批量打印 of
/// 2,942 rooms 142–151 → 126–127 MB; the roster import's bench moved
/// within the machine's noise: 2.83–2.98 s, 203–216 MB against 3.18–3.45
/// s, 225–236 MB at 32 MB in the same hour).
const CACHE_BYTES: usize = 16 * 1024 * 1024;

/// The encoded bytes of one `insert_guarded` transaction at most, so that
/// one call never holds the writer for long (redb spills dirty pages
/// beyond its cache to the file, so their memory is bounded anyway). Not
/// smaller: every commit costs, and 排考 measured 3,000-seat transactions
/// slower than 10,000-seat ones (it now writes through
/// `insert_guarded_chunks`, one transaction).
pub(crate) const GUARDED_TXN_BYTES: usize = 16 * 1024 * 1024;

/// The redb database; cheap to clone.
#[derive(Clone)]
pub struct EmbeddedStore {
    pub(crate) db: Arc<Database>,
}

impl EmbeddedStore {
    /// Opens (or creates) `<dir>/vslc.redb`, with every table present.
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating data directory {}", dir.display()))?;
        let path = dir.join("vslc.redb");
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(&path)
            .with_context(|| {
                format!(
                    "opening {} (is another vslc-local running?)",
                    path.display()
                )
            })?;
        let txn = db.begin_write()?;
        for def in [ITEMS, GSI1, GSI2, QUEUE_MESSAGES, QUEUE_VISIBLE] {
            txn.open_table(def)?;
        }
        txn.commit()?;
        Ok(Self { db: Arc::new(db) })
    }
}

/// Joins text parts into one ordered byte key.
pub(crate) fn composite(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// Splits a composite key back into its parts.
pub(crate) fn split(key: &[u8]) -> Vec<&str> {
    key.split(|b| *b == SEP)
        .map(|p| std::str::from_utf8(p).unwrap_or_default())
        .collect()
}

/// Runs blocking redb work off the async executor.
pub(crate) async fn blocking<T, F>(f: F) -> anyhow::Result<T>
where
    F: FnOnce() -> anyhow::Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .context("storage task panicked")?
}
