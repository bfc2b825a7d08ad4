//! The stored site.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::certificate::Level;
use vslc_ports::table::{Index, Item, Key, TableError, to_indexed_item};
use vslc_ports::tenant::org_index;

/// 考核站点状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum SiteStatus {
    #[serde(rename = "未提交")]
    Draft,
    #[serde(rename = "待审核")]
    Pending,
    #[serde(rename = "审核通过")]
    Approved,
    #[serde(rename = "审核退回")]
    Returned,
}

impl SiteStatus {
    pub fn label(self) -> &'static str {
        match self {
            SiteStatus::Draft => "未提交",
            SiteStatus::Pending => "待审核",
            SiteStatus::Approved => "审核通过",
            SiteStatus::Returned => "审核退回",
        }
    }
}

/// One 考核站点建设标准 and whether the site meets it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StandardCheck {
    pub standard_id: String,
    pub standard_name: String,
    /// 是否满足.
    pub met: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// `<学校代码>-<ULID>`: the school is part of the id, so the org side
    /// finds the record from the id alone.
    pub id: String,
    pub school_id: String,
    pub school_name: String,
    pub org_id: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    /// 考核站点名称: 学校名称+证书名称+证书等级+考核站点, generated.
    pub name: String,
    /// 站点地址.
    pub address: String,
    /// 联系人.
    pub contact: String,
    /// 联系电话.
    pub phone: String,
    /// 可容纳考生数 (工位/座位).
    pub capacity: u32,
    /// 设备设施与考核条件.
    pub equipment: String,
    /// The org's 考核站点建设标准, answered.
    #[serde(default)]
    pub standards: Vec<StandardCheck>,
    pub status: SiteStatus,
    /// 退回原因.
    #[serde(default)]
    pub review_reason: Option<String>,
    #[serde(default)]
    pub submitted_at: Option<String>,
    #[serde(default)]
    pub reviewed_at: Option<String>,
    #[serde(default)]
    pub reviewed_by: Option<String>,
    pub created_at: String,
    pub version: u64,
}

impl Site {
    pub fn school(&self) -> Tenant {
        Tenant::new(TenantKind::School, &self.school_id)
    }

    pub fn key(school: &Tenant, id: &str) -> Key {
        Key::new(school.pk(), format!("SITE#{id}"))
    }

    /// The guard of (certificate, level) within the school.
    pub fn guard_key(school: &Tenant, certificate_id: &str, level: Level) -> Key {
        Key::new(
            school.pk(),
            format!("SITEKEY#{certificate_id}#{}", level.label()),
        )
    }

    /// The school an id names (the part before the first `-`).
    pub fn school_of_id(id: &str) -> Option<Tenant> {
        let (school, rest) = id.split_once('-')?;
        (!school.is_empty() && !rest.is_empty()).then(|| Tenant::new(TenantKind::School, school))
    }

    /// The org's index of the sites of its certificates.
    pub fn org_index(org_id: &str) -> String {
        org_index(org_id, "SITES")
    }

    pub fn generated_name(school: &str, certificate: &str, level: Level) -> String {
        format!("{school}{certificate}({})考核站点", level.label())
    }

    /// The stored item, on the org's index (the org lists the sites of its
    /// certificates).
    pub fn to_item(&self) -> Result<Item, TableError> {
        let on = Key::new(
            Self::org_index(&self.org_id),
            format!("{}#{}", self.created_at, self.id),
        );
        to_indexed_item(&Self::key(&self.school(), &self.id), self, Index::Gsi1, on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_their_school_and_names_are_generated() {
        assert_eq!(Site::school_of_id("10009-01ABC").unwrap().id, "10009");
        assert!(Site::school_of_id("01ABC").is_none());
        assert!(Site::school_of_id("-01ABC").is_none());
        assert_eq!(
            Site::generated_name("北方工业大学", "Web前端开发职业技能等级证书", Level::Junior),
            "北方工业大学Web前端开发职业技能等级证书(初级)考核站点"
        );
        let edit = crate::review::EDIT;
        assert!(edit.allows(SiteStatus::Returned) && !edit.allows(SiteStatus::Pending));
    }
}
