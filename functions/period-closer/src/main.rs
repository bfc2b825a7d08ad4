//! Lambda entry point of `period-closer`: runs on the EventBridge
//! schedule; wiring only.

vslc_runtime::global_allocator!();

use vslc_app::closers;
use vslc_runtime::jobs::PeriodCloser;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_runtime::lambda::run_schedule(|state| PeriodCloser::new(state, closers())).await
}
