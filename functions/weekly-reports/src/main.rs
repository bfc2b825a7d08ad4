//! Lambda entry point of `/api/weekly-reports` (周报管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(
        vslc_weekly_reports_api::AREA,
        vslc_weekly_reports_api::routes,
    )
    .await
}
