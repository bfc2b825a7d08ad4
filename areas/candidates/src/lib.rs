//! 考生管理: candidates, their numbers, rules and state machine.

pub mod export;
pub mod identity;
pub mod import;
pub mod model;
pub mod number;
pub mod photo;
pub mod photo_import;
pub mod service;
pub mod update_import;

pub use model::{Candidate, CandidateKind, InfoStatus, MajorRef};
