//! Lambda entry point of `/api/registrations` (报考管理): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_registrations_api::AREA, vslc_registrations_api::routes)
        .await
}
