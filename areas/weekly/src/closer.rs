//! The weekly-report step of `period-closer`: for every province, each
//! ended period is closed once — schools without a submitted report get a
//! 逾期未提交 record (a draft becomes one) — and the next period becomes
//! the current one. Every write is conditional, so a second run (or two
//! runs at once) changes nothing.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::model::{Figures, ReportStatus, WeeklyReport};
use super::period::Period;
use super::service::schedule;
use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::school::{self, School};
use vslc_ports::AppState;
use vslc_ports::domain::RichText;
use vslc_ports::jobs::Closer;
use vslc_ports::table::{Condition, Key, TableExt, Update, to_item};

/// The closer's bookmark per province: the period that is current.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CurrentPeriod {
    period: Period,
    version: u64,
}

fn bookmark_key(province: &Tenant) -> Key {
    Key::new(province.pk(), "REPORTPERIOD")
}

pub struct WeeklyReportCloser;

#[async_trait]
impl Closer for WeeklyReportCloser {
    fn name(&self) -> &'static str {
        "weekly-reports"
    }

    async fn close_ended(&self, state: &AppState) -> anyhow::Result<usize> {
        let mut changed = 0;
        for code in vslc_catalogue::province::codes() {
            let province = Tenant::new(TenantKind::Province, code);
            let schools = school::of_province(state, &province)
                .await
                .map_err(anyhow::Error::from)?;
            if !schools.is_empty() {
                changed += close_province(state, &province, &schools).await?;
            }
        }
        Ok(changed)
    }
}

/// Closes a province's ended periods; returns how many reports changed.
pub async fn close_province(
    state: &AppState,
    province: &Tenant,
    schools: &[School],
) -> anyhow::Result<usize> {
    let schedule = schedule(state, province)
        .await
        .map_err(anyhow::Error::from)?;
    let now = state.clock.now_local();
    let today = schedule.period(now.date());
    let key = bookmark_key(province);
    let Some(mark) = state.table.get_as::<CurrentPeriod>(&key).await? else {
        // First run: today's period is current; nothing before it was open.
        let first = CurrentPeriod {
            period: today,
            version: 1,
        };
        match state
            .table
            .put(to_item(&key, &first)?, Some(Condition::NotExists))
            .await
        {
            Err(e) if !e.is_conflict() => return Err(e.into()),
            _ => return Ok(0),
        }
    };
    let mut changed = 0;
    let mut p = mark.period;
    while p.has_ended(now) {
        for s in schools {
            changed += usize::from(mark_overdue(state, s, province, &p).await?);
        }
        p = schedule.next(&p);
    }
    if p != mark.period {
        let update = Update::new().set_json("period", &p)?.bump_version();
        match state
            .table
            .update(&key, update, Some(Condition::VersionIs(mark.version)))
            .await
        {
            Err(e) if !e.is_conflict() => return Err(e.into()),
            _ => {}
        }
    }
    Ok(changed)
}

/// The school's report of an ended period becomes 逾期未提交 when it was
/// never submitted; true when this call changed it.
async fn mark_overdue(
    state: &AppState,
    s: &School,
    province: &Tenant,
    p: &Period,
) -> anyhow::Result<bool> {
    let school = s.tenant();
    let at = state.clock.now_text();
    let overdue = WeeklyReport {
        id: WeeklyReport::id_of(&school, p),
        school_id: s.code.clone(),
        school_name: s.name.clone(),
        province_id: province.id.clone(),
        period: *p,
        period_label: p.label(),
        content: RichText::default(),
        figures: Figures::default(),
        status: ReportStatus::Overdue,
        review_reason: None,
        history: Vec::new(),
        created_at: at,
        submitted_at: None,
        version: 1,
    };
    match state
        .table
        .put(overdue.to_item()?, Some(Condition::NotExists))
        .await
    {
        Ok(()) => return Ok(true),
        Err(e) if !e.is_conflict() => return Err(e.into()),
        Err(_) => {}
    }
    let draft = Condition::attr_equals("status", ReportStatus::Draft.label());
    match state
        .table
        .update(
            &WeeklyReport::key(&school, &p.id()),
            Update::new()
                .set("status", ReportStatus::Overdue.label())
                .bump_version(),
            Some(draft),
        )
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if e.is_conflict() => Ok(false),
        Err(e) => Err(e.into()),
    }
}
