//! The period closer (a `ScheduledJob` running the areas' `Closer`s, which
//! the composition root lists) and the local stand-in for its schedule.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;
use vslc_ports::AppState;
use vslc_ports::jobs::{Closer, JobReport, ScheduledJob};
use vslc_ports::table::{Key, to_item};

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
