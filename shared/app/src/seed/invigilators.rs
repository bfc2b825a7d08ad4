//! Demo 监考人员: each demo school has five invigilators 已认证 for
//! Web前端开发 (CERT0101, the demo plan's certificate), so the scheduling
//! demo can put two in each room, and a few applications 待认证 or 未通过
//! for the orgs to decide.

use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::Certificate;
use vslc_invigilators::manage::{create_ops, new_certification, new_invigilator};
use vslc_invigilators::service::check;
use vslc_invigilators::{Certification, CertificationStatus};
use vslc_ports::AppState;
use vslc_ports::domain::IdType;
use vslc_ports::domain::identity::check_char;
use vslc_review::ReviewRecord;

/// (school, 教师编号, 姓名, certificates with their status).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, CertificationStatus)],
);

use CertificationStatus::{Certified, Pending, Rejected};

const INVIGILATORS: &[Row] = &[
    (
        "10009",
        "JE10001",
        "李伟",
        &[("CERT0101", Certified), ("CERT0201", Pending)],
    ),
    ("10009", "JE10002", "王宏伟", &[("CERT0101", Certified)]),
    ("10009", "JE10003", "刘芳", &[("CERT0101", Certified)]),
    (
        "10009",
        "JE10004",
        "陈静",
        &[("CERT0101", Certified), ("CERT0103", Certified)],
    ),
    ("10009", "JE10005", "杨洋", &[("CERT0101", Certified)]),
    ("10009", "JE10006", "赵敏", &[("CERT0101", Pending)]),
    ("10009", "JE10007", "黄磊", &[("CERT0201", Rejected)]),
    ("14361", "JS20001", "周杰", &[("CERT0101", Certified)]),
    (
        "14361",
        "JS20002",
        "吴婷",
        &[("CERT0101", Certified), ("CERT0301", Pending)],
    ),
    ("14361", "JS20003", "郑凯", &[("CERT0101", Certified)]),
    ("14361", "JS20004", "孙丽", &[("CERT0101", Certified)]),
    ("14361", "JS20005", "马超", &[("CERT0101", Certified)]),
    ("14361", "JS20006", "朱琳", &[("CERT0301", Pending)]),
    // The 排考 demo's host (only when that demo is seeded).
    ("10010", "DZ30001", "钱进", &[("CERT0101", Certified)]),
    ("10010", "DZ30002", "冯雪", &[("CERT0101", Certified)]),
    ("10010", "DZ30003", "蒋涛", &[("CERT0101", Certified)]),
    ("10010", "DZ30004", "韩梅", &[("CERT0101", Certified)]),
    ("10010", "DZ30005", "曹宇", &[("CERT0101", Pending)]),
];

/// A valid 身份证 number for the n-th demo invigilator.
fn id_number(n: usize) -> String {
    let first = format!(
        "110105198{}0{}{:02}{:03}",
        n % 10,
        1 + n % 9,
        10 + n % 18,
        100 + n
    );
    format!("{first}{}", check_char(first.as_bytes()) as char)
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let table = state.table.as_ref();
    let today = state.clock.now_cst().date_naive();
    let at = state.clock.now_text();
    for (n, &(school_id, teacher_no, name, certs)) in INVIGILATORS.iter().enumerate() {
        let school = Tenant::new(TenantKind::School, school_id);
        let Ok(profile) = vslc_catalogue::school::load(state, &school).await else {
            continue;
        };
        let phone = format!("139{:08}", 10_000_000 + n);
        let checked = check(
            teacher_no,
            name,
            &phone,
            IdType::ResidentId,
            &id_number(n),
            today,
        )
        .map_err(anyhow::Error::msg)?;
        let person = new_invigilator(state, &school, &profile, &checked, None);
        let mut apps: Vec<Certification> = Vec::new();
        for &(cert_id, status) in certs {
            let Some(cert) = Certificate::load(table, cert_id).await? else {
                continue;
            };
            let mut app = new_certification(state, &person, &cert, &profile.contact, &profile.name);
            if status != Pending {
                let (action, reason) = match status {
                    Certified => ("认证通过", None),
                    _ => (
                        "驳回",
                        Some("未参加本证书考评员培训（演示数据）".to_owned()),
                    ),
                };
                app.status = status;
                app.review_reason = reason.clone();
                app.decided_at = Some(at.clone());
                // The demo orgs' administrators.
                let by = match cert.org_id.as_str() {
                    "ORG001" => "王主任",
                    "ORG002" => "陈主任",
                    _ => "审核员",
                };
                app.decided_by = Some(by.into());
                app.history.push(ReviewRecord {
                    at: at.clone(),
                    by: by.into(),
                    unit: cert.org_name.clone(),
                    action: action.into(),
                    status: status.label().into(),
                    reason,
                });
            }
            apps.push(app);
        }
        match table.transact(create_ops(&person, &apps)?).await {
            Err(e) if !e.is_conflict() => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_id_numbers_parse() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        for n in 0..super::INVIGILATORS.len() {
            let id = super::id_number(n);
            vslc_ports::domain::IdDocument::parse(
                vslc_ports::domain::IdType::ResidentId,
                &id,
                today,
            )
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        }
    }
}
