//! 考场管理 (manual §5.2.5): a school sets up the rooms of a plan at a site
//! it may use (its own approved site or one assigned to it), for one
//! certificate and some of its subjects. The 考场类型 comes from the
//! subjects' 考试方式; the status comes from the plan's 排考 window:
//! 未排考 (edit all, delete) → 排考中 (only more seats) → 已结束 (read only).

pub mod import;
pub mod model;
pub mod service;

pub use model::{Room, RoomStatus};
