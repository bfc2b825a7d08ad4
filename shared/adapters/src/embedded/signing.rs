//! HMAC-SHA256 signed, expiring URLs for the embedded blob store: the dev
//! server's stand-in for S3 presigned URLs.

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::Sha256;

/// Path prefix the dev server serves signed blob URLs under.
pub const BLOB_PATH: &str = "/blobs";

/// Characters kept as they are in a URL path segment or query value.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
        }
    }
}

/// What a valid signature allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub method: Method,
    pub bucket: String,
    pub key: String,
    /// PUT: the content type the upload must carry.
    pub content_type: Option<String>,
    /// GET: the file name to offer the download as.
    pub file_name: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignError {
    #[error("链接已过期，请重新获取")]
    Expired,
    #[error("链接签名无效")]
    BadSignature,
}

/// Signs and verifies blob URLs with one secret.
#[derive(Clone)]
pub struct UrlSigner {
    secret: Vec<u8>,
    base_url: String,
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, KEEP).to_string()
}

impl UrlSigner {
    pub fn new(secret: Vec<u8>, base_url: impl Into<String>) -> Self {
        Self {
            secret,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
        }
    }

    fn mac(&self, grant: &Grant, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key");
        let text = [
            grant.method.as_str(),
            &grant.bucket,
            &grant.key,
            &expires.to_string(),
            grant.content_type.as_deref().unwrap_or(""),
            grant.file_name.as_deref().unwrap_or(""),
        ]
        .join("\n");
        mac.update(text.as_bytes());
        mac
    }

    /// A URL granting `grant` until Unix second `expires`.
    pub fn sign(&self, grant: &Grant, expires: i64) -> String {
        let sig = hex::encode(self.mac(grant, expires).finalize().into_bytes());
        let path: Vec<String> = grant.key.split('/').map(enc).collect();
        let mut url = format!(
            "{}{BLOB_PATH}/{}/{}?method={}&expires={expires}",
            self.base_url,
            enc(&grant.bucket),
            path.join("/"),
            grant.method.as_str()
        );
        if let Some(ct) = &grant.content_type {
            url.push_str(&format!("&ct={}", enc(ct)));
        }
        if let Some(name) = &grant.file_name {
            url.push_str(&format!("&name={}", enc(name)));
        }
        url.push_str(&format!("&sig={sig}"));
        url
    }

    /// Checks a request for `bucket`/`key` (already percent-decoded from the
    /// path) carrying the signed query parameters, at Unix second `now`.
    pub fn verify(
        &self,
        method: Method,
        bucket: &str,
        key: &str,
        query: &std::collections::HashMap<String, String>,
        now: i64,
    ) -> Result<Grant, SignError> {
        let expires: i64 = query
            .get("expires")
            .and_then(|e| e.parse().ok())
            .ok_or(SignError::BadSignature)?;
        let sig = query
            .get("sig")
            .and_then(|s| hex::decode(s).ok())
            .ok_or(SignError::BadSignature)?;
        if query.get("method").map(String::as_str) != Some(method.as_str()) {
            return Err(SignError::BadSignature);
        }
        let grant = Grant {
            method,
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            content_type: query.get("ct").cloned(),
            file_name: query.get("name").cloned(),
        };
        // Constant-time comparison.
        self.mac(&grant, expires)
            .verify_slice(&sig)
            .map_err(|_| SignError::BadSignature)?;
        if now > expires {
            return Err(SignError::Expired);
        }
        Ok(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn query_of(url: &str) -> HashMap<String, String> {
        url.split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_owned(), vslc_ports::blobs::decode_component(v, false))
            })
            .collect()
    }

    fn put_grant() -> Grant {
        Grant {
            method: Method::Put,
            bucket: "uploads".into(),
            key: "imports/school/S1/考生.xlsx".into(),
            content_type: Some(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            ),
            file_name: None,
        }
    }

    #[test]
    fn signed_url_verifies_until_it_expires() {
        let s = UrlSigner::new(b"secret".to_vec(), "http://127.0.0.1:3000/");
        let url = s.sign(&put_grant(), 1_000);
        assert!(url.starts_with("http://127.0.0.1:3000/blobs/uploads/imports/school/S1/%E8%80%83"));
        let q = query_of(&url);
        let key = "imports/school/S1/考生.xlsx";
        assert_eq!(
            s.verify(Method::Put, "uploads", key, &q, 999),
            Ok(put_grant())
        );
        assert_eq!(
            s.verify(Method::Put, "uploads", key, &q, 1_000),
            Ok(put_grant())
        );
        assert_eq!(
            s.verify(Method::Put, "uploads", key, &q, 1_001),
            Err(SignError::Expired)
        );
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let s = UrlSigner::new(b"secret".to_vec(), "http://x");
        let q = query_of(&s.sign(&put_grant(), 1_000));
        let key = "imports/school/S1/考生.xlsx";
        assert_eq!(
            s.verify(Method::Get, "uploads", key, &q, 0),
            Err(SignError::BadSignature)
        );
        assert_eq!(
            s.verify(Method::Put, "documents", key, &q, 0),
            Err(SignError::BadSignature)
        );
        assert_eq!(
            s.verify(Method::Put, "uploads", "imports/school/S2/考生.xlsx", &q, 0),
            Err(SignError::BadSignature)
        );
        let mut later = q.clone();
        later.insert("expires".into(), "9999".into());
        assert_eq!(
            s.verify(Method::Put, "uploads", key, &later, 0),
            Err(SignError::BadSignature)
        );
        let mut ct = q.clone();
        ct.insert("ct".into(), "text/plain".into());
        assert_eq!(
            s.verify(Method::Put, "uploads", key, &ct, 0),
            Err(SignError::BadSignature)
        );
        let other = UrlSigner::new(b"other".to_vec(), "http://x");
        assert_eq!(
            other.verify(Method::Put, "uploads", key, &q, 0),
            Err(SignError::BadSignature)
        );
    }

    #[test]
    fn s3_event_keys_decode() {
        assert_eq!(
            vslc_ports::blobs::decode_component("a+b%2Fc%E8%80%83", true),
            "a b/c考"
        );
        assert_eq!(vslc_ports::blobs::decode_component("a+b", false), "a+b");
    }
}
