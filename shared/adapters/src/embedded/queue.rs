//! `Queue` in redb: messages survive a crash (kill -9) because sending and
//! every state change are committed transactions. Semantics follow SQS: a
//! received message is invisible for the visibility timeout, comes back if
//! not deleted, and after `max_receive_count` receives moves to the
//! dead-letter queue.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::store::{EmbeddedStore, HIGH, QUEUE_MESSAGES, QUEUE_VISIBLE, SEP, blocking, composite};
use vslc_ports::clock::Clock;
use vslc_ports::queue::{
    Queue, QueueError, QueueName, QueuePolicy, QueueRef, Received, check_body,
};

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    body: String,
    receive_count: u32,
    visible_at_ms: u64,
}

/// The embedded queue adapter.
#[derive(Clone)]
pub struct EmbeddedQueue {
    store: EmbeddedStore,
    clock: Arc<dyn Clock>,
    policies: Arc<HashMap<QueueName, QueuePolicy>>,
    poll: Duration,
}

fn backend(e: impl Into<anyhow::Error>) -> QueueError {
    QueueError::Backend(e.into())
}

fn visible_key(queue: &str, at_ms: u64, id: &str) -> Vec<u8> {
    [
        queue.as_bytes(),
        &[SEP],
        &at_ms.to_be_bytes(),
        id.as_bytes(),
    ]
    .concat()
}

fn parse_receipt(receipt: &str) -> Option<(&str, u32)> {
    let (id, count) = receipt.rsplit_once(':')?;
    Some((id, count.parse().ok()?))
}

fn load(txn: &WriteTransaction, queue: &str, id: &str) -> anyhow::Result<Option<Stored>> {
    let msgs = txn.open_table(QUEUE_MESSAGES)?;
    let got = msgs.get(composite(&[queue, id]).as_slice())?;
    got.map(|v| serde_json::from_slice(v.value()).context("queue message is not JSON"))
        .transpose()
}

/// Writes a message and its visibility entry, replacing the old entry.
fn save(
    txn: &WriteTransaction,
    queue: &str,
    id: &str,
    old: Option<&Stored>,
    new: Option<&Stored>,
) -> anyhow::Result<()> {
    let mut msgs = txn.open_table(QUEUE_MESSAGES)?;
    let mut vis = txn.open_table(QUEUE_VISIBLE)?;
    if let Some(o) = old {
        vis.remove(visible_key(queue, o.visible_at_ms, id).as_slice())?;
    }
    let key = composite(&[queue, id]);
    match new {
        Some(n) => {
            msgs.insert(key.as_slice(), serde_json::to_vec(n)?.as_slice())?;
            vis.insert(
                visible_key(queue, n.visible_at_ms, id).as_slice(),
                [].as_slice(),
            )?;
        }
        None => {
            msgs.remove(key.as_slice())?;
        }
    }
    Ok(())
}

impl EmbeddedQueue {
    pub fn new(
        store: EmbeddedStore,
        clock: Arc<dyn Clock>,
        policies: HashMap<QueueName, QueuePolicy>,
    ) -> Self {
        Self {
            store,
            clock,
            policies: Arc::new(policies),
            poll: Duration::from_millis(50),
        }
    }

    fn policy(&self, queue: QueueRef) -> Option<QueuePolicy> {
        if queue.dead_letter {
            // A dead-letter queue keeps its messages; no redrive.
            Some(QueuePolicy {
                max_receive_count: u32::MAX,
                ..QueuePolicy::default()
            })
        } else {
            Some(self.policies.get(&queue.name).copied().unwrap_or_default())
        }
    }

    fn now_ms(&self) -> u64 {
        self.clock.now().timestamp_millis().max(0) as u64
    }

    /// Makes every in-flight message visible at once. Only this process uses
    /// the store (redb locks the file), so at start-up anything in flight was
    /// received by a process that died: its work must be done again.
    pub async fn recover_in_flight(&self) -> Result<usize, QueueError> {
        let store = self.store.clone();
        let now = self.now_ms();
        blocking(move || {
            let txn = store.db.begin_write()?;
            let mut moved = Vec::new();
            {
                let msgs = txn.open_table(QUEUE_MESSAGES)?;
                for entry in msgs.iter()? {
                    let (k, v) = entry?;
                    let stored: Stored = serde_json::from_slice(v.value())?;
                    if stored.visible_at_ms > now {
                        let key = k.value();
                        let cut = key.iter().position(|b| *b == SEP).unwrap_or(key.len());
                        let queue = String::from_utf8_lossy(&key[..cut]).into_owned();
                        let id = String::from_utf8_lossy(key.get(cut + 1..).unwrap_or_default())
                            .into_owned();
                        moved.push((queue, id, stored));
                    }
                }
            }
            for (queue, id, old) in &moved {
                let new = Stored {
                    body: old.body.clone(),
                    receive_count: old.receive_count,
                    visible_at_ms: now,
                };
                save(&txn, queue, id, Some(old), Some(&new))?;
            }
            txn.commit()?;
            Ok(moved.len())
        })
        .await
        .map_err(backend)
    }

    fn try_receive(
        &self,
        queue: QueueRef,
        max: usize,
    ) -> impl FnOnce() -> anyhow::Result<Vec<Received>> + Send + 'static {
        let store = self.store.clone();
        let now = self.now_ms();
        let policy = self.policy(queue).unwrap_or_default();
        let name = queue.physical_name();
        let dlq = QueueRef::dlq(queue.name).physical_name();
        let dead_letter = queue.dead_letter;
        move || {
            let txn = store.db.begin_write()?;
            let due: Vec<String> = {
                let vis = txn.open_table(QUEUE_VISIBLE)?;
                let lo = [name.as_bytes(), &[SEP]].concat();
                let hi = [name.as_bytes(), &[SEP], &now.to_be_bytes(), &[HIGH]].concat();
                let mut ids = Vec::new();
                // Enough candidates for this receive, with room for redriven ones.
                for entry in vis
                    .range::<&[u8]>(lo.as_slice()..hi.as_slice())?
                    .take(max + 64)
                {
                    let (k, _) = entry?;
                    let id = &k.value()[lo.len() + 8..];
                    ids.push(String::from_utf8_lossy(id).into_owned());
                }
                ids
            };
            let mut out = Vec::new();
            for id in due {
                if out.len() >= max {
                    break;
                }
                let Some(old) = load(&txn, &name, &id)? else {
                    continue;
                };
                if !dead_letter && old.receive_count >= policy.max_receive_count {
                    // Redrive: received too often without success.
                    save(&txn, &name, &id, Some(&old), None)?;
                    let moved = Stored {
                        body: old.body.clone(),
                        receive_count: 0,
                        visible_at_ms: now,
                    };
                    save(&txn, &dlq, &id, None, Some(&moved))?;
                    continue;
                }
                let new = Stored {
                    body: old.body.clone(),
                    receive_count: old.receive_count + 1,
                    visible_at_ms: now + policy.visibility_timeout.as_millis() as u64,
                };
                save(&txn, &name, &id, Some(&old), Some(&new))?;
                out.push(Received {
                    receipt: format!("{id}:{}", new.receive_count),
                    id,
                    body: new.body,
                    receive_count: new.receive_count,
                });
            }
            txn.commit()?;
            Ok(out)
        }
    }

    /// Applies `f` to the message a receipt names, if the receipt is current.
    async fn with_receipt(
        &self,
        queue: QueueRef,
        receipt: &str,
        f: impl FnOnce(&WriteTransaction, &str, &str, Stored) -> anyhow::Result<()> + Send + 'static,
    ) -> Result<(), QueueError> {
        let Some((id, count)) = parse_receipt(receipt) else {
            return Err(backend(anyhow::anyhow!("malformed receipt handle")));
        };
        let (id, name) = (id.to_owned(), queue.physical_name());
        let store = self.store.clone();
        blocking(move || {
            let txn = store.db.begin_write()?;
            if let Some(old) = load(&txn, &name, &id)? {
                // A stale receipt (the message was received again since) does nothing.
                if old.receive_count == count {
                    f(&txn, &name, &id, old)?;
                }
            }
            txn.commit()?;
            Ok(())
        })
        .await
        .map_err(backend)
    }
}

#[async_trait]
impl Queue for EmbeddedQueue {
    async fn send_batch(
        &self,
        queue: QueueRef,
        bodies: Vec<String>,
    ) -> Result<Vec<String>, QueueError> {
        for b in &bodies {
            check_body(b)?;
        }
        let store = self.store.clone();
        let now = self.now_ms();
        let name = queue.physical_name();
        blocking(move || {
            let txn = store.db.begin_write()?;
            let mut ids = Vec::with_capacity(bodies.len());
            for body in bodies {
                let id = ulid::Ulid::new().to_string();
                save(
                    &txn,
                    &name,
                    &id,
                    None,
                    Some(&Stored {
                        body,
                        receive_count: 0,
                        visible_at_ms: now,
                    }),
                )?;
                ids.push(id);
            }
            txn.commit()?;
            Ok(ids)
        })
        .await
        .map_err(backend)
    }

    async fn receive(
        &self,
        queue: QueueRef,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Received>, QueueError> {
        let max = max.clamp(1, 10);
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let got = blocking(self.try_receive(queue, max))
                .await
                .map_err(backend)?;
            if !got.is_empty() || tokio::time::Instant::now() >= deadline {
                return Ok(got);
            }
            tokio::time::sleep(self.poll.min(deadline - tokio::time::Instant::now())).await;
        }
    }

    async fn delete(&self, queue: QueueRef, receipt: &str) -> Result<(), QueueError> {
        self.with_receipt(queue, receipt, |txn, name, id, old| {
            save(txn, name, id, Some(&old), None)
        })
        .await
    }

    async fn release(
        &self,
        queue: QueueRef,
        receipt: &str,
        after: Duration,
    ) -> Result<(), QueueError> {
        let at = self.now_ms() + after.as_millis() as u64;
        self.with_receipt(queue, receipt, move |txn, name, id, old| {
            let new = Stored {
                body: old.body.clone(),
                receive_count: old.receive_count,
                visible_at_ms: at,
            };
            save(txn, name, id, Some(&old), Some(&new))
        })
        .await
    }
}
