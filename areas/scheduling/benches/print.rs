//! Print documents, rendered in process (the layouts the API and the
//! whole-plan job call, after the data is read):
//! - one room's 30 准考证 (target ≤ 20 ms, ≤ 60 KB a page without photos),
//!   then with a 295×413 JPEG photo each;
//! - one 34-seat room's 考场门贴 and 考场签到表 (what a 3,000-room plan's
//!   zip renders 3,000 times each).
//!
//! `cargo bench --profile release -p vslc-scheduling --bench print` (the
//! font must be in place: scripts/fonts.sh).

use std::time::Instant;

use vslc_accounts::{Tenant, TenantKind};
use vslc_scheduling::model::{OnDuty, SeatPlace};
use vslc_scheduling::print::data::{RoomSheet, Sitter, TicketLine, TicketPage, TicketSheet};
use vslc_scheduling::print::{DEFAULT_NOTICE, render};

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "欧阳",
];
const GIVEN: [&str; 32] = [
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "子涵", "浩然", "梓萱", "宇轩", "雨桐",
    "俊杰", "欣怡", "思远", "嘉怡",
];
const SCHOOLS: [&str; 4] = [
    "北方工业大学",
    "北京电子科技职业学院",
    "北京信息职业技术学院",
    "北京工业职业技术学院",
];

fn place() -> SeatPlace {
    SeatPlace {
        plan_name: "2026年Web前端开发职业技能等级证书考试（第一批）".into(),
        site_id: "SITE".into(),
        site_name: "北方工业大学Web前端开发职业技能等级证书(初级)考核站点".into(),
        host_school_name: "北方工业大学".into(),
        room_name: "第12考场".into(),
        room_location: "第二教学楼A座301".into(),
        certificate_id: "CERT0101".into(),
        certificate_name: "Web前端开发职业技能等级证书".into(),
        level: vslc_catalogue::certificate::Level::Junior,
        subject_code: "WEB01".into(),
        subject_name: "理论知识".into(),
        method: vslc_exam::ExamMethod::Computer,
        exam: vslc_exam::Window {
            start: "2026-03-31 09:00:00".into(),
            end: "2026-03-31 10:30:00".into(),
        },
    }
}

fn sitter(n: usize, photo: Option<&[u8]>) -> Sitter {
    Sitter {
        registration_id: format!("01M8SYTZFQ1P1EPRJN01C{n:05}"),
        seat: n as u32,
        ticket_no: format!("2026033100000100010000{n:04}"),
        school_name: SCHOOLS[n % SCHOOLS.len()].into(),
        candidate_no: format!("11010520261631844{n:05}"),
        name: format!(
            "{}{}",
            SURNAMES[n % SURNAMES.len()],
            GIVEN[(n * 7) % GIVEN.len()]
        ),
        gender: if n.is_multiple_of(2) { "女" } else { "男" }.into(),
        id_number: "110105********002X".into(),
        photo: photo.map(|p| std::sync::Arc::new(p.to_vec())),
        attendance: None,
    }
}

fn tickets(n: usize, photo: Option<&[u8]>) -> TicketSheet {
    let candidates = (1..=n)
        .map(|i| TicketPage {
            person: sitter(i, photo),
            qr: Some(format!(
                "VSLC1.MTAwMDl-MDFNOFNZVFpGUTFQMUVQUkpOMDFDTk5KWVB-MTc4MDAwMDAwMA.{i:016}"
            )),
            plan_name: place().plan_name,
            site_name: place().site_name,
            site_address: "北京市石景山区晋元庄路5号".into(),
            lines: vec![
                TicketLine {
                    certificate: "Web前端开发职业技能等级证书（初级）".into(),
                    subject: "理论知识".into(),
                    method: "机考".into(),
                    exam_time: "2026-03-31 09:00-10:30".into(),
                    exam_start: "2026-03-31 09:00:00".into(),
                    room_name: "第12考场".into(),
                    room_location: "第二教学楼A座301".into(),
                    seat: i as u32,
                },
                TicketLine {
                    certificate: "Web前端开发职业技能等级证书（初级）".into(),
                    subject: "实操技能".into(),
                    method: "实操".into(),
                    exam_time: "2026-03-31 14:00-16:00".into(),
                    exam_start: "2026-03-31 14:00:00".into(),
                    room_name: "第3机房".into(),
                    room_location: "实训楼B座204".into(),
                    seat: i as u32,
                },
            ],
        })
        .collect();
    TicketSheet {
        candidates,
        notice: DEFAULT_NOTICE.into(),
        printed_at: "2026-03-20 10:00".into(),
    }
}

fn room(n: usize) -> RoomSheet {
    RoomSheet {
        host: Tenant::new(TenantKind::School, "10009"),
        place: place(),
        site_address: "北京市石景山区晋元庄路5号".into(),
        capacity: n as u32,
        invigilators: vec![
            OnDuty {
                invigilator_id: "I1".into(),
                teacher_no: "JE10001".into(),
                name: "李伟".into(),
                school_name: "北方工业大学".into(),
                region: "北京市".into(),
            },
            OnDuty {
                invigilator_id: "I2".into(),
                teacher_no: "JE10002".into(),
                name: "王宏伟".into(),
                school_name: "北方工业大学".into(),
                region: "北京市".into(),
            },
        ],
        seats: (1..=n).map(|i| sitter(i, None)).collect(),
        printed_at: "2026-03-20 10:00".into(),
    }
}

/// Median and slowest of `runs` timings of `f`, in ms.
fn time(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms[runs / 2], ms[runs - 1])
}

fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(295, 413, |x, y| {
        if y < 60 || !(40..=255).contains(&x) {
            image::Rgb([210, 30, 30])
        } else {
            image::Rgb([(x % 200) as u8 + 40, (y % 180) as u8 + 50, 150])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("JPEG");
    out.into_inner()
}

fn main() {
    let t = Instant::now();
    vslc_pdf::typeface().expect("the font (scripts/fonts.sh)");
    println!(
        "font loaded once per process: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    let sheet = tickets(30, None);
    let (bytes, pages) = render::tickets(&sheet).unwrap();
    assert_eq!(pages, 30);
    let (median, worst) = time(50, || {
        render::tickets(&sheet).unwrap();
    });
    println!(
        "30 准考证 without photos: median {median:.1} ms, slowest {worst:.1} ms; {:.1} KB a page ({} KB in all) (target ≤ 20 ms, ≤ 60 KB a page)",
        bytes.len() as f64 / 1024.0 / 30.0,
        bytes.len() / 1024
    );
    let mut plain = tickets(30, None);
    for c in &mut plain.candidates {
        c.qr = None;
    }
    let (median, _) = time(30, || {
        render::tickets(&plain).unwrap();
    });
    println!("(30 准考证 without their QR codes: median {median:.1} ms)");
    let jpeg = photo();
    let sheet = tickets(30, Some(&jpeg));
    let (bytes, _) = render::tickets(&sheet).unwrap();
    let (median, worst) = time(50, || {
        render::tickets(&sheet).unwrap();
    });
    println!(
        "30 准考证 with a {} KB photo each: median {median:.1} ms, slowest {worst:.1} ms; {:.1} KB a page",
        jpeg.len() / 1024,
        bytes.len() as f64 / 1024.0 / 30.0
    );
    let sheet = room(34);
    let (door, _) = render::door(&sheet).unwrap();
    let (median, worst) = time(100, || {
        render::door(&sheet).unwrap();
    });
    println!(
        "考场门贴 of a room: median {median:.2} ms, slowest {worst:.2} ms, {} KB",
        door.len() / 1024
    );
    let (signin, pages) = render::sign_in(&sheet).unwrap();
    let (median_s, worst) = time(100, || {
        render::sign_in(&sheet).unwrap();
    });
    println!(
        "考场签到表 of a 34-seat room ({pages} pages): median {median_s:.2} ms, slowest {worst:.2} ms, {} KB",
        signin.len() / 1024
    );
    println!(
        "rendering alone for 3,000 rooms' 门贴 and 签到表 on one core: {:.1} s",
        (median + median_s) * 3000.0 / 1000.0
    );
}
