//! 准考证: one A4 page per candidate — the manual's fields (学生姓名, 性别,
//! 身份证号 masked, 考生编号, 准考证号, 所属院校, 考核站点, 考点地址), the
//! photo, a table of every arranged subject (考试证书, 考试科目, 考试方式,
//! 考试时间, 考场名称, 座位号) and the plan's 考试须知.

use super::data::{TicketPage, TicketSheet};
use vslc_pdf::{
    Align, Bold, Canvas, Cell, Column, Orientation, Pdf, PdfError, Photo, Regular, Table,
};

const MARGIN: f32 = 15.0;
const WIDTH: f32 = 210.0 - 2.0 * MARGIN;

fn table() -> Table {
    Table {
        columns: vec![
            Column::new("考试证书", 48.0, Align::Left),
            Column::new("考试科目", 32.0, Align::Left),
            Column::new("考试方式", 16.0, Align::Center),
            Column::new("考试时间", 34.0, Align::Center),
            Column::new("考场名称", 36.0, Align::Center),
            Column::new("座位号", 14.0, Align::Center),
        ],
        header_height: 8.0,
        row_height: 11.0,
        size: 9.0,
    }
}

pub fn render(sheet: &TicketSheet) -> Result<(Vec<u8>, usize), PdfError> {
    let title = match sheet.candidates.first() {
        Some(t) => format!("准考证 {}", t.plan_name),
        None => "准考证".to_owned(),
    };
    let mut pdf = Pdf::new(&title)?;
    for t in &sheet.candidates {
        pdf.page(Orientation::Portrait, |c| page(c, sheet, t));
    }
    let pages = pdf.pages();
    Ok((pdf.finish()?, pages))
}

fn page(c: &mut Canvas, sheet: &TicketSheet, t: &TicketPage) {
    let s = &t.person;
    c.text_in(
        (MARGIN, 14.0, WIDTH, 8.0),
        12.0,
        &t.plan_name,
        Align::Center,
        Regular,
    );
    c.text_in(
        (MARGIN, 23.0, WIDTH, 14.0),
        26.0,
        "准 考 证",
        Align::Center,
        Bold,
    );
    c.line((MARGIN, 41.0), (210.0 - MARGIN, 41.0), 0.6, false);
    // The fields, left; the photo, right.
    let (pw, ph) = (30.0, 42.0);
    let photo_x = 210.0 - MARGIN - pw;
    let photo = s.photo.clone().and_then(Photo::from_shared);
    c.photo((photo_x, 47.0, pw, ph), photo.as_ref());
    let label_w = 22.0;
    let value_w = photo_x - MARGIN - label_w - 4.0;
    let fields: [(&str, String); 8] = [
        ("学生姓名", s.name.clone()),
        ("性　　别", s.gender.clone()),
        ("身份证号", s.id_number.clone()),
        ("考生编号", s.candidate_no.clone()),
        ("准考证号", s.ticket_no.clone()),
        ("所属院校", s.school_name.clone()),
        ("考核站点", t.site_name.clone()),
        ("考点地址", t.site_address.clone()),
    ];
    // The sign-in QR code under the photo.
    let mut qr_bottom = 47.0 + ph;
    if let Some(code) = &t.qr {
        let side = 30.0;
        if c.qr(photo_x, 47.0 + ph + 2.0, side, code.as_bytes())
            .is_ok()
        {
            c.text_in(
                (photo_x, 47.0 + ph + 2.0 + side, pw, 4.0),
                7.5,
                "签到二维码",
                Align::Center,
                Regular,
            );
            qr_bottom = 47.0 + ph + 2.0 + side + 4.0;
        }
    }
    let mut y = 47.0;
    for (label, value) in &fields {
        c.text_in(
            (MARGIN, y, label_w, 6.5),
            10.5,
            &format!("{label}："),
            Align::Left,
            Bold,
        );
        let weight = if *label == "准考证号" {
            Bold
        } else {
            Regular
        };
        c.text_in(
            (MARGIN + label_w, y, value_w, 6.5),
            10.5,
            value,
            Align::Left,
            weight,
        );
        y += 7.2;
    }
    // The arranged subjects.
    let table = table();
    let x = (210.0 - table.width()) / 2.0;
    let mut y = table.header(c, x, y.max(qr_bottom) + 4.0);
    for l in &t.lines {
        let room = if l.room_location.is_empty() {
            l.room_name.clone()
        } else {
            format!("{}（{}）", l.room_name, l.room_location)
        };
        let cells = [
            Cell::Text(l.certificate.clone()),
            Cell::Text(l.subject.clone()),
            Cell::Text(l.method.clone()),
            Cell::Text(l.exam_time.clone()),
            Cell::Text(room),
            Cell::Text(l.seat.to_string()),
        ];
        y = table.row(c, x, y, &cells);
    }
    // 考试须知.
    let notice_top = y + 8.0;
    c.text_in(
        (MARGIN, notice_top, WIDTH, 7.0),
        12.0,
        "考试须知",
        Align::Left,
        Bold,
    );
    let bottom = 297.0 - 22.0;
    c.paragraph(
        MARGIN,
        notice_top + 9.0,
        WIDTH,
        bottom,
        10.0,
        1.6,
        &sheet.notice,
    );
    c.line(
        (MARGIN, 297.0 - 18.0),
        (210.0 - MARGIN, 297.0 - 18.0),
        0.2,
        false,
    );
    c.text_in(
        (MARGIN, 297.0 - 16.0, WIDTH, 5.0),
        8.0,
        &format!(
            "1+X 职业技能等级证书信息管理服务平台    打印时间：{}",
            sheet.printed_at
        ),
        Align::Right,
        Regular,
    );
}
