//! `/api/exam` — 考试科目与考试计划. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "exam",
    prefix: "/api/exam",
    title: "考试科目与考试计划",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
