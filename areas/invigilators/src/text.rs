//! The area's Chinese user text, worded as the manual words it (§5.2.11).

use vslc_ports::DomainError;

/// How a refusal names an invigilator.
pub const PERSON: &str = "监考人员";
/// How a refusal names one certificate of an invigilator.
pub const CERTIFICATE: &str = "监考证书";

/// Most certificates one invigilator applies for.
pub const MAX_CERTIFICATES: usize = 20;

pub const BAD_TEACHER_NO: &str = "教师编号须为1到32位字母、数字、短横线或下划线";
pub const NO_CERTIFICATE: &str = "请至少选择一个申请证书";
pub const TOO_MANY_CERTIFICATES: &str = "一名监考人员最多申请20个证书";
pub const REASON_REQUIRED: &str = "请填写驳回原因（不超过500个字符）";
/// 删除监考人员: “若该人员存在已认证的证书，无法删除”.
pub const HAS_CERTIFIED: &str = "该监考人员存在已认证的证书，无法删除";

/// A field or rule of the form is broken.
pub fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_INVIGILATOR", message.into())
}

/// The 教师编号 is taken within the school.
pub fn teacher_taken_text(teacher_no: &str) -> String {
    format!("教师编号“{teacher_no}”已存在，同一学校内教师编号不能重复")
}

pub fn teacher_taken(teacher_no: &str) -> DomainError {
    DomainError::conflict("TEACHER_NO_TAKEN", teacher_taken_text(teacher_no))
}

/// The person (证件类型 + 证件号码) is already an invigilator of the school.
pub const PERSON_TAKEN: &str = "证件号码相同的监考人员已存在";

pub fn person_taken() -> DomainError {
    DomainError::conflict("INVIGILATOR_EXISTS", PERSON_TAKEN)
}

/// A certificate the school does not take part in.
pub fn not_pilot(certificate: &str) -> String {
    format!("证书“{certificate}”不是本校已参与试点的证书")
}

/// 编辑: “对于已认证的监考证书无法删除”.
pub fn certified_kept(certificate_name: &str) -> DomainError {
    DomainError::conflict(
        "CERTIFIED",
        format!("“{certificate_name}”为已认证的监考证书，无法删除"),
    )
}
