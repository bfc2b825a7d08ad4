//! Lambda entry point of `/api/auth` (登录认证): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_auth_api::AREA, vslc_auth_api::routes).await
}
