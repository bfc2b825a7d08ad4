//! `Blobs` on S3, with SDK presigned URLs.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;

use vslc_ports::blobs::{Blob, BlobError, BlobInfo, Blobs, check_key};

/// One S3 bucket.
#[derive(Clone)]
pub struct S3Blobs {
    client: Client,
    bucket: String,
}

fn backend(e: impl Into<anyhow::Error>) -> BlobError {
    BlobError::Backend(e.into())
}

impl S3Blobs {
    pub fn new(client: Client, bucket: impl Into<String>) -> Self {
        Self {
            client,
            bucket: bucket.into(),
        }
    }

    /// Creates the bucket if missing (tests and local emulators only).
    pub async fn create_bucket_if_missing(&self) -> anyhow::Result<()> {
        if self
            .client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .is_err()
        {
            self.client
                .create_bucket()
                .bucket(&self.bucket)
                .send()
                .await?;
        }
        Ok(())
    }

    fn presigning(expires_in: Duration) -> Result<PresigningConfig, BlobError> {
        PresigningConfig::expires_in(expires_in).map_err(backend)
    }
}

#[async_trait]
impl Blobs for S3Blobs {
    fn bucket(&self) -> &str {
        &self.bucket
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        check_key(key)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn put_file(
        &self,
        key: &str,
        path: &std::path::Path,
        content_type: &str,
    ) -> Result<(), BlobError> {
        check_key(key)?;
        // Streamed from the file (one PUT: S3 takes up to 5 GB so).
        let body = ByteStream::from_path(path).await.map_err(backend)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        check_key(key)?;
        let res = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await;
        let out = match res {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => return Ok(None),
            Err(e) => return Err(backend(e)),
        };
        let content_type = out
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = out
            .body
            .collect()
            .await
            .map_err(backend)?
            .into_bytes()
            .to_vec();
        Ok(Some(Blob {
            bytes,
            content_type,
        }))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        check_key(key)?;
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>, BlobError> {
        let mut out = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(backend)?;
            for o in page.contents() {
                out.push(BlobInfo {
                    key: o.key().unwrap_or_default().to_owned(),
                    size: o.size().unwrap_or_default().max(0) as u64,
                });
            }
        }
        Ok(out)
    }

    async fn upload_url(
        &self,
        key: &str,
        content_type: &str,
        expires_in: Duration,
    ) -> Result<String, BlobError> {
        check_key(key)?;
        let req = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .presigned(Self::presigning(expires_in)?)
            .await
            .map_err(backend)?;
        Ok(req.uri().to_owned())
    }

    async fn download_url(
        &self,
        key: &str,
        file_name: Option<&str>,
        expires_in: Duration,
    ) -> Result<String, BlobError> {
        check_key(key)?;
        let req = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .set_response_content_disposition(file_name.map(vslc_ports::blobs::content_disposition))
            .presigned(Self::presigning(expires_in)?)
            .await
            .map_err(backend)?;
        Ok(req.uri().to_owned())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn disposition_names_file_in_utf8() {
        let d = vslc_ports::blobs::content_disposition("导入失败数据.xlsx");
        assert!(d.starts_with("attachment; filename=\"______.xlsx\"; filename*=UTF-8''%E5%AF%BC"));
    }
}
