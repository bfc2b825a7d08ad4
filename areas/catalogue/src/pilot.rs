//! 已参与试点证书: a school takes part in a certificate once its pilot
//! declaration is approved. Kept in the school's partition, and indexed by
//! the certificate's org (GSI1) for the org's view of its pilot schools.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use vslc_accounts::manage::SchoolPilots;
use vslc_ports::{AppState, DomainError};

use vslc_accounts::Tenant;
use vslc_ports::table::{Index, Item, Key, Query, Table, TableError, TableExt, to_item};
use vslc_ports::tenant::org_index;

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
    /// The approved declarations behind the levels (empty for pilots the
    /// platform recorded before declarations existed).
    #[serde(default)]
    pub declared: Vec<PilotLevel>,
    #[serde(default)]
    pub version: u64,
}

/// One approved declaration: a level and the majors it named (empty: every
/// major of the certificate may register).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PilotLevel {
    pub level: super::Level,
    pub year: i32,
    pub declaration_id: String,
    #[serde(default)]
    pub majors: Vec<String>,
}

impl Pilot {
    pub fn key(school: &Tenant, certificate_id: &str) -> Key {
        Key::new(school.pk(), format!("PILOT#{certificate_id}"))
    }

    pub async fn put(&self, table: &dyn Table, school: &Tenant) -> Result<(), TableError> {
        table.put(self.to_item(school)?, None).await
    }

    /// The stored item, on the org's index of its pilot schools.
    pub fn to_item(&self, school: &Tenant) -> Result<Item, TableError> {
        let mut item = to_item(&Self::key(school, &self.certificate_id), self)?;
        item.insert(
            Index::Gsi1.pk_attr().into(),
            org_index(&self.org_id, "PILOT").into(),
        );
        item.insert(
            Index::Gsi1.sk_attr().into(),
            format!("{}#{}", self.certificate_id, self.school_id).into(),
        );
        Ok(item)
    }

    /// The majors the approved declaration of a level named; empty when it
    /// named none (or the pilot predates declarations): no restriction.
    pub fn declared_majors(&self, level: super::Level) -> &[String] {
        self.declared
            .iter()
            .find(|d| d.level == level)
            .map(|d| d.majors.as_slice())
            .unwrap_or_default()
    }

    /// Every pilot of an org's certificates: which schools take part in which.
    pub async fn of_org(table: &dyn Table, org_id: &str) -> Result<Vec<Self>, TableError> {
        table
            .query_all_as(Query::index(Index::Gsi1, org_index(org_id, "PILOT")))
            .await
    }

    /// The certificates a school takes part in.
    pub async fn of_school(table: &dyn Table, school: &Tenant) -> Result<Vec<Self>, TableError> {
        table
            .query_all_as(Query::partition(school.pk()).begins_with("PILOT#"))
            .await
    }
}

/// The certificates a school takes part in, for accounts' 证书负责人 check.
pub struct Pilots;

#[async_trait]
impl SchoolPilots for Pilots {
    async fn certificates(
        &self,
        state: &AppState,
        school: &Tenant,
    ) -> Result<Vec<String>, DomainError> {
        let pilots = Pilot::of_school(state.table.as_ref(), school).await?;
        Ok(pilots.into_iter().map(|p| p.certificate_id).collect())
    }
}
