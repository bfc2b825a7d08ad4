//! The stored 操作日志 entry and its keys.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_ports::table::Key;
use vslc_ports::{role::Role, tenant::Tenant};

/// 操作类型, as RuoYi's 操作日志 groups operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum AuditKind {
    #[serde(rename = "登录")]
    Login,
    /// A detail view showing a full ID number or phone.
    #[serde(rename = "查看")]
    View,
    #[serde(rename = "导出")]
    Export,
    /// A link to personal data handed out (photo, failed rows).
    #[serde(rename = "下载")]
    Download,
    #[serde(rename = "导入")]
    Import,
    #[serde(rename = "新增")]
    Create,
    #[serde(rename = "修改")]
    Update,
    #[serde(rename = "删除")]
    Delete,
    /// Roles given or changed.
    #[serde(rename = "授权")]
    Grant,
    /// Any other change of state (提交, 审核, 撤回, …).
    #[serde(rename = "其他")]
    Other,
}

impl AuditKind {
    pub const ALL: [AuditKind; 10] = [
        AuditKind::Login,
        AuditKind::View,
        AuditKind::Export,
        AuditKind::Download,
        AuditKind::Import,
        AuditKind::Create,
        AuditKind::Update,
        AuditKind::Delete,
        AuditKind::Grant,
        AuditKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AuditKind::Login => "登录",
            AuditKind::View => "查看",
            AuditKind::Export => "导出",
            AuditKind::Download => "下载",
            AuditKind::Import => "导入",
            AuditKind::Create => "新增",
            AuditKind::Update => "修改",
            AuditKind::Delete => "删除",
            AuditKind::Grant => "授权",
            AuditKind::Other => "其他",
        }
    }
}

/// 操作状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Outcome {
    #[serde(rename = "成功")]
    Success,
    #[serde(rename = "失败")]
    Failure,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "成功",
            Outcome::Failure => "失败",
        }
    }
}

/// One 操作日志 entry. Written once (conditional on its key being new) and
/// never changed; the table's TTL removes it at `expiresAt`. Personal data
/// appears only masked (`513*****0013`, `185****0926`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// 日志编号: a ULID, so ids sort by time.
    pub id: String,
    /// 操作时间 (China time, `YYYY-MM-DD HH:MM:SS`).
    pub at: String,
    /// The tenant the entry belongs to; none for failed logins of accounts
    /// that do not exist (kept in a partition no tenant reads).
    pub tenant: Option<Tenant>,
    pub user_id: Option<String>,
    /// 登录账号 (as typed, for failed logins).
    pub account: String,
    /// 操作人员.
    pub user_name: String,
    /// The user's roles at the time.
    pub roles: Vec<Role>,
    /// 系统模块 (the area: 考生管理, 用户管理, …).
    pub module: String,
    /// 操作类型.
    pub kind: AuditKind,
    /// Stable code of the operation (`candidate.view`, `auth.login_failed`,
    /// `weekly-reports.submit`).
    pub action: String,
    /// 操作内容 (查看考生, 重置密码, 提交周报, …).
    pub label: String,
    /// 操作对象: what kind of record (`candidate`, `user`, …).
    pub target_kind: Option<String>,
    /// 操作对象: which record.
    pub target_id: Option<String>,
    /// 操作对象: a short, masked description of it.
    pub target_label: Option<String>,
    /// The request: method and route template (`POST /api/sites/{id}/submit`).
    pub method: Option<String>,
    pub route: Option<String>,
    /// 客户端地址.
    pub client_addr: String,
    /// 操作状态.
    pub outcome: Outcome,
    /// Why it failed, rows exported, roles before and after, ….
    pub detail: Option<String>,
    /// `x-request-id` of the request, to find its log lines.
    pub request_id: Option<String>,
    /// When the table's TTL removes the entry (Unix seconds).
    pub expires_at: i64,
}

/// The partition of failed logins to accounts that do not exist.
pub const PLATFORM_PARTITION: &str = "PLATFORM#AUDIT";
/// Sort-key prefix of entries.
pub const SK_PREFIX: &str = "AUDIT#";

impl AuditEntry {
    /// A tenant's entries: their own partition, led by the tenant.
    pub fn partition(tenant: Option<&Tenant>) -> String {
        match tenant {
            Some(t) => format!("{}#AUDIT", t.pk()),
            None => PLATFORM_PARTITION.to_owned(),
        }
    }

    pub fn sort_key(id: &str) -> String {
        format!("{SK_PREFIX}{id}")
    }

    pub fn key(&self) -> Key {
        Key::new(
            Self::partition(self.tenant.as_ref()),
            Self::sort_key(&self.id),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vslc_ports::tenant::TenantKind;

    #[test]
    fn keys_put_the_tenant_first() {
        let t = Tenant::new(TenantKind::School, "10009");
        assert_eq!(AuditEntry::partition(Some(&t)), "T#school#10009#AUDIT");
        assert_eq!(AuditEntry::partition(None), "PLATFORM#AUDIT");
        assert_eq!(AuditEntry::sort_key("01J"), "AUDIT#01J");
        assert_eq!(
            serde_json::to_value(AuditKind::Export).unwrap(),
            serde_json::json!("导出")
        );
        for k in AuditKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.label());
        }
    }
}
