//! `/api/declarations` — 证书试点申报. Its routes land with the issue that builds this area;
//! until then it serves `/health` like every area.

use vslc_shared::http::{Area, AreaRouter};

pub const AREA: Area = Area {
    name: "declarations",
    prefix: "/api/declarations",
    title: "证书试点申报",
};

pub fn routes() -> AreaRouter {
    AreaRouter::new()
}
