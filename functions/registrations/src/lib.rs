//! `/api/registrations` — 报考管理. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "registrations",
    prefix: "/api/registrations",
    title: "报考管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
