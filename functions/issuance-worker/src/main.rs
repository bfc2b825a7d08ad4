//! Lambda entry point of `issuance-worker`: certificate generation and
//! sealing steps from the issuance queue; wiring only.

vslc_shared::global_allocator!();

use vslc_shared::issuance::IssuanceWorker;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_shared::lambda::run_worker(IssuanceWorker::new).await
}
