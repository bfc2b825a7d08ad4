//! Workers: `handle(message)` once per delivery. Delivery is at least once,
//! so every worker is idempotent. On Lambda the SQS event source feeds it
//! (`vslc_runtime::lambda::run_worker`); locally `vslc_runtime::worker::consume`
//! drains the embedded queue.

use std::time::Duration;

use async_trait::async_trait;

use crate::queue::QueueName;

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
