//! 考生: 院校考生 and 社会考生 of a school.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::Tenant;
use vslc_catalogue::certificate::MajorLevel;
use vslc_ports::DomainError;
use vslc_ports::domain::{Gender, IdType};
use vslc_ports::keyset;
use vslc_ports::shard;
use vslc_ports::table::{
    Condition, Count, EncodedItem, Group, Guarded, Item, Key, TableError, TxOp, Update, to_item,
};

/// 学生类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CandidateKind {
    /// 院校考生: the school's own students.
    School,
    /// 社会考生: trainees the school enrols with an org.
    Social,
}

impl CandidateKind {
    pub const ALL: [CandidateKind; 2] = [CandidateKind::School, CandidateKind::Social];

    /// As keys and the API write it.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateKind::School => "school",
            CandidateKind::Social => "social",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CandidateKind::School => "院校考生",
            CandidateKind::Social => "社会考生",
        }
    }
}

/// 考生信息状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum InfoStatus {
    #[serde(rename = "无照片")]
    NoPhoto,
    #[serde(rename = "信息待认证")]
    Pending,
    #[serde(rename = "信息准确")]
    Accurate,
    #[serde(rename = "需人工确认")]
    ManualReview,
}

impl InfoStatus {
    pub const ALL: [InfoStatus; 4] = [
        InfoStatus::NoPhoto,
        InfoStatus::Pending,
        InfoStatus::Accurate,
        InfoStatus::ManualReview,
    ];

    pub fn from_label(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.label() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            InfoStatus::NoPhoto => "无照片",
            InfoStatus::Pending => "信息待认证",
            InfoStatus::Accurate => "信息准确",
            InfoStatus::ManualReview => "需人工确认",
        }
    }
}

/// 就读专业: a major of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MajorRef {
    pub code: String,
    pub name: String,
    pub version: String,
}

impl MajorRef {
    /// `<专业代码> <专业名称>`, as exports show it (`510201 计算机应用技术`).
    pub fn label(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// 考生编号 (26 digits), the candidate's id.
    pub candidate_no: String,
    pub kind: CandidateKind,
    pub name: String,
    /// 姓名拼音.
    pub name_pinyin: String,
    pub gender: Gender,
    pub id_type: IdType,
    pub id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<MajorRef>,
    /// 专业层次.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major_level: Option<MajorLevel>,
    /// 入学年份.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment_year: Option<i32>,
    /// 工作单位 (社会考生).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_key: Option<String>,
    pub status: InfoStatus,
    /// 认证中: an identity check is queued or running.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checking: bool,
    /// Why the identity check asked for manual review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_reason: Option<String>,
    /// 已报考数: deletion needs 0. Registrations ADD to it (conditional on
    /// the candidate existing) without touching `version`; whole-record
    /// writes are conditional on it as read, so none overwrites a count.
    #[serde(default)]
    pub registrations: u32,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
}

/// The item families of a school's candidates, each spread over
/// `vslc_ports::shard::SHARDS` partitions under the school's own key
/// (`T#school#<id>#<family>#<shard>`); docs/data-model.md has the layout.
mod family {
    /// The candidates, which are also the list by 学生类型 (newest first):
    /// sort key `<kind>#<rank>`, shard of the 考生编号.
    pub const ITEM: &str = "CAND";
    /// (证件类型, 证件号码) guards: `<证件类型>#<证件号码>`, shard of that text.
    pub const GUARD: &str = "CANDID";
    /// List rows by 信息状态: `<kind>#<status>#<rank>`.
    pub const BY_STATUS: &str = "CANDS";
    /// List rows by 姓名 (prefix search): `<kind>#<name>#<rank>`.
    pub const BY_NAME: &str = "CANDN";
    /// The shard's counters: one item, sort key `COUNT`.
    pub const COUNTS: &str = "CANDC";
}

/// The sort key of a shard's counter item.
const COUNT_SK: &str = "COUNT";

/// Which list rows a page reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListBy<'a> {
    /// Every candidate of the kind, newest first.
    Kind,
    /// Those in one 信息状态.
    Status(InfoStatus),
    /// Names starting with the text, by name, then newest first.
    Name(&'a str),
}

/// Length of a rank: the 26 digits of a 考生编号, reordered.
pub const RANK_LEN: usize = 26;

impl Candidate {
    /// Where the candidate is: its kind and 考生编号 name it.
    pub fn key(school: &Tenant, kind: CandidateKind, candidate_no: &str) -> Key {
        Key::new(
            school.sharded(family::ITEM, shard::of(candidate_no)),
            format!("{}#{}", kind.as_str(), Self::rank(candidate_no)),
        )
    }

    /// Where a candidate known by number only may be: one key per kind.
    pub fn keys_of(school: &Tenant, candidate_no: &str) -> [Key; 2] {
        CandidateKind::ALL.map(|k| Self::key(school, k, candidate_no))
    }

    /// Its own key.
    pub fn item_key(&self, school: &Tenant) -> Key {
        Self::key(school, self.kind, &self.candidate_no)
    }

    /// The partitions holding a school's candidates.
    pub fn partitions(school: &Tenant) -> Vec<String> {
        shard::all()
            .map(|s| school.sharded(family::ITEM, s))
            .collect()
    }

    /// The partitions holding a school's (证件类型, 证件号码) guards.
    pub fn guard_partitions(school: &Tenant) -> Vec<String> {
        shard::all()
            .map(|s| school.sharded(family::GUARD, s))
            .collect()
    }

    /// The uniqueness guard of (证件类型, 证件号码) within a school.
    pub fn guard_key(school: &Tenant, id_type: IdType, id_number: &str) -> Key {
        Self::guard_key_of(school, &Self::id_key(id_type, id_number))
    }

    /// A person's (证件类型, 证件号码) as one text, `<证件类型>#<证件号码>`:
    /// the guard's sort key.
    pub fn id_key(id_type: IdType, id_number: &str) -> String {
        format!("{}#{id_number}", id_type.label())
    }

    /// The guard of the person whose [`Self::id_key`] this is.
    pub fn guard_key_of(school: &Tenant, id_key: &str) -> Key {
        Key::new(school.sharded(family::GUARD, shard::of(id_key)), id_key)
    }

    pub fn to_item(&self, school: &Tenant) -> Result<Item, TableError> {
        to_item(&self.item_key(school), self)
    }

    /// The position of a 考生编号 in the lists: its creation second and
    /// sequence first, then the rest, each digit complemented — ascending
    /// ranks are newest first. A rank turns back into its number.
    pub fn rank(candidate_no: &str) -> String {
        let b = candidate_no.as_bytes();
        if b.len() != RANK_LEN || !b.iter().all(u8::is_ascii_digit) {
            // Numbers are made 26 digits long; anything else sorts last.
            return format!("~{candidate_no}");
        }
        // region(6) year(4) seconds(10) sequence(6) → seconds, sequence, region, year.
        [&b[10..20], &b[20..26], &b[0..6], &b[6..10]]
            .concat()
            .iter()
            .map(|d| char::from(b'9' - (d - b'0')))
            .collect()
    }

    /// The 考生编号 a rank stands for.
    pub fn number_of(rank: &str) -> Option<String> {
        let b = rank.as_bytes();
        if let Some(no) = rank.strip_prefix('~') {
            return Some(no.to_owned());
        }
        if b.len() != RANK_LEN || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let d: Vec<u8> = b.iter().map(|d| b'9' - (d - b'0')).collect();
        String::from_utf8([&d[16..22], &d[22..26], &d[0..10], &d[10..16]].concat()).ok()
    }

    fn shard(&self) -> u8 {
        shard::of(&self.candidate_no)
    }

    fn row_key(school: &Tenant, shard: u8, family: &str, sk: String) -> Key {
        Key::new(school.sharded(family, shard), sk)
    }

    fn status_row(&self, school: &Tenant, status: InfoStatus) -> Key {
        Self::row_key(
            school,
            self.shard(),
            family::BY_STATUS,
            format!(
                "{}#{}#{}",
                self.kind.as_str(),
                status.label(),
                Self::rank(&self.candidate_no)
            ),
        )
    }

    fn name_row(&self, school: &Tenant, name: &str) -> Key {
        Self::row_key(
            school,
            self.shard(),
            family::BY_NAME,
            format!(
                "{}#{name}#{}",
                self.kind.as_str(),
                Self::rank(&self.candidate_no)
            ),
        )
    }

    /// The list rows of the candidate as it is, beside itself (the list by
    /// kind): by status and by name.
    pub fn rows(&self, school: &Tenant) -> [Key; 2] {
        [
            self.status_row(school, self.status),
            self.name_row(school, &self.name),
        ]
    }

    /// Where a list's rows are: one source per shard (and kind).
    pub fn sources(
        school: &Tenant,
        kinds: &[CandidateKind],
        by: ListBy<'_>,
    ) -> Vec<keyset::Source> {
        let mut out = Vec::with_capacity(kinds.len() * usize::from(shard::SHARDS));
        for kind in kinds {
            let k = kind.as_str();
            let (family, prefix) = match by {
                ListBy::Kind => (family::ITEM, format!("{k}#")),
                ListBy::Status(s) => (family::BY_STATUS, format!("{k}#{}#", s.label())),
                ListBy::Name(n) => (family::BY_NAME, format!("{k}#{n}")),
            };
            out.extend(shard::all().map(|s| keyset::Source {
                pk: school.sharded(family, s),
                prefix: prefix.clone(),
            }));
        }
        out
    }

    /// The 考生编号 a list row of `by` stands for (its body ends in the rank).
    pub fn number_of_row(body: &str) -> Option<String> {
        let start = body.len().checked_sub(RANK_LEN)?;
        Self::number_of(body.get(start..)?)
    }

    /// The counter items of a school, one per shard.
    pub fn count_keys(school: &Tenant) -> Vec<Key> {
        shard::all()
            .map(|s| Key::new(school.sharded(family::COUNTS, s), COUNT_SK))
            .collect()
    }

    fn counter_key(&self, school: &Tenant) -> Key {
        Key::new(school.sharded(family::COUNTS, self.shard()), COUNT_SK)
    }

    /// Counter attribute: candidates of a kind.
    pub fn kind_count(kind: CandidateKind) -> String {
        kind.as_str().to_owned()
    }

    /// Counter attribute: candidates of a kind in a status.
    pub fn status_count(kind: CandidateKind, status: InfoStatus) -> String {
        format!("{}#{}", kind.as_str(), status.label())
    }

    /// Counter attribute: candidates added on a day (`d#20261130`).
    pub fn day_count(day: chrono::NaiveDate) -> String {
        format!("d#{}", day.format("%Y%m%d"))
    }

    /// What the candidate adds to its shard's counters (`by` = 1 when it
    /// is created, -1 when it goes).
    pub fn counts(&self, school: &Tenant, by: i64) -> Vec<Count> {
        let key = self.counter_key(school);
        let mut out = vec![
            Count::new(key.clone(), Self::kind_count(self.kind), by),
            Count::new(key.clone(), Self::status_count(self.kind, self.status), by),
        ];
        if let Some(day) = self
            .created_at
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            out.push(Count::new(key, Self::day_count(day), by));
        }
        out
    }

    /// The writes that create the candidate: its guard (op 0), itself and
    /// its list rows, each only if new; and its counts.
    pub fn create(&self, school: &Tenant) -> Result<Group, TableError> {
        let mut ops = vec![
            TxOp::Put {
                item: self.guard_item(school)?,
                condition: Some(Condition::NotExists),
            },
            TxOp::Put {
                item: self.to_item(school)?,
                condition: Some(Condition::NotExists),
            },
        ];
        for key in self.rows(school) {
            ops.push(TxOp::Put {
                item: row_item(key),
                condition: Some(Condition::NotExists),
            });
        }
        Ok(Group {
            ops,
            counts: self.counts(school, 1),
        })
    }

    /// The writes that remove the candidate, still at its version with no
    /// registration (op 0), with its guard and list rows; and its counts.
    pub fn remove(&self, school: &Tenant) -> Group {
        let mut ops = vec![TxOp::Delete {
            key: self.item_key(school),
            condition: Some(Condition::And(vec![
                Condition::VersionIs(self.version),
                Condition::attr_equals("registrations", 0),
            ])),
        }];
        let guard = Self::guard_key(school, self.id_type, &self.id_number);
        for key in std::iter::once(guard).chain(self.rows(school)) {
            ops.push(TxOp::Delete {
                key,
                condition: None,
            });
        }
        Group {
            ops,
            counts: self.counts(school, -1),
        }
    }

    /// The writes that put `to` in the place of `self`, only while it is
    /// still as read (version and registrations): itself (op 0), the guard
    /// moved when the document changed (its put is op 2), the list rows
    /// moved when the name or status changed, and the counts.
    pub fn replace(&self, school: &Tenant, to: &Candidate) -> Result<Group, TableError> {
        let mut ops = vec![TxOp::Put {
            item: to.to_item(school)?,
            condition: Some(self.as_written()),
        }];
        if (to.id_type, &to.id_number) != (self.id_type, &self.id_number) {
            ops.push(TxOp::Delete {
                key: Self::guard_key(school, self.id_type, &self.id_number),
                condition: None,
            });
            ops.push(TxOp::Put {
                item: to.guard_item(school)?,
                condition: Some(Condition::NotExists),
            });
        }
        Ok(Group {
            counts: self.moved_rows(school, to, &mut ops),
            ops,
        })
    }

    /// A change of status (photo, identity check, 人工确认): the update,
    /// only while the candidate is as read, and its status row and counts
    /// moved with it.
    pub fn change_status(&self, school: &Tenant, to: InfoStatus, update: Update) -> Group {
        let mut ops = vec![TxOp::Update {
            key: self.item_key(school),
            update: update.set("status", to.label()).bump_version(),
            condition: Some(self.as_read()),
        }];
        let mut after = self.clone();
        after.status = to;
        let counts = self.moved_rows(school, &after, &mut ops);
        Group { ops, counts }
    }

    /// Moves the rows whose keys differ between `self` and `to` (name,
    /// status); answers the counts that move with the status.
    fn moved_rows(&self, school: &Tenant, to: &Candidate, ops: &mut Vec<TxOp>) -> Vec<Count> {
        for (old, new) in self.rows(school).into_iter().zip(to.rows(school)) {
            if old != new {
                ops.push(TxOp::Delete {
                    key: old,
                    condition: None,
                });
                ops.push(TxOp::Put {
                    item: row_item(new),
                    condition: None,
                });
            }
        }
        if self.status == to.status {
            return Vec::new();
        }
        let key = self.counter_key(school);
        vec![
            Count::new(key.clone(), Self::status_count(self.kind, self.status), -1),
            Count::new(key, Self::status_count(to.kind, to.status), 1),
        ]
    }

    /// STATE_CONFLICT unless the candidate is `status`, the one state in
    /// which it may be `action`ed (`只有“信息待认证”的考生可以认证，当前为“…”`).
    pub fn require_status(&self, status: InfoStatus, action: &str) -> Result<(), DomainError> {
        if self.status == status {
            return Ok(());
        }
        Err(DomainError::conflict(
            "STATE_CONFLICT",
            format!(
                "只有“{}”的考生可以{action}，当前为“{}”",
                status.label(),
                self.status.label()
            ),
        ))
    }

    /// A write's condition: the candidate still at the version and in the
    /// state it was read in.
    pub fn as_read(&self) -> Condition {
        Condition::And(vec![
            Condition::VersionIs(self.version),
            Condition::attr_equals("status", self.status.label()),
        ])
    }

    /// A whole-record write's condition: as read, registrations included
    /// (they change without the version).
    fn as_written(&self) -> Condition {
        Condition::And(vec![
            Condition::VersionIs(self.version),
            Condition::attr_equals("registrations", self.registrations),
        ])
    }

    /// What a registration raises: the candidate's [`Self::COUNT`]
    /// attribute (ADD, on condition [`Self::countable`]).
    pub fn count_key(school: &Tenant, kind: CandidateKind, candidate_no: &str) -> Key {
        Self::key(school, kind, candidate_no)
    }

    /// The attribute holding 已报考数.
    pub const COUNT: &str = "registrations";

    /// The condition a registration's ADD to `registrations` needs.
    pub fn countable() -> Condition {
        Condition::Exists
    }

    fn guard_ref<'a>(&'a self, import_id: Option<&'a str>) -> GuardRef<'a> {
        GuardRef {
            candidate_no: &self.candidate_no,
            import_id,
        }
    }

    pub fn guard_item(&self, school: &Tenant) -> Result<Item, TableError> {
        to_item(
            &Self::guard_key(school, self.id_type, &self.id_number),
            &self.guard_ref(None),
        )
    }

    /// The candidate with its (证件类型, 证件号码) guard and list rows, to
    /// insert together (`insert_guarded`) with its counts; `import_id`
    /// names the import that writes them.
    pub fn guarded(&self, school: &Tenant, import_id: Option<&str>) -> Result<Guarded, TableError> {
        let guard = EncodedItem::new(
            Self::guard_key(school, self.id_type, &self.id_number),
            &self.guard_ref(import_id),
        )?;
        let mut items = vec![EncodedItem::new(self.item_key(school), self)?];
        for key in self.rows(school) {
            items.push(EncodedItem::new(key, &serde_json::Map::new())?);
        }
        let mut g = Guarded::new(guard, items);
        g.counts = self.counts(school, 1);
        Ok(g)
    }

    /// Every key the candidate's creation wrote (guard, item, rows).
    pub fn created_keys(&self, school: &Tenant) -> Vec<Key> {
        let mut keys = vec![
            Self::guard_key(school, self.id_type, &self.id_number),
            self.item_key(school),
        ];
        keys.extend(self.rows(school));
        keys
    }
}

/// A list row: its key only (the 考生编号 is in it).
fn row_item(key: Key) -> Item {
    let mut item = Item::new();
    item.insert(vslc_ports::table::PK.into(), key.pk.into());
    item.insert(vslc_ports::table::SK.into(), key.sk.into());
    item
}

/// A guard as written: whose number, and which import wrote it (if one did).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GuardRef<'a> {
    candidate_no: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    import_id: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_newest_first_and_turn_back_into_numbers() {
        let older = "51332120211635871875143006";
        let newer = "11010120241635871876000001";
        let (a, b) = (Candidate::rank(older), Candidate::rank(newer));
        assert!(b < a, "the later second ranks first");
        assert_eq!(a.len(), RANK_LEN);
        assert_eq!(Candidate::number_of(&a).as_deref(), Some(older));
        assert_eq!(Candidate::number_of(&b).as_deref(), Some(newer));
        let same_second = "11010120241635871876000002";
        assert!(Candidate::rank(same_second) < b, "then the later sequence");
        assert_eq!(
            Candidate::number_of_row(&format!("张三#{a}")).as_deref(),
            Some(older)
        );
        assert_eq!(Candidate::number_of("12"), None);
        assert_eq!(
            Candidate::number_of(&Candidate::rank("X1")).as_deref(),
            Some("X1")
        );
    }
}
