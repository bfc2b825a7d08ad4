//! `/api/scheduling` — 排考管理. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_http::{Area, AreaRouter};

pub const AREA: Area = Area::new("scheduling", "/api/scheduling", "排考管理");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
