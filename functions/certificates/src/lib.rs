//! `/api/certificates` — 证书信息管理. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "certificates",
    prefix: "/api/certificates",
    title: "证书信息管理",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
