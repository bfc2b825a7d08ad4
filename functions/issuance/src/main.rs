//! Lambda entry point of `/api/issuance` (证书发放管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_issuance_api::AREA, vslc_issuance_api::routes).await
}
