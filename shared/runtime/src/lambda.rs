//! Lambda entry points: an HTTP area, an SQS worker with partial batch
//! failure reporting, and a scheduled job. Each binary's `main` calls one.

use std::sync::Arc;

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use lambda_runtime::{LambdaEvent, service_fn};

use vslc_audit::router::{finish, mount};
use vslc_http::area::{self, Area, AreaRouter};
use vslc_ports::AppState;
use vslc_ports::jobs::ScheduledJob;
use vslc_ports::worker::{Message, Worker};

/// Logs as JSON lines (CloudWatch) or readable text (local), filtered by
/// `RUST_LOG`. On Lambda every line an invocation logs carries its request
/// id (`span.requestId`, from the runtime's per-invocation span, which is
/// kept whatever level `RUST_LOG` asks for).
pub fn init_tracing(json: bool) {
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,aws_config=warn,aws_smithy_runtime=warn")
    });
    if json && let Ok(span) = "lambda_runtime::layers::trace=info".parse() {
        filter = filter.add_directive(span);
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if json {
        builder.json().without_time().try_init()
    } else {
        builder.try_init()
    };
}

/// Serves one area on Lambda behind the HTTP API.
pub async fn run_http(area: Area, routes: fn() -> AreaRouter) -> Result<(), lambda_http::Error> {
    init_tracing(true);
    let state = crate::from_env().await?;
    let (router, _) = finish(mount(area, routes()), state);
    let router = area::layers(router.fallback(area::no_route));
    lambda_http::run(router).await
}

/// Handles an SQS batch; failed messages are reported so that only they
/// return to the queue (and reach the DLQ after `maxReceiveCount`).
pub async fn handle_sqs_batch(worker: &dyn Worker, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let message = Message {
            id: id.clone(),
            body: record.body.unwrap_or_default(),
            receive_count: record
                .attributes
                .get("ApproximateReceiveCount")
                .and_then(|c| c.parse().ok())
                .unwrap_or(1),
        };
        // A panic fails this message alone (it is retried, then dead-lettered).
        let handled = futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(
            worker.handle(&message),
        ))
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("worker panicked")));
        if let Err(e) = handled {
            tracing::error!(message_id = %id, error = ?e, "message failed; it will be retried");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

/// Runs a worker on Lambda's SQS event source.
pub async fn run_worker<W: Worker + 'static>(
    build: impl FnOnce(AppState) -> W,
) -> Result<(), lambda_runtime::Error> {
    init_tracing(true);
    let worker = Arc::new(build(crate::from_env().await?));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let worker = worker.clone();
        async move {
            Ok::<_, lambda_runtime::Error>(handle_sqs_batch(worker.as_ref(), event.payload).await)
        }
    }))
    .await
}

/// Runs a scheduled job on Lambda's EventBridge schedule.
pub async fn run_schedule<J: ScheduledJob + 'static>(
    build: impl FnOnce(AppState) -> J,
) -> Result<(), lambda_runtime::Error> {
    init_tracing(true);
    let job = Arc::new(build(crate::from_env().await?));
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<EventBridgeEvent<serde_json::Value>>| {
            let job = job.clone();
            async move {
                tracing::info!(detail_type = %event.payload.detail_type, "scheduled run");
                let report = job
                    .run()
                    .await
                    .map_err(|e| lambda_runtime::Error::from(format!("{e:#}")))?;
                Ok::<_, lambda_runtime::Error>(report)
            }
        },
    ))
    .await
}
