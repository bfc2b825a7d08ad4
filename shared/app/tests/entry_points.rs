//! The Lambda entry points against the sample events in `events/`.

use std::sync::Arc;

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use aws_lambda_events::event::sqs::SqsEvent;
use tower::ServiceExt;
use vslc_app::closers;
use vslc_http::area::{self, Area, AreaRouter};
use vslc_imports::worker::ImportWorker;
use vslc_ports::AppState;
use vslc_ports::SystemClock;
use vslc_ports::config::{Backend, Config};
use vslc_ports::jobs::ScheduledJob;
use vslc_ports::table::Key;
use vslc_runtime::jobs::{JOB_PK, PeriodCloser};

fn event(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../events")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn embedded_state(dir: &std::path::Path) -> AppState {
    let mut config = Config::from_env(Backend::Embedded).unwrap();
    config.data_dir = dir.to_path_buf();
    vslc_runtime::embedded(config, Arc::new(SystemClock), "http://127.0.0.1:1")
        .unwrap()
        .0
}

#[tokio::test]
async fn sqs_batches_report_only_the_failed_messages() {
    let dir = tempfile::tempdir().unwrap();
    let worker = ImportWorker::new(embedded_state(dir.path()), vslc_app::import_kinds());
    let batch: SqsEvent = serde_json::from_str(&event("sqs-imports.json")).unwrap();
    let response = vslc_runtime::lambda::handle_sqs_batch(&worker, batch).await;
    let failed: Vec<_> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    // An upload without a record and S3's test event are done; garbage is retried.
    assert_eq!(failed, vec!["3f5a6c7d-0000-4b8e-9c1d-2e3f4a5b6c7d"]);
}

#[tokio::test]
async fn api_gateway_v2_requests_reach_the_area_router() {
    let dir = tempfile::tempdir().unwrap();
    let area = Area {
        name: "candidates",
        prefix: "/api/candidates",
        title: "考生管理",
    };
    let (router, _) = vslc_audit::router::finish(
        vslc_audit::router::mount(area, AreaRouter::new()),
        embedded_state(dir.path()),
    );
    let request = lambda_http::request::from_str(&event("apigw-v2-health.json")).unwrap();
    let response = area::layers(router).oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn the_schedule_event_runs_the_period_closer() {
    let dir = tempfile::tempdir().unwrap();
    let state = embedded_state(dir.path());
    let tick: EventBridgeEvent<serde_json::Value> =
        serde_json::from_str(&event("schedule.json")).unwrap();
    assert_eq!(tick.detail_type, "Scheduled Event");
    let report = PeriodCloser::new(state.clone(), closers())
        .run()
        .await
        .unwrap();
    assert_eq!(report.job, "period-closer");
    let last = state
        .table
        .get(&Key::new(JOB_PK, "LAST_RUN"))
        .await
        .unwrap()
        .expect("run recorded");
    assert_eq!(last["ranAt"], serde_json::json!(report.ran_at));
}

#[test]
fn s3_event_keys_decode() {
    let keys = vslc_imports::worker::event_keys(&event("s3-object-created.json")).unwrap();
    assert_eq!(
        keys,
        vec!["imports/school/10009/01JDEMO0000000000000000000.xlsx"]
    );
}
