//! Lambda entry point of `/api/invigilators` (监考人员): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_invigilators_api::AREA, vslc_invigilators_api::routes).await
}
