//! Lambda entry point of `identity-worker`: candidates' identity checks
//! (认证) from the identity queue; wiring only.

vslc_shared::global_allocator!();

use vslc_shared::candidates::identity::IdentityWorker;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_shared::lambda::run_worker(IdentityWorker::new).await
}
