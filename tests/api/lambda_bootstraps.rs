//! Every Lambda binary answers a real invocation: each function the SAM
//! template names is started as Lambda starts it — `AWS_LAMBDA_RUNTIME_API`
//! pointing at a runtime-API emulator on loopback, the template's
//! environment variables — and given the matching event from `events/`:
//! an API Gateway v2 request to its area's `/health`, an SQS batch, or the
//! schedule. The test checks the answer and prints each binary's cold
//! start (process start to the answer it posts) and size.
//!
//! The binaries are the workspace's debug builds (`scripts/test.sh` runs
//! `cargo build --workspace --bins` first and sets
//! `VSLC_REQUIRE_BOOTSTRAPS`); without them the test says so and skips.
//! `VSLC_BOOTSTRAP_PROFILE=release` runs the release builds instead, for the
//! README's cold-start figures.
//! The workers and the scheduled job read DynamoDB, S3 and SQS: they run
//! against moto (`VSLC_MOTO_ENDPOINT`), with a table, buckets and queues
//! made for this run.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::{Value, json};

/// What a function posted back for an invocation.
#[derive(Debug, Clone)]
enum Outcome {
    Response(Value),
    Error(String),
}

/// A runtime API with one function's queue of events.
#[derive(Default)]
struct Runtime {
    pending: Mutex<VecDeque<(String, Value)>>,
    outcomes: Mutex<HashMap<String, (Outcome, Instant)>>,
    init_error: Mutex<Option<String>>,
    arrived: tokio::sync::Notify,
    /// When the function first asked for an event: its init is done (what
    /// Lambda reports as Init Duration).
    first_next: Mutex<Option<Instant>>,
}

async fn next(State(rt): State<Arc<Runtime>>) -> impl IntoResponse {
    rt.first_next
        .lock()
        .unwrap()
        .get_or_insert_with(Instant::now);
    loop {
        let waiting = rt.arrived.notified();
        if let Some((id, event)) = rt.pending.lock().unwrap().pop_front() {
            let mut headers = HeaderMap::new();
            let deadline = chrono::Utc::now().timestamp_millis() + 60_000;
            for (name, value) in [
                ("lambda-runtime-aws-request-id", id.clone()),
                ("lambda-runtime-deadline-ms", deadline.to_string()),
                (
                    "lambda-runtime-invoked-function-arn",
                    "arn:aws-cn:lambda:cn-north-1:123456789012:function:vslc-test".into(),
                ),
                ("lambda-runtime-trace-id", format!("Root=1-{id}")),
            ] {
                headers.insert(name, HeaderValue::from_str(&value).unwrap());
            }
            return (StatusCode::OK, headers, event.to_string());
        }
        waiting.await;
    }
}

async fn response(
    State(rt): State<Arc<Runtime>>,
    UrlPath(id): UrlPath<String>,
    body: String,
) -> StatusCode {
    let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    rt.outcomes
        .lock()
        .unwrap()
        .insert(id, (Outcome::Response(value), Instant::now()));
    StatusCode::ACCEPTED
}

async fn error(
    State(rt): State<Arc<Runtime>>,
    UrlPath(id): UrlPath<String>,
    body: String,
) -> StatusCode {
    rt.outcomes
        .lock()
        .unwrap()
        .insert(id, (Outcome::Error(body), Instant::now()));
    StatusCode::ACCEPTED
}

async fn init_error(State(rt): State<Arc<Runtime>>, body: String) -> StatusCode {
    *rt.init_error.lock().unwrap() = Some(body);
    StatusCode::ACCEPTED
}

/// Starts an emulator; answers its `host:port`.
async fn emulator(rt: Arc<Runtime>) -> String {
    let app = axum::Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(response),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(init_error))
        .with_state(rt);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// How a function is invoked, as the template's events say.
#[derive(Debug, Clone, PartialEq)]
enum Trigger {
    /// The HTTP API, under this path (`/api/<area>`).
    Http(String),
    Sqs,
    Schedule,
}

/// A function of the template: its binary, trigger and own variables.
#[derive(Debug)]
struct Function {
    binary: String,
    trigger: Option<Trigger>,
    env: Vec<(String, String)>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The functions of infra/template.yaml (read as text: each function's
/// `Binary:`, its first event's `Type:` and `Path:`, and the variables of
/// its own `Environment`).
fn functions(template: &str) -> Vec<Function> {
    let mut out: Vec<Function> = Vec::new();
    let mut in_env = false;
    for line in template.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("Binary: ") {
            out.push(Function {
                binary: name.trim().to_owned(),
                trigger: None,
                env: Vec::new(),
            });
            in_env = false;
            continue;
        }
        let Some(f) = out.last_mut() else { continue };
        if t == "Variables:" {
            in_env = true;
            continue;
        }
        if in_env {
            if t.starts_with('#') {
                continue;
            }
            match t.split_once(": ") {
                Some((k, v)) if k.starts_with("VSLC_") => {
                    f.env.push((k.to_owned(), v.trim_matches('"').to_owned()));
                    continue;
                }
                _ => in_env = false,
            }
        }
        match (t, &mut f.trigger) {
            ("Type: SQS", None) => f.trigger = Some(Trigger::Sqs),
            ("Type: Schedule", None) => f.trigger = Some(Trigger::Schedule),
            ("Type: HttpApi", None) => f.trigger = Some(Trigger::Http(String::new())),
            (_, Some(Trigger::Http(p))) if p.is_empty() => {
                if let Some(path) = t.strip_prefix("Path: ") {
                    *p = path.trim().to_owned();
                }
            }
            _ => {}
        }
    }
    out
}

/// The template's Globals: the variables every function reads.
fn global_names(template: &str) -> Vec<String> {
    let globals = template
        .split("\nResources:")
        .next()
        .unwrap_or_default()
        .split("Variables:")
        .nth(1)
        .unwrap_or_default();
    globals
        .lines()
        .filter_map(|l| l.trim().split_once(':').map(|(k, _)| k.to_owned()))
        .filter(|k| k.starts_with("VSLC_") || k == "RUST_LOG")
        .collect()
}

fn event(name: &str) -> Value {
    let text = std::fs::read_to_string(repo().join("events").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The request a function is tried with, from events/apigw-v2-health.json:
/// an area's `/health`, or the one document a function serves
/// (`/api/openapi.json`).
fn http_event(route_path: &str) -> Value {
    let mut e = event("apigw-v2-health.json");
    let (path, route) = if is_document(route_path) {
        (route_path.to_owned(), format!("GET {route_path}"))
    } else {
        (
            format!("{route_path}/health"),
            format!("ANY {route_path}/{{proxy+}}"),
        )
    };
    e["rawPath"] = json!(path);
    e["routeKey"] = json!(route);
    e["requestContext"]["http"]["path"] = json!(path);
    e["requestContext"]["routeKey"] = json!(route);
    if is_document(route_path) {
        e.as_object_mut().unwrap().remove("pathParameters");
    }
    e
}

fn is_document(route_path: &str) -> bool {
    route_path.ends_with(".json")
}

/// Moto resources for one run (made as `vslc-local --create-resources`
/// makes them), as the template's variables name them.
async fn moto_env(endpoint: &str) -> Vec<(String, String)> {
    use vslc_ports::config::{Backend, Config};
    let run = ulid::Ulid::new().to_string().to_lowercase();
    let mut config = Config::from_env(Backend::Aws).unwrap();
    config.aws_endpoint = Some(endpoint.to_owned());
    config.table = format!("vslc-{run}");
    config.upload_bucket = format!("vslc-uploads-{run}");
    config.document_bucket = format!("vslc-documents-{run}");
    vslc_runtime::provision(&mut config).await.unwrap();
    let mut env = vec![
        ("VSLC_TABLE".to_owned(), config.table),
        ("AWS_ENDPOINT_URL".to_owned(), endpoint.to_owned()),
        ("VSLC_UPLOAD_BUCKET".to_owned(), config.upload_bucket),
        ("VSLC_DOCUMENT_BUCKET".to_owned(), config.document_bucket),
    ];
    env.extend(config.queue_urls);
    env
}

/// One invocation: what the function posted, its init (process start to
/// its first request for an event), its cold start (process start to the
/// answer), the request id the runtime API gave it, and what it logged
/// (standard output).
struct Invocation {
    outcome: Outcome,
    init: Duration,
    cold: Duration,
    request_id: String,
    logs: String,
}

/// Runs one binary for one event.
async fn invoke(binary: &Path, env: &[(String, String)], event: Value) -> Invocation {
    let rt = Arc::new(Runtime::default());
    let api = emulator(rt.clone()).await;
    let id = ulid::Ulid::new().to_string();
    rt.pending.lock().unwrap().push_back((id.clone(), event));
    rt.arrived.notify_waiters();
    let name = binary.file_name().unwrap().to_string_lossy().into_owned();
    let started = Instant::now();
    let mut child = std::process::Command::new(binary)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", &api)
        .env("AWS_LAMBDA_FUNCTION_NAME", format!("vslc-{name}"))
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env(
            "AWS_LAMBDA_LOG_GROUP_NAME",
            format!("/aws/lambda/vslc-{name}"),
        )
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("RUST_LOG", "warn")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
    let deadline = started + Duration::from_secs(30);
    let outcome = loop {
        if let Some((o, at)) = rt.outcomes.lock().unwrap().get(&id).cloned() {
            break Some((o, at - started));
        }
        if let Some(e) = rt.init_error.lock().unwrap().clone() {
            break Some((
                Outcome::Error(format!("init error: {e}")),
                started.elapsed(),
            ));
        }
        if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let (outcome, cold) = outcome.unwrap_or_else(|| {
        panic!(
            "{name} answered nothing: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let init = rt
        .first_next
        .lock()
        .unwrap()
        .map_or(cold, |at| at - started);
    Invocation {
        outcome,
        init,
        cold,
        request_id: id,
        logs: String::from_utf8_lossy(&output.stdout).into_owned(),
    }
}

/// The function's log lines that are JSON objects, each naming the
/// invocation's request id (CloudWatch Logs Insights: `span.requestId`).
fn json_logs_of(logs: &str, request_id: &str) -> Vec<Value> {
    logs.lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .unwrap_or_else(|_| panic!("a log line that is not JSON: {l}"))
        })
        .filter(|v| v["span"]["requestId"] == request_id)
        .collect()
}

#[tokio::test]
async fn every_function_binary_answers_its_event_through_the_runtime_api() {
    let template = std::fs::read_to_string(repo().join("infra/template.yaml")).unwrap();
    let functions = functions(&template);
    assert!(functions.len() >= 28, "{functions:?}");
    // `VSLC_BOOTSTRAP_PROFILE=release` measures the binaries that ship
    // (after `cargo build --release --workspace --bins`).
    let profile = std::env::var("VSLC_BOOTSTRAP_PROFILE").unwrap_or_else(|_| "debug".into());
    let bin_dir = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("target"))
        .join(&profile);
    let missing: Vec<&str> = functions
        .iter()
        .filter(|f| !bin_dir.join(&f.binary).is_file())
        .map(|f| f.binary.as_str())
        .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var("VSLC_REQUIRE_BOOTSTRAPS").is_err(),
            "VSLC_REQUIRE_BOOTSTRAPS is set but these binaries are not built: {missing:?}"
        );
        eprintln!(
            "function binaries not built ({missing:?}): run `cargo build --workspace --bins`; skipped"
        );
        return;
    }
    let moto = std::env::var("VSLC_MOTO_ENDPOINT").ok();
    assert!(
        moto.is_some() || std::env::var("VSLC_REQUIRE_MOTO").is_err(),
        "VSLC_REQUIRE_MOTO is set but VSLC_MOTO_ENDPOINT is not"
    );
    // The variables every function gets, as the template's Globals name
    // them: the backend, and the resources (moto's for this run).
    let globals = global_names(&template);
    let mut base: Vec<(String, String)> = vec![("VSLC_BACKEND".into(), "aws".into())];
    let resources = match &moto {
        Some(endpoint) => moto_env(endpoint).await,
        None => vec![("VSLC_TABLE".into(), "vslc-not-used".into())],
    };
    base.extend(resources);
    for (name, _) in &base {
        assert!(
            name.starts_with("AWS_") || globals.contains(name),
            "{name} is not among the template's Globals variables {globals:?}"
        );
    }
    let mut figures = Vec::new();
    let mut skipped = Vec::new();
    for f in &functions {
        let binary = bin_dir.join(&f.binary);
        let mut env = base.clone();
        env.extend(f.env.iter().cloned());
        let trigger = f
            .trigger
            .clone()
            .unwrap_or_else(|| panic!("{}: no event in the template", f.binary));
        let (event, needs_moto) = match &trigger {
            Trigger::Http(path) => (http_event(path), false),
            Trigger::Sqs => {
                let mut e = event("sqs-imports.json");
                if f.binary != "import-worker" {
                    // A message the worker cannot read: reported as failed.
                    e["Records"][0]["body"] = json!("not a message");
                }
                (e, true)
            }
            Trigger::Schedule => (event("schedule.json"), true),
        };
        if needs_moto && moto.is_none() {
            skipped.push(f.binary.clone());
            continue;
        }
        let Invocation {
            outcome,
            init,
            cold,
            request_id,
            logs,
        } = invoke(&binary, &env, event).await;
        let answer = match outcome {
            Outcome::Response(answer) => answer,
            Outcome::Error(e) => panic!("{} answered an error: {e}", f.binary),
        };
        match &trigger {
            Trigger::Http(path) => {
                assert_eq!(answer["statusCode"], 200, "{}: {answer}", f.binary);
                let body: Value = serde_json::from_str(answer["body"].as_str().unwrap_or_default())
                    .unwrap_or_else(|_| panic!("{}: body is not JSON: {answer}", f.binary));
                if is_document(path) {
                    assert!(body["openapi"].is_string(), "{}: {body}", f.binary);
                } else {
                    assert_eq!(body["status"], "ok", "{}: {body}", f.binary);
                }
            }
            Trigger::Sqs => {
                let failures = answer["batchItemFailures"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{}: no batchItemFailures: {answer}", f.binary));
                let id = "19dd0b57-b21e-4ac1-bd88-01bbb068cb78";
                let failed = failures.iter().any(|x| x["itemIdentifier"] == id);
                if f.binary == "import-worker" {
                    // An upload whose import record does not exist is
                    // acknowledged (nothing to do), not retried.
                    assert!(!failed, "{}: {answer}", f.binary);
                } else {
                    assert!(failed, "{}: {answer}", f.binary);
                    // The failure is logged as JSON, with the request id.
                    let lines = json_logs_of(&logs, &request_id);
                    assert!(
                        lines.iter().any(|l| l["level"] == "ERROR"),
                        "{}: no JSON error line naming request {request_id}: {logs}",
                        f.binary
                    );
                }
            }
            Trigger::Schedule => {
                assert!(
                    answer.is_object() || answer.is_array(),
                    "{}: {answer}",
                    f.binary
                );
            }
        }
        let size = std::fs::metadata(&binary).map(|m| m.len()).unwrap_or(0);
        figures.push((f.binary.clone(), init, cold, size));
    }
    println!(
        "process start to init done (first request for an event) and to the first answer ({profile} builds):"
    );
    for (name, init, cold, size) in &figures {
        println!(
            "  {name:<18} init {:>6.1} ms  answered {:>6.1} ms  {:>6.1} MB",
            init.as_secs_f64() * 1e3,
            cold.as_secs_f64() * 1e3,
            *size as f64 / 1e6
        );
    }
    println!(
        "{} functions answered; {} skipped without moto: {skipped:?}",
        figures.len(),
        skipped.len()
    );
}
