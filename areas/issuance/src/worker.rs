//! Certificate issuance steps (证书生成中 → 完成发放 | 盖章失败), chained
//! through the issuance queue. The steps arrive with the issuance issue; a
//! message this version does not know fails, is retried, and ends in the
//! dead-letter queue where an operator can see it — it is never dropped.

use async_trait::async_trait;
use serde::Deserialize;

use vslc_ports::AppState;
use vslc_ports::queue::QueueName;
use vslc_ports::worker::{Message, Worker};

/// A step message: `{"step": "...", ...}`.
#[derive(Debug, Deserialize)]
struct Step {
    step: String,
}

pub struct IssuanceWorker {
    #[allow(dead_code)]
    state: AppState,
}

impl IssuanceWorker {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[async_trait]
impl Worker for IssuanceWorker {
    fn queue(&self) -> QueueName {
        QueueName::Issuance
    }

    async fn handle(&self, message: &Message) -> anyhow::Result<()> {
        let step: Step = serde_json::from_str(&message.body)
            .map_err(|e| anyhow::anyhow!("not an issuance step: {e}"))?;
        anyhow::bail!("unknown issuance step `{}`", step.step)
    }
}
