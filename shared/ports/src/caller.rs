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
    /// 监考员: the invigilator (监考人员 id) this login is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invigilator_id: Option<String>,
}

/// What a 监考员 login is told of any page but its own.
pub const INVIGILATOR_ONLY: &str = "监考员账号只能使用考场签到";

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
    /// A 监考员 login and nothing more: it may only sign candidates in.
    pub fn invigilator_only(&self) -> bool {
        !self.roles.is_empty() && self.roles.iter().all(|r| *r == Role::Invigilator)
    }

    /// A 监考员: its school and its invigilator's id.
    pub fn invigilator(&self) -> Result<(&Tenant, &str), Denied> {
        match (
            &self.invigilator_id,
            self.roles.contains(&Role::Invigilator),
        ) {
            (Some(id), true) if self.tenant.kind == TenantKind::School => Ok((&self.tenant, id)),
            _ => Err(Denied::new("仅监考员账号可以进行考场签到")),
        }
    }

    /// Denied unless the caller's tenant is of this kind (never for a
    /// 监考员 login, which sees only its own rooms).
    pub fn require_kind(&self, kind: TenantKind) -> Result<&Tenant, Denied> {
        if self.invigilator_only() {
            return Err(Denied::new(INVIGILATOR_ONLY));
        }
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
