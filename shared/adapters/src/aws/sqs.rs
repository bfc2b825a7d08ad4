//! `Queue` on SQS. Retries, visibility and dead-lettering are the queue's
//! own (redrive policy); in Lambda the event source mapping receives.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{
    MessageSystemAttributeName, QueueAttributeName, SendMessageBatchRequestEntry,
};

use vslc_ports::queue::{
    Queue, QueueError, QueueName, QueuePolicy, QueueRef, Received, check_body,
};

/// SQS queues by name.
#[derive(Clone)]
pub struct SqsQueue {
    client: Client,
    urls: HashMap<QueueRef, String>,
}

fn backend(e: impl Into<anyhow::Error>) -> QueueError {
    QueueError::Backend(e.into())
}

impl SqsQueue {
    pub fn new(client: Client, urls: HashMap<QueueRef, String>) -> Self {
        Self { client, urls }
    }

    fn url(&self, q: QueueRef) -> Result<&str, QueueError> {
        self.urls.get(&q).map(String::as_str).ok_or_else(|| {
            backend(anyhow::anyhow!(
                "no URL configured for queue {}",
                q.physical_name()
            ))
        })
    }

    /// Creates each queue and its DLQ with the redrive policy (tests and
    /// local emulators; production queues come from the SAM template).
    pub async fn create_queues(
        client: &Client,
        prefix: &str,
        policies: &HashMap<QueueName, QueuePolicy>,
    ) -> anyhow::Result<HashMap<QueueRef, String>> {
        let mut urls = HashMap::new();
        for name in QueueName::ALL {
            let policy = policies.get(&name).copied().unwrap_or_default();
            let dlq = QueueRef::dlq(name);
            let dlq_url = client
                .create_queue()
                .queue_name(format!("{prefix}{}", dlq.physical_name()))
                .send()
                .await?
                .queue_url()
                .context("queue URL")?
                .to_owned();
            let arn = queue_arn(client, &dlq_url).await?;
            let redrive = serde_json::json!({"deadLetterTargetArn": arn, "maxReceiveCount": policy.max_receive_count.to_string()});
            let url = client
                .create_queue()
                .queue_name(format!("{prefix}{}", name.as_str()))
                .attributes(
                    QueueAttributeName::VisibilityTimeout,
                    policy.visibility_timeout.as_secs().to_string(),
                )
                .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
                .send()
                .await?
                .queue_url()
                .context("queue URL")?
                .to_owned();
            urls.insert(QueueRef::main(name), url);
            urls.insert(dlq, dlq_url);
        }
        Ok(urls)
    }
}

/// A queue's ARN (for redrive policies and notifications).
pub(super) async fn queue_arn(client: &Client, url: &str) -> anyhow::Result<String> {
    client
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await?
        .attributes()
        .and_then(|a| a.get(&QueueAttributeName::QueueArn))
        .cloned()
        .context("queue ARN")
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send_batch(
        &self,
        queue: QueueRef,
        bodies: Vec<String>,
    ) -> Result<Vec<String>, QueueError> {
        for b in &bodies {
            check_body(b)?;
        }
        let url = self.url(queue)?;
        let mut ids = Vec::with_capacity(bodies.len());
        for chunk in bodies.chunks(10) {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    SendMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .message_body(b)
                        .build()
                        .map_err(backend)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let out = self
                .client
                .send_message_batch()
                .queue_url(url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(backend)?;
            if let Some(f) = out.failed().first() {
                return Err(backend(anyhow::anyhow!(
                    "message {} not sent: {}",
                    f.id(),
                    f.message().unwrap_or_default()
                )));
            }
            let mut ok: Vec<_> = out
                .successful()
                .iter()
                .map(|s| {
                    (
                        s.id().parse::<usize>().unwrap_or(0),
                        s.message_id().to_owned(),
                    )
                })
                .collect();
            ok.sort();
            ids.extend(ok.into_iter().map(|(_, id)| id));
        }
        Ok(ids)
    }

    async fn receive(
        &self,
        queue: QueueRef,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Received>, QueueError> {
        let out = self
            .client
            .receive_message()
            .queue_url(self.url(queue)?)
            .max_number_of_messages(max.clamp(1, 10) as i32)
            .wait_time_seconds(wait.as_secs().min(20) as i32)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(backend)?;
        Ok(out
            .messages()
            .iter()
            .map(|m| Received {
                id: m.message_id().unwrap_or_default().to_owned(),
                body: m.body().unwrap_or_default().to_owned(),
                receipt: m.receipt_handle().unwrap_or_default().to_owned(),
                receive_count: m
                    .attributes()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1),
            })
            .collect())
    }

    async fn delete(&self, queue: QueueRef, receipt: &str) -> Result<(), QueueError> {
        self.client
            .delete_message()
            .queue_url(self.url(queue)?)
            .receipt_handle(receipt)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn release(
        &self,
        queue: QueueRef,
        receipt: &str,
        after: Duration,
    ) -> Result<(), QueueError> {
        self.client
            .change_message_visibility()
            .queue_url(self.url(queue)?)
            .receipt_handle(receipt)
            .visibility_timeout(after.as_secs().min(43_200) as i32)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }
}
