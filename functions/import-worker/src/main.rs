//! Lambda entry point of `import-worker`: S3 object-created events arrive
//! through the imports queue; wiring only.

vslc_shared::global_allocator!();

use vslc_shared::imports::{registry, worker::ImportWorker};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_shared::lambda::run_worker(|state| ImportWorker::new(state, registry())).await
}
