//! Lambda entry point of `/api/rooms` (考场管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_rooms_api::AREA, vslc_rooms_api::routes).await
}
