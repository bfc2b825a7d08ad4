//! `Table` on redb: items keyed `pk\0sk`, each GSI a table of
//! `ipk\0isk\0pk\0sk` pointing back to the item. A redb write transaction is
//! serialisable, so conditions checked inside it hold at commit.

use std::ops::Bound;

use anyhow::Context;
use async_trait::async_trait;
use redb::{Durability, ReadableDatabase, ReadableTable, WriteTransaction};

use super::store::{
    EmbeddedStore, GSI1, GSI2, GUARDED_TXN_BYTES, HIGH, ITEMS, SEP, blocking, composite, split,
};
use vslc_ports::table::{
    BatchOp, Condition, Count, Cursor, CursorPos, Group, Guarded, GuardedChunks, Index, Item, Key,
    PK, Query, QueryPage, SK, SkCond, SortedJson, Table, TableError, TxOp, Update, check_item,
    check_transaction, key_json_prefix, merge_counts,
};

/// The embedded table adapter.
#[derive(Clone)]
pub struct EmbeddedTable {
    store: EmbeddedStore,
}

impl EmbeddedTable {
    pub fn new(store: EmbeddedStore) -> Self {
        Self { store }
    }
}

fn backend(e: impl Into<anyhow::Error>) -> TableError {
    TableError::Backend(e.into())
}

fn check_text(s: &str) -> Result<(), TableError> {
    if s.as_bytes().contains(&SEP) {
        return Err(TableError::Invalid("key text contains NUL".into()));
    }
    Ok(())
}

fn item_key(key: &Key) -> Result<Vec<u8>, TableError> {
    check_text(&key.pk)?;
    check_text(&key.sk)?;
    if key.pk.is_empty() || key.sk.is_empty() {
        return Err(TableError::Invalid("empty key".into()));
    }
    Ok(composite(&[&key.pk, &key.sk]))
}

fn gsi_def(index: Index) -> super::store::Bytes {
    match index {
        Index::Gsi1 => GSI1,
        Index::Gsi2 => GSI2,
    }
}

/// Stored values: this marker byte, then the item's JSON without its key
/// attributes — the redb key holds them already, and a list row then
/// stores `{}` instead of its key a second time. A value without the
/// marker (written by an earlier version) is the whole item, read as it is.
const COMPACT: u8 = 0x01;

/// The item without `pk` and `sk`, serialised as it stands.
struct Unkeyed<'a>(&'a Item);

impl serde::Serialize for Unkeyed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .filter(|(k, _)| k.as_str() != PK && k.as_str() != SK),
        )
    }
}

/// The stored form of an encoded item (its JSON text starts with its key,
/// see `EncodedItem`): the marker and the rest.
fn compact(key: &Key, whole: &[u8]) -> Vec<u8> {
    let prefix = key_json_prefix(&key.pk, &key.sk);
    match whole.strip_prefix(prefix.as_slice()) {
        Some(b"}") => vec![COMPACT, b'{', b'}'],
        Some(rest) if rest.first() == Some(&b',') => {
            let mut out = Vec::with_capacity(rest.len() + 1);
            out.extend_from_slice(&[COMPACT, b'{']);
            out.extend_from_slice(&rest[1..]);
            out
        }
        // Not in the expected shape: stored whole, which reads back too.
        _ => whole.to_vec(),
    }
}

/// The whole item's JSON text from its stored form.
fn expand(pk: &str, sk: &str, stored: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    expand_into(&mut out, pk, sk, stored);
    out
}

/// `expand`, appended to `out`.
fn expand_into(out: &mut Vec<u8>, pk: &str, sk: &str, stored: &[u8]) {
    match stored.split_first() {
        Some((&COMPACT, body)) => {
            out.extend_from_slice(&key_json_prefix(pk, sk));
            if body.len() > 2 {
                out.push(b',');
                out.extend_from_slice(&body[1..]);
            } else {
                out.push(b'}');
            }
        }
        _ => out.extend_from_slice(stored),
    }
}

/// The item from its stored form and its key.
fn decode_at(pk: &str, sk: &str, stored: &[u8]) -> Result<Item, TableError> {
    let parse = |bytes: &[u8]| -> Result<Item, TableError> {
        serde_json::from_slice(bytes)
            .context("stored item is not JSON")
            .map_err(backend)
    };
    match stored.split_first() {
        Some((&COMPACT, body)) => {
            let mut item = parse(body)?;
            item.insert(PK.into(), pk.into());
            item.insert(SK.into(), sk.into());
            Ok(item)
        }
        _ => parse(stored),
    }
}

/// `decode_at` with the item's composite redb key.
fn decode_composite(k: &[u8], stored: &[u8]) -> Result<Item, TableError> {
    match split(k)[..] {
        [pk, sk] => decode_at(pk, sk, stored),
        _ => Err(TableError::Invalid("not an item key".into())),
    }
}

type RedbTable<'t> = redb::Table<'t, &'static [u8], &'static [u8]>;

/// The tables of a write transaction, opened once for all its operations
/// (opening one is a look-up of its own, which bulk writes felt).
struct Open<'t> {
    items: RedbTable<'t>,
    gsi: [RedbTable<'t>; 2],
}

impl<'t> Open<'t> {
    fn new(txn: &'t WriteTransaction) -> Result<Self, TableError> {
        Ok(Self {
            items: txn.open_table(ITEMS).map_err(backend)?,
            gsi: [
                txn.open_table(GSI1).map_err(backend)?,
                txn.open_table(GSI2).map_err(backend)?,
            ],
        })
    }

    /// The current item.
    fn current(&self, key: &Key) -> Result<Option<Item>, TableError> {
        let k = item_key(key)?;
        let got = self.items.get(k.as_slice()).map_err(backend)?;
        got.map(|v| decode_at(&key.pk, &key.sk, v.value()))
            .transpose()
    }

    /// Whether an item is there, without decoding it.
    fn present(&self, key: &Key) -> Result<bool, TableError> {
        let k = item_key(key)?;
        Ok(self.items.get(k.as_slice()).map_err(backend)?.is_some())
    }

    /// Whether an operation's condition holds now. Whether an item exists
    /// is answered from its key alone: an order's claims check 50,000
    /// guards that way.
    fn holds(&self, op: &TxOp) -> Result<bool, TableError> {
        let key = op.key()?;
        match op.condition() {
            None => Ok(true),
            Some(Condition::Exists) => self.present(&key),
            Some(Condition::NotExists) => Ok(!self.present(&key)?),
            Some(c) => Ok(c.holds(self.current(&key)?.as_ref())),
        }
    }

    /// Applies one operation; Err(ConditionFailed) when its condition fails.
    fn apply(&mut self, op: &TxOp) -> Result<(), TableError> {
        if !self.holds(op)? {
            return Err(TableError::ConditionFailed);
        }
        self.write(op)
    }

    /// Carries out an operation whose condition is known to hold.
    fn write(&mut self, op: &TxOp) -> Result<(), TableError> {
        let key = op.key()?;
        match op {
            TxOp::Check { .. } => Ok(()),
            // Known to be new: nothing there to take off the indexes.
            TxOp::Put {
                item,
                condition: Some(Condition::NotExists),
            } => self.store(&key, None, Some(item)),
            TxOp::Put { item, .. } => {
                let old = self.current(&key)?;
                self.store(&key, old.as_ref(), Some(item))
            }
            TxOp::Update { update, .. } => {
                let old = self.current(&key)?;
                let new = update.apply(&key, old.clone())?;
                self.store(&key, old.as_ref(), Some(&new))
            }
            TxOp::Delete { .. } => match self.current(&key)? {
                Some(ref o) => self.store(&key, Some(o), None),
                None => Ok(()),
            },
        }
    }

    /// Writes (or with `None` removes) an item and keeps the GSIs in step.
    fn store(
        &mut self,
        key: &Key,
        old: Option<&Item>,
        new: Option<&Item>,
    ) -> Result<(), TableError> {
        let k = item_key(key)?;
        match new {
            Some(item) => {
                let bytes = encode(item)?;
                self.items
                    .insert(k.as_slice(), bytes.as_slice())
                    .map_err(backend)?;
            }
            None => {
                self.items.remove(k.as_slice()).map_err(backend)?;
            }
        }
        for (index, gsi) in Index::ALL.into_iter().zip(self.gsi.iter_mut()) {
            let old_ik = old.and_then(|i| index.key_of(i));
            let new_ik = new.and_then(|i| index.key_of(i));
            if old_ik == new_ik {
                continue;
            }
            if let Some(ik) = old_ik {
                gsi.remove(composite(&[&ik.pk, &ik.sk, &key.pk, &key.sk]).as_slice())
                    .map_err(backend)?;
            }
            if let Some(ik) = new_ik {
                add_index_entry(gsi, &ik, key)?;
            }
        }
        Ok(())
    }
}

/// Puts the item at `key` on a GSI under its index key `ik`.
fn add_index_entry(
    gsi: &mut redb::Table<&'static [u8], &'static [u8]>,
    ik: &Key,
    key: &Key,
) -> Result<(), TableError> {
    check_text(&ik.pk)?;
    check_text(&ik.sk)?;
    gsi.insert(
        composite(&[&ik.pk, &ik.sk, &key.pk, &key.sk]).as_slice(),
        [].as_slice(),
    )
    .map_err(backend)?;
    Ok(())
}

/// The stored form of an item (the marker, then the item without its key),
/// refused when the whole item would pass the size limit.
fn encode(item: &Item) -> Result<Vec<u8>, TableError> {
    let mut bytes = vec![COMPACT];
    serde_json::to_writer(&mut bytes, &Unkeyed(item)).map_err(backend)?;
    let key_len = |attr: &str| {
        item.get(attr)
            .map_or(0, |v| serde_json::to_string(v).map_or(0, |t| t.len()))
    };
    let whole = bytes.len() + key_len(PK) + key_len(SK) + 12;
    if whole > vslc_ports::table::MAX_ITEM_BYTES {
        return Err(TableError::TooLarge(whole));
    }
    Ok(bytes)
}

/// Reads this small (keys, or queries of at most this many rows) run on
/// the caller's thread.
const SMALL_READS: usize = 100;

/// The byte range of a query, before the cursor is applied.
fn bounds(base: &[u8], sk: Option<&SkCond>) -> (Vec<u8>, Vec<u8>) {
    let with = |s: &str, tail: &[u8]| [base, s.as_bytes(), tail].concat();
    match sk {
        None => (base.to_vec(), with("", &[HIGH])),
        Some(SkCond::Eq(v)) => (with(v, &[]), with(v, &[1])),
        Some(SkCond::BeginsWith(p)) => (with(p, &[]), with(p, &[HIGH])),
        Some(SkCond::Between(a, b)) => (with(a, &[]), with(b, &[1])),
        Some(SkCond::Lt(v)) => (base.to_vec(), with(v, &[])),
        Some(SkCond::Le(v)) => (base.to_vec(), with(v, &[1])),
        Some(SkCond::Gt(v)) => (with(v, &[1]), with("", &[HIGH])),
        Some(SkCond::Ge(v)) => (with(v, &[]), with("", &[HIGH])),
    }
}

fn run_query(store: &EmbeddedStore, q: &Query) -> Result<QueryPage, TableError> {
    let (items, next) = scan(store, q, |pos, v| decode_at(&pos.pk, &pos.sk, v))?;
    Ok(QueryPage { items, next })
}

/// Walks a query's range, turning each stored value (and where it sits)
/// into `T`.
fn scan<T>(
    store: &EmbeddedStore,
    q: &Query,
    decode: impl Fn(&CursorPos, &[u8]) -> Result<T, TableError>,
) -> Result<(Vec<T>, Option<Cursor>), TableError> {
    check_text(&q.pk)?;
    let txn = store.db.begin_read().map_err(backend)?;
    scan_in(&txn, q, decode)
}

/// A scanned value as the whole item's JSON text.
fn whole_json(pos: &CursorPos, stored: &[u8]) -> Result<Vec<u8>, TableError> {
    Ok(expand(&pos.pk, &pos.sk, stored))
}

/// `scan` inside a read transaction already begun; `decode` also sees
/// where the value sits.
fn scan_in<T>(
    txn: &redb::ReadTransaction,
    q: &Query,
    decode: impl Fn(&CursorPos, &[u8]) -> Result<T, TableError>,
) -> Result<(Vec<T>, Option<Cursor>), TableError> {
    check_text(&q.pk)?;
    let items = txn.open_table(ITEMS).map_err(backend)?;
    let mut base = q.pk.as_bytes().to_vec();
    base.push(SEP);
    let (lo, hi) = bounds(&base, q.sk.as_ref());
    let start = match &q.cursor {
        Some(c) => {
            let pos = c.decode(q)?;
            Some(match (&pos.ipk, &pos.isk) {
                (Some(ipk), Some(isk)) => composite(&[ipk, isk, &pos.pk, &pos.sk]),
                _ => composite(&[&pos.pk, &pos.sk]),
            })
        }
        None => None,
    };
    let (lower, upper) = match (&start, q.forward) {
        (Some(s), true) => (
            Bound::Excluded(s.as_slice().max(lo.as_slice())),
            Bound::Excluded(hi.as_slice()),
        ),
        (Some(s), false) => (
            Bound::Included(lo.as_slice()),
            Bound::Excluded(s.as_slice().min(hi.as_slice())),
        ),
        (None, _) => (
            Bound::Included(lo.as_slice()),
            Bound::Excluded(hi.as_slice()),
        ),
    };
    if lower_after_upper(&lower, &upper) {
        return Ok((Vec::new(), None));
    }
    let limit = q.limit.unwrap_or(usize::MAX).max(1);
    let mut out = Vec::new();
    let mut last: Option<CursorPos> = None;
    let mut more = false;

    let source = match q.index {
        None => items.range::<&[u8]>((lower, upper)).map_err(backend)?,
        Some(index) => txn
            .open_table(gsi_def(index))
            .map_err(backend)?
            .range::<&[u8]>((lower, upper))
            .map_err(backend)?,
    };
    let iter: Box<dyn Iterator<Item = _>> = if q.forward {
        Box::new(source)
    } else {
        Box::new(source.rev())
    };
    for entry in iter {
        let (k, v) = entry.map_err(backend)?;
        let parts = split(k.value());
        let (pos, item) = match q.index {
            None => {
                let [pk, sk] = parts[..] else { continue };
                let pos = CursorPos {
                    pk: pk.into(),
                    sk: sk.into(),
                    ipk: None,
                    isk: None,
                };
                let item = decode(&pos, v.value())?;
                (pos, item)
            }
            Some(_) => {
                let [ipk, isk, pk, sk] = parts[..] else {
                    continue;
                };
                let Some(found) = items
                    .get(composite(&[pk, sk]).as_slice())
                    .map_err(backend)?
                else {
                    continue;
                };
                let pos = CursorPos {
                    pk: pk.into(),
                    sk: sk.into(),
                    ipk: Some(ipk.into()),
                    isk: Some(isk.into()),
                };
                let item = decode(&pos, found.value())?;
                (pos, item)
            }
        };
        let sk_here = pos.isk.as_deref().unwrap_or(&pos.sk);
        if !q.sk.as_ref().is_none_or(|c| c.matches(sk_here)) {
            continue;
        }
        if out.len() == limit {
            more = true;
            break;
        }
        out.push(item);
        last = Some(pos);
    }
    let next = if more {
        last.as_ref().map(Cursor::encode)
    } else {
        None
    };
    Ok((out, next))
}

fn lower_after_upper(lower: &Bound<&[u8]>, upper: &Bound<&[u8]>) -> bool {
    match (lower, upper) {
        (Bound::Included(l) | Bound::Excluded(l), Bound::Included(u) | Bound::Excluded(u)) => {
            l >= u
        }
        _ => false,
    }
}

impl EmbeddedTable {
    async fn write<T, F>(&self, f: F) -> Result<T, TableError>
    where
        F: FnOnce(&WriteTransaction) -> Result<T, TableError> + Send + 'static,
        T: Send + 'static,
    {
        self.write_with(Durability::Immediate, f).await
    }

    /// A write transaction; `Durability::None` skips the fsync, and the next
    /// `Immediate` commit makes it durable along with everything before it.
    async fn write_with<T, F>(&self, durability: Durability, f: F) -> Result<T, TableError>
    where
        F: FnOnce(&WriteTransaction) -> Result<T, TableError> + Send + 'static,
        T: Send + 'static,
    {
        let store = self.store.clone();
        blocking(move || {
            let mut txn = store.db.begin_write()?;
            txn.set_durability(durability)?;
            // Dropping the transaction without commit rolls every write back.
            match f(&txn) {
                Ok(v) => {
                    txn.commit()?;
                    Ok(Ok(v))
                }
                Err(e) => Ok(Err(e)),
            }
        })
        .await
        .map_err(backend)?
    }

    /// One transaction of `insert_guarded`.
    async fn insert_guarded_txn(&self, groups: Vec<Guarded>) -> Result<Vec<bool>, TableError> {
        // Bulk writes skip the fsync: their callers finish with an ordinary
        // write (the import record, the order's totals, the lease given
        // back) that makes them durable, and a crash before it re-runs
        // work that is idempotent.
        self.write_with(Durability::None, move |txn| guarded_in(txn, groups))
            .await
    }
}

/// How a write of `insert_guarded` goes in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Put {
    /// Whatever is there (an update's or a count's result).
    Over,
    /// A guard: nothing may be there.
    Guard,
    /// A group's item: written only if nothing is there, else that stays.
    IfAbsent,
}

/// Key → value an `insert_guarded` call writes, and how.
type Overlay = std::collections::HashMap<Vec<u8>, (Vec<u8>, Put)>;

/// One write of an `insert_guarded` call: key, value, how.
type Write = (Vec<u8>, (Vec<u8>, Put));

/// An item as this write sees it: what it wrote already (the overlay),
/// else what the table holds.
fn current_in(
    table: &redb::Table<'_, &'static [u8], &'static [u8]>,
    overlay: &Overlay,
    k: &[u8],
) -> Result<Option<Item>, TableError> {
    let stored = || {
        table
            .get(k)
            .map_err(backend)?
            .map(|v| decode_composite(k, v.value()))
            .transpose()
    };
    match overlay.get(k) {
        // An item written only if absent: the table's, if it has one.
        Some((bytes, Put::IfAbsent)) => match stored()? {
            Some(item) => Ok(Some(item)),
            None => Ok(Some(decode_composite(k, bytes)?)),
        },
        Some((bytes, _)) => Ok(Some(decode_composite(k, bytes)?)),
        None => stored(),
    }
}

/// Writes the groups of `insert_guarded` in an open transaction.
///
/// Encoded items carry no index attributes, and updates may not move
/// index keys: only the item table changes. Every group is decided, in
/// order, against the table (with what earlier calls in the same
/// transaction wrote) and what the groups before it in this call wrote
/// (an overlay); then the writes go in in key order, so that each B-tree
/// page is visited once, not once per row of a sharded layout.
///
/// Guards are new keys but for races and re-runs, so the first pass does
/// not look each one up: its write finds one already there, and then the
/// pass is undone and the groups decided again, looking (half the B-tree
/// visits of a bulk write, in the common case).
fn guarded_in(txn: &WriteTransaction, groups: Vec<Guarded>) -> Result<Vec<bool>, TableError> {
    let mut table = txn.open_table(ITEMS).map_err(backend)?;
    // A group whose guard is taken never reaches its updates when the
    // guards are looked up: an error deciding without looking (an update
    // that cannot apply) may be one of those, so it decides again, looking.
    if let Ok(decided) = decide(&table, &groups, false)
        && let Some(written) = write_decided(&mut table, decided, false)?
    {
        return Ok(written);
    }
    let decided = decide(&table, &groups, true)?;
    write_decided(&mut table, decided, true)?
        .ok_or_else(|| backend(anyhow::anyhow!("a guarded write that looked was undone")))
}

/// The groups of `guarded_in` decided: per group whether it is written,
/// and every write in key order.
struct Decided {
    written: Vec<bool>,
    writes: Vec<Write>,
}

/// Puts a computed value (an update's, a count's) in the overlay; a key a
/// group guards stays marked as a guard, so that the write still finds
/// out whether the key was free.
fn overlay_over(overlay: &mut Overlay, k: Vec<u8>, v: Vec<u8>) {
    let put = match overlay.get(&k) {
        Some((_, Put::Guard)) => Put::Guard,
        _ => Put::Over,
    };
    overlay.insert(k, (v, put));
}

/// Decides the groups of `guarded_in`, in order, against the table and
/// the overlay; `look`: also against the table for the guards.
fn decide(
    table: &redb::Table<'_, &'static [u8], &'static [u8]>,
    groups: &[Guarded],
    look: bool,
) -> Result<Decided, TableError> {
    let mut written = Vec::with_capacity(groups.len());
    let mut overlay = Overlay::new();
    let mut counts: Vec<&Count> = Vec::new();
    let exists = |table: &redb::Table<'_, &'static [u8], &'static [u8]>,
                  overlay: &Overlay,
                  k: &[u8]|
     -> Result<bool, TableError> {
        Ok(overlay.contains_key(k) || table.get(k).map_err(backend)?.is_some())
    };
    'group: for group in groups {
        for guard in &group.guards {
            let k = item_key(guard.key())?;
            let taken = if look {
                exists(table, &overlay, &k)?
            } else {
                overlay.contains_key(&k)
            };
            if taken {
                written.push(false);
                continue 'group;
            }
        }
        let mut updated = Vec::with_capacity(group.updates.len());
        for (key, update, condition) in &group.updates {
            let k = item_key(key)?;
            let old = current_in(table, &overlay, &k)?;
            if !condition.holds(old.as_ref()) {
                written.push(false);
                continue 'group;
            }
            let new = update.apply(key, old.clone())?;
            if Index::ALL
                .iter()
                .any(|i| i.key_of(&new) != old.as_ref().and_then(|o| i.key_of(o)))
            {
                return Err(TableError::Invalid(
                    "insert_guarded updates may not move index keys".into(),
                ));
            }
            updated.push((k, encode(&new)?));
        }
        for (key, condition) in &group.checks {
            let k = item_key(key)?;
            let holds = match condition {
                Condition::Exists => exists(table, &overlay, &k)?,
                Condition::NotExists => !exists(table, &overlay, &k)?,
                c => c.holds(current_in(table, &overlay, &k)?.as_ref()),
            };
            if !holds {
                written.push(false);
                continue 'group;
            }
        }
        for guard in &group.guards {
            overlay.insert(
                item_key(guard.key())?,
                (compact(guard.key(), guard.json()), Put::Guard),
            );
        }
        for item in &group.items {
            overlay
                .entry(item_key(item.key())?)
                .or_insert_with(|| (compact(item.key(), item.json()), Put::IfAbsent));
        }
        for (k, v) in updated {
            overlay_over(&mut overlay, k, v);
        }
        counts.extend(&group.counts);
        written.push(true);
    }
    let counts: Vec<Count> = counts.into_iter().cloned().collect();
    for (key, update) in merge_counts(&counts) {
        let k = item_key(&key)?;
        let old = current_in(table, &overlay, &k)?;
        let new = update.apply(&key, old)?;
        if Index::ALL.iter().any(|i| i.key_of(&new).is_some()) {
            return Err(TableError::Invalid(
                "a counter item may not be indexed".into(),
            ));
        }
        overlay_over(&mut overlay, k, encode(&new)?);
    }
    let mut writes: Vec<_> = overlay.into_iter().collect();
    writes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(Decided { written, writes })
}

/// Writes what `decide` decided, in key order: `None` when a guard, not
/// looked up, turned out to be there (everything written is undone).
fn write_decided(
    table: &mut redb::Table<'_, &'static [u8], &'static [u8]>,
    Decided { written, writes }: Decided,
    look: bool,
) -> Result<Option<Vec<bool>>, TableError> {
    // What each write replaced, to undo it.
    let mut replaced: Vec<Option<Vec<u8>>> = Vec::with_capacity(writes.len());
    for (i, (k, (v, put))) in writes.iter().enumerate() {
        let before = table
            .insert(k.as_slice(), v.as_slice())
            .map_err(backend)?
            .map(|old| old.value().to_vec());
        match (put, before) {
            (Put::IfAbsent, Some(old)) => {
                // It was there already: it stays as it was.
                table
                    .insert(k.as_slice(), old.as_slice())
                    .map_err(backend)?;
                replaced.push(Some(old));
            }
            (Put::Guard, Some(old)) if !look => {
                // Taken after all: put everything back as it was.
                table
                    .insert(k.as_slice(), old.as_slice())
                    .map_err(backend)?;
                for ((k, _), old) in writes[..i].iter().zip(replaced).rev() {
                    match old {
                        Some(old) => {
                            table
                                .insert(k.as_slice(), old.as_slice())
                                .map_err(backend)?;
                        }
                        None => {
                            table.remove(k.as_slice()).map_err(backend)?;
                        }
                    }
                }
                return Ok(None);
            }
            (_, before) => replaced.push(before),
        }
    }
    Ok(Some(written))
}

/// Checks a chunk of `insert_guarded` before it reaches the store.
fn check_guarded(groups: &[Guarded]) -> Result<(), TableError> {
    for g in groups {
        for (_, update, _) in &g.updates {
            update.check()?;
        }
    }
    Ok(())
}

#[async_trait]
impl Table for EmbeddedTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        let k = item_key(key)?;
        let store = self.store.clone();
        blocking(move || {
            let txn = store.db.begin_read()?;
            let items = txn.open_table(ITEMS)?;
            Ok(items.get(k.as_slice())?.map(|v| v.value().to_vec()))
        })
        .await
        .map_err(backend)?
        .map(|b: Vec<u8>| decode_at(&key.pk, &key.sk, &b))
        .transpose()
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), TableError> {
        check_item(&item)?;
        self.write(move |txn| Open::new(txn)?.apply(&TxOp::Put { item, condition }))
            .await
    }

    async fn update(
        &self,
        key: &Key,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, TableError> {
        update.check()?;
        let key = key.clone();
        self.write(move |txn| {
            let op = TxOp::Update {
                key: key.clone(),
                update,
                condition,
            };
            let mut open = Open::new(txn)?;
            open.apply(&op)?;
            open.current(&key)?
                .ok_or_else(|| backend(anyhow::anyhow!("updated item vanished")))
        })
        .await
    }

    async fn delete(&self, key: &Key, condition: Option<Condition>) -> Result<(), TableError> {
        let key = key.clone();
        self.write(move |txn| Open::new(txn)?.apply(&TxOp::Delete { key, condition }))
            .await
    }

    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), TableError> {
        check_transaction(&ops)?;
        self.write(move |txn| {
            let mut open = Open::new(txn)?;
            let mut failed = Vec::new();
            for (i, op) in ops.iter().enumerate() {
                if !open.holds(op)? {
                    failed.push(i);
                }
            }
            if !failed.is_empty() {
                return Err(TableError::TransactionCanceled { failed });
            }
            // Every key is distinct (check_transaction), so each condition
            // still holds as the writes go in.
            ops.iter().try_for_each(|op| open.write(op))
        })
        .await
    }

    async fn batch_write(&self, ops: Vec<BatchOp>) -> Result<(), TableError> {
        for op in &ops {
            match op {
                BatchOp::Put(item) => check_item(item)?,
                BatchOp::Delete(key) => {
                    item_key(key)?;
                }
            }
        }
        // BatchWriteItem's 25-item chunks are a DynamoDB limit; one redb
        // transaction applies the whole batch at once.
        self.write(move |txn| {
            let mut open = Open::new(txn)?;
            for op in ops {
                let tx = match op {
                    BatchOp::Put(item) => TxOp::Put {
                        item,
                        condition: None,
                    },
                    BatchOp::Delete(key) => TxOp::Delete {
                        key,
                        condition: None,
                    },
                };
                open.apply(&tx)?;
            }
            Ok(())
        })
        .await
    }

    async fn insert_new(&self, items: Vec<Item>) -> Result<Vec<bool>, TableError> {
        // One redb transaction checks and writes them all, with each table
        // opened once: this is the bulk-import path.
        self.write(move |txn| {
            let mut table = txn.open_table(ITEMS).map_err(backend)?;
            let mut gsi1 = txn.open_table(GSI1).map_err(backend)?;
            let mut gsi2 = txn.open_table(GSI2).map_err(backend)?;
            let mut written = Vec::with_capacity(items.len());
            for item in items {
                let key = Key::of(&item)?;
                let k = item_key(&key)?;
                if table.get(k.as_slice()).map_err(backend)?.is_some() {
                    written.push(false);
                    continue;
                }
                table
                    .insert(k.as_slice(), encode(&item)?.as_slice())
                    .map_err(backend)?;
                for (index, gsi) in [(Index::Gsi1, &mut gsi1), (Index::Gsi2, &mut gsi2)] {
                    if let Some(ik) = index.key_of(&item) {
                        add_index_entry(gsi, &ik, &key)?;
                    }
                }
                written.push(true);
            }
            Ok(written)
        })
        .await
    }

    async fn insert_guarded(&self, groups: Vec<Guarded>) -> Result<Vec<bool>, TableError> {
        check_guarded(&groups)?;
        // Whole groups, up to `GUARDED_TXN_BYTES` of them per redb
        // transaction: however large the call, a transaction's dirty pages
        // stay bounded. Each group is still all-or-nothing.
        let mut written = Vec::with_capacity(groups.len());
        let mut batch = Vec::new();
        let mut bytes = 0usize;
        for group in groups {
            let size: usize = group
                .guards
                .iter()
                .chain(&group.items)
                .map(|i| i.json().len())
                .sum();
            if !batch.is_empty() && bytes + size > GUARDED_TXN_BYTES {
                written.extend(self.insert_guarded_txn(std::mem::take(&mut batch)).await?);
                bytes = 0;
            }
            bytes += size;
            batch.push(group);
        }
        if !batch.is_empty() {
            written.extend(self.insert_guarded_txn(batch).await?);
        }
        Ok(written)
    }
    async fn insert_guarded_chunks(
        &self,
        mut chunks: GuardedChunks<'_>,
    ) -> Result<Vec<bool>, TableError> {
        use futures_util::StreamExt;
        // One transaction, held by a blocking task that writes each chunk
        // as it arrives while this task builds the next (a channel of one:
        // at most three chunks in memory). redb spills dirty pages beyond
        // its cache to the file, so the transaction's memory stays bounded
        // however many chunks come, and there is one commit instead of one
        // a chunk (a page written by several chunks is written out once,
        // unless the cache spilled it in between).
        enum Step {
            Chunk(Vec<Guarded>),
            Commit,
        }
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Step>(1);
        let store = self.store.clone();
        let writer = tokio::task::spawn_blocking(move || -> Result<Vec<bool>, TableError> {
            let mut txn = store.db.begin_write().map_err(backend)?;
            txn.set_durability(Durability::None).map_err(backend)?;
            let mut written = Vec::new();
            while let Some(step) = rx.blocking_recv() {
                match step {
                    Step::Chunk(groups) => written.extend(guarded_in(&txn, groups)?),
                    Step::Commit => {
                        txn.commit().map_err(backend)?;
                        return Ok(written);
                    }
                }
            }
            // The feeder stopped without asking to commit: dropping the
            // transaction rolls every chunk back.
            Err(TableError::Backend(anyhow::anyhow!(
                "bulk write stopped before its commit"
            )))
        });
        let fed: Result<(), TableError> = async {
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk?;
                check_guarded(&chunk)?;
                if tx.send(Step::Chunk(chunk)).await.is_err() {
                    // The writer failed; its error is the answer.
                    return Ok(());
                }
            }
            let _ = tx.send(Step::Commit).await;
            Ok(())
        }
        .await;
        drop(tx);
        let written = writer
            .await
            .map_err(|e| backend(anyhow::anyhow!("storage task panicked: {e}")))?;
        fed?;
        written
    }
    async fn apply_groups(&self, groups: Vec<Group>) -> Result<Vec<bool>, TableError> {
        for g in &groups {
            if !g.ops.is_empty() {
                check_transaction(&g.ops)?;
            }
        }
        // One redb transaction for all of them: each group is checked and
        // applied on its own, the way DynamoDB packs them.
        self.write(move |txn| {
            let mut open = Open::new(txn)?;
            let mut applied = Vec::with_capacity(groups.len());
            for group in groups {
                let mut holds_all = true;
                for op in &group.ops {
                    if !open.holds(op)? {
                        holds_all = false;
                        break;
                    }
                }
                if !holds_all {
                    applied.push(false);
                    continue;
                }
                // A group's keys are distinct: its conditions still hold.
                for op in &group.ops {
                    open.write(op)?;
                }
                for (key, update) in merge_counts(&group.counts) {
                    open.write(&TxOp::Update {
                        key,
                        update,
                        condition: None,
                    })?;
                }
                applied.push(true);
            }
            Ok(applied)
        })
        .await
    }

    async fn query(&self, query: Query) -> Result<QueryPage, TableError> {
        let store = self.store.clone();
        blocking(move || Ok(run_query(&store, &query)))
            .await
            .map_err(backend)?
    }

    async fn query_json(&self, query: Query) -> Result<(Vec<Vec<u8>>, Option<Cursor>), TableError> {
        let store = self.store.clone();
        blocking(move || Ok(scan(&store, &query, whole_json)))
            .await
            .map_err(backend)?
    }

    async fn query_many_json(
        &self,
        queries: Vec<Query>,
    ) -> Result<Vec<(Vec<SortedJson>, Option<Cursor>)>, TableError> {
        let read = |store: &EmbeddedStore, queries: &[Query]| {
            let txn = store.db.begin_read().map_err(backend)?;
            queries
                .iter()
                .map(|q| {
                    scan_in(&txn, q, |pos, v| {
                        Ok(SortedJson {
                            sk: pos.isk.as_ref().unwrap_or(&pos.sk).clone(),
                            json: expand(&pos.pk, &pos.sk, v),
                        })
                    })
                })
                .collect()
        };
        // A list page's few short reads run in place: handing them to a
        // blocking thread costs more than they do. Anything larger goes
        // to one, in one read transaction.
        if queries.len() <= SMALL_READS
            && queries
                .iter()
                .all(|q| q.limit.is_some_and(|l| l <= SMALL_READS))
        {
            return read(&self.store, &queries);
        }
        let store = self.store.clone();
        blocking(move || Ok(read(&store, &queries)))
            .await
            .map_err(backend)?
    }

    async fn get_many_json(&self, keys: Vec<Key>) -> Result<Vec<Option<Vec<u8>>>, TableError> {
        let keys: Vec<(Vec<u8>, Key)> = keys
            .into_iter()
            .map(|key| Ok((item_key(&key)?, key)))
            .collect::<Result<_, TableError>>()?;
        let read = |store: &EmbeddedStore, keys: &[(Vec<u8>, Key)]| -> anyhow::Result<Vec<_>> {
            let txn = store.db.begin_read()?;
            let items = txn.open_table(ITEMS)?;
            keys.iter()
                .map(|(k, key)| {
                    Ok(items
                        .get(k.as_slice())?
                        .map(|v| expand(&key.pk, &key.sk, v.value())))
                })
                .collect()
        };
        if keys.len() <= SMALL_READS {
            return read(&self.store, &keys).map_err(backend);
        }
        let store = self.store.clone();
        blocking(move || read(&store, &keys)).await.map_err(backend)
    }

    async fn query_all_many_json(
        &self,
        queries: Vec<Query>,
    ) -> Result<Vec<Vec<Vec<u8>>>, TableError> {
        // One blocking task and one read transaction for every query, the
        // text of each query's items in one buffer, split into items here.
        // The allocator (mimalloc) frees a block into the pages of the
        // thread that allocated it, and a pool thread that then sits idle
        // keeps them: a sharded read as one small allocation per item on
        // each of 16 pool threads left tens of MB behind after 排考 read
        // 100,000 registrations' guards (two tasks, one a core, read no
        // faster and kept more).
        let store = self.store.clone();
        let parts = blocking(move || {
            let txn = store.db.begin_read().map_err(backend)?;
            Ok(queries
                .into_iter()
                .map(|mut q| {
                    q.limit = None;
                    let text = std::cell::RefCell::new(Vec::new());
                    // Each item's span, from where the text stood before
                    // it: a value the scan decodes and then leaves out
                    // adds text no span covers.
                    let (spans, _) = scan_in(&txn, &q, |pos, v| {
                        let mut text = text.borrow_mut();
                        let start = text.len();
                        expand_into(&mut text, &pos.pk, &pos.sk, v);
                        Ok(start..text.len())
                    })?;
                    Ok((text.into_inner(), spans))
                })
                .collect::<Result<Vec<_>, TableError>>())
        })
        .await
        .map_err(backend)??;
        Ok(parts
            .into_iter()
            .map(|(text, spans)| spans.into_iter().map(|s| text[s].to_vec()).collect())
            .collect())
    }

    async fn query_all_json(&self, mut query: Query) -> Result<Vec<Vec<u8>>, TableError> {
        // One read transaction, no page limit, the stored bytes as they are.
        query.limit = None;
        let store = self.store.clone();
        blocking(move || Ok(scan(&store, &query, whole_json).map(|(all, _)| all)))
            .await
            .map_err(backend)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use vslc_ports::table::EncodedItem;

    #[test]
    fn stored_values_leave_the_key_out_and_read_back_whole() {
        let item: Item = serde_json::from_value(json!({
            "pk": "T#school#1#CANDN#03", "sk": "王\"强#42", "name": "王强", "n": 7
        }))
        .unwrap();
        let stored = encode(&item).unwrap();
        assert_eq!(stored[0], COMPACT);
        assert!(!String::from_utf8_lossy(&stored).contains("CANDN"));
        let back = decode_at("T#school#1#CANDN#03", "王\"强#42", &stored).unwrap();
        assert_eq!(back, item);
        let text = expand("T#school#1#CANDN#03", "王\"强#42", &stored);
        assert_eq!(serde_json::from_slice::<Item>(&text).unwrap(), item);
    }

    #[test]
    fn encoded_items_are_stored_compact_and_expand_to_their_text() {
        #[derive(serde::Serialize)]
        struct Empty {}
        #[derive(serde::Serialize)]
        struct Guard<'a> {
            candidate_no: &'a str,
        }
        let key = Key::new("T#school#1#CANDID#09", "身份证#11010519491231002X");
        for encoded in [
            EncodedItem::new(key.clone(), &Empty {}).unwrap(),
            EncodedItem::new(key.clone(), &Guard { candidate_no: "1" }).unwrap(),
        ] {
            let whole = encoded.json().to_vec();
            let stored = compact(&key, &whole);
            assert_eq!(stored[0], COMPACT);
            assert!(stored.len() < whole.len());
            assert_eq!(expand(&key.pk, &key.sk, &stored), whole);
            assert_eq!(
                decode_at(&key.pk, &key.sk, &stored).unwrap(),
                encoded.to_item().unwrap()
            );
        }
    }

    #[test]
    fn values_written_whole_by_earlier_versions_still_read() {
        let whole = br#"{"n":1,"pk":"P","sk":"S"}"#;
        assert_eq!(expand("P", "S", whole), whole.to_vec());
        assert_eq!(decode_at("P", "S", whole).unwrap()["n"], json!(1));
        // Text in another shape than an encoded item's is stored whole.
        let key = Key::new("P", "S");
        assert_eq!(compact(&key, whole), whole.to_vec());
    }
}
