//! The stored weekly report (周报 / 半月报).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::period::Period;
use vslc_accounts::{Tenant, TenantKind};
use vslc_ports::domain::RichText;
use vslc_ports::table::{Index, Item, Key, TableError, to_indexed_item};
use vslc_review::log::ReviewRecord;

/// 审核状态. 逾期未提交 is set by the period closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ReportStatus {
    #[serde(rename = "未提交")]
    Draft,
    #[serde(rename = "待审核")]
    Pending,
    #[serde(rename = "审核通过")]
    Approved,
    #[serde(rename = "审核退回")]
    Returned,
    #[serde(rename = "逾期未提交")]
    Overdue,
}

impl ReportStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "未提交",
            ReportStatus::Pending => "待审核",
            ReportStatus::Approved => "审核通过",
            ReportStatus::Returned => "审核退回",
            ReportStatus::Overdue => "逾期未提交",
        }
    }
}

/// The period's figures, filled in from live data and editable before 提交.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// 新增考生数.
    pub candidates: u32,
    /// 新增报考数.
    pub registrations: u32,
    /// 考试场次 (科目考试人次).
    pub exams: u32,
    /// 发放证书数.
    pub certificates: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeeklyReport {
    /// `<学校代码>-<period id>`.
    pub id: String,
    pub school_id: String,
    pub school_name: String,
    pub province_id: String,
    pub period: Period,
    /// 2026-11-23 至 2026-11-29.
    pub period_label: String,
    /// 周报内容 (sanitised HTML).
    pub content: RichText,
    pub figures: Figures,
    pub status: ReportStatus,
    #[serde(default)]
    pub review_reason: Option<String>,
    /// 审核记录.
    #[serde(default)]
    pub history: Vec<ReviewRecord>,
    pub created_at: String,
    #[serde(default)]
    pub submitted_at: Option<String>,
    pub version: u64,
}

impl WeeklyReport {
    pub fn id_of(school: &Tenant, period: &Period) -> String {
        format!("{}-{}", school.id, period.id())
    }

    pub fn school(&self) -> Tenant {
        Tenant::new(TenantKind::School, &self.school_id)
    }

    /// One report per school and period: the key is the period.
    pub fn key(school: &Tenant, period_id: &str) -> Key {
        Key::new(school.pk(), format!("WREPORT#{period_id}"))
    }

    /// The school and period an id names.
    pub fn parse_id(id: &str) -> Option<(Tenant, &str)> {
        let (school, period) = id.split_once('-')?;
        let ok = !school.is_empty()
            && school.chars().all(|c| c.is_ascii_alphanumeric())
            && period.len() == 17
            && period.chars().all(|c| c.is_ascii_digit() || c == '-');
        ok.then(|| (Tenant::new(TenantKind::School, school), period))
    }

    pub fn province_index(province_id: &str) -> String {
        Tenant::new(TenantKind::Province, province_id).index("WREPORTS")
    }

    /// The stored item, on its province's index by period.
    pub fn to_item(&self) -> Result<Item, TableError> {
        let period = self.period.id();
        let on = Key::new(
            Self::province_index(&self.province_id),
            format!("{period}#{}", self.school_id),
        );
        to_indexed_item(&Self::key(&self.school(), &period), self, Index::Gsi1, on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_school_and_period() {
        let (school, period) = WeeklyReport::parse_id("10009-20261123-20261129").unwrap();
        assert_eq!((school.id.as_str(), period), ("10009", "20261123-20261129"));
        assert!(WeeklyReport::parse_id("10009-2026").is_none());
        assert!(WeeklyReport::parse_id("T#x-20261123-20261129").is_none());
    }
}
