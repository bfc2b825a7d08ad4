//! Keyset pages, whose cost is the page, never the tenant's size.
//!
//! - [`merge`]: sharded list rows. A page reads at most `limit` rows from
//!   each of a fixed set of partitions and merges them, so its cost is
//!   (partitions × page size). The position is the sort key (after a
//!   fixed prefix) of the last row returned; the client gets it back as
//!   an opaque cursor ([`encode`], [`decode`]).
//! - [`scan`]: one partition (of the table or an index) of records that
//!   arrive a few a day, newest first, a filter applied to at most ten
//!   reads of 100; the cursor is the table's position after the last
//!   record returned.
//! - [`all_in`]: bulk reads of whole sources (exports, imports), page by
//!   page.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::table::{Cursor, CursorPos, Index, Key, Query, SkCond, SortedJson, Table, TableError};

/// Where one list's rows live in one partition: the rows whose sort key
/// starts with `prefix`; what follows the prefix (the body) orders them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub pk: String,
    pub prefix: String,
}

impl Source {
    /// The query of every row of the source.
    pub fn query(&self) -> Query {
        let q = Query::partition(self.pk.clone());
        if self.prefix.is_empty() {
            q
        } else {
            q.begins_with(self.prefix.clone())
        }
    }
}

/// A row of a merged page.
#[derive(Debug, Clone)]
pub struct Row {
    /// The sort key after the source's prefix.
    pub body: String,
    /// The stored item as JSON text.
    pub json: Vec<u8>,
}

/// One merged page: rows in body order, and whether more may follow.
#[derive(Debug, Default)]
pub struct Page {
    pub rows: Vec<Row>,
    pub more: bool,
}

/// The highest character: `prefix + MAX` bounds every body from above.
const MAX: char = '\u{10FFFF}';

/// Up to `limit` rows of the sources after `after` (a body), in ascending
/// body order.
///
/// The first round asks each source for four more than its even share of
/// the page (on DynamoDB a few more small rows cost no more read units,
/// and a second round costs a round trip); a row is certain once it sorts
/// before the last row of every source that may hold more. When fewer than `limit` rows are certain, the
/// sources that may hold rows before the page's last one — those whose
/// last row sorts before it — are asked for the rest of the page from
/// where they stopped; rows hash evenly over the sources, so that is one
/// or two sources when it happens. A page reads about (share + 4) ×
/// sources rows, at most (share + 4 + limit) × sources.
pub async fn merge(
    table: &dyn Table,
    sources: &[Source],
    after: Option<&str>,
    limit: usize,
) -> Result<Page, TableError> {
    struct Cursor {
        after: Option<String>,
        done: bool,
    }
    let mut at: Vec<Cursor> = sources
        .iter()
        .map(|_| Cursor {
            after: after.map(str::to_owned),
            done: false,
        })
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    let mut ask = (limit.div_ceil(sources.len().max(1)) + 4).min(limit).max(1);
    // The page's last row so far, once there are `limit` rows.
    let mut page_end: Option<String> = None;
    loop {
        let open: Vec<usize> = (0..sources.len())
            .filter(|&i| !at[i].done)
            .filter(|&i| match (&page_end, &at[i].after) {
                // Everything it holds after its last row sorts after the page.
                (Some(end), Some(last)) => last < end,
                _ => true,
            })
            .collect();
        let queries = open
            .iter()
            .map(|&i| {
                let s = &sources[i];
                // Bodies never hold control characters, so `after + \u{1}`
                // is the least key past `after`: the range starts after it.
                let lo = match &at[i].after {
                    Some(a) => format!("{}{a}\u{1}", s.prefix),
                    None => s.prefix.clone(),
                };
                let hi = format!("{}{MAX}", s.prefix);
                Query::partition(s.pk.clone())
                    .sk(SkCond::Between(lo, hi))
                    .limit(ask)
            })
            .collect();
        let pages = table.query_many_json(queries).await?;
        for (&i, (items, next)) in open.iter().zip(pages) {
            let full = items.len() >= ask && next.is_some();
            for SortedJson { sk, json } in items {
                let body = sk
                    .strip_prefix(sources[i].prefix.as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| TableError::Invalid("list row outside its prefix".into()))?;
                at[i].after = Some(body.clone());
                rows.push(Row { body, json });
            }
            at[i].done = !full;
        }
        rows.sort_by(|a, b| a.body.cmp(&b.body));
        // Rows up to the least last-row of the sources that may hold more
        // are certain; with none open, every row is.
        let bound = at
            .iter()
            .filter(|c| !c.done)
            .filter_map(|c| c.after.as_deref())
            .min();
        let certain = match bound {
            Some(b) => rows.partition_point(|r| r.body.as_str() <= b),
            None => rows.len(),
        };
        if certain >= limit || bound.is_none() {
            let more = rows.len() > limit || bound.is_some();
            rows.truncate(limit.min(certain));
            return Ok(Page { rows, more });
        }
        ask = limit - certain;
        page_end = rows.get(limit - 1).map(|r| r.body.clone());
    }
}

/// Every item of several partitions as records (exports, bulk matching):
/// the partitions are read together, each from its first page to its last.
pub async fn all_of<T: serde::de::DeserializeOwned + Send>(
    table: &dyn Table,
    partitions: Vec<String>,
) -> Result<Vec<T>, TableError> {
    let reads = partitions
        .into_iter()
        .map(|pk| table.query_all_json(Query::partition(pk)));
    let mut json = Vec::new();
    for part in futures_util::future::join_all(reads).await {
        json.extend(part?);
    }
    crate::table::parse_all(&json)
}

/// Every item under several sources (a partition, and a sort-key prefix
/// within it) as records, for bulk work (exports, an order's lines): the
/// sources are read together, each to its end.
pub async fn all_in<T: serde::de::DeserializeOwned + Send>(
    table: &dyn Table,
    sources: &[Source],
) -> Result<Vec<T>, TableError> {
    let json: Vec<Vec<u8>> = table
        .query_all_many_json(sources.iter().map(Source::query).collect())
        .await?
        .into_iter()
        .flatten()
        .collect();
    crate::table::parse_all(&json)
}

/// Every item under several sources as records, parsed page by page
/// (about 1,000 items a read): for bulk readers that keep a slim record of
/// large items (排考 reads 100,000 registrations for a few fields each), so
/// memory holds the records and one page of JSON, never every item's text.
pub async fn each_in<T: serde::de::DeserializeOwned + Send>(
    table: &dyn Table,
    sources: &[Source],
) -> Result<Vec<T>, TableError> {
    const PAGE: usize = 1000;
    let mut out = Vec::new();
    for s in sources {
        let mut query = s.query().limit(PAGE);
        loop {
            let (items, next) = table.query_json(query.clone()).await?;
            out.extend(crate::table::parse_all::<T>(&items)?);
            match next {
                Some(next) => query.cursor = Some(next),
                None => break,
            }
        }
    }
    Ok(out)
}

/// What a client is told when its cursor is not one the list gave out.
pub const BAD_CURSOR: &str = "分页位置无效，请从第一页重新查询";

/// One page of a list kept in one partition (or one index partition) in
/// the query's order — the lists whose records arrive a few a day (import
/// records, orders, reports): the query is read `READ` items at a time,
/// the records `keep` accepts are kept, and after at most `MAX_READS`
/// reads the page answers what it found. The cursor is the table's
/// position after the last record returned (or read), checked against the
/// query's partition when used; `None` when nothing follows.
pub async fn scan<T: serde::de::DeserializeOwned>(
    table: &dyn Table,
    query: Query,
    cursor: Option<&str>,
    size: usize,
    keep: impl Fn(&T) -> bool,
) -> Result<(Vec<T>, Option<String>), TableError> {
    const READ: usize = 100;
    const MAX_READS: usize = 10;
    let index = query.index;
    let mut q = query.limit(READ.max(size)).after(
        cursor
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(Cursor::from_client),
    );
    let mut out = Vec::with_capacity(size);
    for _ in 0..MAX_READS {
        let page = table.query(q.clone()).await?;
        let count = page.items.len();
        for (i, item) in page.items.into_iter().enumerate() {
            let pos = position(&item, index)?;
            let record: T = crate::table::from_item(item)?;
            if !keep(&record) {
                continue;
            }
            out.push(record);
            if out.len() == size {
                let last = i + 1 == count && page.next.is_none();
                return Ok((
                    out,
                    (!last).then(|| Cursor::encode(&pos).as_str().to_owned()),
                ));
            }
        }
        match page.next {
            Some(next) => q.cursor = Some(next),
            None => return Ok((out, None)),
        }
    }
    Ok((out, q.cursor.map(|c| c.as_str().to_owned())))
}

/// Where an item read by a query (of the table or an index) sits.
fn position(item: &crate::table::Item, index: Option<Index>) -> Result<CursorPos, TableError> {
    let key = Key::of(item)?;
    let (ipk, isk) = match index.and_then(|i| i.key_of(item)) {
        Some(ik) => (Some(ik.pk), Some(ik.sk)),
        None => (None, None),
    };
    Ok(CursorPos {
        pk: key.pk,
        sk: key.sk,
        ipk,
        isk,
    })
}

/// The cursor a client holds: the body of the last row it was given.
#[derive(Serialize, Deserialize)]
struct Position {
    after: String,
}

/// Encodes a position for the client (`nextCursor`).
pub fn encode(after: &str) -> String {
    let json = serde_json::to_vec(&Position {
        after: after.to_owned(),
    })
    .expect("a position serialises");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

/// Reads a client's cursor; `valid` checks the body's shape (the list
/// knows what its bodies look like). A cursor that does not decode, or
/// names a position no row of this list could have, answers 400.
pub fn decode(
    cursor: Option<&str>,
    valid: impl Fn(&str) -> bool,
) -> Result<Option<String>, DomainError> {
    let Some(text) = cursor.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let bad = || DomainError::invalid("BAD_CURSOR", BAD_CURSOR);
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| bad())?;
    let pos: Position = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if pos.after.is_empty()
        || pos.after.len() > 512
        || pos.after.chars().any(char::is_control)
        || !valid(&pos.after)
    {
        return Err(bad());
    }
    Ok(Some(pos.after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_tampering() {
        let c = encode("张三#123");
        assert_eq!(
            decode(Some(&c), |_| true).unwrap().as_deref(),
            Some("张三#123")
        );
        assert_eq!(decode(None, |_| true).unwrap(), None);
        assert_eq!(decode(Some(""), |_| true).unwrap(), None);
        assert!(decode(Some("!!"), |_| true).is_err());
        assert!(decode(Some(&c), |b| b.starts_with('李')).is_err());
        let control = encode("a\u{1}b");
        assert!(decode(Some(&control), |_| true).is_err());
    }
}
