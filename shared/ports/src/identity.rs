//! `IdentityCheck`: compares a candidate's name, ID number and photo with
//! the authority's records (公安 photo comparison). The embedded rule set and
//! the HTTPS adapter arrive with candidate management.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// What is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityRequest {
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    /// The photo's bytes (JPEG or PNG).
    #[serde(skip)]
    pub photo: Vec<u8>,
}

/// The verdict: 信息准确, or 需人工确认 with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "camelCase")]
pub enum IdentityVerdict {
    Accurate,
    NeedsManualReview { reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("identity service unavailable")]
    Unavailable(#[source] anyhow::Error),
}

#[async_trait]
pub trait IdentityCheck: Send + Sync {
    async fn check(&self, request: &IdentityRequest) -> Result<IdentityVerdict, IdentityError>;
}
