//! Lambda entry point of `/api/scores` (科目成绩): wiring only.

vslc_shared::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_shared::lambda::run_http(vslc_scores_api::AREA, vslc_scores_api::routes).await
}
