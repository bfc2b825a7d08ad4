//! The records of 科目成绩: a score per registration and subject (kept
//! twice: in the org's rows of the plan subject, which imports, locks and
//! the org's list read, and in the school's rows, which the school's list
//! reads), the subject's sheet (its lock and its anchor), the history of
//! each score, and the plans whose scores are waiting to be locked.

use std::fmt;

use chrono::NaiveDateTime;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;

use vslc_accounts::{Tenant, TenantKind};
use vslc_ledger::ChainInfo;
use vslc_ports::keyset;
use vslc_ports::shard;
use vslc_ports::table::Key;

/// Item families of the score rows in a tenant's partitions.
const SCORES: &str = "SCORE";

/// A score to one decimal (`86.5`), kept as tenths so that it compares and
/// hashes exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(u32);

/// The most a score may be (a subject's 满分 is a few hundred at most).
const MAX_TENTHS: u32 = 100_000;

impl Points {
    pub fn from_tenths(tenths: u32) -> Self {
        Self(tenths)
    }

    pub fn tenths(self) -> u32 {
        self.0
    }

    /// A whole mark (满分, 合格分).
    pub fn whole(marks: u32) -> Self {
        Self(marks.saturating_mul(10))
    }

    /// Parses what a person typed: digits with at most one decimal
    /// (`86`, `86.5`, `86.50`); the message says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (t.contains('.') && !digits(frac)) {
            return Err(format!("成绩“{t}”不是有效的数字"));
        }
        let mut frac = frac.bytes();
        let tenth = frac.next().map_or(0, |b| u32::from(b - b'0'));
        if frac.any(|b| b != b'0') {
            return Err(format!("成绩“{t}”最多保留一位小数"));
        }
        let whole: u32 = whole
            .trim_start_matches('0')
            .parse()
            .or_else(|_| {
                if whole.bytes().all(|b| b == b'0') {
                    Ok(0)
                } else {
                    Err(())
                }
            })
            .map_err(|_| format!("成绩“{t}”超出范围"))?;
        let tenths = whole
            .checked_mul(10)
            .and_then(|w| w.checked_add(tenth))
            .filter(|t| *t <= MAX_TENTHS)
            .ok_or_else(|| format!("成绩“{t}”超出范围"))?;
        Ok(Self(tenths))
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(10) {
            write!(f, "{}", self.0 / 10)
        } else {
            write!(f, "{}.{}", self.0 / 10, self.0 % 10)
        }
    }
}

/// As JSON a number (`86.5`); a string of digits is read as well.
impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(f64::from(self.0) / 10.0)
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Number(n) if n.is_finite() && n >= 0.0 => {
                let tenths = (n * 10.0).round();
                if (n * 10.0 - tenths).abs() > 1e-6 {
                    return Err(serde::de::Error::custom("成绩最多保留一位小数"));
                }
                if tenths > f64::from(MAX_TENTHS) {
                    return Err(serde::de::Error::custom("成绩超出范围"));
                }
                return Ok(Self(tenths as u32));
            }
            Raw::Number(_) => return Err(serde::de::Error::custom("成绩不能为负数")),
            Raw::Text(t) => t,
        };
        Points::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Points {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .description(Some("成绩, 最多一位小数"))
            .into()
    }
}

impl ToSchema for Points {}

/// 缺考 or 违纪, instead of (违纪: beside) a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Mark {
    #[serde(rename = "缺考")]
    Absent,
    #[serde(rename = "违纪")]
    Violation,
}

impl Mark {
    pub const ALL: [Mark; 2] = [Mark::Absent, Mark::Violation];

    pub fn label(self) -> &'static str {
        match self {
            Mark::Absent => "缺考",
            Mark::Violation => "违纪",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.label() == s.trim())
    }
}

/// What a score says: a number, 缺考, or 违纪 (with the number if marked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Points>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
}

impl Outcome {
    /// Checks a score against the subject's 满分: a number for a sitter,
    /// none for 缺考, either for 违纪.
    pub fn checked(
        points: Option<Points>,
        mark: Option<Mark>,
        full: Points,
    ) -> Result<Self, String> {
        match (points, mark) {
            (Some(_), Some(Mark::Absent)) => return Err("缺考的考生不能填写成绩".into()),
            (None, None) => return Err("请填写成绩，或标记缺考、违纪".into()),
            _ => {}
        }
        if let Some(p) = points
            && p > full
        {
            return Err(format!("成绩{p}超过该科目满分{full}"));
        }
        Ok(Self { points, mark })
    }

    /// As lists and exports show it: `86.5`, `缺考`, `违纪` or `违纪（52）`.
    pub fn text(&self) -> String {
        match (self.points, self.mark) {
            (Some(p), None) => p.to_string(),
            (Some(p), Some(m)) => format!("{}（{p}）", m.label()),
            (None, Some(m)) => m.label().to_owned(),
            (None, None) => String::new(),
        }
    }

    /// Passes a subject whose 合格分 is `pass`.
    pub fn passes(&self, pass: Points) -> bool {
        self.mark.is_none() && self.points.is_some_and(|p| p >= pass)
    }
}

/// A subject score of a registration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub plan_id: String,
    pub subject_id: String,
    pub org_id: String,
    pub registration_id: String,
    pub school_id: String,
    pub school_name: String,
    /// 准考证号 and 考生编号, from the seat.
    pub ticket_no: String,
    pub candidate_no: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The registration's subjects (ids): what its result waits for.
    pub subjects: Vec<String>,
    pub recorded_at: String,
    pub recorded_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    /// Changes after the first recording (each in the history).
    #[serde(default)]
    pub changes: u32,
    pub version: u64,
}

impl Score {
    fn sort_key(plan_id: &str, subject_id: &str, reg_id: &str) -> String {
        format!("{plan_id}#{subject_id}#{reg_id}")
    }

    /// The score in its org's rows of the plan subject.
    pub fn org_key(org_id: &str, plan_id: &str, subject_id: &str, reg_id: &str) -> Key {
        Key::new(
            Tenant::new(TenantKind::Org, org_id).sharded(SCORES, shard::of(reg_id)),
            Self::sort_key(plan_id, subject_id, reg_id),
        )
    }

    /// The score in its school's rows.
    pub fn school_key(school_id: &str, plan_id: &str, subject_id: &str, reg_id: &str) -> Key {
        Key::new(
            Tenant::new(TenantKind::School, school_id).sharded(SCORES, shard::of(reg_id)),
            Self::sort_key(plan_id, subject_id, reg_id),
        )
    }

    pub fn own_org_key(&self) -> Key {
        Self::org_key(
            &self.org_id,
            &self.plan_id,
            &self.subject_id,
            &self.registration_id,
        )
    }

    pub fn own_school_key(&self) -> Key {
        Self::school_key(
            &self.school_id,
            &self.plan_id,
            &self.subject_id,
            &self.registration_id,
        )
    }

    /// Where a tenant's score rows are (every shard), under a plan and a
    /// subject, a plan, or all.
    pub fn sources(
        tenant: &Tenant,
        plan_id: Option<&str>,
        subject_id: Option<&str>,
    ) -> Vec<keyset::Source> {
        let prefix = match (plan_id, subject_id) {
            (Some(p), Some(s)) => format!("{p}#{s}#"),
            (Some(p), None) => format!("{p}#"),
            _ => String::new(),
        };
        shard::all()
            .map(|s| keyset::Source {
                pk: tenant.sharded(SCORES, s),
                prefix: prefix.clone(),
            })
            .collect()
    }

    /// The public id: `<计划 id>.<科目 id>.<报考 id>`.
    pub fn public_id(&self) -> String {
        ScoreId {
            plan_id: self.plan_id.clone(),
            subject_id: self.subject_id.clone(),
            registration_id: self.registration_id.clone(),
        }
        .to_string()
    }
}

/// A recorded score changed (a re-import before 公示期, a correction in
/// it): the new score, its history entry's key, and the one transaction
/// that writes both rows at the version read and the entry, and holds only
/// while the sheet is not locked.
pub struct Changed {
    pub score: Score,
    pub change_key: Key,
    pub ops: Vec<vslc_ports::table::TxOp>,
}

impl Score {
    /// This score changed to `outcome` by `by` at `at` for `reason`;
    /// `import_id` names the import that changed it (a correction keeps
    /// the one that recorded it).
    pub fn changed(
        &self,
        outcome: Outcome,
        by: &str,
        at: &str,
        reason: String,
        import_id: Option<&str>,
    ) -> Result<Changed, vslc_ports::table::TableError> {
        use vslc_ports::table::{Condition, TxOp, to_item};
        let mut new = self.clone();
        new.outcome = outcome;
        new.recorded_at = at.to_owned();
        new.recorded_by = by.to_owned();
        if let Some(id) = import_id {
            new.import_id = Some(id.to_owned());
        }
        new.changes += 1;
        new.version += 1;
        let id = ScoreId {
            plan_id: self.plan_id.clone(),
            subject_id: self.subject_id.clone(),
            registration_id: self.registration_id.clone(),
        };
        let change_key = ScoreChange::key(&id, at);
        let change = ScoreChange {
            at: at.to_owned(),
            by: by.to_owned(),
            before: self.outcome.text(),
            after: outcome.text(),
            reason,
        };
        let read = Some(Condition::VersionIs(self.version));
        let ops = vec![
            TxOp::Put {
                item: to_item(&new.own_org_key(), &new)?,
                condition: read.clone(),
            },
            TxOp::Put {
                item: to_item(&new.own_school_key(), &new)?,
                condition: read,
            },
            TxOp::Put {
                item: to_item(&change_key, &change)?,
                condition: Some(Condition::NotExists),
            },
            TxOp::Check {
                key: ScoreSheet::key(&self.plan_id, &self.subject_id),
                condition: Condition::AttrAbsent(ScoreSheet::LOCKED_AT.into()),
            },
        ];
        Ok(Changed {
            score: new,
            change_key,
            ops,
        })
    }
}

/// What the door's sign-in says against a score, if they disagree: 缺考
/// at the door needs 缺考 in the score; 已签到 rules 缺考 out.
pub fn attendance_conflict(
    attendance: Option<vslc_scheduling::model::Attendance>,
    mark: Option<Mark>,
) -> Option<vslc_scheduling::model::Attendance> {
    use vslc_scheduling::model::Attendance;
    match (attendance, mark) {
        (Some(Attendance::Absent), m) if m != Some(Mark::Absent) => Some(Attendance::Absent),
        (Some(Attendance::Present), Some(Mark::Absent)) => Some(Attendance::Present),
        _ => None,
    }
}

/// A score's public id, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreId {
    pub plan_id: String,
    pub subject_id: String,
    pub registration_id: String,
}

impl ScoreId {
    pub fn parse(id: &str) -> Option<Self> {
        let mut parts = id.split('.');
        let (p, s, r) = (parts.next()?, parts.next()?, parts.next()?);
        let ok = |x: &str| {
            !x.is_empty() && x.len() <= 40 && x.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        (parts.next().is_none() && ok(p) && ok(s) && ok(r)).then(|| Self {
            plan_id: p.to_owned(),
            subject_id: s.to_owned(),
            registration_id: r.to_owned(),
        })
    }
}

impl fmt::Display for ScoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            self.plan_id, self.subject_id, self.registration_id
        )
    }
}

/// A subject's id in the API: `<计划 id>.<科目 id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetId {
    pub plan_id: String,
    pub subject_id: String,
}

impl SheetId {
    pub fn parse(id: &str) -> Option<Self> {
        let (p, s) = id.split_once('.')?;
        let ok = |x: &str| {
            !x.is_empty() && x.len() <= 40 && x.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        (ok(p) && ok(s)).then(|| Self {
            plan_id: p.to_owned(),
            subject_id: s.to_owned(),
        })
    }
}

impl fmt::Display for SheetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.plan_id, self.subject_id)
    }
}

/// 成绩状态, from the plan's 公示期 and the sheet's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ScoreStatus {
    /// Recorded, 公示期 not begun.
    #[serde(rename = "待公示")]
    Recorded,
    #[serde(rename = "公示中")]
    Publicity,
    /// 公示期 over: never changes again.
    #[serde(rename = "已锁定")]
    Locked,
}

impl ScoreStatus {
    pub const ALL: [ScoreStatus; 3] = [
        ScoreStatus::Recorded,
        ScoreStatus::Publicity,
        ScoreStatus::Locked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ScoreStatus::Recorded => "待公示",
            ScoreStatus::Publicity => "公示中",
            ScoreStatus::Locked => "已锁定",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.label() == s.trim())
    }

    /// A plan's scores at `now`: locked from the end of its 公示期 on,
    /// whether or not the closer has run yet.
    pub fn at(publicity: &vslc_exam::Window, now: NaiveDateTime) -> Self {
        use vslc_exam::window::Position;
        match publicity.position(now) {
            Position::Before => ScoreStatus::Recorded,
            Position::Inside => ScoreStatus::Publicity,
            Position::After => ScoreStatus::Locked,
        }
    }
}

/// 成绩单 of a plan subject: how many scores it holds, and, once locked,
/// the hash of the locked sheet and where the ledger holds it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScoreSheet {
    pub plan_id: String,
    pub subject_id: String,
    pub org_id: String,
    /// Scores recorded (a counter).
    #[serde(default)]
    pub recorded: i64,
    /// When the lock took it (the 公示期's end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_at: Option<String>,
    /// SHA-256 (hex) of the canonical locked sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet_hash: Option<String>,
    /// 上链信息 of the anchor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<ChainInfo>,
    pub version: u64,
}

impl ScoreSheet {
    pub fn key(plan_id: &str, subject_id: &str) -> Key {
        Key::new(format!("SHEET#{plan_id}"), subject_id.to_owned())
    }

    /// The sheets of a plan.
    pub fn of_plan(plan_id: &str) -> vslc_ports::table::Query {
        vslc_ports::table::Query::partition(format!("SHEET#{plan_id}"))
    }

    pub const RECORDED: &'static str = "recorded";
    pub const LOCKED_AT: &'static str = "lockedAt";
    pub const CHAIN: &'static str = "chain";
    pub const SHEET_HASH: &'static str = "sheetHash";
}

/// One change of a score: who, when, from what to what, why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScoreChange {
    pub at: String,
    pub by: String,
    pub before: String,
    pub after: String,
    pub reason: String,
}

impl ScoreChange {
    fn pk(id: &ScoreId) -> String {
        format!(
            "SCOREHIST#{}#{}#{}",
            id.plan_id, id.subject_id, id.registration_id
        )
    }

    /// A new change's key: after the others (time, then a ULID).
    pub fn key(id: &ScoreId, at: &str) -> Key {
        Key::new(Self::pk(id), format!("{at}#{}", ulid::Ulid::new()))
    }

    /// The changes of a score, oldest first.
    pub fn of(id: &ScoreId) -> vslc_ports::table::Query {
        vslc_ports::table::Query::partition(Self::pk(id))
    }
}

/// A plan whose scores are to be locked at the end of its 公示期 (written
/// with its first score; the closer locks the plan and removes it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockDue {
    pub plan_id: String,
    /// The 公示期's end, `YYYY-MM-DD HH:MM:SS` (China time).
    pub end: String,
}

impl LockDue {
    const PK: &'static str = "SCORELOCK";

    pub fn key(&self) -> Key {
        Key::new(Self::PK, format!("{}#{}", self.end, self.plan_id))
    }

    /// Every plan waiting, earliest end first.
    pub fn all() -> vslc_ports::table::Query {
        vslc_ports::table::Query::partition(Self::PK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_take_one_decimal_at_most() {
        assert_eq!(Points::parse("86").unwrap().tenths(), 860);
        assert_eq!(Points::parse(" 86.5 ").unwrap().tenths(), 865);
        assert_eq!(Points::parse("86.50").unwrap().tenths(), 865);
        assert_eq!(Points::parse("0").unwrap().tenths(), 0);
        assert_eq!(Points::parse("007.0").unwrap().tenths(), 70);
        for bad in [
            "",
            "-1",
            "86.55",
            "abc",
            "1e2",
            "86.",
            ".5",
            "99999999999",
            "８６",
        ] {
            assert!(Points::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Points::from_tenths(865).to_string(), "86.5");
        assert_eq!(Points::from_tenths(860).to_string(), "86");
    }

    #[test]
    fn points_are_numbers_in_json() {
        let p: Points = serde_json::from_str("86.5").unwrap();
        assert_eq!(p.tenths(), 865);
        assert_eq!(serde_json::to_string(&p).unwrap(), "86.5");
        let p: Points = serde_json::from_str("\"72\"").unwrap();
        assert_eq!(p.tenths(), 720);
        assert!(serde_json::from_str::<Points>("86.55").is_err());
        assert!(serde_json::from_str::<Points>("-3").is_err());
    }

    #[test]
    fn outcomes_follow_the_marks() {
        let full = Points::whole(100);
        let p = |t| Some(Points::from_tenths(t));
        assert!(Outcome::checked(p(865), None, full).is_ok());
        assert!(Outcome::checked(None, Some(Mark::Absent), full).is_ok());
        assert!(Outcome::checked(p(520), Some(Mark::Violation), full).is_ok());
        assert!(Outcome::checked(None, Some(Mark::Violation), full).is_ok());
        assert!(Outcome::checked(p(1), Some(Mark::Absent), full).is_err());
        assert!(Outcome::checked(None, None, full).is_err());
        assert!(Outcome::checked(p(1001), None, full).is_err());
        let pass = Points::whole(60);
        assert!(Outcome::checked(p(600), None, full).unwrap().passes(pass));
        assert!(!Outcome::checked(p(599), None, full).unwrap().passes(pass));
        assert!(
            !Outcome::checked(p(900), Some(Mark::Violation), full)
                .unwrap()
                .passes(pass)
        );
        assert_eq!(
            Outcome::checked(p(520), Some(Mark::Violation), full)
                .unwrap()
                .text(),
            "违纪（52）"
        );
    }

    #[test]
    fn ids_parse_back() {
        let id = ScoreId::parse("P1.S1.R1").unwrap();
        assert_eq!(id.to_string(), "P1.S1.R1");
        for bad in ["P1.S1", "P1.S1.R1.X", "P1..R1", "P#.S.R", ""] {
            assert!(ScoreId::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(SheetId::parse("P1.S1").unwrap().to_string(), "P1.S1");
        assert!(SheetId::parse("P1.S1.X").is_none());
    }

    #[test]
    fn statuses_follow_the_publicity_window() {
        let w = vslc_exam::Window {
            start: "2026-04-16 08:00:00".into(),
            end: "2026-04-23 18:00:00".into(),
        };
        let t = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(
            ScoreStatus::at(&w, t("2026-04-16 07:59:59")),
            ScoreStatus::Recorded
        );
        assert_eq!(
            ScoreStatus::at(&w, t("2026-04-16 08:00:00")),
            ScoreStatus::Publicity
        );
        assert_eq!(
            ScoreStatus::at(&w, t("2026-04-23 18:00:00")),
            ScoreStatus::Locked
        );
    }
}
