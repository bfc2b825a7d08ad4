//! The closed value sets of exam setup, with the manual's Chinese names.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::TenantKind;
use vslc_ports::table::{Key, Query, TableExt, Update};
use vslc_ports::{AppState, Caller, DomainError};

/// 考试方式: decides the 考场类型 a subject needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum ExamMethod {
    #[serde(rename = "笔试")]
    Written,
    #[serde(rename = "机考")]
    Computer,
    #[serde(rename = "实操")]
    Practical,
    #[serde(rename = "面试")]
    Interview,
}

impl ExamMethod {
    pub const ALL: [ExamMethod; 4] = [
        ExamMethod::Written,
        ExamMethod::Computer,
        ExamMethod::Practical,
        ExamMethod::Interview,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ExamMethod::Written => "笔试",
            ExamMethod::Computer => "机考",
            ExamMethod::Practical => "实操",
            ExamMethod::Interview => "面试",
        }
    }

    pub fn room_type(self) -> RoomType {
        match self {
            ExamMethod::Written => RoomType::Written,
            ExamMethod::Computer => RoomType::Computer,
            ExamMethod::Practical => RoomType::Practical,
            ExamMethod::Interview => RoomType::Interview,
        }
    }
}

/// 考场类型, derived from the subjects' 考试方式 (never typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum RoomType {
    #[serde(rename = "笔试考场")]
    Written,
    #[serde(rename = "机考考场")]
    Computer,
    #[serde(rename = "实操考场")]
    Practical,
    #[serde(rename = "面试考场")]
    Interview,
}

impl RoomType {
    pub fn label(self) -> &'static str {
        match self {
            RoomType::Written => "笔试考场",
            RoomType::Computer => "机考考场",
            RoomType::Practical => "实操考场",
            RoomType::Interview => "面试考场",
        }
    }
}

/// 参考对象: who sits a subject. Anything but 所有考生 makes registration
/// ask for the candidate's 参考对象 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Audience {
    #[serde(rename = "所有考生")]
    All,
    #[serde(rename = "院校考生")]
    School,
    #[serde(rename = "社会考生")]
    Social,
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::All => "所有考生",
            Audience::School => "院校考生",
            Audience::Social => "社会考生",
        }
    }
}

/// 发布状态 of subjects and plans: a draft is the org's own; published is
/// read-only and visible to schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum PublishStatus {
    #[serde(rename = "未发布")]
    Draft,
    #[serde(rename = "已发布")]
    Published,
}

impl PublishStatus {
    pub fn label(self) -> &'static str {
        match self {
            PublishStatus::Draft => "未发布",
            PublishStatus::Published => "已发布",
        }
    }
}

/// What an org drafts, then publishes (考试科目, 考试计划): another org's
/// looks missing, and only a draft may be changed or deleted. All of one
/// kind are stored in one partition, keyed by id.
pub trait Draft {
    /// The partition they are stored in.
    const PK: &'static str;
    /// What a missing one is called (`考试科目`).
    const NOUN: &'static str;
    /// The code and message a published one answers a change with.
    const PUBLISHED: (&'static str, &'static str);
    fn org_id(&self) -> &str;
    fn publish_status(&self) -> PublishStatus;
    fn version(&self) -> u64;
}

/// `impl Draft` for a record with `org_id`, `status` and `version` fields.
macro_rules! impl_draft {
    ($record:ty, pk: $pk:literal, noun: $noun:literal, published: ($code:literal, $message:literal)) => {
        impl $crate::model::Draft for $record {
            const PK: &'static str = $pk;
            const NOUN: &'static str = $noun;
            const PUBLISHED: (&'static str, &'static str) = ($code, $message);
            fn org_id(&self) -> &str {
                &self.org_id
            }
            fn publish_status(&self) -> $crate::model::PublishStatus {
                self.status
            }
            fn version(&self) -> u64 {
                self.version
            }
        }
    };
}
pub(crate) use impl_draft;

/// The key of the one with this id.
pub fn key<T: Draft>(id: &str) -> Key {
    Key::new(T::PK, id)
}

/// All of them, drafts and published, of every org.
pub async fn all<T: Draft + DeserializeOwned + Send>(
    state: &AppState,
) -> Result<Vec<T>, DomainError> {
    Ok(state.table.query_all_as(Query::partition(T::PK)).await?)
}

pub async fn load<T: Draft + DeserializeOwned>(
    state: &AppState,
    id: &str,
) -> Result<Option<T>, DomainError> {
    Ok(state.table.get_as(&key::<T>(id)).await?)
}

/// The calling org's own draft by id (another org's looks missing;
/// published → 409).
pub async fn load_own_draft<T: Draft + DeserializeOwned>(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<T, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    own_draft(&org.id, load(state, id).await?)
}

/// 发布 the draft (still at its version) with `update`'s other changes:
/// it becomes read-only and visible to schools.
pub async fn publish<T: Draft + DeserializeOwned>(
    state: &AppState,
    id: &str,
    draft: &T,
    update: Update,
) -> Result<T, DomainError> {
    let update = update.set("status", PublishStatus::Published.label());
    Ok(state
        .table
        .update_versioned(&key::<T>(id), draft.version(), update)
        .await?)
}

/// `found` when it is the org's own draft; another org's is 404, a
/// published one 409.
pub fn own_draft<T: Draft>(org_id: &str, found: Option<T>) -> Result<T, DomainError> {
    let draft = found
        .filter(|d| d.org_id() == org_id)
        .ok_or_else(|| DomainError::not_found(T::NOUN))?;
    if draft.publish_status() == PublishStatus::Published {
        let (code, message) = T::PUBLISHED;
        return Err(DomainError::conflict(code, message));
    }
    Ok(draft)
}

/// 考试计划状态, derived from the clock and the plan's windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum PlanPhase {
    #[serde(rename = "未发布")]
    Draft,
    #[serde(rename = "未开始")]
    NotStarted,
    #[serde(rename = "报名中")]
    Registration,
    /// 报名 has ended, 排考 has not begun.
    #[serde(rename = "待排考")]
    AwaitingScheduling,
    #[serde(rename = "排考中")]
    Scheduling,
    /// 排考 has ended, the first exam has not begun (the manual's 待考试).
    #[serde(rename = "待考试")]
    AwaitingExam,
    #[serde(rename = "考试中")]
    Examining,
    #[serde(rename = "成绩登记中")]
    ScoreEntry,
    #[serde(rename = "公示中")]
    Publicity,
    #[serde(rename = "已结束")]
    Ended,
}

impl PlanPhase {
    pub fn label(self) -> &'static str {
        match self {
            PlanPhase::Draft => "未发布",
            PlanPhase::NotStarted => "未开始",
            PlanPhase::Registration => "报名中",
            PlanPhase::AwaitingScheduling => "待排考",
            PlanPhase::Scheduling => "排考中",
            PlanPhase::AwaitingExam => "待考试",
            PlanPhase::Examining => "考试中",
            PlanPhase::ScoreEntry => "成绩登记中",
            PlanPhase::Publicity => "公示中",
            PlanPhase::Ended => "已结束",
        }
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;

    struct Thing(&'static str, PublishStatus);

    impl Draft for Thing {
        const PK: &'static str = "THINGS";
        const NOUN: &'static str = "考试科目";
        const PUBLISHED: (&'static str, &'static str) = ("SUBJECT_PUBLISHED", "科目已发布");
        fn org_id(&self) -> &str {
            self.0
        }
        fn publish_status(&self) -> PublishStatus {
            self.1
        }
        fn version(&self) -> u64 {
            1
        }
    }

    #[test]
    fn only_the_orgs_own_draft_is_changed() {
        assert!(own_draft("o1", Some(Thing("o1", PublishStatus::Draft))).is_ok());
        let code = |r: Result<Thing, DomainError>| r.err().map(|e| e.code());
        assert_eq!(code(own_draft("o1", None)), Some("NOT_FOUND"));
        let other = Some(Thing("o2", PublishStatus::Draft));
        assert_eq!(code(own_draft("o1", other)), Some("NOT_FOUND"));
        let published = Some(Thing("o1", PublishStatus::Published));
        assert_eq!(code(own_draft("o1", published)), Some("SUBJECT_PUBLISHED"));
    }
}
