//! 考场签到 (beyond the manual): a 监考员 login sees the rooms its
//! invigilator is on duty in, and signs candidates in at the door — by the
//! 准考证's QR code ([`crate::token`]) or a typed 准考证号 — comparing the
//! photo with the person. Signing in is allowed from an hour before the
//! exam until it ends; a code of another room or time says where and when
//! its candidate sits. When the exam ends, whoever is not signed in is
//! marked 缺考 ([`AbsenceCloser`]).

use async_trait::async_trait;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::holders;
use crate::model::{Attendance, AttendanceDue, Duty, RoomSlot, Seat, SeatPlace};
use crate::token::{self, TokenError};
use vslc_accounts::Tenant;
use vslc_ports::keyset;
use vslc_ports::table::{Condition, Group, TableError, TableExt, TxOp, Update};
use vslc_ports::{AppState, Caller, DomainError, mask};

/// How long before the exam the door opens.
const EARLY_MINUTES: i64 = 60;

/// Where a room is in its day, for the 监考员.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum DoorPhase {
    #[serde(rename = "未开始")]
    NotYet,
    #[serde(rename = "签到中")]
    Open,
    #[serde(rename = "已结束")]
    Ended,
}

fn phase(place: &SeatPlace, now: NaiveDateTime) -> DoorPhase {
    let (start, end) = place.exam.bounds();
    if now < start - Duration::minutes(EARLY_MINUTES) {
        DoorPhase::NotYet
    } else if now < end {
        DoorPhase::Open
    } else {
        DoorPhase::Ended
    }
}

/// One of the 监考员's rooms.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DutyRoom {
    /// `<考场 id>.<科目 id>`.
    pub id: String,
    #[serde(flatten)]
    pub place: SeatPlace,
    pub seated: u32,
    pub signed_in: u32,
    pub absent: u32,
    pub phase: DoorPhase,
}

/// The 监考员's rooms: today's and those to come, in exam order (the
/// ones ended before today are left out).
pub async fn my_rooms(state: &AppState, caller: &Caller) -> Result<Vec<DutyRoom>, DomainError> {
    let (school, me) = caller.invigilator()?;
    let now = state.clock.now_local();
    let today = now.date();
    let source = keyset::Source {
        pk: Duty::source(school).pk,
        prefix: format!("D#{me}#"),
    };
    let duties: Vec<Duty> = keyset::each_in(state.table.as_ref(), &[source]).await?;
    let mut out = Vec::new();
    for d in duties {
        if d.exam.bounds().1.date() < today {
            continue;
        }
        let Some(slot) = state
            .table
            .get_as::<RoomSlot>(&RoomSlot::key(&d.room_id, &d.subject_id))
            .await?
        else {
            continue;
        };
        if !slot.invigilators.iter().any(|i| i.invigilator_id == me) {
            continue;
        }
        let seats = crate::views::seats_of(state, &slot.room_id, &slot.subject_id).await?;
        out.push(duty_room(&slot, &seats, now));
    }
    out.sort_by(|a, b| {
        a.place
            .exam
            .start
            .cmp(&b.place.exam.start)
            .then(a.id.cmp(&b.id))
    });
    Ok(out)
}

fn duty_room(slot: &RoomSlot, seats: &[Seat], now: NaiveDateTime) -> DutyRoom {
    let count = |a: Attendance| seats.iter().filter(|s| s.attendance == Some(a)).count() as u32;
    DutyRoom {
        id: format!("{}.{}", slot.room_id, slot.subject_id),
        place: slot.place.clone(),
        seated: seats.len() as u32,
        signed_in: count(Attendance::Present),
        absent: count(Attendance::Absent),
        phase: phase(&slot.place, now),
    }
}

/// A candidate at the door.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DoorCandidate {
    pub seat: u32,
    pub ticket_no: String,
    pub candidate_name: String,
    pub gender: String,
    /// Masked.
    pub id_number: String,
    pub school_name: String,
    pub attendance: Option<Attendance>,
    pub signed_in_at: Option<String>,
    /// A short-lived link to the photo, to compare with the person.
    pub photo_url: Option<String>,
}

/// One of the 监考员's rooms with its candidates in seat order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DoorRoom {
    pub room: DutyRoom,
    pub candidates: Vec<DoorCandidate>,
}

/// The room slot `id` if the caller is on duty there (404 otherwise: a
/// 监考员 learns nothing of rooms that are not theirs).
async fn my_slot(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(Tenant, RoomSlot), DomainError> {
    let (school, me) = caller.invigilator()?;
    let missing = || DomainError::not_found("监考考场");
    let (room_id, subject_id) = id.split_once('.').ok_or_else(missing)?;
    let slot: RoomSlot = state
        .table
        .get_as(&RoomSlot::key(room_id, subject_id))
        .await?
        .ok_or_else(missing)?;
    if !slot.invigilators.iter().any(|i| i.invigilator_id == me) {
        return Err(missing());
    }
    Ok((school.clone(), slot))
}

/// 考场签到 page: the room and its candidates.
pub async fn door(state: &AppState, caller: &Caller, id: &str) -> Result<DoorRoom, DomainError> {
    let (_, slot) = my_slot(state, caller, id).await?;
    let seats = crate::views::seats_of(state, &slot.room_id, &slot.subject_id).await?;
    let people = holders::of(state, &seats).await?;
    let mut candidates = Vec::with_capacity(seats.len());
    for s in &seats {
        let Some(c) = people.get(&s.registration_id) else {
            continue;
        };
        candidates.push(DoorCandidate {
            seat: s.seat,
            ticket_no: s.ticket_no.clone(),
            candidate_name: c.name.clone(),
            gender: c.gender.label().to_owned(),
            id_number: mask::id_number(&c.id_number),
            school_name: s.school_name.clone(),
            attendance: s.attendance,
            signed_in_at: s.signed_in_at.clone(),
            photo_url: photo_url(state, c.photo_key.as_deref()).await,
        });
    }
    Ok(DoorRoom {
        room: duty_room(&slot, &seats, state.clock.now_local()),
        candidates,
    })
}

async fn photo_url(state: &AppState, key: Option<&str>) -> Option<String> {
    let key = key?;
    state
        .documents
        .download_url(key, None, std::time::Duration::from_secs(600))
        .await
        .ok()
}

/// 签到: the QR code's text or a typed 准考证号.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInInput {
    pub code: String,
}

/// Who was signed in (or already was).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInOutcome {
    pub candidate: DoorCandidate,
    /// Signed in before this scan (nothing changed).
    pub already: bool,
    pub message: String,
}

fn elsewhere(s: &Seat, place: Option<&SeatPlace>) -> DomainError {
    let (room, subject, time) = match place {
        Some(p) => (
            p.room_name.as_str(),
            p.subject_name.as_str(),
            crate::exam_time(&p.exam),
        ),
        None => ("其他考场", "其他科目", String::new()),
    };
    DomainError::conflict(
        "OTHER_ROOM",
        format!(
            "该考生不在本考场：应在{room} {}号座位参加“{subject}”考试（{time}）",
            s.seat
        ),
    )
}

/// 签到 at the door of room slot `id`.
pub async fn sign_in(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: SignInInput,
) -> Result<SignInOutcome, DomainError> {
    let (_, slot) = my_slot(state, caller, id).await?;
    let now = state.clock.now_local();
    let (_, end) = slot.place.exam.bounds();
    match phase(&slot.place, now) {
        DoorPhase::NotYet => {
            return Err(DomainError::conflict(
                "NOT_OPEN",
                format!(
                    "尚未开始签到：考试时间{}，开考前{EARLY_MINUTES}分钟开始签到",
                    crate::exam_time(&slot.place.exam)
                ),
            ));
        }
        DoorPhase::Ended => {
            return Err(DomainError::conflict(
                "ENDED",
                format!("考试已于{}结束，不能再签到", end.format("%H:%M")),
            ));
        }
        DoorPhase::Open => {}
    }
    let code = input.code.trim();
    if code.is_empty() || code.chars().count() > 512 {
        return Err(DomainError::invalid(
            "BAD_CODE",
            "请扫描准考证上的签到二维码或输入准考证号",
        ));
    }
    let seats = crate::views::seats_of(state, &slot.room_id, &slot.subject_id).await?;
    let here = if code.starts_with(token::PREFIX) {
        let key = token::signing_key(state).await?;
        let t = token::verify(&key, code, state.clock.now().timestamp()).map_err(|e| match e {
            TokenError::Expired => DomainError::conflict("EXPIRED", e.message()),
            _ => DomainError::invalid("BAD_CODE", e.message()),
        })?;
        match seats
            .iter()
            .find(|s| s.registration_id == t.registration_id)
        {
            Some(s) => s.clone(),
            None => {
                // Where the candidate does sit in this plan, if anywhere.
                let school = Tenant::new(vslc_accounts::TenantKind::School, &t.school_id);
                return Err(whereabouts(state, &school, &slot, &t.registration_id).await);
            }
        }
    } else {
        let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if !typed.chars().all(|c| c.is_ascii_digit()) {
            return Err(DomainError::invalid(
                "BAD_CODE",
                TokenError::Malformed.message(),
            ));
        }
        match seats.iter().find(|s| s.ticket_no == typed) {
            Some(s) => s.clone(),
            None => {
                return Err(DomainError::conflict(
                    "OTHER_ROOM",
                    format!(
                        "准考证号{typed}不在本考场本场次的考生名单中，请核对准考证上的考场和考试时间"
                    ),
                ));
            }
        }
    };
    let person = holders::of(state, std::slice::from_ref(&here)).await?;
    let c = person
        .get(&here.registration_id)
        .ok_or_else(|| DomainError::not_found("考生"))?;
    let mut already = here.attendance == Some(Attendance::Present);
    let mut at = here.signed_in_at.clone();
    if !already {
        let when = state.clock.now_text();
        if mark_present(state, &here, &when, &caller.name).await? {
            at = Some(when);
        } else {
            // Someone else signed them in just now, or the seat changed.
            let now: Option<Seat> = state.table.get_as(&here.own_room_key()).await?;
            match now {
                Some(s)
                    if s.registration_id == here.registration_id
                        && s.attendance == Some(Attendance::Present) =>
                {
                    already = true;
                    at = s.signed_in_at;
                }
                _ => {
                    return Err(DomainError::conflict(
                        "SEAT_CHANGED",
                        "该考生的座位刚刚发生变化，请刷新后重试",
                    ));
                }
            }
        }
    }
    let candidate = DoorCandidate {
        seat: here.seat,
        ticket_no: here.ticket_no.clone(),
        candidate_name: c.name.clone(),
        gender: c.gender.label().to_owned(),
        id_number: mask::id_number(&c.id_number),
        school_name: here.school_name.clone(),
        attendance: Some(Attendance::Present),
        signed_in_at: at.clone(),
        photo_url: photo_url(state, c.photo_key.as_deref()).await,
    };
    let message = if already {
        format!(
            "{}（{}号）已于{}签到",
            c.name,
            here.seat,
            at.as_deref().and_then(|t| t.get(11..16)).unwrap_or("此前")
        )
    } else {
        format!("{}（{}号）签到成功，请核对照片", c.name, here.seat)
    };
    Ok(SignInOutcome {
        candidate,
        already,
        message,
    })
}

/// Writes 已签到 on both rows of a seat, only if the seat still holds this
/// registration and has no attendance yet; whether it did.
async fn mark_present(
    state: &AppState,
    seat: &Seat,
    when: &str,
    by: &str,
) -> Result<bool, DomainError> {
    let update = Update::new()
        .set("attendance", Attendance::Present.label())
        .set("signedInAt", when.to_owned())
        .set("signedInBy", by.to_owned());
    let unmarked = || {
        Some(Condition::And(vec![
            Condition::attr_equals("registrationId", seat.registration_id.clone()),
            Condition::AttrAbsent("attendance".into()),
        ]))
    };
    match state
        .table
        .transact(vec![
            TxOp::Update {
                key: seat.own_room_key(),
                update: update.clone(),
                condition: unmarked(),
            },
            TxOp::Update {
                key: seat.own_school_key(),
                update,
                condition: unmarked(),
            },
        ])
        .await
    {
        Ok(()) => Ok(true),
        Err(TableError::TransactionCanceled { .. } | TableError::ConditionFailed) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Why a signed ticket does not belong at this door: the candidate's seat
/// in the plan at this time in another room, or at another time.
async fn whereabouts(
    state: &AppState,
    school: &Tenant,
    slot: &RoomSlot,
    registration_id: &str,
) -> DomainError {
    let found = async {
        let key = Seat::school_key(school, &slot.plan_id, &slot.subject_id, registration_id);
        if let Some(s) = state.table.get_as::<Seat>(&key).await? {
            let other: Option<RoomSlot> = state
                .table
                .get_as(&RoomSlot::key(&s.room_id, &s.subject_id))
                .await?;
            return Ok::<_, DomainError>(Some(elsewhere(&s, other.as_ref().map(|o| &o.place))));
        }
        Ok(None)
    }
    .await;
    match found {
        Ok(Some(e)) => e,
        Ok(None) => DomainError::conflict(
            "OTHER_TIME",
            format!(
                "该考生没有“{}”（{}）的考试安排，请核对准考证上的考试科目和时间",
                slot.place.subject_name,
                crate::exam_time(&slot.place.exam)
            ),
        ),
        Err(e) => e,
    }
}

/// Marks 缺考 whoever is not signed in once a room slot's exam ended: a
/// step of the period closer, idempotent (a slot whose marks are written
/// loses its due record; a run cut short is finished by the next).
pub struct AbsenceCloser;

/// Seats marked per bulk write.
const ABSENT_CHUNK: usize = 500;

#[async_trait]
impl vslc_ports::jobs::Closer for AbsenceCloser {
    fn name(&self) -> &'static str {
        "absences"
    }

    async fn close_ended(&self, state: &AppState) -> anyhow::Result<usize> {
        let now = state.clock.now_local();
        let due: Vec<AttendanceDue> =
            keyset::each_in(state.table.as_ref(), &AttendanceDue::sources()).await?;
        let mut marked = 0;
        for d in due {
            let Ok(end) = NaiveDateTime::parse_from_str(&d.end, vslc_ports::clock::TIME_FORMAT)
            else {
                tracing::warn!(due = ?d, "缺考标记: an end time that does not read; left");
                continue;
            };
            if now < end {
                continue;
            }
            // One room's failure is the next run's to retry, not the others'.
            match mark_absent(state, &d).await {
                Ok(n) => marked += n,
                Err(e) => {
                    tracing::error!(due = ?d, error = %e, "缺考标记 of a room failed; retried next run")
                }
            }
        }
        Ok(marked)
    }
}

/// Marks 缺考 the seats of an ended room slot left without attendance, if
/// the room signed anyone in at the door (a room that did not use the
/// electronic sign-in keeps its paper sheet as the record); then drops
/// the slot's due record. How many were marked.
async fn mark_absent(state: &AppState, d: &AttendanceDue) -> Result<usize, DomainError> {
    let seats = crate::views::seats_of(state, &d.room_id, &d.subject_id).await?;
    let used = seats
        .iter()
        .any(|s| s.attendance == Some(Attendance::Present));
    let mut marked = 0;
    if used {
        let absent: Vec<&Seat> = seats.iter().filter(|s| s.attendance.is_none()).collect();
        for chunk in absent.chunks(ABSENT_CHUNK) {
            let groups = chunk
                .iter()
                .map(|s| {
                    let update = Update::new().set("attendance", Attendance::Absent.label());
                    // Never over a sign-in that landed after the read.
                    let unmarked = || Some(Condition::AttrAbsent("attendance".into()));
                    Group {
                        ops: vec![
                            TxOp::Update {
                                key: s.own_room_key(),
                                update: update.clone(),
                                condition: unmarked(),
                            },
                            TxOp::Update {
                                key: s.own_school_key(),
                                update,
                                condition: unmarked(),
                            },
                        ],
                        counts: Vec::new(),
                    }
                })
                .collect();
            let won = state.table.apply_groups(groups).await?;
            marked += won.iter().filter(|w| **w).count();
        }
    }
    state.table.delete(&d.key(), None).await?;
    Ok(marked)
}
