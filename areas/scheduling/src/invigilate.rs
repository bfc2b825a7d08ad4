//! 监考安排: each room holding candidates gets invigilators of the host
//! school who are 已认证 for the room's certificate, never one already on
//! duty at an overlapping time (in any plan), the least busy first. One
//! arrangement at a time gives a host's invigilators duties (a lease on
//! the host's duty partition), so two subjects arranged at once never
//! book one person twice.

use std::collections::HashMap;

use crate::context::Subject;
use crate::lease;
use crate::model::{AttendanceDue, Duty, OnDuty, RoomSlot};
use vslc_ports::keyset;
use vslc_ports::table::{
    Condition, EncodedItem, Group, Guarded, TableError, TxOp, Update, to_item,
};
use vslc_ports::{AppState, DomainError};
use vslc_rooms::Room;

/// What staffing left short: the rooms (by name) with fewer invigilators
/// than asked.
#[derive(Debug, Default)]
pub struct Staffing {
    pub short: Vec<String>,
}

/// Every duty of the host school's invigilators.
pub async fn duties(state: &AppState, subject: &Subject) -> Result<Vec<Duty>, DomainError> {
    let source = Duty::source(&subject.host);
    Ok(keyset::each_in(state.table.as_ref(), &[source]).await?)
}

fn overlaps(a: &vslc_exam::Window, b: &vslc_exam::Window) -> bool {
    let (s1, e1) = a.bounds();
    let (s2, e2) = b.bounds();
    s1 < e2 && s2 < e1
}

fn busy() -> DomainError {
    DomainError::conflict("ARRANGING", "本校正在为其他科目安排监考人员，请稍后再试")
}

/// Puts invigilators in the slots that will hold candidates (`fill`) and
/// have fewer than `per_room`, then writes the new slots (`fresh`, each
/// only if absent) and the changed ones (each only if unchanged since
/// read) with their duties — under the host's duty lease.
pub async fn staff_and_write(
    state: &AppState,
    subject: &Subject,
    rooms: &[Room],
    slots: &mut [RoomSlot],
    fresh: &[bool],
    fill: &[u32],
    per_room: u8,
) -> Result<Staffing, DomainError> {
    let key = Duty::lease_key(&subject.host);
    let mut tries = 0;
    let held = loop {
        match lease::take(state, &key, 5, || lease::plain(&key), busy).await {
            Ok((held, _)) => break held,
            Err(e) if e.code() == "ARRANGING" && tries < 50 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            Err(e) => return Err(e),
        }
    };
    let out = staff(state, subject, rooms, slots, fresh, fill, per_room).await;
    lease::give_back(state, &held, Update::new()).await?;
    out
}

async fn staff(
    state: &AppState,
    subject: &Subject,
    rooms: &[Room],
    slots: &mut [RoomSlot],
    fresh: &[bool],
    fill: &[u32],
    per_room: u8,
) -> Result<Staffing, DomainError> {
    let mut out = Staffing::default();
    let mut new_duties: Vec<Vec<Duty>> = vec![Vec::new(); slots.len()];
    let needs = slots
        .iter()
        .zip(fill)
        .any(|(s, n)| *n > 0 && s.invigilators.len() < usize::from(per_room));
    if needs {
        let pool =
            vslc_invigilators::certified(state, &subject.host, &subject.subject.certificate_id)
                .await?;
        let mut busy: HashMap<String, Vec<vslc_exam::Window>> = HashMap::new();
        for d in duties(state, subject).await? {
            busy.entry(d.invigilator_id).or_default().push(d.exam);
        }
        let exam = &subject.subject.exam;
        for (i, slot) in slots.iter_mut().enumerate() {
            if fill[i] == 0 || slot.invigilators.len() >= usize::from(per_room) {
                continue;
            }
            let mut free: Vec<_> = pool
                .iter()
                .filter(|p| !slot.invigilators.iter().any(|d| d.invigilator_id == p.id))
                .filter(|p| {
                    busy.get(&p.id)
                        .is_none_or(|ws| !ws.iter().any(|w| overlaps(w, exam)))
                })
                .collect();
            free.sort_by_key(|p| (busy.get(&p.id).map_or(0, Vec::len), p.teacher_no.clone()));
            for p in free
                .into_iter()
                .take(usize::from(per_room) - slot.invigilators.len())
            {
                slot.invigilators.push(OnDuty {
                    invigilator_id: p.id.clone(),
                    teacher_no: p.teacher_no.clone(),
                    name: p.name.clone(),
                    school_name: p.school_name.clone(),
                    region: p.region.clone(),
                });
                busy.entry(p.id.clone()).or_default().push(exam.clone());
                new_duties[i].push(Duty {
                    invigilator_id: p.id.clone(),
                    room_id: slot.room_id.clone(),
                    room_name: rooms[i].name.clone(),
                    subject_id: slot.subject_id.clone(),
                    subject_name: subject.subject.name.clone(),
                    exam: exam.clone(),
                });
            }
            if slot.invigilators.len() < usize::from(per_room) {
                out.short.push(rooms[i].name.clone());
            }
        }
    }
    write(state, subject, slots, fresh, &new_duties).await?;
    Ok(out)
}

fn duty_item(subject: &Subject, d: &Duty) -> Result<EncodedItem, TableError> {
    EncodedItem::new(
        Duty::key(&subject.host, &d.invigilator_id, &d.room_id, &d.subject_id),
        d,
    )
}

/// New slots with their duties in bulk (each written only if absent);
/// changed slots one transaction each (only if unchanged since read).
async fn write(
    state: &AppState,
    subject: &Subject,
    slots: &[RoomSlot],
    fresh: &[bool],
    duties: &[Vec<Duty>],
) -> Result<(), DomainError> {
    let mut new_groups = Vec::new();
    let mut changed = Vec::new();
    for ((slot, is_new), ds) in slots.iter().zip(fresh).zip(duties) {
        let items = ds
            .iter()
            .map(|d| duty_item(subject, d))
            .collect::<Result<Vec<_>, _>>()?;
        if *is_new {
            let guard = EncodedItem::new(RoomSlot::key(&slot.room_id, &slot.subject_id), slot)?;
            // Its 缺考 to mark once the exam ends.
            let due = AttendanceDue {
                room_id: slot.room_id.clone(),
                subject_id: slot.subject_id.clone(),
                end: subject.subject.exam.end.clone(),
            };
            let mut items = items;
            items.push(EncodedItem::new(due.key(), &due)?);
            new_groups.push(Guarded::new(guard, items));
        } else if !ds.is_empty() {
            let mut ops = vec![TxOp::Update {
                key: RoomSlot::key(&slot.room_id, &slot.subject_id),
                update: Update::new()
                    .set_json("invigilators", &slot.invigilators)?
                    .bump_version(),
                condition: Some(Condition::VersionIs(slot.version)),
            }];
            for d in ds {
                ops.push(TxOp::Put {
                    item: to_item(
                        &Duty::key(&subject.host, &d.invigilator_id, &d.room_id, &d.subject_id),
                        d,
                    )?,
                    condition: None,
                });
            }
            changed.push(Group {
                ops,
                counts: Vec::new(),
            });
        }
    }
    let conflict =
        || DomainError::conflict("SEAT_CHANGED", "考场编排在排考时被修改，请刷新后重新排考");
    if !new_groups.is_empty() {
        let won = state.table.insert_guarded(new_groups).await?;
        if won.iter().any(|w| !w) {
            return Err(conflict());
        }
    }
    if !changed.is_empty() {
        let won = state.table.apply_groups(changed).await?;
        if won.iter().any(|w| !w) {
            return Err(conflict());
        }
    }
    Ok(())
}
