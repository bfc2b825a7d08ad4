//! The local consumer: drains a worker's queue the way the SQS event source
//! does on Lambda (one delivery at a time, failures released for a retry).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use vslc_ports::queue::{Queue, QueueRef};
use vslc_ports::worker::{Message, Worker, retry_delay};

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
