//! Lambda entry point of `import-worker`: S3 object-created events arrive
//! through the imports queue; wiring only.

vslc_runtime::global_allocator!();

use vslc_imports::worker::ImportWorker;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_runtime::lambda::run_worker(|state| ImportWorker::new(state, vslc_app::import_kinds()))
        .await
}
