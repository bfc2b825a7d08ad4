//! `/api/users` — 用户管理. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "users",
    prefix: "/api/users",
    title: "用户管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
