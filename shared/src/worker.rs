//! Workers: `handle(message)` once per delivery. Delivery is at least once,
//! so every worker is idempotent. On Lambda the SQS event source feeds it
//! (`lambda::run_worker`); locally `consume` drains the embedded queue.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;

use crate::ports::queue::{Queue, QueueName, QueueRef};

/// One delivery of a message.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub body: String,
    /// 1 on the first delivery.
    pub receive_count: u32,
}

#[async_trait]
pub trait Worker: Send + Sync {
    /// The queue it drains.
    fn queue(&self) -> QueueName;
    /// Ok: the message is done and deleted. Err: it comes back later, and
    /// after the queue's receive limit goes to the dead-letter queue.
    async fn handle(&self, message: &Message) -> anyhow::Result<()>;
}

/// Delay before a failed message is retried locally: 2, 4, 8 … up to 60 s.
pub fn retry_delay(receive_count: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(receive_count.clamp(1, 6)).min(60))
}

/// Drains the worker's queue until `stop` turns true. Used by the dev server.
pub async fn consume(
    queue: Arc<dyn Queue>,
    worker: Arc<dyn Worker>,
    mut stop: watch::Receiver<bool>,
) {
    let from = QueueRef::main(worker.queue());
    loop {
        if *stop.borrow() {
            return;
        }
        let batch = tokio::select! {
            r = queue.receive(from, 1, Duration::from_secs(1)) => r,
            _ = stop.changed() => return,
        };
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = ?e, queue = from.name.as_str(), "receive failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        for received in batch {
            let message = Message {
                id: received.id.clone(),
                body: received.body.clone(),
                receive_count: received.receive_count,
            };
            // On its own task, so that a panic fails this delivery (it is
            // retried, then dead-lettered) instead of stopping the consumer.
            let handled = {
                let worker = worker.clone();
                tokio::spawn(async move { worker.handle(&message).await })
                    .await
                    .unwrap_or_else(|panic| Err(anyhow::anyhow!("worker panicked: {panic}")))
            };
            match handled {
                Ok(()) => {
                    if let Err(e) = queue.delete(from, &received.receipt).await {
                        tracing::error!(error = ?e, message_id = %received.id, "delete failed; the message will be redelivered");
                    }
                }
                Err(e) => {
                    tracing::error!(error = ?e, message_id = %received.id, attempt = received.receive_count, "message failed; retrying later");
                    let _ = queue
                        .release(from, &received.receipt, retry_delay(received.receive_count))
                        .await;
                }
            }
        }
    }
}
