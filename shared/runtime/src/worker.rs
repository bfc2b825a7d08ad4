//! The local consumer: drains a worker's queue the way the SQS event source
//! does on Lambda (batches through the Lambda handler, failed messages
//! released for a retry, the rest deleted).

use std::sync::Arc;
use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use tokio::sync::watch;
use vslc_ports::queue::Received;
use vslc_ports::queue::{Queue, QueueRef};
use vslc_ports::worker::{Worker, retry_delay};

/// Drains the worker's queue until `stop` turns true, `batch_size`
/// messages at a time (the template's `BatchSize`), each receive waiting
/// up to `wait` for a message (SQS long polling: up to 20 s). A failed
/// message is made visible again after its retry delay; the queue's own
/// policy dead-letters it after its last receive. Used by the dev server.
pub async fn consume(
    queue: Arc<dyn Queue>,
    worker: Arc<dyn Worker>,
    batch_size: usize,
    wait: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let from = QueueRef::main(worker.queue());
    loop {
        if *stop.borrow() {
            return;
        }
        let batch = tokio::select! {
            r = queue.receive(from, batch_size, wait) => r,
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
        if batch.is_empty() {
            continue;
        }
        // The batch goes through the Lambda handler itself: each message on
        // its own, a panic failing that message alone, the failures reported
        // as `batchItemFailures`.
        let event = sqs_event(&batch);
        let response = crate::lambda::handle_sqs_batch(worker.as_ref(), event).await;
        for received in &batch {
            let failed = response
                .batch_item_failures
                .iter()
                .any(|f| f.item_identifier == received.id);
            if failed {
                let _ = queue
                    .release(from, &received.receipt, retry_delay(received.receive_count))
                    .await;
            } else if let Err(e) = queue.delete(from, &received.receipt).await {
                tracing::error!(error = ?e, message_id = %received.id, "delete failed; the message will be redelivered");
            }
        }
    }
}

/// The SQS event Lambda's event source would deliver for these messages.
fn sqs_event(batch: &[Received]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = batch
        .iter()
        .map(|r| {
            let mut m = SqsMessage::default();
            m.message_id = Some(r.id.clone());
            m.receipt_handle = Some(r.receipt.clone());
            m.body = Some(r.body.clone());
            m.attributes.insert(
                "ApproximateReceiveCount".into(),
                r.receive_count.to_string(),
            );
            m
        })
        .collect();
    event
}
