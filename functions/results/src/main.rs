//! Lambda entry point of `/api/results` (考证结果): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_results_api::AREA, vslc_results_api::routes).await
}
