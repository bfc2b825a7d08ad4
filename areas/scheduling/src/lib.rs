//! 排考管理 (manual §5.2.8; PLATFORM.md §3 "Scheduling", §6 "准考证号"): a
//! site's school seats the paid registrations of each plan subject in the
//! rooms set up for it ([`arrange`]), candidates of different schools
//! interleaved ([`interleave`]), each registration given a 准考证号 once
//! ([`model::ticket_no`]) and each room its invigilators ([`invigilate`]);
//! then adjusts seats or cancels a room ([`adjust`]) while the 排考 window
//! is open. Schools read 考核站点编排 ([`views`]), 考场编排 ([`rooms`]) and
//! 排考明细 ([`details`]), naming the candidates from their registrations
//! ([`holders`]); a registration is 待考试 once seated
//! ([`seated::Seats`]).

pub mod adjust;
pub mod arrange;
pub mod context;
pub mod details;
pub mod holders;
pub mod interleave;
pub mod invigilate;
pub mod invigilation;
pub mod lease;
pub mod model;
pub mod numbers;
pub mod print;
pub mod rooms;
pub mod seated;
pub mod token;
pub mod views;

pub use context::ArrangeStatus;
pub use model::Seat;

/// An exam time as lists show it: `2026-12-18 09:00-11:00`.
pub fn exam_time(w: &vslc_exam::Window) -> String {
    let (start, end) = w.bounds();
    if start.date() == end.date() {
        format!("{}-{}", start.format("%Y-%m-%d %H:%M"), end.format("%H:%M"))
    } else {
        format!(
            "{} 至 {}",
            start.format("%Y-%m-%d %H:%M"),
            end.format("%Y-%m-%d %H:%M")
        )
    }
}
