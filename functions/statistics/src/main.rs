//! Lambda entry point of `/api/statistics` (统计分析): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_statistics_api::AREA, vslc_statistics_api::routes).await
}
