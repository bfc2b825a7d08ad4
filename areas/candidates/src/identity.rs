//! 认证 / 批量认证: a 信息待认证 candidate's name, document and photo go to
//! the `IdentityCheck` port through the identity queue; the worker records
//! 信息准确, or 需人工确认 with the reason. Redelivery is harmless: a
//! candidate no longer 信息待认证 is left alone.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use vslc_ports::Caller;

use super::model::InfoStatus;
use super::service::load;
use vslc_accounts::Tenant;
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::identity::{IdentityRequest, IdentityVerdict};
use vslc_ports::queue::{QueueName, QueueRef, send};
use vslc_ports::table::Update;
use vslc_ports::worker::{Message, Worker};

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckMessage {
    school_id: String,
    candidate_no: String,
}

/// Queues the identity check of one candidate.
pub async fn request(state: &AppState, caller: &Caller, no: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let c = load(state, school, no).await?;
    c.require_status(InfoStatus::Pending, "认证")?;
    if c.checking {
        return Err(DomainError::conflict(
            "ALREADY_CHECKING",
            "该考生正在认证中，请稍候",
        ));
    }
    state
        .table
        .update(
            &c.item_key(school),
            Update::new().set("checking", true).bump_version(),
            Some(c.as_read()),
        )
        .await?;
    let body = serde_json::to_string(&CheckMessage {
        school_id: school.id.clone(),
        candidate_no: no.to_owned(),
    })
    .map_err(DomainError::internal)?;
    if let Err(e) = send(
        state.queue.as_ref(),
        QueueRef::main(QueueName::Identity),
        body,
    )
    .await
    {
        // Not queued: undo the flag so the user can try again.
        let _ = state
            .table
            .update(
                &c.item_key(school),
                Update::new().set("checking", false),
                None,
            )
            .await;
        return Err(e.into());
    }
    Ok(())
}

/// `identity-worker`.
pub struct IdentityWorker {
    state: AppState,
}

impl IdentityWorker {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[async_trait]
impl Worker for IdentityWorker {
    fn queue(&self) -> QueueName {
        QueueName::Identity
    }

    async fn handle(&self, message: &Message) -> anyhow::Result<()> {
        let m: CheckMessage = serde_json::from_str(&message.body)?;
        let school = Tenant::new(vslc_accounts::TenantKind::School, m.school_id);
        let table = self.state.table.as_ref();
        let Some(c) = super::service::find(&self.state, &school, &m.candidate_no).await? else {
            return Ok(()); // deleted meanwhile
        };
        if c.status != InfoStatus::Pending {
            return Ok(());
        }
        let photo = match &c.photo_key {
            Some(k) => self
                .state
                .documents
                .get(k)
                .await?
                .map(|b| b.bytes)
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let request = IdentityRequest {
            name: c.name.clone(),
            id_type: c.id_type.label().into(),
            id_number: c.id_number.clone(),
            photo,
        };
        let verdict = self.state.identity.check(&request).await?;
        let (status, update) = match verdict {
            IdentityVerdict::Accurate => {
                (InfoStatus::Accurate, Update::new().remove("reviewReason"))
            }
            IdentityVerdict::NeedsManualReview { reason } => (
                InfoStatus::ManualReview,
                Update::new().set("reviewReason", reason),
            ),
        };
        let update = update
            .set("checking", false)
            .set("updatedAt", self.state.clock.now_text());
        // A change since it was read (new photo) makes this result stale: retry.
        table
            .transact(c.change_status(&school, status, update).into_ops())
            .await?;
        Ok(())
    }
}
