//! 监考人员 (manual §5.2.11, PLATFORM.md §3 "Invigilator"): a school puts
//! its teachers forward as invigilators for the certificates it takes part
//! in (新增, 编辑, 删除, 批量导入, 批量导出); the certificate's org 认证 or
//! 驳回 each certificate of each invigilator: 待认证 → 已认证 | 未通过, and a
//! 未通过 one may be applied for again. A 已认证 certificate cannot be
//! removed, and an invigilator with one cannot be deleted. The scheduling
//! area puts [`certified`] invigilators in its rooms.

pub mod export;
pub mod import;
pub mod login;
pub mod manage;
pub mod model;
pub mod review;
pub mod service;
pub mod text;

pub use model::{Certification, CertificationStatus, Invigilator};
pub use service::certified;
