//! 考生照片: standard small one-inch photos — JPG or PNG by content, at most
//! 5 MB, 295×413 pixels, red background — one at a time through an upload
//! URL, or many as a zip (`candidate-photos` import). A photo moves the
//! candidate from 无照片 to 信息待认证; after 信息准确 the photo is frozen.

use image::ImageFormat;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vslc_ports::Caller;

use super::model::{Candidate, InfoStatus};
use vslc_accounts::Tenant;
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::table::Update;

pub use vslc_ports::photo::{HEIGHT, MAX_PHOTO_BYTES, WIDTH, check, sniff};

fn extension(format: ImageFormat) -> &'static str {
    if format == ImageFormat::Png {
        "png"
    } else {
        "jpg"
    }
}

/// Keeps a checked photo for a candidate and moves it to 信息待认证.
pub async fn attach(
    state: &AppState,
    school: &Tenant,
    c: &Candidate,
    bytes: Vec<u8>,
    format: ImageFormat,
) -> Result<Candidate, DomainError> {
    if c.status == InfoStatus::Accurate {
        return Err(DomainError::conflict(
            "FIELD_FROZEN",
            "考生信息已准确，不能修改照片",
        ));
    }
    let key = format!(
        "photos/{}/{}.{}",
        school.path(),
        c.candidate_no,
        extension(format)
    );
    let content_type = if format == ImageFormat::Png {
        "image/png"
    } else {
        "image/jpeg"
    };
    state.documents.put(&key, bytes, content_type).await?;
    let update = Update::new()
        .set("photoKey", key)
        .remove("reviewReason")
        .set("updatedAt", state.clock.now_text());
    // Only as read: not once it became 信息准确 meanwhile.
    let group = c.change_status(school, InfoStatus::Pending, update);
    state.table.transact(group.into_ops()).await?;
    super::service::load(state, school, &c.candidate_no).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PhotoUploadRequest {
    /// `image/jpeg` or `image/png`.
    pub content_type: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PhotoUpload {
    pub upload_url: String,
    pub content_type: String,
}

fn upload_key(school: &Tenant, no: &str) -> String {
    format!("photos/{}/{no}", school.path())
}

/// Step 1 of a single photo: where to PUT it.
pub async fn begin(
    state: &AppState,
    caller: &Caller,
    no: &str,
    req: PhotoUploadRequest,
) -> Result<PhotoUpload, DomainError> {
    let school = caller.school_exam_writer()?;
    let c = super::service::load(state, school, no).await?;
    if c.status == InfoStatus::Accurate {
        return Err(DomainError::conflict(
            "FIELD_FROZEN",
            "考生信息已准确，不能修改照片",
        ));
    }
    if !matches!(req.content_type.as_str(), "image/jpeg" | "image/png") {
        return Err(DomainError::invalid(
            "BAD_FILE_TYPE",
            "照片须为 JPG 或 PNG 格式",
        ));
    }
    let upload_url = state
        .uploads
        .upload_url(
            &upload_key(school, no),
            &req.content_type,
            state.config.url_ttl,
        )
        .await?;
    Ok(PhotoUpload {
        upload_url,
        content_type: req.content_type,
    })
}

/// Step 2: checks the uploaded photo and attaches it.
pub async fn confirm(
    state: &AppState,
    caller: &Caller,
    no: &str,
) -> Result<super::service::CandidateView, DomainError> {
    let school = caller.school_exam_writer()?;
    let c = super::service::load(state, school, no).await?;
    let key = upload_key(school, no);
    let blob = state
        .uploads
        .get(&key)
        .await?
        .ok_or_else(|| DomainError::invalid("NO_UPLOAD", "请先上传照片"))?;
    let format = check(&blob.bytes).map_err(|m| DomainError::invalid("BAD_PHOTO", m))?;
    let after = attach(state, school, &c, blob.bytes, format).await?;
    state.uploads.delete(&key).await?;
    Ok(super::service::CandidateView::of(&after, true))
}

/// A short-lived link to a candidate's photo.
pub async fn url(state: &AppState, caller: &Caller, no: &str) -> Result<String, DomainError> {
    let school = caller.school_reader()?;
    let c = super::service::load(state, school, no).await?;
    let key = c
        .photo_key
        .ok_or_else(|| DomainError::not_found("考生照片"))?;
    Ok(state
        .documents
        .download_url(&key, None, state.config.url_ttl)
        .await?)
}

// A short-lived link to a candidate's photo (the API document names it only).
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoLink {
    url: String,
}

/// 下载考生照片: the link, handed out as a download in the 操作日志.
pub async fn link(state: &AppState, caller: &Caller, no: &str) -> Result<PhotoLink, DomainError> {
    let url = url(state, caller, no).await?;
    let event = vslc_audit::Event::new(
        vslc_audit::AuditKind::Download,
        "candidate.photo",
        "下载考生照片",
    );
    vslc_audit::record(state, caller, event.target("candidate", no)).await;
    Ok(PhotoLink { url })
}
