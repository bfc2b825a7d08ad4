//! The stored records: the invigilator (监考人员) a school adds, and one
//! 监考证书 (`Certification`) per certificate it applied for, which the
//! certificate's org 认证 or 驳回.
//!
//! Keys (all in the school's partition):
//! - `INVG#<id>`: the invigilator;
//! - `INVGCERT#<invigilator id>#<certificate id>`: a certification, also on
//!   the org's index (GSI1 `ORG#<org>#INVIGILATORS`, sorted by certificate,
//!   then application time);
//! - `INVGNO#<教师编号>` and `INVGID#<证件类型>#<证件号码>`: the guards that
//!   keep a teacher number and a person one of a kind within the school.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::{Tenant, TenantKind};
use vslc_ports::domain::IdType;
use vslc_ports::table::{Index, Item, Key, Query, TableError, to_indexed_item, to_item};
use vslc_ports::tenant::org_index;
use vslc_review::ReviewRecord;

/// 认证状态 of one certificate of an invigilator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum CertificationStatus {
    #[serde(rename = "待认证")]
    Pending,
    #[serde(rename = "已认证")]
    Certified,
    #[serde(rename = "未通过")]
    Rejected,
}

impl CertificationStatus {
    pub const ALL: [CertificationStatus; 3] = [
        CertificationStatus::Pending,
        CertificationStatus::Certified,
        CertificationStatus::Rejected,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CertificationStatus::Pending => "待认证",
            CertificationStatus::Certified => "已认证",
            CertificationStatus::Rejected => "未通过",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.label() == s.trim())
    }
}

/// 监考人员: a teacher of a school whom the school puts forward as an
/// invigilator.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Invigilator {
    /// `<学校代码>-<ULID>`: the school is part of the id, so the org side
    /// finds the record from an id alone.
    pub id: String,
    pub school_id: String,
    /// 所属院校.
    pub school_name: String,
    /// 所在区域: the school's province (and city) from its profile.
    pub region: String,
    /// 教师编号, unique within the school.
    pub teacher_no: String,
    /// 姓名.
    pub name: String,
    /// 手机号 (full: mask it wherever a list shows it).
    pub phone: String,
    pub id_type: IdType,
    /// 证件号码 (full: mask it wherever a list shows it).
    pub id_number: String,
    /// The import that created it, if any (a re-run recognises its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    /// 监考员账号, once opened ([`crate::login`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_user_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
}

impl Invigilator {
    pub fn new_id(school: &Tenant) -> String {
        format!("{}-{}", school.id, ulid::Ulid::new())
    }

    pub fn school(&self) -> Tenant {
        Tenant::new(TenantKind::School, &self.school_id)
    }

    pub fn key(school: &Tenant, id: &str) -> Key {
        Key::new(school.pk(), format!("INVG#{id}"))
    }

    /// Every invigilator of a school (a few hundred at most).
    pub fn all_of(school: &Tenant) -> Query {
        Query::partition(school.pk()).begins_with("INVG#")
    }

    /// The guard of a 教师编号 within the school (letters compared
    /// regardless of case).
    pub fn teacher_key(school: &Tenant, teacher_no: &str) -> Key {
        Key::new(school.pk(), format!("INVGNO#{}", teacher_no.to_uppercase()))
    }

    /// The guard of a person (证件类型 and 证件号码) within the school.
    pub fn person_key(school: &Tenant, id_type: IdType, id_number: &str) -> Key {
        Key::new(
            school.pk(),
            format!("INVGID#{}#{id_number}", id_type.label()),
        )
    }

    /// The stored guard items: what they point at, and the import that
    /// wrote them (a re-run recognises its own).
    pub fn guards(&self) -> Result<[Item; 2], TableError> {
        let school = self.school();
        let body = serde_json::json!({
            "invigilatorId": self.id,
            "importId": self.import_id,
        });
        Ok([
            to_item(&Self::teacher_key(&school, &self.teacher_no), &body)?,
            to_item(
                &Self::person_key(&school, self.id_type, &self.id_number),
                &body,
            )?,
        ])
    }

    pub fn to_item(&self) -> Result<Item, TableError> {
        to_item(&Self::key(&self.school(), &self.id), self)
    }
}

/// 监考证书: one certificate an invigilator applied for, with its 认证状态.
/// It carries what the org's list shows of the person (kept in step by the
/// school's edits), so the org reads one index and nothing else.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Certification {
    /// `<invigilator id>-<certificate id>`.
    pub id: String,
    pub invigilator_id: String,
    pub school_id: String,
    /// 所属院校.
    pub school_name: String,
    /// 所在区域.
    pub region: String,
    /// 教师编号.
    pub teacher_no: String,
    /// 教师姓名.
    pub name: String,
    pub phone: String,
    pub id_type: IdType,
    pub id_number: String,
    pub certificate_id: String,
    /// 证书编号 (the certificate's code).
    pub certificate_code: String,
    pub certificate_name: String,
    pub org_id: String,
    /// 颁证机构.
    pub org_name: String,
    pub status: CertificationStatus,
    /// 驳回原因 of the last 驳回.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_reason: Option<String>,
    /// When it was (last) applied for.
    pub applied_at: String,
    /// When the org last decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// 审核记录: 申请, 认证通过, 驳回, 重新申请.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ReviewRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_id: Option<String>,
    pub created_at: String,
    pub version: u64,
}

/// The parts of a certification's id: the school, the invigilator's id
/// and the certificate's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificationId<'a> {
    pub school: Tenant,
    pub invigilator_id: &'a str,
    pub certificate_id: &'a str,
}

/// Length of the ULID part of an invigilator's id.
const ULID_LEN: usize = 26;

impl Certification {
    pub fn id_of(invigilator_id: &str, certificate_id: &str) -> String {
        format!("{invigilator_id}-{certificate_id}")
    }

    /// Reads `<学校代码>-<ULID>-<certificate id>`; `None` for anything else.
    pub fn parse_id(id: &str) -> Option<CertificationId<'_>> {
        let (school, rest) = id.split_once('-')?;
        if school.is_empty() || !rest.is_char_boundary(ULID_LEN) || rest.len() <= ULID_LEN {
            return None;
        }
        let (_, tail) = rest.split_at(ULID_LEN);
        let certificate_id = tail.strip_prefix('-').filter(|c| !c.is_empty())?;
        Some(CertificationId {
            school: Tenant::new(TenantKind::School, school),
            invigilator_id: &id[..school.len() + 1 + ULID_LEN],
            certificate_id,
        })
    }

    pub fn school(&self) -> Tenant {
        Tenant::new(TenantKind::School, &self.school_id)
    }

    pub fn key(school: &Tenant, invigilator_id: &str, certificate_id: &str) -> Key {
        Key::new(
            school.pk(),
            format!("INVGCERT#{invigilator_id}#{certificate_id}"),
        )
    }

    /// The key of the certification an id names, if it names one.
    pub fn key_of_id(id: &str) -> Option<Key> {
        let p = Self::parse_id(id)?;
        Some(Self::key(&p.school, p.invigilator_id, p.certificate_id))
    }

    /// Every certification of a school.
    pub fn all_of(school: &Tenant) -> Query {
        Query::partition(school.pk()).begins_with("INVGCERT#")
    }

    /// The certifications of one invigilator.
    pub fn of_invigilator(school: &Tenant, invigilator_id: &str) -> Query {
        Query::partition(school.pk()).begins_with(format!("INVGCERT#{invigilator_id}#"))
    }

    /// The org's index of the certifications of its certificates.
    pub fn org_index(org_id: &str) -> String {
        org_index(org_id, "INVIGILATORS")
    }

    /// The index sort keys of one certificate's certifications.
    pub fn org_sort_prefix(certificate_id: &str) -> String {
        format!("{certificate_id}#")
    }

    /// The stored item, on the org's index.
    pub fn to_item(&self) -> Result<Item, TableError> {
        let on = Key::new(
            Self::org_index(&self.org_id),
            format!(
                "{}{}#{}",
                Self::org_sort_prefix(&self.certificate_id),
                self.created_at,
                self.id
            ),
        );
        let key = Self::key(&self.school(), &self.invigilator_id, &self.certificate_id);
        to_indexed_item(&key, self, Index::Gsi1, on)
    }

    pub fn item_key(&self) -> Key {
        Self::key(&self.school(), &self.invigilator_id, &self.certificate_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certification_ids_name_school_invigilator_and_certificate() {
        let inv = "10009-01JABCDEFGHJKMNPQRSTVWXYZ0";
        assert_eq!(inv.len(), 6 + ULID_LEN);
        let id = Certification::id_of(inv, "CERT-0101");
        let p = Certification::parse_id(&id).unwrap();
        assert_eq!(p.school, Tenant::new(TenantKind::School, "10009"));
        assert_eq!(p.invigilator_id, inv);
        assert_eq!(p.certificate_id, "CERT-0101");
        assert!(Certification::parse_id(inv).is_none(), "no certificate");
        assert!(Certification::parse_id(&format!("{inv}-")).is_none());
        assert!(Certification::parse_id("-01JABCDEFGHJKMNPQRSTVWXYZ0-C").is_none());
        assert!(Certification::parse_id("10009-短-CERT0101").is_none());
        assert!(Certification::parse_id("").is_none());
    }

    #[test]
    fn statuses_read_their_labels() {
        for s in CertificationStatus::ALL {
            assert_eq!(CertificationStatus::from_label(s.label()), Some(s));
        }
        assert_eq!(CertificationStatus::from_label("审核通过"), None);
    }

    #[test]
    fn teacher_numbers_guard_regardless_of_case() {
        let school = Tenant::new(TenantKind::School, "10009");
        assert_eq!(
            Invigilator::teacher_key(&school, "je19722"),
            Invigilator::teacher_key(&school, "JE19722")
        );
    }
}
