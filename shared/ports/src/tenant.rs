//! Tenants: who owns a record. The tenant always comes from the session.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 租户类型: 试点院校 / 培训评价组织 / 省级教育行政部门.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TenantKind {
    School,
    Org,
    Province,
}

impl TenantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantKind::School => "school",
            TenantKind::Org => "org",
            TenantKind::Province => "province",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "school" => Some(TenantKind::School),
            "org" => Some(TenantKind::Org),
            "province" => Some(TenantKind::Province),
            _ => None,
        }
    }
    /// 中文名称.
    pub fn label(self) -> &'static str {
        match self {
            TenantKind::School => "试点院校",
            TenantKind::Org => "培训评价组织",
            TenantKind::Province => "省级教育行政部门",
        }
    }
}

/// A tenant: kind and id (学校代码, organisation id, province code).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Tenant {
    pub kind: TenantKind,
    pub id: String,
}

impl Tenant {
    pub fn new(kind: TenantKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }

    /// The partition every record this tenant owns starts with: isolation is
    /// structural, a tenant's queries can only name its own partitions.
    pub fn pk(&self) -> String {
        format!("T#{}#{}", self.kind.as_str(), self.id)
    }

    /// A key of one of this tenant's collections in an index
    /// (`T#province#11#DECL`): the counterpart views of records other
    /// tenants own.
    pub fn index(&self, collection: &str) -> String {
        format!("{}#{collection}", self.pk())
    }

    /// One shard partition of one of this tenant's high-volume item
    /// families (`T#school#10009#CAND#07`): still under the tenant's own
    /// key, so isolation stays structural (see `vslc_ports::shard`).
    pub fn sharded(&self, family: &str, shard: u8) -> String {
        format!("{}#{family}#{shard:02}", self.pk())
    }

    /// A path segment for object keys (`school/S001`).
    pub fn path(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.id)
    }

    pub fn parse_path(kind: &str, id: &str) -> Option<Self> {
        let ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        Some(Self::new(TenantKind::parse(kind)?, id)).filter(|_| ok)
    }
}

/// An org's view of one collection in an index (`ORG#<id>#SITES`): the
/// sites, pilots and orders of its certificates, which schools own.
pub fn org_index(org_id: &str, collection: &str) -> String {
    format!("ORG#{org_id}#{collection}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_keys_and_paths() {
        let t = Tenant::new(TenantKind::School, "S001");
        assert_eq!(t.pk(), "T#school#S001");
        assert_eq!(t.path(), "school/S001");
        assert_eq!(t.sharded("CAND", 7), "T#school#S001#CAND#07");
        assert_eq!(Tenant::parse_path("school", "S001"), Some(t));
        assert_eq!(Tenant::parse_path("school", "../x"), None);
        assert_eq!(Tenant::parse_path("nobody", "S1"), None);
    }
}
