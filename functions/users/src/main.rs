//! Lambda entry point of `/api/users` (用户管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_users_api::AREA, vslc_users_api::routes).await
}
