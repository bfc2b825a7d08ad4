//! `/api/exam` — 考试科目与考试计划 (manual §5.2.1, §5.2.2): an org
//! creates and publishes subjects and plans; schools read the published
//! ones that concern them.

use vslc_accounts::Session;
use vslc_exam::plans::{self, EligibleSchool, PlanFilter, PlanInput, PlanView};
use vslc_exam::subjects::{self, Subject, SubjectFilter, SubjectInput};
use vslc_http::{Area, AreaRouter, CursorPage, CursorParams, Paged};

pub const AREA: Area = Area::new("exam", "/api/exam", "考试科目与考试计划");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "exam", session = Session;
    /// 考试科目列表: an org its own; a school the published subjects of its certificates.
    get list_subjects "/subjects" (query SubjectFilter, page) -> Paged<Subject> [] => subjects::list;
    /// 新增考试科目 (org; 未发布).
    create create_subject "/subjects" (body SubjectInput) -> Subject [400, 403, 409] => subjects::create;
    /// 查看考试科目.
    get get_subject "/subjects/{id}" (id) -> Subject [404] => subjects::get;
    /// 编辑考试科目 (未发布 only).
    put edit_subject "/subjects/{id}" (id, body SubjectInput) -> Subject [400, 404, 409] => subjects::edit;
    /// 删除考试科目 (未发布 only).
    delete delete_subject "/subjects/{id}" (id) [404, 409] => subjects::delete;
    /// 发布考试科目.
    post publish_subject "/subjects/{id}/publish" (id) -> Subject [404, 409] => subjects::publish;
    /// 考试计划列表, with the derived 计划状态.
    get list_plans "/plans" (query PlanFilter, query CursorParams) -> CursorPage<PlanView> [400] => plans::list;
    /// 新增考试计划 (org; 未发布).
    create create_plan "/plans" (body PlanInput) -> PlanView [400, 403] => plans::create;
    /// 可选参考院校: schools taking part in the org's certificates.
    get eligible_schools "/plans/eligible-schools" () -> Vec<EligibleSchool> [403] => plans::eligible_schools;
    /// 查看考试计划.
    get get_plan "/plans/{id}" (id) -> PlanView [404] => plans::get;
    /// 编辑考试计划 (未发布 only).
    put edit_plan "/plans/{id}" (id, body PlanInput) -> PlanView [400, 404, 409] => plans::edit;
    /// 删除考试计划 (未发布 only).
    delete delete_plan "/plans/{id}" (id) [404, 409] => plans::delete;
    /// 发布考试计划: the 参考院校 see it; it no longer changes.
    post publish_plan "/plans/{id}/publish" (id) -> PlanView [404, 409] => plans::publish;
}
