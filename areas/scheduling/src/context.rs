//! What one plan subject at one site is, and who may see or arrange it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::{Tenant, TenantKind};
use vslc_exam::Plan;
use vslc_exam::plans::PlanSubject;
use vslc_exam::window::Position;
use vslc_ports::table::TableExt;
use vslc_ports::{AppState, DomainError};
use vslc_rooms::Room;
use vslc_sites::allocation::Allocation;
use vslc_sites::{Site, SiteStatus};

/// 考核站点编排状态 (manual §5.2.8.1), derived from the plan's 排考时间 and
/// how many of the subject's paid registrations are seated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ArrangeStatus {
    #[serde(rename = "未开始")]
    NotStarted,
    #[serde(rename = "未排考")]
    NotArranged,
    #[serde(rename = "排考中")]
    Arranging,
    #[serde(rename = "已排完")]
    Arranged,
    #[serde(rename = "已结束")]
    Ended,
}

impl ArrangeStatus {
    pub const ALL: [ArrangeStatus; 5] = [
        ArrangeStatus::NotStarted,
        ArrangeStatus::NotArranged,
        ArrangeStatus::Arranging,
        ArrangeStatus::Arranged,
        ArrangeStatus::Ended,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ArrangeStatus::NotStarted => "未开始",
            ArrangeStatus::NotArranged => "未排考",
            ArrangeStatus::Arranging => "排考中",
            ArrangeStatus::Arranged => "已排完",
            ArrangeStatus::Ended => "已结束",
        }
    }

    pub fn of(plan: &Plan, now: chrono::NaiveDateTime, paid: u64, seated: u64) -> Self {
        match plan.scheduling.position(now) {
            Position::Before => ArrangeStatus::NotStarted,
            Position::After => ArrangeStatus::Ended,
            Position::Inside if seated == 0 => ArrangeStatus::NotArranged,
            Position::Inside if seated >= paid => ArrangeStatus::Arranged,
            Position::Inside => ArrangeStatus::Arranging,
        }
    }
}

/// A school whose candidates sit at a site: the host, and the schools the
/// org assigned to it for the plan (借考).
#[derive(Debug, Clone)]
pub struct Sitter {
    pub tenant: Tenant,
    pub name: String,
}

/// One plan subject at one site.
#[derive(Debug, Clone)]
pub struct Subject {
    pub plan: Plan,
    pub site: Site,
    pub subject: PlanSubject,
    /// The school running the site.
    pub host: Tenant,
    /// The host first, then the borrowing schools.
    pub sitters: Vec<Sitter>,
}

impl Subject {
    /// The public id of its 考核站点编排 row: `<计划 id>.<站点 id>.<科目 id>`.
    pub fn row_id(&self) -> String {
        row_id(&self.plan.id, &self.site.id, &self.subject.subject_id)
    }

    /// Whether a school sees this row: the host or a borrowing school.
    pub fn visible_to(&self, school: &Tenant) -> bool {
        self.sitters.iter().any(|s| s.tenant == *school)
    }

    /// The registrations' guard part of the subject.
    pub fn part(&self) -> String {
        vslc_registrations::Registration::subject_part(
            self.plan.mode,
            &self.subject.certificate_id,
            self.subject.level,
            &self.subject.subject_id,
        )
    }

    /// The rooms set up for this plan, site and subject (by the host and by
    /// the borrowing schools at the host's site), in name order.
    pub async fn rooms(&self, state: &AppState) -> Result<Vec<Room>, DomainError> {
        Ok(self.rooms_in(&host_rooms(state, &self.host).await?))
    }

    /// This subject's rooms among a host's rooms.
    pub fn rooms_in(&self, all: &[Room]) -> Vec<Room> {
        let mut rooms: Vec<Room> = all
            .iter()
            .filter(|r| {
                r.plan_id == self.plan.id
                    && r.site_id == self.site.id
                    && r.subjects
                        .iter()
                        .any(|s| s.subject_id == self.subject.subject_id)
            })
            .cloned()
            .collect();
        rooms.sort_by(|a, b| natural(&a.name, &b.name).then_with(|| a.id.cmp(&b.id)));
        rooms
    }
}

/// Every room at a host's sites: its own and those borrowing schools set
/// up there.
pub async fn host_rooms(state: &AppState, host: &Tenant) -> Result<Vec<Room>, DomainError> {
    let mut rooms = vslc_rooms::service::all(state, host).await?;
    rooms.extend(vslc_rooms::service::hosted(state, host).await?);
    Ok(rooms)
}

pub fn row_id(plan_id: &str, site_id: &str, subject_id: &str) -> String {
    format!("{plan_id}.{site_id}.{subject_id}")
}

/// Names with numbers in them ordered as people count: 考场2 before 考场10.
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut num = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                num.push(c);
            } else {
                if !num.is_empty() {
                    out.push((std::mem::take(&mut text), num.parse().unwrap_or(u64::MAX)));
                    num.clear();
                }
                text.push(c);
            }
        }
        out.push((text, num.parse().unwrap_or(0)));
        out
    }
    parts(a).cmp(&parts(b)).then_with(|| a.cmp(b))
}

fn missing() -> DomainError {
    DomainError::not_found("考核站点编排")
}

/// The plan subject at a site a row id names, as the given school sees it
/// (another school's row looks missing).
pub async fn load(state: &AppState, school: &Tenant, row_id: &str) -> Result<Subject, DomainError> {
    let mut parts = row_id.splitn(3, '.');
    let (Some(plan_id), Some(site_id), Some(subject_id)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(missing());
    };
    let subject = load_parts(state, plan_id, site_id, subject_id).await?;
    if !subject.visible_to(school) {
        return Err(missing());
    }
    Ok(subject)
}

/// The plan subject at a site, whoever asks.
pub async fn load_parts(
    state: &AppState,
    plan_id: &str,
    site_id: &str,
    subject_id: &str,
) -> Result<Subject, DomainError> {
    let host = Site::school_of_id(site_id).ok_or_else(missing)?;
    let plan = Plan::load(state, plan_id)
        .await?
        .filter(|p| p.status == vslc_exam::PublishStatus::Published)
        .ok_or_else(missing)?;
    let site: Site = state
        .table
        .get_as(&Site::key(&host, site_id))
        .await?
        .filter(|s: &Site| s.status == SiteStatus::Approved)
        .ok_or_else(missing)?;
    let subject = plan
        .subject(subject_id)
        .filter(|s| s.certificate_id == site.certificate_id && s.level == site.level)
        .cloned()
        .ok_or_else(missing)?;
    let allocations = Allocation::of_plan(state, plan_id).await?;
    Ok(assemble(plan, site, subject, &allocations))
}

/// A subject at a site from what is already read.
pub fn assemble(
    plan: Plan,
    site: Site,
    subject: PlanSubject,
    allocations: &[Allocation],
) -> Subject {
    let host = site.school();
    let name_of = |id: &str| {
        plan.schools
            .iter()
            .find(|s| s.school_id == id)
            .map(|s| s.school_name.clone())
            .unwrap_or_default()
    };
    let mut sitters = Vec::new();
    if plan.includes_school(&host.id) {
        sitters.push(Sitter {
            name: site.school_name.clone(),
            tenant: host.clone(),
        });
    }
    for a in allocations {
        if a.site_id == site.id
            && a.certificate_id == site.certificate_id
            && a.level == site.level
            && !sitters.iter().any(|s| s.tenant.id == a.school_id)
        {
            sitters.push(Sitter {
                tenant: Tenant::new(TenantKind::School, &a.school_id),
                name: name_of(&a.school_id),
            });
        }
    }
    Subject {
        plan,
        site,
        subject,
        host,
        sitters,
    }
}

/// Every plan subject at every site a school sees: its own approved sites
/// in the plans it takes part in, and the sites assigned to it.
pub async fn visible(state: &AppState, school: &Tenant) -> Result<Vec<Subject>, DomainError> {
    let plans = Plan::of_school(state, school).await?;
    let own: Vec<Site> = vslc_sites::service::all(state, school)
        .await?
        .into_iter()
        .filter(|s| s.status == SiteStatus::Approved)
        .collect();
    let mut out = Vec::new();
    for plan in plans {
        let allocations = Allocation::of_plan(state, &plan.id).await?;
        let mut sites: Vec<Site> = own.clone();
        for a in allocations.iter().filter(|a| a.school_id == school.id) {
            if sites.iter().any(|s| s.id == a.site_id) {
                continue;
            }
            let Some(host) = Site::school_of_id(&a.site_id) else {
                continue;
            };
            let site: Option<Site> = state.table.get_as(&Site::key(&host, &a.site_id)).await?;
            if let Some(site) = site.filter(|s| s.status == SiteStatus::Approved) {
                sites.push(site);
            }
        }
        for site in sites {
            for subject in plan
                .subjects
                .iter()
                .filter(|s| s.certificate_id == site.certificate_id && s.level == site.level)
            {
                let s = assemble(plan.clone(), site.clone(), subject.clone(), &allocations);
                if s.visible_to(school) {
                    out.push(s);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_window_and_the_seats() {
        let t = |s: &str| vslc_exam::window::parse_time(s, "时间").unwrap();
        let mut plan: Plan = serde_json::from_value(serde_json::json!({
            "id": "P", "orgId": "O", "orgName": "", "name": "", "mode": "按证书",
            "certificates": [], "subjects": [], "schools": [],
            "registration": {"start": "2026-01-01 00:00:00", "end": "2026-01-02 00:00:00"},
            "scheduling": {"start": "2026-01-10 08:00:00", "end": "2026-01-20 18:00:00"},
            "scoreEntry": {"start": "2026-02-01 00:00:00", "end": "2026-02-02 00:00:00"},
            "publicity": {"start": "2026-02-03 00:00:00", "end": "2026-02-04 00:00:00"},
            "status": "已发布", "createdAt": "", "version": 1
        }))
        .unwrap();
        let before = t("2026-01-10 07:59");
        let inside = t("2026-01-10 08:00");
        let after = t("2026-01-20 18:00");
        assert_eq!(
            ArrangeStatus::of(&plan, before, 10, 10),
            ArrangeStatus::NotStarted
        );
        assert_eq!(
            ArrangeStatus::of(&plan, inside, 10, 0),
            ArrangeStatus::NotArranged
        );
        assert_eq!(
            ArrangeStatus::of(&plan, inside, 0, 0),
            ArrangeStatus::NotArranged
        );
        assert_eq!(
            ArrangeStatus::of(&plan, inside, 10, 4),
            ArrangeStatus::Arranging
        );
        assert_eq!(
            ArrangeStatus::of(&plan, inside, 10, 10),
            ArrangeStatus::Arranged
        );
        assert_eq!(
            ArrangeStatus::of(&plan, after, 10, 10),
            ArrangeStatus::Ended
        );
        plan.scheduling.end = "2026-01-30 18:00:00".into();
        assert_eq!(
            ArrangeStatus::of(&plan, after, 10, 10),
            ArrangeStatus::Arranged
        );
    }

    #[test]
    fn names_sort_as_people_count() {
        let mut names = vec!["考场10", "考场2", "考场1", "A考场"];
        names.sort_by(|a, b| natural(a, b));
        assert_eq!(names, vec!["A考场", "考场1", "考场2", "考场10"]);
    }
}
