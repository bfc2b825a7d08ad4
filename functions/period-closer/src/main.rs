//! Lambda entry point of `period-closer`: runs on the EventBridge
//! schedule; wiring only.

vslc_shared::global_allocator!();

use vslc_shared::jobs::{PeriodCloser, closers};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_shared::lambda::run_schedule(|state| PeriodCloser::new(state, closers())).await
}
