//! 审核记录: every submit, withdraw and review decision on a declaration or
//! weekly report, kept on the record itself and shown in its 审核记录 tab.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_ports::Caller;
use vslc_ports::DomainError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRecord {
    /// 操作时间.
    pub at: String,
    /// 操作人.
    pub by: String,
    /// 操作单位.
    pub unit: String,
    /// 操作: 提交 / 撤回 / 市级审核通过 / 审核通过 / 审核退回.
    pub action: String,
    /// 操作后的状态.
    pub status: String,
    /// 退回原因.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ReviewRecord {
    pub fn new(caller: &Caller, at: String, action: &str, status: &str) -> Self {
        Self {
            at,
            by: caller.name.clone(),
            unit: caller.tenant_name.clone(),
            action: action.into(),
            status: status.into(),
            reason: None,
        }
    }

    pub fn with_reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// Input of every 退回.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReturnInput {
    pub reason: String,
}

impl ReturnInput {
    /// The reason, trimmed: required, at most 500 characters.
    pub fn checked(&self) -> Result<&str, DomainError> {
        let reason = self.reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(DomainError::invalid(
                "BAD_REASON",
                "请填写退回原因（不超过500个字符）",
            ));
        }
        Ok(reason)
    }
}

/// The history with one more record.
pub fn appended(history: &[ReviewRecord], record: ReviewRecord) -> Vec<ReviewRecord> {
    let mut all = history.to_vec();
    all.push(record);
    all
}
