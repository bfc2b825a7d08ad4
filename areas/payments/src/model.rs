//! The stored 缴费申请单.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::{Tenant, TenantKind};
use vslc_exam::plans::RegistrationMode;
use vslc_ports::table::{Index, Item, Key, TableError, to_indexed_item};
use vslc_ports::tenant::org_index;

/// 缴费状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum OrderStatus {
    #[serde(rename = "未确认")]
    Unconfirmed,
    #[serde(rename = "已确认")]
    Confirmed,
    /// 删除 leaves a tombstone: the number is never reused, and claims that
    /// still name the order free their registrations.
    #[serde(rename = "已删除")]
    Deleted,
}

impl OrderStatus {
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Unconfirmed => "未确认",
            OrderStatus::Confirmed => "已确认",
            OrderStatus::Deleted => "已删除",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// 缴费单号: `JF<日期>-<学校代码>-<序号>`, unique and never reused.
    pub no: String,
    pub school_id: String,
    pub school_name: String,
    pub org_id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub mode: RegistrationMode,
    pub certificate_id: String,
    pub certificate_name: String,
    /// 报考人次 and 总费用 (分) of its registrations.
    pub count: u64,
    pub total_cents: u64,
    /// 报考人次 by subject (by certificate level for registrations made
    /// before their subjects were recorded): what confirming adds to the
    /// paid counters.
    #[serde(default)]
    pub parts: std::collections::BTreeMap<String, u64>,
    pub status: OrderStatus,
    pub created_at: String,
    pub created_by: String,
    #[serde(default)]
    pub confirmed_at: Option<String>,
    #[serde(default)]
    pub confirmed_by: Option<String>,
    pub version: u64,
}

impl Order {
    pub fn school(&self) -> Tenant {
        Tenant::new(TenantKind::School, &self.school_id)
    }

    /// The sort-key prefix of a school's orders.
    pub const SK_PREFIX: &'static str = "ORDER#";

    pub fn key(school: &Tenant, no: &str) -> Key {
        Key::new(school.pk(), format!("{}{no}", Self::SK_PREFIX))
    }

    /// The school a number names (`JF20261128-10009-000001`).
    pub fn school_of(no: &str) -> Option<Tenant> {
        let mut parts = no.split('-');
        let (head, school, seq) = (parts.next()?, parts.next()?, parts.next()?);
        (head.starts_with("JF") && !school.is_empty() && !seq.is_empty() && parts.next().is_none())
            .then(|| Tenant::new(TenantKind::School, school))
    }

    /// The org's index of the orders for its certificates.
    pub fn org_index(org_id: &str) -> String {
        org_index(org_id, "ORDERS")
    }

    pub fn number(date: &str, school_id: &str, seq: u64) -> String {
        format!("JF{date}-{school_id}-{seq:06}")
    }

    /// The stored item, on the org's index.
    pub fn to_item(&self) -> Result<Item, TableError> {
        let on = Key::new(
            Self::org_index(&self.org_id),
            format!("{}#{}", self.created_at, self.no),
        );
        to_indexed_item(&Self::key(&self.school(), &self.no), self, Index::Gsi1, on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_their_school() {
        let no = Order::number("20261128", "10009", 42);
        assert_eq!(no, "JF20261128-10009-000042");
        assert_eq!(Order::school_of(&no).unwrap().id, "10009");
        assert!(Order::school_of("JF20261128-10009").is_none());
        assert!(Order::school_of("XX-1-2").is_none());
    }
}
