//! Accounts (用户): stored under their globally unique account name.

use serde::{Deserialize, Serialize};

use super::tenant::Tenant;
use crate::ports::table::{Index, Item, Key, TableError, to_item};

/// 用户状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    #[serde(rename = "启用")]
    Active,
    #[serde(rename = "停用")]
    Disabled,
}

/// 用户: one login of one tenant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub account: String,
    pub name: String,
    pub tenant: Tenant,
    /// The tenant's display name (school, organisation or province).
    pub tenant_name: String,
    pub roles: Vec<String>,
    pub status: UserStatus,
    pub password_hash: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub version: u64,
}

impl User {
    pub fn key(account: &str) -> Key {
        Key::new(format!("ACCOUNT#{account}"), "USER")
    }

    /// The item, indexed under its tenant (GSI1) for the tenant's user list.
    pub fn to_item(&self) -> Result<Item, TableError> {
        let mut item = to_item(&Self::key(&self.account), self)?;
        item.insert(Index::Gsi1.pk_attr().into(), self.tenant.pk().into());
        item.insert(
            Index::Gsi1.sk_attr().into(),
            format!("USER#{}", self.account).into(),
        );
        Ok(item)
    }
}
