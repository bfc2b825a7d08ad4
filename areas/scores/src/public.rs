//! 成绩查询 (public, no login; manual §5.2.9: once 公示期 starts candidates
//! look up their scores on the platform's website): 准考证号 + 证件号码 answer
//! that registration's subject scores (and its 考证结果 once decided), and
//! nothing else.
//!
//! - "no such 准考证号" and "wrong 证件号码" answer alike;
//! - every attempt is counted before it is checked, per client address and
//!   per 准考证号, in fixed windows: a burst from one address, or on one
//!   ticket from many, is refused (429) until its window ends;
//! - before 公示期 the holder of both numbers is told so.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::model::{Mark, Outcome, Points, Score, ScoreStatus};
use crate::results::{CertResult, ResultStatus};
use vslc_accounts::{Tenant, TenantKind};
use vslc_exam::Plan;
use vslc_ports::table::{EXPIRES_AT, EncodedItem, Key, Query, TableExt, Update};
use vslc_ports::{AppState, DomainError};
use vslc_registrations::Registration;

/// Where a 准考证号 leads, written with each of its scores (one item a
/// subject, so that each is new when written): the registration, and a
/// hash of the candidate's 证件号码 to compare the typed one with before
/// anything else is read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketRef {
    pub plan_id: String,
    pub school_id: String,
    pub registration_id: String,
    /// SHA-256 (hex) of `<计划 id>#<证件号码 in capitals>`.
    pub id_hash: String,
}

impl TicketRef {
    fn pk(ticket_no: &str) -> String {
        format!("SCORETICKET#{ticket_no}")
    }

    pub fn key(ticket_no: &str, plan_id: &str, subject_id: &str) -> Key {
        Key::new(Self::pk(ticket_no), format!("{plan_id}#{subject_id}"))
    }

    /// The hash a typed 证件号码 is compared by.
    pub fn id_hash(plan_id: &str, id_number: &str) -> String {
        let id = id_number.trim().to_uppercase();
        hex::encode(Sha256::digest(format!("{plan_id}#{id}").as_bytes()))
    }

    /// Where a score's 准考证号 leads, as an item new with the score.
    pub fn encoded(
        score: &Score,
        id_number: &str,
    ) -> Result<EncodedItem, vslc_ports::table::TableError> {
        let r = TicketRef {
            plan_id: score.plan_id.clone(),
            school_id: score.school_id.clone(),
            registration_id: score.registration_id.clone(),
            id_hash: Self::id_hash(&score.plan_id, id_number),
        };
        EncodedItem::new(
            Self::key(&score.ticket_no, &score.plan_id, &score.subject_id),
            &r,
        )
    }
}

/// 成绩查询.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LookupInput {
    /// 准考证号.
    pub ticket_no: String,
    /// 证件号码.
    pub id_number: String,
}

/// A subject's score as the candidate sees it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LookupSubject {
    pub subject_code: String,
    pub subject_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Points>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// `86.5`, `缺考`, `违纪（52）` or `未登记`.
    pub score_text: String,
    pub pass_mark: Points,
    pub status: ScoreStatus,
}

/// What the candidate is told.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LookupAnswer {
    pub plan_name: String,
    pub certificate_name: String,
    pub level: vslc_catalogue::certificate::Level,
    /// 姓名, all but the first character masked.
    pub candidate_name: String,
    pub ticket_no: String,
    pub subjects: Vec<LookupSubject>,
    /// 考核状态, once decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultStatus>,
    /// 公示期.
    pub publicity: vslc_exam::Window,
}

/// Attempts one client address may make per window.
pub const ADDRESS_LIMIT: i64 = 30;
/// Attempts on one 准考证号 (from anywhere) per window.
pub const TICKET_LIMIT: i64 = 10;
pub const WINDOW_SECS: i64 = 10 * 60;

const NOT_FOUND: &str = "准考证号或证件号码不正确";

fn not_found() -> DomainError {
    DomainError::NotFound(NOT_FOUND.into())
}

/// Counts an attempt in its window; Err(429) past the limit.
async fn count(state: &AppState, pk: String, limit: i64) -> Result<(), DomainError> {
    let now = state.clock.now().timestamp();
    let window = now / WINDOW_SECS;
    let key = Key::new(pk, window.to_string());
    let item = state
        .table
        .update(
            &key,
            Update::new()
                .add("n", 1)
                .set(EXPIRES_AT, (window + 2) * WINDOW_SECS),
            None,
        )
        .await?;
    let n = item.get("n").and_then(|v| v.as_i64()).unwrap_or(0);
    if n > limit {
        let minutes = ((window + 1) * WINDOW_SECS - now + 59) / 60;
        return Err(DomainError::too_many(
            "TOO_MANY_LOOKUPS",
            format!("查询过于频繁，请{minutes}分钟后再试"),
        ));
    }
    Ok(())
}

fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// 成绩查询 by 准考证号 and 证件号码, from the client at `addr`.
pub async fn lookup(
    state: &AppState,
    addr: &str,
    input: LookupInput,
) -> Result<LookupAnswer, DomainError> {
    let ticket = input.ticket_no.trim();
    let id_number = input.id_number.trim().to_uppercase();
    if ticket.is_empty() || id_number.is_empty() {
        return Err(DomainError::invalid(
            "MISSING_FIELDS",
            "请输入准考证号和证件号码",
        ));
    }
    // Counted before anything is looked up, malformed input too.
    count(state, format!("LOOKUP#ADDR#{addr}"), ADDRESS_LIMIT).await?;
    let hashed = hex::encode(Sha256::digest(ticket.as_bytes()));
    count(state, format!("LOOKUP#TICKET#{hashed}"), TICKET_LIMIT).await?;
    if ticket.len() > 40 || !ticket.bytes().all(|b| b.is_ascii_digit()) || id_number.len() > 40 {
        return Err(not_found());
    }
    // One query whether the ticket is known or not, and the 证件号码
    // compared by its hash before anything else is read: a wrong number
    // and an unknown ticket cost the same.
    let refs: Vec<TicketRef> = state
        .table
        .query_all_as(Query::partition(TicketRef::pk(ticket)))
        .await?;
    let matching = refs.into_iter().find(|r| {
        subtle_eq::eq(
            r.id_hash.as_bytes(),
            TicketRef::id_hash(&r.plan_id, &id_number).as_bytes(),
        )
    });
    let Some(r) = matching else {
        return Err(not_found());
    };
    let school = Tenant::new(TenantKind::School, &r.school_id);
    let key = Registration::key(&school, &r.plan_id, &r.registration_id);
    let reg = state.table.get_as::<Registration>(&key).await?;
    let plan = Plan::load(state, &r.plan_id).await?;
    match (reg, plan) {
        (Some(reg), Some(plan)) => answer(state, &plan, &reg, ticket).await,
        _ => Err(not_found()),
    }
}

/// Constant-time comparison of two byte strings of any lengths.
mod subtle_eq {
    pub fn eq(a: &[u8], b: &[u8]) -> bool {
        let mut diff = a.len() ^ b.len();
        for i in 0..a.len().max(b.len()) {
            let x = a.get(i).copied().unwrap_or(0);
            let y = b.get(i).copied().unwrap_or(0);
            diff |= usize::from(x ^ y);
        }
        diff == 0
    }
}

async fn answer(
    state: &AppState,
    plan: &Plan,
    reg: &Registration,
    ticket: &str,
) -> Result<LookupAnswer, DomainError> {
    let now = state.clock.now_local();
    let status = ScoreStatus::at(&plan.publicity, now);
    if status == ScoreStatus::Recorded {
        return Err(DomainError::conflict(
            "NOT_IN_PUBLICITY",
            format!(
                "成绩公示期尚未开始（{} 至 {}），请在公示期开始后查询",
                plan.publicity.start, plan.publicity.end
            ),
        ));
    }
    let marks = crate::context::marks(state, plan).await?;
    let keys: Vec<Key> = reg
        .subjects
        .iter()
        .map(|s| Score::school_key(&reg.school_id, &plan.id, &s.subject_id, &reg.id))
        .collect();
    let found = state.table.get_many_json(keys).await?;
    let mut subjects = Vec::new();
    for (s, json) in reg.subjects.iter().zip(found) {
        let outcome = json
            .map(|j| serde_json::from_slice::<Score>(&j))
            .transpose()
            .map_err(DomainError::internal)?
            .map(|x| x.outcome);
        let pass = marks.get(&s.subject_id).map_or(Points::whole(60), |m| m.1);
        subjects.push(LookupSubject {
            subject_code: s.code.clone(),
            subject_name: s.name.clone(),
            score: outcome.and_then(|o: Outcome| o.points),
            mark: outcome.and_then(|o| o.mark),
            score_text: outcome.map_or("未登记".into(), |o| o.text()),
            pass_mark: pass,
            status,
        });
    }
    let result: Option<CertResult> = state
        .table
        .get_as(&CertResult::school_key(&reg.school_id, &plan.id, &reg.id))
        .await?;
    Ok(LookupAnswer {
        plan_name: plan.name.clone(),
        certificate_name: reg.certificate_name.clone(),
        level: reg.level,
        candidate_name: masked_name(&reg.candidate.name),
        ticket_no: ticket.to_owned(),
        subjects,
        result: result.map(|r| r.status),
        publicity: plan.publicity.clone(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_masked_and_ids_compared_whole() {
        assert_eq!(super::masked_name("张三丰"), "张**");
        assert_eq!(super::masked_name(""), "");
        assert!(super::subtle_eq::eq(b"11010", b"11010"));
        assert!(!super::subtle_eq::eq(b"11010", b"1101"));
        assert!(!super::subtle_eq::eq(b"11010", b"11011"));
    }
}
