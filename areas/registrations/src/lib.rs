//! 报考管理 (manual §5.2.6): registrations of a school's candidates for a
//! plan's certificate levels (按证书) or subjects (按科目), imported in bulk.
//! A registration keeps a snapshot of the candidate as it was; the
//! candidate's `registrations` counter moves with it in one write, so the
//! delete rule of candidates stays exact. Status is derived: 未排考 →
//! 待考试 (scheduled) → 考试中 → 已结束 from the subjects' exam times.

pub mod eligibility;
pub mod import;
pub mod model;
pub mod service;

pub use model::{Registration, RegistrationStatus};
