//! `/api/statistics` — 统计分析. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_http::{Area, AreaRouter};

pub const AREA: Area = Area::new("statistics", "/api/statistics", "统计分析");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
