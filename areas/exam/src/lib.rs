//! 考试科目与考试计划 (manual §5.2.1, §5.2.2): what an org publishes and
//! every later exam step (sites, rooms, registration, scheduling, scores)
//! hangs on. Plans carry the time windows of PLATFORM.md §4; their status is
//! derived from the clock, never stored.

pub mod model;
pub mod plans;
pub mod subjects;
pub mod window;

pub use model::{Audience, ExamMethod, PlanPhase, PublishStatus, RoomType};
pub use plans::Plan;
pub use subjects::Subject;
pub use window::Window;
