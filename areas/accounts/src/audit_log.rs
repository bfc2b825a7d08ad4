//! 操作日志 as a tenant's administrator reads it: newest first, one keyset
//! page at a time out of the tenant's own partition (never a scan), and
//! the export of what a filter matches.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use vslc_audit::model::{AuditEntry, AuditKind, SK_PREFIX};
use vslc_files::export::{ExportFile, deliver_sheet};
pub use vslc_http::CursorParams;
use vslc_http::filter;
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::clock::{TIME_FORMAT, cst};
use vslc_ports::keyset;
use vslc_ports::table::{Query, SkCond, from_item};

/// 操作日志 filters (the search form).
#[derive(Debug, Clone, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// 操作类型 (登录, 查看, 导出, 下载, 导入, 新增, 修改, 删除, 授权, 其他).
    pub kind: Option<String>,
    /// An operation code (`candidate.view`) or words of 操作内容.
    pub action: Option<String>,
    /// 操作人员: name or account (contains).
    pub user_name: Option<String>,
    /// 操作状态: 成功 / 失败.
    pub outcome: Option<String>,
    /// 操作时间 from (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, China time).
    pub from: Option<String>,
    /// 操作时间 to (a day includes all of it).
    pub to: Option<String>,
}

/// One page of 操作日志, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Where the next page starts; none on the last page.
    pub next_cursor: Option<String>,
}

/// Most entries one export holds.
pub const MAX_EXPORT_ROWS: usize = 20_000;

/// The tenant administrators (院校管理员, 培训评价组织管理员, 省级管理员)
/// read their own tenant's log.
fn reader(caller: &Caller) -> Result<&crate::Tenant, DomainError> {
    if caller.roles.iter().any(|r| r.is_admin()) {
        Ok(&caller.tenant)
    } else {
        Err(DomainError::forbidden("仅本单位管理员可以查看操作日志"))
    }
}

fn bad_time() -> DomainError {
    DomainError::invalid(
        "BAD_TIME",
        "操作时间格式不正确，请使用 YYYY-MM-DD 或 YYYY-MM-DD HH:MM:SS",
    )
}

/// A bound of the time filter in milliseconds since the epoch.
fn bound(text: Option<&str>, end: bool) -> Result<Option<u64>, DomainError> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let local = match NaiveDateTime::parse_from_str(t, TIME_FORMAT) {
        Ok(dt) if end => dt + chrono::Duration::milliseconds(999),
        Ok(dt) => dt,
        Err(_) => {
            let day = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad_time())?;
            if end {
                day.and_hms_milli_opt(23, 59, 59, 999)
                    .ok_or_else(bad_time)?
            } else {
                day.and_hms_opt(0, 0, 0).ok_or_else(bad_time)?
            }
        }
    };
    let ms = local
        .and_local_timezone(cst())
        .single()
        .ok_or_else(bad_time)?
        .timestamp_millis();
    Ok(Some(u64::try_from(ms.max(0)).unwrap_or(0)))
}

/// The sort-key range of the time filter: ids are ULIDs, which start with
/// their millisecond.
fn range(f: &AuditFilter) -> Result<SkCond, DomainError> {
    let (from, to) = (
        bound(f.from.as_deref(), false)?,
        bound(f.to.as_deref(), true)?,
    );
    if from.is_none() && to.is_none() {
        return Ok(SkCond::BeginsWith(SK_PREFIX.to_owned()));
    }
    let lo = ulid::Ulid::from_parts(from.unwrap_or(0), 0);
    let hi = ulid::Ulid::from_parts(to.unwrap_or((1 << 48) - 1), u128::MAX);
    if lo > hi {
        return Err(DomainError::invalid("BAD_TIME", "开始时间不能晚于结束时间"));
    }
    Ok(SkCond::Between(
        format!("{SK_PREFIX}{lo}"),
        format!("{SK_PREFIX}{hi}"),
    ))
}

pub fn matches(e: &AuditEntry, f: &AuditFilter, now: i64) -> bool {
    let action = match f.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => true,
        Some(a) => e.action == a || filter::text(&e.label, Some(a)),
    };
    e.expires_at > now
        && action
        && filter::exact(e.kind.label(), f.kind.as_deref())
        && filter::exact(e.outcome.label(), f.outcome.as_deref())
        && (filter::text(&e.user_name, f.user_name.as_deref())
            || filter::text(&e.account, f.user_name.as_deref()))
}

fn query(caller: &Caller, f: &AuditFilter) -> Result<Query, DomainError> {
    let tenant = reader(caller)?;
    Ok(Query::partition(AuditEntry::partition(Some(tenant)))
        .sk(range(f)?)
        .reverse())
}

/// 操作日志列表: the caller's own tenant only, newest first; the filters
/// other than 操作时间 are applied to at most ten reads of 100 entries.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &AuditFilter,
    paging: &CursorParams,
) -> Result<AuditPage, DomainError> {
    let now = state.clock.now().timestamp();
    let (items, next_cursor) = keyset::scan(
        state.table.as_ref(),
        query(caller, f)?,
        paging.cursor.as_deref(),
        paging.size()?,
        |e: &AuditEntry| matches(e, f, now),
    )
    .await?;
    Ok(AuditPage { items, next_cursor })
}

const HEADERS: [&str; 12] = [
    "日志编号",
    "操作时间",
    "系统模块",
    "操作类型",
    "操作内容",
    "操作对象",
    "操作人员",
    "角色",
    "客户端地址",
    "操作状态",
    "说明",
    "请求编号",
];

/// 操作对象 as one text: kind, id and the masked description.
pub fn target_text(e: &AuditEntry) -> String {
    [&e.target_kind, &e.target_id, &e.target_label]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

fn row(e: &AuditEntry) -> Vec<String> {
    let user = if e.user_name.is_empty() {
        e.account.clone()
    } else {
        format!("{} ({})", e.user_name, e.account)
    };
    vec![
        e.id.clone(),
        e.at.clone(),
        e.module.clone(),
        e.kind.label().to_owned(),
        e.label.clone(),
        target_text(e),
        user,
        e.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、"),
        e.client_addr.clone(),
        e.outcome.label().to_owned(),
        e.detail.clone().unwrap_or_default(),
        e.request_id.clone().unwrap_or_default(),
    ]
}

/// 导出操作日志: everything the filter matches, newest first (the export
/// is itself recorded, by `deliver`).
pub async fn export(
    state: &AppState,
    caller: &Caller,
    f: AuditFilter,
) -> Result<ExportFile, DomainError> {
    let f = &f;
    let tenant = reader(caller)?.clone();
    let now = state.clock.now().timestamp();
    let mut q = query(caller, f)?.limit(1000);
    let mut entries = Vec::new();
    loop {
        let page = state.table.query(q.clone()).await?;
        for item in page.items {
            let e: AuditEntry = from_item(item)?;
            if matches(&e, f, now) {
                entries.push(e);
            }
        }
        if entries.len() > MAX_EXPORT_ROWS {
            return Err(DomainError::invalid(
                "EXPORT_TOO_LARGE",
                format!("符合条件的日志超过 {MAX_EXPORT_ROWS} 条，请缩小操作时间范围后再导出"),
            ));
        }
        match page.next {
            Some(next) => q.cursor = Some(next),
            None => break,
        }
    }
    // Every column is text (ids, times, names, addresses).
    let rows: Vec<Vec<vslc_files::export::Cell>> = entries
        .iter()
        .map(|e| row(e).into_iter().map(Into::into).collect())
        .collect();
    deliver_sheet(state, &tenant, "audit", "操作日志", &HEADERS, rows).await
}

/// 操作类型 as the search form offers them.
pub fn kinds() -> Vec<AuditKind> {
    AuditKind::ALL.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_filters_become_a_sort_key_range() {
        let f = AuditFilter {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        };
        let SkCond::Between(lo, hi) = range(&f).unwrap() else {
            panic!("a range")
        };
        // 2026-11-01 00:00 China time is 2026-10-31 16:00 UTC.
        let ms = chrono::DateTime::parse_from_rfc3339("2026-10-31T16:00:00Z")
            .unwrap()
            .timestamp_millis() as u64;
        let inside = format!("{SK_PREFIX}{}", ulid::Ulid::from_parts(ms + 5, 42));
        let before = format!("{SK_PREFIX}{}", ulid::Ulid::from_parts(ms - 1, 42));
        let after = format!("{SK_PREFIX}{}", ulid::Ulid::from_parts(ms + 86_400_000, 0));
        assert!(SkCond::Between(lo.clone(), hi.clone()).matches(&inside));
        assert!(!SkCond::Between(lo.clone(), hi.clone()).matches(&before));
        assert!(!SkCond::Between(lo, hi).matches(&after));
        assert!(matches!(
            range(&AuditFilter::default()).unwrap(),
            SkCond::BeginsWith(_)
        ));
        let backwards = AuditFilter {
            from: Some("2026-11-02".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        };
        assert!(range(&backwards).is_err());
        let bad = AuditFilter {
            from: Some("yesterday".into()),
            ..Default::default()
        };
        assert!(range(&bad).is_err());
    }
}
