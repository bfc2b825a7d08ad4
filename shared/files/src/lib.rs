//! vslc-files: the bulk files of every area — reading a hostile xlsx behind
//! its gate (`xlsx_guard`, then calamine), writing templates and failed-row
//! files (`xlsx`), and exports (`export`: typed cells escaped against
//! formulas, stored and handed out as a download link, each one audited).

pub mod export;
pub mod xlsx;
pub mod xlsx_guard;
