//! One typed configuration, read from environment variables (SAM `Globals`
//! in the cloud, defaults locally). Secrets are never logged.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

/// Which adapters back the ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// redb and a directory under the data dir (local, default).
    Embedded,
    /// DynamoDB, S3 and SQS (Lambda; or a protocol-compatible endpoint).
    Aws,
}

#[derive(Clone)]
pub struct Config {
    pub backend: Backend,
    /// `VSLC_DATA_DIR`: the embedded store, blobs and the URL secret.
    pub data_dir: PathBuf,
    /// `VSLC_BIND` and `PORT`: where the dev server listens.
    pub bind: String,
    pub port: u16,
    /// `VSLC_PUBLIC_URL`: the dev server's address as browsers reach it
    /// (signed blob URLs start with it); default `http://<bind>:<port>`.
    pub public_url: Option<String>,
    /// `VSLC_TABLE`, `VSLC_UPLOAD_BUCKET`, `VSLC_DOCUMENT_BUCKET`.
    pub table: String,
    pub upload_bucket: String,
    pub document_bucket: String,
    /// `VSLC_QUEUE_URL_<NAME>` and `VSLC_DLQ_URL_<NAME>` (AWS only).
    pub queue_urls: Vec<(String, String)>,
    /// `AWS_ENDPOINT_URL`: a DynamoDB/S3/SQS-compatible endpoint (tests).
    pub aws_endpoint: Option<String>,
    /// `VSLC_SESSION_HOURS`: how long a login lasts.
    pub session_ttl: Duration,
    /// `VSLC_UPLOAD_URL_MINUTES`: validity of upload and download URLs.
    pub url_ttl: Duration,
    /// `VSLC_PERIOD_CLOSER_SECS`: the local timer of the scheduled job.
    pub period_closer_interval: Duration,
    /// `VSLC_WORKERS`: in-process consumers per queue (local).
    pub workers: usize,
    /// `VSLC_QUEUE_VISIBILITY_SECS` and `VSLC_QUEUE_MAX_RECEIVES` (local queue).
    pub queue_visibility: Duration,
    pub queue_max_receives: u32,
    /// `VSLC_SEED_DEMO`: seed demo data into an empty store (default on locally).
    pub seed_demo: bool,
    /// `VSLC_SEED_SCHEDULING`: with the demo data, a second plan ready to
    /// arrange (排考 open, two more schools with paid registrations and
    /// rooms) — default on; the API tests turn it off.
    pub seed_scheduling: bool,
    /// `VSLC_IDENTITY_URL` and `VSLC_IDENTITY_TOKEN`: the 公安 photo-comparison
    /// service; without it the documented rule set decides.
    pub identity_url: Option<String>,
    pub identity_token: Option<String>,
    /// `VSLC_AUDIT_RETENTION_DAYS`: how long 操作日志 entries are kept
    /// (the table's TTL removes them afterwards); default 3 years.
    pub audit_retention_days: u32,
    /// `VSLC_IMPORT_DEADLINE_SECS`: how long one import may run before it
    /// stops, takes back what it saved and ends 失败 (below the worker's
    /// own time limit on Lambda, so the record never waits on a killed run).
    pub import_deadline: Duration,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("backend", &self.backend)
            .field("data_dir", &self.data_dir)
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("table", &self.table)
            .field("upload_bucket", &self.upload_bucket)
            .field("document_bucket", &self.document_bucket)
            .finish_non_exhaustive()
    }
}

/// 3 years (PIPL asks for a retention period; three years is the usual one).
pub const DEFAULT_AUDIT_RETENTION_DAYS: u32 = 1095;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|e| anyhow::anyhow!("{name}={v}: {e}")),
    }
}

impl Config {
    /// Reads the environment. `default_backend` is `Aws` in Lambda binaries
    /// and `Embedded` in `vslc-local`; `VSLC_BACKEND` overrides it.
    pub fn from_env(default_backend: Backend) -> anyhow::Result<Self> {
        let backend = match var("VSLC_BACKEND").as_deref() {
            None => default_backend,
            Some("embedded") => Backend::Embedded,
            Some("aws") => Backend::Aws,
            Some(other) => anyhow::bail!("VSLC_BACKEND={other}: expected embedded or aws"),
        };
        let queue_urls = std::env::vars()
            .filter(|(k, v)| {
                (k.starts_with("VSLC_QUEUE_URL_") || k.starts_with("VSLC_DLQ_URL_"))
                    && !v.is_empty()
            })
            .collect();
        Ok(Self {
            backend,
            data_dir: PathBuf::from(var("VSLC_DATA_DIR").unwrap_or_else(|| "./data".into())),
            bind: var("VSLC_BIND").unwrap_or_else(|| "127.0.0.1".into()),
            port: parse("PORT", 3000u16).context("PORT")?,
            public_url: var("VSLC_PUBLIC_URL"),
            table: var("VSLC_TABLE").unwrap_or_else(|| "vslc".into()),
            upload_bucket: var("VSLC_UPLOAD_BUCKET").unwrap_or_else(|| "uploads".into()),
            document_bucket: var("VSLC_DOCUMENT_BUCKET").unwrap_or_else(|| "documents".into()),
            queue_urls,
            aws_endpoint: var("AWS_ENDPOINT_URL"),
            session_ttl: Duration::from_secs(3600 * parse("VSLC_SESSION_HOURS", 8u64)?),
            url_ttl: Duration::from_secs(60 * parse("VSLC_UPLOAD_URL_MINUTES", 30u64)?),
            import_deadline: Duration::from_secs(parse("VSLC_IMPORT_DEADLINE_SECS", 600u64)?),
            period_closer_interval: Duration::from_secs(
                parse("VSLC_PERIOD_CLOSER_SECS", 300u64)?.max(1),
            ),
            workers: parse("VSLC_WORKERS", 2usize)?.clamp(1, 16),
            queue_visibility: Duration::from_secs(
                parse("VSLC_QUEUE_VISIBILITY_SECS", 300u64)?.max(1),
            ),
            queue_max_receives: parse("VSLC_QUEUE_MAX_RECEIVES", 5u32)?.max(1),
            seed_demo: parse("VSLC_SEED_DEMO", true)?,
            seed_scheduling: parse("VSLC_SEED_SCHEDULING", true)?,
            identity_url: var("VSLC_IDENTITY_URL"),
            identity_token: var("VSLC_IDENTITY_TOKEN"),
            audit_retention_days: parse("VSLC_AUDIT_RETENTION_DAYS", DEFAULT_AUDIT_RETENTION_DAYS)?
                .max(1),
        })
    }

    /// The queue URL configured for `VSLC_QUEUE_URL_<NAME>` / `VSLC_DLQ_URL_<NAME>`.
    pub fn queue_url(&self, var_name: &str) -> Option<&str> {
        self.queue_urls
            .iter()
            .find(|(k, _)| k == var_name)
            .map(|(_, v)| v.as_str())
    }
}
