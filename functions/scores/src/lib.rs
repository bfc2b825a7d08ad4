//! `/api/scores` — 科目成绩. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_http::{Area, AreaRouter};

pub const AREA: Area = Area::new("scores", "/api/scores", "科目成绩");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
