//! 科目成绩 (manual §5.2.9; PLATFORM.md §3 "Scores", §4, §5): the org
//! imports each subject's scores inside the plan's 成绩登记 window
//! ([`import`]), checked against the candidates seated for it
//! ([`context`]); in 公示期 it may correct a score with a reason, each
//! change kept ([`service::correct`]); when 公示期 ends the closer locks
//! the plan's scores and anchors each subject's sheet on the ledger
//! ([`lock`]) and decides each registration's 考证结果 ([`results`]),
//! tallying the figures of 统计分析 ([`stats`]). Schools read their
//! candidates' scores and results, the org its plans' ([`service`],
//! [`sheets`], [`result_views`]).

pub mod context;
pub mod import;
pub mod lock;
pub mod model;
mod paging;
pub mod public;
pub mod result_views;
pub mod results;
pub mod service;
pub mod sheets;
pub mod stats;

pub use model::{Mark, Outcome, Points, Score, ScoreSheet, ScoreStatus};
