//! vslc-shared: the common crate of vslc — ports and their AWS and embedded
//! adapters, the HTTP layer shared by every area, the bulk-file pipeline,
//! workers and the application state.

pub mod adapters;
pub mod mask;
pub mod ports;
