//! `candidate-photos` (批量导入考生照片): a zip of `证件号码.jpg|png`.
//!
//! The zip is untrusted. Names with path traversal or absolute paths are
//! refused; the entry count, each entry's size and compression ratio, and
//! the total uncompressed size are capped (zip bombs); entries are read one
//! at a time by a blocking reader and handed over through a small channel,
//! so at most a few photos are in memory at once.

use std::collections::HashMap;
use std::io::Read;

use async_trait::async_trait;

use super::model::Candidate;
use super::photo;
use vslc_imports::{About, Column, FileOutcomes, FileType, ImportContext, ImportKind, RowSink};

pub struct PhotosImport;

/// Most files in one zip; larger batches are split.
pub const MAX_ENTRIES: usize = 5000;
/// Most bytes all entries may expand to.
pub const MAX_TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Largest expansion ratio of one entry (photos barely compress).
pub const MAX_RATIO: u64 = 100;

/// One entry as the reader hands it over.
pub enum Entry {
    Photo { name: String, bytes: Vec<u8> },
    Refused { name: String, reason: String },
}

/// Reads the archive on a blocking thread, entry by entry. `Err` refuses the
/// whole file.
/// Hands each entry to `send`, which answers Err to stop.
pub fn read_entries(
    bytes: Vec<u8>,
    mut send: impl FnMut(Entry) -> Result<(), String>,
) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| "文件不是有效的 zip 压缩包".to_string())?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "压缩包内文件数为{}个，超过{MAX_ENTRIES}个的上限，请拆分后分批导入",
            archive.len()
        ));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut file = archive
            .by_index(i)
            .map_err(|_| "压缩包已损坏，无法读取".to_string())?;
        let name = file
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| "（无法识别的文件名）".into());
        // Traversal first: `..\\..\\win.jpg` must be reported, not taken
        // for a hidden file and skipped.
        if file.enclosed_name().is_none() || name.starts_with('/') || name.contains('\\') {
            send(Entry::Refused {
                name,
                reason: "文件名含路径跳转或绝对路径，已拒绝".into(),
            })?;
            continue;
        }
        if file.is_dir()
            || name.starts_with("__MACOSX/")
            || name.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        let (size, packed) = (file.size(), file.compressed_size());
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err("压缩包解压后超过 2 GB，疑似压缩炸弹，已拒绝".into());
        }
        if size > photo::MAX_PHOTO_BYTES as u64 {
            send(Entry::Refused {
                name,
                reason: "照片大小须在5M以内".into(),
            })?;
            continue;
        }
        if packed > 0 && size / packed > MAX_RATIO {
            send(Entry::Refused {
                name,
                reason: "压缩比异常，疑似压缩炸弹，已拒绝".into(),
            })?;
            continue;
        }
        // Never trust the declared size: read one byte past the limit at most.
        let mut buf = Vec::with_capacity(size as usize);
        let read = (&mut file)
            .take(photo::MAX_PHOTO_BYTES as u64 + 1)
            .read_to_end(&mut buf);
        match read {
            Ok(n) if n > photo::MAX_PHOTO_BYTES => send(Entry::Refused {
                name,
                reason: "照片大小须在5M以内".into(),
            })?,
            Ok(_) => send(Entry::Photo { name, bytes: buf })?,
            Err(_) => send(Entry::Refused {
                name,
                reason: "文件已损坏，无法解压".into(),
            })?,
        }
    }
    Ok(())
}

/// `证件号码.jpg` → the ID number, if the name has that shape.
fn id_of(name: &str) -> Option<String> {
    let base = name.rsplit('/').next()?;
    let (stem, ext) = base.rsplit_once('.')?;
    matches!(ext.to_ascii_lowercase().as_str(), "jpg" | "jpeg" | "png")
        .then(|| vslc_ports::domain::text::normalise(stem).to_ascii_uppercase())
}

#[async_trait]
impl ImportKind for PhotosImport {
    fn about(&self) -> About {
        About::school("candidate-photos", "批量导入考生照片")
    }
    fn file_type(&self) -> FileType {
        FileType::Zip
    }
    fn columns(&self, _params: &serde_json::Value) -> Vec<Column> {
        vec![Column::required("文件名", "证件号码.jpg 或 证件号码.png")]
    }
    fn sample(&self, _params: &serde_json::Value) -> Vec<&'static str> {
        vec!["513321200001010014.jpg"]
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        vec![
            "1. 将考生的标准小一寸照片命名为“证件号码.jpg”（或 .png），压缩成一个 .zip 文件后导入。".into(),
            format!("2. 照片要求：JPG 或 PNG 格式，5M 以内，{}×{} 像素，红色底色。", photo::WIDTH, photo::HEIGHT),
            format!("3. 每个压缩包最多 {MAX_ENTRIES} 张照片；更多照片请分批导入。"),
            "4. 信息已准确的考生不能更换照片；导入照片后考生变为“信息待认证”。".into(),
        ]
    }

    async fn open(&self, _ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        anyhow::bail!("candidate photos come as a zip, not as sheet rows")
    }

    async fn apply_file(
        &self,
        ctx: &ImportContext<'_>,
        bytes: Vec<u8>,
    ) -> anyhow::Result<Result<FileOutcomes, String>> {
        let state = ctx.state;
        let school = &ctx.record.tenant;
        // ID number → candidate, for this school only.
        let mut by_id: HashMap<String, Candidate> = HashMap::new();
        for c in super::service::all(state, school).await? {
            by_id.insert(c.id_number.clone(), c);
        }
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Entry>(4);
        let reader = tokio::task::spawn_blocking(move || {
            read_entries(bytes, |e| {
                tx.blocking_send(e).map_err(|_| "导入已中止".to_string())
            })
        });
        let mut outcomes: FileOutcomes = Vec::new();
        let mut first: HashMap<String, String> = HashMap::new();
        while let Some(entry) = rx.recv().await {
            let (name, result) = match entry {
                Entry::Refused { name, reason } => (name, Err(reason)),
                Entry::Photo { name, bytes } => {
                    let result = match id_of(&name) {
                        None => Err("文件名须为“证件号码.jpg”或“证件号码.png”".to_string()),
                        Some(id) => match (photo::check(&bytes), by_id.get(&id), first.get(&id)) {
                            (Err(reason), _, _) => Err(reason),
                            (_, _, Some(earlier)) => Err(format!("与 {earlier} 是同一考生的照片")),
                            (_, None, _) => Err(format!("本校没有证件号码为 {id} 的考生")),
                            (Ok(_), Some(_), None) if ctx.dry_run => {
                                first.insert(id, name.clone());
                                Ok(())
                            }
                            (Ok(format), Some(c), None) => {
                                first.insert(id, name.clone());
                                match photo::attach(state, school, c, bytes, format).await {
                                    Ok(_) => Ok(()),
                                    // A verdict on this photo fails its row;
                                    // storage trouble fails the delivery,
                                    // which is retried.
                                    Err(e) if !e.is_transient() => Err(e.message()),
                                    Err(e) => {
                                        return Err(anyhow::Error::from(e)
                                            .context(format!("attaching photo {name}")));
                                    }
                                }
                            }
                        },
                    };
                    (name, result)
                }
            };
            outcomes.push((vec![name], result));
            if outcomes.len().is_multiple_of(200) {
                ctx.progress_of(outcomes.len(), outcomes.len() + 200)
                    .await?;
            }
        }
        match reader.await? {
            Ok(()) => Ok(Ok(outcomes)),
            Err(message) => Ok(Err(message)),
        }
    }
}
