//! The catalogue (PLATFORM.md §2): 培训评价组织, 证书 with levels and majors,
//! and which certificates each school takes part in (已参与试点证书).
//! Shared reference data, read by everyone, maintained by the owning org,
//! with the schools' and orgs' seal and signature images.

pub mod certificate;
pub mod images;
pub mod org;
pub mod pilot;
pub mod province;
pub mod school;
pub mod service;
pub mod standard;

pub use certificate::{Certificate, Level, Major};
pub use org::Org;
pub use pilot::Pilot;
pub use pilot::Pilots;
