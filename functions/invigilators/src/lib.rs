//! `/api/invigilators` — 监考人员. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_http::{Area, AreaRouter};

pub const AREA: Area = Area::new("invigilators", "/api/invigilators", "监考人员");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
