//! Workers: the trait (`vslc_ports::worker`) and the local consumer
//! (`vslc_runtime::worker`).

pub use vslc_ports::worker::*;
pub use vslc_runtime::worker::consume;
