//! `Table`: the one-table item store (DynamoDB in the cloud, redb locally).
//!
//! Items are JSON objects with string keys `pk` and `sk`; the overloaded
//! secondary indexes read `gsi1pk`/`gsi1sk` and `gsi2pk`/`gsi2sk`. Conditions
//! and updates are typed so that both adapters implement the same meaning.

use async_trait::async_trait;
use base64::Engine;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

/// Attribute names of the key schema.
pub const PK: &str = "pk";
pub const SK: &str = "sk";
/// Attribute used for optimistic concurrency.
pub const VERSION: &str = "version";
/// Attribute the table's TTL reads (Unix seconds).
pub const EXPIRES_AT: &str = "expiresAt";
/// Largest item the table accepts, as in DynamoDB (400 KB).
pub const MAX_ITEM_BYTES: usize = 400 * 1024;
/// Most items in one transaction (DynamoDB's limit).
pub const MAX_TRANSACT_ITEMS: usize = 100;
/// Most items in one BatchWriteItem call; adapters chunk larger batches.
pub const BATCH_WRITE_CHUNK: usize = 25;

/// An item: a JSON object holding at least string `pk` and `sk`.
pub type Item = Map<String, Value>;

/// Primary key of an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
        }
    }

    /// The key of an item, if it has string `pk` and `sk`.
    pub fn of(item: &Item) -> Result<Self, TableError> {
        let get = |name: &str| {
            item.get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| TableError::Invalid(format!("item has no string `{name}`")))
        };
        Ok(Self::new(get(PK)?, get(SK)?))
    }
}

/// Secondary indexes of the table (overloaded, keyed by the counterpart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Index {
    Gsi1,
    Gsi2,
}

impl Index {
    pub const ALL: [Index; 2] = [Index::Gsi1, Index::Gsi2];

    pub fn name(self) -> &'static str {
        match self {
            Index::Gsi1 => "gsi1",
            Index::Gsi2 => "gsi2",
        }
    }
    pub fn pk_attr(self) -> &'static str {
        match self {
            Index::Gsi1 => "gsi1pk",
            Index::Gsi2 => "gsi2pk",
        }
    }
    pub fn sk_attr(self) -> &'static str {
        match self {
            Index::Gsi1 => "gsi1sk",
            Index::Gsi2 => "gsi2sk",
        }
    }
    /// The index key of an item, if the item carries both index attributes.
    pub fn key_of(self, item: &Item) -> Option<Key> {
        let pk = item.get(self.pk_attr())?.as_str()?;
        let sk = item.get(self.sk_attr())?.as_str()?;
        Some(Key::new(pk, sk))
    }
}

/// A typed write condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// No item with this key exists.
    NotExists,
    /// An item with this key exists.
    Exists,
    /// The item exists and its `version` equals n.
    VersionIs(u64),
    /// The item exists and attribute `name` equals the value.
    AttrEquals(String, Value),
    /// The item exists and has no attribute `name`.
    AttrAbsent(String),
    /// All of the conditions hold.
    And(Vec<Condition>),
    /// At least one of the conditions holds (none given: never).
    Or(Vec<Condition>),
}

impl Condition {
    pub fn attr_equals(name: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::AttrEquals(name.into(), value.into())
    }

    /// Evaluate against the current item (used by the embedded adapter and
    /// by tests; DynamoDB evaluates the rendered expression itself).
    pub fn holds(&self, current: Option<&Item>) -> bool {
        match self {
            Condition::NotExists => current.is_none(),
            Condition::Exists => current.is_some(),
            Condition::VersionIs(n) => current
                .and_then(|i| i.get(VERSION))
                .and_then(Value::as_u64)
                .is_some_and(|v| v == *n),
            Condition::AttrEquals(name, value) => current
                .and_then(|i| i.get(name))
                .is_some_and(|v| json_eq(v, value)),
            Condition::AttrAbsent(name) => current.is_some_and(|i| !i.contains_key(name)),
            Condition::And(all) => all.iter().all(|c| c.holds(current)),
            Condition::Or(any) => any.iter().any(|c| c.holds(current)),
        }
    }
}

/// Numbers compare by value (1 == 1.0), as DynamoDB compares N.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

/// A typed update: SET, ADD (numeric increment) and REMOVE clauses.
/// Applied to a missing item it creates it (upsert), unless a condition forbids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    pub set: Vec<(String, Value)>,
    pub add: Vec<(String, i64)>,
    pub remove: Vec<String>,
}

impl Update {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn set(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set.push((name.into(), value.into()));
        self
    }
    /// SET to any serialisable value (lists, enums, nested records).
    pub fn set_json<T: Serialize + ?Sized>(
        self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, TableError> {
        let value = serde_json::to_value(value).map_err(|e| TableError::Invalid(e.to_string()))?;
        Ok(self.set(name, value))
    }
    pub fn add(mut self, name: impl Into<String>, by: i64) -> Self {
        self.add.push((name.into(), by));
        self
    }
    pub fn remove(mut self, name: impl Into<String>) -> Self {
        self.remove.push(name.into());
        self
    }
    /// Bump `version` by one (pair with `Condition::VersionIs`).
    pub fn bump_version(self) -> Self {
        self.add(VERSION, 1)
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.add.is_empty() && self.remove.is_empty()
    }

    /// Reject updates that touch the key or name one attribute twice
    /// (DynamoDB refuses both; the embedded adapter must too).
    pub fn check(&self) -> Result<(), TableError> {
        if self.is_empty() {
            return Err(TableError::Invalid("empty update".into()));
        }
        let mut seen = std::collections::HashSet::new();
        let names = self
            .set
            .iter()
            .map(|(n, _)| n)
            .chain(self.add.iter().map(|(n, _)| n))
            .chain(self.remove.iter());
        for name in names {
            if name == PK || name == SK {
                return Err(TableError::Invalid(format!(
                    "cannot update key attribute `{name}`"
                )));
            }
            if name.is_empty() || !seen.insert(name.as_str()) {
                return Err(TableError::Invalid(format!(
                    "attribute `{name}` named twice or empty"
                )));
            }
        }
        Ok(())
    }

    /// Apply to an item in place (embedded adapter and tests).
    pub fn apply(&self, key: &Key, current: Option<Item>) -> Result<Item, TableError> {
        let mut item = current.unwrap_or_else(|| {
            let mut i = Item::new();
            i.insert(PK.into(), Value::String(key.pk.clone()));
            i.insert(SK.into(), Value::String(key.sk.clone()));
            i
        });
        for (name, value) in &self.set {
            item.insert(name.clone(), value.clone());
        }
        for (name, by) in &self.add {
            let now = match item.get(name) {
                None => 0,
                Some(v) => v.as_i64().ok_or_else(|| {
                    TableError::Invalid(format!("ADD on non-integer attribute `{name}`"))
                })?,
            };
            item.insert(name.clone(), Value::from(now + by));
        }
        for name in &self.remove {
            item.remove(name);
        }
        Ok(item)
    }
}

/// One write inside a transaction.
#[derive(Debug, Clone)]
pub enum TxOp {
    Put {
        item: Item,
        condition: Option<Condition>,
    },
    Update {
        key: Key,
        update: Update,
        condition: Option<Condition>,
    },
    Delete {
        key: Key,
        condition: Option<Condition>,
    },
    Check {
        key: Key,
        condition: Condition,
    },
}

impl TxOp {
    pub fn key(&self) -> Result<Key, TableError> {
        match self {
            TxOp::Put { item, .. } => Key::of(item),
            TxOp::Update { key, .. } | TxOp::Delete { key, .. } | TxOp::Check { key, .. } => {
                Ok(key.clone())
            }
        }
    }
    pub fn condition(&self) -> Option<&Condition> {
        match self {
            TxOp::Put { condition, .. }
            | TxOp::Update { condition, .. }
            | TxOp::Delete { condition, .. } => condition.as_ref(),
            TxOp::Check { condition, .. } => Some(condition),
        }
    }
}

/// One write in a batch (no conditions, as in BatchWriteItem).
#[derive(Debug, Clone)]
pub enum BatchOp {
    Put(Item),
    Delete(Key),
}

/// A sort-key condition of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkCond {
    Eq(String),
    BeginsWith(String),
    /// Inclusive on both ends, as DynamoDB's BETWEEN.
    Between(String, String),
    Lt(String),
    Le(String),
    Gt(String),
    Ge(String),
}

impl SkCond {
    pub fn matches(&self, sk: &str) -> bool {
        match self {
            SkCond::Eq(v) => sk == v,
            SkCond::BeginsWith(p) => sk.starts_with(p.as_str()),
            SkCond::Between(a, b) => sk >= a.as_str() && sk <= b.as_str(),
            SkCond::Lt(v) => sk < v.as_str(),
            SkCond::Le(v) => sk <= v.as_str(),
            SkCond::Gt(v) => sk > v.as_str(),
            SkCond::Ge(v) => sk >= v.as_str(),
        }
    }
}

/// A queried item as stored JSON text, with the sort key it was ordered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedJson {
    pub sk: String,
    pub json: Vec<u8>,
}

/// A query over one partition of the table or of an index.
#[derive(Debug, Clone)]
pub struct Query {
    pub index: Option<Index>,
    pub pk: String,
    pub sk: Option<SkCond>,
    /// Ascending sort-key order when true.
    pub forward: bool,
    /// Most items in this page (None: as many as the backend returns at once).
    pub limit: Option<usize>,
    pub cursor: Option<Cursor>,
}

impl Query {
    pub fn partition(pk: impl Into<String>) -> Self {
        Self {
            index: None,
            pk: pk.into(),
            sk: None,
            forward: true,
            limit: None,
            cursor: None,
        }
    }
    pub fn index(index: Index, pk: impl Into<String>) -> Self {
        Self {
            index: Some(index),
            ..Self::partition(pk)
        }
    }
    pub fn sk(mut self, cond: SkCond) -> Self {
        self.sk = Some(cond);
        self
    }
    pub fn begins_with(self, prefix: impl Into<String>) -> Self {
        self.sk(SkCond::BeginsWith(prefix.into()))
    }
    pub fn reverse(mut self) -> Self {
        self.forward = false;
        self
    }
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }
    pub fn after(mut self, cursor: Option<Cursor>) -> Self {
        self.cursor = cursor;
        self
    }
}

/// A page of query results; `next` is set when more items may follow.
#[derive(Debug, Clone, Default)]
pub struct QueryPage {
    pub items: Vec<Item>,
    pub next: Option<Cursor>,
}

/// Opaque paging cursor: the position of the last item returned, as
/// base64url JSON. Both adapters read and write the same form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

/// The position a cursor encodes (for the adapters; opaque to areas).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CursorPos {
    pub pk: String,
    pub sk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isk: Option<String>,
}

impl Cursor {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Accepts a cursor a client sent back; it is checked when used.
    pub fn from_client(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn encode(pos: &CursorPos) -> Self {
        let json = serde_json::to_vec(pos).expect("cursor serialises");
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
    }
    pub fn decode(&self, query: &Query) -> Result<CursorPos, TableError> {
        let bad = || TableError::BadCursor;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&self.0)
            .map_err(|_| bad())?;
        let pos: CursorPos = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        // A cursor only continues the partition it came from.
        let partition = if query.index.is_some() {
            pos.ipk.as_ref()
        } else {
            Some(&pos.pk)
        };
        if partition != Some(&query.pk) || (query.index.is_some() && pos.isk.is_none()) {
            return Err(bad());
        }
        Ok(pos)
    }
}

/// Errors of the table port.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("condition failed")]
    ConditionFailed,
    /// A transaction was cancelled; `failed` lists the positions whose
    /// condition did not hold.
    #[error("transaction cancelled (failed conditions at {failed:?})")]
    TransactionCanceled { failed: Vec<usize> },
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error("item too large ({0} bytes)")]
    TooLarge(usize),
    #[error("invalid paging cursor")]
    BadCursor,
    #[error("table backend error")]
    Backend(#[source] anyhow::Error),
}

impl TableError {
    /// True when a condition (alone or in a transaction) did not hold:
    /// the caller lost a race or broke a rule, not the backend.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            TableError::ConditionFailed | TableError::TransactionCanceled { .. }
        )
    }
}

/// The item store.
#[async_trait]
pub trait Table: Send + Sync {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError>;
    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), TableError>;
    /// Applies the update and returns the item as it is afterwards.
    async fn update(
        &self,
        key: &Key,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, TableError>;
    async fn delete(&self, key: &Key, condition: Option<Condition>) -> Result<(), TableError>;
    /// All-or-nothing; at most 100 operations on distinct keys.
    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), TableError>;
    /// Unconditional puts and deletes, chunked by 25 and retried until all apply.
    async fn batch_write(&self, ops: Vec<BatchOp>) -> Result<(), TableError>;
    async fn query(&self, query: Query) -> Result<QueryPage, TableError>;
    /// Puts each item unless an item with its key exists; answers, per item,
    /// whether it was written. Each put is atomic on its own, not the batch:
    /// concurrent callers putting the same key see exactly one `true`.
    async fn insert_new(&self, items: Vec<Item>) -> Result<Vec<bool>, TableError>;
    /// The bulk-import write. A group is written, all of it at once, only
    /// if none of its guard keys exists and every update's condition holds:
    /// guards and items put (items only if absent), updates applied.
    /// Answers, per group, whether it was written; racing callers see
    /// exactly one `true` per guard key. Groups are written in several
    /// transactions — whole groups, up to 16 MB a transaction on the
    /// embedded store — so on both adapters an error may leave the groups
    /// of earlier transactions written. DynamoDB packs them into
    /// transactions of up to 100 operations on distinct keys, retrying
    /// without the groups a cancellation names. Updates must not move an
    /// item's index keys. A group's items are new by construction (keys
    /// derived from what its guards make unique): an item already there is
    /// never overwritten — it fails its group on DynamoDB and stays as it
    /// was on the embedded store — so callers must not rely on either.
    async fn insert_guarded(&self, groups: Vec<Guarded>) -> Result<Vec<bool>, TableError>;
    /// `insert_guarded` for more groups than one call should hold at once
    /// (排考's seats): the groups arrive in chunks, built as they are
    /// asked for, and are decided by the same rule, in order. Answers, per
    /// group of every chunk, whether it was written. The embedded store
    /// writes every chunk in one transaction — one commit, nothing written
    /// if an error (of the store or of the stream) ends it, and a chunk
    /// built while the one before it is written. Meanwhile every other
    /// write of the process waits, so the stream must not await anything
    /// that writes to the table (it would wait for itself); dropping the
    /// call before its end rolls it back. The default, DynamoDB's, writes
    /// each chunk as `insert_guarded` does: an error may leave the earlier
    /// chunks written.
    async fn insert_guarded_chunks(
        &self,
        mut chunks: GuardedChunks<'_>,
    ) -> Result<Vec<bool>, TableError> {
        use futures_util::StreamExt;
        let mut written = Vec::new();
        while let Some(chunk) = chunks.next().await {
            written.extend(self.insert_guarded(chunk?).await?);
        }
        Ok(written)
    }
    /// Applies each group all at once — its operations and its counts —
    /// if every condition in it holds; answers, per group, whether it was
    /// applied. Groups are independent of each other (a group's keys are
    /// its own; counts may be shared). The default writes one transaction
    /// per group; adapters with a bulk path pack many groups per write.
    async fn apply_groups(&self, groups: Vec<Group>) -> Result<Vec<bool>, TableError> {
        let mut applied = Vec::with_capacity(groups.len());
        for group in groups {
            let ops = group.into_ops();
            if ops.is_empty() {
                applied.push(true);
                continue;
            }
            match self.transact(ops).await {
                Ok(()) => applied.push(true),
                Err(e) if e.is_conflict() => applied.push(false),
                Err(e) => return Err(e),
            }
        }
        Ok(applied)
    }
    /// One page of a query as JSON text (and the cursor of the next), for
    /// readers that stream a large partition page by page.
    async fn query_json(&self, query: Query) -> Result<(Vec<Vec<u8>>, Option<Cursor>), TableError> {
        let page = self.query(query).await?;
        let items = page
            .items
            .iter()
            .map(|item| serde_json::to_vec(item).map_err(|e| TableError::Backend(e.into())))
            .collect::<Result<_, _>>()?;
        Ok((items, page.next))
    }

    /// Several queries, one page each, as JSON text with the sort key each
    /// item is ordered by (the index's for an index query), run together (a
    /// list merging shards): one read of the store locally, concurrent
    /// requests on DynamoDB. Answers in the order asked. The sort key comes
    /// from the adapter, so a merge orders rows without parsing them.
    async fn query_many_json(
        &self,
        queries: Vec<Query>,
    ) -> Result<Vec<(Vec<SortedJson>, Option<Cursor>)>, TableError> {
        let pages = queries.into_iter().map(|q| async move {
            let index = q.index;
            let page = self.query(q).await?;
            let items = page
                .items
                .iter()
                .map(|item| {
                    let sk = match index {
                        None => item.get(SK).and_then(|v| v.as_str()).map(str::to_owned),
                        Some(i) => i.key_of(item).map(|k| k.sk),
                    }
                    .ok_or_else(|| TableError::Invalid("a queried item has no sort key".into()))?;
                    let json =
                        serde_json::to_vec(item).map_err(|e| TableError::Backend(e.into()))?;
                    Ok(SortedJson { sk, json })
                })
                .collect::<Result<Vec<_>, TableError>>()?;
            Ok((items, page.next))
        });
        futures_util::future::join_all(pages)
            .await
            .into_iter()
            .collect()
    }

    /// Items by key as JSON text, in the order asked, `None` where there is
    /// none: one read of the store locally, BatchGetItem on DynamoDB.
    async fn get_many_json(&self, keys: Vec<Key>) -> Result<Vec<Option<Vec<u8>>>, TableError> {
        let gets = keys.iter().map(|k| self.get(k));
        futures_util::future::join_all(gets)
            .await
            .into_iter()
            .map(|got| {
                got?.map(|item| {
                    serde_json::to_vec(&item).map_err(|e| TableError::Backend(e.into()))
                })
                .transpose()
            })
            .collect()
    }

    /// Every item of several queries as JSON text, in the order asked:
    /// one read of the store, on one blocking thread, locally; concurrent
    /// requests on DynamoDB (the default).
    async fn query_all_many_json(
        &self,
        queries: Vec<Query>,
    ) -> Result<Vec<Vec<Vec<u8>>>, TableError> {
        futures_util::future::try_join_all(queries.into_iter().map(|q| self.query_all_json(q)))
            .await
    }

    /// Every item of a query as JSON text, following cursors, for bulk
    /// readers that deserialise straight into their records. The embedded
    /// adapter hands out the stored bytes; the default re-serialises items.
    async fn query_all_json(&self, mut query: Query) -> Result<Vec<Vec<u8>>, TableError> {
        let mut out = Vec::new();
        loop {
            let page = self.query(query.clone()).await?;
            for item in &page.items {
                out.push(serde_json::to_vec(item).map_err(|e| TableError::Backend(e.into()))?);
            }
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => return Ok(out),
            }
        }
    }
}

/// An item serialised once, for bulk writes: its key and its JSON text (an
/// object holding `pk` and `sk`, like every stored item). The record must
/// not hold key or index attributes itself: items on a GSI go as `Item`.
#[derive(Debug, Clone)]
pub struct EncodedItem {
    key: Key,
    json: Vec<u8>,
}

impl EncodedItem {
    pub fn new<T: Serialize>(key: Key, record: &T) -> Result<Self, TableError> {
        let body = serde_json::to_vec(record).map_err(|e| TableError::Invalid(e.to_string()))?;
        Self::with_body(key, &body)
    }

    /// An item from a record already serialised (a JSON object), for a
    /// record stored under several keys: serialised once, not per key.
    pub fn with_body(key: Key, body: &[u8]) -> Result<Self, TableError> {
        let invalid = |m: String| TableError::Invalid(m);
        if body.first() != Some(&b'{') {
            return Err(invalid("record is not an object".into()));
        }
        if key.pk.is_empty() || key.sk.is_empty() {
            return Err(invalid("empty key".into()));
        }
        let mut json = key_json_prefix(&key.pk, &key.sk);
        json.reserve(body.len());
        if body.len() > 2 {
            json.push(b',');
        }
        json.extend_from_slice(&body[1..]);
        if json.len() > MAX_ITEM_BYTES {
            return Err(TableError::TooLarge(json.len()));
        }
        let encoded = Self { key, json };
        debug_assert!(
            encoded.to_item().is_ok_and(|item| {
                item.len() == body_attrs(body) + 2
                    && Index::ALL.iter().all(|i| i.key_of(&item).is_none())
            }),
            "an encoded record holds key or index attributes"
        );
        Ok(encoded)
    }

    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The stored JSON text.
    pub fn json(&self) -> &[u8] {
        &self.json
    }

    /// Its key and JSON text, taken.
    pub fn into_parts(self) -> (Key, Vec<u8>) {
        (self.key, self.json)
    }

    /// The item as a map, for adapters that need one.
    pub fn to_item(&self) -> Result<Item, TableError> {
        serde_json::from_slice(&self.json).map_err(|e| TableError::Invalid(e.to_string()))
    }
}

/// `{"pk":<pk>,"sk":<sk>`: how an encoded item's JSON text starts. The
/// embedded store leaves it out of what it stores and puts it back on read.
pub fn key_json_prefix(pk: &str, sk: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(pk.len() + sk.len() + 16);
    out.extend_from_slice(b"{\"pk\":");
    serde_json::to_writer(&mut out, pk).expect("a string is JSON");
    out.extend_from_slice(b",\"sk\":");
    serde_json::to_writer(&mut out, sk).expect("a string is JSON");
    out
}

/// How many attributes a serialised record has (debug checks only).
fn body_attrs(body: &[u8]) -> usize {
    serde_json::from_slice::<Item>(body).map_or(0, |m| m.len())
}

/// An additive counter change: ADD `by` to attribute `attr` of the item at
/// `key` (made when missing). A group's counts are applied with it, all or
/// nothing; adapters merge the counts of the groups they write together,
/// so a thousand rows raising one counter cost one write of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: Key,
    pub attr: String,
    pub by: i64,
}

impl Count {
    pub fn new(key: Key, attr: impl Into<String>, by: i64) -> Self {
        Self {
            key,
            attr: attr.into(),
            by,
        }
    }
}

/// The counts of many groups as one update per counter item (sums of
/// zero dropped), in key order.
pub fn merge_counts<'a>(counts: impl IntoIterator<Item = &'a Count>) -> Vec<(Key, Update)> {
    let mut by_key: std::collections::BTreeMap<
        (String, String),
        std::collections::BTreeMap<&str, i64>,
    > = std::collections::BTreeMap::new();
    for c in counts {
        *by_key
            .entry((c.key.pk.clone(), c.key.sk.clone()))
            .or_default()
            .entry(c.attr.as_str())
            .or_default() += c.by;
    }
    by_key
        .into_iter()
        .filter_map(|((pk, sk), attrs)| {
            let update = attrs
                .into_iter()
                .filter(|(_, by)| *by != 0)
                .fold(Update::new(), |u, (attr, by)| u.add(attr, by));
            (!update.is_empty()).then(|| (Key::new(pk, sk), update))
        })
        .collect()
}

/// One group of `Table::apply_groups`: writes that apply together only if
/// every condition among them holds, and the counts that go with them.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub ops: Vec<TxOp>,
    pub counts: Vec<Count>,
}

impl Group {
    /// The group as one transaction: its operations, then one update per
    /// counter item (positions of failed conditions keep their meaning).
    pub fn into_ops(self) -> Vec<TxOp> {
        let mut ops = self.ops;
        for (key, update) in merge_counts(&self.counts) {
            ops.push(TxOp::Update {
                key,
                update,
                condition: None,
            });
        }
        ops
    }
}

/// The chunks of groups `Table::insert_guarded_chunks` writes, built as
/// the store asks for them.
pub type GuardedChunks<'a> = futures_util::stream::BoxStream<'a, Result<Vec<Guarded>, TableError>>;

/// One group of `Table::insert_guarded`: uniqueness guards, the items
/// written with them, conditional updates applied with them, conditions
/// on other items that must hold as they are (nothing written to those),
/// and the counts they raise.
#[derive(Debug, Clone)]
pub struct Guarded {
    pub guards: Vec<EncodedItem>,
    pub items: Vec<EncodedItem>,
    pub updates: Vec<(Key, Update, Condition)>,
    pub checks: Vec<(Key, Condition)>,
    pub counts: Vec<Count>,
}

impl Guarded {
    /// One guard and the items it guards.
    pub fn new(guard: EncodedItem, items: Vec<EncodedItem>) -> Self {
        Self {
            guards: vec![guard],
            items,
            updates: Vec::new(),
            checks: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// The group, written only if the item at `key` meets `condition`.
    pub fn checking(mut self, key: Key, condition: Condition) -> Self {
        self.checks.push((key, condition));
        self
    }

    /// The group's writes as transaction operations, without its counts
    /// (adapters merge those across groups).
    pub fn ops(&self) -> Result<Vec<TxOp>, TableError> {
        let mut ops = Vec::with_capacity(self.guards.len() + self.items.len() + self.updates.len());
        for item in self.guards.iter().chain(&self.items) {
            ops.push(TxOp::Put {
                item: item.to_item()?,
                condition: Some(Condition::NotExists),
            });
        }
        for (key, update, condition) in &self.updates {
            ops.push(TxOp::Update {
                key: key.clone(),
                update: update.clone(),
                condition: Some(condition.clone()),
            });
        }
        for (key, condition) in &self.checks {
            ops.push(TxOp::Check {
                key: key.clone(),
                condition: condition.clone(),
            });
        }
        Ok(ops)
    }
}

/// Checks every adapter applies before writing a transaction.
pub fn check_transaction(ops: &[TxOp]) -> Result<(), TableError> {
    if ops.is_empty() || ops.len() > MAX_TRANSACT_ITEMS {
        return Err(TableError::Invalid(format!(
            "a transaction takes 1 to {MAX_TRANSACT_ITEMS} operations, got {}",
            ops.len()
        )));
    }
    let mut keys = std::collections::HashSet::new();
    for op in ops {
        if let TxOp::Update { update, .. } = op {
            update.check()?;
        }
        if let TxOp::Put { item, .. } = op {
            check_item(item)?;
        }
        if !keys.insert(op.key()?) {
            return Err(TableError::Invalid(
                "a transaction names one key twice".into(),
            ));
        }
    }
    Ok(())
}

/// Key present, size within the limit.
pub fn check_item(item: &Item) -> Result<(), TableError> {
    Key::of(item)?;
    let size = serde_json::to_vec(item)
        .map(|v| v.len())
        .unwrap_or(usize::MAX);
    if size > MAX_ITEM_BYTES {
        return Err(TableError::TooLarge(size));
    }
    Ok(())
}

/// Typed helpers over any `Table`.
#[async_trait]
pub trait TableExt: Table {
    /// Every item of a query, following cursors.
    async fn query_all(&self, mut query: Query) -> Result<Vec<Item>, TableError> {
        let mut out = Vec::new();
        loop {
            let page = self.query(query.clone()).await?;
            out.extend(page.items);
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => return Ok(out),
            }
        }
    }

    /// Every item of a query as a record, without building maps on the way;
    /// large results are parsed on every core.
    async fn query_all_as<T: DeserializeOwned + Send>(
        &self,
        query: Query,
    ) -> Result<Vec<T>, TableError> {
        Ok(parse_all(&self.query_all_json(query).await?)?)
    }

    /// Creates an item together with the guard item that makes it unique
    /// (one transaction; either existing is a conflict).
    async fn put_guarded(&self, guard: Item, item: Item) -> Result<(), TableError> {
        self.transact(vec![
            TxOp::Put {
                item: guard,
                condition: Some(Condition::NotExists),
            },
            TxOp::Put {
                item,
                condition: Some(Condition::NotExists),
            },
        ])
        .await
    }

    /// Deletes an item still at `version` together with its guard.
    async fn delete_guarded(&self, key: Key, version: u64, guard: Key) -> Result<(), TableError> {
        self.transact(vec![
            TxOp::Delete {
                key,
                condition: Some(Condition::VersionIs(version)),
            },
            TxOp::Delete {
                key: guard,
                condition: None,
            },
        ])
        .await
    }

    /// Applies an update only while the item is still at `version` (and
    /// bumps it): the optimistic write of every state transition. Returns
    /// the record as it is afterwards.
    async fn update_versioned<T: DeserializeOwned>(
        &self,
        key: &Key,
        version: u64,
        update: Update,
    ) -> Result<T, TableError> {
        let after = self
            .update(
                key,
                update.bump_version(),
                Some(Condition::VersionIs(version)),
            )
            .await?;
        from_item(after)
    }

    /// Records by key, in the order asked, missing ones left out.
    async fn get_many_as<T: DeserializeOwned + Send>(
        &self,
        keys: Vec<Key>,
    ) -> Result<Vec<T>, TableError> {
        let found: Vec<Vec<u8>> = self
            .get_many_json(keys)
            .await?
            .into_iter()
            .flatten()
            .collect();
        parse_all(&found)
    }

    async fn get_as<T: DeserializeOwned>(&self, key: &Key) -> Result<Option<T>, TableError> {
        self.get(key).await?.map(from_item).transpose()
    }
}

impl<T: Table + ?Sized> TableExt for T {}

/// Parses stored JSON items into records, in parallel past a few thousand.
pub fn parse_all<T: DeserializeOwned + Send>(items: &[Vec<u8>]) -> Result<Vec<T>, TableError> {
    fn parse<T: DeserializeOwned>(chunk: &[Vec<u8>]) -> Result<Vec<T>, TableError> {
        chunk
            .iter()
            .map(|bytes| {
                serde_json::from_slice(bytes).map_err(|e| {
                    TableError::Backend(anyhow::anyhow!("stored item does not parse: {e}"))
                })
            })
            .collect()
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if items.len() < 4096 || cores == 1 {
        return parse(items);
    }
    let size = items.len().div_ceil(cores);
    let parts: Vec<Result<Vec<T>, TableError>> = std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| s.spawn(move || parse::<T>(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(TableError::Backend(anyhow::anyhow!(
                        "a parser thread panicked"
                    )))
                })
            })
            .collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// A record as an item under the given key.
pub fn to_item<T: Serialize>(key: &Key, record: &T) -> Result<Item, TableError> {
    let mut item = match serde_json::to_value(record) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(TableError::Invalid("record is not an object".into())),
        Err(e) => return Err(TableError::Invalid(e.to_string())),
    };
    item.insert(PK.into(), Value::String(key.pk.clone()));
    item.insert(SK.into(), Value::String(key.sk.clone()));
    Ok(item)
}

/// A record as the item at `key`, also on `index` under `on` (its index
/// partition and sort key).
pub fn to_indexed_item<T: Serialize>(
    key: &Key,
    record: &T,
    index: Index,
    on: Key,
) -> Result<Item, TableError> {
    let mut item = to_item(key, record)?;
    item.insert(index.pk_attr().into(), Value::String(on.pk));
    item.insert(index.sk_attr().into(), Value::String(on.sk));
    Ok(item)
}

/// An item as a record (extra attributes such as keys are ignored by serde).
pub fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, TableError> {
    serde_json::from_value(Value::Object(item))
        .map_err(|e| TableError::Backend(anyhow::anyhow!("stored item does not parse: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(v: Value) -> Item {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn conditions_evaluate() {
        let i = item(json!({"pk":"a","sk":"b","version":3,"status":"未提交"}));
        assert!(Condition::Exists.holds(Some(&i)));
        assert!(!Condition::NotExists.holds(Some(&i)));
        assert!(Condition::NotExists.holds(None));
        assert!(Condition::VersionIs(3).holds(Some(&i)));
        assert!(!Condition::VersionIs(2).holds(Some(&i)));
        assert!(!Condition::VersionIs(0).holds(None));
        assert!(Condition::attr_equals("status", "未提交").holds(Some(&i)));
        assert!(!Condition::attr_equals("status", "待审核").holds(Some(&i)));
        assert!(Condition::attr_equals("version", 3.0).holds(Some(&i)));
        let both = Condition::And(vec![
            Condition::VersionIs(3),
            Condition::attr_equals("status", "x"),
        ]);
        assert!(!both.holds(Some(&i)));
    }

    #[test]
    fn update_applies_set_add_remove_and_upserts() {
        let key = Key::new("p", "s");
        let u = Update::new()
            .set("name", "张三")
            .add("count", 2)
            .remove("gone");
        let out = u.apply(&key, None).unwrap();
        assert_eq!(
            Value::Object(out.clone()),
            json!({"pk":"p","sk":"s","name":"张三","count":2})
        );
        let again = Update::new()
            .add("count", -1)
            .remove("name")
            .apply(&key, Some(out))
            .unwrap();
        assert_eq!(Value::Object(again), json!({"pk":"p","sk":"s","count":1}));
    }

    #[test]
    fn update_refuses_key_attributes_and_duplicates() {
        assert!(Update::new().set("pk", "x").check().is_err());
        assert!(Update::new().set("a", 1).add("a", 1).check().is_err());
        assert!(Update::new().check().is_err());
        assert!(Update::new().set("a", 1).check().is_ok());
    }

    #[test]
    fn cursor_only_continues_its_partition() {
        let q = Query::partition("A");
        let c = Cursor::encode(&CursorPos {
            pk: "A".into(),
            sk: "1".into(),
            ipk: None,
            isk: None,
        });
        assert!(c.decode(&q).is_ok());
        assert!(matches!(
            c.decode(&Query::partition("B")),
            Err(TableError::BadCursor)
        ));
        assert!(matches!(
            Cursor::from_client("garbage!").decode(&q),
            Err(TableError::BadCursor)
        ));
        let gi = Query::index(Index::Gsi1, "G");
        assert!(c.decode(&gi).is_err());
    }

    #[test]
    fn records_round_trip_through_items() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct R {
            name: String,
            n: u32,
        }
        let key = Key::new("P", "S");
        let r = R {
            name: "x".into(),
            n: 7,
        };
        let item = to_item(&key, &r).unwrap();
        assert_eq!(Key::of(&item).unwrap(), key);
        let on = Key::new("ORG#1#SITES", "2026-11-30#1");
        let indexed = to_indexed_item(&key, &r, Index::Gsi1, on.clone()).unwrap();
        assert_eq!(Index::Gsi1.key_of(&indexed), Some(on));
        assert_eq!(Key::of(&indexed).unwrap(), key);
        let back: R = from_item(item).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn transaction_checks() {
        let put = |sk: &str| TxOp::Put {
            item: item(json!({"pk":"p","sk":sk})),
            condition: None,
        };
        assert!(check_transaction(&[]).is_err());
        assert!(check_transaction(&[put("a"), put("a")]).is_err());
        let many: Vec<_> = (0..101).map(|i| put(&i.to_string())).collect();
        assert!(check_transaction(&many).is_err());
        assert!(check_transaction(&many[..100]).is_ok());
        let big = item(json!({"pk":"p","sk":"s","blob":"x".repeat(MAX_ITEM_BYTES)}));
        assert!(matches!(check_item(&big), Err(TableError::TooLarge(_))));
    }
}
