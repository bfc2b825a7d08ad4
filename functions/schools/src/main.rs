//! Lambda entry point of `/api/schools` (试点院校): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_schools_api::AREA, vslc_schools_api::routes).await
}
