//! `Blobs`: object storage for uploads and generated documents
//! (S3 in the cloud, a directory locally).

use std::time::Duration;

use async_trait::async_trait;

/// A stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

/// An object's name and size, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub key: String,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("invalid object key: {0}")]
    InvalidKey(String),
    #[error("blob backend error")]
    Backend(#[source] anyhow::Error),
}

/// Key prefix of the uploads that start an import: the upload bucket tells
/// the imports queue of each object created under it (the template's
/// notification filter, `provision`, the dev server's blob server).
pub const IMPORT_UPLOADS: &str = "imports/";

/// Object keys are `/`-separated segments; none empty, `.` or `..`, no
/// backslash or control character. Both adapters refuse anything else.
pub fn check_key(key: &str) -> Result<(), BlobError> {
    let bad = key.is_empty()
        || key.len() > 1024
        || key
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        || key.chars().any(|c| c == '\\' || c.is_control());
    if bad {
        Err(BlobError::InvalidKey(key.to_owned()))
    } else {
        Ok(())
    }
}

/// One bucket.
#[async_trait]
pub trait Blobs: Send + Sync {
    /// The bucket's name (an S3 bucket, or a folder locally).
    fn bucket(&self) -> &str;
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError>;
    /// Stores a local file's content without reading it into memory (a
    /// generated zip of hundreds of megabytes).
    async fn put_file(
        &self,
        key: &str,
        path: &std::path::Path,
        content_type: &str,
    ) -> Result<(), BlobError>;
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError>;
    /// Deleting a missing object is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
    /// Objects whose key starts with `prefix`, in key order.
    async fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>, BlobError>;
    /// A URL the client PUTs the bytes to, with exactly this content type.
    async fn upload_url(
        &self,
        key: &str,
        content_type: &str,
        expires_in: Duration,
    ) -> Result<String, BlobError>;
    /// A URL the client GETs the object from; `file_name` names the download.
    async fn download_url(
        &self,
        key: &str,
        file_name: Option<&str>,
        expires_in: Duration,
    ) -> Result<String, BlobError>;
}

/// Decodes a percent-encoded path (S3 event keys also arrive encoded, with
/// `+` for space).
pub fn decode_component(s: &str, plus_is_space: bool) -> String {
    let s = if plus_is_space {
        s.replace('+', " ")
    } else {
        s.to_owned()
    };
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `attachment` header value with an RFC 5987 UTF-8 file name.
pub fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(check_key("uploads/school/S1/01J.xlsx").is_ok());
        assert!(check_key("考生/照片.zip").is_ok());
        for bad in ["", "/a", "a//b", "a/../b", "./a", "a\\b", "a\nb", "a/"] {
            assert!(check_key(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
