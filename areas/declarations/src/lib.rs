//! 证书试点申报 (manual §4.3): the province's 申报计划, the schools'
//! declarations against them, the city and province reviews, and the
//! 按证书导出申报明细 export.

pub mod export;
pub mod model;
pub mod plan;
pub mod review;
pub mod service;

pub use model::{Declaration, DeclarationStatus, DeclaredMajor};
pub use plan::{DeclarationPlan, DeclarationPlanStatus};
