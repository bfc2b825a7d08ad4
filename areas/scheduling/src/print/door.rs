//! 考场门贴: one A4 landscape page for the door of a room — the room's
//! name and exam time in type readable from the corridor, the plan, site,
//! certificate and subject, and which seats the room holds.

use super::data::RoomSheet;
use vslc_pdf::{Align, Bold, Orientation, Pdf, PdfError, Regular};

/// "1–34号，共34人" (or "暂无考生").
pub(super) fn seat_range(sheet: &RoomSheet) -> String {
    let first = sheet.seats.iter().map(|s| s.seat).min();
    let last = sheet.seats.iter().map(|s| s.seat).max();
    match (first, last) {
        (Some(a), Some(b)) => format!("{a}–{b}号，共{}人", sheet.seats.len()),
        _ => "暂无考生".to_owned(),
    }
}

pub fn render(sheet: &RoomSheet) -> Result<(Vec<u8>, usize), PdfError> {
    let p = &sheet.place;
    let mut pdf = Pdf::new(&format!("考场门贴 {} {}", p.room_name, p.subject_name))?;
    pdf.page(Orientation::Landscape, |c| {
        let (w, h) = (c.width, c.height);
        let inner = w - 40.0;
        c.frame((12.0, 12.0, w - 24.0, h - 24.0), 1.2);
        c.frame((14.5, 14.5, w - 29.0, h - 29.0), 0.3);
        c.text_in(
            (20.0, 20.0, inner, 12.0),
            18.0,
            &p.plan_name,
            Align::Center,
            Regular,
        );
        c.text_in(
            (20.0, 38.0, inner, 34.0),
            66.0,
            &p.room_name,
            Align::Center,
            Bold,
        );
        c.line((40.0, 78.0), (w - 40.0, 78.0), 0.5, false);
        let subject = format!(
            "{}（{}）  {} {}（{}）",
            p.certificate_name,
            p.level.label(),
            p.subject_code,
            p.subject_name,
            p.method.label()
        );
        c.text_in(
            (20.0, 84.0, inner, 14.0),
            22.0,
            &subject,
            Align::Center,
            Regular,
        );
        c.text_in(
            (20.0, 104.0, inner, 22.0),
            40.0,
            &crate::exam_time(&p.exam),
            Align::Center,
            Bold,
        );
        c.text_in(
            (20.0, 132.0, inner, 18.0),
            30.0,
            &format!("座位号：{}", seat_range(sheet)),
            Align::Center,
            Bold,
        );
        c.line((40.0, 158.0), (w - 40.0, 158.0), 0.3, false);
        let site = format!("考核站点：{}", p.site_name);
        c.text_in(
            (24.0, 162.0, inner - 8.0, 9.0),
            14.0,
            &site,
            Align::Left,
            Regular,
        );
        let place = if p.room_location.is_empty() {
            format!("考试单位：{}", p.host_school_name)
        } else {
            format!(
                "考试单位：{}    考场位置：{}",
                p.host_school_name, p.room_location
            )
        };
        c.text_in(
            (24.0, 172.0, inner - 8.0, 9.0),
            14.0,
            &place,
            Align::Left,
            Regular,
        );
        let staff = super::staff_line(&sheet.invigilators);
        c.text_in(
            (24.0, 182.0, inner - 8.0, 9.0),
            14.0,
            &staff,
            Align::Left,
            Regular,
        );
        c.text_in(
            (24.0, h - 22.0, inner - 8.0, 5.0),
            8.0,
            &format!("打印时间：{}", sheet.printed_at),
            Align::Right,
            Regular,
        );
    });
    let pages = pdf.pages();
    Ok((pdf.finish()?, pages))
}
