//! Demo data for a fresh local store: one organisation, two schools, one
//! province, each with an administrator account.

use crate::accounts::{Tenant, TenantKind, User, UserStatus, password};
use crate::ports::table::{Condition, Key, TableExt, to_item};
use crate::state::AppState;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "Vslc@2026";

/// A demo account as printed at start-up.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub account: &'static str,
    pub name: &'static str,
    pub tenant: Tenant,
    pub tenant_name: &'static str,
    pub role: &'static str,
}

pub fn demo_accounts() -> Vec<DemoAccount> {
    vec![
        DemoAccount {
            account: "school1",
            name: "张老师",
            tenant: Tenant::new(TenantKind::School, "10009"),
            tenant_name: "北方工业大学",
            role: "院校管理员",
        },
        DemoAccount {
            account: "school2",
            name: "李老师",
            tenant: Tenant::new(TenantKind::School, "14361"),
            tenant_name: "北京示范职业技术学院",
            role: "院校管理员",
        },
        DemoAccount {
            account: "org1",
            name: "王主任",
            tenant: Tenant::new(TenantKind::Org, "ORG001"),
            tenant_name: "北京示例培训评价组织有限公司",
            role: "培训评价组织管理员",
        },
        DemoAccount {
            account: "province1",
            name: "赵处长",
            tenant: Tenant::new(TenantKind::Province, "110000"),
            tenant_name: "北京市教育委员会",
            role: "省级管理员",
        },
    ]
}

const SEED_MARK: (&str, &str) = ("META#SEED", "DEMO");

/// Seeds the demo data once. Returns false when the store was seeded before.
pub async fn seed_demo(state: &AppState) -> anyhow::Result<bool> {
    let mark = Key::new(SEED_MARK.0, SEED_MARK.1);
    if state.table.get(&mark).await?.is_some() {
        return Ok(false);
    }
    for a in demo_accounts() {
        let user = User {
            id: ulid::Ulid::new().to_string(),
            account: a.account.into(),
            name: a.name.into(),
            tenant: a.tenant.clone(),
            tenant_name: a.tenant_name.into(),
            roles: vec![a.role.into()],
            status: UserStatus::Active,
            password_hash: password::hash(DEMO_PASSWORD)?,
            phone: None,
            version: 1,
        };
        if state
            .table
            .get_as::<User>(&User::key(a.account))
            .await?
            .is_none()
        {
            state
                .table
                .put(user.to_item()?, Some(Condition::NotExists))
                .await?;
        }
    }
    let at = state.clock.now_cst().to_rfc3339();
    state
        .table
        .put(
            to_item(&mark, &serde_json::json!({ "seededAt": at }))?,
            None,
        )
        .await?;
    Ok(true)
}
