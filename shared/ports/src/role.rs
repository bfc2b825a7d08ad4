//! Built-in roles (角色). A school has 院校管理员 plus 二级账户 with one of
//! the others; organisations and provinces have an administrator each.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::tenant::TenantKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Role {
    /// Everything of the school, user management included.
    #[serde(rename = "院校管理员")]
    SchoolAdmin,
    /// 考务: candidates, sites, rooms, registration, payment, scheduling, scores.
    #[serde(rename = "考务管理员")]
    ExamAdmin,
    /// 考务 limited to the certificates it is responsible for.
    #[serde(rename = "证书负责人")]
    CertLead,
    /// Read-only, statistics included.
    #[serde(rename = "统计查看")]
    StatsViewer,
    /// 监考员: one certified invigilator's login, for signing candidates in
    /// at the door of the rooms they invigilate, and nothing else.
    #[serde(rename = "监考员")]
    Invigilator,
    #[serde(rename = "培训评价组织管理员")]
    OrgAdmin,
    #[serde(rename = "省级管理员")]
    ProvinceAdmin,
    /// 地市级教育局审批 of pilot declarations, under the province tenant.
    #[serde(rename = "市级审核员")]
    CityReviewer,
}

/// A role as `GET /api/users/roles` lists it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleInfo {
    pub name: Role,
    pub description: &'static str,
    /// Whether a new sub-account may be given this role.
    pub assignable: bool,
}

impl Role {
    pub fn tenant_kind(self) -> TenantKind {
        match self {
            Role::SchoolAdmin
            | Role::ExamAdmin
            | Role::CertLead
            | Role::StatsViewer
            | Role::Invigilator => TenantKind::School,
            Role::OrgAdmin => TenantKind::Org,
            Role::ProvinceAdmin | Role::CityReviewer => TenantKind::Province,
        }
    }

    /// Manages the tenant's accounts.
    pub fn is_admin(self) -> bool {
        matches!(
            self,
            Role::SchoolAdmin | Role::OrgAdmin | Role::ProvinceAdmin
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::SchoolAdmin => "院校管理员",
            Role::ExamAdmin => "考务管理员",
            Role::CertLead => "证书负责人",
            Role::StatsViewer => "统计查看",
            Role::Invigilator => "监考员",
            Role::OrgAdmin => "培训评价组织管理员",
            Role::ProvinceAdmin => "省级管理员",
            Role::CityReviewer => "市级审核员",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Role::SchoolAdmin => "本院校全部功能，含用户管理",
            Role::ExamAdmin => "考务管理：考生、考核站点、考场、报考、缴费、排考、成绩",
            Role::CertLead => "考务管理，仅限其负责的证书",
            Role::StatsViewer => "只读查看与统计分析",
            Role::Invigilator => {
                "考场签到：本人监考的考场，扫码或输入准考证号为考生签到（在监考人员中开通）"
            }
            Role::OrgAdmin => "培训评价组织全部功能",
            Role::ProvinceAdmin => "省级教育行政部门全部功能",
            Role::CityReviewer => "地市级教育局审批：证书试点申报的市级审核",
        }
    }

    /// The roles of a tenant kind, admin first.
    pub fn of(kind: TenantKind) -> Vec<RoleInfo> {
        [
            Role::SchoolAdmin,
            Role::ExamAdmin,
            Role::CertLead,
            Role::StatsViewer,
            Role::Invigilator,
            Role::OrgAdmin,
            Role::ProvinceAdmin,
            Role::CityReviewer,
        ]
        .into_iter()
        .filter(|r| r.tenant_kind() == kind)
        .map(|r| RoleInfo {
            name: r,
            description: r.description(),
            // Schools have one administrator; org and province accounts
            // are all admins; 监考员 logins are opened from 监考人员.
            assignable: !matches!(r, Role::SchoolAdmin | Role::Invigilator),
        })
        .collect()
    }
}
