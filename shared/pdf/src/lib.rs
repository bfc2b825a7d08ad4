//! Print documents as PDF: A4 pages (portrait or landscape) drawn in
//! millimetres from the top-left corner, text set in Noto Sans SC
//! ([`font`]) and embedded as the subset of glyphs a document uses,
//! photos passed through as they are stored (JPEG, PNG), QR codes drawn
//! as vector squares, and tables that repeat their header on every page
//! ([`table`]). The documents themselves live with the areas that own
//! their data (排考's 准考证 and room documents in `vslc-scheduling`).
//!
//! Built on krilla (Typst's PDF writer): it subsets and embeds the font,
//! writes the ToUnicode map that lets `pdftotext` and screen readers read
//! the Chinese back, and compresses the page streams.

pub mod canvas;
pub mod font;
pub mod poppler;
pub mod table;

pub use canvas::{Align, Bold, Canvas, Orientation, Pdf, Photo, Regular, Weight, mm};
pub use font::{Typeface, typeface};
pub use table::{Cell, Column, Table};

/// What can go wrong making a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The font could not be found or read (a deployment fault).
    #[error("print font: {0}")]
    Font(String),
    /// krilla refused the document.
    #[error("PDF: {0}")]
    Render(String),
}
