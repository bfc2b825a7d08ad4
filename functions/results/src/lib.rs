//! `/api/results` — 考证结果 (manual §5.2.10): each registration's 考核状态
//! once its plan's scores are locked, for the school (its candidates) and
//! the org (its plans), with 查看考证详情 and 批量导出证书考核详情.

use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{Area, AreaRouter, CursorParams};
use vslc_scores::result_views::{self, ResultExportRequest, ResultFilter, ResultPage, ResultRow};

pub const AREA: Area = Area::new("results", "/api/results", "考证结果");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "results", session = Session;
    /// 考证结果: a school's candidates', or (the org, a plan named) its
    /// plan's; by keyset cursor.
    get list "" (query ResultFilter, query CursorParams) -> ResultPage [400, 403] => result_views::list;
    /// 批量导出证书考核详情 (ID numbers masked): the ticked rows, or all matching.
    post export "/export" (body ResultExportRequest) -> ExportFile [400, 403] => result_views::export;
    /// 查看考证详情: the result with every subject's score.
    get detail "/{id}" (path "id" "<计划 id>.<报考 id>") -> ResultRow [403, 404] => result_views::detail;
}
