//! Lambda entry point of `/api/scores` (科目成绩): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_scores_api::AREA, vslc_scores_api::routes).await
}
