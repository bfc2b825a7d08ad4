//! 考试科目 (manual §5.2.1): an org defines the subjects of its
//! certificates per level and publishes them; schools see the published
//! subjects of the certificates they take part in.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::model::{self, Audience, ExamMethod, PublishStatus};
use vslc_accounts::TenantKind;
use vslc_catalogue::certificate::{Certificate, Level};
use vslc_catalogue::pilot::Pilot;
use vslc_http::{PageParams, Paged, filter};
use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::{OptionalId, RecordId};
use vslc_ports::table::{Condition, Key, TableExt, TxOp, Update, to_item};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub certificate_id: String,
    pub certificate_name: String,
    pub level: Level,
    /// 科目代码, unique per certificate and level.
    pub code: String,
    pub name: String,
    /// 考试方式.
    pub method: ExamMethod,
    /// 考试时长 (minutes).
    pub duration_minutes: u32,
    /// 参考对象.
    pub audience: Audience,
    /// 满分.
    pub full_mark: u32,
    /// 合格分.
    pub pass_mark: u32,
    pub status: PublishStatus,
    pub created_at: String,
    pub version: u64,
}

impl Subject {
    pub fn key(id: &str) -> Key {
        model::key::<Self>(id)
    }

    /// One 科目代码 per certificate level, whatever its letter case: the
    /// guard is keyed by the code in capitals.
    pub fn code_key(certificate_id: &str, level: Level, code: &str) -> Key {
        Key::new(
            "EXAM#SUBJECTCODES",
            format!(
                "{certificate_id}#{}#{}",
                level.label(),
                code.trim().to_ascii_uppercase()
            ),
        )
    }

    /// The guard item of this subject's code.
    pub fn code_guard(&self) -> Result<vslc_ports::table::Item, vslc_ports::TableError> {
        to_item(
            &Self::code_key(&self.certificate_id, self.level, &self.code),
            &serde_json::json!({ "subjectId": self.id }),
        )
    }
}

/// 新增 / 编辑科目.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubjectInput {
    pub certificate_id: RecordId,
    pub level: Level,
    pub code: String,
    pub name: String,
    pub method: ExamMethod,
    pub duration_minutes: u32,
    pub audience: Audience,
    #[serde(default = "hundred")]
    pub full_mark: u32,
    pub pass_mark: u32,
}

fn hundred() -> u32 {
    100
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SubjectFilter {
    #[param(value_type = Option<String>)]
    pub certificate_id: OptionalId,
    /// 证书等级 (初级/中级/高级).
    pub level: Option<String>,
    /// 科目名称或代码 (contains).
    pub name: Option<String>,
    /// 考试方式.
    pub method: Option<String>,
    /// 未发布 / 已发布 (org only; schools see published subjects).
    pub status: Option<String>,
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid("BAD_SUBJECT", message.into())
}

async fn checked(
    state: &AppState,
    org_id: &str,
    input: &SubjectInput,
) -> Result<Certificate, DomainError> {
    let cert = Certificate::load(state.table.as_ref(), &input.certificate_id)
        .await?
        .filter(|c| c.org_id == org_id)
        .ok_or_else(|| bad("请选择本机构的证书"))?;
    if !cert.levels.contains(&input.level) {
        return Err(bad(format!("{}没有{}等级", cert.name, input.level.label())));
    }
    let code = input.code.trim();
    if code.is_empty() || code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad("科目代码须为不超过20位的字母或数字"));
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(bad("科目名称不能为空，且不超过50个字符"));
    }
    if !(10..=600).contains(&input.duration_minutes) {
        return Err(bad("考试时长须在10到600分钟之间"));
    }
    if input.full_mark == 0 || input.full_mark > 1000 {
        return Err(bad("满分须在1到1000之间"));
    }
    if input.pass_mark == 0 || input.pass_mark > input.full_mark {
        return Err(bad("合格分须大于0且不超过满分"));
    }
    Ok(cert)
}

/// The certificates whose subjects a school sees: those it takes part in.
async fn school_certificates(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<String>, DomainError> {
    let school = caller.school_reader()?;
    Ok(Pilot::of_school(state.table.as_ref(), school)
        .await?
        .into_iter()
        .map(|p| p.certificate_id)
        .collect())
}

/// The subjects a caller may see: an org its own, a school the published
/// subjects of its certificates.
pub async fn visible(state: &AppState, caller: &Caller) -> Result<Vec<Subject>, DomainError> {
    let mut all = model::all::<Subject>(state).await?;
    match caller.tenant.kind {
        TenantKind::Org => all.retain(|s| s.org_id == caller.tenant.id),
        TenantKind::School => {
            let certs = school_certificates(state, caller).await?;
            all.retain(|s| {
                s.status == PublishStatus::Published && certs.contains(&s.certificate_id)
            });
        }
        TenantKind::Province => all.retain(|s| s.status == PublishStatus::Published),
    }
    Ok(all)
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &SubjectFilter,
    page: &PageParams,
) -> Result<Paged<Subject>, DomainError> {
    let mut rows = visible(state, caller).await?;
    rows.retain(|s| {
        filter::exact(&s.certificate_id, f.certificate_id.as_deref())
            && filter::exact(s.level.label(), f.level.as_deref())
            && (filter::text(&s.name, f.name.as_deref())
                || filter::text(&s.code, f.name.as_deref()))
            && filter::exact(s.method.label(), f.method.as_deref())
            && filter::exact(s.status.label(), f.status.as_deref())
    });
    rows.sort_by(|a, b| {
        (&a.certificate_id, a.level as u8, &a.code).cmp(&(
            &b.certificate_id,
            b.level as u8,
            &b.code,
        ))
    });
    Paged::of(rows, page)
}

pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Subject, DomainError> {
    visible(state, caller)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| DomainError::not_found("考试科目"))
}

fn code_taken(all: &[Subject], input: &SubjectInput, except: Option<&str>) -> bool {
    all.iter().any(|s| {
        Some(s.id.as_str()) != except
            && s.certificate_id == input.certificate_id
            && s.level == input.level
            && s.code.eq_ignore_ascii_case(input.code.trim())
    })
}

fn code_exists() -> DomainError {
    DomainError::conflict("SUBJECT_EXISTS", "该证书等级下已有相同代码的科目")
}

fn or_code_exists(e: vslc_ports::TableError) -> DomainError {
    if e.is_conflict() {
        code_exists()
    } else {
        e.into()
    }
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: SubjectInput,
) -> Result<Subject, DomainError> {
    let org = caller.require_kind(TenantKind::Org)?;
    let cert = checked(state, &org.id, &input).await?;
    if code_taken(&model::all::<Subject>(state).await?, &input, None) {
        return Err(code_exists());
    }
    let s = Subject {
        id: ulid::Ulid::new().to_string(),
        org_id: cert.org_id,
        org_name: cert.org_name,
        certificate_id: cert.id,
        certificate_name: cert.name,
        level: input.level,
        code: input.code.trim().into(),
        name: input.name.trim().into(),
        method: input.method,
        duration_minutes: input.duration_minutes,
        audience: input.audience,
        full_mark: input.full_mark,
        pass_mark: input.pass_mark,
        status: PublishStatus::Draft,
        created_at: state.clock.now_text(),
        version: 1,
    };
    state
        .table
        .put_guarded(s.code_guard()?, to_item(&Subject::key(&s.id), &s)?)
        .await
        .map_err(or_code_exists)?;
    Ok(s)
}

model::impl_draft!(Subject, pk: "EXAM#SUBJECTS", noun: "考试科目",
    published: ("SUBJECT_PUBLISHED", "科目已发布，不能修改或删除"));

pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: SubjectInput,
) -> Result<Subject, DomainError> {
    let s = model::load_own_draft::<Subject>(state, caller, id).await?;
    let cert = checked(state, &s.org_id, &input).await?;
    if code_taken(&model::all::<Subject>(state).await?, &input, Some(id)) {
        return Err(code_exists());
    }
    let old_guard = Subject::code_key(&s.certificate_id, s.level, &s.code);
    let new_guard = Subject::code_key(&cert.id, input.level, &input.code);
    let update = Update::new()
        .set("certificateId", cert.id)
        .set("certificateName", cert.name)
        .set_json("level", &input.level)?
        .set("code", input.code.trim())
        .set("name", input.name.trim())
        .set_json("method", &input.method)?
        .set("durationMinutes", input.duration_minutes)
        .set_json("audience", &input.audience)?
        .set("fullMark", input.full_mark)
        .set("passMark", input.pass_mark);
    if new_guard == old_guard {
        return Ok(state
            .table
            .update_versioned(&Subject::key(id), s.version, update)
            .await?);
    }
    // Another code: the guard moves with it.
    state
        .table
        .transact(vec![
            TxOp::Put {
                item: to_item(&new_guard, &serde_json::json!({ "subjectId": id }))?,
                condition: Some(Condition::NotExists),
            },
            TxOp::Update {
                key: Subject::key(id),
                update: update.bump_version(),
                condition: Some(Condition::VersionIs(s.version)),
            },
            TxOp::Delete {
                key: old_guard,
                condition: None,
            },
        ])
        .await
        .map_err(|e| match e {
            vslc_ports::TableError::TransactionCanceled { ref failed } if failed.contains(&0) => {
                code_exists()
            }
            e => e.into(),
        })?;
    model::load::<Subject>(state, id)
        .await?
        .ok_or_else(|| DomainError::not_found("考试科目"))
}

pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let s = model::load_own_draft::<Subject>(state, caller, id).await?;
    let guard = Subject::code_key(&s.certificate_id, s.level, &s.code);
    state
        .table
        .delete_guarded(Subject::key(id), s.version, guard)
        .await?;
    Ok(())
}

/// 发布: the subject becomes read-only and visible to schools.
pub async fn publish(state: &AppState, caller: &Caller, id: &str) -> Result<Subject, DomainError> {
    let s = model::load_own_draft::<Subject>(state, caller, id).await?;
    model::publish(state, id, &s, Update::new()).await
}
