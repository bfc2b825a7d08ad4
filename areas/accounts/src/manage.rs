//! 用户管理 (manual §8.1): the tenant administrator's list, create (with an
//! SMS code to the new user's phone), view, 停用/启用, edit and delete while
//! 停用, and 重置密码.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;
use vslc_ports::tenant::{Tenant, TenantKind};

use super::code;
use super::login::hash_password;
use super::throttle;
use super::user::{User, UserStatus};
use vslc_audit::{AuditKind, Event};
use vslc_http::{PageParams, Paged, filter};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::{AccountName, NewPassword, PersonName, Phone};
use vslc_ports::role::Role;
use vslc_ports::table::{Condition, TableError, TableExt, TxOp, Update, from_item};

/// A user as lists and details show it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: String,
    pub account: String,
    pub name: String,
    pub role: Role,
    pub cert_lead: bool,
    pub certificates: Vec<String>,
    /// Masked in lists (`185****0926`); in full in the detail view.
    pub phone: Option<String>,
    pub status: UserStatus,
    /// The tenant's first administrator: cannot be stopped or deleted.
    pub builtin: bool,
    pub created_at: String,
}

impl UserView {
    pub fn of(u: &User, full_phone: bool) -> Self {
        Self {
            id: u.id.clone(),
            account: u.account.clone(),
            name: u.name.clone(),
            role: u.role,
            cert_lead: u.cert_lead,
            certificates: u.certificates.clone(),
            phone: u.phone.as_ref().map(|p| {
                if full_phone {
                    p.to_string()
                } else {
                    p.masked()
                }
            }),
            status: u.status,
            builtin: u.builtin,
            created_at: u.created_at.clone(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// 账号 (contains).
    pub account: Option<String>,
    /// 姓名 (contains).
    pub name: Option<String>,
    /// 启用 / 停用.
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeRequest {
    pub phone: String,
}

/// 新增用户.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    pub account: String,
    pub name: String,
    pub phone: String,
    /// The SMS code sent to `phone`.
    pub code: String,
    pub role: Role,
    #[serde(default)]
    pub cert_lead: bool,
    #[serde(default)]
    pub certificates: Vec<String>,
}

/// 编辑用户 (only while 停用). A new phone needs its own SMS code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EditUser {
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub code: Option<String>,
    pub role: Role,
    #[serde(default)]
    pub cert_lead: bool,
    #[serde(default)]
    pub certificates: Vec<String>,
}

/// A password shown once (new account, reset).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuedPassword {
    pub user: UserView,
    pub password: String,
}

fn bad(code: &'static str) -> impl Fn(&'static str) -> DomainError {
    move |m| DomainError::invalid(code, m)
}

/// The catalogue's answer to "which certificates does this school take part
/// in" (已参与试点): a 证书负责人 may lead only these. The catalogue owns the
/// pilots and implements it.
#[async_trait]
pub trait SchoolPilots: Send + Sync {
    async fn certificates(
        &self,
        state: &AppState,
        school: &Tenant,
    ) -> Result<Vec<String>, DomainError>;
}

/// The school's pilot certificates when the request names certificates
/// (nothing to check else, and nothing to read).
async fn pilots_for(
    state: &AppState,
    book: &dyn SchoolPilots,
    caller: &Caller,
    named: &[String],
) -> Result<Vec<String>, DomainError> {
    if named.is_empty() || caller.tenant.kind != TenantKind::School {
        return Ok(Vec::new());
    }
    book.certificates(state, &caller.tenant).await
}

/// Role and certificate scope checked against the tenant: a 证书负责人's
/// certificates must be ones the school takes part in (`pilots`, the
/// certificate ids of the school's pilots, which the catalogue knows).
fn check_role(
    caller: &Caller,
    pilots: &[String],
    role: Role,
    cert_lead: bool,
    certificates: &[String],
) -> Result<(bool, Vec<String>), DomainError> {
    let assignable = Role::of(caller.tenant.kind)
        .into_iter()
        .any(|r| r.name == role && r.assignable);
    if !assignable {
        return Err(DomainError::invalid(
            "BAD_ROLE",
            format!("不能分配角色“{}”", role.label()),
        ));
    }
    let cert_lead = cert_lead || role == Role::CertLead;
    let mut certs: Vec<String> = certificates
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    certs.sort();
    certs.dedup();
    if cert_lead && certs.is_empty() {
        return Err(DomainError::invalid(
            "NO_CERTIFICATES",
            "证书负责人须选择其负责的证书",
        ));
    }
    if !cert_lead {
        certs.clear();
    }
    if let Some(bad) = certs.iter().find(|c| !pilots.contains(c)) {
        return Err(DomainError::invalid(
            "BAD_CERTIFICATES",
            format!("证书 {bad} 不是本校已参与试点的证书"),
        ));
    }
    Ok((cert_lead, certs))
}

async fn load(state: &AppState, caller: &Caller, id: &str) -> Result<User, DomainError> {
    User::load(state.table.as_ref(), &caller.tenant, id)
        .await?
        .ok_or_else(|| DomainError::not_found("用户"))
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &UserFilter,
    page: &PageParams,
) -> Result<Paged<UserView>, DomainError> {
    caller.require_admin()?;
    let mut users = User::list(state.table.as_ref(), &caller.tenant).await?;
    users.retain(|u| {
        filter::text(&u.account, f.account.as_deref())
            && filter::text(&u.name, f.name.as_deref())
            && filter::exact(u.status.label(), f.status.as_deref())
    });
    Ok(Paged::of(users, page)?.map(|u| UserView::of(&u, false)))
}

pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<UserView, DomainError> {
    caller.require_admin()?;
    Ok(UserView::of(&load(state, caller, id).await?, true))
}

/// 查看用户, the view recorded in the 操作日志.
pub async fn view(state: &AppState, caller: &Caller, id: &str) -> Result<UserView, DomainError> {
    let view = get(state, caller, id).await?;
    let phone = view
        .phone
        .as_deref()
        .map(vslc_ports::mask::phone)
        .unwrap_or_default();
    let who = format!("{} {} {phone}", view.account, view.name);
    vslc_audit::viewed(
        state,
        caller,
        "user.view",
        "查看用户",
        ("user", &view.id),
        who,
    )
    .await;
    Ok(view)
}

pub async fn send_code(
    state: &AppState,
    caller: &Caller,
    req: CodeRequest,
) -> Result<(), DomainError> {
    caller.require_admin()?;
    let phone = Phone::parse(&req.phone).map_err(bad("BAD_PHONE"))?;
    code::send(state, &caller.tenant, &caller.tenant_name, &phone).await
}

pub async fn create(
    state: &AppState,
    book: &dyn SchoolPilots,
    caller: &Caller,
    req: NewUser,
) -> Result<IssuedPassword, DomainError> {
    caller.require_admin()?;
    let pilots = &pilots_for(state, book, caller, &req.certificates).await?;
    let account = AccountName::parse(&req.account).map_err(bad("BAD_ACCOUNT"))?;
    let name = PersonName::parse(&req.name).map_err(bad("BAD_NAME"))?;
    let phone = Phone::parse(&req.phone).map_err(bad("BAD_PHONE"))?;
    let (cert_lead, certificates) =
        check_role(caller, pilots, req.role, req.cert_lead, &req.certificates)?;
    let table = state.table.as_ref();
    if User::by_account(table, account.as_str()).await?.is_some() {
        return Err(DomainError::conflict(
            "ACCOUNT_TAKEN",
            "该账号已存在，请换一个账号",
        ));
    }
    code::verify(state, &caller.tenant, &phone, &req.code).await?;
    let user = Opening {
        account,
        name,
        tenant: caller.tenant.clone(),
        role: req.role,
        cert_lead,
        certificates,
        phone,
        invigilator_id: None,
    };
    open(state, caller, user, "新增用户").await
}

/// A new account's parts, checked.
struct Opening {
    account: AccountName,
    name: PersonName,
    tenant: Tenant,
    role: Role,
    cert_lead: bool,
    certificates: Vec<String>,
    phone: Phone,
    invigilator_id: Option<String>,
}

/// Stores a new active account with a random password (the account name
/// taken meanwhile: ACCOUNT_TAKEN), records `what` in the 操作日志 and
/// answers the password once.
async fn open(
    state: &AppState,
    caller: &Caller,
    o: Opening,
    what: &'static str,
) -> Result<IssuedPassword, DomainError> {
    let password = NewPassword::random();
    let user = User {
        id: ulid::Ulid::new().to_string(),
        account: o.account.as_str().to_owned(),
        name: o.name.as_str().to_owned(),
        tenant: o.tenant,
        tenant_name: caller.tenant_name.clone(),
        role: o.role,
        cert_lead: o.cert_lead,
        certificates: o.certificates,
        phone: Some(o.phone),
        invigilator_id: o.invigilator_id,
        status: UserStatus::Active,
        password_hash: hash_password(password.as_str()).await?,
        session_epoch: 0,
        builtin: false,
        created_at: state.clock.now_text(),
        version: 1,
    };
    user.create(state.table.as_ref())
        .await
        .map_err(|e| match e {
            TableError::TransactionCanceled { .. } => {
                DomainError::conflict("ACCOUNT_TAKEN", "该账号已存在，请换一个账号")
            }
            other => other.into(),
        })?;
    audited(
        state,
        caller,
        &user,
        Event::new(AuditKind::Create, "user.create", what)
            .detail(format!("角色：{}", roles_text(&user))),
    )
    .await;
    Ok(IssuedPassword {
        user: UserView::of(&user, true),
        password: password.as_str().to_owned(),
    })
}

/// 开通监考员账号: a 监考员 login for an invigilator of the caller's school
/// (the invigilators area checks it is one, certified); its phone is the
/// invigilator's on record. Answers the initial password once.
pub async fn open_invigilator_login(
    state: &AppState,
    caller: &Caller,
    account: &str,
    name: &str,
    phone: &str,
    invigilator_id: &str,
) -> Result<IssuedPassword, DomainError> {
    let school = caller.require_kind(TenantKind::School)?;
    caller.require_admin()?;
    let account = AccountName::parse(account).map_err(bad("BAD_ACCOUNT"))?;
    let name = PersonName::parse(name).map_err(bad("BAD_NAME"))?;
    let phone = Phone::parse(phone).map_err(bad("BAD_PHONE"))?;
    let table = state.table.as_ref();
    if User::by_account(table, account.as_str()).await?.is_some() {
        return Err(DomainError::conflict(
            "ACCOUNT_TAKEN",
            "该账号已存在，请换一个账号",
        ));
    }
    let user = Opening {
        account,
        name,
        tenant: school.clone(),
        role: Role::Invigilator,
        cert_lead: false,
        certificates: Vec::new(),
        phone,
        invigilator_id: Some(invigilator_id.to_owned()),
    };
    open(state, caller, user, "开通监考员账号").await
}

/// Removes a login (the invigilators area undoing an opening it lost).
pub async fn remove_login(
    state: &AppState,
    school: &Tenant,
    user: &UserView,
) -> Result<(), DomainError> {
    state
        .table
        .transact(vec![
            TxOp::Delete {
                key: User::key(school, &user.id),
                condition: None,
            },
            TxOp::Delete {
                key: User::account_key(&user.account),
                condition: Some(Condition::attr_equals("userId", user.id.clone())),
            },
        ])
        .await?;
    Ok(())
}

/// 角色 with the certificates of a 证书负责人, for the 操作日志.
fn roles_text(u: &User) -> String {
    if u.cert_lead && !u.certificates.is_empty() {
        format!("{}（证书：{}）", u.role.label(), u.certificates.join("、"))
    } else {
        u.role.label().to_owned()
    }
}

/// Records an event about a user (account and name; the phone masked).
async fn audited(state: &AppState, caller: &Caller, user: &User, event: Event) {
    let phone = user.phone.as_ref().map(Phone::masked).unwrap_or_default();
    let event = event.target("user", user.id.clone()).describe(
        format!("{} {} {phone}", user.account, user.name)
            .trim_end()
            .to_owned(),
    );
    vslc_audit::record(state, caller, event).await;
}

/// Applies `update` if the user is still as read (version) and in `from`.
async fn transition(
    state: &AppState,
    user: &User,
    from: UserStatus,
    update: Update,
) -> Result<User, DomainError> {
    let cond = Condition::And(vec![
        Condition::VersionIs(user.version),
        Condition::attr_equals("status", from.label()),
    ]);
    let after = state
        .table
        .update(
            &User::key(&user.tenant, &user.id),
            update.bump_version(),
            Some(cond),
        )
        .await
        .map_err(|e| match e {
            TableError::ConditionFailed => {
                DomainError::conflict("STATE_CONFLICT", "用户状态已变化，请刷新后重试")
            }
            other => other.into(),
        })?;
    Ok(from_item(after)?)
}

/// 停用 / 启用: the user, still as read and in `from`, changed by `update`;
/// the change recorded as `event`.
async fn switch(
    state: &AppState,
    caller: &Caller,
    user: &User,
    from: UserStatus,
    update: Update,
    event: Event,
) -> Result<UserView, DomainError> {
    let after = transition(state, user, from, update).await?;
    audited(state, caller, &after, event).await;
    Ok(UserView::of(&after, true))
}

fn require_status(user: &User, status: UserStatus, action: &str) -> Result<(), DomainError> {
    if user.status == status {
        Ok(())
    } else {
        Err(DomainError::conflict(
            "STATE_CONFLICT",
            format!("只有{}的用户可以{action}", status.label()),
        ))
    }
}

fn not_self_or_builtin(caller: &Caller, user: &User, action: &str) -> Result<(), DomainError> {
    if user.id == caller.user_id {
        return Err(DomainError::conflict(
            "SELF",
            format!("不能{action}当前登录的账号"),
        ));
    }
    if user.builtin {
        return Err(DomainError::conflict(
            "BUILTIN",
            format!("不能{action}本单位的管理员账号"),
        ));
    }
    Ok(())
}

/// 停用: the user cannot log in and every session of it ends at once.
pub async fn disable(state: &AppState, caller: &Caller, id: &str) -> Result<UserView, DomainError> {
    caller.require_admin()?;
    let user = load(state, caller, id).await?;
    not_self_or_builtin(caller, &user, "停用")?;
    require_status(&user, UserStatus::Active, "停用")?;
    let update = Update::new()
        .set("status", UserStatus::Disabled.label())
        .add("sessionEpoch", 1);
    let event = Event::new(AuditKind::Update, "user.disable", "停用用户");
    switch(state, caller, &user, UserStatus::Active, update, event).await
}

pub async fn enable(state: &AppState, caller: &Caller, id: &str) -> Result<UserView, DomainError> {
    caller.require_admin()?;
    let user = load(state, caller, id).await?;
    require_status(&user, UserStatus::Disabled, "启用")?;
    let update = Update::new().set("status", UserStatus::Active.label());
    let event = Event::new(AuditKind::Update, "user.enable", "启用用户");
    switch(state, caller, &user, UserStatus::Disabled, update, event).await
}

pub async fn edit(
    state: &AppState,
    book: &dyn SchoolPilots,
    caller: &Caller,
    id: &str,
    req: EditUser,
) -> Result<UserView, DomainError> {
    caller.require_admin()?;
    let pilots = &pilots_for(state, book, caller, &req.certificates).await?;
    let user = load(state, caller, id).await?;
    if user.role == Role::Invigilator {
        return Err(DomainError::conflict(
            "INVIGILATOR_LOGIN",
            "监考员账号随监考人员开通，不能编辑；可停用、删除或重置密码",
        ));
    }
    require_status(&user, UserStatus::Disabled, "编辑")?;
    let name = PersonName::parse(&req.name).map_err(bad("BAD_NAME"))?;
    let phone = Phone::parse(&req.phone).map_err(bad("BAD_PHONE"))?;
    let (cert_lead, certificates) =
        check_role(caller, pilots, req.role, req.cert_lead, &req.certificates)?;
    if user.phone.as_ref() != Some(&phone) {
        let code = req.code.as_deref().ok_or_else(|| {
            DomainError::invalid("BAD_CODE", "更换手机号须填写发送到新手机号的验证码")
        })?;
        code::verify(state, &caller.tenant, &phone, code).await?;
    }
    let update = Update::new()
        .set("name", name.as_str())
        .set("phone", phone.as_str())
        .set(
            "role",
            serde_json::to_value(req.role).map_err(DomainError::internal)?,
        )
        .set("certLead", cert_lead)
        .set("certificates", certificates);
    let after = transition(state, &user, UserStatus::Disabled, update).await?;
    // A change of role or certificate scope is a grant (授权); other edits
    // get the request's generic entry.
    let (before, now) = (roles_text(&user), roles_text(&after));
    if before != now {
        let event = Event::new(AuditKind::Grant, "user.roles", "修改角色")
            .detail(format!("角色：{before} → {now}"));
        audited(state, caller, &after, event).await;
    }
    Ok(UserView::of(&after, true))
}

pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    caller.require_admin()?;
    let user = load(state, caller, id).await?;
    not_self_or_builtin(caller, &user, "删除")?;
    require_status(&user, UserStatus::Disabled, "删除")?;
    let cond = Condition::And(vec![
        Condition::VersionIs(user.version),
        Condition::attr_equals("status", UserStatus::Disabled.label()),
    ]);
    state
        .table
        .transact(vec![
            TxOp::Delete {
                key: User::key(&user.tenant, &user.id),
                condition: Some(cond),
            },
            TxOp::Delete {
                key: User::account_key(&user.account),
                condition: Some(Condition::attr_equals("userId", user.id.clone())),
            },
        ])
        .await
        .map_err(|e| match e {
            TableError::TransactionCanceled { .. } => {
                DomainError::conflict("STATE_CONFLICT", "用户状态已变化，请刷新后重试")
            }
            other => other.into(),
        })?;
    Ok(())
}

/// 重置密码: a new random password, shown once; the user's sessions end and
/// the failed logins counted against the account are forgotten. Not for
/// one's own account: that is 修改密码, which asks for the current password.
pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<IssuedPassword, DomainError> {
    caller.require_admin()?;
    let user = load(state, caller, id).await?;
    if user.id == caller.user_id {
        return Err(DomainError::conflict(
            "SELF",
            "不能重置自己的密码，请在右上角用户菜单中修改密码",
        ));
    }
    let password = NewPassword::random();
    let update = Update::new()
        .set("passwordHash", hash_password(password.as_str()).await?)
        .add("sessionEpoch", 1);
    let user: User = state
        .table
        .update_versioned(&User::key(&user.tenant, &user.id), user.version, update)
        .await?;
    throttle::forget_account(state.table.as_ref(), &user.account).await?;
    let event = Event::new(AuditKind::Update, "user.reset_password", "重置密码");
    audited(state, caller, &user, event).await;
    Ok(IssuedPassword {
        user: UserView::of(&user, true),
        password: password.as_str().to_owned(),
    })
}
