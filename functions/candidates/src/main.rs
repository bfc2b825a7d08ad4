//! Lambda entry point of `/api/candidates` (考生管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_candidates_api::AREA, vslc_candidates_api::routes).await
}
