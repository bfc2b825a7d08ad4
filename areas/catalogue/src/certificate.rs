//! 职业技能等级证书: levels, category, batch and the majors (2021 专业目录)
//! it is open to. Registering a certificate writes a ledger transaction; its
//! 上链信息 is kept on the record.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_ledger::{self as ledger, ChainInfo, TxBody};
use vslc_ports::table::{Condition, Key, Query, Table, TableExt, Update, to_item};

pub const CERTS_PK: &str = "CATALOGUE#CERT";

/// 证书等级.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
pub enum Level {
    #[serde(rename = "初级")]
    Junior,
    #[serde(rename = "中级")]
    Intermediate,
    #[serde(rename = "高级")]
    Senior,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Junior => "初级",
            Level::Intermediate => "中级",
            Level::Senior => "高级",
        }
    }
}

/// 专业层次.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum MajorLevel {
    #[serde(rename = "中职")]
    Secondary,
    #[serde(rename = "高职专科")]
    Vocational,
    #[serde(rename = "职业本科")]
    VocationalBachelor,
    #[serde(rename = "普通本科")]
    Bachelor,
}

impl MajorLevel {
    pub fn label(self) -> &'static str {
        match self {
            MajorLevel::Secondary => "中职",
            MajorLevel::Vocational => "高职专科",
            MajorLevel::VocationalBachelor => "职业本科",
            MajorLevel::Bachelor => "普通本科",
        }
    }
}

/// 专业: 专业代码, 专业名称, 专业版本, 专业层次.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Major {
    pub code: String,
    pub name: String,
    /// 专业目录版本, e.g. `2021`.
    pub version: String,
    pub level: MajorLevel,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    pub id: String,
    /// 证书代码.
    pub code: String,
    pub name: String,
    /// 颁证机构.
    pub org_id: String,
    pub org_name: String,
    pub levels: Vec<Level>,
    /// 证书类别 (信息技术, 财经商贸, 医药卫生 …).
    pub category: String,
    /// 批次 (第一批 … 第四批).
    pub batch: String,
    pub majors: Vec<Major>,
    /// 上链信息, set when registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<ChainInfo>,
    pub version: u64,
}

impl Certificate {
    pub fn key(id: &str) -> Key {
        Key::new(CERTS_PK, id)
    }

    pub async fn load(table: &dyn Table, id: &str) -> Result<Option<Self>, vslc_ports::TableError> {
        table.get_as(&Self::key(id)).await
    }

    pub async fn all(table: &dyn Table) -> Result<Vec<Self>, vslc_ports::TableError> {
        table.query_all_as(Query::partition(CERTS_PK)).await
    }

    /// What the ledger records of a certificate: identity, issuer, levels, majors.
    fn ledger_body(&self, time: &str) -> TxBody {
        let mut payload = serde_json::to_value(self).expect("certificate serialises");
        if let Some(o) = payload.as_object_mut() {
            o.remove("chain");
            o.remove("version");
        }
        TxBody {
            kind: "certificate.register".into(),
            payload,
            time: time.to_owned(),
        }
    }

    /// Registers new certificates: one ledger block for the batch, then each
    /// record with its 上链信息. A certificate id already present is refused.
    pub async fn register(
        table: &dyn Table,
        certs: Vec<Certificate>,
        time: &str,
    ) -> anyhow::Result<Vec<Certificate>> {
        let mut out = Vec::with_capacity(certs.len());
        for chunk in certs.chunks(ledger::MAX_BLOCK_TXS) {
            let bodies = chunk.iter().map(|c| c.ledger_body(time)).collect();
            let infos = ledger::append(table, bodies, time).await?;
            for (cert, info) in chunk.iter().zip(infos) {
                let mut cert = cert.clone();
                cert.chain = Some(info);
                table
                    .put(
                        to_item(&Self::key(&cert.id), &cert)?,
                        Some(Condition::NotExists),
                    )
                    .await?;
                out.push(cert);
            }
        }
        Ok(out)
    }

    /// Updates the editable fields (conditional on the version read).
    pub async fn save(
        &self,
        table: &dyn Table,
        expected_version: u64,
    ) -> Result<Certificate, vslc_ports::TableError> {
        let update = Update::new()
            .set("name", self.name.as_str())
            .set_json("levels", &self.levels)?
            .set("category", self.category.as_str())
            .set("batch", self.batch.as_str())
            .set_json("majors", &self.majors)?;
        table
            .update_versioned(&Self::key(&self.id), expected_version, update)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::MajorLevel;

    #[test]
    fn major_level_labels_are_their_serialised_names() {
        for l in [
            MajorLevel::Secondary,
            MajorLevel::Vocational,
            MajorLevel::VocationalBachelor,
            MajorLevel::Bachelor,
        ] {
            assert_eq!(
                serde_json::to_value(l).unwrap(),
                serde_json::json!(l.label())
            );
        }
    }
}
