//! 考场桌贴: a label per seated candidate — seat number, name, 准考证号 and
//! photo — eight to an A4 page in two columns, with dashed cut lines.

use super::data::{RoomSheet, Sitter};
use vslc_pdf::{Align, Bold, Canvas, Orientation, Pdf, PdfError, Photo, Regular};

/// Labels across and down a page.
const COLS: usize = 2;
const ROWS: usize = 4;
/// The page margin and a label's size (mm).
const MARGIN: f32 = 10.0;
const LABEL_W: f32 = (210.0 - 2.0 * MARGIN) / COLS as f32;
const LABEL_H: f32 = (297.0 - 2.0 * MARGIN) / ROWS as f32;

pub fn render(sheet: &RoomSheet) -> Result<(Vec<u8>, usize), PdfError> {
    let p = &sheet.place;
    let mut pdf = Pdf::new(&format!("考场桌贴 {} {}", p.room_name, p.subject_name))?;
    let per_page = COLS * ROWS;
    let pages: Vec<&[Sitter]> = if sheet.seats.is_empty() {
        vec![&[]]
    } else {
        sheet.seats.chunks(per_page).collect()
    };
    for chunk in pages {
        pdf.page(Orientation::Portrait, |c| {
            cut_lines(c);
            if chunk.is_empty() {
                c.text_in(
                    (MARGIN, 40.0, 190.0, 12.0),
                    16.0,
                    "该考场暂无考生",
                    Align::Center,
                    Regular,
                );
            }
            for (i, s) in chunk.iter().enumerate() {
                let x = MARGIN + (i % COLS) as f32 * LABEL_W;
                let y = MARGIN + (i / COLS) as f32 * LABEL_H;
                label(c, sheet, s, x, y);
            }
        });
    }
    let pages = pdf.pages();
    Ok((pdf.finish()?, pages))
}

/// Dashed lines between the labels and around them.
fn cut_lines(c: &mut Canvas) {
    for col in 0..=COLS {
        let x = MARGIN + col as f32 * LABEL_W;
        c.line((x, MARGIN), (x, 297.0 - MARGIN), 0.2, true);
    }
    for row in 0..=ROWS {
        let y = MARGIN + row as f32 * LABEL_H;
        c.line((MARGIN, y), (210.0 - MARGIN, y), 0.2, true);
    }
}

fn label(c: &mut Canvas, sheet: &RoomSheet, s: &Sitter, x: f32, y: f32) {
    let p = &sheet.place;
    let pad = 5.0;
    // Seat number, large, top left.
    c.text_in(
        (x + pad, y + pad, 34.0, 8.0),
        11.0,
        "座位号",
        Align::Left,
        Regular,
    );
    c.text_in(
        (x + pad, y + pad + 8.0, 40.0, 20.0),
        48.0,
        &format!("{:02}", s.seat),
        Align::Left,
        Bold,
    );
    // Photo, top right (a one-inch photo's proportions).
    let (pw, ph) = (24.0, 33.6);
    let photo = s.photo.clone().and_then(Photo::from_shared);
    c.photo((x + LABEL_W - pad - pw, y + pad, pw, ph), photo.as_ref());
    let text_w = LABEL_W - 2.0 * pad - pw - 3.0;
    let name_y = y + pad + 31.0;
    c.text_in(
        (x + pad, name_y, text_w, 9.0),
        18.0,
        &s.name,
        Align::Left,
        Bold,
    );
    let lines = [
        format!("准考证号：{}", s.ticket_no),
        format!("所属院校：{}", s.school_name),
        format!("{} {}", p.subject_code, p.subject_name),
        format!("{}  {}", p.room_name, crate::exam_time(&p.exam)),
    ];
    let mut top = y + pad + 42.0;
    for line in &lines {
        c.text_in(
            (x + pad, top, LABEL_W - 2.0 * pad, 5.0),
            9.0,
            line,
            Align::Left,
            Regular,
        );
        top += 5.4;
    }
}
