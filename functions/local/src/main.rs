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
    let config = Config::from_env(Backend::Embedded)?;
    anyhow::ensure!(
        config.backend == Backend::Embedded,
        "vslc-local runs on embedded storage only (unset VSLC_BACKEND)"
    );
    let data_dir = config.data_dir.clone();
    let show_accounts = config.seed_demo;
    let running = vslc_local::start(config, Arc::new(SystemClock)).await?;
    println!("vslc-local listening on {}", running.base_url);
    println!("  data directory: {}", data_dir.display());
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
