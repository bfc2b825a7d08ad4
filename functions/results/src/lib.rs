//! `/api/results` — 考证结果. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_http::{Area, AreaRouter};

pub const AREA: Area = Area::new("results", "/api/results", "考证结果");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
