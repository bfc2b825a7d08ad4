//! Lambda entry point of `/api/payments` (缴费管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_payments_api::AREA, vslc_payments_api::routes).await
}
