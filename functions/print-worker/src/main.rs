//! Lambda entry point of `print-worker`: 批量打印 jobs from the prints
//! queue (a zip of the documents of a plan's rooms); wiring only.

vslc_runtime::global_allocator!();

use vslc_scheduling::print::job::PrintWorker;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    vslc_runtime::lambda::run_worker(PrintWorker::new).await
}
