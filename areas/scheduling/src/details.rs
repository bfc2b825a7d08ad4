//! 排考明细 (manual §5.2.8.3): one row per seated registration and subject
//! of the school's own candidates, by keyset cursor over its seat rows.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use std::collections::HashMap;

use crate::holders::{self, Holder};
use crate::model::{RoomSlot, Seat, SeatPlace};
use vslc_exam::window::Position;
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{CursorParams, ExportFilter, ExportRequest, filter};
use vslc_ports::domain::OptionalId;
use vslc_ports::{AppState, Caller, DomainError, keyset};
use vslc_registrations::RegistrationStatus;

/// A seat row as the school sees it (ID number masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatRow {
    /// `<考场 id>.<科目 id>.<座位号>`.
    pub id: String,
    #[serde(flatten)]
    pub seat: Seat,
    /// Who sits there, from the registration.
    #[serde(flatten)]
    pub holder: Holder,
    #[serde(flatten)]
    pub place: SeatPlace,
    /// 待考试 / 考试中 / 已结束, from the subject's exam time.
    pub status: RegistrationStatus,
}

/// 排考明细 filters (`subjectId` only with a `planId`).
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SeatRowFilter {
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub plan_id: OptionalId,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub subject_id: OptionalId,
    /// 考生姓名、考生编号或准考证号 (contains).
    pub candidate: Option<String>,
    /// 考场名称 (contains).
    pub room: Option<String>,
    /// 待考试 / 考试中 / 已结束.
    pub status: Option<String>,
}

/// 导出排考明细: the ticked rows, or those the filter matches.
pub type SeatRowExportRequest = ExportRequest<SeatRowFilter>;

impl ExportFilter for SeatRowFilter {
    const REQUEST_NAME: &'static str = "SeatRowExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

/// One page of 排考明细.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatRowPage {
    pub items: Vec<SeatRow>,
    /// Where the next page starts; none on the last page.
    pub next_cursor: Option<String>,
}

pub(crate) fn status_of(place: &SeatPlace, now: chrono::NaiveDateTime) -> RegistrationStatus {
    match place.exam.position(now) {
        Position::Before => RegistrationStatus::Scheduled,
        Position::Inside => RegistrationStatus::Examining,
        Position::After => RegistrationStatus::Ended,
    }
}

fn row(seat: Seat, holder: Holder, place: SeatPlace, now: chrono::NaiveDateTime) -> SeatRow {
    SeatRow {
        id: seat.public_id(),
        status: status_of(&place, now),
        seat,
        holder,
        place,
    }
}

/// The rows of some seats, each with its room slot's place (one read of
/// the distinct slots) and its candidate (one read of the registrations);
/// a seat whose slot or registration is gone is left out.
async fn rows(
    state: &AppState,
    seats: Vec<Seat>,
    now: chrono::NaiveDateTime,
) -> Result<Vec<SeatRow>, DomainError> {
    let places = places_of(state, &seats).await?;
    let people = holders::of(state, &seats).await?;
    Ok(seats
        .into_iter()
        .filter_map(|s| {
            let place = places
                .get(&(s.room_id.clone(), s.subject_id.clone()))?
                .clone();
            let holder = Holder::masked(people.get(&s.registration_id)?);
            Some(row(s, holder, place, now))
        })
        .collect())
}

/// Where and when some seats are: their room slots' places (each slot read
/// once), by (room, subject); a slot gone is absent.
pub(crate) async fn places_of(
    state: &AppState,
    seats: &[Seat],
) -> Result<HashMap<(String, String), SeatPlace>, DomainError> {
    let mut keys: Vec<(String, String)> = seats
        .iter()
        .map(|s| (s.room_id.clone(), s.subject_id.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    let mut places = HashMap::new();
    for chunk in keys.chunks(1000) {
        let found = state
            .table
            .get_many_json(chunk.iter().map(|(r, s)| RoomSlot::key(r, s)).collect())
            .await?;
        for (k, json) in chunk.iter().zip(found) {
            if let Some(slot) = json.and_then(|j| serde_json::from_slice::<RoomSlot>(&j).ok()) {
                places.insert(k.clone(), slot.place);
            }
        }
    }
    Ok(places)
}

fn keeps(r: &SeatRow, f: &SeatRowFilter) -> bool {
    let s = &r.seat;
    (filter::text(&r.holder.candidate_name, f.candidate.as_deref())
        || filter::text(&s.candidate_no, f.candidate.as_deref())
        || filter::text(&s.ticket_no, f.candidate.as_deref()))
        && filter::text(&r.place.room_name, f.room.as_deref())
        && filter::exact(r.status.label(), f.status.as_deref())
}

fn sources(
    school: &vslc_accounts::Tenant,
    f: &SeatRowFilter,
) -> Result<Vec<keyset::Source>, DomainError> {
    let plan = f.plan_id.as_deref().filter(|p| !p.is_empty());
    let subject = f.subject_id.as_deref().filter(|p| !p.is_empty());
    if subject.is_some() && plan.is_none() {
        return Err(DomainError::invalid(
            "BAD_FILTER",
            "按考试科目查询时请先选择考试计划",
        ));
    }
    if let Some(s) = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty())
        && !["待考试", "考试中", "已结束"].contains(&s)
    {
        return Err(DomainError::invalid(
            "BAD_STATUS",
            format!("状态“{s}”不正确"),
        ));
    }
    Ok(Seat::school_sources(school, plan, subject))
}

/// Rounds of the merge one request reads at most.
const MAX_ROUNDS: usize = 4;

/// 排考明细 list.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &SeatRowFilter,
    paging: &CursorParams,
) -> Result<SeatRowPage, DomainError> {
    let school = caller.school_reader()?;
    let size = paging.size()?;
    let sources = sources(school, f)?;
    let mut after = keyset::decode(paging.cursor.as_deref(), |b| !b.is_empty())?;
    let now = state.clock.now_local();
    let mut items = Vec::with_capacity(size);
    let mut more = false;
    for _ in 0..MAX_ROUNDS {
        let page = keyset::merge(
            state.table.as_ref(),
            &sources,
            after.as_deref(),
            size - items.len(),
        )
        .await?;
        let json: Vec<Vec<u8>> = page.rows.iter().map(|r| r.json.clone()).collect();
        let seats: Vec<Seat> = vslc_ports::table::parse_all(&json)?;
        items.extend(
            rows(state, seats, now)
                .await?
                .into_iter()
                .filter(|r| keeps(r, f)),
        );
        after = page.rows.last().map(|r| r.body.clone()).or(after);
        more = page.more;
        if items.len() >= size || !more {
            break;
        }
    }
    Ok(SeatRowPage {
        items,
        next_cursor: more.then(|| after.as_deref().map(keyset::encode)).flatten(),
    })
}

const HEADERS: [&str; 16] = [
    "考试计划",
    "准考证号",
    "考生姓名",
    "考生编号",
    "证件号码",
    "所属院校",
    "考核站点",
    "考试证书",
    "证书等级",
    "考试科目",
    "考试方式",
    "考试时间",
    "考场名称",
    "考场地址",
    "座位号",
    "状态",
];

/// The rows an export request names: the ticked ones, or those the
/// filter matches.
pub(crate) async fn chosen_rows(
    state: &AppState,
    school: &vslc_accounts::Tenant,
    req: &SeatRowExportRequest,
) -> Result<Vec<SeatRow>, DomainError> {
    let (chosen, any) = (req.selection(), SeatRowFilter::default());
    let f = chosen.filter_or(&any);
    let sources = sources(school, f)?;
    let now = state.clock.now_local();
    let seats: Vec<Seat> = keyset::each_in(state.table.as_ref(), &sources).await?;
    Ok(rows(state, seats, now)
        .await?
        .into_iter()
        .filter(|r| chosen.keeps(&r.id, |f| keeps(r, f)))
        .collect())
}

/// 导出排考明细 (masked).
pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: SeatRowExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    let cells: Vec<Vec<Cell>> = chosen_rows(state, school, &req)
        .await?
        .into_iter()
        .map(|r| {
            let (s, h, p) = (&r.seat, &r.holder, &r.place);
            vec![
                p.plan_name.clone().into(),
                s.ticket_no.clone().into(),
                h.candidate_name.clone().into(),
                s.candidate_no.clone().into(),
                h.id_number.clone().into(),
                s.school_name.clone().into(),
                p.site_name.clone().into(),
                p.certificate_name.clone().into(),
                p.level.label().into(),
                format!("{} {}", p.subject_code, p.subject_name).into(),
                p.method.label().into(),
                crate::exam_time(&p.exam).into(),
                p.room_name.clone().into(),
                p.room_location.clone().into(),
                Cell::count(s.seat),
                r.status.label().into(),
            ]
        })
        .collect();
    vslc_files::export::deliver_sheet(state, school, "seat-details", "排考明细", &HEADERS, cells)
        .await
}
