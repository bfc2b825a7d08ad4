//! Demo 申报计划: the Beijing province tenant publishes a by-major plan for
//! all certificates, open from a day before the store is first seeded for
//! thirty days.

use chrono::{Datelike, Duration};

use vslc_accounts::{Tenant, TenantKind};
use vslc_declarations::DeclarationPlan;
use vslc_exam::Window;
use vslc_ports::AppState;
use vslc_ports::table::{TableExt, to_item};

pub const DEMO_DECLARATION_PLAN_ID: &str = "01DEMODPLAN000000000000001";

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let province = Tenant::new(TenantKind::Province, "110000");
    let now = state.clock.now_local();
    let plan = DeclarationPlan {
        id: DEMO_DECLARATION_PLAN_ID.into(),
        province_id: province.id.clone(),
        province_name: "北京市教育委员会".into(),
        year: now.year(),
        batch: 1,
        window: Window::new(now - Duration::days(1), now + Duration::days(30)),
        by_major: true,
        city_review: false,
        all_certificates: true,
        certificates: Vec::new(),
        created_at: state.clock.now_text(),
        version: 1,
    };
    let guard = DeclarationPlan::guard_key(&province, plan.year, plan.batch);
    let placed = state
        .table
        .put_guarded(
            to_item(&guard, &serde_json::json!({ "planId": plan.id }))?,
            to_item(&DeclarationPlan::key(&province, &plan.id), &plan)?,
        )
        .await;
    match placed {
        Err(e) if !e.is_conflict() => Err(e.into()),
        _ => Ok(()),
    }
}
