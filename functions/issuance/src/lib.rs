//! `/api/issuance` — 证书发放管理. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_http::{Area, AreaRouter};

pub const AREA: Area = Area::new("issuance", "/api/issuance", "证书发放管理");

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
