//! 排考: seats a plan subject's paid registrations at a site in the rooms
//! set up for it, gives 准考证号 and puts invigilators in the rooms.
//!
//! One arrangement of a subject at a site runs at a time (a lease on its
//! [`Arrangement`] record, taken with a version check). Everything is
//! decided before anything is written: too few seats write nothing. The
//! seats are written in bulk (`insert_guarded`: a seat's room key and its
//! school key are both guards, so a seat is never given twice and a
//! registration never seated twice for a subject), the counters with them.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::context::{self, Sitter, Subject};
use crate::interleave::{self, Person, Space};
use crate::invigilate;
use crate::lease::{self, Lease};
use crate::model::{Arrangement, RoomSlot, Seat, room_fill, ticket_no};
use crate::numbers;
use futures_util::StreamExt;
use vslc_accounts::Tenant;
use vslc_exam::window::Position;
use vslc_payments::service::Orders;
use vslc_ports::keyset;
use vslc_ports::table::{
    Condition, Count, EncodedItem, Guarded, Item, TableError, Update, to_item,
};
use vslc_ports::{AppState, Caller, DomainError};
use vslc_registrations::Registration;
use vslc_registrations::service::{OrderState, Payments, guard_lines};
use vslc_rooms::Room;

/// 排考 options.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArrangeInput {
    /// 每个考场的监考人数, 1 to 4 (default 2, or what the subject used before).
    #[serde(default)]
    pub invigilators_per_room: Option<u8>,
}

/// What an arrangement did.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArrangeOutcome {
    /// Seated now.
    pub seated: u64,
    /// Seated before (left where they are).
    pub already: u64,
    /// Not seated: another of the candidate's subjects at an overlapping
    /// time is arranged (both named), or a seat was taken meanwhile.
    pub skipped: Vec<String>,
    pub skipped_count: u64,
    /// Rooms holding candidates of this subject.
    pub rooms: u32,
    /// Rooms still short of invigilators (the first 50, by name).
    pub rooms_short_of_invigilators: Vec<String>,
    /// How many rooms are short of invigilators.
    pub rooms_short_count: u64,
    /// The interleaving seed (decimal), for reproducing the seats.
    pub seed: String,
    pub message: String,
}

const LEASE_MINUTES: i64 = 10;
/// Seats built and handed to the store at a time.
const CHUNK: usize = 2_000;
/// Reasons listed in an answer (the count says how many in all).
const REASONS: usize = 50;

fn busy() -> DomainError {
    DomainError::conflict("ARRANGING", "该科目正在排考或调整中，请稍后再试")
}

/// Checks the 排考 window: arrangement, adjustment and 取消编排 (`action`)
/// happen only inside it.
pub fn window_open(
    subject: &Subject,
    now: chrono::NaiveDateTime,
    action: &str,
) -> Result<(), DomainError> {
    let w = &subject.plan.scheduling;
    let when = match w.position(now) {
        Position::Inside => return Ok(()),
        Position::Before => "尚未开始",
        Position::After => "已结束",
    };
    Err(DomainError::conflict(
        "SCHEDULING_CLOSED",
        format!("排考时间（{} 至 {}）{when}，不能{action}", w.start, w.end),
    ))
}

/// Only the school running the site arranges it.
pub fn host_only(subject: &Subject, school: &Tenant) -> Result<(), DomainError> {
    if subject.host != *school {
        return Err(DomainError::forbidden(format!(
            "借考考核站点的考生由站点所属院校（{}）排考",
            subject.site.school_name
        )));
    }
    Ok(())
}

/// Takes the arrangement's lease; answers it with the record as it was.
pub async fn take_lease(
    state: &AppState,
    subject: &Subject,
) -> Result<(Lease, Arrangement, Item), DomainError> {
    let key = Arrangement::key(
        &subject.plan.id,
        &subject.site.id,
        &subject.subject.subject_id,
    );
    let fresh = Arrangement {
        plan_id: subject.plan.id.clone(),
        site_id: subject.site.id.clone(),
        subject_id: subject.subject.subject_id.clone(),
        seed: ulid::Ulid::new().0 as u64,
        seated: 0,
        arranged_at: None,
        arranged_by: None,
        invigilators_per_room: 2,
        seating: crate::model::SEATING,
        version: 1,
    };
    let item = to_item(&key, &fresh)?;
    let (held, before) = lease::take(state, &key, LEASE_MINUTES, || Ok(item.clone()), busy).await?;
    let item = before.unwrap_or(item);
    let record: Arrangement = lease::record(item.clone())?;
    Ok((held, record, item))
}

/// Gives the lease back, noting who arranged and how.
pub async fn release_lease(
    state: &AppState,
    held: &Lease,
    done: Option<(&str, u8)>,
) -> Result<(), DomainError> {
    let mut update = Update::new();
    if let Some((by, per_room)) = done {
        update = update
            .set("arrangedAt", state.clock.now_text())
            .set("arrangedBy", by)
            .set("invigilatorsPerRoom", per_room)
            .set("seating", crate::model::SEATING);
    }
    lease::give_back(state, held, update).await
}

/// 排考 of one subject at one site (the row id names them).
pub async fn arrange(
    state: &AppState,
    caller: &Caller,
    row_id: &str,
    input: ArrangeInput,
) -> Result<ArrangeOutcome, DomainError> {
    let school = caller.school_exam_writer()?;
    let subject = context::load(state, school, row_id).await?;
    host_only(&subject, school)?;
    window_open(&subject, state.clock.now_local(), "排考")?;
    if let Some(n) = input.invigilators_per_room
        && !(1..=4).contains(&n)
    {
        return Err(DomainError::invalid(
            "BAD_INVIGILATORS",
            "每个考场的监考人数须为1到4人",
        ));
    }
    let (held, record, item) = take_lease(state, &subject).await?;
    let per_room = input
        .invigilators_per_room
        .unwrap_or(record.invigilators_per_room);
    let outcome = run(state, &subject, &record, &item, per_room).await;
    let done = outcome
        .as_ref()
        .ok()
        .map(|_| (caller.name.as_str(), per_room));
    release_lease(state, &held, done).await?;
    outcome
}

/// The subjects of a registration (a few fields of a large item), read
/// only for guards written before they recorded them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegSubjects {
    subjects: Vec<RegSubjectId>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegSubjectId {
    subject_id: String,
}

/// A seat as 排考 reads it back.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SeatRef {
    pub registration_id: String,
    pub candidate_no: String,
    pub subject_id: String,
    pub ticket_no: String,
    pub seat: u32,
    pub school_id: String,
}

/// A paid registration of the subject, waiting for a seat.
struct Waiting {
    sitter: usize,
    id: String,
    candidate_no: String,
}

/// The paid registrations of the subject at each sitting school, from
/// the registrations' guards (small: id, subjects, 考生编号 in the key)
/// rather than the registrations.
async fn waiting(state: &AppState, subject: &Subject) -> Result<Vec<Waiting>, DomainError> {
    let want = subject.subject.subject_id.as_str();
    let plan_id = subject.plan.id.as_str();
    let mut out = Vec::new();
    for (i, sitter) in subject.sitters.iter().enumerate() {
        let school = &sitter.tenant;
        // 按科目 registrations have a guard per subject, each listing all.
        let mut seen = HashSet::new();
        let mut regs = Vec::new();
        let mut unlisted = Vec::new();
        for line in guard_lines(state, school, plan_id).await? {
            let Some(no) = line.candidate_no() else {
                continue;
            };
            let no = no.to_owned();
            if line.subject_ids.is_empty() {
                unlisted.push((line.id, no));
            } else if line.subject_ids.iter().any(|s| s == want) && seen.insert(line.id.clone()) {
                regs.push((line.id, no));
            }
        }
        unlisted.sort();
        unlisted.dedup();
        for chunk in unlisted.chunks(1000) {
            let keys = chunk
                .iter()
                .map(|(id, _)| Registration::key(school, plan_id, id))
                .collect();
            let found = state.table.get_many_json(keys).await?;
            for ((id, no), json) in chunk.iter().zip(found) {
                let Some(json) = json else { continue };
                let r: RegSubjects =
                    serde_json::from_slice(&json).map_err(DomainError::internal)?;
                if r.subjects.iter().any(|s| s.subject_id == want) && seen.insert(id.clone()) {
                    regs.push((id.clone(), no.clone()));
                }
            }
        }
        if regs.is_empty() {
            continue;
        }
        let payments = Payments::load(state, school, Some(plan_id), &Orders).await?;
        out.extend(
            regs.into_iter()
                .filter(|(id, _)| {
                    payments
                        .live_order(id)
                        .is_some_and(|o| o.state == OrderState::Confirmed)
                })
                .map(|(id, candidate_no)| Waiting {
                    sitter: i,
                    id,
                    candidate_no,
                }),
        );
    }
    // The registrations' own order (their ids are ULIDs): what the guards'
    // key order (by 考生编号) would otherwise decide.
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// What the sitting schools' seats of the plan tell 排考.
struct Before {
    /// Registrations seated for this subject.
    done: HashSet<String>,
    /// 考生编号 seated for an overlapping subject → that subject.
    clashes: HashMap<String, RegSubjectLabel>,
    /// Registration → its 准考证号: on its seats, or kept when a seat was
    /// cancelled.
    tickets: HashMap<String, String>,
}

async fn before(
    state: &AppState,
    subject: &Subject,
    others: &[&vslc_exam::plans::PlanSubject],
) -> Result<Before, DomainError> {
    let this = subject.subject.subject_id.as_str();
    let mut out = Before {
        done: HashSet::new(),
        clashes: HashMap::new(),
        tickets: HashMap::new(),
    };
    for sitter in &subject.sitters {
        // The seat rows first, the kept numbers after: 取消编排 (of another
        // subject, under its own lease) deletes a seat row and keeps its
        // number in one write, so one of the two reads sees the number.
        let sources = Seat::school_sources(&sitter.tenant, Some(&subject.plan.id), None);
        for s in keyset::each_in::<SeatRef>(state.table.as_ref(), &sources).await? {
            if s.subject_id == this {
                out.done.insert(s.registration_id.clone());
            } else if let Some(other) = others.iter().find(|o| o.subject_id == s.subject_id) {
                out.clashes.insert(s.candidate_no, label_of(other));
            }
            out.tickets.insert(s.registration_id, s.ticket_no);
        }
        for t in numbers::tickets_of(state, &sitter.tenant, &subject.plan.id).await? {
            out.tickets.entry(t.registration_id).or_insert(t.ticket_no);
        }
    }
    Ok(out)
}

/// The plan's other subjects whose exam time overlaps this one's.
fn overlapping(subject: &Subject) -> Vec<&vslc_exam::plans::PlanSubject> {
    let (start, end) = subject.subject.exam.bounds();
    subject
        .plan
        .subjects
        .iter()
        .filter(|s| s.subject_id != subject.subject.subject_id)
        .filter(|s| {
            let (a, b) = s.exam.bounds();
            a < end && start < b
        })
        .collect()
}

fn clash(name: &str, no: &str, other: &RegSubjectLabel, this: &RegSubjectLabel) -> String {
    format!(
        "考生{name}（{no}）已排考的科目“{}”（{}）与科目“{}”（{}）考试时间冲突，不能同时排考",
        other.0, other.1, this.0, this.1
    )
}

/// (name, time) of a subject, as messages show it.
#[derive(Clone)]
struct RegSubjectLabel(String, String);

/// A candidate left unseated, named in the answer.
struct Unseated {
    sitter: usize,
    id: String,
    candidate_no: String,
    /// The arranged subject at an overlapping time; none: the seat or the
    /// registration was taken by another arrangement meanwhile.
    clash: Option<RegSubjectLabel>,
}

/// The reasons of the candidates left unseated, with their names.
async fn reasons(state: &AppState, subject: &Subject, unseated: Vec<Unseated>) -> Vec<String> {
    let keys = unseated
        .iter()
        .map(|u| {
            let school = &subject.sitters[u.sitter].tenant;
            let key = Registration::key(school, &subject.plan.id, &u.id);
            (u.id.clone(), key)
        })
        .collect();
    // The seats are written by now: a failed read of the names leaves
    // them out of the messages rather than failing the arrangement.
    let names = crate::holders::by_key(state, keys)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "排考: names of the unseated candidates not read");
            HashMap::new()
        });
    let this = label_of(&subject.subject);
    unseated
        .into_iter()
        .map(|u| {
            let name = names.get(&u.id).map_or("", |c| c.name.as_str());
            match &u.clash {
                Some(other) => clash(name, &u.candidate_no, other, &this),
                None => format!(
                    "考生{name}（{}）在排考时已被安排到其他座位或同时段的科目，请刷新后查看",
                    u.candidate_no
                ),
            }
        })
        .collect()
}

fn label_of(s: &vslc_exam::plans::PlanSubject) -> RegSubjectLabel {
    RegSubjectLabel(
        s.name.clone(),
        format!("{} 至 {}", s.exam.start, s.exam.end),
    )
}

async fn run(
    state: &AppState,
    subject: &Subject,
    record: &Arrangement,
    item: &Item,
    per_room: u8,
) -> Result<ArrangeOutcome, DomainError> {
    let subject_id = subject.subject.subject_id.as_str();
    let rooms = subject.rooms(state).await?;
    if rooms.is_empty() {
        return Err(DomainError::conflict(
            "NO_ROOMS",
            format!(
                "考核站点未为科目“{}”设置考场，请先在考场管理中设置考场",
                subject.subject.name
            ),
        ));
    }
    // Who waits: paid, of this subject, not seated, no clash.
    let started = std::time::Instant::now();
    let waiting = waiting(state, subject).await?;
    let read_at = started.elapsed();
    let others = overlapping(subject);
    let Before {
        done,
        clashes,
        tickets,
    } = before(state, subject, &others).await?;
    let mut skipped: Vec<Unseated> = Vec::new();
    let mut skipped_count = 0u64;
    let mut already = 0u64;
    let mut todo: Vec<Waiting> = Vec::with_capacity(waiting.len());
    for w in waiting {
        if done.contains(&w.id) {
            already += 1;
        } else if let Some(other) = clashes.get(&w.candidate_no) {
            skipped_count += 1;
            if skipped.len() < REASONS {
                skipped.push(Unseated {
                    sitter: w.sitter,
                    id: w.id,
                    candidate_no: w.candidate_no,
                    clash: Some(other.clone()),
                });
            }
        } else {
            todo.push(w);
        }
    }
    drop(done);
    // The seats free in each room.
    let have = numbers::existing(state, subject_id, &rooms).await?;
    let mut taken_rows: Vec<Vec<SeatRef>> = Vec::with_capacity(rooms.len());
    for (room, slot) in rooms.iter().zip(&have) {
        let rows = if room_fill(slot.as_ref(), Some(item), &room.id) > 0 {
            let source = Seat::room_source(&room.id, subject_id);
            keyset::each_in::<SeatRef>(state.table.as_ref(), &[source]).await?
        } else {
            Vec::new()
        };
        taken_rows.push(rows);
    }
    let spaces: Vec<Space<'_>> = rooms
        .iter()
        .zip(&taken_rows)
        .map(|(room, rows)| Space {
            seats: room.seats,
            taken: rows
                .iter()
                .map(|r| (r.seat, r.school_id.as_str()))
                .collect(),
        })
        .collect();
    let free: u64 = spaces.iter().map(|s| u64::from(s.free())).sum();
    let want = todo.len() as u64;
    if want > free {
        return Err(DomainError::conflict(
            "NOT_ENOUGH_SEATS",
            format!(
                "考位不足：待排考{want}人，空余考位{free}个，还差{}个考位，请增加考场或座位数后再排考",
                want - free
            ),
        ));
    }
    let school_ids: Vec<&str> = subject
        .sitters
        .iter()
        .map(|s| s.tenant.id.as_str())
        .collect();
    let people: Vec<Person<'_>> = todo
        .iter()
        .map(|w| Person {
            id: &w.id,
            school: school_ids[w.sitter],
        })
        .collect();
    let placements = interleave::arrange(record.seed, &spaces, &people);
    let placed_at = started.elapsed();
    drop(spaces);
    drop(people);
    // Numbers: the site's, each room slot's, each registration's ticket.
    let site_no = numbers::site_no(state, &subject.site.id).await?;
    let (mut slots, fresh) = numbers::slots(state, subject, &rooms, have).await?;
    // Invigilators for the rooms that will hold candidates, and the room
    // slots, written before any seat: a seat always has its room slot.
    let mut fill: Vec<u32> = taken_rows.iter().map(|r| r.len() as u32).collect();
    drop(taken_rows);
    let mut planned = fill.clone();
    for &(r, _, _) in &placements {
        planned[r] += 1;
    }
    let short = invigilate::staff_and_write(
        state, subject, &rooms, &mut slots, &fresh, &planned, per_room,
    )
    .await?;
    // The seats, built and written chunk by chunk (on the embedded store
    // in one transaction); a registration's seats at overlapping times
    // are checked in the same write (another arrangement may be seating
    // it right now).
    let arr_key = Arrangement::key(&subject.plan.id, &subject.site.id, subject_id);
    let now = state.clock.now_text();
    let staffed_at = started.elapsed();
    let build = |chunk: &[(usize, u32, usize)]| -> Result<Vec<Guarded>, TableError> {
        chunk
            .iter()
            .map(|&(r, seat_no, p)| {
                let w = &todo[p];
                let room = &rooms[r];
                let slot = &slots[r];
                let sitter = &subject.sitters[w.sitter];
                let ticket = match tickets.get(&w.id) {
                    Some(t) => t.clone(),
                    None => ticket_no(
                        &subject.subject.exam.start,
                        site_no.no,
                        slot.no,
                        slot.generation,
                        seat_no,
                    ),
                };
                let seat = new_seat(subject, sitter, room, seat_no, ticket, w, &now);
                let mut group = seat_group(&seat, &arr_key)?;
                for other in &others {
                    group = group.checking(
                        Seat::school_key(
                            &sitter.tenant,
                            &subject.plan.id,
                            &other.subject_id,
                            &w.id,
                        ),
                        Condition::NotExists,
                    );
                }
                Ok(group)
            })
            .collect()
    };
    let chunks = futures_util::stream::iter(placements.chunks(CHUNK).map(build)).boxed();
    let results = state.table.insert_guarded_chunks(chunks).await?;
    if results.len() != placements.len() {
        return Err(DomainError::internal(TableError::Invalid(format!(
            "排考: {} answers for {} seats",
            results.len(),
            placements.len()
        ))));
    }
    let mut won = 0u64;
    let mut lost = 0u64;
    for (&(r, _, p), ok) in placements.iter().zip(results) {
        if ok {
            won += 1;
            fill[r] += 1;
        } else {
            lost += 1;
            if skipped.len() < REASONS {
                let w = &todo[p];
                skipped.push(Unseated {
                    sitter: w.sitter,
                    id: w.id.clone(),
                    candidate_no: w.candidate_no.clone(),
                    clash: None,
                });
            }
        }
    }
    skipped_count += lost;
    tracing::info!(
        seated = won,
        read_ms = read_at.as_millis() as u64,
        placed_ms = placed_at.as_millis() as u64,
        staffed_ms = staffed_at.as_millis() as u64,
        written_ms = started.elapsed().as_millis() as u64,
        "排考 timings (cumulative)"
    );
    let used = fill.iter().filter(|n| **n > 0).count() as u32;
    let message = if want == 0 {
        format!("科目“{}”没有待排考的已缴费考生", subject.subject.name)
    } else {
        format!(
            "已为{won}名考生排考（{used}个考场）{}",
            if skipped_count > 0 {
                format!("，{skipped_count}名未排考")
            } else {
                String::new()
            }
        )
    };
    let skipped = reasons(state, subject, skipped).await;
    Ok(ArrangeOutcome {
        seated: won,
        already,
        skipped,
        skipped_count,
        rooms: used,
        rooms_short_count: short.short.len() as u64,
        rooms_short_of_invigilators: short.short.into_iter().take(REASONS).collect(),
        seed: record.seed.to_string(),
        message,
    })
}

fn new_seat(
    subject: &Subject,
    sitter: &Sitter,
    room: &Room,
    seat: u32,
    ticket_no: String,
    w: &Waiting,
    now: &str,
) -> Seat {
    Seat {
        plan_id: subject.plan.id.clone(),
        room_id: room.id.clone(),
        subject_id: subject.subject.subject_id.clone(),
        seat,
        ticket_no,
        registration_id: w.id.clone(),
        school_id: sitter.tenant.id.clone(),
        school_name: sitter.name.clone(),
        candidate_no: w.candidate_no.clone(),
        seated_at: now.to_owned(),
        attendance: None,
        signed_in_at: None,
        signed_in_by: None,
    }
}

/// Where and when a room's seats of the subject are.
pub fn place(subject: &Subject, room: &Room) -> crate::model::SeatPlace {
    let s = &subject.subject;
    crate::model::SeatPlace {
        plan_name: subject.plan.name.clone(),
        site_id: subject.site.id.clone(),
        site_name: subject.site.name.clone(),
        host_school_name: subject.site.school_name.clone(),
        room_name: room.name.clone(),
        room_location: room.location.clone(),
        certificate_id: s.certificate_id.clone(),
        certificate_name: subject.site.certificate_name.clone(),
        level: s.level,
        subject_code: s.code.clone(),
        subject_name: s.name.clone(),
        method: s.method,
        exam: s.exam.clone(),
    }
}

/// A seat's writes: its two keys as guards (the 准考证号 is on both), the
/// counters.
pub(crate) fn seat_group(
    seat: &Seat,
    arr_key: &vslc_ports::table::Key,
) -> Result<Guarded, TableError> {
    let body = serde_json::to_vec(seat).map_err(|e| TableError::Invalid(e.to_string()))?;
    Ok(Guarded {
        guards: vec![
            EncodedItem::with_body(seat.own_room_key(), &body)?,
            EncodedItem::with_body(seat.own_school_key(), &body)?,
        ],
        items: Vec::new(),
        updates: Vec::new(),
        checks: Vec::new(),
        counts: vec![
            Count::new(arr_key.clone(), "seated", 1),
            Count::new(
                RoomSlot::key(&seat.room_id, &seat.subject_id),
                RoomSlot::SEATED,
                1,
            ),
        ],
    })
}
