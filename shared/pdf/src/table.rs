//! Ruled tables: a shaded header row and rows of a fixed height, drawn a
//! page's worth at a time so that every page starts with the header.

use crate::canvas::{Align, Canvas, Photo, Weight};

/// A column: its header text, width (mm) and how its cells align.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: &'static str,
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub const fn new(title: &'static str, width: f32, align: Align) -> Self {
        Self {
            title,
            width,
            align,
        }
    }
}

/// What a cell holds.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// A photo, or the 无照片 frame.
    Photo(Option<Photo>),
    Blank,
}

/// A table's shape.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Heights in millimetres.
    pub header_height: f32,
    pub row_height: f32,
    /// Text size in points.
    pub size: f32,
}

/// Grid line width (mm).
const RULE: f32 = 0.25;
/// Padding inside a cell (mm).
const PAD: f32 = 1.2;

impl Table {
    /// The table's width.
    pub fn width(&self) -> f32 {
        self.columns.iter().map(|c| c.width).sum()
    }

    /// How many rows fit under the header between `top` and `bottom`.
    pub fn rows_fitting(&self, top: f32, bottom: f32) -> usize {
        let room = bottom - top - self.header_height;
        if room <= 0.0 {
            0
        } else {
            (room / self.row_height).floor() as usize
        }
    }

    /// The header row at (`x`, `y`); returns where the rows start.
    pub fn header(&self, c: &mut Canvas, x: f32, y: f32) -> f32 {
        c.shade((x, y, self.width(), self.header_height), 230);
        let mut left = x;
        for col in &self.columns {
            c.frame((left, y, col.width, self.header_height), RULE);
            c.text_in(
                (left + PAD, y, col.width - 2.0 * PAD, self.header_height),
                self.size,
                col.title,
                Align::Center,
                Weight::Bold,
            );
            left += col.width;
        }
        y + self.header_height
    }

    /// One row at (`x`, `y`); missing cells are blank. Returns where the
    /// next row starts.
    pub fn row(&self, c: &mut Canvas, x: f32, y: f32, cells: &[Cell]) -> f32 {
        let h = self.row_height;
        let mut left = x;
        for (i, col) in self.columns.iter().enumerate() {
            c.frame((left, y, col.width, h), RULE);
            match cells.get(i).unwrap_or(&Cell::Blank) {
                Cell::Text(t) => c.lines_in(
                    (left + PAD, y, col.width - 2.0 * PAD, h),
                    self.size,
                    t,
                    col.align,
                    Weight::Regular,
                ),
                Cell::Photo(p) => {
                    let inset = 0.8;
                    c.photo(
                        (
                            left + inset,
                            y + inset,
                            col.width - 2.0 * inset,
                            h - 2.0 * inset,
                        ),
                        p.as_ref(),
                    );
                }
                Cell::Blank => {}
            }
            left += col.width;
        }
        y + h
    }
}
