//! Lambda entry point of `/api/verify` (证书查验): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_verify_api::AREA, vslc_verify_api::routes).await
}
