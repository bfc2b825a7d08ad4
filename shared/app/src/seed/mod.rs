//! Demo data for a fresh local store: the catalogue (orgs, certificates on
//! the ledger, pilots) and an administrator account for each demo tenant.

pub mod catalogue;
pub mod declarations;
pub mod exam;
pub mod invigilators;
pub mod scheduling;

use vslc_accounts::{Role, Tenant, TenantKind, User, UserStatus, password};
use vslc_ports::AppState;
use vslc_ports::table::{Key, to_item};

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "Vslc@2026";

/// A demo account as printed at start-up.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub account: &'static str,
    pub name: &'static str,
    pub tenant: Tenant,
    pub tenant_name: &'static str,
    pub role: Role,
}

pub fn demo_accounts() -> Vec<DemoAccount> {
    vec![
        DemoAccount {
            account: "school-admin",
            name: "张老师",
            tenant: Tenant::new(TenantKind::School, "10009"),
            tenant_name: "北方工业大学",
            role: Role::SchoolAdmin,
        },
        DemoAccount {
            account: "school2-admin",
            name: "李老师",
            tenant: Tenant::new(TenantKind::School, "14361"),
            tenant_name: "北京示范职业技术学院",
            role: Role::SchoolAdmin,
        },
        DemoAccount {
            account: "org-admin",
            name: "王主任",
            tenant: Tenant::new(TenantKind::Org, "ORG001"),
            tenant_name: "北京示例培训评价组织有限公司",
            role: Role::OrgAdmin,
        },
        DemoAccount {
            account: "org2-admin",
            name: "陈主任",
            tenant: Tenant::new(TenantKind::Org, "ORG002"),
            tenant_name: "中商示范电子商务教育科技有限公司",
            role: Role::OrgAdmin,
        },
        DemoAccount {
            account: "province-admin",
            name: "赵处长",
            tenant: Tenant::new(TenantKind::Province, "110000"),
            tenant_name: "北京市教育委员会",
            role: Role::ProvinceAdmin,
        },
        DemoAccount {
            account: "city-reviewer",
            name: "孙科长",
            tenant: Tenant::new(TenantKind::Province, "110000"),
            tenant_name: "北京市教育委员会",
            role: Role::CityReviewer,
        },
    ]
}

const SEED_MARK: (&str, &str) = ("META#SEED", "DEMO");

/// Adds a built-in account with the demo password, unless its name is taken.
pub async fn add_account(state: &AppState, a: &DemoAccount) -> anyhow::Result<()> {
    if User::by_account(state.table.as_ref(), a.account)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let user = User {
        id: ulid::Ulid::new().to_string(),
        account: a.account.into(),
        name: a.name.into(),
        tenant: a.tenant.clone(),
        tenant_name: a.tenant_name.into(),
        role: a.role,
        cert_lead: false,
        certificates: Vec::new(),
        phone: None,
        invigilator_id: None,
        status: UserStatus::Active,
        password_hash: password::hash(DEMO_PASSWORD)?,
        session_epoch: 0,
        builtin: true,
        created_at: state.clock.now_text(),
        version: 1,
    };
    user.create(state.table.as_ref()).await?;
    Ok(())
}

/// Seeds the demo data once. Returns false when the store was seeded before.
pub async fn seed_demo(state: &AppState) -> anyhow::Result<bool> {
    let mark = Key::new(SEED_MARK.0, SEED_MARK.1);
    if state.table.get(&mark).await?.is_some() {
        return Ok(false);
    }
    for a in demo_accounts() {
        add_account(state, &a).await?;
    }
    catalogue::seed(state).await?;
    exam::seed(state).await?;
    declarations::seed(state).await?;
    if state.config.seed_scheduling {
        scheduling::seed(state).await?;
    }
    invigilators::seed(state).await?;
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
