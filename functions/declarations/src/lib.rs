//! `/api/declarations` — 证书试点申报 (manual §4.3): the province's 申报计划,
//! the schools' declarations, the city and province reviews, and the
//! 按证书导出申报明细 export.

use vslc_accounts::Session;
use vslc_declarations::Declaration;
use vslc_declarations::export;
use vslc_declarations::plan::{
    self, DeclarationPlanFilter, DeclarationPlanInput, DeclarationPlanView,
};
use vslc_declarations::review::{self, ApproveInput};
use vslc_declarations::service::{
    self, DeclarableCertificate, DeclarationDetail, DeclarationFilter, DeclarationInput,
};
use vslc_files::export::ExportFile;
use vslc_http::{Area, AreaRouter, CursorPage, CursorParams, Paged};
use vslc_review::log::ReturnInput;

pub const AREA: Area = Area::new("declarations", "/api/declarations", "证书试点申报");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "declarations", session = Session;
    /// 查看申报计划: a school its province's plans, a province its own.
    get plans "/plans" (query DeclarationPlanFilter, page) -> Paged<DeclarationPlanView> [403] => plan::list;
    /// 发布申报计划 (省级管理员).
    create create_plan "/plans" (body DeclarationPlanInput) -> DeclarationPlanView [400, 403, 409] => plan::create;
    /// 修改申报计划 (未开始).
    put edit_plan "/plans/{id}" (id, body DeclarationPlanInput) -> DeclarationPlanView [400, 404, 409] => plan::edit;
    /// 删除申报计划 (未开始).
    delete delete_plan "/plans/{id}" (id) [404, 409] => plan::delete;
    /// The certificates a plan opens, with levels and majors (立即申报's form).
    get plan_certificates "/plans/{id}/certificates" (id) -> Vec<DeclarableCertificate> [404] => service::options;
    /// 申报证书试点: 保存 (未提交) or 保存并提交; one per year, certificate and level.
    create create "" (body DeclarationInput) -> Declaration [400, 409] => service::create;
    /// 编辑试点申报 (未提交 / 审核退回).
    put edit "/{id}" (id, body DeclarationInput) -> Declaration [400, 404, 409] => service::edit;
    /// 删除 (未提交).
    delete delete "/{id}" (id) [404, 409] => service::delete;
    /// 证书试点申报列表 (the school's own).
    get list "" (query DeclarationFilter, query CursorParams) -> CursorPage<Declaration> [400, 403] => service::list;
    /// 查看试点申报: school information, contacts, lines and 审核记录.
    get get_one "/{id}" (id) -> DeclarationDetail [404] => service::get;
    /// 试点申报审核列表 (province and city reviewers): submitted declarations of
    /// the province's schools.
    get review_list "/review" (query DeclarationFilter, query CursorParams) -> CursorPage<Declaration> [400, 403] => review::list;
    /// 查看试点申报 (province).
    get review_get "/review/{id}" (id) -> DeclarationDetail [404] => review::get;
    /// 审核通过: the 市级审核员 passes 待市级审核 on to the province; the
    /// 省级管理员 approves 待初审 with 审核人数.
    post approve "/review/{id}/approve" (id, body ApproveInput) -> Declaration [400, 404, 409] => review::approve;
    /// 审核退回 with the reason (the reviewer of the current step).
    post return_declaration "/review/{id}/return" (id, body ReturnInput) -> Declaration [400, 404, 409] => review::return_declaration;
    /// 提交 (未提交 / 审核退回).
    post submit "/{id}/submit" (id) -> Declaration [404, 409] => service::submit;
    /// 查看申报计划.
    get get_plan "/plans/{id}" (id) -> DeclarationPlanView [404] => plan::show;
    /// 按证书导出申报明细 (the school's own, or the province's schools').
    post export_details "/export" (body DeclarationFilter) -> ExportFile [403] => export::export;
}
