//! 按证书导出申报明细: one row per declared major (or one per declaration
//! that named none), for the school's own declarations or the province's.

use super::model::Declaration;
use super::review;
use super::service::{self, DeclarationFilter, matches};
use vslc_accounts::TenantKind;
use vslc_files::export::{Cell, ExportFile, deliver, sheet};
use vslc_ports::AppState;
use vslc_ports::Caller;
use vslc_ports::DomainError;

const HEADERS: [&str; 17] = [
    "申报年度",
    "申报批次",
    "学校代码",
    "学校名称",
    "证书名称",
    "证书等级",
    "颁证机构",
    "专业代码",
    "专业名称",
    "专业版本",
    "本专业在校学生数",
    "本专业专任教师数",
    "申请培训人数",
    "审核人数",
    "申请总人数",
    "审核总人数",
    "审核状态",
];

/// 专业代码 … 审核人数: the columns of a declared major, left empty on the
/// row of a declaration that named none.
const MAJOR_COLUMNS: usize = 7;

fn rows(declarations: &[Declaration]) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    for d in declarations {
        let head: Vec<Cell> = vec![
            d.year.to_string().into(),
            d.batch_label.clone().into(),
            d.school_id.clone().into(),
            d.school_name.clone().into(),
            d.certificate_name.clone().into(),
            d.level.label().into(),
            d.org_name.clone().into(),
        ];
        let tail = [
            Cell::count(d.applied_total),
            Cell::count_or_empty(d.approved_total),
            d.status.label().into(),
        ];
        if d.majors.is_empty() {
            let mut r = head.clone();
            r.extend(vec![Cell::Empty; MAJOR_COLUMNS]);
            r.extend(tail.iter().cloned());
            out.push(r);
        }
        for m in &d.majors {
            let mut r = head.clone();
            r.extend([
                m.code.clone().into(),
                m.name.clone().into(),
                m.version.clone().into(),
                Cell::count(m.students),
                Cell::count(m.teachers),
                Cell::count(m.applied),
                Cell::count_or_empty(m.approved),
            ]);
            r.extend(tail.iter().cloned());
            out.push(r);
        }
    }
    out
}

/// The school's own declarations or, for a province, its schools'; sorted
/// by certificate so that each certificate's rows stand together.
pub async fn export(
    state: &AppState,
    caller: &Caller,
    f: DeclarationFilter,
) -> Result<ExportFile, DomainError> {
    let f = &f;
    let mut all = match caller.tenant.kind {
        TenantKind::School => service::all(state, &caller.tenant).await?,
        TenantKind::Province => review::of_province(state, &caller.tenant.id).await?,
        TenantKind::Org => {
            return Err(DomainError::forbidden(
                "申报明细仅供试点院校和省级教育行政部门导出",
            ));
        }
    };
    all.retain(|d| matches(d, f));
    all.sort_by(|a, b| {
        (&a.certificate_name, a.level.label(), a.year, &a.school_id).cmp(&(
            &b.certificate_name,
            b.level.label(),
            b.year,
            &b.school_id,
        ))
    });
    let rows = rows(&all);
    let bytes = sheet("申报明细", &HEADERS, &rows).map_err(DomainError::internal)?;
    deliver(
        state,
        &caller.tenant,
        "declarations",
        "证书试点申报明细",
        rows.len(),
        bytes,
    )
    .await
}
