//! The caller (调用者): who is acting — the user, their tenant, roles and
//! certificate scope — as every domain function receives it. The accounts
//! area resolves a caller from a session token at the edge; below the edge
//! nothing knows about tokens or HTTP.

use serde::{Deserialize, Serialize};

use crate::role::Role;
use crate::tenant::{Tenant, TenantKind};

/// Who is acting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Caller {
    pub user_id: String,
    pub account: String,
    pub name: String,
    pub tenant: Tenant,
    pub tenant_name: String,
    pub roles: Vec<Role>,
    /// 证书负责人: the certificates this user may see and act on.
    #[serde(default)]
    pub cert_lead: bool,
    #[serde(default)]
    pub certificates: Vec<String>,
}

/// The caller may not do this; the message says why (403 at the edge).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

impl Denied {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl Caller {
    /// Denied unless the caller's tenant is of this kind.
    pub fn require_kind(&self, kind: TenantKind) -> Result<&Tenant, Denied> {
        if self.tenant.kind == kind {
            Ok(&self.tenant)
        } else {
            Err(Denied(format!("该功能仅供{}使用", kind.label())))
        }
    }

    /// A province caller with the 省级管理员 role (plans, final reviews,
    /// reporting cycle).
    pub fn province_admin(&self) -> Result<&Tenant, Denied> {
        self.province_with(Role::ProvinceAdmin, "仅省级管理员可以进行此操作")
    }

    /// A province caller with the 市级审核员 role (地市级教育局审批).
    pub fn city_reviewer(&self) -> Result<&Tenant, Denied> {
        self.province_with(Role::CityReviewer, "仅市级审核员可以进行市级审核")
    }

    /// A province caller with `role`; `denied` says why anyone else is not.
    fn province_with(&self, role: Role, denied: &str) -> Result<&Tenant, Denied> {
        let tenant = self.require_kind(TenantKind::Province)?;
        if self.roles.contains(&role) {
            Ok(tenant)
        } else {
            Err(Denied::new(denied))
        }
    }

    /// A school caller that may read exam affairs (every school role).
    pub fn school_reader(&self) -> Result<&Tenant, Denied> {
        self.require_kind(TenantKind::School)
    }

    /// A school caller that may change exam affairs (考务): 院校管理员,
    /// 考务管理员 or 证书负责人 — not 统计查看.
    pub fn school_exam_writer(&self) -> Result<&Tenant, Denied> {
        let tenant = self.require_kind(TenantKind::School)?;
        if self
            .roles
            .iter()
            .any(|r| matches!(r, Role::SchoolAdmin | Role::ExamAdmin | Role::CertLead))
        {
            Ok(tenant)
        } else {
            Err(Denied::new("当前角色只能查看，不能修改考务数据"))
        }
    }

    /// Denied unless the caller holds an administrator role.
    pub fn require_admin(&self) -> Result<&Tenant, Denied> {
        if self.roles.iter().any(|r| r.is_admin()) {
            Ok(&self.tenant)
        } else {
            Err(Denied::new("仅本单位管理员可以进行此操作"))
        }
    }
}
