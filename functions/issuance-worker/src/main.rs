//! Lambda entry point of `issuance-worker`: certificate generation and
//! sealing steps from the issuance queue; wiring only.

vslc_runtime::global_allocator!();

use vslc_issuance::worker::IssuanceWorker;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_runtime::lambda::run_worker(IssuanceWorker::new).await
}
