//! `/api/registrations` — 报考管理 (manual §5.2.6): the school's
//! registrations, delete and export. 批量导入报考 goes through
//! `/api/imports` (types `registrations-by-certificate` and `registrations-by-subject`;
//! the former `registrations-cert` / `registrations-subject` still work).

use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{Area, AreaRouter, CursorParams};
use vslc_registrations::service::{
    self, RegistrationExportRequest, RegistrationFilter, RegistrationPage, RegistrationView,
};
use vslc_scheduling::seated::Seats;

pub const AREA: Area = Area::new("registrations", "/api/registrations", "报考管理");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "registrations", session = Session;
    /// 报考列表 (ID numbers and phones masked) with 报考状态 and 缴费状态,
    /// newest first, by keyset cursor.
    get list "" (query RegistrationFilter, query CursorParams) -> RegistrationPage [400, 403] => service::list [&Seats];
    /// 批量导出报考数据: selected ids, or all matching the filter; masked.
    post export "/export" (body RegistrationExportRequest) -> ExportFile [403] => service::export [&Seats];
    /// 批量删除报考数据 (未排考 and unpaid), per id.
    batch batch_delete "/batch-delete" (school_exam_writer) [400] => service::delete [&Seats];
    /// 删除报考数据 (未排考 and unpaid).
    delete delete "/{id}" (id) [404, 409] => service::delete [&Seats];
    /// 查看报考记录 (full candidate snapshot).
    get get_one "/{id}" (path "id" "<计划 id>.<ULID>") -> RegistrationView [404] => service::show [&Seats];
}
