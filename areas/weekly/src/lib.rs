//! 周报管理 (manual §6): reports per school and period (周报 or 半月报, as
//! the province sets), the province's review, and the period closer's step
//! that marks missing reports 逾期未提交.

pub mod closer;
pub mod model;
pub mod period;
pub mod review;
pub mod service;

pub use model::{Figures, ReportStatus, WeeklyReport};
pub use period::{Cycle, Period};
