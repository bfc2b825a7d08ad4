//! What the documents show, read in bulk: a room slot's place, its seats
//! and their candidates (by registration, with photos), the registrations'
//! other seats for the 准考证's table.

use std::collections::HashMap;

use futures_util::{StreamExt, TryStreamExt};

use crate::context::Subject;
use crate::holders;
use crate::model::{OnDuty, RoomSlot, Seat, SeatPlace};
use crate::rooms;
use vslc_accounts::Tenant;
use vslc_exam::Plan;
use vslc_ports::table::TableExt;
use vslc_ports::{AppState, DomainError, mask};

/// 准考证 one request renders at most (a page each); more go through the
/// whole-plan job.
pub const MAX_TICKETS: usize = 500;

/// Photos above this are left out of a document (a checked 295×413 photo
/// is far smaller; this bounds a document's memory).
const MAX_PHOTO_BYTES: usize = 512 * 1024;

/// The photos one document holds at most, together (a 256 MB function
/// holds them, and the PDF that embeds them, at once).
const PHOTO_BUDGET: usize = 48 * 1024 * 1024;

/// Photos read at a time.
const PHOTO_READS: usize = 8;

/// 考试须知 when the plan gives none.
pub const DEFAULT_NOTICE: &str = "1. 考生须携带本准考证和有效身份证件，于考试开始前30分钟到达考场，凭证入场，按座位号就座，并将证件放在桌面左上角备查。\n\
2. 考试开始15分钟后，迟到考生不得入场；考试结束前不得提前离场。\n\
3. 除规定的文具外，不得携带书籍、资料、手机及其他电子设备进入考场；已带入的须关机并放在指定位置。\n\
4. 考生须服从监考人员的管理，遵守考场纪律，不得交头接耳、抄袭或协助他人作弊。\n\
5. 本准考证请妥善保管，遗失请及时联系所属院校。";

/// One seated candidate as a room's documents show them.
#[derive(Debug, Clone)]
pub struct Sitter {
    pub registration_id: String,
    pub seat: u32,
    pub ticket_no: String,
    pub school_name: String,
    pub candidate_no: String,
    pub name: String,
    pub gender: String,
    /// Masked.
    pub id_number: String,
    /// The photo as stored (JPEG or PNG), when there is one.
    pub photo: Option<std::sync::Arc<Vec<u8>>>,
    /// 已签到 (with the time) or 缺考, once known.
    pub attendance: Option<String>,
}

/// A room slot's documents' data.
#[derive(Debug, Clone)]
pub struct RoomSheet {
    pub host: Tenant,
    pub place: SeatPlace,
    pub site_address: String,
    /// The room's seats.
    pub capacity: u32,
    pub invigilators: Vec<OnDuty>,
    /// In seat order.
    pub seats: Vec<Sitter>,
    /// When the sheet was made (China time, for the footer).
    pub printed_at: String,
}

/// Reads a room slot's sheet for a school that sees it; with `people`,
/// the candidates' names and photos too (the callers check the school may
/// see them).
pub(crate) async fn room_sheet(
    state: &AppState,
    school: &Tenant,
    id: &str,
    people: bool,
) -> Result<RoomSheet, DomainError> {
    let (slot, subject) = rooms::slot_subject(state, school, id).await?;
    let room: Option<vslc_rooms::Room> = state
        .table
        .get_as(&vslc_rooms::Room::key(&subject.host, &slot.room_id))
        .await?;
    let capacity = room.map(|r| r.seats).unwrap_or_default();
    let people = people && subject.host == *school;
    Ok(sheet_of(state, &slot, &subject, capacity, people).await?.0)
}

/// A room slot's sheet from its slot and subject, and the seats it was
/// made from; with `people`, the candidates' names and photos (the caller
/// checked the school may see them: the host).
pub(crate) async fn sheet_of(
    state: &AppState,
    slot: &RoomSlot,
    subject: &Subject,
    capacity: u32,
    people: bool,
) -> Result<(RoomSheet, Vec<Seat>), DomainError> {
    let seats = crate::views::seats_of(state, &slot.room_id, &slot.subject_id).await?;
    let sitters = if people {
        sitters(state, &seats).await?
    } else {
        seats
            .iter()
            .map(|s| Sitter {
                registration_id: s.registration_id.clone(),
                seat: s.seat,
                ticket_no: s.ticket_no.clone(),
                school_name: s.school_name.clone(),
                candidate_no: s.candidate_no.clone(),
                name: String::new(),
                gender: String::new(),
                id_number: String::new(),
                photo: None,
                attendance: attendance_of(s),
            })
            .collect()
    };
    let sheet = RoomSheet {
        host: subject.host.clone(),
        place: slot.place.clone(),
        site_address: subject.site.address.clone(),
        capacity,
        invigilators: slot.invigilators.clone(),
        seats: sitters,
        printed_at: printed_at(state),
    };
    Ok((sheet, seats))
}

/// "已签到 08:12" or "缺考".
fn attendance_of(s: &Seat) -> Option<String> {
    let a = s.attendance?;
    Some(
        match (a, s.signed_in_at.as_deref().and_then(|t| t.get(11..16))) {
            (crate::model::Attendance::Present, Some(hm)) => format!("{} {hm}", a.label()),
            _ => a.label().to_owned(),
        },
    )
}

fn printed_at(state: &AppState) -> String {
    state.clock.now_cst().format("%Y-%m-%d %H:%M").to_string()
}

/// The candidates of some seats with their photos, in seat order; a seat
/// whose registration is gone is left out.
async fn sitters(state: &AppState, seats: &[Seat]) -> Result<Vec<Sitter>, DomainError> {
    let people = holders::of(state, seats).await?;
    let keys: Vec<Option<String>> = seats
        .iter()
        .map(|s| {
            people
                .get(&s.registration_id)
                .and_then(|c| c.photo_key.clone())
        })
        .collect();
    let photos = photos(state, keys).await?;
    let mut out: Vec<Sitter> = seats
        .iter()
        .zip(photos)
        .filter_map(|(s, photo)| {
            let c = people.get(&s.registration_id)?;
            Some(Sitter {
                registration_id: s.registration_id.clone(),
                seat: s.seat,
                ticket_no: s.ticket_no.clone(),
                school_name: s.school_name.clone(),
                candidate_no: s.candidate_no.clone(),
                name: c.name.clone(),
                gender: c.gender.label().to_owned(),
                id_number: mask::id_number(&c.id_number),
                photo,
                attendance: attendance_of(s),
            })
        })
        .collect();
    out.sort_by_key(|s| s.seat);
    Ok(out)
}

/// Photos by key, in order, a few reads at a time; a missing or oversized
/// one is `None`. Refused when together they pass the document's budget.
async fn photos(
    state: &AppState,
    keys: Vec<Option<String>>,
) -> Result<Vec<Option<std::sync::Arc<Vec<u8>>>>, DomainError> {
    let got: Vec<Option<Vec<u8>>> = futures_util::stream::iter(keys)
        .map(|key| async move {
            let Some(key) = key else { return Ok(None) };
            match state.documents.get(&key).await {
                Ok(Some(blob)) if blob.bytes.len() <= MAX_PHOTO_BYTES => Ok(Some(blob.bytes)),
                Ok(_) => Ok(None),
                Err(e) => Err(DomainError::from(e)),
            }
        })
        .buffered(PHOTO_READS)
        .try_collect()
        .await?;
    let total: usize = got.iter().flatten().map(Vec::len).sum();
    if total > PHOTO_BUDGET {
        return Err(DomainError::invalid(
            "PHOTOS_TOO_LARGE",
            format!(
                "所选考生的照片合计{}MB，超过单个文件的上限{}MB，请分批导出",
                total / (1024 * 1024),
                PHOTO_BUDGET / (1024 * 1024)
            ),
        ));
    }
    Ok(got
        .into_iter()
        .map(|p| p.map(std::sync::Arc::new))
        .collect())
}

/// One line of a 准考证's table: an arranged subject.
#[derive(Debug, Clone)]
pub struct TicketLine {
    pub certificate: String,
    pub subject: String,
    pub method: String,
    pub exam_time: String,
    /// For ordering the lines.
    pub exam_start: String,
    pub room_name: String,
    pub room_location: String,
    pub seat: u32,
}

/// One candidate's 准考证.
#[derive(Debug, Clone)]
pub struct TicketPage {
    pub person: Sitter,
    /// The sign-in QR code's text ([`crate::token`]).
    pub qr: Option<String>,
    pub plan_name: String,
    pub site_name: String,
    pub site_address: String,
    pub lines: Vec<TicketLine>,
}

/// The 准考证 of some registrations (one page each) and the plan's 考试须知.
#[derive(Debug, Clone)]
pub struct TicketSheet {
    pub candidates: Vec<TicketPage>,
    pub notice: String,
    pub printed_at: String,
}

/// The 准考证 of the registrations of some seats (all of one plan): each
/// registration once, with every subject it is seated for, in 准考证号
/// order.
pub(crate) async fn ticket_sheet(
    state: &AppState,
    plan: &Plan,
    seats: Vec<Seat>,
) -> Result<TicketSheet, DomainError> {
    // One seat per registration names it.
    let mut firsts: Vec<Seat> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in seats {
        if seen.insert(s.registration_id.clone()) {
            firsts.push(s);
        }
    }
    if firsts.len() > MAX_TICKETS {
        return Err(DomainError::invalid(
            "TOO_MANY_TICKETS",
            format!(
                "一次最多导出{MAX_TICKETS}名考生的准考证（当前{}名），请缩小筛选范围或按考场导出",
                firsts.len()
            ),
        ));
    }
    // Every seat of each registration: its school rows by key, one per
    // subject of the plan.
    let keys: Vec<_> = firsts
        .iter()
        .flat_map(|s| {
            let school = s.school();
            plan.subjects.iter().map(move |sub| {
                Seat::school_key(&school, &plan.id, &sub.subject_id, &s.registration_id)
            })
        })
        .collect();
    let mut all: Vec<Seat> = Vec::new();
    for chunk in keys.chunks(1000) {
        for json in state
            .table
            .get_many_json(chunk.to_vec())
            .await?
            .into_iter()
            .flatten()
        {
            all.push(serde_json::from_slice(&json).map_err(DomainError::internal)?);
        }
    }
    // Where and when each seat is: its room slot's place.
    let places = crate::details::places_of(state, &all).await?;
    let sites = site_addresses(state, places.values()).await?;
    let mut lines: HashMap<&str, Vec<(TicketLine, &SeatPlace)>> = HashMap::new();
    for s in &all {
        let Some(p) = places.get(&(s.room_id.clone(), s.subject_id.clone())) else {
            continue;
        };
        lines.entry(s.registration_id.as_str()).or_default().push((
            TicketLine {
                certificate: format!("{}（{}）", p.certificate_name, p.level.label()),
                subject: p.subject_name.clone(),
                method: p.method.label().to_owned(),
                exam_time: crate::exam_time(&p.exam),
                exam_start: p.exam.start.clone(),
                room_name: p.room_name.clone(),
                room_location: p.room_location.clone(),
                seat: s.seat,
            },
            p,
        ));
    }
    let people = sitters(state, &firsts).await?;
    let key = crate::token::signing_key(state).await?;
    let expires_at = crate::token::expiry_of(plan);
    let schools: HashMap<&str, &str> = firsts
        .iter()
        .map(|s| (s.registration_id.as_str(), s.school_id.as_str()))
        .collect();
    let mut candidates = Vec::with_capacity(people.len());
    for person in people {
        let qr = schools.get(person.registration_id.as_str()).map(|school| {
            crate::token::sign(
                &key,
                &crate::token::TicketToken {
                    school_id: (*school).to_owned(),
                    registration_id: person.registration_id.clone(),
                    expires_at,
                },
            )
        });
        let mut mine = lines
            .remove(person.registration_id.as_str())
            .unwrap_or_default();
        mine.sort_by(|a, b| a.0.exam_start.cmp(&b.0.exam_start));
        let first_place = mine.first().map(|(_, p)| (*p).clone());
        let (site_name, site_address) = match &first_place {
            Some(p) => (
                p.site_name.clone(),
                sites.get(&p.site_id).cloned().unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        };
        candidates.push(TicketPage {
            person,
            qr,
            plan_name: plan.name.clone(),
            site_name,
            site_address,
            lines: mine.into_iter().map(|(l, _)| l).collect(),
        });
    }
    candidates.sort_by(|a, b| a.person.ticket_no.cmp(&b.person.ticket_no));
    let notice = if plan.exam_notice.trim().is_empty() {
        DEFAULT_NOTICE.to_owned()
    } else {
        plan.exam_notice.clone()
    };
    Ok(TicketSheet {
        candidates,
        notice,
        printed_at: printed_at(state),
    })
}

/// 考点地址 of the sites some places are at.
async fn site_addresses<'a>(
    state: &AppState,
    places: impl Iterator<Item = &'a SeatPlace>,
) -> Result<HashMap<String, String>, DomainError> {
    let mut out = HashMap::new();
    for p in places {
        if out.contains_key(&p.site_id) {
            continue;
        }
        let address = match vslc_sites::Site::school_of_id(&p.site_id) {
            Some(host) => state
                .table
                .get_as::<vslc_sites::Site>(&vslc_sites::Site::key(&host, &p.site_id))
                .await?
                .map(|s| s.address),
            None => None,
        };
        out.insert(p.site_id.clone(), address.unwrap_or_default());
    }
    Ok(out)
}
