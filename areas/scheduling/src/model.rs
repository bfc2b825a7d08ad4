//! The stored records of 排考 and their keys.
//!
//! - [`Seat`]: a registration seated for one subject, written twice — in
//!   its room's partition (`SEAT#<考场 id>`, sort key `<科目 id>#<座位号>`:
//!   one registration a seat) and in its school's sharded rows
//!   (`T#school#<id>#SEATR#<shard>`, sort key `<计划>#<科目>#<报考 id>`: one
//!   seat a registration and subject; the school's 排考明细).
//! - [`Ticket`]: a registration's 准考证号 when none of its seats holds it
//!   (it is given at its first seat and is on each of its seats; 取消编排
//!   keeps it here, so it is never lost): `T#school#<id>#TKT#<shard>`,
//!   sort key `<计划>#<报考 id>`.
//! - [`Arrangement`]: one per plan, site and subject — the recorded seed,
//!   who arranged it and when, the lease that lets one arrangement run at
//!   a time (its attributes are [`crate::lease`]'s), and the counter of
//!   seated registrations (per room it is on the [`RoomSlot`]; records of
//!   earlier versions count per room here too, as `r#<考场 id>`).
//! - [`RoomSlot`]: a room for one subject — its number within the site (the
//!   准考证号's 考场 part), the generation of its seats, its invigilators and
//!   the count of its seated registrations.
//! - [`SiteNo`]: the site's platform-wide number and its room counter.
//! - [`Duty`]: an invigilator's duty (one room slot, its exam time), in the
//!   host school's partition, so overlaps are checked in one read.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::Tenant;
use vslc_catalogue::certificate::Level;
use vslc_exam::{ExamMethod, Window};
use vslc_ports::keyset;
use vslc_ports::shard;
use vslc_ports::table::{Item, Key, TableError, to_item};

mod family {
    /// A school's seat rows (排考明细).
    pub const SEATS: &str = "SEATR";
    /// A school's tickets (准考证号).
    pub const TICKETS: &str = "TKT";
}

/// Where and when a room slot's seats are: written once with the slot, so
/// each seat stores only who sits where.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatPlace {
    pub plan_name: String,
    pub site_id: String,
    pub site_name: String,
    /// The school running the site (考试单位).
    pub host_school_name: String,
    pub room_name: String,
    #[serde(default)]
    pub room_location: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    pub subject_code: String,
    pub subject_name: String,
    pub method: ExamMethod,
    /// 考试时间.
    pub exam: Window,
}

/// A registration seated for one subject, stored twice (its room's seat
/// and its school's row); its room slot's [`SeatPlace`] tells where and
/// when. It holds no personal data beyond the 考生编号: the candidate's
/// name, ID number and photo are read from the registration when the seat
/// is shown, so 排考 writes two small items a seat.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Seat {
    pub plan_id: String,
    pub room_id: String,
    pub subject_id: String,
    /// 座位号, 1..座位数.
    pub seat: u32,
    /// 准考证号.
    pub ticket_no: String,
    /// The registration (its ULID) and its school.
    pub registration_id: String,
    pub school_id: String,
    pub school_name: String,
    pub candidate_no: String,
    pub seated_at: String,
    /// 签到: 已签到 at the door, or 缺考 once the exam ended without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
    /// When and by whom (监考人员 name) 已签到 was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in_by: Option<String>,
}

/// A seated candidate's attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Attendance {
    #[serde(rename = "已签到")]
    Present,
    #[serde(rename = "缺考")]
    Absent,
}

impl Attendance {
    pub fn label(self) -> &'static str {
        match self {
            Attendance::Present => "已签到",
            Attendance::Absent => "缺考",
        }
    }
}

/// A room slot whose 缺考 are still to be marked when its exam ends
/// (written with the slot; the closer marks and removes it). Sharded by
/// room, so no one partition takes every slot of a large arrangement.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceDue {
    pub room_id: String,
    pub subject_id: String,
    /// The exam's end, `YYYY-MM-DD HH:MM:SS` (China time).
    pub end: String,
}

impl AttendanceDue {
    fn pk(shard: u8) -> String {
        format!("ATTDUE#{shard:02}")
    }

    pub fn key(&self) -> Key {
        Key::new(
            Self::pk(shard::of(&self.room_id)),
            format!("{}#{}#{}", self.end, self.room_id, self.subject_id),
        )
    }

    /// Every shard.
    pub fn sources() -> Vec<keyset::Source> {
        shard::all()
            .map(|s| keyset::Source {
                pk: Self::pk(s),
                prefix: String::new(),
            })
            .collect()
    }
}

impl Seat {
    /// The seat in its room: one registration a seat.
    pub fn room_key(room_id: &str, subject_id: &str, seat: u32) -> Key {
        Key::new(Self::room_pk(room_id), format!("{subject_id}#{seat:04}"))
    }

    fn room_pk(room_id: &str) -> String {
        format!("SEAT#{room_id}")
    }

    /// Where a room's seats of a subject are.
    pub fn room_source(room_id: &str, subject_id: &str) -> keyset::Source {
        keyset::Source {
            pk: Self::room_pk(room_id),
            prefix: format!("{subject_id}#"),
        }
    }

    /// The seat in its school's rows: one seat a registration and subject.
    pub fn school_key(school: &Tenant, plan_id: &str, subject_id: &str, reg_id: &str) -> Key {
        Key::new(
            school.sharded(family::SEATS, shard::of(reg_id)),
            format!("{plan_id}#{subject_id}#{reg_id}"),
        )
    }

    /// Where a school's seat rows are: every shard, under a plan (and a
    /// subject) or all.
    pub fn school_sources(
        school: &Tenant,
        plan_id: Option<&str>,
        subject_id: Option<&str>,
    ) -> Vec<keyset::Source> {
        let prefix = match (plan_id, subject_id) {
            (Some(p), Some(s)) => format!("{p}#{s}#"),
            (Some(p), None) => format!("{p}#"),
            _ => String::new(),
        };
        shard::all()
            .map(|s| keyset::Source {
                pk: school.sharded(family::SEATS, s),
                prefix: prefix.clone(),
            })
            .collect()
    }

    /// The school this seat's registration belongs to.
    pub fn school(&self) -> Tenant {
        Tenant::new(vslc_accounts::TenantKind::School, &self.school_id)
    }

    pub fn own_school_key(&self) -> Key {
        Self::school_key(
            &self.school(),
            &self.plan_id,
            &self.subject_id,
            &self.registration_id,
        )
    }

    pub fn own_room_key(&self) -> Key {
        Self::room_key(&self.room_id, &self.subject_id, self.seat)
    }

    /// The public id of a seat row: `<考场 id>.<科目 id>.<座位号>`.
    pub fn public_id(&self) -> String {
        format!("{}.{}.{}", self.room_id, self.subject_id, self.seat)
    }
}

/// A registration's 准考证号.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub ticket_no: String,
    pub registration_id: String,
}

impl Ticket {
    /// The 准考证号 a seat carries, as the item that keeps it when the
    /// seat is cancelled.
    pub fn kept(seat: &Seat) -> Result<Item, TableError> {
        let key = Self::key(&seat.school(), &seat.plan_id, &seat.registration_id);
        let ticket = Self {
            ticket_no: seat.ticket_no.clone(),
            registration_id: seat.registration_id.clone(),
        };
        to_item(&key, &ticket)
    }

    /// Where a school's tickets of a plan are: every shard.
    pub fn sources(school: &Tenant, plan_id: &str) -> Vec<keyset::Source> {
        shard::all()
            .map(|s| keyset::Source {
                pk: school.sharded(family::TICKETS, s),
                prefix: format!("{plan_id}#"),
            })
            .collect()
    }

    pub fn key(school: &Tenant, plan_id: &str, reg_id: &str) -> Key {
        Key::new(
            school.sharded(family::TICKETS, shard::of(reg_id)),
            format!("{plan_id}#{reg_id}"),
        )
    }
}

/// 考核站点编排 of one plan subject at one site: the seed, the lease and
/// the counters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arrangement {
    pub plan_id: String,
    pub site_id: String,
    pub subject_id: String,
    /// The seed the interleaving used: the same registrations and rooms
    /// with the same seed give the same seats.
    pub seed: u64,
    /// Seated registrations (a counter).
    #[serde(default)]
    pub seated: i64,
    #[serde(default)]
    pub arranged_at: Option<String>,
    #[serde(default)]
    pub arranged_by: Option<String>,
    /// 每个考场的监考人数.
    #[serde(default = "default_per_room")]
    pub invigilators_per_room: u8,
    /// Which seating order the seed reproduces: 1, a school's candidates
    /// in the seeded order of their ids (arrangements before 2026-12-02);
    /// 2, shard by shard of their ids in id order ([`crate::interleave`]).
    #[serde(default = "first_seating")]
    pub seating: u8,
    pub version: u64,
}

/// The seating order [`crate::interleave::arrange`] follows now.
pub const SEATING: u8 = 2;

fn default_per_room() -> u8 {
    2
}

fn first_seating() -> u8 {
    1
}

impl Arrangement {
    pub fn key(plan_id: &str, site_id: &str, subject_id: &str) -> Key {
        Key::new(format!("ARR#{site_id}"), format!("{plan_id}#{subject_id}"))
    }

    /// The counter attribute of one room's seated registrations.
    fn room_attr(room_id: &str) -> String {
        format!("r#{room_id}")
    }

    /// Seated in a room as this record counted it (rooms arranged before
    /// the count moved to [`RoomSlot::seated`]; nothing raises it now).
    fn legacy_fill(item: &vslc_ports::table::Item, room_id: &str) -> i64 {
        item.get(&Self::room_attr(room_id))
            .and_then(|v| v.as_i64())
            .unwrap_or(0)
    }
}

/// Seated in a room for a subject: its slot's count, plus what the
/// arrangement record counted for it before the count moved to the slot
/// (so old data stays right without a backfill: moves and cancellations
/// since then are on the slot).
pub fn room_fill(
    slot: Option<&RoomSlot>,
    arrangement: Option<&vslc_ports::table::Item>,
    room_id: &str,
) -> u32 {
    let n = slot.map_or(0, |s| s.seated)
        + arrangement.map_or(0, |a| Arrangement::legacy_fill(a, room_id));
    u32::try_from(n.max(0)).unwrap_or(0)
}

/// An invigilator on duty in a room slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnDuty {
    pub invigilator_id: String,
    pub teacher_no: String,
    pub name: String,
    pub school_name: String,
    pub region: String,
}

/// A room for one subject: its number in the 准考证号, the generation of
/// its seats (raised whenever a seat is vacated, so a seat given again
/// never gives a number already given) and its invigilators.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomSlot {
    pub room_id: String,
    pub subject_id: String,
    pub plan_id: String,
    pub site_id: String,
    pub place: SeatPlace,
    /// 1..9999 within the site.
    pub no: u32,
    #[serde(default)]
    pub generation: u32,
    #[serde(default)]
    pub invigilators: Vec<OnDuty>,
    /// Seated registrations (a counter, raised with the seats: per room
    /// here, so no one item grows with the rooms of a site).
    #[serde(default)]
    pub seated: i64,
    pub version: u64,
}

impl RoomSlot {
    /// The counter attribute of [`Self::seated`].
    pub const SEATED: &'static str = "seated";

    pub fn key(room_id: &str, subject_id: &str) -> Key {
        Key::new(format!("RSLOT#{room_id}"), subject_id.to_owned())
    }
}

/// A site's number (the 准考证号's 考点 part) and the count of room numbers
/// it has given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteNo {
    pub no: u64,
    #[serde(default)]
    pub rooms: u64,
}

impl SiteNo {
    pub fn key(site_id: &str) -> Key {
        Key::new(format!("SITENO#{site_id}"), "NO")
    }
}

/// An invigilator's duty: a room slot and its exam time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Duty {
    pub invigilator_id: String,
    pub room_id: String,
    pub room_name: String,
    pub subject_id: String,
    pub subject_name: String,
    pub exam: Window,
}

impl Duty {
    fn pk(host: &Tenant) -> String {
        host.index("DUTY")
    }

    pub fn key(host: &Tenant, invigilator_id: &str, room_id: &str, subject_id: &str) -> Key {
        Key::new(
            Self::pk(host),
            format!("D#{invigilator_id}#{room_id}#{subject_id}"),
        )
    }

    /// Every duty of a host school's invigilators.
    pub fn source(host: &Tenant) -> keyset::Source {
        keyset::Source {
            pk: Self::pk(host),
            prefix: "D#".into(),
        }
    }

    /// The lease that lets one arrangement at a time give the host's
    /// invigilators duties.
    pub fn lease_key(host: &Tenant) -> Key {
        Key::new(Self::pk(host), "LEASE")
    }
}

/// 准考证号, 26 digits: the subject's exam date (8), the site's number
/// (6), the room slot's number within the site (4), its seat generation
/// (4) and the seat (4). The first seat a registration gets names its
/// number; it keeps it after moves. Unique by construction: a site number
/// is given once, a room number once within its site, and within one
/// generation of a room slot a seat is given a new number at most once
/// (vacating a seat raises the generation).
pub fn ticket_no(
    exam_date: &str,
    site_no: u64,
    room_no: u32,
    generation: u32,
    seat: u32,
) -> String {
    let date: String = exam_date
        .chars()
        .filter(char::is_ascii_digit)
        .take(8)
        .collect();
    format!("{date:0>8}{site_no:06}{room_no:04}{generation:04}{seat:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_have_26_digits_and_encode_their_parts() {
        let no = ticket_no("2026-12-18 09:00:00", 42, 7, 0, 12);
        assert_eq!(no, "20261218000042000700000012");
        assert_eq!(no.len(), 26);
        assert_ne!(no, ticket_no("2026-12-18 09:00:00", 42, 7, 1, 12));
    }

    #[test]
    fn seat_keys_order_by_seat() {
        let a = Seat::room_key("R", "S", 2);
        let b = Seat::room_key("R", "S", 10);
        assert!(a.sk < b.sk);
        let school = Tenant::new(vslc_accounts::TenantKind::School, "S1");
        let src = Seat::school_sources(&school, Some("P"), Some("S"));
        assert_eq!(src.len(), usize::from(shard::SHARDS));
        assert!(
            Seat::school_key(&school, "P", "S", "R1")
                .sk
                .starts_with(&src[0].prefix)
        );
    }

    #[test]
    fn a_rooms_fill_is_its_slots_count_plus_what_an_older_record_counted() {
        let old: vslc_ports::table::Item =
            serde_json::from_value(serde_json::json!({"r#R1": 5, "seated": 9})).unwrap();
        let slot = |seated: i64| -> RoomSlot {
            serde_json::from_value(serde_json::json!({
                "roomId": "R1", "subjectId": "S", "planId": "P", "siteId": "X",
                "place": {
                    "planName": "p", "siteId": "X", "siteName": "s", "hostSchoolName": "h",
                    "roomName": "r", "certificateId": "C", "certificateName": "c",
                    "level": "初级", "subjectCode": "1", "subjectName": "n", "method": "笔试",
                    "exam": {"start": "2026-12-18 09:00:00", "end": "2026-12-18 11:00:00"}
                },
                "no": 1, "seated": seated, "version": 1
            }))
            .unwrap()
        };
        // Counted on the record before; two moved out and one cancelled since.
        assert_eq!(room_fill(Some(&slot(-3)), Some(&old), "R1"), 2);
        // New rooms count on their slot only.
        assert_eq!(room_fill(Some(&slot(7)), Some(&old), "R2"), 7);
        assert_eq!(room_fill(None, None, "R1"), 0);
        // Never below zero.
        assert_eq!(room_fill(Some(&slot(-9)), Some(&old), "R1"), 0);
    }
}
