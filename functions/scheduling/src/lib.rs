//! `/api/scheduling` — 排考管理 (manual §5.2.8): 考核站点编排 with 排考,
//! 考场编排 with the seat map, 手动调整 and 取消编排, 排考明细, and their
//! exports.

use vslc_accounts::Session;
use vslc_files::export::ExportFile;
use vslc_http::{Area, AreaRouter, CursorParams, Paged};
use vslc_scheduling::adjust::{self, AdjustInput};
use vslc_scheduling::arrange::{self, ArrangeInput, ArrangeOutcome};
use vslc_scheduling::details::{self, SeatRowExportRequest, SeatRowFilter, SeatRowPage};
use vslc_scheduling::invigilation::{self, DoorRoom, DutyRoom, SignInInput, SignInOutcome};
use vslc_scheduling::print::job::{self, PrintJobInput, PrintJobView};
use vslc_scheduling::print::{self, PrintFile};
use vslc_scheduling::rooms::{self, RoomDetail, RoomRow, RoomRowExportRequest, RoomRowFilter};
use vslc_scheduling::views::{self, SiteRow, SiteRowDetail, SiteRowExportRequest, SiteRowFilter};

pub const AREA: Area = Area::new("scheduling", "/api/scheduling", "排考管理");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "scheduling", session = Session;
    /// 考核站点编排: one row per plan subject and site the school runs or
    /// sits at, with the derived 排考状态.
    get sites "/sites" (query SiteRowFilter, page) -> Paged<SiteRow> [400, 403] => views::site_rows;
    /// 批量导出考场编排明细: the rooms of the ticked rows, or of all matching.
    post export_sites "/sites/export" (body SiteRowExportRequest) -> ExportFile [400, 403] => rooms::export_sites;
    /// 查看考核站点编排: the site's rooms for the subject and their fill.
    get site "/sites/{id}" (path "id" "<计划 id>.<站点 id>.<科目 id>") -> SiteRowDetail [403, 404] => views::site_row;
    /// 排考: seat the subject's paid registrations (the site's school, inside
    /// the 排考 window); running it again seats only those still waiting.
    post arrange "/sites/{id}/arrange" (path "id" "<计划 id>.<站点 id>.<科目 id>", body ArrangeInput) -> ArrangeOutcome [400, 403, 404, 409] => arrange::arrange;
    /// 考场编排: the arranged rooms of the subjects the school sits.
    get rooms "/rooms" (query RoomRowFilter, page) -> Paged<RoomRow> [403] => rooms::room_rows;
    /// 批量导出考场编排记录: the ticked rooms, or all matching.
    post export_rooms "/rooms/export" (body RoomRowExportRequest) -> ExportFile [403] => rooms::export;
    /// 查看考点编排详情: the room's seats (ID numbers masked).
    get room "/rooms/{id}" (path "id" "<考场 id>.<科目 id>") -> RoomDetail [403, 404] => rooms::room;
    /// 下载考场门贴 (PDF, A4 landscape): every school that sees the room.
    post door_sign "/rooms/{id}/door-sign" (path "id" "<考场 id>.<科目 id>") -> PrintFile [403, 404] => print::door;
    /// 下载考场桌贴 (PDF, eight labels a page with photos): the site's school.
    post desk_labels "/rooms/{id}/desk-labels" (path "id" "<考场 id>.<科目 id>") -> PrintFile [403, 404] => print::desk;
    /// 下载考场签到表 (PDF, header on every page): the site's school.
    post sign_in_sheet "/rooms/{id}/sign-in-sheet" (path "id" "<考场 id>.<科目 id>") -> PrintFile [403, 404] => print::sign_in;
    /// 导出准考证 of a room (PDF, a page each): all its candidates for the
    /// site's school, a school's own for the others.
    post room_tickets "/rooms/{id}/tickets" (path "id" "<考场 id>.<科目 id>") -> PrintFile [403, 404, 409] => print::room_tickets;
    /// 手动调整: move a candidate to a free seat, or swap two.
    post adjust "/rooms/{id}/adjust" (path "id" "<考场 id>.<科目 id>", body AdjustInput) -> RoomDetail [400, 403, 404, 409] => adjust::adjust;
    /// 取消编排 of a room: its candidates go back to 未排考.
    delete cancel "/rooms/{id}" (path "id" "<考场 id>.<科目 id>") [403, 404, 409] => adjust::cancel;
    /// 排考明细: the school's seated candidates, by keyset cursor.
    get details "/details" (query SeatRowFilter, query CursorParams) -> SeatRowPage [400, 403] => details::list;
    /// 导出排考明细 (ID numbers masked).
    post export_details "/details/export" (body SeatRowExportRequest) -> ExportFile [400, 403] => details::export;
    /// 考场签到 (监考员): the rooms the invigilator is on duty in, today's
    /// and those to come.
    get my_rooms "/invigilation/rooms" () -> Vec<DutyRoom> [403] => invigilation::my_rooms;
    /// 考场签到 (监考员): one of those rooms with its candidates.
    get door "/invigilation/rooms/{id}" (path "id" "<考场 id>.<科目 id>") -> DoorRoom [403, 404] => invigilation::door;
    /// 签到 (监考员): the 准考证's QR code or a typed 准考证号, from an hour
    /// before the exam until it ends.
    post sign_in "/invigilation/rooms/{id}/sign-in" (path "id" "<考场 id>.<科目 id>", body SignInInput) -> SignInOutcome [400, 403, 404, 409] => invigilation::sign_in;
    /// 导出准考证 of the ticked 排考明细 rows, or of all matching (one plan;
    /// at most 500 candidates a file).
    post detail_tickets "/details/tickets" (body SeatRowExportRequest) -> PrintFile [400, 403, 409] => print::detail_tickets;
    /// 批量打印: the chosen documents of every room the school runs among
    /// the 考场编排 rows the filter matches (a plan, or a site of it), made
    /// into one zip by the print worker; one job of a school at a time.
    post create_print_job "/prints" (body PrintJobInput) -> PrintJobView [400, 403, 404, 409] => job::create;
    /// 批量打印: the school's latest 20 jobs, newest first.
    get print_jobs "/prints" () -> Vec<PrintJobView> [403] => job::list;
    /// One 批量打印 job: its progress, and the zip's download link once done.
    get print_job "/prints/{id}" (path "id" "任务 id") -> PrintJobView [403, 404] => job::get;
}
