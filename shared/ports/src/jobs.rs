//! Scheduled jobs and the closing steps they run: `period-closer` runs on an
//! EventBridge schedule in AWS and on an in-process timer locally, calling
//! the same `run`; each area with a deadline adds a `Closer`.

use async_trait::async_trait;
use serde::Serialize;

use crate::state::AppState;

/// What a run did, returned to the scheduler and logged.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct JobReport {
    pub job: String,
    pub ran_at: String,
    /// One line per closing step: what it closed.
    pub steps: Vec<String>,
}

#[async_trait]
pub trait ScheduledJob: Send + Sync {
    fn name(&self) -> &'static str;
    async fn run(&self) -> anyhow::Result<JobReport>;
}

/// One thing the period closer closes (weekly-report periods, score
/// publicity periods …); each area that has such a deadline adds one.
#[async_trait]
pub trait Closer: Send + Sync {
    fn name(&self) -> &'static str;
    /// Closes whatever ended before now; returns how many records changed.
    async fn close_ended(&self, state: &AppState) -> anyhow::Result<usize>;
}
