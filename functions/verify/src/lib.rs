//! `/api/verify` — 证书查验. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "verify",
    prefix: "/api/verify",
    title: "证书查验",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
