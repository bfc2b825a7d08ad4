//! Seal and signature images (电子签章, 公章, 签名章): uploaded through a
//! signed URL, then checked — a real PNG that decodes, within size and
//! dimension limits — and kept in the documents bucket.

use std::io::Cursor;

use serde::Serialize;
use utoipa::ToSchema;

use vslc_accounts::Tenant;
use vslc_ports::AppState;
use vslc_ports::DomainError;

pub const PNG: &str = "image/png";
pub const MAX_BYTES: usize = 1024 * 1024;
pub const MIN_SIDE: u32 = 100;
pub const MAX_SIDE: u32 = 1000;

/// Which image of a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// 试点院校 电子签章.
    SchoolSeal,
    /// 培训评价组织 公章.
    OrgSeal,
    /// 培训评价组织 签名章.
    OrgSignature,
}

impl Purpose {
    fn name(self) -> &'static str {
        match self {
            Purpose::SchoolSeal | Purpose::OrgSeal => "seal",
            Purpose::OrgSignature => "signature",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Purpose::SchoolSeal => "电子签章",
            Purpose::OrgSeal => "公章",
            Purpose::OrgSignature => "签名章",
        }
    }
    fn upload_key(self, tenant: &Tenant) -> String {
        format!("images/{}/{}.png", tenant.path(), self.name())
    }
    /// Where the checked image is kept.
    pub fn document_key(self, tenant: &Tenant) -> String {
        format!("images/{}/{}.png", tenant.path(), self.name())
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageUpload {
    pub upload_url: String,
    pub content_type: String,
}

/// Width and height of a PNG that fully decodes; the error is the message.
pub fn check_png(bytes: &[u8]) -> Result<(u32, u32), String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!("图片不能超过 {} KB", MAX_BYTES / 1024));
    }
    let not_png = || "请上传 PNG 格式的图片".to_string();
    let decoder = png::Decoder::new(Cursor::new(bytes));
    let mut reader = decoder.read_info().map_err(|_| not_png())?;
    let (w, h) = (reader.info().width, reader.info().height);
    if !(MIN_SIDE..=MAX_SIDE).contains(&w) || !(MIN_SIDE..=MAX_SIDE).contains(&h) {
        return Err(format!(
            "图片宽高须在 {MIN_SIDE} 到 {MAX_SIDE} 像素之间（当前 {w}×{h}）"
        ));
    }
    let mut buf = vec![0; reader.output_buffer_size().ok_or_else(not_png)?];
    reader
        .next_frame(&mut buf)
        .map_err(|_| "图片已损坏，无法读取".to_string())?;
    Ok((w, h))
}

/// Step 1: a URL to PUT the PNG to.
pub async fn begin(
    state: &AppState,
    tenant: &Tenant,
    purpose: Purpose,
) -> Result<ImageUpload, DomainError> {
    let upload_url = state
        .uploads
        .upload_url(&purpose.upload_key(tenant), PNG, state.config.url_ttl)
        .await?;
    Ok(ImageUpload {
        upload_url,
        content_type: PNG.into(),
    })
}

/// Step 2: checks the uploaded image and keeps it; returns its document key.
pub async fn confirm(
    state: &AppState,
    tenant: &Tenant,
    purpose: Purpose,
) -> Result<String, DomainError> {
    let upload = purpose.upload_key(tenant);
    let blob = state.uploads.get(&upload).await?.ok_or_else(|| {
        DomainError::invalid("NO_UPLOAD", format!("请先上传{}图片", purpose.label()))
    })?;
    check_png(&blob.bytes).map_err(|m| DomainError::invalid("BAD_IMAGE", m))?;
    let key = purpose.document_key(tenant);
    state.documents.put(&key, blob.bytes, PNG).await?;
    state.uploads.delete(&upload).await?;
    Ok(key)
}

/// A short-lived link to a kept image.
pub async fn url(state: &AppState, key: Option<&str>) -> Result<Option<String>, DomainError> {
    match key {
        Some(k) => Ok(Some(
            state
                .documents
                .download_url(k, None, state.config.url_ttl)
                .await?,
        )),
        None => Ok(None),
    }
}

#[cfg(test)]
pub(crate) fn test_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        let mut writer = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| [200, (i % 255) as u8, 0, 255])
            .collect();
        writer.write_image_data(&data).unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_pngs_of_sensible_size_pass() {
        assert_eq!(check_png(&test_png(200, 200)), Ok((200, 200)));
        assert!(
            check_png(&test_png(50, 200))
                .unwrap_err()
                .contains("50×200")
        );
        assert_eq!(
            check_png(b"GIF89a...").unwrap_err(),
            "请上传 PNG 格式的图片"
        );
        let mut truncated = test_png(300, 300);
        truncated.truncate(truncated.len() / 2);
        assert!(check_png(&truncated).is_err());
    }
}
