//! The stored registration.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::Tenant;
use vslc_candidates::{Candidate, CandidateKind, MajorRef};
use vslc_catalogue::certificate::{Level, MajorLevel};
use vslc_exam::plans::RegistrationMode;
use vslc_exam::{ExamMethod, Window};
use vslc_ports::domain::{Gender, IdType};
use vslc_ports::table::Key;

/// 报考状态 (derived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum RegistrationStatus {
    #[serde(rename = "未排考")]
    NotScheduled,
    #[serde(rename = "待考试")]
    Scheduled,
    #[serde(rename = "考试中")]
    Examining,
    #[serde(rename = "已结束")]
    Ended,
}

impl RegistrationStatus {
    pub fn label(self) -> &'static str {
        match self {
            RegistrationStatus::NotScheduled => "未排考",
            RegistrationStatus::Scheduled => "待考试",
            RegistrationStatus::Examining => "考试中",
            RegistrationStatus::Ended => "已结束",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegSubject {
    pub subject_id: String,
    pub code: String,
    pub name: String,
    pub method: ExamMethod,
    /// 考试时间.
    pub exam: Window,
}

/// The candidate as registered: later edits of the candidate do not
/// change it (manual §5.2.3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateSnapshot {
    pub candidate_no: String,
    pub kind: CandidateKind,
    pub name: String,
    pub name_pinyin: String,
    pub gender: Gender,
    pub id_type: IdType,
    pub id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<MajorRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major_level: Option<MajorLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_key: Option<String>,
}

impl CandidateSnapshot {
    pub fn of(c: &Candidate) -> Self {
        Self {
            candidate_no: c.candidate_no.clone(),
            kind: c.kind,
            name: c.name.clone(),
            name_pinyin: c.name_pinyin.clone(),
            gender: c.gender,
            id_type: c.id_type,
            id_number: c.id_number.clone(),
            phone: c.phone.clone(),
            major: c.major.clone(),
            major_level: c.major_level,
            photo_key: c.photo_key.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    /// A ULID; views show it as `<计划 id>.<ULID>`.
    pub id: String,
    pub school_id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub org_id: String,
    pub mode: RegistrationMode,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    /// The subjects sat: all of the level's (按证书) or one (按科目).
    pub subjects: Vec<RegSubject>,
    pub candidate: CandidateSnapshot,
    /// 报考费 (分) by the plan's fee standard.
    pub fee_cents: u64,
    /// Seated by 排考.
    #[serde(default)]
    pub scheduled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    pub created_at: String,
    pub version: u64,
}

impl Registration {
    pub fn key(school: &Tenant, plan_id: &str, id: &str) -> Key {
        Key::new(school.pk(), format!("REG#{plan_id}#{id}"))
    }

    /// A candidate sits a subject once per plan. A plan takes registrations
    /// one way only, so 按证书 guards (certificate, level) — which names its
    /// subjects — and 按科目 guards each subject.
    pub fn guard_key(school: &Tenant, plan_id: &str, candidate_no: &str, part: &str) -> Key {
        Key::new(
            school.pk(),
            format!("{}{candidate_no}#{part}", Self::guard_prefix(plan_id)),
        )
    }

    /// The sort-key prefix of a plan's guards.
    pub fn guard_prefix(plan_id: &str) -> String {
        format!("REGKEY#{plan_id}#")
    }

    /// What its guards name: see `guard_key`.
    pub fn guard_parts(
        mode: RegistrationMode,
        certificate_id: &str,
        level: Level,
        subjects: &[RegSubject],
    ) -> Vec<String> {
        match mode {
            RegistrationMode::ByCertificate => {
                vec![format!("{certificate_id}#{}", level.label())]
            }
            RegistrationMode::BySubject => subjects.iter().map(|s| s.subject_id.clone()).collect(),
        }
    }

    pub fn guards(&self) -> Vec<String> {
        Self::guard_parts(self.mode, &self.certificate_id, self.level, &self.subjects)
    }

    /// The school's registration counters, one item per shard
    /// (`T#school#<id>#REGC#<shard>`, sort key `COUNT`): per day, the
    /// registrations made (`made#<yyyymmdd>`) and the subject sittings
    /// held (`sat#<yyyymmdd>`) — the weekly report's figures.
    pub fn count_keys(school: &Tenant) -> Vec<Key> {
        vslc_ports::shard::all()
            .map(|s| Key::new(school.sharded("REGC", s), "COUNT"))
            .collect()
    }

    /// Counter attribute: registrations made on a day.
    pub fn made_count(day: chrono::NaiveDate) -> String {
        format!("made#{}", day.format("%Y%m%d"))
    }

    /// Counter attribute: subject sittings held on a day.
    pub fn sat_count(day: chrono::NaiveDate) -> String {
        format!("sat#{}", day.format("%Y%m%d"))
    }

    /// What the registration adds to its shard's counters (`by` = 1 when
    /// it is made, -1 when it goes).
    pub fn counts(&self, school: &Tenant, by: i64) -> Vec<vslc_ports::table::Count> {
        use vslc_ports::table::Count;
        let key = Key::new(
            school.sharded("REGC", vslc_ports::shard::of(&self.id)),
            "COUNT",
        );
        let day = |text: &str| {
            text.get(..10)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        };
        day(&self.created_at)
            .map(|d| Count::new(key.clone(), Self::made_count(d), by))
            .into_iter()
            .chain(
                self.subjects
                    .iter()
                    .filter_map(|s| day(&s.exam.start))
                    .map(|d| Count::new(key.clone(), Self::sat_count(d), by)),
            )
            .collect()
    }

    /// The claim of a 缴费申请单 on it: a small item of its own, so claiming
    /// 50,000 registrations writes 50,000 small items and rewrites none.
    pub fn claim_key(school: &Tenant, plan_id: &str, id: &str) -> Key {
        Key::new(school.pk(), format!("REGORDER#{plan_id}#{id}"))
    }

    /// The public id names its plan: `<计划 id>.<ULID>`.
    pub fn public_id(&self) -> String {
        format!("{}.{}", self.plan_id, self.id)
    }

    pub fn status(&self, now: NaiveDateTime) -> RegistrationStatus {
        if !self.scheduled {
            return RegistrationStatus::NotScheduled;
        }
        let first = self.subjects.iter().map(|s| s.exam.bounds().0).min();
        let last = self.subjects.iter().map(|s| s.exam.bounds().1).max();
        match (first, last) {
            (Some(f), _) if now < f => RegistrationStatus::Scheduled,
            (_, Some(l)) if now < l => RegistrationStatus::Examining,
            _ => RegistrationStatus::Ended,
        }
    }
}

/// A claim as written: which 缴费申请单 holds the registration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimBody {
    pub order_no: String,
}

/// A claim as read back, with its key (the registration is its last part).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimRow {
    pub sk: String,
    pub order_no: String,
}

impl ClaimRow {
    pub fn registration_id(&self) -> &str {
        self.sk.rsplit('#').next().unwrap_or_default()
    }
}
