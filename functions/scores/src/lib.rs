//! `/api/scores` — 科目成绩 (manual §5.2.9): the scores of a school's
//! candidates or an org's plans with their export, a score with its
//! history, the org's correction in 公示期, and the org's subjects with
//! the 成绩登记表 to import and the check of a locked sheet against the
//! ledger; and the public 成绩查询. The import itself is the `scores` type
//! of `/api/imports`.

use axum::extract::State;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{ApiResult, ClientAddr, ErrorBody, Json, reply};
use vslc_http::{Area, AreaRouter, CursorParams};
use vslc_ports::AppState;
use vslc_scores::lock::SheetCheck;
use vslc_scores::public::{self, LookupAnswer, LookupInput};
use vslc_scores::service::{
    self, CorrectionInput, ScoreDetail, ScoreExportRequest, ScoreFilter, ScorePage,
};
use vslc_scores::sheets::{self, SheetFilter, SheetView};

pub const AREA: Area = Area::new("scores", "/api/scores", "科目成绩");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(lookup))
}

vslc_http::handlers! {
    tag = "scores", session = Session;
    /// 科目成绩: a school's candidates' scores, or (the org, a plan named)
    /// its plan's; by keyset cursor.
    get list "" (query ScoreFilter, query CursorParams) -> ScorePage [400, 403] => service::list;
    /// 批量导出科目成绩 (ID numbers masked): the ticked rows, or all matching.
    post export "/export" (body ScoreExportRequest) -> ExportFile [400, 403] => service::export;
    /// The org's subjects of a plan: scores recorded, status, 上链信息.
    get sheets "/sheets" (query SheetFilter) -> Vec<SheetView> [403, 404] => sheets::sheets;
    /// One subject of the org's plan.
    get sheet "/sheets/{id}" (path "id" "<计划 id>.<科目 id>") -> SheetView [403, 404] => sheets::sheet;
    /// 下载成绩登记表: every candidate seated for the subject, with the
    /// scores recorded, in the import's columns.
    post template "/sheets/{id}/template" (path "id" "<计划 id>.<科目 id>") -> ExportFile [403, 404] => sheets::template;
    /// 校验: the locked sheet as stored now against its anchor on the ledger.
    post verify "/sheets/{id}/verify" (path "id" "<计划 id>.<科目 id>") -> SheetCheck [403, 404, 409] => sheets::verify;
    /// 查看: a score with its history of changes.
    get detail "/{id}" (path "id" "<计划 id>.<科目 id>.<报考 id>") -> ScoreDetail [403, 404] => service::detail;
    /// 修改成绩 (the org, in 公示期 only, with a reason).
    post correct "/{id}/correct" (path "id" "<计划 id>.<科目 id>.<报考 id>", body CorrectionInput) -> ScoreDetail [400, 403, 404, 409] => service::correct;
}

/// 成绩查询 (public, no login): 准考证号 and 证件号码 answer that
/// registration's subject scores once 公示期 has begun. A wrong number of
/// either answers alike (404); too many attempts from one address or on one
/// 准考证号 answer 429 until the window ends.
#[utoipa::path(post, path = "/public/lookup", tag = "scores", request_body = LookupInput,
    responses((status = 200, body = LookupAnswer), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "准考证号或证件号码不正确"),
        (status = 409, body = ErrorBody, description = "成绩公示期尚未开始"),
        (status = 429, body = ErrorBody, description = "查询过于频繁")))]
async fn lookup(
    State(state): State<AppState>,
    addr: ClientAddr,
    Json(input): Json<LookupInput>,
) -> ApiResult<axum::Json<LookupAnswer>> {
    reply(public::lookup(&state, addr.as_str(), input)).await
}
