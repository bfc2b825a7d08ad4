//! `Table` on DynamoDB. Typed conditions and updates are rendered into
//! expressions with placeholder names and values, so attribute names never
//! need escaping and values never meet the expression text.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, DeleteRequest,
    GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType, Put, PutRequest,
    ScalarAttributeType, TransactWriteItem, WriteRequest,
};
use serde_json::{Number, Value};

use vslc_ports::table::{
    BATCH_WRITE_CHUNK, BatchOp, Condition, Count, Cursor, CursorPos, Group, Guarded, Index, Item,
    Key, PK, Query, QueryPage, SK, SkCond, Table, TableError, TxOp, Update, VERSION, check_item,
    check_transaction, merge_counts,
};

/// The DynamoDB table adapter.
#[derive(Clone)]
pub struct DynamoTable {
    client: Client,
    table: String,
}

fn backend(e: impl Into<anyhow::Error>) -> TableError {
    TableError::Backend(e.into())
}

/// JSON → DynamoDB attribute value.
pub fn to_attr(v: &Value) -> AttributeValue {
    match v {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(a) => AttributeValue::L(a.iter().map(to_attr).collect()),
        Value::Object(m) => {
            AttributeValue::M(m.iter().map(|(k, v)| (k.clone(), to_attr(v))).collect())
        }
    }
}

fn number(n: &str) -> Value {
    if let Ok(i) = n.parse::<i64>() {
        return Value::from(i);
    }
    if let Ok(u) = n.parse::<u64>() {
        return Value::from(u);
    }
    n.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or_else(|| Value::String(n.to_owned()), Value::Number)
}

/// DynamoDB attribute value → JSON (sets become arrays, binary base64).
pub fn from_attr(a: &AttributeValue) -> Value {
    use base64::Engine;
    match a {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => number(n),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::L(l) => Value::Array(l.iter().map(from_attr).collect()),
        AttributeValue::M(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), from_attr(v))).collect())
        }
        AttributeValue::Ss(s) => Value::Array(s.iter().cloned().map(Value::String).collect()),
        AttributeValue::Ns(s) => Value::Array(s.iter().map(|n| number(n)).collect()),
        AttributeValue::B(b) => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(b.as_ref()))
        }
        _ => Value::Null,
    }
}

fn to_map(item: &Item) -> HashMap<String, AttributeValue> {
    item.iter().map(|(k, v)| (k.clone(), to_attr(v))).collect()
}

fn from_map(map: &HashMap<String, AttributeValue>) -> Item {
    map.iter().map(|(k, v)| (k.clone(), from_attr(v))).collect()
}

fn key_map(key: &Key) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_owned(), AttributeValue::S(key.pk.clone())),
        (SK.to_owned(), AttributeValue::S(key.sk.clone())),
    ])
}

/// Collects `#n` names and `:v` values while an expression is rendered.
#[derive(Default)]
struct Expr {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Expr {
    fn name(&mut self, attr: &str) -> String {
        if let Some((k, _)) = self.names.iter().find(|(_, v)| v.as_str() == attr) {
            return k.clone();
        }
        let k = format!("#n{}", self.names.len());
        self.names.insert(k.clone(), attr.to_owned());
        k
    }

    fn value(&mut self, v: AttributeValue) -> String {
        let k = format!(":v{}", self.values.len());
        self.values.insert(k.clone(), v);
        k
    }

    fn condition(&mut self, c: &Condition) -> String {
        match c {
            Condition::NotExists => format!("attribute_not_exists({})", self.name(PK)),
            Condition::Exists => format!("attribute_exists({})", self.name(PK)),
            Condition::VersionIs(n) => {
                let (n_, v) = (
                    self.name(VERSION),
                    self.value(AttributeValue::N(n.to_string())),
                );
                format!("{n_} = {v}")
            }
            Condition::AttrEquals(attr, value) => {
                let (n_, v) = (self.name(attr), self.value(to_attr(value)));
                format!("{n_} = {v}")
            }
            Condition::AttrAbsent(attr) => format!(
                "attribute_exists({}) AND attribute_not_exists({})",
                self.name(PK),
                self.name(attr)
            ),
            Condition::And(all) if all.is_empty() => format!(
                "attribute_exists({}) OR attribute_not_exists({})",
                self.name(PK),
                self.name(PK)
            ),
            Condition::And(all) => self.joined(all, " AND "),
            Condition::Or(any) if any.is_empty() => format!(
                "attribute_exists({}) AND attribute_not_exists({})",
                self.name(PK),
                self.name(PK)
            ),
            Condition::Or(any) => self.joined(any, " OR "),
        }
    }

    /// Conditions, each parenthesised, joined by `op` (` AND `, ` OR `).
    fn joined(&mut self, conditions: &[Condition], op: &str) -> String {
        conditions
            .iter()
            .map(|c| format!("({})", self.condition(c)))
            .collect::<Vec<_>>()
            .join(op)
    }

    fn update(&mut self, u: &Update) -> String {
        let mut parts = Vec::new();
        if !u.set.is_empty() {
            let s: Vec<_> = u
                .set
                .iter()
                .map(|(a, v)| format!("{} = {}", self.name(a), self.value(to_attr(v))))
                .collect();
            parts.push(format!("SET {}", s.join(", ")));
        }
        if !u.add.is_empty() {
            let s: Vec<_> = u
                .add
                .iter()
                .map(|(a, by)| {
                    format!(
                        "{} {}",
                        self.name(a),
                        self.value(AttributeValue::N(by.to_string()))
                    )
                })
                .collect();
            parts.push(format!("ADD {}", s.join(", ")));
        }
        if !u.remove.is_empty() {
            let s: Vec<_> = u.remove.iter().map(|a| self.name(a)).collect();
            parts.push(format!("REMOVE {}", s.join(", ")));
        }
        parts.join(" ")
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }
    fn values(&self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

/// Sets a rendered condition and the expression's placeholder maps on any
/// SDK request builder that takes them.
trait WithExpr: Sized {
    fn expr(self, e: &Expr, condition: Option<String>) -> Self;
}

/// Names the table and the item's key on any SDK request builder of one
/// item by its key.
trait OnKey: Sized {
    fn on(self, table: &str, key: &Key) -> Self;
}

macro_rules! with_expr {
    ($($builder:ty),* $(,)?) => {$(
        impl WithExpr for $builder {
            fn expr(self, e: &Expr, condition: Option<String>) -> Self {
                self.set_condition_expression(condition)
                    .set_expression_attribute_names(e.names())
                    .set_expression_attribute_values(e.values())
            }
        }
    )*};
}

macro_rules! on_key {
    ($($builder:ty),* $(,)?) => {$(
        impl OnKey for $builder {
            fn on(self, table: &str, key: &Key) -> Self {
                self.table_name(table).set_key(Some(key_map(key)))
            }
        }
    )*};
}

with_expr!(
    aws_sdk_dynamodb::types::builders::PutBuilder,
    aws_sdk_dynamodb::types::builders::UpdateBuilder,
    aws_sdk_dynamodb::types::builders::DeleteBuilder,
    aws_sdk_dynamodb::types::builders::ConditionCheckBuilder,
    aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder,
    aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder,
    aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder,
);

on_key!(
    aws_sdk_dynamodb::types::builders::UpdateBuilder,
    aws_sdk_dynamodb::types::builders::DeleteBuilder,
    aws_sdk_dynamodb::types::builders::ConditionCheckBuilder,
    aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder,
    aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder,
    aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder,
);

/// The outcome of a conditional write: a failed condition as
/// `ConditionFailed`, any other error as the backend's.
fn conditional<T, E: aws_sdk_dynamodb::error::ProvideErrorMetadata>(
    res: Result<T, SdkError<E, aws_sdk_dynamodb::config::http::HttpResponse>>,
) -> Result<T, TableError>
where
    SdkError<E, aws_sdk_dynamodb::config::http::HttpResponse>: Into<anyhow::Error>,
{
    match res {
        Ok(out) => Ok(out),
        Err(err) if is_condition_failed(&err) => Err(TableError::ConditionFailed),
        Err(err) => Err(backend(err)),
    }
}

/// What a sort-key condition asks of DynamoDB. DynamoDB refuses an empty
/// string as a key value, and no sort key is empty: a condition on `""` is
/// true of every item (`>= ""`) or of none (`< ""`).
enum SkFilter {
    All,
    None,
    Expr(SkCond),
}

fn sk_filter(c: &SkCond) -> SkFilter {
    match c {
        SkCond::BeginsWith(s) | SkCond::Ge(s) | SkCond::Gt(s) if s.is_empty() => SkFilter::All,
        SkCond::Eq(s) | SkCond::Le(s) | SkCond::Lt(s) if s.is_empty() => SkFilter::None,
        SkCond::Between(_, b) if b.is_empty() => SkFilter::None,
        SkCond::Between(a, b) if a.is_empty() => SkFilter::Expr(SkCond::Le(b.clone())),
        other => SkFilter::Expr(other.clone()),
    }
}

fn sk_expr(e: &mut Expr, attr: &str, c: &SkCond) -> String {
    let n = e.name(attr);
    let mut v = |s: &String| e.value(AttributeValue::S(s.clone()));
    match c {
        SkCond::Eq(s) => format!("{n} = {}", v(s)),
        SkCond::BeginsWith(s) => format!("begins_with({n}, {})", v(s)),
        SkCond::Between(a, b) => {
            let (a, b) = (v(a), v(b));
            format!("{n} BETWEEN {a} AND {b}")
        }
        SkCond::Lt(s) => format!("{n} < {}", v(s)),
        SkCond::Le(s) => format!("{n} <= {}", v(s)),
        SkCond::Gt(s) => format!("{n} > {}", v(s)),
        SkCond::Ge(s) => format!("{n} >= {}", v(s)),
    }
}

fn is_condition_failed<E: aws_sdk_dynamodb::error::ProvideErrorMetadata>(
    e: &SdkError<E, aws_sdk_dynamodb::config::http::HttpResponse>,
) -> bool {
    e.as_service_error().and_then(|s| s.code()) == Some("ConditionalCheckFailedException")
}

impl DynamoTable {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Creates the table with the same key schema, GSIs and TTL as
    /// `infra/template.yaml` (tests and local emulators; production tables
    /// come from the SAM template).
    pub async fn create_table_if_missing(&self) -> anyhow::Result<()> {
        if self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .is_ok()
        {
            return Ok(());
        }
        let attr = |n: &str| {
            AttributeDefinition::builder()
                .attribute_name(n)
                .attribute_type(ScalarAttributeType::S)
                .build()
        };
        let key = |n: &str, t: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(n)
                .key_type(t)
                .build()
        };
        let mut req = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attr(PK)?)
            .attribute_definitions(attr(SK)?)
            .key_schema(key(PK, KeyType::Hash)?)
            .key_schema(key(SK, KeyType::Range)?);
        for index in Index::ALL {
            req = req
                .attribute_definitions(attr(index.pk_attr())?)
                .attribute_definitions(attr(index.sk_attr())?)
                .global_secondary_indexes(
                    GlobalSecondaryIndex::builder()
                        .index_name(index.name())
                        .key_schema(key(index.pk_attr(), KeyType::Hash)?)
                        .key_schema(key(index.sk_attr(), KeyType::Range)?)
                        .projection(
                            Projection::builder()
                                .projection_type(ProjectionType::All)
                                .build(),
                        )
                        .build()?,
                );
        }
        req.send().await.context("creating the table")?;
        Ok(())
    }

    /// Writes the `pending` groups of operations in one transaction, all or
    /// none of each: a group whose condition fails is dropped and the rest
    /// written again without it. Marks the groups written.
    /// Writes whole groups in transactions of up to 100 operations on
    /// distinct keys, the counts of the groups in one transaction merged
    /// into one update per counter item; a cancellation names the groups
    /// whose conditions failed and the rest is written again without them.
    async fn pack_groups(
        &self,
        ops: Vec<Vec<TxOp>>,
        counts: Vec<Vec<Count>>,
    ) -> Result<Vec<bool>, TableError> {
        let mut written = vec![false; ops.len()];
        // Groups raising the same counter item go together (a stable sort,
        // so groups otherwise keep their order): fewer counter updates per
        // transaction leave room for more groups.
        let mut order: Vec<usize> = (0..ops.len()).collect();
        order.sort_by(|&a, &b| {
            let first = |i: usize| counts[i].first().map(|c| (&c.key.pk, &c.key.sk));
            first(a).cmp(&first(b))
        });
        let mut at = 0;
        while at < order.len() {
            let mut batch: Vec<usize> = Vec::new();
            let mut keys = std::collections::HashSet::new();
            let mut counters = std::collections::HashSet::new();
            let mut size = 0;
            while at < order.len() {
                let next = order[at];
                let group_keys: Vec<Key> =
                    ops[next].iter().map(TxOp::key).collect::<Result<_, _>>()?;
                let new_counters: std::collections::HashSet<&Key> = counts[next]
                    .iter()
                    .map(|c| &c.key)
                    .filter(|k| !counters.contains(*k))
                    .collect();
                let fits = size + ops[next].len() + counters.len() + new_counters.len()
                    <= vslc_ports::table::MAX_TRANSACT_ITEMS
                    && group_keys.iter().all(|k| {
                        !keys.contains(k) && !counters.contains(k) && !new_counters.contains(k)
                    })
                    && new_counters.iter().all(|k| !keys.contains(*k));
                if !fits && !batch.is_empty() {
                    break;
                }
                size += ops[next].len();
                keys.extend(group_keys);
                counters.extend(new_counters.into_iter().cloned());
                batch.push(next);
                at += 1;
            }
            self.transact_groups(&ops, &counts, batch, &mut written)
                .await?;
        }
        Ok(written)
    }

    async fn transact_groups(
        &self,
        groups: &[Vec<TxOp>],
        counts: &[Vec<Count>],
        mut pending: Vec<usize>,
        written: &mut [bool],
    ) -> Result<(), TableError> {
        while !pending.is_empty() {
            let mut owner = Vec::new();
            let mut tx = Vec::new();
            for &g in &pending {
                for op in &groups[g] {
                    owner.push(g);
                    tx.push(op.clone());
                }
            }
            // Counter updates carry no condition: they never cancel.
            for (key, update) in merge_counts(pending.iter().flat_map(|&g| &counts[g])) {
                owner.push(usize::MAX);
                tx.push(TxOp::Update {
                    key,
                    update,
                    condition: None,
                });
            }
            if tx.is_empty() {
                for &g in &pending {
                    written[g] = true;
                }
                return Ok(());
            }
            match self.transact(tx).await {
                Ok(()) => {
                    for &g in &pending {
                        written[g] = true;
                    }
                    pending.clear();
                }
                Err(TableError::TransactionCanceled { failed }) => {
                    let refused: Vec<usize> = failed
                        .iter()
                        .filter_map(|&f| owner.get(f).copied())
                        .filter(|&g| g != usize::MAX)
                        .collect();
                    if refused.is_empty() {
                        return Err(TableError::TransactionCanceled { failed });
                    }
                    pending.retain(|g| !refused.contains(g));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn tx_item(&self, op: &TxOp) -> Result<TransactWriteItem, TableError> {
        let mut e = Expr::default();
        let cond = op.condition().map(|c| e.condition(c));
        let b = TransactWriteItem::builder();
        let built = match op {
            TxOp::Put { item, .. } => b.put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(to_map(item)))
                    .expr(&e, cond)
                    .build()
                    .map_err(backend)?,
            ),
            TxOp::Update { key, update, .. } => {
                let ue = e.update(update);
                let u = aws_sdk_dynamodb::types::Update::builder().update_expression(ue);
                b.update(
                    u.on(&self.table, key)
                        .expr(&e, cond)
                        .build()
                        .map_err(backend)?,
                )
            }
            TxOp::Delete { key, .. } => {
                let d = Delete::builder().on(&self.table, key);
                b.delete(d.expr(&e, cond).build().map_err(backend)?)
            }
            TxOp::Check { key, .. } => {
                let c = ConditionCheck::builder().on(&self.table, key);
                b.condition_check(c.expr(&e, cond).build().map_err(backend)?)
            }
        };
        Ok(built.build())
    }
}

/// Waits before a batch request is sent again for what DynamoDB left
/// unprocessed (throttling): 100 ms doubling to 1.6 s, at most eight times.
async fn back_off(attempt: &mut u32, gave_up: &'static str) -> Result<(), TableError> {
    *attempt += 1;
    if *attempt > 8 {
        return Err(backend(anyhow::anyhow!(gave_up)));
    }
    tokio::time::sleep(Duration::from_millis(50 << (*attempt).min(5))).await;
    Ok(())
}

#[async_trait]
impl Table for DynamoTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        let out = self
            .client
            .get_item()
            .on(&self.table, key)
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(out.item().map(from_map))
    }

    async fn get_many_json(&self, keys: Vec<Key>) -> Result<Vec<Option<Vec<u8>>>, TableError> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut found: HashMap<Key, Vec<u8>> = HashMap::new();
        let mut wanted: Vec<Key> = keys.clone();
        wanted.sort_by(|a, b| (&a.pk, &a.sk).cmp(&(&b.pk, &b.sk)));
        wanted.dedup();
        // BatchGetItem takes 100 keys a request; what it leaves unprocessed
        // is asked for again.
        for chunk in wanted.chunks(100) {
            let mut pending: Vec<HashMap<String, AttributeValue>> =
                chunk.iter().map(key_map).collect();
            let mut attempt = 0u32;
            while !pending.is_empty() {
                let ask = KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut pending)))
                    .consistent_read(true)
                    .build()
                    .map_err(backend)?;
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, ask)
                    .send()
                    .await
                    .map_err(backend)?;
                for map in out
                    .responses()
                    .and_then(|r| r.get(&self.table))
                    .into_iter()
                    .flatten()
                {
                    let item = from_map(map);
                    let key = Key::of(&item)?;
                    let json = serde_json::to_vec(&item).map_err(backend)?;
                    found.insert(key, json);
                }
                pending = out
                    .unprocessed_keys()
                    .and_then(|m| m.get(&self.table))
                    .map(|k| k.keys().to_vec())
                    .unwrap_or_default();
                if !pending.is_empty() {
                    back_off(&mut attempt, "batch get kept returning unprocessed keys").await?;
                }
            }
        }
        Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), TableError> {
        check_item(&item)?;
        let mut e = Expr::default();
        let cond = condition.as_ref().map(|c| e.condition(c));
        let res = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_map(&item)))
            .expr(&e, cond)
            .send()
            .await;
        conditional(res).map(drop)
    }

    async fn update(
        &self,
        key: &Key,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, TableError> {
        update.check()?;
        let mut e = Expr::default();
        let ue = e.update(&update);
        let cond = condition.as_ref().map(|c| e.condition(c));
        let res = self
            .client
            .update_item()
            .on(&self.table, key)
            .update_expression(ue)
            .expr(&e, cond)
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
            .send()
            .await;
        let out = conditional(res)?;
        Ok(out.attributes().map(from_map).unwrap_or_default())
    }

    async fn delete(&self, key: &Key, condition: Option<Condition>) -> Result<(), TableError> {
        let mut e = Expr::default();
        let cond = condition.as_ref().map(|c| e.condition(c));
        let res = self
            .client
            .delete_item()
            .on(&self.table, key)
            .expr(&e, cond)
            .send()
            .await;
        conditional(res).map(drop)
    }

    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), TableError> {
        check_transaction(&ops)?;
        let items = ops
            .iter()
            .map(|op| self.tx_item(op))
            .collect::<Result<Vec<_>, _>>()?;
        let res = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(err) => {
                use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError as E;
                if let Some(E::TransactionCanceledException(c)) = err.as_service_error() {
                    let failed: Vec<usize> = c
                        .cancellation_reasons()
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                        .map(|(i, _)| i)
                        .collect();
                    if !failed.is_empty() {
                        return Err(TableError::TransactionCanceled { failed });
                    }
                }
                Err(backend(err))
            }
        }
    }

    async fn batch_write(&self, ops: Vec<BatchOp>) -> Result<(), TableError> {
        for op in &ops {
            if let BatchOp::Put(item) = op {
                check_item(item)?;
            }
        }
        for chunk in ops.chunks(BATCH_WRITE_CHUNK) {
            let mut pending: Vec<WriteRequest> = chunk
                .iter()
                .map(|op| {
                    let b = WriteRequest::builder();
                    Ok(match op {
                        BatchOp::Put(item) => b.put_request(
                            PutRequest::builder()
                                .set_item(Some(to_map(item)))
                                .build()
                                .map_err(backend)?,
                        ),
                        BatchOp::Delete(key) => b.delete_request(
                            DeleteRequest::builder()
                                .set_key(Some(key_map(key)))
                                .build()
                                .map_err(backend)?,
                        ),
                    }
                    .build())
                })
                .collect::<Result<_, TableError>>()?;
            let mut attempt = 0u32;
            while !pending.is_empty() {
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, pending)
                    .send()
                    .await
                    .map_err(backend)?;
                pending = out
                    .unprocessed_items()
                    .and_then(|m| m.get(&self.table))
                    .cloned()
                    .unwrap_or_default();
                if !pending.is_empty() {
                    back_off(&mut attempt, "batch write kept returning unprocessed items").await?;
                }
            }
        }
        Ok(())
    }

    async fn insert_new(&self, items: Vec<Item>) -> Result<Vec<bool>, TableError> {
        let mut written = vec![false; items.len()];
        // Transactions of 100 conditional puts: one request per 100 items when
        // nothing collides; a collision cancels the chunk, names the taken
        // keys, and the rest is written again without them.
        let chunk_len = vslc_ports::table::MAX_TRANSACT_ITEMS;
        for (chunk, written) in items.chunks(chunk_len).zip(written.chunks_mut(chunk_len)) {
            let puts: Vec<Vec<TxOp>> = chunk
                .iter()
                .map(|item| {
                    vec![TxOp::Put {
                        item: item.clone(),
                        condition: Some(Condition::NotExists),
                    }]
                })
                .collect();
            let none = vec![Vec::new(); puts.len()];
            self.transact_groups(&puts, &none, (0..chunk.len()).collect(), written)
                .await?;
        }
        Ok(written)
    }

    async fn insert_guarded(&self, groups: Vec<Guarded>) -> Result<Vec<bool>, TableError> {
        let ops: Vec<Vec<TxOp>> = groups.iter().map(Guarded::ops).collect::<Result<_, _>>()?;
        let counts: Vec<Vec<Count>> = groups.into_iter().map(|g| g.counts).collect();
        self.pack_groups(ops, counts).await
    }

    async fn apply_groups(&self, groups: Vec<Group>) -> Result<Vec<bool>, TableError> {
        let (ops, counts) = groups.into_iter().map(|g| (g.ops, g.counts)).unzip();
        self.pack_groups(ops, counts).await
    }

    async fn query(&self, q: Query) -> Result<QueryPage, TableError> {
        let mut e = Expr::default();
        let (pk_attr, sk_attr) = match q.index {
            Some(i) => (i.pk_attr(), i.sk_attr()),
            None => (PK, SK),
        };
        let mut kc = format!(
            "{} = {}",
            e.name(pk_attr),
            e.value(AttributeValue::S(q.pk.clone()))
        );
        match q.sk.as_ref().map(sk_filter) {
            None | Some(SkFilter::All) => {}
            Some(SkFilter::None) => {
                return Ok(QueryPage {
                    items: Vec::new(),
                    next: None,
                });
            }
            Some(SkFilter::Expr(c)) => kc = format!("{kc} AND {}", sk_expr(&mut e, sk_attr, &c)),
        }
        let start = match &q.cursor {
            Some(c) => {
                let pos = c.decode(&q)?;
                let mut m = key_map(&Key::new(pos.pk, pos.sk));
                if let (Some(index), Some(ipk), Some(isk)) = (q.index, pos.ipk, pos.isk) {
                    m.insert(index.pk_attr().into(), AttributeValue::S(ipk));
                    m.insert(index.sk_attr().into(), AttributeValue::S(isk));
                }
                Some(m)
            }
            None => None,
        };
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(q.index.map(|i| i.name().to_owned()))
            .key_condition_expression(kc)
            .set_expression_attribute_names(e.names())
            .set_expression_attribute_values(e.values())
            .scan_index_forward(q.forward)
            .set_limit(q.limit.map(|l| l.clamp(1, i32::MAX as usize) as i32))
            .set_exclusive_start_key(start)
            .set_consistent_read(q.index.is_none().then_some(true))
            .send()
            .await
            .map_err(|err| {
                let bad_start = err
                    .as_service_error()
                    .and_then(|s| aws_sdk_dynamodb::error::ProvideErrorMetadata::message(s))
                    .is_some_and(|m| m.contains("start"));
                if bad_start {
                    TableError::BadCursor
                } else {
                    backend(err)
                }
            })?;
        let next = out.last_evaluated_key().map(|k| {
            let s = |n: &str| k.get(n).and_then(|v| v.as_s().ok()).cloned();
            Cursor::encode(&CursorPos {
                pk: s(PK).unwrap_or_default(),
                sk: s(SK).unwrap_or_default(),
                ipk: q.index.and_then(|i| s(i.pk_attr())),
                isk: q.index.and_then(|i| s(i.sk_attr())),
            })
        });
        Ok(QueryPage {
            items: out.items().iter().map(from_map).collect(),
            next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_and_attribute_values_round_trip() {
        let v = json!({"s":"考生","n":42,"neg":-3,"f":1.5,"b":true,"z":null,"l":[1,"a"],"m":{"x":{"y":[]}}});
        let back = from_attr(&to_attr(&v));
        assert_eq!(back, v);
    }

    #[test]
    fn conditions_render_with_placeholders() {
        let mut e = Expr::default();
        let c = e.condition(&Condition::And(vec![
            Condition::VersionIs(2),
            Condition::attr_equals("status", "未提交"),
        ]));
        assert_eq!(c, "(#n0 = :v0) AND (#n1 = :v1)");
        let mut o = Expr::default();
        let c = o.condition(&Condition::Or(vec![
            Condition::NotExists,
            Condition::attr_equals("count", 0),
        ]));
        assert_eq!(c, "(attribute_not_exists(#n0)) OR (#n1 = :v0)");
        assert_eq!(e.names.get("#n1").map(String::as_str), Some("status"));
        let u = e.update(
            &Update::new()
                .set("status", "待审核")
                .add(VERSION, 1)
                .remove("reason"),
        );
        assert_eq!(u, "SET #n1 = :v2 ADD #n0 :v3 REMOVE #n2");
    }
}
