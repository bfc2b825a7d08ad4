//! `/api/sites` — 考核站点. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "sites",
    prefix: "/api/sites",
    title: "考核站点",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
