//! `/api/rooms` — 考场管理 (manual §5.2.5): 设置考场, edit by status,
//! delete, 沿用, export. 批量导入考场信息 goes through `/api/imports`
//! (type `rooms`, `params.planId`).

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::routes;
use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{ApiResult, Area, AreaRouter, BatchOutcome, ErrorBody, Paged, Query, reply};
use vslc_ports::AppState;
use vslc_ports::domain::RecordId;
use vslc_rooms::service::{
    self, ReuseInput, RoomExportRequest, RoomFilter, RoomInput, RoomView, SiteOption,
};

pub const AREA: Area = Area::new("rooms", "/api/rooms", "考场管理");

pub fn routes() -> AreaRouter {
    handlers().routes(routes!(options))
}

vslc_http::handlers! {
    tag = "rooms", session = Session;
    /// 考场列表 with the derived 考场状态.
    get list "" (query RoomFilter, page) -> Paged<RoomView> [403] => service::list;
    /// 设置考场: the 考场类型 follows the subjects' 考试方式.
    create create "" (body RoomInput) -> RoomView [400, 404, 409] => service::create;
    /// 沿用: copy a previous plan's rooms; answers per room.
    post reuse "/reuse" (body ReuseInput) -> BatchOutcome [400, 404, 409] => service::reuse;
    /// 批量导出考场信息: selected ids, or all matching the filter.
    post export "/export" (body RoomExportRequest) -> ExportFile [403] => service::export;
    /// 批量删除考场 (未排考), per id.
    batch batch_delete "/batch-delete" (school_exam_writer) [400] => service::delete;
    /// 查看考场.
    get get_one "/{id}" (id) -> RoomView [404] => service::get;
    /// 编辑考场: 未排考 everything; 排考中 only more seats; 已结束 read only.
    put edit "/{id}" (id, body RoomInput) -> RoomView [400, 404, 409] => service::edit;
    /// 删除考场 (未排考 only).
    delete delete "/{id}" (id) [404, 409] => service::delete;
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct OptionsQuery {
    plan_id: RecordId,
}

/// 设置考场 choices for a plan: usable sites, their certificate level and subjects.
#[utoipa::path(get, path = "/options", tag = "rooms", params(OptionsQuery),
    responses((status = 200, body = Vec<SiteOption>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
async fn options(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<OptionsQuery>,
) -> ApiResult<axum::Json<Vec<SiteOption>>> {
    reply(service::options(&state, &session, &q.plan_id)).await
}
