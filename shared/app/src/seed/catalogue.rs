//! The demo catalogue: three 培训评价组织, twelve certificates with levels
//! and majors from the 2021 职业教育专业目录, and the pilots of the two demo
//! schools. Local demo only; never created on AWS.

use vslc_accounts::{Tenant, TenantKind};
use vslc_catalogue::certificate::MajorLevel;
use vslc_catalogue::org::OrgNature;
use vslc_catalogue::school::{self, CertificateLead, School};
use vslc_catalogue::standard::{self, Standard, StandardKind, StandardStatus};
use vslc_catalogue::{Certificate, Level, Major, Org, Pilot};
use vslc_ports::AppState;

pub fn orgs() -> Vec<Org> {
    let org = |id: &str,
               name: &str,
               nature,
               contact: &str,
               phone: &str,
               address: &str,
               intro: &str| {
        Org {
            id: id.into(),
            name: name.into(),
            nature,
            contact: contact.into(),
            phone: phone.into(),
            address: address.into(),
            introduction: intro.into(),
            payment_method: format!(
                "银行转账。收款单位：{name}；开户银行：中国工商银行北京中关村支行；账号：0200 0045 0920 0{}；汇款用途请注明缴费单号。",
                &id[3..]
            ),
            seal_key: None,
            signature_key: None,
            version: 1,
        }
    };
    vec![
        org(
            "ORG001",
            "北京示例培训评价组织有限公司",
            OrgNature::Enterprise,
            "王主任",
            "010-62510001",
            "北京市海淀区中关村大街1号",
            "信息技术类职业技能等级证书的培训评价组织。",
        ),
        org(
            "ORG002",
            "中商示范电子商务教育科技有限公司",
            OrgNature::Enterprise,
            "陈经理",
            "010-85120002",
            "北京市朝阳区建国路88号",
            "财经商贸类职业技能等级证书的培训评价组织。",
        ),
        org(
            "ORG003",
            "康养示范职业培训评价中心",
            OrgNature::NonProfit,
            "刘老师",
            "010-63450003",
            "北京市西城区广安门内大街6号",
            "医药卫生与养老服务类职业技能等级证书的培训评价组织。",
        ),
    ]
}

/// The majors of the 2021 职业教育专业目录 the demo certificates name:
/// (code, name, level).
const MAJORS: &[(&str, &str, MajorLevel)] = &[
    ("710201", "计算机应用", MajorLevel::Secondary),
    ("710204", "软件与信息服务", MajorLevel::Secondary),
    ("510201", "计算机应用技术", MajorLevel::Vocational),
    ("510202", "计算机网络技术", MajorLevel::Vocational),
    ("510203", "软件技术", MajorLevel::Vocational),
    ("510204", "数字媒体技术", MajorLevel::Vocational),
    ("310203", "软件工程技术", MajorLevel::VocationalBachelor),
    ("510205", "大数据技术", MajorLevel::Vocational),
    ("510206", "云计算技术应用", MajorLevel::Vocational),
    ("510209", "人工智能技术应用", MajorLevel::Vocational),
    ("310205", "大数据工程技术", MajorLevel::VocationalBachelor),
    ("730701", "电子商务", MajorLevel::Secondary),
    ("530701", "电子商务", MajorLevel::Vocational),
    ("530702", "跨境电子商务", MajorLevel::Vocational),
    ("530704", "网络营销与直播电商", MajorLevel::Vocational),
    ("530605", "市场营销", MajorLevel::Vocational),
    ("730301", "会计事务", MajorLevel::Secondary),
    ("530302", "大数据与会计", MajorLevel::Vocational),
    ("530301", "大数据与财务管理", MajorLevel::Vocational),
    ("530303", "大数据与审计", MajorLevel::Vocational),
    ("720601", "护理", MajorLevel::Secondary),
    ("520201", "护理", MajorLevel::Vocational),
    ("520801", "健康管理", MajorLevel::Vocational),
    ("590302", "智慧健康养老服务与管理", MajorLevel::Vocational),
];

/// The majors a group of certificates is for, by code, in the order listed.
const IT: &[&str] = &[
    "710201", "710204", "510201", "510202", "510203", "510204", "310203",
];
const DATA: &[&str] = &["510205", "510206", "510209", "510201", "310205"];
const COMMERCE: &[&str] = &["730701", "530701", "530702", "530704", "530605"];
const FINANCE: &[&str] = &["730301", "530302", "530301", "530303"];
const CARE: &[&str] = &["720601", "520201", "520801", "590302"];

/// A demo certificate: (code, name, org, category, batch, majors); the id is
/// `CERT` and the code, every certificate has all three levels.
type CertificateRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const CERTIFICATES: &[CertificateRow] = &[
    (
        "0101",
        "Web前端开发职业技能等级证书",
        "ORG001",
        "信息技术",
        "第一批",
        IT,
    ),
    (
        "0102",
        "云计算平台运维与开发职业技能等级证书",
        "ORG001",
        "信息技术",
        "第二批",
        DATA,
    ),
    (
        "0103",
        "大数据应用开发（Java）职业技能等级证书",
        "ORG001",
        "信息技术",
        "第三批",
        DATA,
    ),
    (
        "0104",
        "人工智能深度学习工程应用职业技能等级证书",
        "ORG001",
        "信息技术",
        "第三批",
        DATA,
    ),
    (
        "0105",
        "移动应用开发职业技能等级证书",
        "ORG001",
        "信息技术",
        "第二批",
        IT,
    ),
    (
        "0201",
        "网店运营推广职业技能等级证书",
        "ORG002",
        "财经商贸",
        "第一批",
        COMMERCE,
    ),
    (
        "0202",
        "电子商务数据分析职业技能等级证书",
        "ORG002",
        "财经商贸",
        "第二批",
        COMMERCE,
    ),
    (
        "0203",
        "财务共享服务职业技能等级证书",
        "ORG002",
        "财经商贸",
        "第二批",
        FINANCE,
    ),
    (
        "0204",
        "业财一体信息化应用职业技能等级证书",
        "ORG002",
        "财经商贸",
        "第三批",
        FINANCE,
    ),
    (
        "0301",
        "老年照护职业技能等级证书",
        "ORG003",
        "医药卫生",
        "第一批",
        CARE,
    ),
    (
        "0302",
        "失智老年人照护职业技能等级证书",
        "ORG003",
        "医药卫生",
        "第三批",
        CARE,
    ),
    (
        "0303",
        "母婴护理职业技能等级证书",
        "ORG003",
        "医药卫生",
        "第二批",
        CARE,
    ),
];

fn major(code: &str) -> Major {
    let &(code, name, level) = MAJORS
        .iter()
        .find(|m| m.0 == code)
        .expect("a major of the demo catalogue");
    Major {
        code: code.into(),
        name: name.into(),
        version: "2021".into(),
        level,
    }
}

pub fn certificates() -> Vec<Certificate> {
    let orgs = orgs();
    CERTIFICATES
        .iter()
        .map(|&(code, name, org_id, category, batch, majors)| {
            let org = orgs.iter().find(|o| o.id == org_id).expect("a demo org");
            Certificate {
                id: format!("CERT{code}"),
                code: code.into(),
                name: name.into(),
                org_id: org.id.clone(),
                org_name: org.name.clone(),
                levels: vec![Level::Junior, Level::Intermediate, Level::Senior],
                category: category.into(),
                batch: batch.into(),
                majors: majors.iter().map(|&m| major(m)).collect(),
                chain: None,
                version: 1,
            }
        })
        .collect()
}

/// The demo schools' approved pilots: (school code, certificate, levels).
const PILOTS: &[(&str, &str, &[Level])] = &[
    ("10009", "CERT0101", &[Level::Junior, Level::Intermediate]),
    ("10009", "CERT0103", &[Level::Intermediate]),
    ("10009", "CERT0201", &[Level::Junior, Level::Intermediate]),
    ("10009", "CERT0203", &[Level::Intermediate]),
    ("14361", "CERT0101", &[Level::Junior]),
    ("14361", "CERT0301", &[Level::Junior, Level::Intermediate]),
    ("14361", "CERT0302", &[Level::Junior]),
];

fn schools() -> Vec<(Tenant, School)> {
    let school = |code: &str,
                  name: &str,
                  city: &str,
                  address: &str,
                  contact: &str,
                  phone: &str,
                  email: &str,
                  leads: Vec<CertificateLead>| {
        (
            Tenant::new(TenantKind::School, code),
            School {
                code: code.into(),
                name: name.into(),
                province: "北京市".into(),
                city: city.into(),
                address: address.into(),
                contact: contact.into(),
                phone: phone.into(),
                email: email.into(),
                leads,
                seal_key: None,
                version: 1,
            },
        )
    };
    let lead = |id: &str, cert: &str, name: &str, phone: &str| CertificateLead {
        certificate_id: id.into(),
        certificate_name: cert.into(),
        name: name.into(),
        phone: phone.into(),
    };
    vec![
        school(
            "10009",
            "北方工业大学",
            "北京市",
            "北京市石景山区晋元庄路5号",
            "张老师",
            "010-88800001",
            "jwc@example.edu.cn",
            vec![
                lead(
                    "CERT0101",
                    "Web前端开发职业技能等级证书",
                    "孙老师",
                    "13811110001",
                ),
                lead(
                    "CERT0201",
                    "网店运营推广职业技能等级证书",
                    "周老师",
                    "13811110002",
                ),
            ],
        ),
        school(
            "14361",
            "北京示范职业技术学院",
            "北京市",
            "北京市昌平区回龙观西大街18号",
            "李老师",
            "010-69700002",
            "zsb@example.edu.cn",
            vec![lead(
                "CERT0301",
                "老年照护职业技能等级证书",
                "吴老师",
                "13911110003",
            )],
        ),
    ]
}

fn standards(certs: &[Certificate], published: &str) -> Vec<Standard> {
    let mut out = Vec::new();
    for (i, c) in certs.iter().enumerate() {
        let base =
            |kind, id: String, name: String, level, content: String, code: String| Standard {
                id,
                kind,
                certificate_id: c.id.clone(),
                certificate_name: c.name.clone(),
                org_id: c.org_id.clone(),
                org_name: c.org_name.clone(),
                code,
                name,
                standard_version: if kind == StandardKind::Skill {
                    "2.0".into()
                } else {
                    String::new()
                },
                level,
                content,
                published_at: published.into(),
                status: StandardStatus::Enabled,
                version: 1,
            };
        let title = c.name.trim_end_matches("职业技能等级证书");
        out.push(base(
            StandardKind::Skill,
            format!("SKILL{}", c.code),
            format!("{title}职业技能等级标准"),
            None,
            format!("本标准规定了{title}职业技能等级对应的工作领域、工作任务及职业技能要求，适用于{title}职业技能培训、考核与评价。"),
            format!("{}-{:03}-S", c.org_id, i + 1),
        ));
        for level in &c.levels {
            out.push(base(
                StandardKind::Site,
                format!("SITE{}{}", c.code, *level as u8),
                format!("{title}（{}）考核站点建设标准", level.label()),
                Some(*level),
                format!("考场面积不少于60平方米；配备满足{}考核要求的计算机或实训设备不少于30套；具备网络、监控与消防条件；配备考评员不少于2名。", level.label()),
                String::new(),
            ));
        }
    }
    // One standard out of use, to show both states.
    if let Some(s) = out
        .iter_mut()
        .find(|s| s.kind == StandardKind::Site && s.level == Some(Level::Senior))
    {
        s.status = StandardStatus::Disabled;
    }
    out
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let table = state.table.as_ref();
    for org in orgs() {
        org.put(table).await?;
    }
    let time = state.clock.now_cst().to_rfc3339();
    // Idempotent: a start that died half-way registers only what is missing.
    let mut certs = Certificate::all(table).await?;
    let missing: Vec<Certificate> = certificates()
        .into_iter()
        .filter(|c| !certs.iter().any(|d| d.id == c.id))
        .collect();
    certs.extend(Certificate::register(table, missing, &time).await?);
    let schools = schools();
    for (tenant, school) in &schools {
        school::put(state, tenant, school)
            .await
            .map_err(anyhow::Error::from)?;
    }
    for s in standards(
        &certs,
        &state.clock.now_cst().format("%Y-%m-%d").to_string(),
    ) {
        standard::put(state, &s)
            .await
            .map_err(anyhow::Error::from)?;
    }
    let year = state
        .clock
        .now_cst()
        .format("%Y")
        .to_string()
        .parse()
        .unwrap_or(2026);
    for &(school_code, cert_id, levels) in PILOTS {
        let (tenant, school) = schools
            .iter()
            .find(|(_, s)| s.code == school_code)
            .expect("a demo school");
        let cert = certs
            .iter()
            .find(|c| c.id == cert_id)
            .expect("seeded certificate");
        let pilot = Pilot {
            school_id: tenant.id.clone(),
            school_name: school.name.clone(),
            certificate_id: cert.id.clone(),
            org_id: cert.org_id.clone(),
            year,
            levels: levels.to_vec(),
            declared: Vec::new(),
            version: 1,
        };
        pilot.put(table, tenant).await?;
    }
    Ok(())
}
