//! The numbers 排考 gives: a site's platform-wide number, a room slot's
//! number within its site, and the registrations' 准考证号 already given
//! (see [`crate::model::ticket_no`] for the format).

use crate::model::{RoomSlot, SiteNo, Ticket};
use vslc_accounts::Tenant;
use vslc_ports::keyset;
use vslc_ports::table::{Condition, TableExt, Update, to_item};
use vslc_ports::{AppState, DomainError};
use vslc_rooms::Room;

/// The site's number, given once.
pub async fn site_no(state: &AppState, site_id: &str) -> Result<SiteNo, DomainError> {
    let key = SiteNo::key(site_id);
    if let Some(no) = state.table.get_as::<SiteNo>(&key).await? {
        return Ok(no);
    }
    let n = vslc_ports::sequence::reserve(state.table.as_ref(), "EXAMSITE", 1).await?;
    let record = SiteNo { no: n, rooms: 0 };
    match state
        .table
        .put(to_item(&key, &record)?, Some(Condition::NotExists))
        .await
    {
        Ok(()) => Ok(record),
        Err(e) if e.is_conflict() => state
            .table
            .get_as::<SiteNo>(&key)
            .await?
            .ok_or_else(|| DomainError::internal(anyhow_msg("site number vanished"))),
        Err(e) => Err(e.into()),
    }
}

fn anyhow_msg(m: &'static str) -> std::io::Error {
    std::io::Error::other(m)
}

/// The room slots the subject's rooms have (one bulk read).
pub async fn existing(
    state: &AppState,
    subject_id: &str,
    rooms: &[Room],
) -> Result<Vec<Option<RoomSlot>>, DomainError> {
    let keys = rooms
        .iter()
        .map(|r| RoomSlot::key(&r.id, subject_id))
        .collect();
    let found: Vec<Option<Vec<u8>>> = state.table.get_many_json(keys).await?;
    Ok(found
        .into_iter()
        .map(|j| j.and_then(|j| serde_json::from_slice(&j).ok()))
        .collect())
}

/// The room slots of the subject's rooms: those there (`have`, from
/// [`existing`]), and new ones numbered from the site's room counter (not
/// yet written).
pub async fn slots(
    state: &AppState,
    subject: &crate::context::Subject,
    rooms: &[Room],
    mut have: Vec<Option<RoomSlot>>,
) -> Result<(Vec<RoomSlot>, Vec<bool>), DomainError> {
    let site_id = subject.site.id.as_str();
    let subject_id = subject.subject.subject_id.as_str();
    let missing = have.iter().filter(|s| s.is_none()).count() as u64;
    let mut next = 0u64;
    if missing > 0 {
        let after = state
            .table
            .update(
                &SiteNo::key(site_id),
                Update::new().add("rooms", missing as i64),
                Some(Condition::Exists),
            )
            .await?;
        let last = after
            .get("rooms")
            .and_then(|v| v.as_u64())
            .unwrap_or(missing);
        if last > 9999 {
            return Err(DomainError::conflict(
                "ROOM_NUMBERS_USED_UP",
                "该考核站点的考场编号已用尽（9999个），请联系平台管理员",
            ));
        }
        next = last + 1 - missing;
    }
    let mut fresh = Vec::with_capacity(rooms.len());
    let out = rooms
        .iter()
        .zip(have.iter_mut())
        .map(|(room, slot)| match slot.take() {
            Some(s) => {
                fresh.push(false);
                s
            }
            None => {
                fresh.push(true);
                let no = next as u32;
                next += 1;
                RoomSlot {
                    room_id: room.id.clone(),
                    subject_id: subject_id.to_owned(),
                    plan_id: room.plan_id.clone(),
                    site_id: room.site_id.clone(),
                    place: crate::arrange::place(subject, room),
                    no,
                    generation: 0,
                    invigilators: Vec::new(),
                    seated: 0,
                    version: 1,
                }
            }
        })
        .collect();
    Ok((out, fresh))
}

/// A school's tickets of a plan.
pub async fn tickets_of(
    state: &AppState,
    school: &Tenant,
    plan_id: &str,
) -> Result<Vec<Ticket>, DomainError> {
    let sources: Vec<keyset::Source> = Ticket::sources(school, plan_id);
    Ok(keyset::each_in(state.table.as_ref(), &sources).await?)
}
