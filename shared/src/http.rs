//! The HTTP edge (`vslc-http`), with the audit trail's `mount` and `finish`
//! for assembling an area.

pub use vslc_http::*;

pub mod area {
    pub use crate::audit::router::{finish, mount};
    pub use vslc_http::area::*;
}

pub use area::mount;
