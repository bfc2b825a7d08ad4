//! Hostile workbooks at full size, each imported in a process of its own.
//!
//! `cargo bench -p vslc-shared --bench hostile` builds the files that used to
//! take the platform down (a 2 KB file declaring 10^18 shared strings,
//! 1 GiB of whitespace in the sheet, one 1 GiB shared string, 20 million
//! shared strings, 179 million empty rows) and the ones that used to leave
//! rows behind (100,001 valid rows; XML that breaks after row 30,000), runs
//! each through the import worker on the embedded backend and prints the
//! outcome, the message, wall and CPU time, peak RSS and the candidates left
//! stored. Targets: every import ends 失败 with its message, peak RSS ≤ 256
//! MB, nothing stored.

use std::io::Write;
use std::time::Instant;

use vslc_accounts::{Tenant, TenantKind};

mod common;
use common::id_number;

vslc_runtime::global_allocator!();

const FILES: &[&str] = &[
    "strings-declared-1e18",
    "whitespace-1GiB",
    "one-string-1GiB",
    "strings-20M",
    "empty-rows-179M",
    "rows-100001",
    "xml-breaks-after-30000",
];

fn main() -> anyhow::Result<()> {
    let dir = match std::env::var("VSLC_BENCH_DIR") {
        Ok(d) => std::path::PathBuf::from(d),
        Err(_) => {
            let dir = tempfile::tempdir()?.keep();
            let t = Instant::now();
            for name in FILES {
                let bytes = build(name)?;
                println!("built {name}: {} bytes", bytes.len());
                std::fs::write(dir.join(format!("{name}.xlsx")), bytes)?;
            }
            println!("files built in {:.1} s\n", t.elapsed().as_secs_f64());
            for name in FILES {
                let status = std::process::Command::new(std::env::current_exe()?)
                    .arg(name)
                    .env("VSLC_BENCH_DIR", &dir)
                    .status()?;
                anyhow::ensure!(status.success(), "{name} failed");
            }
            std::fs::remove_dir_all(&dir)?;
            return Ok(());
        }
    };
    let name = std::env::args().nth(1).unwrap_or_default();
    vslc_runtime::lambda::init_tracing(false);
    tokio::runtime::Runtime::new()?.block_on(run(&dir, &name))
}

/// The parts of a one-sheet workbook; `sheet` and `strings` write the two
/// big parts straight into the zip.
fn workbook(
    sheet: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    strings: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    let fixed: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="考生" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
    ];
    for (name, body) in fixed {
        zip.start_file(name, opts)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.start_file("xl/sharedStrings.xml", opts)?;
    strings(&mut zip)?;
    zip.start_file("xl/worksheets/sheet1.xml", opts)?;
    sheet(&mut zip)?;
    Ok(zip.finish()?.into_inner())
}

const SHEET_OPEN: &str = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_CLOSE: &str = "</sheetData></worksheet>";

/// A worksheet whose `<sheetData>` is what `rows` writes.
fn sheet_data(
    w: &mut dyn Write,
    rows: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    w.write_all(SHEET_OPEN.as_bytes())?;
    rows(w)?;
    w.write_all(SHEET_CLOSE.as_bytes())
}

/// Inline-string rows of a valid roster: the header, then `rows` rows.
fn roster_rows(w: &mut dyn Write, rows: usize) -> std::io::Result<()> {
    let cell = |w: &mut dyn Write, r: usize, c: usize, v: &str| {
        let col = (b'A' + c as u8) as char;
        write!(
            w,
            r#"<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#
        )
    };
    write!(w, r#"<row r="1">"#)?;
    for (c, h) in common::roster_head().iter().enumerate() {
        cell(w, 1, c, h)?;
    }
    write!(w, "</row>")?;
    for i in 0..rows {
        let r = i + 2;
        write!(w, r#"<row r="{r}">"#)?;
        let values = [
            format!("学生{i}"),
            "XUE SHENG".into(),
            String::new(),
            "身份证".into(),
            id_number(i),
            format!("185{i:08}"),
            "510201 计算机应用技术".into(),
            "高职专科".into(),
            "2024".into(),
        ];
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                cell(w, r, c, v)?;
            }
        }
        write!(w, "</row>")?;
    }
    Ok(())
}

fn repeat(w: &mut dyn Write, piece: &[u8], times: usize) -> std::io::Result<()> {
    let block: Vec<u8> = piece.repeat((1 << 20) / piece.len().max(1));
    let per_block = block.len() / piece.len();
    let mut left = times;
    while left >= per_block {
        w.write_all(&block)?;
        left -= per_block;
    }
    w.write_all(&piece.repeat(left))
}

fn no_strings(w: &mut dyn Write) -> std::io::Result<()> {
    w.write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#)
}

fn build(name: &str) -> anyhow::Result<Vec<u8>> {
    const GIB: usize = 1 << 30;
    let header_only = |w: &mut dyn Write| sheet_data(w, |w| roster_rows(w, 0));
    match name {
        "strings-declared-1e18" => workbook(header_only, |w| {
            w.write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000000000"><si><t>a</t></si></sst>"#)
        }),
        "whitespace-1GiB" => workbook(|w| sheet_data(w, |w| repeat(w, b" ", GIB)), no_strings),
        "one-string-1GiB" => workbook(header_only, |w| {
            w.write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#)?;
            repeat(w, b"a", GIB)?;
            w.write_all(b"</t></si></sst>")
        }),
        "strings-20M" => workbook(header_only, |w| {
            w.write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)?;
            repeat(w, b"<si><t>a</t></si>", 20_000_000)?;
            w.write_all(b"</sst>")
        }),
        "empty-rows-179M" => workbook(
            |w| sheet_data(w, |w| repeat(w, b"<row/>", 179_000_000)),
            no_strings,
        ),
        "rows-100001" => workbook(|w| sheet_data(w, |w| roster_rows(w, 100_001)), no_strings),
        "xml-breaks-after-30000" => workbook(
            |w| {
                sheet_data(w, |w| {
                    roster_rows(w, 30_000)?;
                    w.write_all(br#"<row r="30002"><c r="A30002"><v>1</c></row>"#)?;
                    roster_rows(w, 0)
                })
            },
            no_strings,
        ),
        other => anyhow::bail!("no such file: {other}"),
    }
}

async fn run(dir: &std::path::Path, name: &str) -> anyhow::Result<()> {
    let bytes = std::fs::read(dir.join(format!("{name}.xlsx")))?;
    let data = tempfile::tempdir()?;
    let state = common::open(data.path())?;
    vslc_app::seed::catalogue::seed(&state).await?;
    let school = Tenant::new(TenantKind::School, "10009");
    let size = bytes.len();
    let queued = common::queue_roster(&state, &school, bytes).await?;
    let run = common::run_queued(&state, &school, queued).await?;
    let (done, secs, cpu, peak) = (run.record, run.secs, run.cpu, run.peak_mb);
    let stored = vslc_candidates::service::all(&state, &school)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .len();
    println!(
        "{name} ({:.1} MB): {} — {}\n    {secs:.2} s, CPU {cpu:.2} s, peak RSS {peak:.0} MB, candidates stored {stored}",
        size as f64 / 1e6,
        done.status.label(),
        done.message.unwrap_or_default(),
    );
    Ok(())
}
