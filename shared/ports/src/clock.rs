//! `Clock`: the time every derived status is computed from. Injectable so
//! tests (and the demo) can move time.

use std::sync::Mutex;

use chrono::{DateTime, Duration, FixedOffset, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Now in China Standard Time (UTC+8), the zone of every window shown.
    fn now_cst(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&cst())
    }

    /// Now as a China-time wall clock, what every window is compared with.
    fn now_local(&self) -> chrono::NaiveDateTime {
        self.now_cst().naive_local()
    }

    /// Now as every record and list shows it: `YYYY-MM-DD HH:MM:SS`, China time.
    fn now_text(&self) -> String {
        self.now_cst().format(TIME_FORMAT).to_string()
    }
}

/// How times are written in records, lists and windows.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Whether a stored time (`YYYY-MM-DD…`, as `TIME_FORMAT` writes it) falls
/// on a day from `from` to `to`, both included.
pub fn on_days(time: &str, from: chrono::NaiveDate, to: chrono::NaiveDate) -> bool {
    chrono::NaiveDate::parse_from_str(time.get(..10).unwrap_or(""), "%Y-%m-%d")
        .is_ok_and(|d| from <= d && d <= to)
}

/// UTC+8.
pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock shifted by an offset that can be set while running:
/// the dev server's, for browser tests that must be on an exam day
/// (`VSLC_DEV_CLOCK=1`, never in the cloud).
#[derive(Debug, Default)]
pub struct ShiftedClock(Mutex<Duration>);

impl ShiftedClock {
    /// Makes now read `at` (time goes on from there); `None` goes back to
    /// the system time.
    pub fn set_now(&self, at: Option<DateTime<Utc>>) {
        *self.0.lock().expect("clock lock") = at.map_or(Duration::zero(), |t| t - Utc::now());
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.0.lock().expect("clock lock")
    }
}

/// A clock that stands still until moved (tests, demos).
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at;
    }
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().expect("clock lock");
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let t0 = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let c = ManualClock::new(t0);
        assert_eq!(c.now(), t0);
        c.advance(Duration::hours(1));
        assert_eq!(c.now(), t0 + Duration::hours(1));
        assert_eq!(c.now_cst().to_rfc3339(), "2026-03-01T09:00:00+08:00");
    }
}
