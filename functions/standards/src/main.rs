//! Lambda entry point of `/api/standards` (标准管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_standards_api::AREA, vslc_standards_api::routes).await
}
