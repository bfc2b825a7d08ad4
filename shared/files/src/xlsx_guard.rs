//! The gate every uploaded workbook passes before calamine opens it.
//!
//! An xlsx is a zip of XML parts, and calamine trusts both: it reserves as
//! many shared strings as the file declares, holds every shared string in
//! memory and buffers whatever text sits between two tags. A 2 KB file can
//! therefore ask for exabytes, and a 1 MB one expand to gigabytes. This
//! module streams each part once, decompressing as it goes and never holding
//! a part, and refuses the file as soon as a limit is passed: the zip's
//! directory size and entry count, each part's and all parts' decompressed
//! size, the longest run of text or markup, the shared-string count (declared
//! and actual), row elements and rows with data in the first sheet. Each
//! limit answers with its own Chinese message. The XML is tokenised with
//! end-tag checks, so a part that breaks half-way is refused here, before
//! any row is saved.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

/// Limits on what one workbook may expand to. The defaults fit the largest
/// legitimate file (100,000 data rows of any template) many times over.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Size of the zip's central directory (its list of parts).
    pub max_directory_bytes: u64,
    /// Parts in the zip.
    pub max_entries: usize,
    /// Decompressed bytes of one worksheet part.
    pub max_sheet_bytes: u64,
    /// Decompressed bytes of any other part (shared strings, styles, …).
    pub max_part_bytes: u64,
    /// Decompressed bytes of all XML parts together.
    pub max_total_bytes: u64,
    /// Bytes between two markup characters: a cell's text or one tag.
    pub max_run_bytes: usize,
    /// Shared strings, declared or present.
    pub max_shared_strings: u64,
    /// Row elements in the first sheet, empty ones included (CPU).
    pub max_row_elements: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_directory_bytes: 1024 * 1024,
            max_entries: 2_000,
            max_sheet_bytes: 256 * 1024 * 1024,
            max_part_bytes: 64 * 1024 * 1024,
            max_total_bytes: 320 * 1024 * 1024,
            // Excel holds at most 32,767 characters in a cell; escaped
            // UTF-8 stays well under this.
            max_run_bytes: 256 * 1024,
            max_shared_strings: 1_500_000,
            // Excel's own sheet height.
            max_row_elements: 1_048_576,
        }
    }
}

/// Why a workbook was refused, in words for the person who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("文件无法读取：不是有效的 .xlsx 文件，请使用模板填写后另存为 Excel 工作簿（.xlsx）")]
    NotXlsx,
    #[error("文件包含的部件过多（超过 {0} 个），请用 Excel 另存为后重新上传")]
    TooManyParts(usize),
    #[error("文件中的“{part}”解压后超过 {limit_mb}MB，文件内容异常，已拒绝")]
    PartTooLarge { part: String, limit_mb: u64 },
    #[error("文件解压后超过 {0}MB，疑似压缩炸弹，已拒绝")]
    TotalTooLarge(u64),
    #[error("文件中有单元格内容过长（超过 32767 个字符）或内容异常，已拒绝")]
    RunTooLong,
    #[error("文件中的不重复文本超过 {0} 条，已拒绝，请拆分后分批导入")]
    TooManyStrings(u64),
    #[error("工作表的行数超过 {0} 行（含空行），请删除多余的空行后重新上传")]
    TooManyRows(u64),
    #[error("文件内容已损坏（{part} 解析失败），请用 Excel 打开并另存为 .xlsx 后重新上传")]
    Broken { part: String },
    #[error("文件中没有工作表")]
    NoSheet,
}

/// What the gate learned about the first sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspection {
    /// Rows of the first sheet with at least one value (header included).
    pub valued_rows: u64,
}

/// Checks a workbook against `limits`; Ok when calamine may open it.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspection, Refused> {
    check_directory(bytes, limits)?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refused::NotXlsx)?;
    if zip.len() > limits.max_entries {
        return Err(Refused::TooManyParts(limits.max_entries));
    }
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|_| Refused::NotXlsx)?;
    let normal = |n: &str| n.replace('\\', "/").to_ascii_lowercase();
    let sheet = first_sheet_path(&mut zip, &names, limits)?;
    let mut total: u64 = 0;
    let mut valued_rows = None;
    for name in &names {
        let lower = normal(name);
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            // Media and other binaries: calamine does not read them.
            continue;
        }
        let is_sheet = lower.starts_with("xl/worksheets/");
        let cap = if is_sheet {
            limits.max_sheet_bytes
        } else {
            limits.max_part_bytes
        };
        let part = zip.by_name(name).map_err(|_| Refused::NotXlsx)?;
        let mut guard = Guarded::new(part, cap, limits.max_run_bytes);
        let kind = if Some(&lower) == sheet.as_ref() {
            PartKind::FirstSheet
        } else if lower.ends_with("sharedstrings.xml") {
            PartKind::SharedStrings
        } else {
            PartKind::Other
        };
        let scanned = match kind {
            PartKind::FirstSheet => scan_sheet(&mut guard, limits),
            _ => scan(&mut guard, kind, limits),
        };
        let counted = scanned.map_err(|e| match e {
            ScanError::Guard(GuardError::PartTooLarge) => Refused::PartTooLarge {
                part: short_name(name),
                limit_mb: cap / (1024 * 1024),
            },
            ScanError::Guard(GuardError::RunTooLong) => Refused::RunTooLong,
            ScanError::Refused(r) => r,
            ScanError::Broken => Refused::Broken {
                part: short_name(name),
            },
        })?;
        total = total.saturating_add(guard.read);
        if total > limits.max_total_bytes {
            return Err(Refused::TotalTooLarge(
                limits.max_total_bytes / (1024 * 1024),
            ));
        }
        if kind == PartKind::FirstSheet {
            valued_rows = Some(counted);
        }
    }
    Ok(Inspection {
        valued_rows: valued_rows.ok_or(Refused::NoSheet)?,
    })
}

fn short_name(name: &str) -> String {
    name.chars().take(80).collect()
}

/// The end-of-central-directory record names the directory's size before
/// the zip crate reads it (a directory of millions of entries would be
/// held whole). ZIP64 archives (over 4 GB or 65,535 entries) are refused.
fn check_directory(bytes: &[u8], limits: &Limits) -> Result<(), Refused> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    if bytes.len() < 22 {
        return Err(Refused::NotXlsx);
    }
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = (from..=bytes.len() - 22)
        .rev()
        .find(|&i| bytes[i..i + 4] == EOCD)
        .ok_or(Refused::NotXlsx)?;
    let u16_at = |o: usize| u16::from_le_bytes([bytes[at + o], bytes[at + o + 1]]);
    let u32_at = |o: usize| {
        u32::from_le_bytes([
            bytes[at + o],
            bytes[at + o + 1],
            bytes[at + o + 2],
            bytes[at + o + 3],
        ])
    };
    let entries = u16_at(10);
    let dir_size = u32_at(12);
    if entries == u16::MAX || dir_size == u32::MAX {
        return Err(Refused::TooManyParts(limits.max_entries));
    }
    if entries as usize > limits.max_entries || dir_size as u64 > limits.max_directory_bytes {
        return Err(Refused::TooManyParts(limits.max_entries));
    }
    Ok(())
}

/// The first sheet's part, as calamine finds it: the workbook's first
/// `<sheet r:id>`, resolved through `xl/_rels/workbook.xml.rels`.
fn first_sheet_path(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    names: &[String],
    limits: &Limits,
) -> Result<Option<String>, Refused> {
    let find = |want: &str| {
        names
            .iter()
            .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(want))
            .cloned()
    };
    let (Some(workbook), Some(rels)) =
        (find("xl/workbook.xml"), find("xl/_rels/workbook.xml.rels"))
    else {
        return Err(Refused::NotXlsx);
    };
    let read_small = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| {
        let part = zip.by_name(name).map_err(|_| Refused::NotXlsx)?;
        let mut out = Vec::new();
        Guarded::new(part, limits.max_part_bytes, limits.max_run_bytes)
            .read_to_end(&mut out)
            .map_err(|_| Refused::PartTooLarge {
                part: name.to_owned(),
                limit_mb: limits.max_part_bytes / (1024 * 1024),
            })?;
        Ok::<_, Refused>(out)
    };
    let workbook_xml = read_small(zip, &workbook)?;
    let broken = |part: &str| Refused::Broken {
        part: part.to_owned(),
    };
    let mut reader = quick_xml::Reader::from_reader(workbook_xml.as_slice());
    let mut buf = Vec::new();
    let mut rid = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                rid = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "id")
                    .map(|a| a.value.to_string());
                break;
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(broken(&workbook)),
            _ => {}
        }
        buf.clear();
    }
    let Some(rid) = rid else {
        return Err(Refused::NoSheet);
    };
    let rels_xml = read_small(zip, &rels)?;
    let mut reader = quick_xml::Reader::from_reader(rels_xml.as_slice());
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let attr = |k: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == k)
                        .map(|a| a.value.to_string())
                };
                if attr("Id").as_deref() == Some(rid.as_str()) {
                    let target = attr("Target").unwrap_or_default().replace('\\', "/");
                    let path = match target.strip_prefix('/') {
                        Some(abs) => abs.to_owned(),
                        None => format!("xl/{target}"),
                    };
                    return Ok(Some(path.to_ascii_lowercase()));
                }
            }
            Ok(Event::Eof) => return Err(Refused::NoSheet),
            Err(_) => return Err(broken(&rels)),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    FirstSheet,
    SharedStrings,
    Other,
}

enum ScanError {
    Guard(GuardError),
    Refused(Refused),
    Broken,
}

/// Tokenises one part other than the first sheet (checking that its XML is
/// well formed, and counting shared strings).
fn scan<R: Read>(part: &mut Guarded<R>, kind: PartKind, limits: &Limits) -> Result<u64, ScanError> {
    let mut reader =
        quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(64 * 1024, &mut *part));
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::with_capacity(1024);
    let mut strings: u64 = 0;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(quick_xml::Error::Io(io)) => {
                return Err(match GuardError::of(&io) {
                    Some(g) => ScanError::Guard(g),
                    None => ScanError::Broken,
                });
            }
            Err(_) => return Err(ScanError::Broken),
        };
        match (kind, event) {
            (_, Event::Eof) => break,
            (PartKind::SharedStrings, Event::Start(e)) => match e.local_name().as_ref() {
                "sst" => {
                    for a in e.attributes().flatten() {
                        if matches!(a.key.local_name().as_ref(), "count" | "uniqueCount") {
                            let declared = a.value.trim().parse::<u64>().ok();
                            // calamine reserves `uniqueCount` strings up front.
                            if declared.is_none_or(|n| n > limits.max_shared_strings)
                                && a.key.local_name().as_ref() == "uniqueCount"
                            {
                                return Err(ScanError::Refused(Refused::TooManyStrings(
                                    limits.max_shared_strings,
                                )));
                            }
                        }
                    }
                }
                "si" => {
                    strings += 1;
                    if strings > limits.max_shared_strings {
                        return Err(ScanError::Refused(Refused::TooManyStrings(
                            limits.max_shared_strings,
                        )));
                    }
                }
                _ => {}
            },
            (PartKind::SharedStrings, Event::Empty(e)) if e.local_name().as_ref() == "si" => {
                strings += 1;
                if strings > limits.max_shared_strings {
                    return Err(ScanError::Refused(Refused::TooManyStrings(
                        limits.max_shared_strings,
                    )));
                }
            }
            _ => {}
        }
    }
    Ok(0)
}

/// The first sheet, the one large part, scanned as bytes instead of
/// tokenised (a full XML pass cost about as much as calamine's own read):
/// the guard still bounds its size and every run, row elements are
/// counted, and a row counts as holding a value when a `<v>`, `<is>` or
/// `<t>` opens inside it. XML that breaks inside the sheet is left to
/// calamine; the import then takes back what it saved.
fn scan_sheet<R: Read>(part: &mut Guarded<R>, limits: &Limits) -> Result<u64, ScanError> {
    /// A tag's name is looked at within this many bytes of its `<`.
    const NAME: usize = 16;
    let mut buf = vec![0u8; 64 * 1024 + NAME];
    let mut kept = 0;
    let (mut rows, mut valued, mut has_value) = (0u64, 0u64, false);
    loop {
        let n = match part.read(&mut buf[kept..]) {
            Ok(n) => n,
            Err(e) => return Err(GuardError::of(&e).map_or(ScanError::Broken, ScanError::Guard)),
        };
        if n == 0 {
            break;
        }
        let end = kept + n;
        let mut carry_from = end;
        for at in memchr::memchr_iter(b'<', &buf[..end]) {
            if end - at <= NAME {
                // The name may run past this buffer: look again with the next.
                carry_from = at;
                break;
            }
            match tag_name(&buf[at + 1..at + 1 + NAME]) {
                (false, b"row") => {
                    rows += 1;
                    if rows > limits.max_row_elements {
                        return Err(ScanError::Refused(Refused::TooManyRows(
                            limits.max_row_elements,
                        )));
                    }
                    has_value = false;
                }
                (false, b"v" | b"is" | b"t") => has_value = true,
                (true, b"row") => {
                    valued += u64::from(has_value);
                    has_value = false;
                }
                _ => {}
            }
        }
        buf.copy_within(carry_from..end, 0);
        kept = end - carry_from;
    }
    Ok(valued)
}

/// Whether a tag closes, and its local name (without a namespace prefix).
fn tag_name(after_lt: &[u8]) -> (bool, &[u8]) {
    let (closing, rest) = match after_lt.split_first() {
        Some((b'/', rest)) => (true, rest),
        _ => (false, after_lt),
    };
    let end = rest
        .iter()
        .position(|b| matches!(b, b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    let local = match memchr::memchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    };
    (closing, local)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GuardError {
    PartTooLarge,
    RunTooLong,
}

impl GuardError {
    fn io(self) -> std::io::Error {
        std::io::Error::other(self)
    }
    fn of(e: &std::io::Error) -> Option<Self> {
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<Self>())
            .copied()
    }
}

impl std::fmt::Display for GuardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GuardError::PartTooLarge => "part too large",
            GuardError::RunTooLong => "run too long",
        })
    }
}

impl std::error::Error for GuardError {}

/// A decompressing reader that stops at `cap` bytes and at a run of more
/// than `max_run` bytes without `<` or `>` (the XML parser would buffer it
/// whole).
struct Guarded<R> {
    inner: R,
    cap: u64,
    read: u64,
    max_run: usize,
    run: usize,
}

impl<R: Read> Guarded<R> {
    fn new(inner: R, cap: u64, max_run: usize) -> Self {
        Self {
            inner,
            cap,
            read: 0,
            max_run,
            run: 0,
        }
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.cap {
            return Err(GuardError::PartTooLarge.io());
        }
        let got = &buf[..n];
        match memchr::memrchr2(b'<', b'>', got) {
            Some(last) => {
                let first = memchr::memchr2(b'<', b'>', got).unwrap_or(last);
                if self.run + first > self.max_run {
                    return Err(GuardError::RunTooLong.io());
                }
                // A run strictly inside this buffer is shorter than the
                // buffer: only a buffer longer than the limit needs a look.
                if last - first > self.max_run {
                    let mut prev = first;
                    for at in memchr::memchr2_iter(b'<', b'>', &got[first + 1..last + 1]) {
                        let at = first + 1 + at;
                        if at - prev - 1 > self.max_run {
                            return Err(GuardError::RunTooLong.io());
                        }
                        prev = at;
                    }
                }
                self.run = n - last - 1;
            }
            None => {
                self.run += n;
                if self.run > self.max_run {
                    return Err(GuardError::RunTooLong.io());
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal workbook with the given sheet and shared-strings XML.
    pub(crate) fn workbook(sheet: &[u8], strings: Option<&[u8]>) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut put = |name: &str, body: &[u8]| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(body).unwrap();
        };
        put(
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        );
        put(
            "_rels/.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        put(
            "xl/workbook.xml",
            br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        put(
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        );
        put("xl/worksheets/sheet1.xml", sheet);
        if let Some(s) = strings {
            put("xl/sharedStrings.xml", s);
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn sheet_of(rows: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
        )
        .into_bytes()
    }

    const STRINGS: &[u8] = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>a</t></si></sst>"#;

    #[test]
    fn a_real_template_passes_and_counts_rows_with_values() {
        let cols = vec![crate::xlsx::Column::required("编号", "")];
        let t = crate::xlsx::template("演示", &cols, &["001"], &[]).unwrap();
        assert_eq!(inspect(&t, &Limits::default()).unwrap().valued_rows, 2);
        let sheet = sheet_of(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"/><row r="3"><c r="A3" s="1"/></row><row r="4"><c r="A4" t="inlineStr"><is><t>x</t></is></c></row>"#,
        );
        let wb = workbook(&sheet, Some(STRINGS));
        assert_eq!(inspect(&wb, &Limits::default()).unwrap().valued_rows, 2);
    }

    #[test]
    fn an_absurd_declared_string_count_is_refused() {
        let strings = br#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="1000000000000000000"><si><t>a</t></si></sst>"#;
        let wb = workbook(&sheet_of(""), Some(strings));
        assert_eq!(
            inspect(&wb, &Limits::default()),
            Err(Refused::TooManyStrings(1_500_000))
        );
    }

    #[test]
    fn too_many_shared_strings_are_refused_as_they_stream() {
        let limits = Limits {
            max_shared_strings: 10,
            ..Limits::default()
        };
        let many = format!(r#"<sst xmlns="x">{}</sst>"#, "<si><t>a</t></si>".repeat(11));
        let wb = workbook(&sheet_of(""), Some(many.as_bytes()));
        assert_eq!(inspect(&wb, &limits), Err(Refused::TooManyStrings(10)));
    }

    #[test]
    fn whitespace_bombs_and_long_cells_are_refused() {
        let limits = Limits::default();
        let blank = sheet_of(&" ".repeat(limits.max_run_bytes + 1));
        assert_eq!(
            inspect(&workbook(&blank, None), &limits),
            Err(Refused::RunTooLong)
        );
        let long = sheet_of(&format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row>"#,
            "长".repeat(limits.max_run_bytes / 3 + 1)
        ));
        assert_eq!(
            inspect(&workbook(&long, None), &limits),
            Err(Refused::RunTooLong)
        );
        // Just under the limit is fine.
        let ok = sheet_of(&format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row>"#,
            "x".repeat(limits.max_run_bytes)
        ));
        assert!(inspect(&workbook(&ok, None), &limits).is_ok());
    }

    #[test]
    fn oversize_parts_and_endless_empty_rows_are_refused() {
        let limits = Limits {
            max_sheet_bytes: 10_000,
            max_row_elements: 100,
            ..Limits::default()
        };
        let big = sheet_of(&"<row/>".repeat(3_000));
        assert!(matches!(
            inspect(&workbook(&big, None), &limits),
            Err(Refused::PartTooLarge { .. })
        ));
        let empty_rows = sheet_of(&"<row/>".repeat(101));
        assert_eq!(
            inspect(&workbook(&empty_rows, None), &limits),
            Err(Refused::TooManyRows(100))
        );
    }

    #[test]
    fn xml_that_breaks_half_way_is_refused() {
        let strings =
            br#"<sst xmlns="x" count="2" uniqueCount="2"><si><t>a</t></si><si><t>b</t></sst>"#;
        assert!(matches!(
            inspect(&workbook(&sheet_of(""), Some(strings)), &Limits::default()),
            Err(Refused::Broken { .. })
        ));
    }

    #[test]
    fn rows_are_counted_across_buffers_and_namespaces() {
        // Far more than one 64 KB buffer, so tags straddle buffer ends.
        let rows: String = (1..=5_000)
            .map(|r| {
                if r % 3 == 0 {
                    format!(r#"<x:row r="{r}"><x:c r="A{r}"><x:v>{r}</x:v></x:c></x:row>"#)
                } else if r % 3 == 1 {
                    format!(r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>长文本{r}</t></is></c></row>"#)
                } else {
                    format!(r#"<row r="{r}" spans="1:3"><c r="A{r}" s="2"/></row>"#)
                }
            })
            .collect();
        let wb = workbook(&sheet_of(&rows), None);
        assert_eq!(inspect(&wb, &Limits::default()).unwrap().valued_rows, 3_333);
        assert_eq!(tag_name(b"/x:row>"), (true, &b"row"[..]));
        assert_eq!(tag_name(b"v>12</v>"), (false, &b"v"[..]));
        assert_eq!(tag_name(b"c r=\"A1\">"), (false, &b"c"[..]));
    }

    #[test]
    fn not_a_zip_and_huge_directories_are_refused() {
        assert_eq!(inspect(b"hello", &Limits::default()), Err(Refused::NotXlsx));
        let wb = workbook(&sheet_of(""), None);
        let limits = Limits {
            max_entries: 3,
            ..Limits::default()
        };
        assert_eq!(inspect(&wb, &limits), Err(Refused::TooManyParts(3)));
    }

    #[test]
    fn the_guard_measures_runs_across_reads() {
        let data = format!("<a>{}</a>", "x".repeat(100));
        // Read in 7-byte pieces so runs span buffers.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        assert!(
            Guarded::new(Slow(data.as_bytes()), 1_000, 100)
                .read_to_end(&mut out)
                .is_ok()
        );
        let err = Guarded::new(Slow(data.as_bytes()), 1_000, 99)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(GuardError::of(&err), Some(GuardError::RunTooLong));
    }
}
