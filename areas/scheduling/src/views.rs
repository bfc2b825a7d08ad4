//! 考核站点编排 rows and 考场编排 rooms as a school sees them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::context::{self, ArrangeStatus, Subject};
use crate::model::{Arrangement, OnDuty, RoomSlot, Seat, room_fill};
use vslc_accounts::Tenant;
use vslc_catalogue::certificate::Level;
use vslc_exam::{ExamMethod, Window};
use vslc_http::{ExportFilter, ExportRequest, PageParams, Paged, filter};
use vslc_ports::domain::OptionalId;
use vslc_ports::table::{Item, from_item};
use vslc_ports::{AppState, Caller, DomainError, keyset};
use vslc_registrations::service::PaidCounts;
use vslc_rooms::Room;

/// A 考核站点编排 row: one plan subject at one site.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SiteRow {
    /// `<计划 id>.<站点 id>.<科目 id>`.
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub site_id: String,
    pub site_name: String,
    /// 考试单位: the school running the site.
    pub host_school_name: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    pub subject_id: String,
    pub subject_code: String,
    pub subject_name: String,
    pub method: ExamMethod,
    /// 考试时间.
    pub exam: Window,
    /// 排考时间.
    pub scheduling: Window,
    pub status: ArrangeStatus,
    /// 报考人数: paid registrations of the subject at the site.
    pub registered: u64,
    /// 已排人数.
    pub seated: u64,
    /// Another school's site (借考): arranged by its host, read here.
    pub borrowed: bool,
    pub arranged_at: Option<String>,
    pub arranged_by: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SiteRowFilter {
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
    /// 未开始 / 未排考 / 排考中 / 已排完 / 已结束.
    pub status: Option<String>,
}

/// 批量导出考场编排明细: the ticked rows, or those the filter matches.
pub type SiteRowExportRequest = ExportRequest<SiteRowFilter>;

impl ExportFilter for SiteRowFilter {
    const REQUEST_NAME: &'static str = "SiteRowExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

/// A subject at a site with its counters.
pub(crate) struct RowData {
    pub subject: Subject,
    /// The stored item (its per-room counters) and the record read from it.
    pub arrangement: Option<Item>,
    pub record: Option<Arrangement>,
    pub row: SiteRow,
}

fn status_filter(status: Option<&str>) -> Result<Option<&str>, DomainError> {
    let s = status.map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = s
        && !ArrangeStatus::ALL.iter().any(|x| x.label() == s)
    {
        return Err(DomainError::invalid(
            "BAD_STATUS",
            format!("排考状态“{s}”不正确"),
        ));
    }
    Ok(s)
}

/// Builds the rows of some subjects at sites: one read of their
/// arrangement records and one of the sitting schools' paid counters.
pub(crate) async fn rows_of(
    state: &AppState,
    school: &Tenant,
    subjects: Vec<Subject>,
) -> Result<Vec<RowData>, DomainError> {
    let keys = subjects
        .iter()
        .map(|s| Arrangement::key(&s.plan.id, &s.site.id, &s.subject.subject_id))
        .collect();
    let records = state.table.get_many_json(keys).await?;
    let mut pairs: Vec<(Tenant, String)> = subjects
        .iter()
        .flat_map(|s| {
            s.sitters
                .iter()
                .map(|t| (t.tenant.clone(), s.plan.id.clone()))
        })
        .collect();
    pairs.sort_by(|a, b| (&a.0.id, &a.1).cmp(&(&b.0.id, &b.1)));
    pairs.dedup();
    let paid = PaidCounts::load(state, &pairs).await?;
    let now = state.clock.now_local();
    Ok(subjects
        .into_iter()
        .zip(records)
        .map(|(subject, json)| {
            let item: Option<Item> = json.and_then(|j| serde_json::from_slice(&j).ok());
            let record: Option<Arrangement> = item.clone().and_then(|i| from_item(i).ok());
            let part = subject.part();
            let registered: u64 = subject
                .sitters
                .iter()
                .map(|s| {
                    paid.of(
                        &s.tenant.id,
                        &subject.plan.id,
                        &subject.subject.subject_id,
                        &part,
                    )
                })
                .sum();
            let seated = record
                .as_ref()
                .map_or(0, |r| u64::try_from(r.seated.max(0)).unwrap_or(0));
            let s = &subject.subject;
            let row = SiteRow {
                id: subject.row_id(),
                plan_id: subject.plan.id.clone(),
                plan_name: subject.plan.name.clone(),
                site_id: subject.site.id.clone(),
                site_name: subject.site.name.clone(),
                host_school_name: subject.site.school_name.clone(),
                certificate_id: s.certificate_id.clone(),
                certificate_name: subject.site.certificate_name.clone(),
                level: s.level,
                subject_id: s.subject_id.clone(),
                subject_code: s.code.clone(),
                subject_name: s.name.clone(),
                method: s.method,
                exam: s.exam.clone(),
                scheduling: subject.plan.scheduling.clone(),
                status: ArrangeStatus::of(&subject.plan, now, registered, seated),
                registered,
                seated,
                borrowed: subject.host != *school,
                arranged_at: record.as_ref().and_then(|r| r.arranged_at.clone()),
                arranged_by: record.as_ref().and_then(|r| r.arranged_by.clone()),
            };
            RowData {
                subject,
                arrangement: item,
                record,
                row,
            }
        })
        .collect())
}

fn matches(r: &SiteRow, f: &SiteRowFilter, status: Option<&str>) -> bool {
    filter::exact(&r.plan_id, f.plan_id.as_deref())
        && filter::exact(&r.certificate_id, f.certificate_id.as_deref())
        && filter::text(&r.site_name, f.site.as_deref())
        && (filter::text(&r.subject_name, f.subject.as_deref())
            || filter::text(&r.subject_code, f.subject.as_deref()))
        && filter::exact(r.status.label(), status)
}

/// The rows a school sees that match a filter, newest plan first.
pub(crate) async fn matching_rows(
    state: &AppState,
    school: &Tenant,
    f: &SiteRowFilter,
) -> Result<Vec<RowData>, DomainError> {
    let status = status_filter(f.status.as_deref())?;
    let mut subjects = context::visible(state, school).await?;
    subjects.retain(|s| {
        filter::exact(&s.plan.id, f.plan_id.as_deref())
            && filter::exact(&s.site.certificate_id, f.certificate_id.as_deref())
    });
    let mut rows = rows_of(state, school, subjects).await?;
    rows.retain(|r| matches(&r.row, f, status));
    rows.sort_by(|a, b| {
        (
            &b.subject.plan.created_at,
            &a.row.site_name,
            &a.row.exam.start,
            &a.row.subject_code,
        )
            .cmp(&(
                &a.subject.plan.created_at,
                &b.row.site_name,
                &b.row.exam.start,
                &b.row.subject_code,
            ))
    });
    Ok(rows)
}

/// 考核站点编排 list.
pub async fn site_rows(
    state: &AppState,
    caller: &Caller,
    f: &SiteRowFilter,
    page: &PageParams,
) -> Result<Paged<SiteRow>, DomainError> {
    let school = caller.school_reader()?;
    let rows = matching_rows(state, school, f).await?;
    Paged::of(rows.into_iter().map(|r| r.row).collect(), page)
}

/// A room of a subject at a site, with how full it is.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomFill {
    /// `<考场 id>.<科目 id>`: the room's 考场编排.
    pub id: String,
    pub room_id: String,
    pub room_name: String,
    pub location: String,
    /// The school that set the room up.
    pub school_name: String,
    pub seats: u32,
    pub seated: u32,
    pub invigilators: Vec<OnDuty>,
}

/// 查看 a 考核站点编排 row: the site's rooms for the subject and their fill.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SiteRowDetail {
    pub row: SiteRow,
    pub rooms: Vec<RoomFill>,
    /// 考位 in all and free.
    pub seats: u64,
    pub free: u64,
    /// 每个考场的监考人数.
    pub invigilators_per_room: u8,
    /// The interleaving seed, once arranged.
    pub seed: Option<String>,
}

pub(crate) fn school_name(subject: &Subject, id: &str) -> String {
    subject
        .plan
        .schools
        .iter()
        .find(|s| s.school_id == id)
        .map(|s| s.school_name.clone())
        .unwrap_or_default()
}

/// The rooms of a row with their fill and invigilators.
pub(crate) async fn fills(
    state: &AppState,
    data: &RowData,
    rooms: &[Room],
) -> Result<Vec<RoomFill>, DomainError> {
    let subject_id = &data.subject.subject.subject_id;
    let keys = rooms
        .iter()
        .map(|r| RoomSlot::key(&r.id, subject_id))
        .collect();
    let slots = state.table.get_many_json(keys).await?;
    Ok(rooms
        .iter()
        .zip(slots)
        .map(|(room, slot)| {
            let slot: Option<RoomSlot> = slot.and_then(|j| serde_json::from_slice(&j).ok());
            RoomFill {
                id: format!("{}.{subject_id}", room.id),
                room_id: room.id.clone(),
                room_name: room.name.clone(),
                location: room.location.clone(),
                school_name: school_name(&data.subject, &room.school_id),
                seats: room.seats,
                seated: room_fill(slot.as_ref(), data.arrangement.as_ref(), &room.id),
                invigilators: slot.map(|s| s.invigilators).unwrap_or_default(),
            }
        })
        .collect())
}

pub async fn site_row(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<SiteRowDetail, DomainError> {
    let school = caller.school_reader()?;
    let subject = context::load(state, school, id).await?;
    let rooms = subject.rooms(state).await?;
    let data = rows_of(state, school, vec![subject])
        .await?
        .pop()
        .ok_or_else(|| DomainError::not_found("考核站点编排"))?;
    let fills = fills(state, &data, &rooms).await?;
    let record = data.record;
    let seats: u64 = fills.iter().map(|f| u64::from(f.seats)).sum();
    let taken: u64 = fills.iter().map(|f| u64::from(f.seated.min(f.seats))).sum();
    Ok(SiteRowDetail {
        row: data.row,
        rooms: fills,
        seats,
        free: seats - taken,
        invigilators_per_room: record.as_ref().map_or(2, |r| r.invigilators_per_room),
        seed: record
            .filter(|r| r.arranged_at.is_some())
            .map(|r| r.seed.to_string()),
    })
}

/// The seats of a room slot, in seat order.
pub(crate) async fn seats_of(
    state: &AppState,
    room_id: &str,
    subject_id: &str,
) -> Result<Vec<Seat>, DomainError> {
    let source = Seat::room_source(room_id, subject_id);
    Ok(keyset::each_in(state.table.as_ref(), &[source]).await?)
}

/// Rooms' 所在地区 by host school: province and city from its profile.
pub(crate) async fn regions(
    state: &AppState,
    hosts: Vec<Tenant>,
) -> Result<HashMap<String, String>, DomainError> {
    let mut out = HashMap::new();
    for host in hosts {
        if out.contains_key(&host.id) {
            continue;
        }
        let region = match vslc_catalogue::school::load(state, &host).await {
            Ok(s) if s.city.is_empty() || s.city == s.province => s.province,
            Ok(s) => format!("{}-{}", s.province, s.city),
            Err(DomainError::NotFound(_)) => String::new(),
            Err(e) => return Err(e),
        };
        out.insert(host.id.clone(), region);
    }
    Ok(out)
}
