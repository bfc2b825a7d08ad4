//! For tests: what poppler's tools (Debian `poppler-utils`, installed by
//! `scripts/test.sh`) read from a PDF — its text, page count, page size and
//! fonts — and a page rendered to PNG to look at.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let mut file = tempfile_in_target();
    file.1.write_all(pdf).expect("writing the PDF");
    let path = file.0.to_str().expect("a UTF-8 path").to_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.push(&path);
    if tool == "pdftotext" {
        all.push("-");
    }
    let out = Command::new(tool)
        .args(&all)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils; scripts/test.sh installs it): {e}"));
    let _ = std::fs::remove_file(&file.0);
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

fn tempfile_in_target() -> (PathBuf, std::fs::File) {
    let dir = std::env::temp_dir().join("vslc-pdf-checks");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!(
        "{}-{:?}-{}.pdf",
        std::process::id(),
        std::thread::current().id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    let file = std::fs::File::create(&path).expect("temp file");
    (path, file)
}

/// The text of every page (`pdftotext -layout`), pages separated by form
/// feeds.
pub fn text(pdf: &[u8]) -> String {
    run("pdftotext", &["-layout", "-enc", "UTF-8"], pdf)
}

/// The text of each page.
pub fn pages_text(pdf: &[u8]) -> Vec<String> {
    let all = text(pdf);
    let mut pages: Vec<String> = all.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// `pdfinfo`'s value of a field (`Pages`, `Page size`, `Title`).
pub fn info(pdf: &[u8], field: &str) -> String {
    run("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)
                .and_then(|r| r.strip_prefix(':'))
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default()
}

/// How many pages.
pub fn page_count(pdf: &[u8]) -> usize {
    info(pdf, "Pages").parse().expect("pdfinfo's page count")
}

/// The fonts as `pdffonts` lists them: (name, embedded, subset, unicode
/// map).
pub fn fonts(pdf: &[u8]) -> Vec<(String, bool, bool, bool)> {
    run("pdffonts", &[], pdf)
        .lines()
        .skip(2)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let n = cols.len();
            (n >= 6).then(|| {
                (
                    cols[0].to_owned(),
                    cols[n - 5] == "yes",
                    cols[n - 4] == "yes",
                    cols[n - 3] == "yes",
                )
            })
        })
        .collect()
}

/// Renders page `page` (from 1) to `<out>.png` at `dpi`; returns its path.
pub fn render_png(pdf: &[u8], page: usize, dpi: u32, out: &Path) -> PathBuf {
    let (path, mut file) = tempfile_in_target();
    file.write_all(pdf).expect("writing the PDF");
    let p = page.to_string();
    let d = dpi.to_string();
    let status = Command::new("pdftoppm")
        .args(["-png", "-singlefile", "-r", &d, "-f", &p, "-l", &p])
        .arg(&path)
        .arg(out)
        .status()
        .expect("pdftoppm (poppler-utils)");
    let _ = std::fs::remove_file(&path);
    assert!(status.success(), "pdftoppm failed");
    out.with_extension("png")
}
