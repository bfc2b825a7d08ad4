//! Lambda entry point of `/api/certificates` (证书信息管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_certificates_api::AREA, vslc_certificates_api::routes).await
}
