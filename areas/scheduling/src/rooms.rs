//! 考场编排 (manual §5.2.8.2): the arranged rooms of the subjects a school
//! sits, a room's seats (the seat map) and 批量导出考场编排记录.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::context::{self, ArrangeStatus, Subject};
use crate::holders;
use crate::model::{OnDuty, RoomSlot, Seat};
use crate::views::{self, RowData, SiteRow, SiteRowExportRequest, SiteRowFilter};
use vslc_accounts::Tenant;
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{ExportFilter, ExportRequest, PageParams, Paged, filter};
use vslc_ports::domain::{Gender, OptionalId};
use vslc_ports::table::TableExt;
use vslc_ports::{AppState, Caller, DomainError, mask};
use vslc_registrations::model::CandidateSnapshot;

/// A room arranged for a subject.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomRow {
    /// `<考场 id>.<科目 id>`.
    pub id: String,
    pub room_id: String,
    pub room_name: String,
    pub location: String,
    /// 所属院校: the school that set the room up.
    pub school_name: String,
    /// 所在地区: the site's school's province and city.
    pub region: String,
    pub seats: u32,
    /// 排考人数.
    pub seated: u32,
    pub invigilators: Vec<OnDuty>,
    /// The row of the subject at the site.
    pub row: SiteRow,
}

impl RoomRow {
    fn of(fill: views::RoomFill, region: String, row: &SiteRow) -> Self {
        RoomRow {
            id: fill.id,
            room_id: fill.room_id,
            room_name: fill.room_name,
            location: fill.location,
            school_name: fill.school_name,
            region,
            seats: fill.seats,
            seated: fill.seated,
            invigilators: fill.invigilators,
            row: row.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RoomRowFilter {
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub plan_id: OptionalId,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub certificate_id: OptionalId,
    /// 考核站点名称 (contains).
    pub site: Option<String>,
    /// 考试科目 (name or code, contains).
    pub subject: Option<String>,
    /// 考场名称 (contains).
    pub room: Option<String>,
}

/// 批量导出考场编排记录: the ticked rooms, or those the filter matches.
pub type RoomRowExportRequest = ExportRequest<RoomRowFilter>;

impl ExportFilter for RoomRowFilter {
    const REQUEST_NAME: &'static str = "RoomRowExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

/// The arranged rooms of some rows (those holding candidates).
async fn rooms_of(state: &AppState, rows: &[RowData]) -> Result<Vec<RoomRow>, DomainError> {
    let hosts: Vec<Tenant> = rows.iter().map(|r| r.subject.host.clone()).collect();
    let regions = views::regions(state, hosts).await?;
    let mut out = Vec::new();
    // Each host's rooms read once.
    let mut by_host: std::collections::HashMap<String, Vec<vslc_rooms::Room>> =
        std::collections::HashMap::new();
    for data in rows {
        let host = &data.subject.host;
        if !by_host.contains_key(&host.id) {
            let all = crate::context::host_rooms(state, host).await?;
            by_host.insert(host.id.clone(), all);
        }
        let rooms = data.subject.rooms_in(&by_host[&host.id]);
        let region = regions
            .get(&data.subject.host.id)
            .cloned()
            .unwrap_or_default();
        for fill in views::fills(state, data, &rooms).await? {
            if fill.seated == 0 {
                continue;
            }
            out.push(RoomRow::of(fill, region.clone(), &data.row));
        }
    }
    Ok(out)
}

/// The rows whose rooms 考场编排 lists: arranged (已排完, or ended with
/// candidates seated).
pub(crate) async fn arranged_rows(
    state: &AppState,
    school: &Tenant,
    f: &RoomRowFilter,
) -> Result<Vec<RowData>, DomainError> {
    let rf = SiteRowFilter {
        plan_id: f.plan_id.clone(),
        certificate_id: f.certificate_id.clone(),
        site: f.site.clone(),
        subject: f.subject.clone(),
        status: None,
    };
    let mut rows = views::matching_rows(state, school, &rf).await?;
    rows.retain(|r| {
        r.row.seated > 0 && matches!(r.row.status, ArrangeStatus::Arranged | ArrangeStatus::Ended)
    });
    Ok(rows)
}

/// 考场编排 list.
pub async fn room_rows(
    state: &AppState,
    caller: &Caller,
    f: &RoomRowFilter,
    page: &PageParams,
) -> Result<Paged<RoomRow>, DomainError> {
    let school = caller.school_reader()?;
    let rows = arranged_rows(state, school, f).await?;
    let mut rooms = rooms_of(state, &rows).await?;
    rooms.retain(|r| filter::text(&r.room_name, f.room.as_deref()));
    Paged::of(rooms, page)
}

/// A seat as the seat map shows it (ID number masked; another school's
/// candidate named only by school, to a school that is not the host).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatView {
    pub seat: u32,
    pub ticket_no: Option<String>,
    pub candidate_name: Option<String>,
    pub candidate_no: Option<String>,
    pub gender: Option<Gender>,
    pub id_number: Option<String>,
    pub school_name: String,
    /// This school's candidate (others are shown by school only).
    pub own: bool,
}

/// 查看考点编排详情: one room for one subject, seat by seat.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomDetail {
    pub room: RoomRow,
    /// Every seat 1..座位数, in order; empty seats have no candidate.
    pub seats: Vec<SeatView>,
    /// Whether this school may adjust the room (the host, window open).
    pub editable: bool,
}

/// A room slot's subject, checked against the school.
pub(crate) async fn slot_subject(
    state: &AppState,
    school: &Tenant,
    id: &str,
) -> Result<(RoomSlot, Subject), DomainError> {
    let missing = || DomainError::not_found("考场编排");
    let (room_id, subject_id) = id.split_once('.').ok_or_else(missing)?;
    let slot: RoomSlot = state
        .table
        .get_as(&RoomSlot::key(room_id, subject_id))
        .await?
        .ok_or_else(missing)?;
    let subject = context::load_parts(state, &slot.plan_id, &slot.site_id, subject_id).await?;
    if !subject.visible_to(school) {
        return Err(missing());
    }
    Ok((slot, subject))
}

pub async fn room(state: &AppState, caller: &Caller, id: &str) -> Result<RoomDetail, DomainError> {
    let school = caller.school_reader()?;
    let (slot, subject) = slot_subject(state, school, id).await?;
    let host = subject.host == *school;
    let data = views::rows_of(state, school, vec![subject])
        .await?
        .pop()
        .ok_or_else(|| DomainError::not_found("考场编排"))?;
    let room_id = slot.room_id.clone();
    let rooms: Vec<_> = data
        .subject
        .rooms(state)
        .await?
        .into_iter()
        .filter(|r| r.id == room_id)
        .collect();
    let row = rooms_of_one(state, &data, &rooms).await?;
    let taken = views::seats_of(state, &slot.room_id, &slot.subject_id).await?;
    // Only the candidates this school may see are read.
    let people = holders::of(
        state,
        taken.iter().filter(|s| host || s.school_id == school.id),
    )
    .await?;
    let seats = (1..=row
        .seats
        .max(taken.iter().map(|s| s.seat).max().unwrap_or(0)))
        .map(|n| match taken.iter().find(|s| s.seat == n) {
            Some(s) => seat_view(s, people.get(&s.registration_id), school, host),
            None => SeatView {
                seat: n,
                ticket_no: None,
                candidate_name: None,
                candidate_no: None,
                gender: None,
                id_number: None,
                school_name: String::new(),
                own: false,
            },
        })
        .collect();
    let open =
        crate::arrange::window_open(&data.subject, state.clock.now_local(), "调整座位").is_ok();
    Ok(RoomDetail {
        room: row,
        seats,
        editable: host && open,
    })
}

async fn rooms_of_one(
    state: &AppState,
    data: &RowData,
    rooms: &[vslc_rooms::Room],
) -> Result<RoomRow, DomainError> {
    let regions = views::regions(state, vec![data.subject.host.clone()]).await?;
    let fill = views::fills(state, data, rooms)
        .await?
        .pop()
        .ok_or_else(|| DomainError::not_found("考场"))?;
    let region = regions
        .get(&data.subject.host.id)
        .cloned()
        .unwrap_or_default();
    Ok(RoomRow::of(fill, region, &data.row))
}

/// A taken seat: a candidate the school may see (its own, or any to the
/// host) is shown, with `holder` (read only for those) when its
/// registration is found; others by school only.
fn seat_view(
    s: &Seat,
    holder: Option<&CandidateSnapshot>,
    school: &Tenant,
    host: bool,
) -> SeatView {
    let own = s.school_id == school.id;
    let shown = own || host;
    let holder = holder.filter(|_| shown);
    SeatView {
        seat: s.seat,
        ticket_no: shown.then(|| s.ticket_no.clone()),
        candidate_name: holder.map(|c| c.name.clone()),
        candidate_no: shown.then(|| s.candidate_no.clone()),
        gender: holder.map(|c| c.gender),
        id_number: holder.map(|c| mask::id_number(&c.id_number)),
        school_name: s.school_name.clone(),
        own,
    }
}

/// The manual's columns of 批量导出考场编排记录.
const HEADERS: [&str; 13] = [
    "考试计划",
    "考场名称",
    "所属院校",
    "所在地区",
    "考核站点",
    "考试单位",
    "考试证书",
    "考试科目",
    "考试时间",
    "排考人数",
    "准考证姓名（编号）",
    "监考人员姓名（编号）",
    "监考人员所在区域（院校）",
];

/// The export's rows: one per room; the candidates are this school's own
/// (all of them for the host).
async fn export_rows(
    state: &AppState,
    school: &Tenant,
    rooms: &[RoomRow],
    hosts: &[bool],
) -> Result<Vec<Vec<Cell>>, DomainError> {
    let mut seats = Vec::with_capacity(rooms.len());
    for (r, host) in rooms.iter().zip(hosts) {
        let mut room = views::seats_of(state, &r.room_id, &r.row.subject_id).await?;
        room.retain(|s| *host || s.school_id == school.id);
        seats.push(room);
    }
    let names = holders::of(state, seats.iter().flatten()).await?;
    let mut out = Vec::with_capacity(rooms.len());
    for (r, seats) in rooms.iter().zip(&seats) {
        let people = seats.iter().map(|s| {
            let name = names
                .get(&s.registration_id)
                .map_or("", |c| c.name.as_str());
            format!("{name}（{}）", s.ticket_no)
        });
        out.push(vec![
            r.row.plan_name.clone().into(),
            r.room_name.clone().into(),
            r.school_name.clone().into(),
            r.region.clone().into(),
            r.row.site_name.clone().into(),
            r.row.host_school_name.clone().into(),
            format!("{}({})", r.row.certificate_name, r.row.level.label()).into(),
            r.row.subject_name.clone().into(),
            crate::exam_time(&r.row.exam).into(),
            Cell::count(r.seated),
            Cell::list(people),
            Cell::list(
                r.invigilators
                    .iter()
                    .map(|d| format!("{}（{}）", d.name, d.teacher_no)),
            ),
            Cell::list(
                r.invigilators
                    .iter()
                    .map(|d| format!("{}（{}）", d.region, d.school_name)),
            ),
        ]);
    }
    Ok(out)
}

async fn deliver(
    state: &AppState,
    school: &Tenant,
    rooms: Vec<RoomRow>,
    title: &'static str,
) -> Result<ExportFile, DomainError> {
    let hosts: Vec<bool> = rooms
        .iter()
        .map(|r| vslc_sites::Site::school_of_id(&r.row.site_id).is_some_and(|h| h == *school))
        .collect();
    let cells = export_rows(state, school, &rooms, &hosts).await?;
    vslc_files::export::deliver_sheet(state, school, "room-arrangements", title, &HEADERS, cells)
        .await
}

/// 批量导出考场编排记录 (考场编排).
pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: RoomRowExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    let (chosen, any) = (req.selection(), RoomRowFilter::default());
    let f = chosen.filter_or(&any);
    let rows = arranged_rows(state, school, f).await?;
    let mut rooms = rooms_of(state, &rows).await?;
    rooms.retain(|r| chosen.keeps(&r.id, |f| filter::text(&r.room_name, f.room.as_deref())));
    deliver(state, school, rooms, "考场编排记录").await
}

/// 批量导出考场编排明细 (考核站点编排): the rooms of the ticked rows, or
/// of the rows the filter matches.
pub async fn export_sites(
    state: &AppState,
    caller: &Caller,
    req: SiteRowExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    let (chosen, any) = (req.selection(), SiteRowFilter::default());
    let mut rows = views::matching_rows(state, school, chosen.filter_or(&any)).await?;
    rows.retain(|r| chosen.keeps(&r.row.id, |_| true));
    let rooms = rooms_of(state, &rows).await?;
    deliver(state, school, rooms, "考场编排明细").await
}
