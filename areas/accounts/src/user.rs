//! 用户: one login of one tenant. The record lives in the tenant's partition
//! (`USER#<id>`); a guard item `ACCOUNT#<account>` keeps account names unique
//! across the platform and finds the user at login.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_ports::domain::Phone;
use vslc_ports::role::Role;
use vslc_ports::table::{Item, Key, Table, TableError, TableExt, to_item};
use vslc_ports::tenant::Tenant;

/// 用户状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum UserStatus {
    #[serde(rename = "启用")]
    Active,
    #[serde(rename = "停用")]
    Disabled,
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Active => "启用",
            UserStatus::Disabled => "停用",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub account: String,
    pub name: String,
    pub tenant: Tenant,
    /// The tenant's display name (school, organisation or province).
    pub tenant_name: String,
    pub role: Role,
    /// 证书负责人: limited to `certificates`.
    #[serde(default)]
    pub cert_lead: bool,
    #[serde(default)]
    pub certificates: Vec<String>,
    #[serde(default)]
    pub phone: Option<Phone>,
    /// 监考员: the invigilator this login signs candidates in for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invigilator_id: Option<String>,
    pub status: UserStatus,
    pub password_hash: String,
    /// Sessions carry the epoch they were issued in; bumping it (stop,
    /// password reset or change) ends every session at once.
    #[serde(default)]
    pub session_epoch: u64,
    /// The tenant's first administrator, created with the tenant.
    #[serde(default)]
    pub builtin: bool,
    #[serde(default)]
    pub created_at: String,
    pub version: u64,
}

/// The account guard: unique name → user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountGuard {
    pub user_id: String,
    pub tenant: Tenant,
}

impl User {
    pub fn key(tenant: &Tenant, id: &str) -> Key {
        Key::new(tenant.pk(), format!("USER#{id}"))
    }
    pub fn account_key(account: &str) -> Key {
        Key::new(format!("ACCOUNT#{account}"), "ACCOUNT")
    }

    pub fn to_item(&self) -> Result<Item, TableError> {
        to_item(&Self::key(&self.tenant, &self.id), self)
    }

    /// Writes a new user and its account guard in one transaction;
    /// `ConditionFailed`-style cancellation when the account name is taken.
    pub async fn create(&self, table: &dyn Table) -> Result<(), TableError> {
        let guard = AccountGuard {
            user_id: self.id.clone(),
            tenant: self.tenant.clone(),
        };
        table
            .put_guarded(
                to_item(&Self::account_key(&self.account), &guard)?,
                self.to_item()?,
            )
            .await
    }

    pub async fn load(
        table: &dyn Table,
        tenant: &Tenant,
        id: &str,
    ) -> Result<Option<Self>, TableError> {
        table.get_as(&Self::key(tenant, id)).await
    }

    /// The user an account name belongs to (login).
    pub async fn by_account(table: &dyn Table, account: &str) -> Result<Option<Self>, TableError> {
        // No account name holds a control character (a NUL cannot even be
        // a key on the embedded store): such a name is nobody's.
        if account.chars().any(char::is_control) {
            return Ok(None);
        }
        let Some(guard) = table
            .get_as::<AccountGuard>(&Self::account_key(account))
            .await?
        else {
            return Ok(None);
        };
        Self::load(table, &guard.tenant, &guard.user_id).await
    }

    /// Every user of a tenant, in account order.
    pub async fn list(table: &dyn Table, tenant: &Tenant) -> Result<Vec<Self>, TableError> {
        let mut users: Vec<Self> = table
            .query_all_as(vslc_ports::table::Query::partition(tenant.pk()).begins_with("USER#"))
            .await?;
        users.sort_by(|a, b| a.account.cmp(&b.account));
        Ok(users)
    }
}

impl From<&User> for vslc_audit::Actor {
    fn from(u: &User) -> Self {
        Self {
            tenant: Some(u.tenant.clone()),
            user_id: Some(u.id.clone()),
            account: u.account.clone(),
            name: u.name.clone(),
            roles: vec![u.role],
        }
    }
}
