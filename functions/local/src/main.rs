//! `vslc-local`: the whole platform on this machine. Wiring only.
//!
//! Flags: `--print-openapi` (the API document), `--create-resources` (with
//! `VSLC_BACKEND=aws`: the table, buckets and queues), `--seed-only` (the
//! demo tenants and their administrators, then exit).

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

fn print_accounts(just_seeded: bool) {
    println!(
        "  demo accounts (password {DEMO_PASSWORD}){}:",
        if just_seeded { ", just seeded" } else { "" }
    );
    let scheduling = vslc_app::seed::scheduling::accounts();
    for a in demo_accounts().into_iter().chain(scheduling) {
        println!(
            "    {:<15} {}（{}，{}）",
            a.account,
            a.name,
            a.tenant_name,
            a.role.label()
        );
    }
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
    let flag = |name: &str| std::env::args().any(|a| a == name);
    let (create, seed_only) = (flag("--create-resources"), flag("--seed-only"));
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
            } else if !seed_only {
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
    // `--seed-only`: the demo tenants and their administrators into the
    // store (a first deployment's), then exit.
    if seed_only {
        let state = vslc_runtime::open(config, Arc::new(SystemClock)).await?;
        let seeded = vslc_app::seed::seed_demo(&state).await?;
        println!("storage: {place}");
        print_accounts(seeded);
        return Ok(());
    }
    let show_accounts = config.seed_demo;
    // Browser tests move the server to an exam day (never in the cloud).
    let clock: Arc<dyn vslc_ports::Clock> = if std::env::var("VSLC_DEV_CLOCK").as_deref() == Ok("1")
    {
        let shifted = Arc::new(vslc_ports::ShiftedClock::default());
        let _ = vslc_local::DEV_CLOCK.set(shifted.clone());
        shifted
    } else {
        Arc::new(SystemClock)
    };
    let running = vslc_local::start(config, clock).await?;
    println!("vslc-local listening on {}", running.base_url);
    println!("  storage:        {place}");
    println!("  API document:   {}/api/openapi.json", running.base_url);
    if show_accounts {
        print_accounts(running.seeded);
    }
    shutdown_signal().await;
    println!("vslc-local stopping…");
    running.shutdown().await
}
