//! `/api/statistics` — 统计分析 (manual §7.1, 证书通过率统计): 报考人数,
//! 实考人数, 通过人数 and 通过率 by certificate and by certificate level,
//! for a school, an org (its certificates) or a province (its schools),
//! from the figures tallied when results are decided; and their exports.

use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{Area, AreaRouter};
use vslc_scores::stats::{self, StatFilter, Statistics};

pub const AREA: Area = Area::new("statistics", "/api/statistics", "统计分析");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "statistics", session = Session;
    /// 按证书统计.
    get by_certificate "/certificates" (query StatFilter) -> Statistics [403] => stats::by_certificate;
    /// 按证书等级统计.
    get by_level "/levels" (query StatFilter) -> Statistics [403] => stats::by_level;
    /// 导出按证书统计.
    post export_by_certificate "/certificates/export" (body StatFilter) -> ExportFile [403] => stats::export_by_certificate;
    /// 导出按证书等级统计.
    post export_by_level "/levels/export" (body StatFilter) -> ExportFile [403] => stats::export_by_level;
}
