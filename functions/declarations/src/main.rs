//! Lambda entry point of `/api/declarations` (证书试点申报): wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::run_http(vslc_declarations_api::AREA, vslc_declarations_api::routes).await
}
