//! 导入记录: one per upload, owned by the tenant that uploaded it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_accounts::Tenant;
use vslc_ports::table::{Condition, Key, Query, Table, TableError, TableExt, Update, to_item};

/// 导入状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ImportStatus {
    #[serde(rename = "排队中")]
    Queued,
    #[serde(rename = "处理中")]
    Processing,
    #[serde(rename = "已完成")]
    Completed,
    #[serde(rename = "失败")]
    Failed,
}

impl ImportStatus {
    pub fn label(self) -> &'static str {
        match self {
            ImportStatus::Queued => "排队中",
            ImportStatus::Processing => "处理中",
            ImportStatus::Completed => "已完成",
            ImportStatus::Failed => "失败",
        }
    }
    pub fn is_final(self) -> bool {
        matches!(self, ImportStatus::Completed | ImportStatus::Failed)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRecord {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub tenant: Tenant,
    pub file_name: String,
    pub upload_key: String,
    #[serde(default)]
    pub params: serde_json::Value,
    pub dry_run: bool,
    pub status: ImportStatus,
    pub total: usize,
    pub success: usize,
    pub failed: usize,
    /// 0–100.
    pub progress: u8,
    /// Why the whole file failed (bad template, unreadable file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_rows_key: Option<String>,
    pub created_by: String,
    pub created_by_name: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Deliveries that started processing (more than 1 after a crash or retry).
    #[serde(default)]
    pub attempts: u32,
    pub version: u64,
}

impl ImportRecord {
    pub fn key(tenant: &Tenant, id: &str) -> Key {
        Key::new(tenant.pk(), format!("IMPORT#{id}"))
    }

    /// A new 排队中 record of a `kind` import whose file (`.<extension>`)
    /// is still to be uploaded: a fresh id and the upload key the worker
    /// finds it by, nothing counted yet. The caller fills in the file name,
    /// the params and who created it, and when.
    pub fn queued(kind: &str, tenant: &Tenant, extension: &str) -> Self {
        let id = ulid::Ulid::new().to_string();
        Self {
            upload_key: Self::upload_key_for(tenant, &id, extension),
            id,
            kind: kind.into(),
            tenant: tenant.clone(),
            file_name: String::new(),
            params: serde_json::Value::Null,
            dry_run: false,
            status: ImportStatus::Queued,
            total: 0,
            success: 0,
            failed: 0,
            progress: 0,
            message: None,
            failed_rows_key: None,
            created_by: String::new(),
            created_by_name: String::new(),
            created_at: String::new(),
            finished_at: None,
            attempts: 0,
            version: 1,
        }
    }

    /// `imports/<kind>/<tenant>/<id>.<ext>`: the worker finds the record from it.
    pub fn upload_key_for(tenant: &Tenant, id: &str, ext: &str) -> String {
        let prefix = vslc_ports::blobs::IMPORT_UPLOADS;
        format!("{prefix}{}/{id}.{ext}", tenant.path())
    }

    /// The tenant and import id an upload key names.
    pub fn parse_upload_key(key: &str) -> Option<(Tenant, String)> {
        let mut parts = key.split('/');
        let (Some("imports"), Some(kind), Some(tid), Some(file), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let id = file.split_once('.').map_or(file, |(id, _)| id);
        let ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric());
        Some((Tenant::parse_path(kind, tid)?, id.to_owned())).filter(|_| ok)
    }

    pub async fn create(&self, table: &dyn Table) -> Result<(), TableError> {
        table
            .put(
                to_item(&Self::key(&self.tenant, &self.id), self)?,
                Some(Condition::NotExists),
            )
            .await
    }

    pub async fn load(
        table: &dyn Table,
        tenant: &Tenant,
        id: &str,
    ) -> Result<Option<Self>, TableError> {
        table.get_as(&Self::key(tenant, id)).await
    }

    /// The tenant's records, newest first (ids are ULIDs, so key order is
    /// time order), read from where the last page stopped.
    pub fn newest_first(tenant: &Tenant) -> Query {
        Query::partition(tenant.pk())
            .begins_with("IMPORT#")
            .reverse()
    }

    /// Writes the changed fields if nobody else changed the record since it
    /// was read (version check), and bumps the version.
    pub async fn save_if_unchanged(
        &mut self,
        table: &dyn Table,
        update: Update,
    ) -> Result<(), TableError> {
        let key = Self::key(&self.tenant, &self.id);
        *self = table.update_versioned(&key, self.version, update).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vslc_accounts::TenantKind;

    #[test]
    fn upload_keys_name_tenant_and_import() {
        let t = Tenant::new(TenantKind::School, "S001");
        let key = ImportRecord::upload_key_for(&t, "01JABC", "xlsx");
        assert_eq!(key, "imports/school/S001/01JABC.xlsx");
        assert_eq!(
            ImportRecord::parse_upload_key(&key),
            Some((t, "01JABC".into()))
        );
        assert_eq!(
            ImportRecord::parse_upload_key("imports/school/S001/x/y.xlsx"),
            None
        );
        assert_eq!(
            ImportRecord::parse_upload_key("other/school/S001/01J.xlsx"),
            None
        );
        assert_eq!(
            ImportRecord::parse_upload_key("imports/alien/S001/01J.xlsx"),
            None
        );
    }
}
