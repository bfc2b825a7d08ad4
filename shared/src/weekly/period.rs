//! Reporting periods (manual §6): 周报 run Monday–Sunday, 半月报 the 1st–15th
//! and the 16th–end of month. A province's change of cycle takes effect when
//! the current period ends, so periods never overlap.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 上报周期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Cycle {
    #[serde(rename = "周报")]
    Weekly,
    #[serde(rename = "半月报")]
    HalfMonthly,
}

impl Cycle {
    pub fn label(self) -> &'static str {
        match self {
            Cycle::Weekly => "周报",
            Cycle::HalfMonthly => "半月报",
        }
    }
}

/// A reporting period: first and last day, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub cycle: Cycle,
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub end: NaiveDate,
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("first of a month") - Duration::days(1)
}

impl Period {
    /// The natural period of a cycle containing a day.
    pub fn containing(cycle: Cycle, day: NaiveDate) -> Self {
        let (start, end) = match cycle {
            Cycle::Weekly => {
                let start = day.week(Weekday::Mon).first_day();
                (start, start + Duration::days(6))
            }
            Cycle::HalfMonthly if day.day() <= 15 => (
                day.with_day(1).expect("day 1"),
                day.with_day(15).expect("day 15"),
            ),
            Cycle::HalfMonthly => (day.with_day(16).expect("day 16"), last_of_month(day)),
        };
        Self { cycle, start, end }
    }

    /// `20261123-20261129`: sorts by time, names the period in keys.
    pub fn id(&self) -> String {
        format!(
            "{}-{}",
            self.start.format("%Y%m%d"),
            self.end.format("%Y%m%d")
        )
    }

    /// 2026-11-23 至 2026-11-29.
    pub fn label(&self) -> String {
        format!("{} 至 {}", self.start, self.end)
    }

    /// The moment the next period starts (the 提交 deadline).
    pub fn deadline(&self) -> NaiveDateTime {
        (self.end + Duration::days(1)).and_time(NaiveTime::MIN)
    }

    pub fn has_ended(&self, now: NaiveDateTime) -> bool {
        now >= self.deadline()
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// A cycle in force from a day on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CycleChange {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    pub cycle: Cycle,
}

/// A province's cycles over time (empty: 周报 throughout).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub changes: Vec<CycleChange>,
}

impl Schedule {
    fn in_force(&self, day: NaiveDate) -> (Option<NaiveDate>, Cycle) {
        self.changes
            .iter()
            .rev()
            .find(|c| c.from <= day)
            .map_or((None, Cycle::Weekly), |c| (Some(c.from), c.cycle))
    }

    /// The period containing a day, cut at the days a change starts.
    pub fn period(&self, day: NaiveDate) -> Period {
        let (from, cycle) = self.in_force(day);
        let mut p = Period::containing(cycle, day);
        if let Some(from) = from {
            p.start = p.start.max(from);
        }
        if let Some(next) = self.changes.iter().find(|c| c.from > day) {
            p.end = p.end.min(next.from - Duration::days(1));
        }
        p
    }

    /// The period after one.
    pub fn next(&self, p: &Period) -> Period {
        self.period(p.end + Duration::days(1))
    }

    /// Switches to a cycle from the end of the current period on; a change
    /// not yet in force is replaced.
    pub fn switch(&mut self, cycle: Cycle, today: NaiveDate) {
        let from = self.period(today).end + Duration::days(1);
        self.changes.retain(|c| c.from < from);
        if self.in_force(today).1 != cycle {
            self.changes.push(CycleChange { from, cycle });
        }
    }

    /// The change that waits for the current period to end.
    pub fn pending(&self, today: NaiveDate) -> Option<CycleChange> {
        self.changes.iter().find(|c| c.from > today).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        let p = Period::containing(Cycle::Weekly, d("2026-11-28"));
        assert_eq!((p.start, p.end), (d("2026-11-23"), d("2026-11-29")));
        assert_eq!(p.id(), "20261123-20261129");
        let p = Period::containing(Cycle::Weekly, d("2026-11-23"));
        assert_eq!(p.start, d("2026-11-23"));
        // Across a year end.
        let p = Period::containing(Cycle::Weekly, d("2027-01-01"));
        assert_eq!((p.start, p.end), (d("2026-12-28"), d("2027-01-03")));
        assert_eq!(p.deadline().to_string(), "2027-01-04 00:00:00");
    }

    #[test]
    fn half_months_split_on_the_fifteenth() {
        let p = Period::containing(Cycle::HalfMonthly, d("2026-11-15"));
        assert_eq!((p.start, p.end), (d("2026-11-01"), d("2026-11-15")));
        let p = Period::containing(Cycle::HalfMonthly, d("2026-11-16"));
        assert_eq!((p.start, p.end), (d("2026-11-16"), d("2026-11-30")));
        let p = Period::containing(Cycle::HalfMonthly, d("2028-02-20"));
        assert_eq!(p.end, d("2028-02-29"));
        let p = Period::containing(Cycle::HalfMonthly, d("2026-12-31"));
        assert_eq!(p.end, d("2026-12-31"));
    }

    #[test]
    fn a_change_of_cycle_starts_after_the_current_period() {
        let mut s = Schedule::default();
        // Wednesday of a week: the half-month cycle starts next Monday.
        s.switch(Cycle::HalfMonthly, d("2026-11-25"));
        assert_eq!(s.pending(d("2026-11-25")).unwrap().from, d("2026-11-30"));
        assert_eq!(s.period(d("2026-11-25")).cycle, Cycle::Weekly);
        let first = s.period(d("2026-11-30"));
        assert_eq!((first.start, first.end), (d("2026-11-30"), d("2026-11-30")));
        let second = s.next(&first);
        assert_eq!(
            (second.start, second.end),
            (d("2026-12-01"), d("2026-12-15"))
        );
        // Changing back before it starts cancels the pending change.
        s.switch(Cycle::Weekly, d("2026-11-26"));
        assert!(s.pending(d("2026-11-26")).is_none());
        assert_eq!(s.period(d("2026-12-02")).cycle, Cycle::Weekly);
    }

    #[test]
    fn periods_follow_each_other_without_gaps() {
        let mut s = Schedule::default();
        s.switch(Cycle::HalfMonthly, d("2026-01-07"));
        let mut p = s.period(d("2026-01-01"));
        for _ in 0..60 {
            let n = s.next(&p);
            assert_eq!(n.start, p.end + Duration::days(1));
            assert!(n.start <= n.end);
            p = n;
        }
    }
}
