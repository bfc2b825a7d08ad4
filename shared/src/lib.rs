//! vslc-shared: the common crate of vslc — ports and their AWS and embedded
//! adapters, the HTTP layer shared by every area, the bulk-file pipeline,
//! workers, scheduled jobs and the application state.

pub mod audit;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod imports;
pub mod issuance;
pub mod jobs;
pub mod seed;
pub mod worker;

pub use vslc_accounts as accounts;
pub use vslc_adapters as adapters;
pub use vslc_candidates as candidates;
pub use vslc_catalogue as catalogue;
pub use vslc_catalogue::images;
pub use vslc_declarations as declarations;
pub use vslc_exam as exam;
pub use vslc_files::export;
pub use vslc_ledger as ledger;
pub use vslc_rooms as rooms;
pub use vslc_sites as sites;
pub use vslc_weekly as weekly;
pub use vslc_payments as payments;
pub use vslc_registrations as registrations;
pub use vslc_review::log as review_log;
pub use vslc_ports as ports;
pub use vslc_runtime::{alloc, global_allocator, lambda};
pub use vslc_ports::{AppState, config, domain, mask, sequence, state};
