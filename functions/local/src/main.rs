//! `vslc-local`: the whole platform on this machine. Wiring only.

vslc_runtime::global_allocator!();

use std::sync::Arc;

use vslc_app::seed::{DEMO_PASSWORD, demo_accounts};
use vslc_ports::SystemClock;
use vslc_ports::config::{Backend, Config};

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn main() -> anyhow::Result<()> {
    vslc_runtime::server_runtime()?.block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    // `vslc-local --print-openapi`: the API document, for the web client's types.
    if std::env::args().any(|a| a == "--print-openapi") {
        println!("{}", vslc_api_docs::openapi_json());
        return Ok(());
    }
    vslc_runtime::lambda::init_tracing(false);
    let mut config = Config::from_env(Backend::Embedded)?;
    let create = std::env::args().any(|a| a == "--create-resources");
    let place = match config.backend {
        Backend::Embedded => {
            anyhow::ensure!(!create, "--create-resources is for VSLC_BACKEND=aws");
            format!("data directory {}", config.data_dir.display())
        }
        Backend::Aws => {
            // Never implicitly: the table, buckets and queues are created
            // only when asked (moto, or a developer's own account).
            if create {
                vslc_runtime::provision(&mut config).await?;
            } else {
                anyhow::ensure!(
                    !config.queue_urls.is_empty(),
                    "VSLC_BACKEND=aws needs the queue URLs (VSLC_QUEUE_URL_IMPORTS, …) \
                     of an existing stack, or --create-resources to create the table, \
                     buckets and queues"
                );
            }
            format!(
                "DynamoDB table {}, S3 buckets {} and {}{}",
                config.table,
                config.upload_bucket,
                config.document_bucket,
                config
                    .aws_endpoint
                    .as_deref()
                    .map(|e| format!(" at {e}"))
                    .unwrap_or_default()
            )
        }
    };
    let show_accounts = config.seed_demo;
    let running = vslc_local::start(config, Arc::new(SystemClock)).await?;
    println!("vslc-local listening on {}", running.base_url);
    println!("  storage:        {place}");
    println!("  API document:   {}/api/openapi.json", running.base_url);
    if show_accounts {
        println!(
            "  demo accounts (password {DEMO_PASSWORD}){}:",
            if running.seeded { ", just seeded" } else { "" }
        );
        for a in demo_accounts() {
            println!(
                "    {:<15} {}（{}，{}）",
                a.account,
                a.name,
                a.tenant_name,
                a.role.label()
            );
        }
    }
    shutdown_signal().await;
    println!("vslc-local stopping…");
    running.shutdown().await
}
