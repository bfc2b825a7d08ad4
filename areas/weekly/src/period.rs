//! Reporting periods (manual §6): 周报 run Monday–Sunday, 半月报 the 1st–15th
//! and the 16th–end of month. A province's change of cycle takes effect
//! after the current period with a whole period of the new kind; the days
//! between stay in periods of the old kind, none shorter than a whole one,
//! so periods never overlap and none lasts a day or two.

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

    /// The period containing a day: the natural period of the cycle in
    /// force, cut at the days a change starts. A piece shorter than a whole
    /// period before a change joins the period before it, so that no school
    /// is asked for a report of a day or two.
    pub fn period(&self, day: NaiveDate) -> Period {
        let (from, cycle) = self.in_force(day);
        let until = self.changes.iter().find(|c| c.from > day).map(|c| c.from);
        let within = |d: NaiveDate| from.is_none_or(|f| d >= f);
        let mut p = Period::containing(cycle, day);
        if let Some(from) = from {
            p.start = p.start.max(from);
        }
        let Some(until) = until else {
            return p;
        };
        let last = until - Duration::days(1);
        if p.end > last {
            // The piece before the change: it joins the period before it.
            p.end = last;
            let before = p.start - Duration::days(1);
            if within(before) {
                p.start = Period::containing(cycle, before).start;
                if let Some(from) = from {
                    p.start = p.start.max(from);
                }
            }
        } else {
            let after = Period::containing(cycle, p.end + Duration::days(1));
            if after.start < until && after.end > last {
                p.end = last;
            }
        }
        p
    }

    /// The period after one.
    pub fn next(&self, p: &Period) -> Period {
        self.period(p.end + Duration::days(1))
    }

    /// Switches to a cycle when the current period ends: the new cycle
    /// starts with a whole period of its kind, and the days until then stay
    /// in periods of the old kind — at least one whole one, the rest joined
    /// to the last (a change not yet in force is replaced). The current
    /// period never changes.
    pub fn switch(&mut self, cycle: Cycle, today: NaiveDate) {
        let current = self.period(today);
        let end = current.end + Duration::days(1);
        let all = std::mem::take(&mut self.changes);
        self.changes = all.iter().filter(|c| c.from < end).copied().collect();
        if self.period(today) != current {
            // The current period ends where a pending change starts: that
            // change stays, or the current period would move.
            self.changes = all.iter().filter(|c| c.from <= end).copied().collect();
        }
        let old = self.in_force(end).1;
        if old == cycle {
            return;
        }
        // The first whole period of the old kind from `end` on.
        let natural = Period::containing(old, end);
        let whole = if natural.start == end {
            natural
        } else {
            Period::containing(old, natural.end + Duration::days(1))
        };
        let mut from = Period::containing(cycle, end).start;
        if from < end {
            from = Period::containing(cycle, end).end + Duration::days(1);
        }
        while from != end && whole.end >= from {
            from = Period::containing(cycle, from).end + Duration::days(1);
        }
        self.changes.push(CycleChange { from, cycle });
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

    fn span(p: Period) -> (NaiveDate, NaiveDate, Cycle) {
        (p.start, p.end, p.cycle)
    }

    /// The period of `day` runs from `start` to `end`, in `cycle`.
    #[track_caller]
    fn assert_period(s: &Schedule, day: &str, (start, end, cycle): (&str, &str, Cycle)) {
        assert_eq!(span(s.period(d(day))), (d(start), d(end), cycle), "{day}");
    }

    #[test]
    fn a_change_of_cycle_starts_with_a_whole_period_after_the_current_one() {
        use Cycle::{HalfMonthly as H, Weekly as W};
        let mut s = Schedule::default();
        // Wednesday 03-04: the week 03-09 fits before the half month 03-16.
        s.switch(H, d("2026-03-04"));
        assert_eq!(s.pending(d("2026-03-04")).unwrap().from, d("2026-03-16"));
        assert_period(&s, "2026-03-09", ("2026-03-09", "2026-03-15", W));
        assert_period(&s, "2026-03-16", ("2026-03-16", "2026-03-31", H));
    }

    #[test]
    fn a_sliver_before_the_new_cycle_joins_a_whole_old_period() {
        use Cycle::{HalfMonthly as H, Weekly as W};
        // Monday 12-07: 12-14 and 12-15 alone would be a two-day period;
        // the half months start in January, the last week runs to 12-31.
        let mut s = Schedule::default();
        s.switch(H, d("2026-12-07"));
        assert_eq!(
            span(s.period(d("2026-12-07"))),
            (d("2026-12-07"), d("2026-12-13"), W),
            "the current week stays"
        );
        assert_eq!(s.pending(d("2026-12-07")).unwrap().from, d("2027-01-01"));
        let p = s.next(&s.period(d("2026-12-07")));
        assert_eq!(span(p), (d("2026-12-14"), d("2026-12-20"), W));
        let p = s.next(&p);
        assert_eq!(span(p), (d("2026-12-21"), d("2026-12-31"), W));
        assert_eq!(s.period(d("2026-12-29")), p);
        assert_eq!(span(s.next(&p)), (d("2027-01-01"), d("2027-01-15"), H));

        // Back to weeks on 2027-01-07: the half month 01-01 – 01-15 stays,
        // the weeks start on a Monday with the days between joined to it.
        s.switch(W, d("2027-01-07"));
        assert_eq!(s.pending(d("2027-01-07")).unwrap().from, d("2027-02-01"));
        assert_period(&s, "2027-01-20", ("2027-01-16", "2027-01-31", H));
        assert_period(&s, "2027-02-01", ("2027-02-01", "2027-02-07", W));
    }

    #[test]
    fn changing_back_before_the_change_cancels_it_unless_the_current_period_moved() {
        use Cycle::{HalfMonthly as H, Weekly as W};
        let mut s = Schedule::default();
        s.switch(H, d("2026-11-25"));
        assert_eq!(s.pending(d("2026-11-25")).unwrap().from, d("2026-12-16"));
        // Still in the same week: the change is simply cancelled.
        s.switch(W, d("2026-11-26"));
        assert!(s.pending(d("2026-11-26")).is_none());
        assert_eq!(s.period(d("2026-12-16")).cycle, W);

        // Inside the lengthened last week (12-07 – 12-15) the change stays
        // (cancelling would cut the current period), and weeks come back
        // after a whole half month.
        s.switch(H, d("2026-11-25"));
        let current = s.period(d("2026-12-10"));
        assert_eq!(span(current), (d("2026-12-07"), d("2026-12-15"), W));
        s.switch(W, d("2026-12-10"));
        assert_eq!(s.period(d("2026-12-10")), current);
        assert_period(&s, "2026-12-20", ("2026-12-16", "2027-01-03", H));
        assert_period(&s, "2027-01-04", ("2027-01-04", "2027-01-10", W));
    }

    #[test]
    fn periods_follow_each_other_without_gaps_or_slivers() {
        // Every day of a year as the day of a switch, either way.
        let mut day = d("2026-01-01");
        while day < d("2027-01-01") {
            for (first, second) in [
                (Cycle::Weekly, Cycle::HalfMonthly),
                (Cycle::HalfMonthly, Cycle::Weekly),
            ] {
                let mut s = Schedule::default();
                s.switch(first, day - Duration::days(40));
                let current = s.period(day);
                s.switch(second, day);
                assert_eq!(s.period(day), current, "{day}: the current period stays");
                let mut p = s.period(day - Duration::days(20));
                for _ in 0..12 {
                    let n = s.next(&p);
                    assert_eq!(n.start, p.end + Duration::days(1), "{day}");
                    let days = (n.end - n.start).num_days() + 1;
                    assert!(days >= 7, "{day}: {n:?}");
                    assert_eq!(s.period(n.start), n, "{day}");
                    assert_eq!(s.period(n.end), n, "{day}");
                    p = n;
                }
            }
            day += Duration::days(1);
        }
    }
}
