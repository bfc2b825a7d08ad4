//! The stored declaration (证书试点申报).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::certificate::Level;
use vslc_ports::domain::RichText;
use vslc_ports::table::{Index, Item, Key, TableError, to_indexed_item};
use vslc_review::log::ReviewRecord;

/// 审核状态. With 地市级教育局审批 a submitted declaration waits for the
/// city (待市级审核) and then for the province (待初审); without, it goes
/// straight to the province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum DeclarationStatus {
    #[serde(rename = "未提交")]
    Draft,
    #[serde(rename = "待市级审核")]
    CityPending,
    #[serde(rename = "待初审")]
    Pending,
    #[serde(rename = "审核通过")]
    Approved,
    #[serde(rename = "审核退回")]
    Returned,
}

impl DeclarationStatus {
    pub fn label(self) -> &'static str {
        match self {
            DeclarationStatus::Draft => "未提交",
            DeclarationStatus::CityPending => "待市级审核",
            DeclarationStatus::Pending => "待初审",
            DeclarationStatus::Approved => "审核通过",
            DeclarationStatus::Returned => "审核退回",
        }
    }
}

/// One 拟申报专业 line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclaredMajor {
    /// 专业代码.
    pub code: String,
    pub name: String,
    /// 专业版本.
    pub version: String,
    /// 本专业在校学生数.
    pub students: u32,
    /// 本专业专任教师数.
    pub teachers: u32,
    /// 申请培训人数.
    pub applied: u32,
    /// 审核人数 (set by the province on approval).
    #[serde(default)]
    pub approved: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Declaration {
    /// `<学校代码>-<ULID>`.
    pub id: String,
    pub school_id: String,
    pub school_name: String,
    pub province_id: String,
    pub plan_id: String,
    /// 申报年度.
    pub year: i32,
    pub batch: u32,
    /// 第七批.
    pub batch_label: String,
    pub by_major: bool,
    pub city_review: bool,
    pub certificate_id: String,
    pub certificate_name: String,
    /// 证书类别.
    pub category: String,
    pub org_id: String,
    /// 颁证机构.
    pub org_name: String,
    pub level: Level,
    /// 拟申报专业.
    #[serde(default)]
    pub majors: Vec<DeclaredMajor>,
    /// 申请培训总人数: the sum of the lines when majors are named.
    pub applied_total: u32,
    /// 审核总人数.
    #[serde(default)]
    pub approved_total: Option<u32>,
    /// 师资情况.
    pub teachers: String,
    /// 场地情况.
    pub facilities: String,
    /// 申报情况 (sanitised HTML).
    pub description: RichText,
    pub status: DeclarationStatus,
    /// The last 退回原因.
    #[serde(default)]
    pub review_reason: Option<String>,
    /// 审核记录.
    #[serde(default)]
    pub history: Vec<ReviewRecord>,
    pub created_at: String,
    #[serde(default)]
    pub submitted_at: Option<String>,
    pub version: u64,
}

impl Declaration {
    pub fn school(&self) -> Tenant {
        Tenant::new(TenantKind::School, &self.school_id)
    }

    pub fn province(&self) -> Tenant {
        Tenant::new(TenantKind::Province, &self.province_id)
    }

    pub fn key(school: &Tenant, id: &str) -> Key {
        Key::new(school.pk(), format!("DECL#{id}"))
    }

    /// One declaration per (year, certificate, level) within the school.
    pub fn guard_key(school: &Tenant, year: i32, certificate_id: &str, level: Level) -> Key {
        Key::new(
            school.pk(),
            format!("DECLKEY#{year}#{certificate_id}#{}", level.label()),
        )
    }

    /// The school an id names (the part before the first `-`).
    pub fn school_of_id(id: &str) -> Option<Tenant> {
        let (school, rest) = id.split_once('-')?;
        let ok = !school.is_empty()
            && !rest.is_empty()
            && school.chars().all(|c| c.is_ascii_alphanumeric());
        ok.then(|| Tenant::new(TenantKind::School, school))
    }

    pub fn province_index(province_id: &str) -> String {
        Tenant::new(TenantKind::Province, province_id).index("DECL")
    }

    /// The stored item, on its province's index.
    pub fn to_item(&self) -> Result<Item, TableError> {
        let on = Key::new(
            Self::province_index(&self.province_id),
            format!("{}#{}", self.created_at, self.id),
        );
        to_indexed_item(&Self::key(&self.school(), &self.id), self, Index::Gsi1, on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_their_school_and_statuses_follow_the_plan() {
        assert_eq!(
            Declaration::school_of_id("10009-01ABC").unwrap().id,
            "10009"
        );
        assert!(Declaration::school_of_id("01ABC").is_none());
        assert!(Declaration::school_of_id("T#x-1").is_none());
        let submitted = |city_review| crate::review::submit_step(city_review).to;
        assert_eq!(submitted(true), DeclarationStatus::CityPending);
        assert_eq!(submitted(false), DeclarationStatus::Pending);
        let edit = crate::review::EDIT;
        assert!(
            edit.allows(DeclarationStatus::Returned) && !edit.allows(DeclarationStatus::Pending)
        );
    }
}
