//! 开通监考员账号: a login of the 监考员 role for an invigilator with a
//! 已认证 certificate — one per invigilator — with which they sign
//! candidates in at the door of the rooms they invigilate (and see nothing
//! else of the school). The school's administrator opens it; the initial
//! password is shown once, like 新增用户's.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::model::CertificationStatus;
use crate::service;
use vslc_accounts::manage::{self, IssuedPassword};
use vslc_ports::table::{Condition, Update};
use vslc_ports::{AppState, Caller, DomainError};

/// 开通监考员账号.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenLogin {
    /// The login name (unique on the platform).
    pub account: String,
}

pub async fn open(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: OpenLogin,
) -> Result<IssuedPassword, DomainError> {
    let school = caller.school_exam_writer()?;
    caller.require_admin()?;
    let (person, certs) = service::load(state, school, id).await?;
    if !certs
        .iter()
        .any(|c| c.status == CertificationStatus::Certified)
    {
        return Err(DomainError::conflict(
            "NOT_CERTIFIED",
            format!("{}没有已认证的证书，不能开通监考员账号", person.name),
        ));
    }
    if let Some(account) = &person.login_account {
        // Its login still there (a deleted one may be opened again).
        let user = vslc_accounts::User::by_account(state.table.as_ref(), account).await?;
        if user.is_some_and(|u| Some(&u.id) == person.login_user_id.as_ref()) {
            return Err(DomainError::conflict(
                "LOGIN_EXISTS",
                format!("{}已开通监考员账号“{account}”", person.name),
            ));
        }
    }
    let issued = manage::open_invigilator_login(
        state,
        caller,
        &input.account,
        &person.name,
        &person.phone,
        &person.id,
    )
    .await?;
    // One login an invigilator: the record as read, or the login goes.
    let claim = Update::new()
        .set("loginAccount", issued.user.account.clone())
        .set("loginUserId", issued.user.id.clone())
        .bump_version();
    let key = crate::model::Invigilator::key(school, &person.id);
    if let Err(e) = state
        .table
        .update(&key, claim, Some(Condition::VersionIs(person.version)))
        .await
    {
        if let Err(undo) = manage::remove_login(state, school, &issued.user).await {
            tracing::error!(account = %issued.user.account, error = %undo, "a 监考员 login lost its claim and stays; remove it in 用户管理");
        }
        return Err(match e {
            vslc_ports::table::TableError::ConditionFailed => {
                DomainError::conflict("STATE_CONFLICT", "监考人员信息已变化，请刷新后重试")
            }
            other => other.into(),
        });
    }
    Ok(issued)
}
