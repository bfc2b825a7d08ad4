//! `Sms`: text messages to phones (verification codes).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsMessage {
    pub phone: String,
    pub text: String,
    pub sent_at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("sms backend error")]
    Backend(#[source] anyhow::Error),
}

#[async_trait]
pub trait Sms: Send + Sync {
    async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError>;
}
