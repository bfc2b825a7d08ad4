//! Serves the embedded buckets' signed URLs over HTTP (the dev server's
//! stand-in for S3). A PUT to the uploads bucket emits the same
//! `ObjectCreated` notification S3 sends to SQS, so the import pipeline is
//! exercised the same way locally and in the cloud.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::signing::{BLOB_PATH, Method, SignError, UrlSigner};
use vslc_ports::blobs::Blobs;
use vslc_ports::blobs::content_disposition;
use vslc_ports::clock::Clock;
use vslc_ports::queue::{Queue, QueueRef};

/// Largest upload the dev server accepts (photo zips included).
pub const MAX_UPLOAD_BYTES: usize = 200 * 1024 * 1024;

/// Where to announce new objects of a bucket.
#[derive(Clone)]
pub struct Notify {
    pub bucket: String,
    /// Only keys with this prefix are announced (S3's notification filter).
    pub prefix: String,
    pub queue: Arc<dyn Queue>,
    pub to: QueueRef,
}

#[derive(Clone)]
pub struct BlobServer {
    pub signer: UrlSigner,
    pub buckets: HashMap<String, Arc<dyn Blobs>>,
    pub clock: Arc<dyn Clock>,
    pub notify: Option<Notify>,
}

const S3_KEY_KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.');

/// The S3 event notification body for one created object (keys URL-encoded
/// as S3 does, `+` for space).
pub fn s3_created_event(bucket: &str, key: &str, size: usize) -> String {
    let encoded: String = key
        .split(' ')
        .map(|part| percent_encoding::utf8_percent_encode(part, S3_KEY_KEEP).to_string())
        .collect::<Vec<_>>()
        .join("+");
    serde_json::json!({
        "Records": [{
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": bucket}, "object": {"key": encoded, "size": size}}
        }]
    })
    .to_string()
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({"code": code, "message": message})),
    )
        .into_response()
}

/// A request whose address, query or body could not be read (413 for an
/// upload over the limit), in the platform's format rather than axum's text.
fn unreadable(status: StatusCode) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        refuse(status, "PAYLOAD_TOO_LARGE", "上传文件过大")
    } else {
        refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", "上传地址或内容无效")
    }
}

fn sign_error(e: SignError) -> Response {
    let code = match e {
        SignError::Expired => "URL_EXPIRED",
        SignError::BadSignature => "URL_SIGNATURE_INVALID",
    };
    refuse(StatusCode::FORBIDDEN, code, &e.to_string())
}

impl BlobServer {
    pub fn router(self) -> Router {
        self.router_limited(MAX_UPLOAD_BYTES)
    }

    /// The router accepting uploads of at most `max_bytes`.
    fn router_limited(self, max_bytes: usize) -> Router {
        Router::new()
            .route(
                &format!("{BLOB_PATH}/{{bucket}}/{{*key}}"),
                get(download).put(upload),
            )
            .layer(axum::extract::DefaultBodyLimit::max(max_bytes))
            .with_state(Arc::new(self))
    }

    fn bucket(&self, name: &str) -> Option<&Arc<dyn Blobs>> {
        self.buckets.get(name)
    }
}

async fn upload(
    State(s): State<Arc<BlobServer>>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (Path((bucket, key)), Query(q), body) = match (path, query, body) {
        (Ok(p), Ok(q), Ok(b)) => (p, q, b),
        (Err(e), ..) => return unreadable(e.status()),
        (_, Err(e), _) => return unreadable(e.status()),
        (.., Err(e)) => return unreadable(e.status()),
    };
    let now = s.clock.now().timestamp();
    let grant = match s.signer.verify(Method::Put, &bucket, &key, &q, now) {
        Ok(g) => g,
        Err(e) => return sign_error(e),
    };
    let sent_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if grant.content_type.as_deref() != Some(sent_type) {
        return refuse(
            StatusCode::FORBIDDEN,
            "CONTENT_TYPE_MISMATCH",
            "上传文件类型与申请时不一致",
        );
    }
    let Some(blobs) = s.bucket(&bucket) else {
        return refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "存储桶不存在");
    };
    let size = body.len();
    if let Err(e) = blobs.put(&key, body.to_vec(), sent_type).await {
        tracing::error!(error = ?e, %bucket, %key, "storing upload failed");
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "文件保存失败，请重试",
        );
    }
    if let Some(n) = s
        .notify
        .as_ref()
        .filter(|n| n.bucket == bucket && key.starts_with(&n.prefix))
    {
        let event = s3_created_event(&bucket, &key, size);
        if let Err(e) = vslc_ports::queue::send(n.queue.as_ref(), n.to, event).await {
            tracing::error!(error = ?e, %key, "object-created notification not queued");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "文件已保存，但处理任务未能排队，请重新上传",
            );
        }
    }
    StatusCode::OK.into_response()
}

async fn download(
    State(s): State<Arc<BlobServer>>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let (Path((bucket, key)), Query(q)) = match (path, query) {
        (Ok(p), Ok(q)) => (p, q),
        (Err(e), _) => return unreadable(e.status()),
        (_, Err(e)) => return unreadable(e.status()),
    };
    let now = s.clock.now().timestamp();
    let grant = match s.signer.verify(Method::Get, &bucket, &key, &q, now) {
        Ok(g) => g,
        Err(e) => return sign_error(e),
    };
    let Some(blobs) = s.bucket(&bucket) else {
        return refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "存储桶不存在");
    };
    match blobs.get(&key).await {
        Ok(Some(blob)) => {
            let mut resp = Response::new(Body::from(blob.bytes));
            if let Ok(v) = blob.content_type.parse() {
                resp.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            if let Some(Ok(v)) = grant
                .file_name
                .as_deref()
                .map(|n| content_disposition(n).parse())
            {
                resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            resp
        }
        Ok(None) => refuse(StatusCode::NOT_FOUND, "NOT_FOUND", "文件不存在或已删除"),
        Err(e) => {
            tracing::error!(error = ?e, %bucket, %key, "reading blob failed");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "文件读取失败，请重试",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::{BLOB_PATH, BlobServer, UrlSigner};

    #[tokio::test]
    async fn an_upload_over_the_limit_answers_413_as_json() {
        let server = BlobServer {
            signer: UrlSigner::new(b"secret".to_vec(), "http://x"),
            buckets: Default::default(),
            clock: Arc::new(vslc_ports::clock::SystemClock),
            notify: None,
        };
        let request = |bytes: usize| {
            Request::put(format!("{BLOB_PATH}/uploads/imports/a.xlsx"))
                .body(Body::from(vec![0u8; bytes]))
                .unwrap()
        };
        let router = server.router_limited(10);
        let r = router.clone().oneshot(request(11)).await.unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body = axum::body::to_bytes(r.into_body(), 1024).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["code"], "PAYLOAD_TOO_LARGE");
        assert_eq!(v["message"], "上传文件过大");
        // Within the limit the request reaches the signature check.
        let r = router.oneshot(request(10)).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn event_keys_are_encoded_like_s3() {
        let e = super::s3_created_event("uploads", "imports/a b/考.xlsx", 3);
        let v: serde_json::Value = serde_json::from_str(&e).unwrap();
        assert_eq!(
            v["Records"][0]["s3"]["object"]["key"],
            "imports/a+b/%E8%80%83.xlsx"
        );
    }
}
