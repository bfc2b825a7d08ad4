//! vslc-app: the platform assembled — the plug-in lists of this version
//! (import kinds, the period closer's steps), the demo data the dev server
//! starts with, and the fuzz targets' entry points. The binaries (the dev
//! server, the import worker, the period closer, the imports API) take
//! their lists from here; no area and no pipeline depends on this crate.

#[doc(hidden)]
pub mod fuzzing;
pub mod imports;
pub mod jobs;
pub mod seed;

pub use imports::import_kinds;
pub use jobs::closers;
