//! 周报管理 (school side, manual §6.1) and the province's reporting cycle.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::model::{Figures, ReportStatus, WeeklyReport};
use super::period::{Cycle, CycleChange, Period, Schedule};
use super::review;
use vslc_accounts::Tenant;
use vslc_candidates as candidates;
use vslc_catalogue::school;
use vslc_http::{CursorPage, CursorParams, filter};
use vslc_ports::AppState;
use vslc_ports::domain::RichText;
use vslc_ports::table::{Condition, Key, Query, SkCond, TableExt, Update, to_item};
use vslc_ports::{DomainError, OnConflict};
use vslc_registrations as registrations;
use vslc_review::log::ReviewRecord;
use vslc_review::{Step, workflow};

pub const DUPLICATE: &str = "本周周报已提交，请勿重复提交";
pub const TOO_LATE: &str = "提交时间已过，该周报目前不能提交，谢谢";

/// The stored cycle of a province.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CycleSetting {
    #[serde(default)]
    changes: Vec<CycleChange>,
    #[serde(default)]
    version: u64,
}

fn cycle_key(province: &Tenant) -> Key {
    Key::new(province.pk(), "REPORTCYCLE")
}

fn today(state: &AppState) -> NaiveDate {
    state.clock.now_local().date()
}

/// A province's cycles over time.
pub async fn schedule(state: &AppState, province: &Tenant) -> Result<Schedule, DomainError> {
    Ok(Schedule {
        changes: load_setting(state, province).await?.changes,
    })
}

async fn load_setting(state: &AppState, province: &Tenant) -> Result<CycleSetting, DomainError> {
    Ok(state
        .table
        .get_as(&cycle_key(province))
        .await?
        .unwrap_or_default())
}

/// 上报周期 as the pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CycleView {
    /// The cycle in force.
    pub cycle: Cycle,
    /// A change that starts when the current period ends.
    pub pending: Option<CycleChange>,
    pub current: Period,
    pub current_label: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CycleInput {
    pub cycle: Cycle,
}

async fn viewer_province(state: &AppState, caller: &Caller) -> Result<Tenant, DomainError> {
    school::session_province(state, caller, "周报仅供试点院校和省级教育行政部门使用").await
}

pub async fn cycle(state: &AppState, caller: &Caller) -> Result<CycleView, DomainError> {
    let province = viewer_province(state, caller).await?;
    Ok(view(&schedule(state, &province).await?, today(state)))
}

fn view(s: &Schedule, day: NaiveDate) -> CycleView {
    let current = s.period(day);
    CycleView {
        cycle: current.cycle,
        pending: s.pending(day),
        current_label: current.label(),
        current,
    }
}

/// 设置上报周期 (省级管理员): in force from the end of the current period.
pub async fn set_cycle(
    state: &AppState,
    caller: &Caller,
    input: CycleInput,
) -> Result<CycleView, DomainError> {
    let province = caller.province_admin()?;
    let setting = load_setting(state, province).await?;
    let mut s = Schedule {
        changes: setting.changes,
    };
    let day = today(state);
    s.switch(input.cycle, day);
    let item = to_item(
        &cycle_key(province),
        &CycleSetting {
            changes: s.changes.clone(),
            version: setting.version + 1,
        },
    )?;
    let condition = if setting.version == 0 {
        Condition::NotExists
    } else {
        Condition::VersionIs(setting.version)
    };
    state.table.put(item, Some(condition)).await?;
    Ok(view(&s, day))
}

/// 提交周报's starting point: the current period, its deadline, the figures
/// from live data and the report already written for it, if any.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrentPeriod {
    pub period: Period,
    pub period_label: String,
    /// 提交截止时间 (the next period's start).
    pub deadline: String,
    pub figures: Figures,
    pub report: Option<WeeklyReport>,
}

/// The period's figures from the school's records: candidates added,
/// registrations made, subject sittings held. 发放证书数 counts nothing
/// until certificate issuance lands and is typed by the school meanwhile.
pub async fn live_figures(
    state: &AppState,
    school: &Tenant,
    p: &Period,
) -> Result<Figures, DomainError> {
    let (from, to) = (p.start, p.end);
    let (made, sat) = registrations::service::activity_between(state, school, from, to).await?;
    Ok(Figures {
        candidates: candidates::service::added_between(state, school, from, to).await?,
        registrations: made,
        exams: sat,
        certificates: 0,
    })
}

async fn current_period(state: &AppState, school: &Tenant) -> Result<Period, DomainError> {
    let province = school::province_of(state, school).await?;
    Ok(schedule(state, &province).await?.period(today(state)))
}

pub async fn current(state: &AppState, caller: &Caller) -> Result<CurrentPeriod, DomainError> {
    let school = caller.school_reader()?;
    let period = current_period(state, school).await?;
    let report = state
        .table
        .get_as(&WeeklyReport::key(school, &period.id()))
        .await?;
    Ok(CurrentPeriod {
        period_label: period.label(),
        deadline: period
            .deadline()
            .format(vslc_ports::clock::TIME_FORMAT)
            .to_string(),
        figures: live_figures(state, school, &period).await?,
        report,
        period,
    })
}

/// 填写周报.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportInput {
    /// 周报内容 (HTML from the editor; sanitised on save).
    pub content: String,
    pub figures: Figures,
    /// 提交 (true) or 保存 (false).
    #[serde(default)]
    pub submit: bool,
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_REPORT", message.into())
}

fn content(input: &ReportInput) -> Result<RichText, DomainError> {
    let c = RichText::parse(&input.content, "周报内容").map_err(bad)?;
    if c.is_blank() {
        return Err(bad("请填写周报内容"));
    }
    Ok(c)
}

fn submit_record(caller: &Caller, at: String) -> ReviewRecord {
    review::SUBMIT.record(caller, at, None)
}

/// 提交周报 for the current period: 保存 (未提交) or 提交 (待审核). A report
/// for a past period cannot be created: the period is always today's.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: ReportInput,
) -> Result<WeeklyReport, DomainError> {
    let school = caller.school_exam_writer()?;
    let profile = school::load(state, school).await?;
    let province = profile.overseer()?;
    let period = schedule(state, &province).await?.period(today(state));
    let content = content(&input)?;
    let at = state.clock.now_text();
    let status = if input.submit {
        ReportStatus::Pending
    } else {
        ReportStatus::Draft
    };
    let report = WeeklyReport {
        id: WeeklyReport::id_of(school, &period),
        school_id: school.id.clone(),
        school_name: profile.name,
        province_id: province.id,
        period_label: period.label(),
        period,
        content,
        figures: input.figures,
        status,
        review_reason: None,
        history: if input.submit {
            vec![submit_record(caller, at.clone())]
        } else {
            Vec::new()
        },
        submitted_at: input.submit.then(|| at.clone()),
        created_at: at,
        version: 1,
    };
    state
        .table
        .put(report.to_item()?, Some(Condition::NotExists))
        .await
        .on_conflict(|| DomainError::conflict("REPORT_EXISTS", DUPLICATE))?;
    Ok(report)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ReportFilter {
    /// 审核状态.
    pub status: Option<String>,
    /// A day inside the period (`YYYY-MM-DD`; anything else answers 400
    /// BAD_DATE).
    pub date: Option<String>,
    /// 学校名称 (contains; the province's list).
    pub school: Option<String>,
}

impl ReportFilter {
    /// The day asked for: none, or 400 BAD_DATE for one not `YYYY-MM-DD`.
    pub fn day(&self) -> Result<Option<NaiveDate>, DomainError> {
        self.date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(parse_day)
            .transpose()
    }

    /// The sort keys (after `prefix`) of the periods that may contain the
    /// day asked for. A period is named `<start>-<end>` (`Period::id`), so
    /// those are the ones started on or before the day and at most
    /// `LONGEST_PERIOD_DAYS` earlier: a page reads a handful of reports,
    /// not every one before it.
    pub fn periods(&self, prefix: &str) -> Result<Option<SkCond>, DomainError> {
        let Some(day) = self.day()? else {
            return Ok(None);
        };
        let earliest = day
            .checked_sub_days(chrono::Days::new(LONGEST_PERIOD_DAYS))
            .ok_or_else(|| DomainError::invalid("BAD_DATE", "日期超出范围"))?;
        Ok(Some(SkCond::Between(
            format!("{prefix}{}", earliest.format("%Y%m%d")),
            // '~' sorts after the '-' and digits that follow the start.
            format!("{prefix}{}~", day.format("%Y%m%d")),
        )))
    }
}

/// A day asked for (`YYYY-MM-DD`, years 1900 to 9999: period arithmetic
/// never reaches the ends of what a date holds); 400 BAD_DATE otherwise.
pub fn parse_day(text: &str) -> Result<NaiveDate, DomainError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=9999).contains(&d.year()))
        .ok_or_else(|| DomainError::invalid("BAD_DATE", "日期须为“年-月-日”格式"))
}

/// More than any period lasts (a half month, or a whole old-kind period
/// and the days up to a change of cycle).
const LONGEST_PERIOD_DAYS: u64 = 62;

pub fn matches(r: &WeeklyReport, f: &ReportFilter) -> bool {
    let date_ok = match f.day() {
        Ok(None) => true,
        Ok(Some(d)) => r.period.contains(d),
        Err(_) => false,
    };
    date_ok
        && filter::exact(r.status.label(), f.status.as_deref())
        && filter::text(&r.school_name, f.school.as_deref())
}

/// The school's reports, newest period first, by keyset cursor (the
/// filter applied to the reports read).
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &ReportFilter,
    paging: &CursorParams,
) -> Result<CursorPage<WeeklyReport>, DomainError> {
    let query = Query::partition(caller.school_reader()?.pk())
        .sk(f
            .periods("WREPORT#")?
            .unwrap_or_else(|| SkCond::BeginsWith("WREPORT#".into())))
        .reverse();
    CursorPage::scan(state.table.as_ref(), query, paging, |r: &WeeklyReport| {
        matches(r, f)
    })
    .await
}

/// The school's own report (another school's id looks missing).
pub async fn own(state: &AppState, school: &Tenant, id: &str) -> Result<WeeklyReport, DomainError> {
    let key = WeeklyReport::parse_id(id)
        .filter(|(owner, _)| owner == school)
        .map(|(_, period)| WeeklyReport::key(school, period));
    workflow::own(&*state.table, key).await
}

pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<WeeklyReport, DomainError> {
    own(state, caller.school_reader()?, id).await
}

fn too_late() -> DomainError {
    DomainError::conflict("PERIOD_ENDED", TOO_LATE)
}

/// 编辑 (未提交 / 审核退回) before the period ends: 保存 or 提交.
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: ReportInput,
) -> Result<WeeklyReport, DomainError> {
    let r = own(state, caller.school_exam_writer()?, id).await?;
    review::EDIT.check(&r)?;
    if r.period.has_ended(state.clock.now_local()) {
        return Err(if input.submit {
            too_late()
        } else {
            DomainError::conflict("PERIOD_ENDED", "该周报所属周期已结束，不能再修改")
        });
    }
    let update = Update::new()
        .set_json("content", &content(&input)?)?
        .set_json("figures", &input.figures)?;
    review::SUBMIT
        .edit(state, caller, &r, update, input.submit)
        .await
}

/// 提交 (未提交 / 审核退回 → 待审核), before the next period starts.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<WeeklyReport, DomainError> {
    within_period(state, caller, id, review::SUBMIT, too_late).await
}

/// 撤回 (待审核 → 未提交), before review and before the period ends (a
/// report withdrawn later could never be submitted again).
pub async fn withdraw(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<WeeklyReport, DomainError> {
    let ended = || DomainError::conflict("PERIOD_ENDED", "提交时间已过，该周报目前不能撤回");
    within_period(state, caller, id, review::WITHDRAW, ended).await
}

/// Takes the school's `step` on its report while the report's period
/// lasts; `ended` refuses it afterwards.
async fn within_period(
    state: &AppState,
    caller: &Caller,
    id: &str,
    step: Step<ReportStatus>,
    ended: impl FnOnce() -> DomainError,
) -> Result<WeeklyReport, DomainError> {
    let r = own(state, caller.school_exam_writer()?, id).await?;
    step.check(&r)?;
    if r.period.has_ended(state.clock.now_local()) {
        return Err(ended());
    }
    step.take(state, caller, &r).await
}

/// 删除 (未提交).
pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let r = own(state, caller.school_exam_writer()?, id).await?;
    review::DELETE.check(&r)?;
    workflow::remove(&*state.table, &r, None).await
}
