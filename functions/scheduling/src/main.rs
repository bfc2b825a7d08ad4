//! Lambda entry point of `/api/scheduling` (排考管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_scheduling_api::AREA, vslc_scheduling_api::routes).await
}
