//! Scheduled jobs: `period-closer` runs on an EventBridge schedule in AWS and
//! on an in-process timer locally, calling the same `run`.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use tokio::sync::watch;

use crate::ports::table::{Key, to_item};
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

/// Closes ended periods. Records each run (`JOB#period-closer`) so that
/// operators can see when it last ran and what it did.
pub struct PeriodCloser {
    state: AppState,
    closers: Vec<Arc<dyn Closer>>,
}

impl PeriodCloser {
    pub fn new(state: AppState, closers: Vec<Arc<dyn Closer>>) -> Self {
        Self { state, closers }
    }
}

pub const JOB_PK: &str = "JOB#period-closer";

/// The closers of this version (score publicity periods add theirs when
/// that area lands).
pub fn closers() -> Vec<Arc<dyn Closer>> {
    vec![Arc::new(crate::weekly::closer::WeeklyReportCloser)]
}

#[async_trait]
impl ScheduledJob for PeriodCloser {
    fn name(&self) -> &'static str {
        "period-closer"
    }

    async fn run(&self) -> anyhow::Result<JobReport> {
        let mut report = JobReport {
            job: self.name().into(),
            ran_at: self.state.clock.now_cst().to_rfc3339(),
            steps: Vec::new(),
        };
        for closer in &self.closers {
            let n = closer.close_ended(&self.state).await?;
            report.steps.push(format!("{}: {n}", closer.name()));
        }
        let item = to_item(&Key::new(JOB_PK, "LAST_RUN"), &report)?;
        self.state.table.put(item, None).await?;
        tracing::info!(?report, "period closer ran");
        Ok(report)
    }
}

/// The local stand-in for the schedule: runs the job every `every` until stopped.
pub async fn every(job: Arc<dyn ScheduledJob>, every: Duration, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = job.run().await {
                    tracing::error!(job = job.name(), error = ?e, "scheduled job failed");
                }
            }
            _ = stop.changed() => return,
        }
    }
}
