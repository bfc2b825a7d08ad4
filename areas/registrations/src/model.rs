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
use vslc_ports::{keyset, shard};

/// The school's registration item families, each written over
/// [`shard::SHARDS`] partitions (`T#school#<id>#<family>#<shard>`).
mod family {
    /// The registrations, which are also the lists by plan (newest first):
    /// sort key `<计划 id>#<rank>`, shard of the id.
    pub const ITEM: &str = "REG";
    /// The list of every plan: `<rank>#<计划 id>`, shard of the id.
    pub const LIST: &str = "REGL";
    /// Guards: `<计划 id>#<考生编号>#<part>`, shard of the 考生编号.
    pub const GUARD: &str = "REGK";
    /// Claims of 缴费申请单: `<计划 id>#<id>`, shard of the id.
    pub const CLAIM: &str = "REGO";
    /// The shard's counters: one item, sort key `COUNT`.
    pub const COUNTS: &str = "REGC";
}

/// The ULID alphabet (Crockford's base 32), in order.
const ULID_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A ULID with each character replaced by its complement in the alphabet
/// (the n-th from the start by the n-th from the end); None for text that
/// is not a ULID.
fn flip(text: &str) -> Option<String> {
    if text.len() != 26 {
        return None;
    }
    text.bytes()
        .map(|b| {
            let at = ULID_ALPHABET.iter().position(|&a| a == b)?;
            Some(char::from(ULID_ALPHABET[31 - at]))
        })
        .collect()
}

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
    pub const ALL: [RegistrationStatus; 4] = [
        RegistrationStatus::NotScheduled,
        RegistrationStatus::Scheduled,
        RegistrationStatus::Examining,
        RegistrationStatus::Ended,
    ];

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
    /// The registration, in its list by plan: sort key `<计划 id>#<rank>`,
    /// shard of its id.
    pub fn key(school: &Tenant, plan_id: &str, id: &str) -> Key {
        Key::new(
            school.sharded(family::ITEM, shard::of(id)),
            format!("{plan_id}#{}", Self::rank(id)),
        )
    }

    /// Its row in the school's list of every plan: sort key
    /// `<rank>#<计划 id>`, shard of its id.
    pub fn list_row_key(school: &Tenant, plan_id: &str, id: &str) -> Key {
        Key::new(
            school.sharded(family::LIST, shard::of(id)),
            format!("{}#{plan_id}", Self::rank(id)),
        )
    }

    /// The position of a registration in the lists: its ULID with each
    /// character complemented in the ULID alphabet, so that ascending
    /// ranks are newest first. Complementing twice gives the id back.
    pub fn rank(id: &str) -> String {
        flip(id).unwrap_or_else(|| format!("~{id}"))
    }

    /// The registration id a rank stands for.
    pub fn id_of_rank(rank: &str) -> Option<String> {
        match rank.strip_prefix('~') {
            Some(id) if !id.is_empty() && !id.contains('#') => Some(id.to_owned()),
            Some(_) => None,
            None => flip(rank),
        }
    }

    /// Where the list of a plan (its registrations) or of every plan (the
    /// list rows) reads: one source per shard.
    pub fn sources(school: &Tenant, plan_id: Option<&str>) -> Vec<keyset::Source> {
        match plan_id {
            Some(_) => Self::partitions(school, plan_id),
            None => shard::all()
                .map(|s| keyset::Source {
                    pk: school.sharded(family::LIST, s),
                    prefix: String::new(),
                })
                .collect(),
        }
    }

    /// The registration a row of the every-plan list names: (plan, id).
    pub fn of_list_row(body: &str) -> Option<(String, String)> {
        let (rank, plan) = body.split_once('#')?;
        if plan.is_empty() || plan.contains('#') {
            return None;
        }
        Some((plan.to_owned(), Self::id_of_rank(rank)?))
    }

    /// A school's registrations of one plan (or all), by partition and
    /// sort-key prefix.
    pub fn partitions(school: &Tenant, plan_id: Option<&str>) -> Vec<keyset::Source> {
        shard::all()
            .map(|s| keyset::Source {
                pk: school.sharded(family::ITEM, s),
                prefix: plan_id.map(|p| format!("{p}#")).unwrap_or_default(),
            })
            .collect()
    }

    /// A candidate sits a subject once per plan. A plan takes registrations
    /// one way only, so 按证书 guards (certificate, level) — which names its
    /// subjects — and 按科目 guards each subject. Sort key
    /// `<计划 id>#<考生编号>#<part>`, shard of the 考生编号.
    pub fn guard_key(school: &Tenant, plan_id: &str, candidate_no: &str, part: &str) -> Key {
        Key::new(
            school.sharded(family::GUARD, shard::of(candidate_no)),
            format!("{plan_id}#{candidate_no}#{part}"),
        )
    }

    /// This registration's guards (one per part it holds).
    pub fn guard_keys(&self, school: &Tenant) -> Vec<Key> {
        self.guards()
            .iter()
            .map(|part| Self::guard_key(school, &self.plan_id, &self.candidate.candidate_no, part))
            .collect()
    }

    /// Where a plan's guards are: one source per shard, the plan's prefix.
    pub fn guard_sources(school: &Tenant, plan_id: &str) -> Vec<keyset::Source> {
        shard::all()
            .map(|s| keyset::Source {
                pk: school.sharded(family::GUARD, s),
                prefix: format!("{plan_id}#"),
            })
            .collect()
    }

    /// Whether a key is a registration's own (not a guard or a row).
    pub fn is_item_key(school: &Tenant, key: &Key) -> bool {
        key.pk
            .strip_prefix(&format!("{}#{}#", school.pk(), family::ITEM))
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()))
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
        shard::all()
            .map(|s| Key::new(school.sharded(family::COUNTS, s), "COUNT"))
            .collect()
    }

    /// Counter attribute: the school's registrations.
    pub const COUNT_ALL: &'static str = "n";

    /// Counter attribute: the school's registrations of a plan.
    pub fn plan_count(plan_id: &str) -> String {
        format!("n#{plan_id}")
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
        let key = Key::new(school.sharded(family::COUNTS, shard::of(&self.id)), "COUNT");
        let day = |text: &str| {
            text.get(..10)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        };
        [
            Count::new(key.clone(), Self::COUNT_ALL.to_owned(), by),
            Count::new(key.clone(), Self::plan_count(&self.plan_id), by),
        ]
        .into_iter()
        .chain(day(&self.created_at).map(|d| Count::new(key.clone(), Self::made_count(d), by)))
        .chain(
            self.subjects
                .iter()
                .filter_map(|s| day(&s.exam.start))
                .map(|d| Count::new(key.clone(), Self::sat_count(d), by)),
        )
        .collect()
    }

    /// A school's paid registrations of a plan, counted when their
    /// 缴费申请单 is confirmed: one item per plan, an attribute per subject
    /// (or per guard part, for orders made before subjects were recorded).
    pub fn paid_key(school: &Tenant, plan_id: &str) -> Key {
        Key::new(school.sharded(family::COUNTS, 0), format!("PAID#{plan_id}"))
    }

    /// The guard part a subject's registrations hold: its certificate level
    /// (按证书) or itself (按科目).
    pub fn subject_part(
        mode: RegistrationMode,
        certificate_id: &str,
        level: Level,
        subject_id: &str,
    ) -> String {
        match mode {
            RegistrationMode::ByCertificate => format!("{certificate_id}#{}", level.label()),
            RegistrationMode::BySubject => subject_id.to_owned(),
        }
    }

    /// The part a guard's sort key names (`<计划 id>#<考生编号>#<part>`).
    pub fn part_of_guard(sk: &str) -> Option<&str> {
        sk.splitn(3, '#').nth(2).filter(|p| !p.is_empty())
    }

    /// The claim of a 缴费申请单 on it: a small item of its own, so claiming
    /// 50,000 registrations writes 50,000 small items and rewrites none.
    /// Sort key `<计划 id>#<id>`, shard of the registration's id.
    pub fn claim_key(school: &Tenant, plan_id: &str, id: &str) -> Key {
        Key::new(
            school.sharded(family::CLAIM, shard::of(id)),
            format!("{plan_id}#{id}"),
        )
    }

    /// Where a plan's claims (or every claim) are: one source per shard.
    pub fn claim_sources(school: &Tenant, plan_id: Option<&str>) -> Vec<keyset::Source> {
        shard::all()
            .map(|s| keyset::Source {
                pk: school.sharded(family::CLAIM, s),
                prefix: plan_id.map(|p| format!("{p}#")).unwrap_or_default(),
            })
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_order_newest_first_and_give_the_id_back() {
        let older = ulid::Ulid::from_parts(1_700_000_000_000, 7).to_string();
        let newer = ulid::Ulid::from_parts(1_700_000_000_001, 3).to_string();
        assert!(Registration::rank(&newer) < Registration::rank(&older));
        assert_eq!(
            Registration::id_of_rank(&Registration::rank(&older)),
            Some(older)
        );
        // Not a ULID: kept after every rank, and still reversible.
        assert_eq!(Registration::rank("R-1"), "~R-1");
        assert_eq!(Registration::id_of_rank("~R-1").as_deref(), Some("R-1"));
        assert_eq!(Registration::id_of_rank("ILOU"), None);
        assert_eq!(Registration::id_of_rank(&"I".repeat(26)), None);
    }

    #[test]
    fn list_rows_name_their_registration() {
        let id = ulid::Ulid::from_parts(1_700_000_000_000, 1).to_string();
        let school = Tenant::new(vslc_accounts::TenantKind::School, "S1");
        let row = Registration::list_row_key(&school, "P1", &id);
        assert_eq!(
            Registration::of_list_row(&row.sk),
            Some(("P1".to_owned(), id.clone()))
        );
        assert_eq!(Registration::of_list_row("nohash"), None);
        let item = Registration::key(&school, "P1", &id);
        assert!(Registration::is_item_key(&school, &item));
        assert!(!Registration::is_item_key(&school, &row));
        assert!(!Registration::is_item_key(
            &school,
            &Registration::guard_key(&school, "P1", "N1", "C#初级")
        ));
    }
}
