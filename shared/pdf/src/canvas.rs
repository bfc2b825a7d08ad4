//! A document of A4 pages and the drawing operations on one page.
//! Coordinates are millimetres from the page's top-left corner, y down.

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::{Data, Document};

use crate::PdfError;
use crate::font::{Typeface, typeface};

/// Points in a millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres as PDF points.
pub fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// A4, in millimetres.
const A4: (f32, f32) = (210.0, 297.0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    /// (width, height) in millimetres.
    pub fn size(self) -> (f32, f32) {
        match self {
            Self::Portrait => A4,
            Self::Landscape => (A4.1, A4.0),
        }
    }
}

/// Horizontal alignment of a line of text in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A photo to place on a page: JPEG or PNG as stored, embedded as is.
#[derive(Clone)]
pub struct Photo(Image);

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (w, h) = self.0.size();
        write!(f, "Photo({w}×{h})")
    }
}

impl Photo {
    /// A photo from its bytes (JPEG or PNG by content); `None` when it is
    /// neither or does not decode — the page shows an empty frame instead.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        Self::from_shared(std::sync::Arc::new(bytes))
    }

    /// [`Self::from_bytes`] without copying bytes held elsewhere too.
    pub fn from_shared(bytes: std::sync::Arc<Vec<u8>>) -> Option<Self> {
        let data: Data = bytes.into();
        let image = match data.as_ref() {
            [0xFF, 0xD8, 0xFF, ..] => Image::from_jpeg(data, true),
            [0x89, b'P', b'N', b'G', ..] => Image::from_png(data, true),
            _ => return None,
        };
        image
            .ok()
            .filter(|i| i.size().0 > 0 && i.size().1 > 0)
            .map(Self)
    }
}

/// A PDF being written, page by page.
pub struct Pdf {
    doc: Document,
    face: &'static Typeface,
    pages: usize,
}

impl Pdf {
    /// A new document with its title (shown by viewers, and in
    /// `pdfinfo`).
    pub fn new(title: &str) -> Result<Self, PdfError> {
        let face = typeface()?;
        // Streams not deflated: a page is 4× larger (20 KB a 准考证, well
        // inside what printers and downloads take) and made in half the
        // time — compressing the font subset and each page was a third of
        // the work.
        let mut doc = Document::new_with(krilla::SerializeSettings {
            compress_content_streams: false,
            ..Default::default()
        });
        doc.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .creator("vslc".to_owned())
                .language("zh-CN".to_owned()),
        );
        Ok(Self {
            doc,
            face,
            pages: 0,
        })
    }

    /// Draws one page.
    pub fn page<R>(&mut self, orientation: Orientation, draw: impl FnOnce(&mut Canvas) -> R) -> R {
        let (w, h) = orientation.size();
        let settings = PageSettings::from_wh(mm(w), mm(h)).expect("A4 is a valid size");
        let mut page = self.doc.start_page_with(settings);
        let mut surface = page.surface();
        let mut canvas = Canvas {
            surface: &mut surface,
            face: self.face,
            width: w,
            height: h,
        };
        let out = draw(&mut canvas);
        surface.finish();
        page.finish();
        self.pages += 1;
        out
    }

    /// Pages drawn so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// The PDF file.
    pub fn finish(self) -> Result<Vec<u8>, PdfError> {
        self.doc
            .finish()
            .map_err(|e| PdfError::Render(format!("{e:?}")))
    }
}

/// One page being drawn.
pub struct Canvas<'s, 'p> {
    surface: &'s mut Surface<'p>,
    face: &'static Typeface,
    /// The page's size in millimetres.
    pub width: f32,
    pub height: f32,
}

/// Text weight: regular, or emboldened by stroking the outlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Canvas<'_, '_> {
    pub fn face(&self) -> &'static Typeface {
        self.face
    }

    /// The width of `text` at `size` points, in millimetres.
    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        self.face.width(text, size) / PT_PER_MM
    }

    /// One line of text with its baseline at (`x`, `baseline`).
    pub fn text(&mut self, x: f32, baseline: f32, size: f32, text: &str, weight: Weight) {
        if text.is_empty() {
            return;
        }
        self.surface.set_fill(Some(Fill::default()));
        self.surface.set_stroke(match weight {
            Weight::Regular => None,
            Weight::Bold => Some(Stroke {
                width: size * 0.035,
                ..Stroke::default()
            }),
        });
        let glyphs = self.face.glyphs(text);
        self.surface.draw_glyphs(
            Point::from_xy(mm(x), mm(baseline)),
            &glyphs,
            self.face.font.clone(),
            text,
            size,
            false,
        );
        self.surface.set_stroke(None);
    }

    /// One line of text in the box (`x`, `y`, `w`, `h`): aligned, centred
    /// vertically, its size lowered (down to 60 %) to fit the width and cut
    /// with "…" if it still does not.
    #[allow(clippy::too_many_arguments)]
    pub fn text_in(
        &mut self,
        (x, y, w, h): (f32, f32, f32, f32),
        size: f32,
        text: &str,
        align: Align,
        weight: Weight,
    ) {
        let room = mm(w);
        let mut size = size;
        let natural = self.face.width(text, size);
        if natural > room {
            size = (size * room / natural).max(size * 0.6);
        }
        let line = self.face.truncate(text, size, room);
        let tw = self.face.width(&line, size) / PT_PER_MM;
        let left = match align {
            Align::Left => x,
            Align::Center => x + (w - tw) / 2.0,
            Align::Right => x + w - tw,
        };
        let (asc, desc) = (
            self.face.ascent(size) / PT_PER_MM,
            self.face.descent(size) / PT_PER_MM,
        );
        let baseline = y + (h - (asc + desc)) / 2.0 + asc;
        self.text(left, baseline, size, &line, weight);
    }

    /// Text in a box on as many lines as the box holds at `size` (1.25
    /// line spacing), each aligned, the block centred vertically; when it
    /// needs more lines than that, one line fitted as [`Self::text_in`].
    pub fn lines_in(
        &mut self,
        (x, y, w, h): (f32, f32, f32, f32),
        size: f32,
        text: &str,
        align: Align,
        weight: Weight,
    ) {
        // A slightly smaller single line reads better than two.
        if self.face.width(text, size * 0.85) <= mm(w) {
            return self.text_in((x, y, w, h), size, text, align, weight);
        }
        let step = size * 1.25 / PT_PER_MM;
        let fits = (h / step).floor().max(1.0) as usize;
        let lines = self.face.wrap(text, size, mm(w));
        if lines.len() > fits || fits < 2 {
            return self.text_in((x, y, w, h), size, text, align, weight);
        }
        let top = y + (h - step * lines.len() as f32) / 2.0;
        for (i, line) in lines.iter().enumerate() {
            self.text_in(
                (x, top + step * i as f32, w, step),
                size,
                line,
                align,
                weight,
            );
        }
    }

    /// A paragraph wrapped to `w` from the top `y`, `leading` times the
    /// size between baselines; lines below `max_y` are left out. Returns
    /// where the paragraph ends.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        max_y: f32,
        size: f32,
        leading: f32,
        text: &str,
    ) -> f32 {
        let step = size * leading / PT_PER_MM;
        let asc = self.face.ascent(size) / PT_PER_MM;
        let mut top = y;
        for line in self.face.wrap(text, size, mm(w)) {
            if top + step > max_y {
                break;
            }
            self.text(x, top + asc, size, &line, Weight::Regular);
            top += step;
        }
        top
    }

    /// A straight line, `width` in millimetres, dashed when `dash` is set.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, dash: bool) {
        let mut pb = PathBuilder::new();
        pb.move_to(mm(from.0), mm(from.1));
        pb.line_to(mm(to.0), mm(to.1));
        let Some(path) = pb.finish() else { return };
        self.stroke(&path, width, dash);
    }

    /// A rectangle's outline.
    pub fn frame(&mut self, rect: (f32, f32, f32, f32), width: f32) {
        let Some(path) = rect_path(rect) else { return };
        self.stroke(&path, width, false);
    }

    /// Strokes a path `width` mm wide (dashed when `dash`), unfilled.
    fn stroke(&mut self, path: &krilla::geom::Path, width: f32, dash: bool) {
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            width: mm(width),
            dash: dash.then(|| StrokeDash {
                array: vec![mm(2.0), mm(1.5)],
                offset: 0.0,
            }),
            ..Stroke::default()
        }));
        self.surface.draw_path(path);
        self.surface.set_stroke(None);
    }

    /// A rectangle filled with a grey (0 black … 255 white).
    pub fn shade(&mut self, rect: (f32, f32, f32, f32), grey: u8) {
        let Some(path) = rect_path(rect) else { return };
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill {
            paint: luma::Color::new(grey).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
        self.surface.draw_path(&path);
    }

    /// A photo fitted into the box, keeping its proportions, centred; an
    /// empty frame marked 无照片 when there is none.
    pub fn photo(&mut self, (x, y, w, h): (f32, f32, f32, f32), photo: Option<&Photo>) {
        let Some(photo) = photo else {
            self.frame((x, y, w, h), 0.2);
            let size = (w * 0.9 * PT_PER_MM / 3.0).min(9.0);
            self.text_in((x, y, w, h), size, "无照片", Align::Center, Weight::Regular);
            return;
        };
        let (pw, ph) = photo.0.size();
        let scale = (w / pw as f32).min(h / ph as f32);
        let (dw, dh) = (pw as f32 * scale, ph as f32 * scale);
        let (dx, dy) = (x + (w - dw) / 2.0, y + (h - dh) / 2.0);
        let Some(size) = Size::from_wh(mm(dw), mm(dh)) else {
            return;
        };
        self.surface
            .push_transform(&Transform::from_translate(mm(dx), mm(dy)));
        self.surface.draw_image(photo.0.clone(), size);
        self.surface.pop();
    }

    /// `data` as a QR code (error correction M) filling a square of side
    /// `side` at (`x`, `y`), its quiet zone inside the square: one pixel a
    /// module, drawn without interpolation, so it prints sharp at any size
    /// and costs a few hundred bytes (a path of every module cost ten
    /// times the time of the rest of a 准考证).
    pub fn qr(&mut self, x: f32, y: f32, side: f32, data: &[u8]) -> Result<(), PdfError> {
        let (n, colors) = qr_modules(data)?;
        let quiet = 2;
        let w = n + 2 * quiet;
        let mut modules = vec![255u8; w * w];
        for (i, c) in colors.iter().enumerate() {
            if *c == qrcode::Color::Dark {
                modules[(i / n + quiet) * w + i % n + quiet] = 0;
            }
        }
        let image = Image::from_custom(
            Modules {
                side: w as u32,
                grey: modules,
            },
            false,
        )
        .map_err(|e| PdfError::Render(format!("QR code: {e}")))?;
        let Some(size) = Size::from_wh(mm(side), mm(side)) else {
            return Ok(());
        };
        self.surface
            .push_transform(&Transform::from_translate(mm(x), mm(y)));
        self.surface.draw_image(image, size);
        self.surface.pop();
        Ok(())
    }
}

/// A rectangle in millimetres as a path (none if it has no area).
fn rect_path((x, y, w, h): (f32, f32, f32, f32)) -> Option<krilla::geom::Path> {
    let rect = Rect::from_xywh(mm(x), mm(y), mm(w), mm(h))?;
    let mut pb = PathBuilder::new();
    pb.push_rect(rect);
    pb.finish()
}

/// A QR code's side and modules (error correction M), with one mask
/// pattern rather than the best of eight: every mask decodes the same (its
/// number is in the code's format bits), and choosing cost nine tenths of
/// the encoding — a tenth of a 准考证 page.
fn qr_modules(data: &[u8]) -> Result<(usize, Vec<qrcode::Color>), PdfError> {
    use qrcode::{EcLevel, bits, canvas, ec};
    let err = |e: qrcode::types::QrError| PdfError::Render(format!("QR code: {e}"));
    let bits = bits::encode_auto(data, EcLevel::M).map_err(err)?;
    let version = bits.version();
    let (data, ecc) =
        ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).map_err(err)?;
    let mut c = canvas::Canvas::new(version, EcLevel::M);
    c.draw_all_functional_patterns();
    c.draw_data(&data, &ecc);
    c.apply_mask(canvas::MaskPattern::Checkerboard);
    Ok((version.width() as usize, c.into_colors()))
}

/// A QR code's modules as an 8-bit grey image, one pixel a module.
#[derive(Clone, Hash)]
struct Modules {
    side: u32,
    grey: Vec<u8>,
}

impl krilla::image::CustomImage for Modules {
    fn color_channel(&self) -> &[u8] {
        &self.grey
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        None
    }
    fn bits_per_component(&self) -> krilla::image::BitsPerComponent {
        krilla::image::BitsPerComponent::Eight
    }
    fn size(&self) -> (u32, u32) {
        (self.side, self.side)
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }
    fn color_space(&self) -> krilla::image::ImageColorspace {
        krilla::image::ImageColorspace::Luma
    }
}

pub use Weight::{Bold, Regular};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_has_its_pages_and_a_title() {
        let mut pdf = Pdf::new("测试文档").unwrap();
        for n in 1..=3 {
            pdf.page(Orientation::Portrait, |c| {
                c.text_in(
                    (10.0, 10.0, 190.0, 20.0),
                    20.0,
                    &format!("第{n}页"),
                    Align::Center,
                    Bold,
                );
                c.frame((10.0, 40.0, 50.0, 70.0), 0.3);
                c.photo((10.0, 40.0, 50.0, 70.0), None);
                c.qr(150.0, 40.0, 40.0, b"vslc-test-token").unwrap();
                c.line((10.0, 150.0), (200.0, 150.0), 0.2, true);
            });
        }
        assert_eq!(pdf.pages(), 3);
        let bytes = pdf.finish().unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        std::fs::write(
            std::env::temp_dir().join("vslc-pdf-canvas-test.pdf"),
            &bytes,
        )
        .unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Count 3"), "three pages in the page tree");
    }

    #[test]
    fn a_qr_code_scans_back_from_the_printed_page() {
        let token = "VSLC1.MTAwMDl-MDFERU1PUExBTjAwMDAwMDAwMDAwMDAwMDE.c2lnbmF0dXJlLWJ5dGVz";
        let mut pdf = Pdf::new("QR").unwrap();
        pdf.page(Orientation::Portrait, |c| {
            c.qr(20.0, 20.0, 30.0, token.as_bytes()).unwrap()
        });
        let bytes = pdf.finish().unwrap();
        // At 150 dpi, a little under what an office printer gives.
        let out = std::env::temp_dir().join(format!("vslc-qr-{}", std::process::id()));
        let png = crate::poppler::render_png(&bytes, 1, 150, &out);
        let img = image::open(&png).unwrap().to_luma8();
        let _ = std::fs::remove_file(&png);
        let (w, h) = (img.width() as usize, img.height() as usize);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            img.get_pixel(x as u32, y as u32).0[0]
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code on the page");
        let (_, content) = grids[0].decode().expect("the code decodes");
        assert_eq!(content, token);
    }

    #[test]
    fn photos_are_sniffed_by_content() {
        assert!(Photo::from_bytes(b"not an image".to_vec()).is_none());
        assert!(Photo::from_bytes(vec![0xFF, 0xD8, 0xFF, 0x00]).is_none());
    }
}
