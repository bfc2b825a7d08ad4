//! 考场签到表: the room's candidates in seat order — the manual's columns
//! 准考证号, 所属院校, 座位号, 考试时间, 考生姓名, then the photo and a box to
//! sign in — the header repeated on every page, the invigilators and the
//! counts to fill in at the foot of each.

use super::data::{RoomSheet, Sitter};
use vslc_pdf::{
    Align, Bold, Canvas, Cell, Column, Orientation, Pdf, PdfError, Photo, Regular, Table,
};

const MARGIN: f32 = 10.0;
/// Where the table starts and the foot begins (mm).
const TABLE_TOP: f32 = 34.0;
const FOOT_TOP: f32 = 297.0 - 30.0;

fn table() -> Table {
    Table {
        columns: vec![
            Column::new("准考证号", 48.0, Align::Center),
            Column::new("所属院校", 34.0, Align::Center),
            Column::new("座位号", 12.0, Align::Center),
            Column::new("考试时间", 28.0, Align::Center),
            Column::new("考生姓名", 24.0, Align::Center),
            Column::new("照片", 17.0, Align::Center),
            Column::new("考生签名", 27.0, Align::Center),
        ],
        header_height: 8.0,
        row_height: 22.0,
        size: 9.0,
    }
}

pub fn render(sheet: &RoomSheet) -> Result<(Vec<u8>, usize), PdfError> {
    let p = &sheet.place;
    let table = table();
    let per_page = table.rows_fitting(TABLE_TOP, FOOT_TOP).max(1);
    let chunks: Vec<&[Sitter]> = if sheet.seats.is_empty() {
        vec![&[]]
    } else {
        sheet.seats.chunks(per_page).collect()
    };
    let total = chunks.len();
    let time = crate::exam_time(&p.exam);
    let mut pdf = Pdf::new(&format!("考场签到表 {} {}", p.room_name, p.subject_name))?;
    for (n, chunk) in chunks.into_iter().enumerate() {
        pdf.page(Orientation::Portrait, |c| {
            head(c, sheet);
            let x = (210.0 - table.width()) / 2.0;
            let mut y = table.header(c, x, TABLE_TOP);
            for s in chunk {
                let photo = s.photo.clone().and_then(Photo::from_shared);
                let cells = [
                    Cell::Text(s.ticket_no.clone()),
                    Cell::Text(s.school_name.clone()),
                    Cell::Text(s.seat.to_string()),
                    Cell::Text(time.clone()),
                    Cell::Text(s.name.clone()),
                    Cell::Photo(photo),
                    match &s.attendance {
                        Some(a) => Cell::Text(a.clone()),
                        None => Cell::Blank,
                    },
                ];
                y = table.row(c, x, y, &cells);
            }
            foot(c, sheet, n + 1, total);
        });
    }
    let pages = pdf.pages();
    Ok((pdf.finish()?, pages))
}

fn head(c: &mut Canvas, sheet: &RoomSheet) {
    let p = &sheet.place;
    c.text_in(
        (MARGIN, 10.0, 190.0, 10.0),
        18.0,
        "考场签到表",
        Align::Center,
        Bold,
    );
    let line1 = format!("{}    考核站点：{}", p.plan_name, p.site_name);
    c.text_in(
        (MARGIN, 21.0, 190.0, 5.0),
        9.5,
        &line1,
        Align::Center,
        Regular,
    );
    let line2 = format!(
        "考场：{}    科目：{} {}（{}）    应到：{}人",
        p.room_name,
        p.subject_code,
        p.subject_name,
        p.method.label(),
        sheet.seats.len()
    );
    c.text_in(
        (MARGIN, 27.0, 190.0, 5.0),
        9.5,
        &line2,
        Align::Center,
        Regular,
    );
}

fn foot(c: &mut Canvas, sheet: &RoomSheet, page: usize, pages: usize) {
    let staff = super::staff_line(&sheet.invigilators);
    let y = FOOT_TOP + 3.0;
    c.text_in((MARGIN, y, 190.0, 6.0), 10.0, &staff, Align::Left, Regular);
    // Filled in once the door's sign-in is known (after the exam).
    let present = sheet
        .seats
        .iter()
        .filter(|s| {
            s.attendance
                .as_deref()
                .is_some_and(|a| a.starts_with("已签到"))
        })
        .count();
    let absent = sheet
        .seats
        .iter()
        .filter(|s| s.attendance.as_deref() == Some("缺考"))
        .count();
    let counts = if present + absent > 0 {
        format!("实到考生：{present}人    缺考考生：{absent}人")
    } else {
        "实到考生：______人    缺考考生：______人".to_owned()
    };
    c.text_in(
        (MARGIN, y + 8.0, 190.0, 6.0),
        10.0,
        &format!("{counts}    监考人员签字：________________  ________________"),
        Align::Left,
        Regular,
    );
    c.text_in(
        (MARGIN, y + 17.0, 190.0, 5.0),
        8.0,
        &format!("第{page}页 / 共{pages}页    打印时间：{}", sheet.printed_at),
        Align::Right,
        Regular,
    );
}
