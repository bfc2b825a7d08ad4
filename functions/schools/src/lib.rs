//! `/api/schools` — 试点院校管理 (manual §2.2): the school views and edits
//! its own profile and uploads its 电子签章.

use vslc_accounts::Session;
use vslc_catalogue::images::ImageUpload;
use vslc_catalogue::school::{self, SchoolInput, SchoolView};
use vslc_http::{Area, AreaRouter};

pub const AREA: Area = Area::new("schools", "/api/schools", "试点院校");

pub fn routes() -> AreaRouter {
    handlers()
}

vslc_http::handlers! {
    tag = "schools", session = Session;
    /// 查看院校详情, with 试点证书负责人 and a link to the 电子签章.
    get view "/profile" () -> SchoolView [403] => school::view;
    /// 编辑院校信息 (院校管理员).
    put edit "/profile" (body SchoolInput) -> SchoolView [400, 403] => school::edit;
    /// 上传电子签章: step 1, the PNG upload URL.
    post begin_seal "/profile/seal" () -> ImageUpload [403] => school::begin_seal;
    /// Step 2: the uploaded PNG is checked (real image, ≤ 1 MB, 100–1000 px) and kept.
    post confirm_seal "/profile/seal/confirm" () -> SchoolView [400] => school::confirm_seal;
}
