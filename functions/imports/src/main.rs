//! Lambda entry point of `/api/imports` (批量导入): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_imports_api::AREA, vslc_imports_api::routes).await
}
