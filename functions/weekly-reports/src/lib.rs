//! `/api/weekly-reports` — 周报管理 (manual §6): the school's reports for
//! each period, the province's reporting cycle and review.

use vslc_accounts::Session;
use vslc_http::{Area, AreaRouter, CursorPage, CursorParams};
use vslc_review::log::ReturnInput;
use vslc_weekly::WeeklyReport;
use vslc_weekly::review::{self, Overview, OverviewQuery};
use vslc_weekly::service::{self, CurrentPeriod, CycleInput, CycleView, ReportFilter, ReportInput};

pub const AREA: Area = Area::new("weekly-reports", "/api/weekly-reports", "周报管理");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "weekly-reports", session = Session;
    /// 上报周期 (周报 / 半月报) of the session's province and the current period.
    get cycle "/cycle" () -> CycleView [403] => service::cycle;
    /// 设置上报周期 (省级管理员): in force when the current period ends.
    put set_cycle "/cycle" (body CycleInput) -> CycleView [403, 409] => service::set_cycle;
    /// 提交周报's start: the current period, its deadline, live figures and the
    /// report already written for it.
    get current "/current" () -> CurrentPeriod [403] => service::current;
    /// 提交周报 for the current period: 保存 (未提交) or 提交 (待审核).
    create create "" (body ReportInput) -> WeeklyReport [400, 409] => service::create;
    /// 本期提交情况 (province): every school of the province for the period
    /// of a day, those still owing a report first.
    get overview "/review/overview" (query OverviewQuery) -> Overview [400, 403] => review::overview;
    /// 编辑 (未提交 / 审核退回, within the period): 保存 or 提交.
    put edit "/{id}" (id, body ReportInput) -> WeeklyReport [400, 404, 409] => service::edit;
    /// 删除 (未提交).
    delete delete "/{id}" (id) [404, 409] => service::delete;
    /// 周报列表 (the school's own).
    get list "" (query ReportFilter, query CursorParams) -> CursorPage<WeeklyReport> [400, 403] => service::list;
    /// 查看周报 with its 审核记录.
    get get_one "/{id}" (id) -> WeeklyReport [404] => service::get;
    /// 周报审核列表 (province): its schools' reports by period and status.
    get review_list "/review" (query ReportFilter, query CursorParams) -> CursorPage<WeeklyReport> [400, 403] => review::list;
    /// 查看周报 (province).
    get review_get "/review/{id}" (id) -> WeeklyReport [404] => review::get;
    /// 审核通过 (省级管理员).
    post approve "/review/{id}/approve" (id) -> WeeklyReport [404, 409] => review::approve;
    /// 审核退回 with the reason (省级管理员).
    post return_report "/review/{id}/return" (id, body ReturnInput) -> WeeklyReport [400, 404, 409] => review::return_report;
    /// 提交 (未提交 / 审核退回 → 待审核) before the next period starts.
    post submit "/{id}/submit" (id) -> WeeklyReport [404, 409] => service::submit;
    /// 撤回 (待审核 → 未提交).
    post withdraw "/{id}/withdraw" (id) -> WeeklyReport [404, 409] => service::withdraw;
}
