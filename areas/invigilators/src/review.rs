//! 监考人员认证 (org side): the applications for the org's certificates,
//! 认证 and 驳回 one certificate of one invigilator at a time, through the
//! shared review workflow (version-conditioned: of two decisions taken at
//! once, one wins and the other answers 409).

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{Certification, CertificationStatus};
use super::text;
use vslc_http::{BatchIds, CursorPage, CursorParams, filter};
use vslc_ports::domain::{OptionalId, RecordId};
use vslc_ports::table::{SkCond, Update};
use vslc_ports::{AppState, Caller, DomainError};
use vslc_review::log::ReturnInput;
use vslc_review::workflow::{open, queue_page};
use vslc_review::{Allowed, Step};

vslc_review::reviewed!(Certification: CertificationStatus, "监考证书",
    key = |c| c.item_key(), history = |c| Some(c.history.as_slice()),
    reviewer = Org, reviewer_id = |c| &c.org_id, queue = Certification::org_index,
    id = |id| Certification::key_of_id(id));

use CertificationStatus::{Certified, Pending, Rejected};

/// 认证 (org): 待认证 → 已认证.
pub const CERTIFY: Step<CertificationStatus> = Step::new(
    "认证通过",
    &[Pending],
    Certified,
    "只有待认证的监考证书可以认证",
)
.clearing_reason()
.stamping("decidedAt");
/// 驳回 (org), with the reason: 待认证 → 未通过.
pub const REJECT: Step<CertificationStatus> =
    Step::new("驳回", &[Pending], Rejected, "只有待认证的监考证书可以驳回").stamping("decidedAt");
/// 重新申请 (school): 未通过 → 待认证.
pub const REAPPLY: Step<CertificationStatus> = Step::new(
    "重新申请",
    &[Rejected],
    Pending,
    "只有未通过的监考证书可以重新申请",
)
.clearing_reason()
.stamping("appliedAt");
/// 删除证书 in 编辑 (school): “对于已认证的监考证书无法删除”.
pub const REMOVE: Allowed<CertificationStatus> =
    Allowed::new(&[Pending, Rejected], "已认证的监考证书无法删除");

/// 驳回's input.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RejectInput {
    /// 驳回原因 (required, at most 500 characters).
    pub reason: String,
}

impl RejectInput {
    /// The reason as the review workflow takes it, trimmed and checked.
    pub fn checked(&self) -> Result<ReturnInput, DomainError> {
        let reason = self.reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(DomainError::invalid("BAD_REASON", text::REASON_REQUIRED));
        }
        Ok(ReturnInput {
            reason: reason.to_owned(),
        })
    }
}

/// 批量驳回: the ticked certifications and one reason for all.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchRejectInput {
    pub ids: Vec<RecordId>,
    pub reason: String,
}

impl BatchRejectInput {
    /// The ids and the reason, the reason checked first (a batch without
    /// one is refused as a whole).
    pub fn split(self) -> Result<(BatchIds, RejectInput), DomainError> {
        let input = RejectInput {
            reason: self.reason,
        };
        input.checked()?;
        Ok((BatchIds { ids: self.ids }, input))
    }
}

/// 监考人员认证列表's search form.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ReviewFilter {
    /// 证书 (answered by the index).
    #[param(value_type = Option<String>)]
    #[schema(inline, required = false)]
    pub certificate_id: OptionalId,
    /// 认证状态 (待认证 / 已认证 / 未通过).
    pub status: Option<String>,
    /// 教师编号 (contains).
    pub teacher_no: Option<String>,
    /// 教师姓名 (contains).
    pub name: Option<String>,
    /// 所属院校 (contains).
    pub school_name: Option<String>,
}

impl ReviewFilter {
    pub fn matches(&self, c: &Certification) -> bool {
        filter::exact(&c.certificate_id, self.certificate_id.as_deref())
            && filter::exact(c.status.label(), self.status.as_deref())
            && filter::text(&c.teacher_no, self.teacher_no.as_deref())
            && filter::text(&c.name, self.name.as_deref())
            && filter::text(&c.school_name, self.school_name.as_deref())
    }
}

/// A certification as a list shows it: phone and ID number masked, no
/// 审核记录.
pub fn masked(mut c: Certification) -> Certification {
    c.phone = vslc_ports::mask::phone(&c.phone);
    c.id_number = vslc_ports::mask::id_number(&c.id_number);
    c.history.clear();
    c
}

/// 监考人员认证列表 (org): the applications for its certificates, newest
/// first within each certificate; keyset pages.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &ReviewFilter,
    paging: &CursorParams,
) -> Result<CursorPage<Certification>, DomainError> {
    let size = paging.size()?;
    let within = f
        .certificate_id
        .as_deref()
        .map(|c| SkCond::BeginsWith(Certification::org_sort_prefix(c)));
    let (rows, next) = queue_page(state, caller, within, paging.cursor.as_deref(), size, |c| {
        f.matches(c)
    })
    .await?;
    Ok((rows.into_iter().map(masked).collect::<Vec<_>>(), next).into())
}

/// 查看 (org): one application for its certificates, in full (recorded in
/// the 操作日志); any other looks missing.
pub async fn get(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Certification, DomainError> {
    let c: Certification = open(state, caller, id).await?;
    let who = format!("{} {}", c.name, vslc_ports::mask::id_number(&c.id_number));
    let target = ("invigilator", c.invigilator_id.as_str());
    vslc_audit::viewed(
        state,
        caller,
        "invigilator.view",
        "查看监考人员",
        target,
        who,
    )
    .await;
    Ok(c)
}

/// Who took the org's decision, kept on the certification.
fn decided_by(caller: &Caller) -> Update {
    Update::new().set("decidedBy", caller.name.clone())
}

/// 认证 (org): 待认证 → 已认证.
pub async fn certify(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Certification, DomainError> {
    let c = open::<Certification>(state, caller, id);
    CERTIFY
        .decide(state, caller, None, c, decided_by(caller))
        .await
}

/// 驳回 (org) with the reason the school reads: 待认证 → 未通过.
pub async fn reject(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: RejectInput,
) -> Result<Certification, DomainError> {
    let reason = input.checked()?;
    let c = open::<Certification>(state, caller, id);
    REJECT
        .decide(state, caller, Some(&reason), c, decided_by(caller))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_leave_only_their_states() {
        assert!(CERTIFY.allows(Pending) && !CERTIFY.allows(Certified) && !CERTIFY.allows(Rejected));
        assert!(REJECT.allows(Pending) && !REJECT.allows(Certified) && !REJECT.allows(Rejected));
        assert!(REAPPLY.allows(Rejected) && !REAPPLY.allows(Pending) && !REAPPLY.allows(Certified));
        assert!(REMOVE.allows(Pending) && REMOVE.allows(Rejected) && !REMOVE.allows(Certified));
        assert_eq!(CERTIFY.to, Certified);
        assert_eq!(REJECT.to, Rejected);
        assert_eq!(REAPPLY.to, Pending);
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        let r = |s: &str| RejectInput { reason: s.into() }.checked();
        assert_eq!(r("  ").unwrap_err().message(), text::REASON_REQUIRED);
        assert!(r(&"长".repeat(501)).is_err());
        assert_eq!(r(" 未参加考评员培训 ").unwrap().reason, "未参加考评员培训");
        let batch = BatchRejectInput {
            ids: vec![RecordId::parse("a").unwrap()],
            reason: String::new(),
        };
        assert_eq!(batch.split().unwrap_err().code(), "BAD_REASON");
    }
}
