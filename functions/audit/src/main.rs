//! Lambda entry point of `/api/audit` (操作日志): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_audit_api::AREA, vslc_audit_api::routes).await
}
