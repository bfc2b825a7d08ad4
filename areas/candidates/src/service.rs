//! 考生管理 (manual §5.2.3): the single-candidate operations. Bulk import,
//! photos and identity checks build on these rules.

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vslc_ports::Caller;

use super::model::{Candidate, CandidateKind, InfoStatus, ListBy, MajorRef, RANK_LEN};
use super::number;
use vslc_accounts::Tenant;
use vslc_catalogue::Certificate;
use vslc_catalogue::certificate::MajorLevel;
use vslc_http::{CursorParams, filter};
use vslc_ports::AppState;
use vslc_ports::domain::{Gender, IdDocument, IdType, PersonName, Phone};
use vslc_ports::keyset;
use vslc_ports::table::{TableError, TableExt, Update};
use vslc_ports::{DomainError, DomainResult};

/// 新增 / 编辑考生.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateInput {
    pub kind: CandidateKind,
    pub name: String,
    pub name_pinyin: String,
    /// Required unless the document tells it (身份证, 居住证).
    #[serde(default)]
    pub gender: Option<Gender>,
    pub id_type: IdType,
    pub id_number: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// 就读专业: its 专业代码, or its exact name when the catalogue gives
    /// that name one code only; required for 院校考生.
    #[serde(default)]
    pub major_code: Option<String>,
    #[serde(default)]
    pub major_level: Option<MajorLevel>,
    #[serde(default)]
    pub enrolment_year: Option<i32>,
    #[serde(default)]
    pub work_unit: Option<String>,
}

/// A candidate as lists show it: ID number and phone masked.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    pub candidate_no: String,
    pub kind: CandidateKind,
    pub name: String,
    pub name_pinyin: String,
    pub gender: Gender,
    pub id_type: IdType,
    pub id_number: String,
    pub phone: Option<String>,
    pub major: Option<MajorRef>,
    pub major_level: Option<MajorLevel>,
    pub enrolment_year: Option<i32>,
    pub work_unit: Option<String>,
    pub has_photo: bool,
    pub status: InfoStatus,
    /// 认证中.
    pub checking: bool,
    pub review_reason: Option<String>,
    pub registrations: u32,
    pub created_at: String,
}

impl CandidateView {
    pub fn of(c: &Candidate, full: bool) -> Self {
        Self {
            candidate_no: c.candidate_no.clone(),
            kind: c.kind,
            name: c.name.clone(),
            name_pinyin: c.name_pinyin.clone(),
            gender: c.gender,
            id_type: c.id_type,
            id_number: if full {
                c.id_number.clone()
            } else {
                vslc_ports::mask::id_number(&c.id_number)
            },
            phone: c.phone.as_ref().map(|p| {
                if full {
                    p.clone()
                } else {
                    vslc_ports::mask::phone(p)
                }
            }),
            major: c.major.clone(),
            major_level: c.major_level,
            enrolment_year: c.enrolment_year,
            work_unit: c.work_unit.clone(),
            has_photo: c.photo_key.is_some(),
            status: c.status,
            checking: c.checking,
            review_reason: c.review_reason.clone(),
            registrations: c.registrations,
            created_at: c.created_at.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CandidateFilter {
    /// `school` (院校考生) or `social` (社会考生).
    #[param(inline)]
    #[schema(inline)]
    pub kind: Option<CandidateKind>,
    /// 姓名: the names starting with it (an index answers it).
    pub name: Option<String>,
    /// 证件号码: the full number (looked up by key).
    pub id_number: Option<String>,
    /// 考生编号: the full number (looked up by key).
    pub candidate_no: Option<String>,
    /// 就读专业 code or name (contains).
    pub major: Option<String>,
    /// 专业层次.
    pub level: Option<String>,
    /// 入学年份.
    pub enrolment_year: Option<i32>,
    /// 信息状态.
    pub status: Option<String>,
    /// 是否有照片.
    pub has_photo: Option<bool>,
}

/// One page of candidates, newest first (by name when searching by name).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidatePage {
    pub items: Vec<CandidateView>,
    /// How many candidates the filter matches, from the counters; given on
    /// the first page of the lists the counters answer (学生类型, 信息状态),
    /// none otherwise.
    pub total: Option<u64>,
    /// Where the next page starts; none on the last page.
    pub next_cursor: Option<String>,
}

/// Checked fields of a candidate, shared by the form and the imports.
pub struct Checked {
    pub kind: CandidateKind,
    pub name: String,
    pub name_pinyin: String,
    pub gender: Gender,
    pub id: IdDocument,
    pub phone: Option<String>,
    pub major: Option<MajorRef>,
    pub major_level: Option<MajorLevel>,
    pub enrolment_year: Option<i32>,
    pub work_unit: Option<String>,
}

/// Validates one candidate; the error is the first problem, in Chinese.
/// `major` is the catalogue's major the input named, if any.
pub fn check(
    input: &CandidateInput,
    today: chrono::NaiveDate,
    major: Option<(MajorRef, MajorLevel)>,
) -> Result<Checked, String> {
    let name = PersonName::parse(&input.name)?.as_str().to_owned();
    let pinyin = vslc_ports::domain::text::normalise(&input.name_pinyin);
    if pinyin.is_empty()
        || pinyin.len() > 100
        || !pinyin.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
    {
        return Err("姓名拼音须为字母（可含空格）".into());
    }
    let id = IdDocument::parse(input.id_type, &input.id_number, today)?;
    let gender = match (id.gender, input.gender) {
        (Some(from_id), Some(given)) if from_id != given => {
            return Err("性别与证件号码不一致".into());
        }
        (Some(g), _) | (None, Some(g)) => g,
        (None, None) => return Err("请选择性别".into()),
    };
    let phone = match input
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(Phone::parse(p)?.as_str().to_owned()),
        None if input.kind == CandidateKind::School => return Err("手机号不能为空".into()),
        None => None,
    };
    let this_year = today.year();
    if let Some(y) = input.enrolment_year
        && !(1990..=this_year).contains(&y)
    {
        return Err(format!("入学年份须在1990到{this_year}之间"));
    }
    let wants_major = input
        .major_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let (major, major_level) = match (wants_major, major) {
        (Some(_), Some((m, level))) => {
            if input.major_level.is_some_and(|l| l != level) {
                return Err("专业层次与就读专业不一致".into());
            }
            (Some(m), Some(level))
        }
        (Some(code), None) => return Err(format!("就读专业 {code} 不在证书专业目录中")),
        (None, _) => (None, input.major_level),
    };
    if input.kind == CandidateKind::School {
        if major.is_none() {
            return Err("院校考生须填写就读专业".into());
        }
        if input.enrolment_year.is_none() {
            return Err("院校考生须填写入学年份".into());
        }
    }
    let work_unit = input
        .work_unit
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned);
    if work_unit.as_ref().is_some_and(|w| w.chars().count() > 100) {
        return Err("工作单位不能超过100个字符".into());
    }
    Ok(Checked {
        kind: input.kind,
        name,
        name_pinyin: pinyin.to_uppercase(),
        gender,
        id,
        phone,
        major,
        major_level,
        enrolment_year: input.enrolment_year,
        work_unit,
    })
}

fn bad(m: String) -> DomainError {
    DomainError::invalid("BAD_CANDIDATE", m)
}

fn taken() -> DomainError {
    DomainError::conflict("CANDIDATE_EXISTS", "该考生已存在（证件类型和证件号码相同）")
}

async fn checked_input(state: &AppState, input: &CandidateInput) -> Result<Checked, DomainError> {
    let major = match input
        .major_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(text) => majors(state).await?.resolve(text).map_err(bad)?,
        None => None,
    };
    check(input, state.clock.now_cst().date_naive(), major).map_err(bad)
}

/// Builds new candidates from checked fields, numbering them in one reservation.
pub async fn new_candidates(
    state: &AppState,
    checked: Vec<Checked>,
) -> Result<Vec<Candidate>, TableError> {
    if checked.is_empty() {
        return Ok(Vec::new());
    }
    let first = number::reserve(state.table.as_ref(), checked.len() as u64).await?;
    Ok(numbered(state, checked, first))
}

/// Builds new candidates numbered from `first` on (reserved by the caller).
pub fn numbered(state: &AppState, checked: Vec<Checked>, first: u64) -> Vec<Candidate> {
    let now = state.clock.now_cst();
    let (secs, text) = (now.timestamp(), now.format("%Y-%m-%d %H:%M:%S").to_string());
    let this_year = now.year();
    checked
        .into_iter()
        .enumerate()
        .map(|(i, c)| Candidate {
            candidate_no: number::format(
                c.id.region_code(),
                c.enrolment_year.unwrap_or(this_year),
                secs,
                first + i as u64,
            ),
            kind: c.kind,
            name: c.name,
            name_pinyin: c.name_pinyin,
            gender: c.gender,
            id_type: c.id.id_type,
            id_number: c.id.number,
            phone: c.phone,
            major: c.major,
            major_level: c.major_level,
            enrolment_year: c.enrolment_year,
            work_unit: c.work_unit,
            photo_key: None,
            status: InfoStatus::NoPhoto,
            checking: false,
            review_reason: None,
            registrations: 0,
            created_at: text.clone(),
            updated_at: text.clone(),
            version: 1,
        })
        .collect()
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: CandidateInput,
) -> Result<CandidateView, DomainError> {
    let school = caller.school_exam_writer()?;
    let checked = checked_input(state, &input).await?;
    let c = new_candidates(state, vec![checked]).await?.remove(0);
    state
        .table
        .transact(c.create(school)?.into_ops())
        .await
        .map_err(|e| if e.is_conflict() { taken() } else { e.into() })?;
    Ok(CandidateView::of(&c, true))
}

pub async fn load(state: &AppState, school: &Tenant, no: &str) -> Result<Candidate, DomainError> {
    find(state, school, no)
        .await?
        .ok_or_else(|| DomainError::not_found("考生"))
}

/// A candidate by 考生编号, if the school has one.
pub async fn find(
    state: &AppState,
    school: &Tenant,
    no: &str,
) -> Result<Option<Candidate>, TableError> {
    if no.is_empty() || no.len() > 64 {
        return Ok(None);
    }
    let mut found: Vec<Candidate> = state
        .table
        .get_many_as(Candidate::keys_of(school, no).to_vec())
        .await?;
    Ok(found.pop())
}

/// Candidates by 考生编号, read together, in the order given (missing
/// ones left out).
pub(crate) async fn find_all(
    state: &AppState,
    school: &Tenant,
    nos: &[String],
) -> Result<Vec<Candidate>, TableError> {
    let keys = nos
        .iter()
        .filter(|no| !no.is_empty() && no.len() <= 64)
        .flat_map(|no| Candidate::keys_of(school, no))
        .collect();
    state.table.get_many_as(keys).await
}

/// The school's candidate with this ID number (any 证件类型), by its guards.
pub async fn by_id_number(
    state: &AppState,
    school: &Tenant,
    id_number: &str,
) -> Result<Vec<Candidate>, TableError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Guard {
        candidate_no: String,
    }
    let number = id_number.trim().to_ascii_uppercase();
    if number.is_empty() || number.len() > 64 {
        return Ok(Vec::new());
    }
    let guards = vslc_ports::domain::IdType::ALL
        .into_iter()
        .map(|t| Candidate::guard_key(school, t, &number))
        .collect();
    let nos: Vec<String> = state
        .table
        .get_many_as::<Guard>(guards)
        .await?
        .into_iter()
        .map(|g| g.candidate_no)
        .collect();
    find_all(state, school, &nos).await
}

/// The sum of counter attributes over the school's counter items.
async fn counted(state: &AppState, school: &Tenant, attrs: &[String]) -> Result<i64, TableError> {
    let counters: Vec<serde_json::Map<String, serde_json::Value>> = state
        .table
        .get_many_as(Candidate::count_keys(school))
        .await?;
    Ok(counters
        .iter()
        .flat_map(|c| attrs.iter().filter_map(|a| c.get(a)?.as_i64()))
        .sum())
}

/// How many candidates the school added between two days (inclusive, by
/// their 创建时间) and still has, for the weekly report's figures: the
/// per-day counters, never the candidates.
pub async fn added_between(
    state: &AppState,
    school: &Tenant,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<u32, DomainError> {
    let days: Vec<String> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .take(366)
        .map(Candidate::day_count)
        .collect();
    let n = counted(state, school, &days).await?;
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// Every candidate of the school (exports and bulk matching; lists read
/// pages).
pub async fn all(state: &AppState, school: &Tenant) -> Result<Vec<Candidate>, DomainError> {
    Ok(keyset::all_of(state.table.as_ref(), Candidate::partitions(school)).await?)
}

/// The filters no index answers, applied to the candidates a page reads.
pub fn matches(c: &Candidate, f: &CandidateFilter) -> bool {
    let major_ok = text(&f.major).is_none_or(|q| {
        c.major
            .as_ref()
            .is_some_and(|m| m.code == q || m.name.contains(q))
    });
    let level = c.major_level.map(MajorLevel::label).unwrap_or_default();
    f.kind.is_none_or(|k| c.kind == k)
        && text(&f.name).is_none_or(|q| c.name.starts_with(q))
        && text(&f.id_number).is_none_or(|q| c.id_number == q.to_ascii_uppercase())
        && text(&f.candidate_no).is_none_or(|q| c.candidate_no == q)
        && major_ok
        && filter::exact(level, f.level.as_deref())
        && f.enrolment_year.is_none_or(|y| c.enrolment_year == Some(y))
        && filter::exact(c.status.label(), f.status.as_deref())
        && f.has_photo.is_none_or(|h| c.photo_key.is_some() == h)
}

fn text(q: &Option<String>) -> Option<&str> {
    q.as_deref().map(str::trim).filter(|q| !q.is_empty())
}

/// Index pages read per request at most when filters the index does not
/// answer leave rows out: a narrow filter answers fewer rows and a cursor
/// to go on with, never a read of the whole school.
const MAX_ROUNDS: usize = 4;

/// 考生列表: one keyset page of list rows merged from the school's shards
/// (by kind, by status, or by name prefix), then the candidates they name.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    f: &CandidateFilter,
    paging: &CursorParams,
) -> Result<CandidatePage, DomainError> {
    let school = caller.school_reader()?;
    let size = paging.size()?;
    let status =
        match text(&f.status) {
            None => None,
            Some(s) => Some(InfoStatus::from_label(s).ok_or_else(|| {
                DomainError::invalid("BAD_STATUS", format!("信息状态“{s}”不正确"))
            })?),
        };
    // Exact look-ups by key: one page.
    let exact = if let Some(no) = text(&f.candidate_no) {
        Some(find(state, school, no).await?.into_iter().collect())
    } else if let Some(id) = text(&f.id_number) {
        Some(by_id_number(state, school, id).await?)
    } else {
        None
    };
    if let Some(found) = exact {
        let items: Vec<CandidateView> = found
            .iter()
            .filter(|c| matches(c, f))
            .map(|c| CandidateView::of(c, false))
            .collect();
        return Ok(CandidatePage {
            total: Some(items.len() as u64),
            items,
            next_cursor: None,
        });
    }
    let kinds: Vec<CandidateKind> = f.kind.map_or(CandidateKind::ALL.to_vec(), |k| vec![k]);
    let name = text(&f.name);
    let by = match (name, status) {
        (Some(n), _) => ListBy::Name(n),
        (None, Some(s)) => ListBy::Status(s),
        (None, None) if f.has_photo == Some(false) => ListBy::Status(InfoStatus::NoPhoto),
        (None, None) => ListBy::Kind,
    };
    let valid = |body: &str| match by {
        ListBy::Name(_) => {
            body.len() > RANK_LEN
                && body.as_bytes()[body.len() - RANK_LEN - 1] == b'#'
                && Candidate::number_of_row(body).is_some()
        }
        _ => Candidate::number_of(body).is_some(),
    };
    let mut after = keyset::decode(paging.cursor.as_deref(), valid)?;
    let first_page = after.is_none();
    let sources = Candidate::sources(school, &kinds, by);
    let mut items = Vec::with_capacity(size);
    let mut more = false;
    for _ in 0..MAX_ROUNDS {
        let page = keyset::merge(
            state.table.as_ref(),
            &sources,
            after.as_deref(),
            size - items.len(),
        )
        .await?;
        let found: Vec<Candidate> = if by == ListBy::Kind {
            // The list by kind is the candidates themselves.
            let json: Vec<Vec<u8>> = page.rows.iter().map(|r| r.json.clone()).collect();
            vslc_ports::table::parse_all(&json)?
        } else {
            let nos: Vec<String> = page
                .rows
                .iter()
                .filter_map(|r| Candidate::number_of_row(&r.body))
                .collect();
            find_all(state, school, &nos).await?
        };
        items.extend(
            found
                .iter()
                .filter(|c| matches(c, f))
                .map(|c| CandidateView::of(c, false)),
        );
        after = page.rows.last().map(|r| r.body.clone()).or(after);
        more = page.more;
        if items.len() >= size || !more {
            break;
        }
    }
    // Totals the counters answer: a kind, or a kind's status, and nothing
    // more; on the first page only (the client keeps it).
    let plain = text(&f.major).is_none()
        && text(&f.level).is_none()
        && f.enrolment_year.is_none()
        && name.is_none();
    let attrs: Option<Vec<String>> = match (status, f.has_photo) {
        _ if !plain || !first_page => None,
        (None, None) => Some(kinds.iter().map(|k| Candidate::kind_count(*k)).collect()),
        (Some(s), None) | (Some(s @ InfoStatus::NoPhoto), Some(false)) => Some(
            kinds
                .iter()
                .map(|k| Candidate::status_count(*k, s))
                .collect(),
        ),
        (None, Some(false)) => Some(
            kinds
                .iter()
                .map(|k| Candidate::status_count(*k, InfoStatus::NoPhoto))
                .collect(),
        ),
        _ => None,
    };
    let total = match attrs {
        Some(attrs) => Some(counted(state, school, &attrs).await?.max(0) as u64),
        None => None,
    };
    Ok(CandidatePage {
        items,
        total,
        next_cursor: more.then(|| after.as_deref().map(keyset::encode)).flatten(),
    })
}

pub async fn get(
    state: &AppState,
    caller: &Caller,
    no: &str,
) -> Result<CandidateView, DomainError> {
    let school = caller.school_reader()?;
    Ok(CandidateView::of(&load(state, school, no).await?, true))
}

/// 查看考生: the full record (ID number and phone unmasked), the view
/// recorded in the 操作日志.
pub async fn view(state: &AppState, caller: &Caller, no: &str) -> DomainResult<CandidateView> {
    let view = get(state, caller, no).await?;
    let who = format!(
        "{} {}",
        view.name,
        vslc_ports::mask::id_number(&view.id_number)
    );
    let target = ("candidate", view.candidate_no.as_str());
    vslc_audit::viewed(state, caller, "candidate.view", "查看考生", target, who).await;
    Ok(view)
}

/// 编辑考生: all fields before 信息准确; afterwards name, ID type, ID number
/// (and photo) are frozen.
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    no: &str,
    input: CandidateInput,
) -> Result<CandidateView, DomainError> {
    let school = caller.school_exam_writer()?;
    let old = load(state, school, no).await?;
    let c = checked_input(state, &input).await?;
    let new = apply_edit(state, school, &old, c).await?;
    Ok(CandidateView::of(&new, true))
}

/// Writes checked fields over a candidate, enforcing the frozen fields and
/// keeping the (证件类型, 证件号码) guard in step, conditional on the version read.
pub async fn apply_edit(
    state: &AppState,
    school: &Tenant,
    old: &Candidate,
    c: Checked,
) -> Result<Candidate, DomainError> {
    if c.kind != old.kind {
        return Err(DomainError::invalid(
            "KIND_FIXED",
            format!("不能把{}改为{}", old.kind.label(), c.kind.label()),
        ));
    }
    if old.status == InfoStatus::Accurate {
        for (field, changed) in [
            ("姓名", c.name != old.name),
            ("证件类型", c.id.id_type != old.id_type),
            ("证件号码", c.id.number != old.id_number),
        ] {
            if changed {
                return Err(DomainError::conflict(
                    "FIELD_FROZEN",
                    format!("考生信息已准确，不能修改{field}"),
                ));
            }
        }
    }
    let mut new = old.clone();
    new.name = c.name;
    new.name_pinyin = c.name_pinyin;
    new.gender = c.gender;
    new.id_type = c.id.id_type;
    new.id_number = c.id.number;
    new.phone = c.phone;
    new.major = c.major;
    new.major_level = c.major_level;
    new.enrolment_year = c.enrolment_year;
    new.work_unit = c.work_unit;
    new.updated_at = state.clock.now_text();
    new.version = old.version + 1;
    let ops = old.replace(school, &new)?.into_ops();
    state.table.transact(ops).await.map_err(|e| match e {
        TableError::TransactionCanceled { failed } if failed.contains(&2) => {
            DomainError::conflict("CANDIDATE_EXISTS", "证件号码与本校其他考生重复")
        }
        other => other.into(),
    })?;
    Ok(new)
}

/// Puts a candidate back as it was before the edit that made `now` (a
/// failed import taking back its edits): a versioned write, so a later edit
/// wins, with the ID-number guard and list rows moved back if the edit had
/// moved them.
pub async fn restore(
    state: &AppState,
    school: &Tenant,
    now: &Candidate,
    mut old: Candidate,
) -> Result<(), TableError> {
    old.version = now.version + 1;
    old.registrations = now.registrations;
    state
        .table
        .transact(now.replace(school, &old)?.into_ops())
        .await
}

/// The catalogue majors by code, for checking many rows at once.
/// The catalogue's majors (2021 专业目录), by code and by name.
#[derive(Debug, Default)]
pub struct Majors {
    by_code: std::collections::HashMap<String, (MajorRef, MajorLevel)>,
    /// 专业名称 → the codes carrying it.
    by_name: std::collections::HashMap<String, Vec<String>>,
}

impl Majors {
    pub fn new(majors: impl IntoIterator<Item = vslc_catalogue::Major>) -> Self {
        let mut out = Self::default();
        for m in majors {
            // The first certificate that lists a code describes it.
            if out.by_code.contains_key(&m.code) {
                continue;
            }
            out.by_name
                .entry(m.name.clone())
                .or_default()
                .push(m.code.clone());
            out.by_code.insert(
                m.code.clone(),
                (
                    MajorRef {
                        code: m.code,
                        name: m.name,
                        version: m.version,
                    },
                    m.level,
                ),
            );
        }
        out
    }

    /// 就读专业 as typed: a code, "代码 名称" (the dropdown), or a name the
    /// catalogue gives one code only. None when nothing matches; an error
    /// when the name belongs to several codes.
    pub fn resolve(&self, text: &str) -> Result<Option<(MajorRef, MajorLevel)>, String> {
        let text = text.trim();
        let first = text.split_whitespace().next().unwrap_or_default();
        if let Some(m) = self.by_code.get(first) {
            return Ok(Some(m.clone()));
        }
        match self.by_name.get(text).map(Vec::as_slice) {
            Some([code]) => Ok(self.by_code.get(code).cloned()),
            Some(codes) if !codes.is_empty() => Err(format!(
                "就读专业“{text}”对应多个专业代码（{}），请填写专业代码",
                codes.join("、")
            )),
            _ => Ok(None),
        }
    }
}

/// One entry of the 就读专业 dropdown: the import template's "代码 名称".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MajorOption {
    /// 专业代码.
    pub code: String,
    /// 专业名称.
    pub name: String,
    /// 专业层次.
    pub level: MajorLevel,
}

impl Majors {
    /// Every major, by code.
    pub fn options(&self) -> Vec<MajorOption> {
        let mut out: Vec<MajorOption> = self
            .by_code
            .values()
            .map(|(m, level)| MajorOption {
                code: m.code.clone(),
                name: m.name.clone(),
                level: *level,
            })
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }
}

/// 专业目录 for the 新增/编辑考生 form: the majors the catalogue's
/// certificates list, the same the import template offers.
pub async fn major_options(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<MajorOption>, DomainError> {
    caller.school_reader()?;
    Ok(majors(state).await?.options())
}

pub async fn majors(state: &AppState) -> Result<Majors, DomainError> {
    Ok(Majors::new(
        Certificate::all(state.table.as_ref())
            .await?
            .into_iter()
            .flat_map(|c| c.majors),
    ))
}

/// 删除: only a candidate with no registered certificate.
pub async fn delete(state: &AppState, caller: &Caller, no: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let c = load(state, school, no).await?;
    if c.registrations > 0 {
        return Err(DomainError::conflict(
            "HAS_REGISTRATIONS",
            format!("该考生已有{}条报考记录，不能删除", c.registrations),
        ));
    }
    state
        .table
        .transact(c.remove(school).into_ops())
        .await
        .map_err(|e| {
            if e.is_conflict() {
                DomainError::conflict(
                    "STATE_CONFLICT",
                    "考生信息已变化（可能刚被报考），请刷新后重试",
                )
            } else {
                e.into()
            }
        })?;
    Ok(())
}

/// 人工确认: 需人工确认 → 信息准确 (single only, as the manual says).
pub async fn confirm(
    state: &AppState,
    caller: &Caller,
    no: &str,
) -> Result<CandidateView, DomainError> {
    let school = caller.school_exam_writer()?;
    let c = load(state, school, no).await?;
    c.require_status(InfoStatus::ManualReview, "人工确认")?;
    let update = Update::new()
        .remove("reviewReason")
        .set("updatedAt", state.clock.now_text());
    let group = c.change_status(school, InfoStatus::Accurate, update);
    state.table.transact(group.into_ops()).await?;
    Ok(CandidateView::of(&load(state, school, no).await?, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vslc_catalogue::Major;

    fn major(code: &str, name: &str) -> Major {
        Major {
            code: code.into(),
            name: name.into(),
            version: "2021".into(),
            level: MajorLevel::Vocational,
        }
    }

    #[test]
    fn majors_resolve_by_code_dropdown_text_or_unambiguous_name() {
        let m = Majors::new([
            major("510201", "计算机应用技术"),
            major("510203", "软件技术"),
            major("510201", "计算机应用技术"),
            major("310201", "计算机应用"),
            major("710201", "计算机应用"),
        ]);
        let code = |t: &str| m.resolve(t).unwrap().map(|(r, _)| r.code);
        assert_eq!(code("510203").as_deref(), Some("510203"));
        assert_eq!(code("510201 计算机应用技术").as_deref(), Some("510201"));
        assert_eq!(code(" 软件技术 ").as_deref(), Some("510203"));
        assert_eq!(
            code("计算机应用技术").as_deref(),
            Some("510201"),
            "one code, listed twice"
        );
        assert_eq!(code("软件"), None, "exact names only");
        assert_eq!(
            m.resolve("计算机应用").unwrap_err(),
            "就读专业“计算机应用”对应多个专业代码（310201、710201），请填写专业代码"
        );
    }
}
