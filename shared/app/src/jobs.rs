//! The closing steps of this version's period closer, assembled here at the
//! composition root (score publicity periods add theirs when that area
//! lands).

use std::sync::Arc;

use vslc_ports::jobs::Closer;

pub fn closers() -> Vec<Arc<dyn Closer>> {
    vec![
        Arc::new(vslc_weekly::closer::WeeklyReportCloser),
        Arc::new(vslc_scheduling::invigilation::AbsenceCloser),
        Arc::new(vslc_scores::lock::ScoreLockCloser),
    ]
}
