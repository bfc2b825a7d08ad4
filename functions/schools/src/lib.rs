//! `/api/schools` — 试点院校. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "schools",
    prefix: "/api/schools",
    title: "试点院校",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
