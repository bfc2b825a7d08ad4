//! `/api/orgs` — 培训评价组织管理 (manual §2.1): a school sees the orgs of the
//! certificates it takes part in, with those certificates.

use vslc_accounts::Session;
use vslc_catalogue::images::ImageUpload;
use vslc_catalogue::org::{OrgInput, OrgProfile, profile as org_profile};
use vslc_catalogue::service::{self, OrgDetail, OrgFilter, OrgRow};
use vslc_http::{Area, AreaRouter, Paged};

pub const AREA: Area = Area::new("orgs", "/api/orgs", "培训评价组织");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "orgs", session = Session;
    /// 本机构信息 (培训评价组织 accounts), with links to its 公章 and 签名章.
    get profile "/profile" () -> OrgProfile [403] => org_profile::view;
    /// 编辑本机构信息.
    put edit_profile "/profile" (body OrgInput) -> OrgProfile [400, 403] => org_profile::edit;
    /// 培训评价组织列表.
    get list "" (query OrgFilter, page) -> Paged<OrgRow> [] => service::orgs;
    /// 查看培训评价组织: details and its certificates (a school: those it takes part in).
    get detail "/{id}" (id) -> OrgDetail [404] => service::org_detail;
    /// 上传公章 (`seal`) or 签名章 (`signature`): step 1, the PNG upload URL.
    post begin_image "/profile/images/{image}" (path "image" "seal | signature") -> ImageUpload [403] => org_profile::begin_image;
    /// Step 2: the uploaded PNG is checked (real image, ≤ 1 MB, 100–1000 px) and kept.
    post confirm_image "/profile/images/{image}/confirm" (path "image" "seal | signature") -> OrgProfile [400] => org_profile::confirm_image;
}
