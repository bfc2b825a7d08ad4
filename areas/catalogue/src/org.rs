//! 培训评价组织.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use vslc_ports::table::{Key, Query, Table, TableError, TableExt, to_item};

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
    /// 缴费方式: how schools pay it (收款单位, 开户银行, 账号, 说明). Shown
    /// on every 缴费申请单, since schools pay offline by the org's method.
    #[serde(default)]
    pub payment_method: String,
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
        table.query_all_as(Query::partition(ORGS_PK)).await
    }
}

/// The org's own profile with links to its 公章 and 签名章.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrgProfile {
    #[serde(flatten)]
    pub org: Org,
    pub seal_url: Option<String>,
    pub signature_url: Option<String>,
}

/// What an org may edit of itself.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrgInput {
    pub contact: String,
    pub phone: String,
    pub address: String,
    #[serde(default)]
    pub introduction: String,
    /// 缴费方式 (收款单位, 开户银行, 账号, 说明), at most 500 characters.
    #[serde(default)]
    pub payment_method: String,
}

pub mod profile {
    //! 培训评价组织 maintains its profile, 公章 and 签名章.

    use super::{Org, OrgInput, OrgProfile};
    use crate::images::{self as images, ImageUpload, Purpose};
    use vslc_accounts::TenantKind;
    use vslc_ports::AppState;
    use vslc_ports::Caller;
    use vslc_ports::DomainError;
    use vslc_ports::domain::PersonName;
    use vslc_ports::table::{Condition, TableExt, Update, from_item};

    async fn own(state: &AppState, caller: &Caller) -> Result<Org, DomainError> {
        let t = caller.require_kind(TenantKind::Org)?;
        Org::load(state.table.as_ref(), &t.id)
            .await?
            .ok_or_else(|| DomainError::not_found("培训评价组织"))
    }

    async fn view_of(state: &AppState, org: Org) -> Result<OrgProfile, DomainError> {
        let seal_url = images::url(state, org.seal_key.as_deref()).await?;
        let signature_url = images::url(state, org.signature_key.as_deref()).await?;
        Ok(OrgProfile {
            org,
            seal_url,
            signature_url,
        })
    }

    pub async fn view(state: &AppState, caller: &Caller) -> Result<OrgProfile, DomainError> {
        let org = own(state, caller).await?;
        view_of(state, org).await
    }

    pub async fn edit(
        state: &AppState,
        caller: &Caller,
        input: OrgInput,
    ) -> Result<OrgProfile, DomainError> {
        caller.require_admin()?;
        let org = own(state, caller).await?;
        let bad = |m: &str| DomainError::invalid("BAD_ORG", m.to_owned());
        PersonName::parse(&input.contact).map_err(|_| bad("联系人不能为空且不超过50个字符"))?;
        if input.phone.trim().is_empty() || input.address.trim().is_empty() {
            return Err(bad("联系电话和地址不能为空"));
        }
        if input.introduction.chars().count() > 2000 {
            return Err(bad("机构简介不能超过2000个字符"));
        }
        if input.payment_method.chars().count() > 500 {
            return Err(bad("缴费方式不能超过500个字符"));
        }
        let update = Update::new()
            .set("contact", input.contact.trim())
            .set("phone", input.phone.trim())
            .set("address", input.address.trim())
            .set("introduction", input.introduction.trim())
            .set("paymentMethod", input.payment_method.trim());
        let after = state
            .table
            .update_versioned(&Org::key(&org.id), org.version, update)
            .await?;
        view_of(state, after).await
    }

    /// The image a path names: `seal` (公章) or `signature` (签名章).
    fn image(name: &str) -> Result<Purpose, DomainError> {
        match name {
            "seal" => Ok(Purpose::OrgSeal),
            "signature" => Ok(Purpose::OrgSignature),
            _ => Err(DomainError::not_found("图片类型")),
        }
    }

    /// 上传公章 / 签名章, step 1: the PNG upload URL.
    pub async fn begin_image(
        state: &AppState,
        caller: &Caller,
        name: &str,
    ) -> Result<ImageUpload, DomainError> {
        let purpose = image(name)?;
        caller.require_admin()?;
        images::begin(state, caller.require_kind(TenantKind::Org)?, purpose).await
    }

    /// Step 2: the uploaded PNG is checked and kept.
    pub async fn confirm_image(
        state: &AppState,
        caller: &Caller,
        name: &str,
    ) -> Result<OrgProfile, DomainError> {
        let purpose = image(name)?;
        caller.require_admin()?;
        let org = own(state, caller).await?;
        let key = images::confirm(state, &caller.tenant, purpose).await?;
        let attr = if purpose == Purpose::OrgSignature {
            "signatureKey"
        } else {
            "sealKey"
        };
        let after = state
            .table
            .update(
                &Org::key(&org.id),
                Update::new().set(attr, key).bump_version(),
                Some(Condition::Exists),
            )
            .await?;
        view_of(state, from_item(after)?).await
    }
}
