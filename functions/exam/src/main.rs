//! Lambda entry point of `/api/exam` (考试科目与考试计划): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_exam_api::AREA, vslc_exam_api::routes).await
}
