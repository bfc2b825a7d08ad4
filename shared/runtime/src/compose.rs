//! Composition of the application state: the ports on their adapters, built
//! once per process (per Lambda cold start, or once by vslc-local).

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;

use vslc_adapters::aws::{self, DynamoTable, S3Blobs, SqsQueue};
use vslc_adapters::embedded::{DirBlobs, EmbeddedQueue, EmbeddedStore, EmbeddedTable, UrlSigner};
use vslc_adapters::identity::{HttpIdentityCheck, RuleIdentityCheck};
use vslc_adapters::sms_outbox::OutboxSms;
use vslc_ports::AppState;
use vslc_ports::config::{Backend, Config};
use vslc_ports::{Clock, IdentityCheck, QueueName, QueuePolicy, QueueRef, SystemClock, Table};

/// The pieces only the embedded backend has: the dev server needs them to
/// serve signed URLs and to recover the queue after a crash.
#[derive(Clone)]
pub struct EmbeddedParts {
    pub store: EmbeddedStore,
    pub queue: EmbeddedQueue,
    pub signer: UrlSigner,
}

/// Local queue policies: visibility and retries from the configuration.
pub fn queue_policies(config: &Config) -> HashMap<QueueName, QueuePolicy> {
    let policy = QueuePolicy {
        visibility_timeout: config.queue_visibility,
        max_receive_count: config.queue_max_receives,
    };
    QueueName::ALL.into_iter().map(|q| (q, policy)).collect()
}

/// Ports on redb and a directory under `config.data_dir`; blob URLs
/// start with `public_url`.
pub fn embedded(
    config: Config,
    clock: Arc<dyn Clock>,
    public_url: &str,
) -> anyhow::Result<(AppState, EmbeddedParts)> {
    let store = EmbeddedStore::open(&config.data_dir)?;
    let signer = UrlSigner::new(url_secret(&config)?, public_url);
    let blob_root = config.data_dir.join("blobs");
    let table: Arc<dyn Table> = Arc::new(EmbeddedTable::new(store.clone()));
    let queue = EmbeddedQueue::new(store.clone(), clock.clone(), queue_policies(&config));
    let state = AppState {
        uploads: Arc::new(DirBlobs::new(
            &blob_root,
            &config.upload_bucket,
            signer.clone(),
            clock.clone(),
        )),
        documents: Arc::new(DirBlobs::new(
            &blob_root,
            &config.document_bucket,
            signer.clone(),
            clock.clone(),
        )),
        queue: Arc::new(queue.clone()),
        sms: Arc::new(OutboxSms::new(table.clone(), clock.clone())),
        identity: identity_check(&config, clock.clone())?,
        table,
        clock,
        config: Arc::new(config),
    };
    Ok((
        state,
        EmbeddedParts {
            store,
            queue,
            signer,
        },
    ))
}

/// The environment variable naming a queue's URL (`VSLC_QUEUE_URL_IMPORTS`,
/// `VSLC_DLQ_URL_IMPORTS`, …), as the template sets it.
pub fn queue_url_var(queue: QueueRef) -> String {
    let kind = if queue.dead_letter { "DLQ" } else { "QUEUE" };
    format!("VSLC_{kind}_URL_{}", queue.name.as_str().to_uppercase())
}

/// Creates the table, buckets and queues the configuration names (queues
/// are prefixed with the table's name) and records the queues' URLs in it.
/// For moto and a developer's own account: a deployed stack has these from
/// the template, and nothing calls this unless asked.
pub async fn provision(config: &mut Config) -> anyhow::Result<()> {
    let conf = aws::sdk_config(config.aws_endpoint.as_deref()).await;
    let (ddb, s3, sqs) = aws::clients(&conf, config.aws_endpoint.is_some());
    let prefix = format!("{}-", config.table);
    let names = aws::provision::Resources {
        table: &config.table,
        upload_bucket: &config.upload_bucket,
        document_bucket: &config.document_bucket,
        queue_prefix: &prefix,
        web_origin: "*",
        import_prefix: vslc_ports::blobs::IMPORT_UPLOADS,
    };
    let urls = aws::provision::provision(ddb, s3, &sqs, &names, &queue_policies(config)).await?;
    config.queue_urls = urls
        .into_iter()
        .map(|(queue, url)| (queue_url_var(queue), url))
        .collect();
    Ok(())
}

/// Ports on DynamoDB, S3 and SQS, named by the configuration.
pub async fn aws(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let conf = aws::sdk_config(config.aws_endpoint.as_deref()).await;
    let (ddb, s3, sqs) = aws::clients(&conf, config.aws_endpoint.is_some());
    let mut urls = HashMap::new();
    for name in QueueName::ALL {
        for queue in [QueueRef::main(name), QueueRef::dlq(name)] {
            if let Some(url) = config.queue_url(&queue_url_var(queue)) {
                urls.insert(queue, url.to_owned());
            }
        }
    }
    let table: Arc<dyn Table> = Arc::new(DynamoTable::new(ddb, &config.table));
    Ok(AppState {
        uploads: Arc::new(S3Blobs::new(s3.clone(), &config.upload_bucket)),
        documents: Arc::new(S3Blobs::new(s3, &config.document_bucket)),
        queue: Arc::new(SqsQueue::new(sqs, urls)),
        sms: Arc::new(OutboxSms::new(table.clone(), clock.clone())),
        identity: identity_check(&config, clock.clone())?,
        table,
        clock,
        config: Arc::new(config),
    })
}

/// For Lambda entry points: configuration from the environment, AWS adapters
/// unless `VSLC_BACKEND=embedded`.
pub async fn from_env() -> anyhow::Result<AppState> {
    open(Config::from_env(Backend::Aws)?, Arc::new(SystemClock)).await
}

/// The ports on the configured backend; embedded blob URLs start with
/// `VSLC_PUBLIC_URL` (or the configured address).
pub async fn open(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    match config.backend {
        Backend::Aws => aws(config, clock).await,
        Backend::Embedded => {
            let url = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}:{}", config.bind, config.port));
            Ok(embedded(config, clock, &url)?.0)
        }
    }
}

/// The configured identity service, or the documented rule set.
fn identity_check(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Arc<dyn IdentityCheck>> {
    Ok(match &config.identity_url {
        Some(url) => Arc::new(HttpIdentityCheck::new(
            url.clone(),
            config.identity_token.clone(),
        )?),
        None => {
            if config.backend == Backend::Aws {
                tracing::warn!(
                    "VSLC_IDENTITY_URL is not set: identity checks use the local rule set"
                );
            }
            Arc::new(RuleIdentityCheck::new(clock))
        }
    })
}

/// The secret of the embedded URL signer: created once, kept in the data dir.
fn url_secret(config: &Config) -> anyhow::Result<Vec<u8>> {
    use rand::RngCore;
    let path = config.data_dir.join("url-signing.key");
    if let Ok(hex_key) = std::fs::read_to_string(&path) {
        return hex::decode(hex_key.trim()).context("url-signing.key is not hex");
    }
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    std::fs::create_dir_all(&config.data_dir)?;
    std::fs::write(&path, hex::encode(key))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(key.to_vec())
}
