//! 考核站点 (manual §5.2.4): a school declares a site per certificate and
//! level to the certificate's org, which reviews it; a school without its
//! own site is assigned another school's approved site per plan (借考).
//!
//! States: 未提交 → 待审核 → 审核通过 | 审核退回; 撤销 takes 待审核 back to
//! 未提交; edit and delete only in 未提交 / 审核退回. One site per (school,
//! certificate, level), held by a guard item written with the site.

pub mod allocation;
pub mod model;
pub mod review;
pub mod service;

pub use allocation::Allocation;
pub use model::{Site, SiteStatus};
