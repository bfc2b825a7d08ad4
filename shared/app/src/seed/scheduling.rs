//! Demo 排考: a second Web前端开发 plan whose 排考 window is open when the
//! store is first seeded, for two more schools — 北京电子科技职业学院 runs
//! an approved 初级 site and lends it to 北京信息职业技术学院 — with rooms
//! for both 初级 subjects, 信息准确 candidates, their registrations and a
//! confirmed 缴费申请单 each: everything 排考 needs, so the demo (and the
//! browser tests) can arrange a subject right away. Off in the API tests
//! (`VSLC_SEED_SCHEDULING`), whose counts start from the plain demo data.

use chrono::{Duration, NaiveDateTime, Timelike};

use super::DemoAccount;
use vslc_accounts::{Role, Tenant, TenantKind};
use vslc_candidates::service::{CandidateInput, check, majors, new_candidates};
use vslc_candidates::{CandidateKind, InfoStatus};
use vslc_catalogue::certificate::Level;
use vslc_catalogue::school::School;
use vslc_exam::plans::{PlanSchool, RegistrationMode};
use vslc_exam::{Plan, Window};
use vslc_payments::{Order, OrderStatus};
use vslc_ports::AppState;
use vslc_ports::domain::IdType;
use vslc_ports::domain::identity::check_char;
use vslc_ports::table::{Condition, Guarded, TxOp, Update, to_item};
use vslc_registrations::Registration;
use vslc_registrations::model::{CandidateSnapshot, ClaimBody, RegSubject};
use vslc_sites::{Allocation, Site, SiteStatus};

pub const SCHEDULING_PLAN_ID: &str = "01DEMOPLAN0000000000000002";
const HOST: &str = "10010";
const GUEST: &str = "10011";

/// The two schools' administrators.
pub fn accounts() -> Vec<DemoAccount> {
    vec![
        DemoAccount {
            account: "school3-admin",
            name: "周老师",
            tenant: Tenant::new(TenantKind::School, HOST),
            tenant_name: "北京电子科技职业学院",
            role: Role::SchoolAdmin,
        },
        DemoAccount {
            account: "school4-admin",
            name: "吴老师",
            tenant: Tenant::new(TenantKind::School, GUEST),
            tenant_name: "北京信息职业技术学院",
            role: Role::SchoolAdmin,
        },
    ]
}

fn profile(code: &str, name: &str, city: &str, address: &str, contact: &str) -> School {
    School {
        code: code.into(),
        name: name.into(),
        province: "北京市".into(),
        city: city.into(),
        address: address.into(),
        contact: contact.into(),
        phone: "010-64200000".into(),
        email: String::new(),
        leads: Vec::new(),
        seal_key: None,
        version: 1,
    }
}

/// Realistic names for the demo candidates.
const NAMES: [&str; 24] = [
    "王子涵",
    "李思远",
    "张雨桐",
    "刘浩然",
    "陈欣怡",
    "杨俊杰",
    "赵梓萱",
    "黄宇航",
    "周佳怡",
    "吴嘉豪",
    "徐诗涵",
    "孙一鸣",
    "胡雅琪",
    "朱明轩",
    "高若曦",
    "林志远",
    "何静怡",
    "郭天佑",
    "马晓彤",
    "罗子墨",
    "梁心怡",
    "宋博文",
    "郑可欣",
    "谢宇轩",
];

/// A valid 身份证 number for the n-th demo candidate (born 2005).
fn id_number(n: usize) -> String {
    let first = format!("110108200503{:02}{:03}", 1 + n % 28, 200 + n);
    format!("{first}{}", check_char(first.as_bytes()) as char)
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let Some(base_plan) = Plan::load(state, super::exam::DEMO_PLAN_ID).await? else {
        return Ok(());
    };
    for a in accounts() {
        super::add_account(state, &a).await?;
    }
    let host = Tenant::new(TenantKind::School, HOST);
    let guest = Tenant::new(TenantKind::School, GUEST);
    let host_profile = profile(
        HOST,
        "北京电子科技职业学院",
        "北京市",
        "北京市经济技术开发区凉水河一街9号",
        "周老师",
    );
    let guest_profile = profile(
        GUEST,
        "北京信息职业技术学院",
        "北京市",
        "北京市朝阳区酒仙桥东路1号",
        "吴老师",
    );
    vslc_catalogue::school::put(state, &host, &host_profile).await?;
    vslc_catalogue::school::put(state, &guest, &guest_profile).await?;
    // Both take part in Web前端开发 (初级): their 已参与试点证书.
    let year = state
        .clock
        .now_cst()
        .format("%Y")
        .to_string()
        .parse()
        .unwrap_or(2026);
    for (tenant, p) in [(&host, &host_profile), (&guest, &guest_profile)] {
        let pilot = vslc_catalogue::pilot::Pilot {
            school_id: tenant.id.clone(),
            school_name: p.name.clone(),
            certificate_id: "CERT0101".into(),
            org_id: base_plan.org_id.clone(),
            year,
            levels: vec![Level::Junior],
            declared: Vec::new(),
            version: 1,
        };
        pilot.put(state.table.as_ref(), tenant).await?;
    }

    // The plan: 报名 over, 排考 open for a week, exams ten days on.
    let now = state.clock.now_local();
    let base = now
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .unwrap_or(now);
    let day = |d: i64, h: u32| -> NaiveDateTime {
        (base.date() + Duration::days(d))
            .and_hms_opt(h, 0, 0)
            .unwrap_or(base)
    };
    let mut plan = base_plan.clone();
    plan.id = SCHEDULING_PLAN_ID.into();
    plan.name = format!(
        "排考演示：{}年Web前端开发职业技能等级证书考试（第二批）",
        base.format("%Y")
    );
    for c in &mut plan.certificates {
        c.levels = vec![Level::Junior];
    }
    plan.subjects.retain(|s| s.level == Level::Junior);
    for (i, s) in plan.subjects.iter_mut().enumerate() {
        let start = day(10, if i == 0 { 9 } else { 14 });
        s.exam = Window::new(
            start,
            start + Duration::minutes(i64::from(s.duration_minutes)),
        );
    }
    plan.schools = vec![
        PlanSchool {
            school_id: HOST.into(),
            school_name: host_profile.name.clone(),
        },
        PlanSchool {
            school_id: GUEST.into(),
            school_name: guest_profile.name.clone(),
        },
    ];
    plan.registration = Window::new(base - Duration::days(20), base - Duration::days(6));
    plan.scheduling = Window::new(base - Duration::days(1), day(7, 18));
    plan.score_entry = Window::new(day(15, 8), day(25, 18));
    plan.publicity = Window::new(day(26, 8), day(33, 18));
    plan.remark = "演示数据：排考时间自首次启动起开放一周，可直接排考。".into();
    let stamp = state.clock.now_text();
    plan.created_at = stamp.clone();
    plan.published_at = Some(stamp.clone());
    match state
        .table
        .put(plan.to_item()?, Some(Condition::NotExists))
        .await
    {
        Err(e) if e.is_conflict() => return Ok(()),
        other => other?,
    }
    plan.index_schools(state).await?;

    // The host's approved site, lent to the guest.
    let cert = plan
        .certificates
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo plan has no certificate"))?
        .clone();
    let site = Site {
        id: format!("{HOST}-01DEMOSITE0000000000000001"),
        school_id: HOST.into(),
        school_name: host_profile.name.clone(),
        org_id: plan.org_id.clone(),
        certificate_id: cert.certificate_id.clone(),
        certificate_name: cert.certificate_name.clone(),
        level: Level::Junior,
        name: Site::generated_name(&host_profile.name, &cert.certificate_name, Level::Junior),
        address: host_profile.address.clone(),
        contact: "周老师".into(),
        phone: "010-64200000".into(),
        capacity: 60,
        equipment: "机房2间，计算机80台；实训室1间".into(),
        standards: Vec::new(),
        status: SiteStatus::Approved,
        review_reason: None,
        submitted_at: Some(stamp.clone()),
        reviewed_at: Some(stamp.clone()),
        reviewed_by: Some("王主任".into()),
        created_at: stamp.clone(),
        version: 1,
    };
    let allocation = Allocation {
        id: format!("{SCHEDULING_PLAN_ID}.01DEMOALLOC000000000000001"),
        plan_id: plan.id.clone(),
        plan_name: plan.name.clone(),
        certificate_id: site.certificate_id.clone(),
        certificate_name: site.certificate_name.clone(),
        level: Level::Junior,
        school_id: GUEST.into(),
        school_name: guest_profile.name.clone(),
        site_id: site.id.clone(),
        site_name: site.name.clone(),
        host_school_id: HOST.into(),
        host_school_name: host_profile.name.clone(),
        created_at: stamp.clone(),
    };
    state
        .table
        .transact(vec![
            TxOp::Put {
                item: site.to_item()?,
                condition: None,
            },
            TxOp::Put {
                item: to_item(
                    &Site::guard_key(&host, &site.certificate_id, site.level),
                    &serde_json::json!({ "siteId": site.id }),
                )?,
                condition: None,
            },
            TxOp::Put {
                item: to_item(&Allocation::key(&plan.id, &allocation.id), &allocation)?,
                condition: None,
            },
        ])
        .await?;

    // Rooms: 理论知识 in one room of each school, 实操技能 in the host's lab.
    let subject = |i: usize| {
        plan.subjects
            .get(i)
            .map(|s| vslc_rooms::model::RoomSubject {
                subject_id: s.subject_id.clone(),
                code: s.code.clone(),
                name: s.name.clone(),
                method: s.method,
            })
    };
    let (Some(theory), Some(practice)) = (subject(0), subject(1)) else {
        return Ok(());
    };
    for (school, s, name, seats, place) in [
        (&host, &theory, "第1考场", 16, "信息楼301"),
        (&guest, &theory, "第2考场", 16, "信息楼302"),
        (&host, &practice, "实操1室", 30, "实训楼105"),
    ] {
        let room = vslc_rooms::service::new_room(
            state,
            school,
            &plan,
            &site,
            vec![s.clone()],
            s.method.room_type(),
            name,
            seats,
            place,
            None,
        );
        state
            .table
            .transact(vslc_rooms::service::create_ops(&room)?)
            .await?;
    }

    // Candidates, registrations (按证书, 初级) and a confirmed order each.
    let majors = majors(state).await?;
    let major = majors.resolve("510201").map_err(anyhow::Error::msg)?;
    let today = state.clock.now_cst().date_naive();
    let subjects: Vec<RegSubject> = plan
        .subjects
        .iter()
        .map(|s| RegSubject {
            subject_id: s.subject_id.clone(),
            code: s.code.clone(),
            name: s.name.clone(),
            method: s.method,
            exam: s.exam.clone(),
        })
        .collect();
    let mut n = 0;
    for (school, profile, count) in [(&host, &host_profile, 14), (&guest, &guest_profile, 10)] {
        let mut checked = Vec::new();
        for _ in 0..count {
            let input = CandidateInput {
                kind: CandidateKind::School,
                name: NAMES[n % NAMES.len()].into(),
                name_pinyin: "XUE SHENG".into(),
                gender: None,
                id_type: IdType::ResidentId,
                id_number: id_number(n),
                phone: Some(format!("1381000{:04}", n)),
                major_code: Some("510201".into()),
                major_level: None,
                enrolment_year: Some(2024),
                work_unit: None,
            };
            checked.push(check(&input, today, major.clone()).map_err(anyhow::Error::msg)?);
            n += 1;
        }
        let mut people = new_candidates(state, checked).await?;
        for c in &mut people {
            c.status = InfoStatus::Accurate;
        }
        let groups = people
            .iter()
            .map(|c| c.guarded(school, None))
            .collect::<Result<Vec<_>, _>>()?;
        state.table.insert_guarded(groups).await?;
        let seq = vslc_ports::sequence::reserve(state.table.as_ref(), "ORDER", 1).await?;
        let no = Order::number(&base.format("%Y%m%d").to_string(), &school.id, seq);
        let mut groups: Vec<Guarded> = Vec::new();
        let mut claims = Vec::new();
        for c in &people {
            let reg = Registration {
                id: ulid::Ulid::new().to_string(),
                school_id: school.id.clone(),
                plan_id: plan.id.clone(),
                plan_name: plan.name.clone(),
                org_id: plan.org_id.clone(),
                mode: RegistrationMode::ByCertificate,
                certificate_id: cert.certificate_id.clone(),
                certificate_name: cert.certificate_name.clone(),
                level: Level::Junior,
                subjects: subjects.clone(),
                candidate: CandidateSnapshot::of(c),
                fee_cents: cert.fee_cents,
                scheduled: false,
                import_id: None,
                created_at: stamp.clone(),
                version: 1,
            };
            let (group, _) =
                vslc_registrations::import::insert_group(school, &reg, c.kind, "demo")?;
            groups.push(group);
            claims.push(TxOp::Put {
                item: to_item(
                    &Registration::claim_key(school, &plan.id, &reg.id),
                    &ClaimBody {
                        order_no: no.clone(),
                    },
                )?,
                condition: None,
            });
        }
        state.table.insert_guarded(groups).await?;
        let order = Order {
            no: no.clone(),
            school_id: school.id.clone(),
            school_name: profile.name.clone(),
            org_id: plan.org_id.clone(),
            plan_id: plan.id.clone(),
            plan_name: plan.name.clone(),
            mode: RegistrationMode::ByCertificate,
            certificate_id: cert.certificate_id.clone(),
            certificate_name: cert.certificate_name.clone(),
            count: count as u64,
            total_cents: cert.fee_cents * count as u64,
            parts: subjects
                .iter()
                .map(|s| (s.subject_id.clone(), count as u64))
                .collect(),
            status: OrderStatus::Confirmed,
            created_at: stamp.clone(),
            created_by: profile.contact.clone(),
            confirmed_at: Some(stamp.clone()),
            confirmed_by: Some("王主任".into()),
            version: 2,
        };
        claims.push(TxOp::Put {
            item: order.to_item()?,
            condition: None,
        });
        claims.push(TxOp::Update {
            key: Registration::paid_key(school, &plan.id),
            update: subjects.iter().fold(Update::new(), |u, s| {
                u.add(s.subject_id.clone(), count as i64)
            }),
            condition: None,
        });
        for chunk in claims.chunks(vslc_ports::table::MAX_TRANSACT_ITEMS) {
            state.table.transact(chunk.to_vec()).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_id_numbers_parse() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for n in 0..30 {
            vslc_ports::domain::IdDocument::parse(
                vslc_ports::domain::IdType::ResidentId,
                &super::id_number(n),
                today,
            )
            .unwrap();
        }
    }
}
