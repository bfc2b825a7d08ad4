//! Lambda entry point of `/api/sites` (考核站点): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_sites_api::AREA, vslc_sites_api::routes).await
}
