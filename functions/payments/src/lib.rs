//! `/api/payments` — 缴费管理. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "payments",
    prefix: "/api/payments",
    title: "缴费管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
