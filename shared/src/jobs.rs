//! Scheduled jobs: the traits (`vslc_ports::jobs`), the period closer
//! (`vslc_runtime::jobs`) and the closers of this version.

use std::sync::Arc;

pub use vslc_ports::jobs::*;
pub use vslc_runtime::jobs::*;

/// The closers of this version (score publicity periods add theirs when
/// that area lands).
pub fn closers() -> Vec<Arc<dyn Closer>> {
    vec![Arc::new(crate::weekly::closer::WeeklyReportCloser)]
}
