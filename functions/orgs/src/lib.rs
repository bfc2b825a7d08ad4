//! `/api/orgs` — 培训评价组织. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "orgs",
    prefix: "/api/orgs",
    title: "培训评价组织",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
