//! Lambda entry point of `identity-worker`: candidates' identity checks
//! (认证) from the identity queue; wiring only.

vslc_runtime::global_allocator!();

use vslc_candidates::identity::IdentityWorker;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_runtime::lambda::run_worker(IdentityWorker::new).await
}
