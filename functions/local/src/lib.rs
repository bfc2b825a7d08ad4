//! `vslc-local`: every area's router, the signed blob URLs, the queue
//! workers and the scheduled job in one process, on embedded storage or on
//! DynamoDB, S3 and SQS.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use utoipa_axum::router::OpenApiRouter;
use vslc_adapters::embedded::{BlobServer, Notify};
use vslc_adapters::sms_outbox::OutboxSms;
use vslc_app::closers;
use vslc_http::{ApiResult, area};
use vslc_imports::worker::ImportWorker;
use vslc_issuance::worker::IssuanceWorker;
use vslc_ports::AppState;
use vslc_ports::config::{Backend, Config};
use vslc_ports::jobs::ScheduledJob;
use vslc_ports::worker::Worker;
use vslc_ports::{Clock, QueueName, QueueRef, SmsMessage};
use vslc_runtime::jobs::PeriodCloser;
use vslc_runtime::worker::consume;

/// A running dev server.
pub struct Running {
    pub addr: SocketAddr,
    pub base_url: String,
    pub state: AppState,
    /// True when this start seeded the demo data into an empty store.
    pub seeded: bool,
    stop: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting requests, lets in-flight requests and messages finish,
    /// and closes the store.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        self.server.await.context("server task")??;
        for t in self.tasks {
            let _ = t.await;
        }
        Ok(())
    }
}

/// `GET /api/dev/sms`: the SMS outbox (local mode only).
async fn dev_sms(State(sms): State<Arc<OutboxSms>>) -> ApiResult<axum::Json<Vec<SmsMessage>>> {
    Ok(axum::Json(sms.recent(50).await?))
}

/// The dev server's movable clock (`VSLC_DEV_CLOCK=1`, set by `main`).
pub static DEV_CLOCK: std::sync::OnceLock<Arc<vslc_ports::ShiftedClock>> =
    std::sync::OnceLock::new();

#[derive(serde::Deserialize)]
struct DevClock {
    /// RFC 3339; absent or null: back to the system time.
    at: Option<String>,
}

/// `POST /api/dev/clock {"at": "2026-12-12T08:30:00+08:00"}`: browser tests
/// move the dev server to an exam day (only with `VSLC_DEV_CLOCK=1`).
async fn dev_clock(axum::Json(req): axum::Json<DevClock>) -> axum::http::StatusCode {
    let Some(clock) = DEV_CLOCK.get() else {
        return axum::http::StatusCode::NOT_FOUND;
    };
    let at = match req.at.as_deref().map(chrono::DateTime::parse_from_rfc3339) {
        Some(Ok(t)) => Some(t.to_utc()),
        Some(Err(_)) => return axum::http::StatusCode::BAD_REQUEST,
        None => None,
    };
    clock.set_now(at);
    axum::http::StatusCode::NO_CONTENT
}

/// Where the built web front-end is, if it was built.
fn web_dist() -> Option<PathBuf> {
    let candidates = [
        std::env::var("VSLC_WEB_DIR").ok().map(PathBuf::from),
        Some(PathBuf::from("web/dist")),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/dist")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("index.html").is_file())
}

const LANDING: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>vslc</title>\
<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\"><h1>职业技能等级证书信息管理服务平台 (vslc)</h1>\
<p>后端已启动。网页前端尚未构建（<code>web/dist</code> 不存在）。</p>\
<ul><li><a href=\"/api/openapi.json\">API 文档 /api/openapi.json</a></li><li><a href=\"/api/auth/health\">/api/auth/health</a></li></ul></body></html>";

/// The whole platform's router on this state.
pub fn router(state: &AppState, blobs: Option<BlobServer>) -> Router {
    let mut api = OpenApiRouter::new();
    for (a, routes) in vslc_api_docs::areas::all() {
        api = api.merge(vslc_audit::router::mount(a, routes()));
    }
    let (api, _) = vslc_audit::router::finish(api, state.clone());
    let sms = Arc::new(OutboxSms::new(state.table.clone(), state.clock.clone()));
    let mut dev = Router::new()
        .route("/api/dev/sms", get(dev_sms))
        .with_state(sms);
    if DEV_CLOCK.get().is_some() {
        dev = dev.route("/api/dev/clock", axum::routing::post(dev_clock));
    }
    let mut app = api.merge(vslc_api_docs::router()).merge(dev);
    if let Some(blobs) = blobs {
        app = app.merge(blobs.router());
    }
    app = app.route("/api/{*rest}", axum::routing::any(area::no_route));
    app = match web_dist() {
        Some(dir) => {
            let index = dir.join("index.html");
            app.fallback_service(
                tower_http::services::ServeDir::new(dir)
                    .fallback(tower_http::services::ServeFile::new(index)),
            )
        }
        None => app.fallback(|| async { axum::response::Html(LANDING) }),
    };
    area::layers(app)
}

/// The embedded ports, with the queue's in-flight messages recovered, and
/// the server of their signed blob URLs (which also tells the imports queue
/// of each upload, as S3's notification does).
async fn embedded(
    config: Config,
    clock: Arc<dyn Clock>,
    base_url: &str,
) -> anyhow::Result<(AppState, BlobServer)> {
    let (state, parts) = vslc_runtime::embedded(config, clock.clone(), base_url)?;
    let recovered = parts.queue.recover_in_flight().await?;
    if recovered > 0 {
        tracing::warn!(
            recovered,
            "messages in flight when the last process stopped are queued again"
        );
    }
    let blobs = BlobServer {
        signer: parts.signer.clone(),
        buckets: [state.uploads.clone(), state.documents.clone()]
            .into_iter()
            .map(|b| (b.bucket().to_owned(), b))
            .collect(),
        clock,
        notify: Some(Notify {
            bucket: state.uploads.bucket().to_owned(),
            prefix: vslc_ports::blobs::IMPORT_UPLOADS.into(),
            queue: state.queue.clone(),
            to: QueueRef::main(QueueName::Imports),
        }),
    };
    Ok((state, blobs))
}

/// Starts the dev server: binds, opens the ports (embedded, or DynamoDB, S3
/// and SQS with `VSLC_BACKEND=aws`), seeds demo data into an empty store,
/// starts the queue consumers and the timer.
pub async fn start(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Running> {
    let listener = tokio::net::TcpListener::bind((config.bind.as_str(), config.port))
        .await
        .with_context(|| format!("binding {}:{}", config.bind, config.port))?;
    let addr = listener.local_addr()?;
    let base_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let seed = config.seed_demo;
    let (closer_every, workers) = (config.period_closer_interval, config.workers);
    let (state, blobs, wait) = match config.backend {
        Backend::Embedded => {
            let (state, blobs) = embedded(config, clock, &base_url).await?;
            (state, Some(blobs), Duration::from_secs(1))
        }
        // Presigned URLs point at S3 itself; consumers long-poll SQS.
        Backend::Aws => (
            vslc_runtime::aws(config, clock).await?,
            None,
            Duration::from_secs(20),
        ),
    };
    let seeded = if seed {
        vslc_app::seed::seed_demo(&state).await?
    } else {
        false
    };
    let app = router(&state, blobs);

    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    // Each worker with the template's batch size; imports get `workers`
    // consumers, as Lambda would run several at once.
    let consumers: [(Arc<dyn Worker>, usize, usize); 4] = [
        (
            Arc::new(ImportWorker::new(state.clone(), vslc_app::import_kinds())),
            1,
            workers,
        ),
        (
            Arc::new(vslc_candidates::identity::IdentityWorker::new(
                state.clone(),
            )),
            10,
            1,
        ),
        (Arc::new(IssuanceWorker::new(state.clone())), 10, 1),
        (
            Arc::new(vslc_scheduling::print::job::PrintWorker::new(state.clone())),
            1,
            1,
        ),
    ];
    for (worker, batch, count) in consumers {
        for _ in 0..count {
            tasks.push(tokio::spawn(consume(
                state.queue.clone(),
                worker.clone(),
                batch,
                wait,
                stop_rx.clone(),
            )));
        }
    }
    let closer: Arc<dyn ScheduledJob> = Arc::new(PeriodCloser::new(state.clone(), closers()));
    tasks.push(tokio::spawn(vslc_runtime::jobs::every(
        closer,
        closer_every,
        stop_rx.clone(),
    )));

    let mut server_stop = stop_rx;
    let server = tokio::spawn(async move {
        // The peer address reaches handlers as `ConnectInfo` (`ClientAddr`).
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = server_stop.changed().await;
        })
        .await
    });
    Ok(Running {
        addr,
        base_url,
        state,
        seeded,
        stop,
        server,
        tasks,
    })
}
