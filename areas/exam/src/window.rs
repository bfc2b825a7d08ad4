//! Time windows (报名, 排考, 考试, 成绩登记, 公示期) in China Standard Time,
//! written `YYYY-MM-DD HH:MM:SS` like every time the platform shows.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use vslc_ports::clock::TIME_FORMAT;

/// A start and an end, start strictly before end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// `YYYY-MM-DD HH:MM:SS` (seconds may be left out).
    pub start: String,
    pub end: String,
}

/// Where a moment lies against a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Before,
    Inside,
    After,
}

/// Parses `YYYY-MM-DD HH:MM[:SS]` (also with a `T`); `what` names the field.
pub fn parse_time(s: &str, what: &str) -> Result<NaiveDateTime, String> {
    let s = s.trim().replace('T', " ");
    NaiveDateTime::parse_from_str(&s, TIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M"))
        .map_err(|_| format!("{what}须为“年-月-日 时:分”格式的有效时间"))
}

impl Window {
    pub fn new(start: NaiveDateTime, end: NaiveDateTime) -> Self {
        Self {
            start: start.format(TIME_FORMAT).to_string(),
            end: end.format(TIME_FORMAT).to_string(),
        }
    }

    /// Checks and normalises a window; `what` is its Chinese name (报名时间).
    pub fn checked(&self, what: &str) -> Result<Self, String> {
        let start = parse_time(&self.start, &format!("{what}的开始时间"))?;
        let end = parse_time(&self.end, &format!("{what}的结束时间"))?;
        if start >= end {
            return Err(format!("{what}的开始时间须早于结束时间"));
        }
        Ok(Self::new(start, end))
    }

    /// The bounds of a window already checked (stored windows are).
    pub fn bounds(&self) -> (NaiveDateTime, NaiveDateTime) {
        let p = |s: &str| NaiveDateTime::parse_from_str(s, TIME_FORMAT).unwrap_or_default();
        (p(&self.start), p(&self.end))
    }

    /// Start inclusive, end exclusive.
    pub fn position(&self, now: NaiveDateTime) -> Position {
        let (start, end) = self.bounds();
        if now < start {
            Position::Before
        } else if now < end {
            Position::Inside
        } else {
            Position::After
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        parse_time(s, "时间").unwrap()
    }

    #[test]
    fn windows_parse_normalise_and_place_moments() {
        let w = Window {
            start: "2026-03-01 08:00".into(),
            end: "2026-03-10T18:00:00".into(),
        }
        .checked("报名时间")
        .unwrap();
        assert_eq!(w.start, "2026-03-01 08:00:00");
        assert_eq!(w.end, "2026-03-10 18:00:00");
        assert_eq!(w.position(t("2026-03-01 07:59:59")), Position::Before);
        assert_eq!(w.position(t("2026-03-01 08:00")), Position::Inside);
        assert_eq!(w.position(t("2026-03-10 18:00")), Position::After);
        let backwards = Window {
            start: "2026-03-10 08:00".into(),
            end: "2026-03-01 08:00".into(),
        };
        assert_eq!(
            backwards.checked("报名时间").unwrap_err(),
            "报名时间的开始时间须早于结束时间"
        );
        let bad = Window {
            start: "2026-02-30 08:00".into(),
            end: "2026-03-01 08:00".into(),
        };
        assert!(bad.checked("报名时间").unwrap_err().contains("有效时间"));
    }
}
