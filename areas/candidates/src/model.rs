//! 考生: 院校考生 and 社会考生 of a school.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::Tenant;
use vslc_catalogue::certificate::MajorLevel;
use vslc_ports::DomainError;
use vslc_ports::domain::{Gender, IdType};
use vslc_ports::table::{Condition, EncodedItem, Guarded, Item, Key, TableError, to_item};

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
    /// 已报考数: deletion needs 0. Kept in the candidate's counter item
    /// (`count_key`), not in the candidate, so registering rewrites no
    /// candidate; loaders fill it in.
    #[serde(default, skip_serializing)]
    pub registrations: u32,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
}

impl Candidate {
    pub fn key(school: &Tenant, candidate_no: &str) -> Key {
        Key::new(school.pk(), format!("CAND#{candidate_no}"))
    }

    /// Where every (证件类型, 证件号码) guard's sort key starts.
    pub const GUARD_PREFIX: &str = "CANDID#";

    /// The uniqueness guard of (证件类型, 证件号码) within a school.
    pub fn guard_key(school: &Tenant, id_type: IdType, id_number: &str) -> Key {
        Self::guard_key_of(school, &Self::id_key(id_type, id_number))
    }

    /// A person's (证件类型, 证件号码) as one text, `<证件类型>#<证件号码>`:
    /// what follows [`Self::GUARD_PREFIX`] in the guard's sort key.
    pub fn id_key(id_type: IdType, id_number: &str) -> String {
        format!("{}#{id_number}", id_type.label())
    }

    /// The guard of the person whose [`Self::id_key`] this is.
    pub fn guard_key_of(school: &Tenant, id_key: &str) -> Key {
        Key::new(school.pk(), format!("{}{id_key}", Self::GUARD_PREFIX))
    }

    pub fn to_item(&self, school: &Tenant) -> Result<Item, TableError> {
        to_item(&Self::key(school, &self.candidate_no), self)
    }

    /// The counter of its registrations: made by the first registration,
    /// left as a tombstone (`deleted`) when the candidate goes, so a
    /// registration racing the delete fails its condition instead of
    /// counting for nobody.
    pub fn count_key(school: &Tenant, candidate_no: &str) -> Key {
        Key::new(school.pk(), format!("CANDREG#{candidate_no}"))
    }

    /// The condition a registration's +1 needs: the candidate not deleted.
    pub fn countable() -> Condition {
        Condition::Or(vec![
            Condition::NotExists,
            Condition::attr_equals("deleted", false),
        ])
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

    /// The candidate with its (证件类型, 证件号码) guard, to insert together
    /// (`insert_guarded`); `import_id` names the import that writes them.
    pub fn guarded(&self, school: &Tenant, import_id: Option<&str>) -> Result<Guarded, TableError> {
        let guard = EncodedItem::new(
            Self::guard_key(school, self.id_type, &self.id_number),
            &self.guard_ref(import_id),
        )?;
        let item = EncodedItem::new(Self::key(school, &self.candidate_no), self)?;
        Ok(Guarded::new(guard, vec![item]))
    }
}

/// A guard as written: whose number, and which import wrote it (if one did).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GuardRef<'a> {
    candidate_no: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    import_id: Option<&'a str>,
}

/// A candidate's registration counter.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegCount {
    #[serde(default)]
    pub count: i64,
    #[serde(default)]
    pub deleted: bool,
}

/// A counter as read back with its key (the candidate is its last part).
#[derive(Debug, Clone, Deserialize)]
pub struct RegCountRow {
    pub sk: String,
    #[serde(default)]
    pub count: i64,
}
