//! 已参与试点证书: a school takes part in a certificate once its pilot
//! declaration is approved. Kept in the school's partition, and indexed by
//! the certificate's org (GSI1) for the org's view of its pilot schools.

use serde::{Deserialize, Serialize};

use crate::accounts::Tenant;
use crate::ports::table::{Index, Key, Query, Table, TableError, TableExt, from_item, to_item};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pilot {
    pub school_id: String,
    pub school_name: String,
    pub certificate_id: String,
    pub org_id: String,
    /// 申报年度 of the approved declaration.
    pub year: i32,
    /// Levels approved.
    pub levels: Vec<super::Level>,
    /// Majors named by the approved declaration (empty: no restriction).
    #[serde(default)]
    pub majors: Vec<String>,
}

impl Pilot {
    pub fn key(school: &Tenant, certificate_id: &str) -> Key {
        Key::new(school.pk(), format!("PILOT#{certificate_id}"))
    }

    pub async fn put(&self, table: &dyn Table, school: &Tenant) -> Result<(), TableError> {
        let mut item = to_item(&Self::key(school, &self.certificate_id), self)?;
        item.insert(
            Index::Gsi1.pk_attr().into(),
            format!("ORG#{}#PILOT", self.org_id).into(),
        );
        item.insert(
            Index::Gsi1.sk_attr().into(),
            format!("{}#{}", self.certificate_id, self.school_id).into(),
        );
        table.put(item, None).await
    }

    /// The certificates a school takes part in.
    pub async fn of_school(table: &dyn Table, school: &Tenant) -> Result<Vec<Self>, TableError> {
        table
            .query_all(Query::partition(school.pk()).begins_with("PILOT#"))
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
