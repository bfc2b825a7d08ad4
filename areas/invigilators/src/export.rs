//! 批量导出监考人员: one row per certificate of each invigilator, as the
//! manual's sample; the ticked invigilators, or all the list's filter
//! matches (then only their certificates the filter asks for). Phones
//! masked.

use super::service::{InvigilatorFilter, roster};
use vslc_files::export::{Cell, ExportFile};
use vslc_http::{ExportFilter, ExportRequest};
use vslc_ports::{AppState, Caller, DomainError};

/// 批量导出监考人员: the ticked invigilators, or those the filter matches.
pub type InvigilatorExportRequest = ExportRequest<InvigilatorFilter>;

impl ExportFilter for InvigilatorFilter {
    const REQUEST_NAME: &'static str = "InvigilatorExportRequest";
    const REQUEST_DOC: &'static str = "Export request: selected ids, or the filter.";
}

/// The manual's columns (its 证书管理 column is the page's 审核 action,
/// not data).
pub const HEADERS: [&str; 9] = [
    "教师编号",
    "教师姓名",
    "手机号码",
    "所属院校",
    "所在区域",
    "证书编号",
    "申请通过的证书",
    "颁证机构",
    "认证状态",
];

pub async fn export(
    state: &AppState,
    caller: &Caller,
    req: InvigilatorExportRequest,
) -> Result<ExportFile, DomainError> {
    let school = caller.school_reader()?;
    let (chosen, any) = (req.selection(), InvigilatorFilter::default());
    let f = chosen.filter_or(&any);
    let mut cells: Vec<Vec<Cell>> = Vec::new();
    for (p, mut certs) in roster(state, school).await? {
        if !chosen.keeps(&p.id, |f| f.matches(&p, &certs)) {
            continue;
        }
        certs.retain(|c| f.keeps_certificate(c));
        certs.sort_by(|a, b| a.certificate_code.cmp(&b.certificate_code));
        for c in certs {
            cells.push(vec![
                p.teacher_no.clone().into(),
                p.name.clone().into(),
                vslc_ports::mask::phone(&p.phone).into(),
                p.school_name.clone().into(),
                p.region.clone().into(),
                c.certificate_code.into(),
                c.certificate_name.into(),
                c.org_name.into(),
                c.status.label().into(),
            ]);
        }
    }
    vslc_files::export::deliver_sheet(state, school, "invigilators", "监考人员", &HEADERS, cells)
        .await
}
