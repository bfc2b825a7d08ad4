//! 打印 (manual §5.2.8.2): 考场门贴, 考场桌贴 and 考场签到表 of a room, and
//! 准考证 of its candidates (or of 排考明细 rows), as A4 PDFs set in Noto
//! Sans SC ([`vslc_pdf`]), stored with the generated documents and handed
//! out as a download link like every export.
//!
//! Who may print what: every school that sees a room (the host and the
//! schools whose candidates sit there) prints its 门贴, which names no one;
//! 桌贴 and 签到表 name every candidate of the room, so only the host — the
//! school that runs the exam room — prints them; 准考证 go to the host for
//! the whole room and to every other school for its own candidates.

pub mod data;
mod desk;
mod door;
pub mod job;
mod signin;
mod ticket;

use serde::Serialize;
use utoipa::ToSchema;

use crate::rooms;
use data::{RoomSheet, TicketSheet};
use vslc_accounts::Tenant;
use vslc_pdf::PdfError;
use vslc_ports::{AppState, Caller, DomainError};

pub use data::DEFAULT_NOTICE;

/// A generated PDF: where to download it (for a limited time), its name
/// and how many pages it has.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrintFile {
    pub url: String,
    pub file_name: String,
    pub pages: usize,
}

/// The PDF content type.
const PDF: &str = "application/pdf";

/// The documents' layouts, for the benches: pure functions of their data.
pub mod render {
    pub use super::desk::render as desk;
    pub use super::door::render as door;
    pub use super::signin::render as sign_in;
    pub use super::ticket::render as tickets;
}

/// "监考人员：李伟（JE10001）、王宏伟（JE10002）" (or 未安排).
fn staff_line(on_duty: &[crate::model::OnDuty]) -> String {
    if on_duty.is_empty() {
        return "监考人员：未安排".to_owned();
    }
    let names: Vec<String> = on_duty
        .iter()
        .map(|i| format!("{}（{}）", i.name, i.teacher_no))
        .collect();
    format!("监考人员：{}", names.join("、"))
}

fn render_error(e: PdfError) -> DomainError {
    DomainError::internal(anyhow::anyhow!(e))
}

/// Renders off the async threads (a document is all CPU) and stores it.
async fn deliver(
    state: &AppState,
    school: &Tenant,
    stem: &'static str,
    title: String,
    people: usize,
    render: impl FnOnce() -> Result<(Vec<u8>, usize), PdfError> + Send + 'static,
) -> Result<PrintFile, DomainError> {
    let (bytes, pages) = tokio::task::spawn_blocking(render)
        .await
        .map_err(DomainError::internal)?
        .map_err(render_error)?;
    let stamp = state.clock.now_cst().format("%Y%m%d%H%M%S").to_string();
    let key = format!("prints/{}/{stem}-{}.pdf", school.path(), ulid::Ulid::new());
    state.documents.put(&key, bytes, PDF).await?;
    let file_name = format!("{}_{stamp}.pdf", file_safe(&title));
    let url = state
        .documents
        .download_url(&key, Some(&file_name), state.config.url_ttl)
        .await?;
    // A document naming candidates is an export of personal data: one
    // 操作日志 entry each, like every export.
    vslc_audit::record::exported(state, stem, &title, people, &key).await;
    Ok(PrintFile {
        url,
        file_name,
        pages,
    })
}

/// A title usable as a file name (no path separators or control
/// characters, at most 80 characters; never `.` or `..`, which would
/// climb out of a zip's folder).
fn file_safe(title: &str) -> String {
    let name: String = title
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    if name.trim().chars().all(|c| c == '.') {
        "_".repeat(name.chars().count().max(1))
    } else {
        name
    }
}

fn host_only(sheet: &RoomSheet, school: &Tenant, what: &str) -> Result<(), DomainError> {
    if sheet.host != *school {
        return Err(DomainError::forbidden(format!(
            "{what}列出考场内全部考生，仅考核站点所属院校（{}）可下载",
            sheet.place.host_school_name
        )));
    }
    Ok(())
}

/// 下载考场门贴: one landscape page for the room.
pub async fn door(state: &AppState, caller: &Caller, id: &str) -> Result<PrintFile, DomainError> {
    let school = caller.school_reader()?;
    let sheet = data::room_sheet(state, school, id, false).await?;
    let title = format!(
        "考场门贴_{}_{}",
        sheet.place.room_name, sheet.place.subject_name
    );
    deliver(state, school, "door-sign", title, 0, move || {
        door::render(&sheet)
    })
    .await
}

/// 下载考场桌贴: a label per seated candidate, eight to a page (host only).
pub async fn desk(state: &AppState, caller: &Caller, id: &str) -> Result<PrintFile, DomainError> {
    let school = caller.school_reader()?;
    let sheet = data::room_sheet(state, school, id, true).await?;
    host_only(&sheet, school, "考场桌贴")?;
    let title = format!(
        "考场桌贴_{}_{}",
        sheet.place.room_name, sheet.place.subject_name
    );
    deliver(
        state,
        school,
        "desk-labels",
        title,
        sheet.seats.len(),
        move || desk::render(&sheet),
    )
    .await
}

/// 下载考场签到表: the room's candidates in seat order with a signature
/// column, the invigilators at the foot (host only).
pub async fn sign_in(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<PrintFile, DomainError> {
    let school = caller.school_reader()?;
    let sheet = data::room_sheet(state, school, id, true).await?;
    host_only(&sheet, school, "考场签到表")?;
    let title = format!(
        "考场签到表_{}_{}",
        sheet.place.room_name, sheet.place.subject_name
    );
    deliver(
        state,
        school,
        "sign-in-sheet",
        title,
        sheet.seats.len(),
        move || signin::render(&sheet),
    )
    .await
}

/// 导出准考证 of a room: one page per candidate — all of the room's for
/// the host, a school's own for the others.
pub async fn room_tickets(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<PrintFile, DomainError> {
    let school = caller.school_reader()?;
    let (slot, subject) = rooms::slot_subject(state, school, id).await?;
    let seats = crate::views::seats_of(state, &slot.room_id, &slot.subject_id).await?;
    let mine: Vec<_> = seats
        .into_iter()
        .filter(|s| subject.host == *school || s.school_id == school.id)
        .collect();
    if mine.is_empty() {
        return Err(DomainError::conflict(
            "NO_CANDIDATES",
            "该考场没有本校的已排考考生",
        ));
    }
    let tickets = data::ticket_sheet(state, &subject.plan, mine).await?;
    let title = format!(
        "准考证_{}_{}",
        slot.place.room_name, slot.place.subject_name
    );
    tickets_file(state, school, title, tickets).await
}

async fn tickets_file(
    state: &AppState,
    school: &Tenant,
    title: String,
    tickets: TicketSheet,
) -> Result<PrintFile, DomainError> {
    deliver(
        state,
        school,
        "tickets",
        title,
        tickets.candidates.len(),
        move || ticket::render(&tickets),
    )
    .await
}

/// 导出准考证 from 排考明细: the ticked rows, or those the filter matches
/// (the school's own candidates), one page per registration.
pub async fn detail_tickets(
    state: &AppState,
    caller: &Caller,
    request: crate::details::SeatRowExportRequest,
) -> Result<PrintFile, DomainError> {
    let school = caller.school_reader()?;
    let seats: Vec<_> = crate::details::chosen_rows(state, school, &request)
        .await?
        .into_iter()
        .map(|r| r.seat)
        .collect();
    let Some(first) = seats.first() else {
        return Err(DomainError::conflict(
            "NO_CANDIDATES",
            "没有可导出准考证的排考明细",
        ));
    };
    let plan_id = first.plan_id.clone();
    if seats.iter().any(|s| s.plan_id != plan_id) {
        return Err(DomainError::invalid(
            "ONE_PLAN",
            "一次只能导出同一考试计划的准考证，请先按考试计划筛选",
        ));
    }
    let plan = vslc_exam::Plan::load(state, &plan_id)
        .await?
        .ok_or_else(|| DomainError::not_found("考试计划"))?;
    let tickets = data::ticket_sheet(state, &plan, seats).await?;
    let title = format!("准考证_{}", plan.name);
    tickets_file(state, school, title, tickets).await
}

#[cfg(test)]
mod tests {
    use super::data::{Sitter, TicketLine, TicketPage};
    use super::*;
    use crate::model::{OnDuty, SeatPlace};
    use vslc_pdf::poppler;

    #[test]
    fn file_names_lose_separators() {
        assert_eq!(file_safe("考场门贴_101/A:1"), "考场门贴_101_A_1");
        assert_eq!(file_safe(&"长".repeat(100)).chars().count(), 80);
        assert_eq!(file_safe(".."), "__");
        assert_eq!(file_safe(" . "), "___");
        assert_eq!(file_safe(""), "_");
        assert_eq!(file_safe("第1考场..A"), "第1考场..A");
    }

    fn place() -> SeatPlace {
        SeatPlace {
            plan_name: "2026年第一批Web前端开发考试".into(),
            site_id: "SITE".into(),
            site_name: "北方工业大学Web前端开发（初级）考核站点".into(),
            host_school_name: "北方工业大学".into(),
            room_name: "第1考场".into(),
            room_location: "教学楼A101".into(),
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

    /// Page 1 rendered to `target/print-check/<name>.png`, to look at.
    fn keep(name: &str, pdf: &[u8]) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/print-check");
        std::fs::create_dir_all(&dir).unwrap();
        let png = poppler::render_png(pdf, 1, 60, &dir.join(name));
        assert!(std::fs::metadata(png).unwrap().len() > 1000);
    }

    const SURNAMES: [&str; 6] = ["王", "李", "张", "刘", "陈", "欧阳"];

    fn sitter(n: u32) -> Sitter {
        Sitter {
            registration_id: format!("REG{n:03}"),
            seat: n,
            ticket_no: format!("202603310000010001{n:08}"),
            school_name: if n.is_multiple_of(2) {
                "北方工业大学"
            } else {
                "北京示范职业技术学院"
            }
            .into(),
            candidate_no: format!("1100920260{n:04}"),
            name: format!("{}考生{n}", SURNAMES[n as usize % SURNAMES.len()]),
            gender: "女".into(),
            id_number: "110105********002X".into(),
            photo: None,
            attendance: None,
        }
    }

    fn sheet(seats: u32) -> RoomSheet {
        RoomSheet {
            host: Tenant::new(vslc_accounts::TenantKind::School, "10009"),
            place: place(),
            site_address: "北京市石景山区晋元庄路5号".into(),
            capacity: seats,
            invigilators: vec![OnDuty {
                invigilator_id: "I1".into(),
                teacher_no: "T001".into(),
                name: "赵老师".into(),
                school_name: "北方工业大学".into(),
                region: "北京市".into(),
            }],
            seats: (1..=seats).map(sitter).collect(),
            printed_at: "2026-03-20 10:00".into(),
        }
    }

    #[test]
    fn a_45_seat_sign_in_sheet_repeats_its_header_on_every_page() {
        let sheet = sheet(45);
        let (pdf, pages) = signin::render(&sheet).unwrap();
        keep("sign-in", &pdf);
        assert_eq!(pages, 5, "ten rows a page");
        assert_eq!(poppler::page_count(&pdf), 5);
        let texts = poppler::pages_text(&pdf);
        assert_eq!(texts.len(), 5);
        for (i, page) in texts.iter().enumerate() {
            for header in [
                "考场签到表",
                "准考证号",
                "所属院校",
                "座位号",
                "考试时间",
                "考生姓名",
                "考生签名",
            ] {
                assert!(page.contains(header), "page {}: {header}\n{page}", i + 1);
            }
            assert!(
                page.contains("赵老师（T001）"),
                "the invigilator at every foot"
            );
            assert!(page.contains(&format!("第{}页 / 共5页", i + 1)));
        }
        // Every candidate once, in seat order.
        let all = texts.concat();
        let mut last = 0;
        for n in 1..=45 {
            let s = sitter(n);
            let at = all
                .find(&s.ticket_no)
                .unwrap_or_else(|| panic!("{}", s.ticket_no));
            assert!(at > last || n == 1);
            last = at;
            assert!(all.contains(&s.name), "{}", s.name);
        }
        let fonts = poppler::fonts(&pdf);
        assert!(
            !fonts.is_empty() && fonts.iter().all(|f| f.1 && f.2 && f.3),
            "{fonts:?}"
        );
    }

    #[test]
    fn the_door_sign_is_one_landscape_page_naming_the_room_and_seats() {
        let (pdf, pages) = door::render(&sheet(34)).unwrap();
        keep("door", &pdf);
        assert_eq!(pages, 1);
        assert!(poppler::info(&pdf, "Page size").starts_with("841.89 x 595.276"));
        let text = poppler::text(&pdf);
        for want in [
            "第1考场",
            "2026-03-31 09:00-10:30",
            "座位号：1–34号，共34人",
            "WEB01 理论知识（机考）",
            "北方工业大学",
            "赵老师（T001）",
        ] {
            assert!(text.contains(want), "{want}\n{text}");
        }
    }

    #[test]
    fn desk_labels_come_eight_to_a_page() {
        let (pdf, pages) = desk::render(&sheet(17)).unwrap();
        keep("desk", &pdf);
        assert_eq!((pages, poppler::page_count(&pdf)), (3, 3));
        let texts = poppler::pages_text(&pdf);
        assert!(texts[2].contains(&sitter(17).name) && !texts[2].contains(&sitter(16).ticket_no));
        for n in 1..=17 {
            assert!(texts.concat().contains(&sitter(n).ticket_no));
        }
    }

    #[test]
    fn tickets_are_a_page_each_with_the_subjects_and_the_notice() {
        let people: Vec<TicketPage> = (1..=30)
            .map(|n| TicketPage {
                person: sitter(n),
                qr: Some(crate::token::sign(
                    &[7u8; 32],
                    &crate::token::TicketToken {
                        school_id: "10009".into(),
                        registration_id: format!("REG{n:03}"),
                        expires_at: 2_000_000_000,
                    },
                )),
                plan_name: "2026年第一批Web前端开发考试".into(),
                site_name: "北方工业大学考核站点".into(),
                site_address: "北京市石景山区晋元庄路5号".into(),
                lines: vec![TicketLine {
                    certificate: "Web前端开发职业技能等级证书（初级）".into(),
                    subject: "理论知识".into(),
                    method: "机考".into(),
                    exam_time: "2026-03-31 09:00-10:30".into(),
                    exam_start: "2026-03-31 09:00:00".into(),
                    room_name: "第1考场".into(),
                    room_location: String::new(),
                    seat: n,
                }],
            })
            .collect();
        let sheet = data::TicketSheet {
            candidates: people,
            notice: DEFAULT_NOTICE.into(),
            printed_at: "2026-03-20 10:00".into(),
        };
        let (pdf, pages) = ticket::render(&sheet).unwrap();
        keep("ticket", &pdf);
        assert_eq!((pages, poppler::page_count(&pdf)), (30, 30));
        let texts = poppler::pages_text(&pdf);
        for (i, page) in texts.iter().enumerate() {
            let s = sitter(i as u32 + 1);
            for want in [
                s.name.as_str(),
                &s.ticket_no,
                "110105********002X",
                "准考证",
                "考试须知",
                "理论知识",
                "北京市石景山区晋元庄路5号",
            ] {
                assert!(page.contains(want), "page {}: {want}\n{page}", i + 1);
            }
        }
        // Without photos a ticket page is small (the font subset is shared).
        assert!(pdf.len() / 30 <= 60 * 1024, "{} bytes", pdf.len());
    }
}
