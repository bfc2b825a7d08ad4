//! 培训评价组织.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ports::table::{Key, Query, Table, TableError, TableExt, from_item, to_item};

pub const ORGS_PK: &str = "CATALOGUE#ORG";

/// 机构性质.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum OrgNature {
    #[serde(rename = "企业")]
    Enterprise,
    #[serde(rename = "行业协会")]
    Association,
    #[serde(rename = "研究机构")]
    Institute,
    #[serde(rename = "事业单位")]
    PublicInstitution,
    #[serde(rename = "民办非企")]
    NonProfit,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub id: String,
    pub name: String,
    pub nature: OrgNature,
    pub contact: String,
    pub phone: String,
    pub address: String,
    #[serde(default)]
    pub introduction: String,
    /// 公章 image (documents bucket key), used when sealing certificates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<String>,
    /// 签名章 image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_key: Option<String>,
    pub version: u64,
}

impl Org {
    pub fn key(id: &str) -> Key {
        Key::new(ORGS_PK, id)
    }

    pub async fn put(&self, table: &dyn Table) -> Result<(), TableError> {
        table.put(to_item(&Self::key(&self.id), self)?, None).await
    }

    pub async fn load(table: &dyn Table, id: &str) -> Result<Option<Self>, TableError> {
        table.get_as(&Self::key(id)).await
    }

    pub async fn all(table: &dyn Table) -> Result<Vec<Self>, TableError> {
        table
            .query_all(Query::partition(ORGS_PK))
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
