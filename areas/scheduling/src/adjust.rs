//! 手动调整 (move a candidate to a free seat, or swap two) and 取消编排 of a
//! room, by the site's school while the 排考 window is open. Both hold the
//! subject's arrangement lease, so they never interleave with 排考.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::arrange::{host_only, release_lease, take_lease, window_open};
use crate::context::Subject;
use crate::model::{Arrangement, Duty, RoomSlot, Seat, Ticket};
use crate::rooms::{self, RoomDetail, slot_subject};
use crate::views;
use vslc_ports::domain::RecordId;
use vslc_ports::table::{
    BatchOp, Condition, EncodedItem, Group, TableError, TableExt, TxOp, Update, to_item,
};
use vslc_ports::{AppState, Caller, DomainError};

/// 调整座位: move the candidate in `seat` to `toSeat` of `toRoomId` (this
/// room when left out); a taken target swaps the two.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdjustInput {
    pub seat: u32,
    #[serde(default, deserialize_with = "vslc_ports::domain::id::blank_is_none")]
    #[schema(value_type = Option<String>)]
    pub to_room_id: Option<RecordId>,
    pub to_seat: u32,
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_SEAT", message.into())
}

/// Runs `work` under the subject's lease, giving it back whatever happens.
async fn leased<T>(
    state: &AppState,
    subject: &Subject,
    work: impl std::future::Future<Output = Result<T, DomainError>>,
) -> Result<T, DomainError> {
    let (held, _, _) = take_lease(state, subject).await?;
    let out = work.await;
    release_lease(state, &held, None).await?;
    out
}

pub async fn adjust(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: AdjustInput,
) -> Result<RoomDetail, DomainError> {
    let school = caller.school_exam_writer()?;
    let (slot, subject) = slot_subject(state, school, id).await?;
    host_only(&subject, school)?;
    window_open(&subject, state.clock.now_local(), "调整座位")?;
    leased(state, &subject, apply(state, &subject, &slot, &input)).await?;
    rooms::room(state, caller, id).await
}

async fn apply(
    state: &AppState,
    subject: &Subject,
    slot: &RoomSlot,
    input: &AdjustInput,
) -> Result<(), DomainError> {
    let subject_id = &slot.subject_id;
    let rooms = subject.rooms(state).await?;
    let to_room_id = input.to_room_id.as_deref().unwrap_or(&slot.room_id);
    let to_room = rooms
        .iter()
        .find(|r| r.id == to_room_id)
        .ok_or_else(|| bad("目标考场不是该科目在本考核站点的考场"))?;
    if input.to_seat == 0 || input.to_seat > to_room.seats {
        return Err(bad(format!("目标座位号须在1到{}之间", to_room.seats)));
    }
    if to_room.id == slot.room_id && input.to_seat == input.seat {
        return Err(bad("目标座位与原座位相同"));
    }
    let from: Seat = state
        .table
        .get_as(&Seat::room_key(&slot.room_id, subject_id, input.seat))
        .await?
        .ok_or_else(|| bad(format!("{}号座位没有考生", input.seat)))?;
    let target: Option<Seat> = state
        .table
        .get_as(&Seat::room_key(&to_room.id, subject_id, input.to_seat))
        .await?;
    let placed = |s: &Seat, room: &vslc_rooms::Room, seat: u32| {
        let mut s = s.clone();
        s.room_id = room.id.clone();
        s.seat = seat;
        s
    };
    let holds = |s: &Seat| Condition::attr_equals("registrationId", s.registration_id.as_str());
    let put = |s: &Seat, key, condition| -> Result<TxOp, DomainError> {
        Ok(TxOp::Put {
            item: EncodedItem::new(key, s)?.to_item()?,
            condition: Some(condition),
        })
    };
    let from_room = rooms
        .iter()
        .find(|r| r.id == slot.room_id)
        .ok_or_else(|| DomainError::not_found("考场"))?;
    let ops = match target {
        Some(other) => {
            // 对调: both seats stay taken, nobody gets a number.
            let a = placed(&from, to_room, input.to_seat);
            let b = placed(&other, from_room, input.seat);
            vec![
                put(&a, a.own_room_key(), holds(&other))?,
                put(&b, b.own_room_key(), holds(&from))?,
                put(&a, a.own_school_key(), holds(&from))?,
                put(&b, b.own_school_key(), holds(&other))?,
            ]
        }
        None => {
            // 调到空座位: the seat left behind raises its room's generation.
            if slot.generation >= MAX_GENERATION {
                return Err(used_up());
            }
            let target = std::slice::from_ref(to_room);
            let have = crate::numbers::existing(state, subject_id, target).await?;
            let (slots, fresh) = crate::numbers::slots(state, subject, target, have).await?;
            if fresh[0] {
                state
                    .table
                    .put(
                        to_item(&RoomSlot::key(&to_room.id, subject_id), &slots[0])?,
                        Some(Condition::NotExists),
                    )
                    .await?;
                // Its 缺考 to mark once the exam ends, like every slot's.
                let due = crate::model::AttendanceDue {
                    room_id: to_room.id.clone(),
                    subject_id: subject_id.to_owned(),
                    end: subject.subject.exam.end.clone(),
                };
                state.table.put(to_item(&due.key(), &due)?, None).await?;
            }
            let a = placed(&from, to_room, input.to_seat);
            let moved = to_room.id != slot.room_id;
            let mut left = Update::new().add("generation", 1).bump_version();
            if moved {
                left = left.add(RoomSlot::SEATED, -1);
            }
            let mut ops = vec![
                TxOp::Delete {
                    key: from.own_room_key(),
                    condition: Some(holds(&from)),
                },
                put(&a, a.own_room_key(), Condition::NotExists)?,
                put(&a, a.own_school_key(), holds(&from))?,
                TxOp::Update {
                    key: RoomSlot::key(&slot.room_id, subject_id),
                    update: left,
                    condition: Some(Condition::Exists),
                },
            ];
            if moved {
                ops.push(TxOp::Update {
                    key: RoomSlot::key(&to_room.id, subject_id),
                    update: Update::new().add(RoomSlot::SEATED, 1),
                    condition: Some(Condition::Exists),
                });
            }
            ops
        }
    };
    match state.table.transact(ops).await {
        Ok(()) => Ok(()),
        Err(e) if e.is_conflict() => Err(DomainError::conflict(
            "SEAT_CHANGED",
            "座位已被调整，请刷新后重试",
        )),
        Err(e) => Err(e.into()),
    }
}

/// 取消编排 of one room for one subject: its candidates go back to 未排考
/// (they keep their 准考证号), its invigilators are freed.
pub async fn cancel(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let (slot, subject) = slot_subject(state, school, id).await?;
    host_only(&subject, school)?;
    window_open(&subject, state.clock.now_local(), "取消编排")?;
    leased(state, &subject, cancel_slot(state, &subject, &slot)).await
}

/// The most a room slot's seat generation goes (the 准考证号 holds four
/// digits of it).
const MAX_GENERATION: u32 = 9999;

fn used_up() -> DomainError {
    DomainError::conflict(
        "ROOM_ADJUSTED_TOO_OFTEN",
        "该考场的座位调整次数已达上限，请将考生调整到其他考场",
    )
}

async fn cancel_slot(
    state: &AppState,
    subject: &Subject,
    slot: &RoomSlot,
) -> Result<(), DomainError> {
    // Read again under the lease: an arrangement may have staffed it.
    let slot: RoomSlot = state
        .table
        .get_as(&RoomSlot::key(&slot.room_id, &slot.subject_id))
        .await?
        .ok_or_else(|| DomainError::not_found("考场编排"))?;
    let seats = views::seats_of(state, &slot.room_id, &slot.subject_id).await?;
    if seats.is_empty() {
        return Err(DomainError::conflict(
            "NOTHING_TO_CANCEL",
            "该考场没有已排考的考生",
        ));
    }
    if slot.generation >= MAX_GENERATION {
        return Err(used_up());
    }
    // The generation first: whatever happens after, the seats' numbers
    // are never given again.
    state
        .table
        .update(
            &RoomSlot::key(&slot.room_id, &slot.subject_id),
            Update::new()
                .add("generation", 1)
                .set("invigilators", serde_json::Value::Array(Vec::new()))
                .bump_version(),
            Some(Condition::VersionIs(slot.version)),
        )
        .await?;
    let duties: Vec<BatchOp> = slot
        .invigilators
        .iter()
        .map(|d| {
            BatchOp::Delete(Duty::key(
                &subject.host,
                &d.invigilator_id,
                &slot.room_id,
                &slot.subject_id,
            ))
        })
        .collect();
    if !duties.is_empty() {
        state.table.batch_write(duties).await?;
    }
    let arr = Arrangement::key(&subject.plan.id, &subject.site.id, &slot.subject_id);
    let slot_key = RoomSlot::key(&slot.room_id, &slot.subject_id);
    let groups = seats
        .iter()
        .map(|s| {
            Ok(Group {
                ops: vec![
                    TxOp::Delete {
                        key: s.own_room_key(),
                        condition: Some(Condition::Exists),
                    },
                    TxOp::Delete {
                        key: s.own_school_key(),
                        condition: None,
                    },
                    // The 准考证号 stays the registration's.
                    TxOp::Put {
                        item: Ticket::kept(s)?,
                        condition: None,
                    },
                ],
                counts: vec![
                    vslc_ports::table::Count::new(arr.clone(), "seated", -1),
                    vslc_ports::table::Count::new(slot_key.clone(), RoomSlot::SEATED, -1),
                ],
            })
        })
        .collect::<Result<Vec<_>, TableError>>()?;
    state.table.apply_groups(groups).await?;
    Ok(())
}
