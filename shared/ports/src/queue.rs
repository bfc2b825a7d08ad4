//! `Queue`: durable work queues with visibility timeout, retries and a
//! dead-letter queue (SQS in the cloud, redb locally).

use std::time::Duration;

use async_trait::async_trait;

/// The platform's queues. Each has a dead-letter queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueName {
    /// Uploaded bulk files waiting for `import-worker`.
    Imports,
    /// Certificate generation and sealing steps for `issuance-worker`.
    Issuance,
    /// Identity checks of candidates.
    Identity,
    /// Whole-plan print jobs (a zip of rooms' documents) for `print-worker`.
    Prints,
}

impl QueueName {
    pub const ALL: [QueueName; 4] = [
        QueueName::Imports,
        QueueName::Issuance,
        QueueName::Identity,
        QueueName::Prints,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QueueName::Imports => "imports",
            QueueName::Issuance => "issuance",
            QueueName::Identity => "identity",
            QueueName::Prints => "prints",
        }
    }
}

/// Where a message goes: the queue itself or its dead-letter queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueueRef {
    pub name: QueueName,
    pub dead_letter: bool,
}

impl QueueRef {
    pub fn main(name: QueueName) -> Self {
        Self {
            name,
            dead_letter: false,
        }
    }
    pub fn dlq(name: QueueName) -> Self {
        Self {
            name,
            dead_letter: true,
        }
    }
    /// Name of the queue as created (`imports`, `imports-dlq`).
    pub fn physical_name(self) -> String {
        if self.dead_letter {
            format!("{}-dlq", self.name.as_str())
        } else {
            self.name.as_str().to_owned()
        }
    }
}

/// A received message. `receipt` deletes it or changes its visibility and is
/// only good for this delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub id: String,
    pub body: String,
    pub receipt: String,
    /// How many times it has been received, this time included (from 1).
    pub receive_count: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("message too large ({0} bytes, at most 256 KiB)")]
    TooLarge(usize),
    #[error("queue backend error")]
    Backend(#[source] anyhow::Error),
}

/// Largest message body, as in SQS.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

/// Retries and visibility of a queue, fixed when it is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueuePolicy {
    pub visibility_timeout: Duration,
    /// A message received this many times without being deleted goes to the
    /// dead-letter queue instead of being delivered again.
    pub max_receive_count: u32,
}

impl Default for QueuePolicy {
    fn default() -> Self {
        Self {
            visibility_timeout: Duration::from_secs(300),
            max_receive_count: 5,
        }
    }
}

#[async_trait]
pub trait Queue: Send + Sync {
    /// Sends the bodies (chunked by 10 on SQS); returns the message ids.
    async fn send_batch(
        &self,
        queue: QueueRef,
        bodies: Vec<String>,
    ) -> Result<Vec<String>, QueueError>;
    /// Up to `max` visible messages (at most 10), waiting up to `wait` for one.
    async fn receive(
        &self,
        queue: QueueRef,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Received>, QueueError>;
    /// Done: the message is gone for good.
    async fn delete(&self, queue: QueueRef, receipt: &str) -> Result<(), QueueError>;
    /// Make a received message visible again after `after` (0: now).
    async fn release(
        &self,
        queue: QueueRef,
        receipt: &str,
        after: Duration,
    ) -> Result<(), QueueError>;
}

/// Convenience for one message.
pub async fn send(queue: &dyn Queue, to: QueueRef, body: String) -> Result<String, QueueError> {
    let mut ids = queue.send_batch(to, vec![body]).await?;
    ids.pop()
        .ok_or_else(|| QueueError::Backend(anyhow::anyhow!("queue returned no message id")))
}

pub fn check_body(body: &str) -> Result<(), QueueError> {
    if body.len() > MAX_MESSAGE_BYTES {
        Err(QueueError::TooLarge(body.len()))
    } else {
        Ok(())
    }
}
