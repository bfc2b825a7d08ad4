//! 设置考场, edit by status, delete, 沿用, options for the form's cascade,
//! export.

use std::collections::HashSet;
use vslc_ports::Caller;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Room, RoomStatus, RoomSubject};
use vslc_accounts::Tenant;
use vslc_catalogue::certificate::Level;
use vslc_exam::{Plan, RoomType};
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{
    BatchOutcome, ExportFilter, ExportRequest, ItemOutcome, PageParams, Paged, filter,
};
use vslc_ports::AppState;
use vslc_ports::domain::{OptionalId, RecordId};
use vslc_ports::table::{Condition, Index, Query, TableExt, TxOp, to_item};
use vslc_ports::{DomainError, OnConflict};
use vslc_sites::allocation::{Allocation, usable_site};
use vslc_sites::{Site, SiteStatus};

/// 设置 / 编辑考场.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomInput {
    pub plan_id: RecordId,
    pub site_id: RecordId,
    pub certificate_id: RecordId,
    pub subject_ids: Vec<RecordId>,
    pub name: String,
    pub seats: u32,
    #[serde(default)]
    pub location: String,
}

/// A room with its derived status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoomView {
    #[serde(flatten)]
    pub room: Room,
    /// 考场状态 (derived from the plan's 排考时间).
    pub status: RoomStatus,
    /// Set up by another school at this school's site (借考): shown to the
    /// host, changed only by its own school.
    pub read_only: bool,
}

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RoomFilter {
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub plan_id: OptionalId,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub site_id: OptionalId,
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub certificate_id: OptionalId,
    /// 考场名称 (contains).
    pub name: Option<String>,
    /// 未排考 / 排考中 / 已结束.
    pub status: Option<String>,
}

/// 沿用: copy a previous plan's rooms into another plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReuseInput {
    pub from_plan_id: RecordId,
    pub to_plan_id: RecordId,
}

/// What the 设置考场 form may choose for a plan: each usable site with its
/// certificate level and the plan's subjects there.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SiteOption {
    pub site_id: String,
    pub site_name: String,
    /// 本校 or 借考 (assigned by the org).
    pub borrowed: bool,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    pub subjects: Vec<SubjectOption>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubjectOption {
    pub subject_id: String,
    pub code: String,
    pub name: String,
    pub method: vslc_exam::ExamMethod,
    pub room_type: RoomType,
}

/// 批量导出考场信息: the ticked rooms, or those the list's filter matches.
pub type RoomExportRequest = ExportRequest<RoomFilter>;

impl ExportFilter for RoomFilter {
    const REQUEST_NAME: &'static str = "RoomExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_ROOM", message.into())
}

/// A published plan the school takes part in (others look missing).
async fn school_plan(
    state: &AppState,
    school: &Tenant,
    plan_id: &str,
) -> Result<Plan, DomainError> {
    Plan::for_school(state, school, plan_id)
        .await?
        .ok_or_else(|| DomainError::not_found("考试计划"))
}

/// The room's subjects and type: every subject of the plan at the site's
/// certificate level, all needing the same 考场类型. The error is a row's
/// reason.
pub fn room_subjects(
    plan: &Plan,
    site: &Site,
    subject_ids: &[impl AsRef<str>],
) -> Result<(Vec<RoomSubject>, RoomType), String> {
    if subject_ids.is_empty() {
        return Err("请选择考试科目".into());
    }
    let mut seen = HashSet::new();
    let mut subjects: Vec<RoomSubject> = Vec::new();
    for id in subject_ids {
        let id = id.as_ref();
        if !seen.insert(id) {
            continue;
        }
        let s = plan
            .subject(id)
            .filter(|s| s.certificate_id == site.certificate_id && s.level == site.level)
            .ok_or_else(|| {
                format!(
                    "科目 {id} 不是本考试计划中{}({})的科目",
                    site.certificate_name,
                    site.level.label()
                )
            })?;
        subjects.push(RoomSubject {
            subject_id: s.subject_id.clone(),
            code: s.code.clone(),
            name: s.name.clone(),
            method: s.method,
        });
    }
    let room_type = subjects[0].method.room_type();
    if let Some(other) = subjects.iter().find(|s| s.method.room_type() != room_type) {
        return Err(format!(
            "科目“{}”的考试方式为{}，该考场（{}）不支持，请分科目创建不同的考场",
            other.name,
            other.method.label(),
            room_type.label()
        ));
    }
    Ok((subjects, room_type))
}

/// A room holds no more seats than its site's 可容纳考生数; the error is a
/// row's reason.
pub fn seats_fit(site: &Site, seats: u32) -> Result<(), String> {
    if seats > site.capacity {
        return Err(format!(
            "座位数不能超过考核站点可容纳考生数{}",
            site.capacity
        ));
    }
    Ok(())
}

/// Name, seats and location rules; the error is a row's reason.
pub fn room_fields(name: &str, seats: u32, location: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err("考场名称不能为空，且不超过50个字符".into());
    }
    if !(1..=1000).contains(&seats) {
        return Err("座位数须在1到1000之间".into());
    }
    if location.trim().chars().count() > 100 {
        return Err("考场地址不能超过100个字符".into());
    }
    Ok(())
}

fn name_taken() -> DomainError {
    DomainError::conflict(
        "ROOM_NAME_TAKEN",
        "同一考试计划、考核站点、考核证书下已有同名考场",
    )
}

/// The writes that create a room with its name guard.
pub fn create_ops(room: &Room) -> Result<Vec<TxOp>, DomainError> {
    Ok(vec![
        TxOp::Put {
            item: to_item(
                &Room::name_key(
                    &room.plan_id,
                    &room.site_id,
                    &room.certificate_id,
                    &room.name,
                ),
                &serde_json::json!({ "roomId": room.id, "importId": room.import_id }),
            )?,
            condition: Some(Condition::NotExists),
        },
        TxOp::Put {
            item: room.to_item()?,
            condition: Some(Condition::NotExists),
        },
    ])
}

/// Builds a room from checked parts.
#[allow(clippy::too_many_arguments)]
pub fn new_room(
    state: &AppState,
    school: &Tenant,
    plan: &Plan,
    site: &Site,
    subjects: Vec<RoomSubject>,
    room_type: RoomType,
    name: &str,
    seats: u32,
    location: &str,
    import_id: Option<String>,
) -> Room {
    let now = state.clock.now_text();
    Room {
        id: ulid::Ulid::new().to_string(),
        school_id: school.id.clone(),
        plan_id: plan.id.clone(),
        plan_name: plan.name.clone(),
        site_id: site.id.clone(),
        site_name: site.name.clone(),
        certificate_id: site.certificate_id.clone(),
        certificate_name: site.certificate_name.clone(),
        level: site.level,
        subjects,
        room_type,
        name: name.trim().into(),
        seats,
        location: location.trim().into(),
        import_id,
        created_at: now.clone(),
        updated_at: now,
        version: 1,
    }
}

/// The plan and site of an input, checked against the school.
async fn plan_and_site(
    state: &AppState,
    school: &Tenant,
    input: &RoomInput,
) -> Result<(Plan, Site), DomainError> {
    let plan = school_plan(state, school, &input.plan_id).await?;
    let site = usable_site(state, school, &plan, &input.site_id)
        .await?
        .ok_or_else(|| bad("请选择本校审核通过或分配给本校的考核站点"))?;
    let in_plan = plan
        .certificate(&site.certificate_id)
        .is_some_and(|c| c.levels.contains(&site.level));
    if !in_plan || site.certificate_id != input.certificate_id {
        return Err(bad("考试证书须为考试计划和考核站点共同包含的证书"));
    }
    Ok((plan, site))
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: RoomInput,
) -> Result<RoomView, DomainError> {
    let school = caller.school_exam_writer()?;
    let (plan, site) = plan_and_site(state, school, &input).await?;
    if RoomStatus::of(&plan, state.clock.now_local()) == RoomStatus::Ended {
        return Err(DomainError::conflict(
            "SCHEDULING_ENDED",
            "考试计划的排考时间已结束，不能再设置考场",
        ));
    }
    let (subjects, room_type) = room_subjects(&plan, &site, &input.subject_ids).map_err(bad)?;
    room_fields(&input.name, input.seats, &input.location).map_err(bad)?;
    seats_fit(&site, input.seats).map_err(bad)?;
    let room = new_room(
        state,
        school,
        &plan,
        &site,
        subjects,
        room_type,
        &input.name,
        input.seats,
        &input.location,
        None,
    );
    state
        .table
        .transact(create_ops(&room)?)
        .await
        .on_conflict(name_taken)?;
    Ok(RoomView {
        status: RoomStatus::of(&plan, state.clock.now_local()),
        room,
        read_only: false,
    })
}

pub async fn all(state: &AppState, school: &Tenant) -> Result<Vec<Room>, DomainError> {
    let query = Query::partition(school.pk()).begins_with("ROOM#");
    Ok(state.table.query_all_as(query).await?)
}

/// The rooms other schools set up at this school's sites (借考).
pub async fn hosted(state: &AppState, host: &Tenant) -> Result<Vec<Room>, DomainError> {
    let query = Query::index(Index::Gsi1, Room::hosted_index(host));
    Ok(state.table.query_all_as(query).await?)
}

/// Rooms with their status, filtered: the school's own, and (read only)
/// those other schools set up at its sites.
async fn views(
    state: &AppState,
    school: &Tenant,
    f: &RoomFilter,
) -> Result<Vec<RoomView>, DomainError> {
    let now = state.clock.now_local();
    let own: Vec<_> = all(state, school)
        .await?
        .into_iter()
        .map(|r| (r, false))
        .collect();
    let lent: Vec<_> = hosted(state, school)
        .await?
        .into_iter()
        .map(|r| (r, true))
        .collect();
    // Only the plans these rooms belong to.
    let mut ids: Vec<String> = own
        .iter()
        .chain(&lent)
        .map(|(r, _)| r.plan_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    let plans = Plan::load_many(state, &ids).await?;
    let (own, lent) = (own.into_iter(), lent.into_iter());
    let mut rows: Vec<RoomView> = own
        .chain(lent)
        .map(|(room, read_only)| {
            let status = plans
                .iter()
                .find(|p| p.id == room.plan_id)
                .map_or(RoomStatus::Ended, |p| RoomStatus::of(p, now));
            RoomView {
                room,
                status,
                read_only,
            }
        })
        .filter(|v| {
            let r = &v.room;
            filter::exact(&r.plan_id, f.plan_id.as_deref())
                && filter::exact(&r.site_id, f.site_id.as_deref())
                && filter::exact(&r.certificate_id, f.certificate_id.as_deref())
                && filter::text(&r.name, f.name.as_deref())
                && filter::exact(v.status.label(), f.status.as_deref())
        })
        .collect();
    rows.sort_by(|a, b| {
        (
            &b.room.plan_id,
            &a.room.site_id,
            &a.room.certificate_id,
            &a.room.name,
        )
            .cmp(&(
                &a.room.plan_id,
                &b.room.site_id,
                &b.room.certificate_id,
                &b.room.name,
            ))
    });
    Ok(rows)
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &RoomFilter,
    page: &PageParams,
) -> Result<Paged<RoomView>, DomainError> {
    let school = caller.school_reader()?;
    Paged::of(views(state, school, f).await?, page)
}

async fn own(state: &AppState, school: &Tenant, id: &str) -> Result<(Room, Plan), DomainError> {
    let room: Room = state
        .table
        .get_as(&Room::key(school, id))
        .await?
        .ok_or_else(|| DomainError::not_found("考场"))?;
    let plan = Plan::load(state, &room.plan_id)
        .await?
        .ok_or_else(|| DomainError::not_found("考试计划"))?;
    Ok((room, plan))
}

pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<RoomView, DomainError> {
    let (room, plan) = own(state, caller.school_reader()?, id).await?;
    Ok(RoomView {
        status: RoomStatus::of(&plan, state.clock.now_local()),
        room,
        read_only: false,
    })
}

/// The site a room stands at (its host's record).
async fn room_site(state: &AppState, site_id: &str) -> Result<Site, DomainError> {
    let missing = || DomainError::not_found("考核站点");
    let host = Site::school_of_id(site_id).ok_or_else(missing)?;
    state
        .table
        .get_as(&Site::key(&host, site_id))
        .await?
        .ok_or_else(missing)
}

fn conflict(message: impl Into<String>) -> DomainError {
    DomainError::conflict("ROOM_STATE", message.into())
}

pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: RoomInput,
) -> Result<RoomView, DomainError> {
    let school = caller.school_exam_writer()?;
    let (old, plan) = own(state, school, id).await?;
    let status = RoomStatus::of(&plan, state.clock.now_local());
    if input.plan_id != old.plan_id
        || input.site_id != old.site_id
        || input.certificate_id != old.certificate_id
    {
        return Err(bad(
            "考试计划、考核站点和考试证书不能修改；如需更换请删除后重新设置",
        ));
    }
    let mut new = old.clone();
    match status {
        RoomStatus::Ended => return Err(conflict("考场已结束，不能修改")),
        RoomStatus::Scheduling => {
            let same_subjects = input.subject_ids.len() == old.subjects.len()
                && old
                    .subjects
                    .iter()
                    .all(|s| input.subject_ids.iter().any(|id| *id == s.subject_id));
            let unchanged = same_subjects
                && input.name.trim() == old.name
                && input.location.trim() == old.location;
            if input.seats < old.seats {
                return Err(conflict("排考中的考场不能减少座位数"));
            }
            if !unchanged {
                return Err(conflict("排考中的考场只能增加座位数"));
            }
            room_fields(&input.name, input.seats, &input.location).map_err(bad)?;
            seats_fit(&room_site(state, &old.site_id).await?, input.seats).map_err(bad)?;
            new.seats = input.seats;
        }
        RoomStatus::NotScheduled => {
            let site = usable_site(state, school, &plan, &old.site_id)
                .await?
                .ok_or_else(|| bad("该考核站点已不可用"))?;
            let (subjects, room_type) =
                room_subjects(&plan, &site, &input.subject_ids).map_err(bad)?;
            room_fields(&input.name, input.seats, &input.location).map_err(bad)?;
            seats_fit(&site, input.seats).map_err(bad)?;
            new.subjects = subjects;
            new.room_type = room_type;
            new.name = input.name.trim().into();
            new.seats = input.seats;
            new.location = input.location.trim().into();
        }
    }
    new.updated_at = state.clock.now_text();
    new.version = old.version + 1;
    let mut ops = vec![TxOp::Put {
        item: new.to_item()?,
        condition: Some(Condition::VersionIs(old.version)),
    }];
    if new.name != old.name {
        ops.push(TxOp::Delete {
            key: Room::name_key(&old.plan_id, &old.site_id, &old.certificate_id, &old.name),
            condition: None,
        });
        ops.push(TxOp::Put {
            item: to_item(
                &Room::name_key(&new.plan_id, &new.site_id, &new.certificate_id, &new.name),
                &serde_json::json!({ "roomId": new.id }),
            )?,
            condition: Some(Condition::NotExists),
        });
    }
    match state.table.transact(ops).await {
        Ok(()) => {}
        Err(vslc_ports::TableError::TransactionCanceled { failed }) if failed.contains(&2) => {
            return Err(name_taken());
        }
        Err(e) => return Err(e.into()),
    }
    Ok(RoomView {
        room: new,
        status,
        read_only: false,
    })
}

pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let (room, plan) = own(state, school, id).await?;
    let status = RoomStatus::of(&plan, state.clock.now_local());
    if status != RoomStatus::NotScheduled {
        return Err(conflict(format!(
            "考场当前为“{}”状态，只有未排考的考场可以删除",
            status.label()
        )));
    }
    state
        .table
        .transact(vec![
            TxOp::Delete {
                key: Room::key(school, id),
                condition: Some(Condition::VersionIs(room.version)),
            },
            TxOp::Delete {
                key: Room::name_key(
                    &room.plan_id,
                    &room.site_id,
                    &room.certificate_id,
                    &room.name,
                ),
                condition: None,
            },
        ])
        .await?;
    Ok(())
}

/// The sites a school may use in a plan: its own approved sites of the
/// plan's certificate levels and those assigned to it (flagged borrowed).
pub async fn usable_sites(
    state: &AppState,
    school: &Tenant,
    plan: &Plan,
) -> Result<Vec<(Site, bool)>, DomainError> {
    let mut sites: Vec<(Site, bool)> = vslc_sites::service::all(state, school)
        .await?
        .into_iter()
        .filter(|s| s.status == SiteStatus::Approved)
        .map(|s| (s, false))
        .collect();
    for a in Allocation::of_plan(state, &plan.id).await? {
        if a.school_id == school.id
            && let Some(site) = usable_site(state, school, plan, &a.site_id).await?
        {
            sites.push((site, true));
        }
    }
    sites.retain(|(s, _)| {
        plan.certificate(&s.certificate_id)
            .is_some_and(|c| c.levels.contains(&s.level))
    });
    Ok(sites)
}

/// The sites, certificates and subjects the form offers for a plan.
pub async fn options(
    state: &AppState,
    caller: &Caller,
    plan_id: &str,
) -> Result<Vec<SiteOption>, DomainError> {
    let school = caller.school_reader()?;
    let plan = school_plan(state, school, plan_id).await?;
    let sites = usable_sites(state, school, &plan).await?;
    Ok(sites
        .into_iter()
        .map(|(s, borrowed)| SiteOption {
            subjects: plan
                .subjects
                .iter()
                .filter(|p| p.certificate_id == s.certificate_id && p.level == s.level)
                .map(|p| SubjectOption {
                    subject_id: p.subject_id.clone(),
                    code: p.code.clone(),
                    name: p.name.clone(),
                    method: p.method,
                    room_type: p.method.room_type(),
                })
                .collect(),
            site_id: s.id,
            site_name: s.name,
            borrowed,
            certificate_id: s.certificate_id,
            certificate_name: s.certificate_name,
            level: s.level,
        })
        .collect())
}

/// 沿用: each room of the earlier plan is copied into the new one when its
/// site, certificate level and subjects are there too; the answer says, per
/// room, what happened.
pub async fn reuse(
    state: &AppState,
    caller: &Caller,
    input: ReuseInput,
) -> Result<BatchOutcome, DomainError> {
    let school = caller.school_exam_writer()?;
    if input.from_plan_id == input.to_plan_id {
        return Err(bad("请选择另一个考试计划"));
    }
    let target = school_plan(state, school, &input.to_plan_id).await?;
    if RoomStatus::of(&target, state.clock.now_local()) == RoomStatus::Ended {
        return Err(DomainError::conflict(
            "SCHEDULING_ENDED",
            "目标考试计划的排考时间已结束，不能再设置考场",
        ));
    }
    let mut sources = all(state, school).await?;
    sources.retain(|r| r.plan_id == input.from_plan_id);
    if sources.is_empty() {
        return Err(bad("所选考试计划没有可沿用的考场"));
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    let mut results = Vec::new();
    for r in sources {
        let outcome = async {
            let site = usable_site(state, school, &target, &r.site_id)
                .await?
                .ok_or_else(|| bad("考核站点在新计划中不可用"))?;
            let ids: Vec<String> = r
                .subjects
                .iter()
                .filter(|s| target.subject(&s.subject_id).is_some())
                .map(|s| s.subject_id.clone())
                .collect();
            if ids.is_empty() {
                return Err(bad("新计划中没有该考场的考试科目"));
            }
            let (subjects, room_type) = room_subjects(&target, &site, &ids).map_err(bad)?;
            seats_fit(&site, r.seats).map_err(bad)?;
            let room = new_room(
                state,
                school,
                &target,
                &site,
                subjects,
                room_type,
                &r.name,
                r.seats,
                &r.location,
                None,
            );
            let created = state.table.transact(create_ops(&room)?).await;
            created.on_conflict(name_taken)
        }
        .await;
        results.push(match outcome {
            Ok(()) => ItemOutcome {
                id: r.id,
                ok: true,
                code: None,
                message: None,
            },
            Err(e) => ItemOutcome {
                id: r.id,
                ok: false,
                code: Some(e.code().to_owned()),
                message: Some(format!("{}：{}", r.name, e.message())),
            },
        });
    }
    let succeeded = results.iter().filter(|r| r.ok).count();
    Ok(BatchOutcome {
        succeeded,
        failed: results.len() - succeeded,
        results,
    })
}

const HEADERS: [&str; 10] = [
    "考试计划",
    "考核站点",
    "考试证书",
    "证书等级",
    "考试科目",
    "考场类型",
    "考场名称",
    "座位数",
    "考场地址",
    "考场状态",
];

/// 批量导出考场信息.
pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: RoomExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    let (chosen, any) = (req.selection(), RoomFilter::default());
    let mut rows = views(state, school, chosen.filter_or(&any)).await?;
    rows.retain(|v| chosen.keeps(&v.room.id, |_| true));
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|v| {
            let r = &v.room;
            vec![
                r.plan_name.clone().into(),
                r.site_name.clone().into(),
                r.certificate_name.clone().into(),
                r.level.label().into(),
                Cell::list(r.subjects.iter().map(|s| format!("{} {}", s.code, s.name))),
                r.room_type.label().into(),
                r.name.clone().into(),
                Cell::count(r.seats),
                r.location.clone().into(),
                v.status.label().into(),
            ]
        })
        .collect();
    vslc_files::export::deliver_sheet(state, school, "rooms", "考场信息", &HEADERS, cells).await
}
