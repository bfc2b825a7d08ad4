//! Lambda entry point of `/api/orgs` (培训评价组织): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_orgs_api::AREA, vslc_orgs_api::routes).await
}
