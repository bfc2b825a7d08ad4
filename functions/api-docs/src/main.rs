//! Lambda entry point of `GET /api/openapi.json`: wiring only.

vslc_runtime::global_allocator!();

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    vslc_runtime::lambda::init_tracing(true);
    lambda_http::run(vslc_api_docs::router()).await
}
