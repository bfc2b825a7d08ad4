//! `Blobs` on a directory: `<root>/<bucket>/<key>`, the content type beside
//! it under `<root>/.meta/`. URLs are signed by `UrlSigner` and served by the
//! dev server.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;

use super::signing::{Grant, Method, UrlSigner};
use vslc_ports::blobs::{Blob, BlobError, BlobInfo, Blobs, check_key};
use vslc_ports::clock::Clock;

/// One bucket as a folder.
#[derive(Clone)]
pub struct DirBlobs {
    root: PathBuf,
    bucket: String,
    signer: UrlSigner,
    clock: Arc<dyn Clock>,
}

fn backend(e: impl Into<anyhow::Error>) -> BlobError {
    BlobError::Backend(e.into())
}

impl DirBlobs {
    pub fn new(root: &Path, bucket: &str, signer: UrlSigner, clock: Arc<dyn Clock>) -> Self {
        Self {
            root: root.to_path_buf(),
            bucket: bucket.to_owned(),
            signer,
            clock,
        }
    }

    fn object_path(&self, key: &str) -> Result<PathBuf, BlobError> {
        check_key(key)?;
        Ok(self.root.join(&self.bucket).join(key))
    }

    fn meta_path(&self, key: &str) -> PathBuf {
        self.root
            .join(".meta")
            .join(&self.bucket)
            .join(format!("{key}.type"))
    }

    /// A URL that grants `method` on `key` for `expires_in` from now.
    fn signed_url(
        &self,
        method: Method,
        key: &str,
        content_type: Option<&str>,
        file_name: Option<&str>,
        expires_in: Duration,
    ) -> Result<String, BlobError> {
        check_key(key)?;
        let grant = Grant {
            method,
            bucket: self.bucket.clone(),
            key: key.to_owned(),
            content_type: content_type.map(str::to_owned),
            file_name: file_name.map(str::to_owned),
        };
        let expires = self.clock.now().timestamp() + expires_in.as_secs() as i64;
        Ok(self.signer.sign(&grant, expires))
    }
}

/// Writes through a temporary file and a rename, so a reader never sees half a file.
async fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("object path has a parent")?;
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{}.tmp", ulid::Ulid::new()));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, path).await?;
    Ok(())
}

/// Copies a file in through a temporary file and a rename.
async fn copy_atomic(from: &Path, path: &Path) -> anyhow::Result<()> {
    let dir = path.parent().context("object path has a parent")?;
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{}.tmp", ulid::Ulid::new()));
    tokio::fs::copy(from, &tmp).await?;
    tokio::fs::rename(&tmp, path).await?;
    Ok(())
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<BlobInfo>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(&path, root, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(BlobInfo {
                key,
                size: entry.metadata()?.len(),
            });
        }
    }
    Ok(())
}

#[async_trait]
impl Blobs for DirBlobs {
    fn bucket(&self) -> &str {
        &self.bucket
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        let path = self.object_path(key)?;
        write_atomic(&self.meta_path(key), content_type.as_bytes())
            .await
            .map_err(backend)?;
        write_atomic(&path, &bytes).await.map_err(backend)
    }

    async fn put_file(&self, key: &str, from: &Path, content_type: &str) -> Result<(), BlobError> {
        let path = self.object_path(key)?;
        write_atomic(&self.meta_path(key), content_type.as_bytes())
            .await
            .map_err(backend)?;
        copy_atomic(from, &path).await.map_err(backend)
    }

    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        let path = self.object_path(key)?;
        let bytes = match tokio::fs::read(&path).await {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(backend(e)),
        };
        let content_type = tokio::fs::read_to_string(self.meta_path(key))
            .await
            .unwrap_or_else(|_| "application/octet-stream".into());
        Ok(Some(Blob {
            bytes,
            content_type,
        }))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.object_path(key)?;
        for p in [path, self.meta_path(key)] {
            match tokio::fs::remove_file(&p).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(backend(e)),
            }
        }
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>, BlobError> {
        let root = self.root.join(&self.bucket);
        let prefix = prefix.to_owned();
        let mut all = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            walk(&root, &root, &mut out).map(|_| out)
        })
        .await
        .map_err(backend)?
        .map_err(backend)?;
        all.retain(|b| b.key.starts_with(&prefix));
        all.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(all)
    }

    async fn upload_url(
        &self,
        key: &str,
        content_type: &str,
        expires_in: Duration,
    ) -> Result<String, BlobError> {
        self.signed_url(Method::Put, key, Some(content_type), None, expires_in)
    }

    async fn download_url(
        &self,
        key: &str,
        file_name: Option<&str>,
        expires_in: Duration,
    ) -> Result<String, BlobError> {
        self.signed_url(Method::Get, key, None, file_name, expires_in)
    }
}
