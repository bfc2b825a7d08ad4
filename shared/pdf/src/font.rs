//! The typeface every document is set in: Noto Sans SC, read once per
//! process from the first place it is found, embedded in each PDF as the
//! subset of glyphs the document uses. Text is measured with the font's own
//! advance widths, so centring, fitting and wrapping agree with what is
//! drawn.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};

use crate::PdfError;

/// The font's file name.
pub const FILE: &str = "NotoSansSC-Regular.ttf";

/// Where the font is looked for, in order: `VSLC_FONT_DIR`; the Lambda
/// fonts layer (`/opt/fonts`); `fonts/` beside the executable; the
/// repository's `assets/fonts` (where `scripts/fonts.sh` puts it).
pub fn search_path() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("VSLC_FONT_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    dirs.push(PathBuf::from("/opt/fonts"));
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("fonts"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts"));
    dirs.into_iter().map(|d| d.join(FILE)).collect()
}

/// A loaded typeface: the font krilla embeds and its metrics.
pub struct Typeface {
    pub(crate) font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    advances: GlyphMetrics<'static>,
    /// Glyph and advance of every Basic Multilingual Plane character, read
    /// from the cmap once (a lookup per character was a tenth of a page's
    /// cost); others are looked up.
    bmp: Box<[(u32, f32)]>,
    /// Ascender and descender (positive, below the baseline), per point.
    ascent: f32,
    descent: f32,
}

impl std::fmt::Debug for Typeface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typeface").finish_non_exhaustive()
    }
}

static LOADED: OnceLock<Result<Typeface, String>> = OnceLock::new();

/// The typeface, loaded on first use (about 10 MB, a few milliseconds).
pub fn typeface() -> Result<&'static Typeface, PdfError> {
    LOADED
        .get_or_init(load)
        .as_ref()
        .map_err(|why| PdfError::Font(why.clone()))
}

fn load() -> Result<Typeface, String> {
    let paths = search_path();
    let Some((path, bytes)) = paths
        .iter()
        .find_map(|p| std::fs::read(p).ok().map(|b| (p, b)))
    else {
        let tried: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "{FILE} not found (run scripts/fonts.sh, or set VSLC_FONT_DIR); looked in {}",
            tried.join(", ")
        ));
    };
    // Read once and kept for the life of the process: the metrics below
    // borrow it, and krilla shares it with every document.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    Typeface::from_static(bytes).map_err(|e| format!("{}: {e}", path.display()))
}

impl Typeface {
    /// A typeface from font data that lives as long as the process.
    pub fn from_static(bytes: &'static [u8]) -> Result<Self, String> {
        let face = FontRef::new(bytes).map_err(|e| format!("not a font: {e}"))?;
        let upem = f32::from(face.head().map_err(|e| e.to_string())?.units_per_em());
        let metrics = face.metrics(Size::unscaled(), LocationRef::default());
        let font = Font::new(bytes.into(), 0).ok_or("krilla cannot read the font")?;
        if face.charmap().map('中').is_none() {
            return Err("the font has no Chinese glyphs".into());
        }
        let charmap = face.charmap();
        let advances = face.glyph_metrics(Size::new(1.0), LocationRef::default());
        let notdef = (0, advances.advance_width(Default::default()).unwrap_or(0.0));
        let mut bmp = vec![notdef; 0x1_0000].into_boxed_slice();
        for (cp, gid) in charmap.mappings() {
            if let Some(slot) = bmp.get_mut(cp as usize) {
                *slot = (gid.to_u32(), advances.advance_width(gid).unwrap_or(0.0));
            }
        }
        Ok(Self {
            font,
            charmap,
            advances,
            bmp,
            ascent: metrics.ascent / upem,
            descent: -metrics.descent / upem,
        })
    }

    /// The width of `text` set at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// One character's glyph and advance at 1 pt (a missing glyph: the
    /// .notdef's).
    fn glyph(&self, c: char) -> (u32, f32) {
        if let Some(g) = self.bmp.get(c as usize) {
            return *g;
        }
        let gid = self.charmap.map(c).unwrap_or_default();
        (
            gid.to_u32(),
            self.advances.advance_width(gid).unwrap_or(0.0),
        )
    }

    fn advance(&self, c: char) -> f32 {
        self.glyph(c).1
    }

    /// `text` as positioned glyphs: one a character, each advancing by its
    /// own width — the same widths [`Self::width`] measures with. Chinese,
    /// digits and Latin need no shaping beyond that, and shaping each line
    /// (rustybuzz, through krilla's `draw_text`) parsed the 10 MB font's
    /// tables every time: most of a page's cost.
    pub(crate) fn glyphs(&self, text: &str) -> Vec<krilla::text::KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let (gid, advance) = self.glyph(c);
                krilla::text::KrillaGlyph {
                    glyph_id: krilla::text::GlyphId::new(gid),
                    text_range: i..i + c.len_utf8(),
                    x_advance: advance,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    y_advance: 0.0,
                    location: None,
                }
            })
            .collect()
    }

    /// How far the tallest glyph rises above the baseline at `size`.
    pub fn ascent(&self, size: f32) -> f32 {
        self.ascent * size
    }

    /// How far glyphs reach below the baseline at `size`.
    pub fn descent(&self, size: f32) -> f32 {
        self.descent * size
    }

    /// Whether every character of `text` has a glyph.
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .all(|c| c.is_whitespace() || self.glyph(c).0 != 0)
    }

    /// `text` cut to fit `width` at `size`, ending in "…" when cut.
    pub fn truncate(&self, text: &str, size: f32, width: f32) -> String {
        if self.width(text, size) <= width {
            return text.to_owned();
        }
        let ellipsis = self.width("…", size);
        let mut used = 0.0;
        let mut out = String::new();
        for c in text.chars() {
            let w = self.advance(c) * size;
            if used + w + ellipsis > width {
                break;
            }
            used += w;
            out.push(c);
        }
        out.push('…');
        out
    }

    /// `text` broken into lines no wider than `width` at `size`: at spaces
    /// between Latin words, anywhere between Chinese characters, and at
    /// explicit line breaks. A word wider than the line is broken inside.
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for token in tokens(paragraph) {
                let w = self.width(token, size);
                if line_w + w <= width || line.is_empty() && w <= width {
                    line.push_str(token);
                    line_w += w;
                    continue;
                }
                if !line.trim().is_empty() {
                    lines.push(line.trim_end().to_owned());
                }
                line = String::new();
                line_w = 0.0;
                let token = token.trim_start();
                if self.width(token, size) <= width {
                    line.push_str(token);
                    line_w = self.width(token, size);
                    continue;
                }
                // Longer than a line: broken by character.
                for c in token.chars() {
                    let cw = self.advance(c) * size;
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
            lines.push(line.trim_end().to_owned());
        }
        lines
    }
}

/// A paragraph's break opportunities: each CJK character (with the
/// punctuation that must not start a line kept before it), each Latin
/// word with its trailing spaces.
fn tokens(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut prev_word = false;
    for (i, c) in text.char_indices() {
        let word = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':' | '@');
        let space = c == ' ';
        let closing = matches!(
            c,
            '，' | '。' | '、' | '；' | '：' | '！' | '？' | '）' | '」' | '》' | '”' | ','
        );
        let joins = (word && prev_word) || space || closing;
        if i > start && !joins {
            out.push(&text[start..i]);
            start = i;
        }
        prev_word = word;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> &'static Typeface {
        typeface().expect("the font (scripts/fonts.sh)")
    }

    #[test]
    fn chinese_is_wider_than_latin_and_widths_add_up() {
        let f = face();
        let han = f.width("中", 10.0);
        assert!((han - 10.0).abs() < 0.5, "a CJK glyph is about 1 em: {han}");
        assert!(f.width("1", 10.0) < han);
        let both = f.width("中1", 10.0);
        assert!((both - han - f.width("1", 10.0)).abs() < 1e-3);
        assert!(f.ascent(10.0) > 7.0 && f.descent(10.0) > 1.0);
    }

    #[test]
    fn wrapping_keeps_every_character_and_each_line_fits() {
        let f = face();
        let text = "考生须携带准考证和身份证，提前30分钟到达考场。Please bring an ID card.\n第二段";
        let lines = f.wrap(text, 10.0, 80.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(
            lines.iter().all(|l| f.width(l, 10.0) <= 80.0 + 1e-3),
            "{lines:?}"
        );
        let joined: String = lines.concat().split_whitespace().collect();
        let want: String = text
            .split_whitespace()
            .collect::<String>()
            .replace('\n', "");
        assert_eq!(joined, want);
        assert_eq!(lines.last().map(String::as_str), Some("第二段"));
        // No line starts with a comma or a full stop.
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with('，') && !l.starts_with('。'))
        );
    }

    #[test]
    fn truncation_fits_and_marks_the_cut() {
        let f = face();
        assert_eq!(f.truncate("北方工业大学", 10.0, 100.0), "北方工业大学");
        let cut = f.truncate("北方工业大学智能新能源汽车考核站点", 10.0, 60.0);
        assert!(cut.ends_with('…') && f.width(&cut, 10.0) <= 60.0, "{cut}");
    }

    #[test]
    fn coverage_is_reported() {
        let f = face();
        assert!(f.covers("王小八 Wang 123"));
        assert!(!f.covers("\u{E000}"));
    }
}
