//! 锁定: when a plan's 公示期 ends its scores never change again. The
//! closer ([`ScoreLockCloser`]) takes each plan whose 公示期 has ended,
//! marks each subject's sheet locked (after which no correction commits:
//! corrections check the sheet in their own transaction), hashes the
//! locked sheet in a canonical form and anchors that hash on the ledger as
//! one transaction (上链信息), so any later change of a score shows as a
//! sheet that no longer hashes to its anchor ([`verify`]).
//!
//! Every step is conditional or deterministic: the anchor's body is the
//! same whoever computes it (its time is the 公示期's end), the ledger
//! keeps a transaction hash once, so a second run — or two at once —
//! changes nothing and anchors nothing twice.

use async_trait::async_trait;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::{LockDue, Score, ScoreSheet};
use vslc_accounts::{Tenant, TenantKind};
use vslc_exam::Plan;
use vslc_ledger::{self as ledger, ChainInfo, TxBody};
use vslc_ports::jobs::Closer;
use vslc_ports::table::{Condition, SkCond, TableExt, Update};
use vslc_ports::{AppState, DomainError, keyset};

/// The ledger transaction kind of a locked sheet.
pub const ANCHOR_KIND: &str = "scores.lock";

/// A sheet in canonical form: its scores by registration id, each as
/// `[报考 id, 准考证号, 成绩 (tenths) or null, 缺考/违纪 or null]`.
pub fn canonical(scores: &[Score]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Line<'a>(&'a str, &'a str, Option<u32>, Option<&'static str>);
    let mut lines: Vec<Line<'_>> = scores
        .iter()
        .map(|s| {
            Line(
                &s.registration_id,
                &s.ticket_no,
                s.outcome.points.map(|p| p.tenths()),
                s.outcome.mark.map(|m| m.label()),
            )
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(b.0));
    serde_json::to_vec(&lines).unwrap_or_default()
}

/// SHA-256 (hex) of a sheet's canonical form.
pub fn sheet_hash(scores: &[Score]) -> String {
    hex::encode(Sha256::digest(canonical(scores)))
}

/// The scores of a sheet as stored now (the org's rows).
pub async fn scores_of(state: &AppState, sheet: &ScoreSheet) -> Result<Vec<Score>, DomainError> {
    let org = Tenant::new(TenantKind::Org, &sheet.org_id);
    let sources = Score::sources(&org, Some(&sheet.plan_id), Some(&sheet.subject_id));
    Ok(keyset::each_in(state.table.as_ref(), &sources).await?)
}

/// The anchor of a locked sheet: deterministic, so every run builds the
/// same transaction.
fn anchor_body(sheet: &ScoreSheet, count: usize, hash: &str, locked_at: &str) -> TxBody {
    TxBody {
        kind: ANCHOR_KIND.into(),
        payload: serde_json::json!({
            "planId": sheet.plan_id,
            "subjectId": sheet.subject_id,
            "orgId": sheet.org_id,
            "count": count,
            "sheetHash": hash,
        }),
        time: locked_at.to_owned(),
    }
}

/// Appends the anchor once: if its transaction is on the chain already
/// (an earlier or a concurrent run), answers where.
async fn anchor_once(state: &AppState, body: TxBody) -> anyhow::Result<ChainInfo> {
    let hash = hex::encode(body.hash());
    let table = state.table.as_ref();
    if let Some(p) = ledger::prove(table, &hash).await? {
        return Ok(ChainInfo {
            block_height: p.block.height,
            block_hash: p.block_hash,
            tx_hash: p.tx_hash,
        });
    }
    let time = body.time.clone();
    match ledger::append(table, vec![body], &time).await {
        Ok(mut infos) => infos
            .pop()
            .ok_or_else(|| anyhow::anyhow!("the ledger answered no place")),
        Err(e) => {
            // Lost to a concurrent run: its transaction is there now.
            let p = ledger::prove(table, &hash)
                .await?
                .ok_or_else(|| anyhow::anyhow!("anchoring scores: {e}"))?;
            Ok(ChainInfo {
                block_height: p.block.height,
                block_hash: p.block_hash,
                tx_hash: p.tx_hash,
            })
        }
    }
}

/// Locks every sheet of a plan (its 公示期 over) and anchors each; returns
/// how many sheets this run locked or anchored.
pub async fn lock_plan(state: &AppState, plan: &Plan) -> anyhow::Result<usize> {
    let locked_at = plan.publicity.end.clone();
    let sheets: Vec<ScoreSheet> = state
        .table
        .query_all_as(ScoreSheet::of_plan(&plan.id))
        .await?;
    let mut changed = 0;
    for sheet in sheets {
        let key = ScoreSheet::key(&sheet.plan_id, &sheet.subject_id);
        // First the lock: no correction commits after it.
        match state
            .table
            .update(
                &key,
                Update::new().set(ScoreSheet::LOCKED_AT, locked_at.clone()),
                Some(Condition::AttrAbsent(ScoreSheet::LOCKED_AT.into())),
            )
            .await
        {
            Ok(_) => changed += 1,
            Err(e) if e.is_conflict() => {}
            Err(e) => return Err(e.into()),
        }
        if sheet.chain.is_some() {
            continue;
        }
        // Then the sheet as it is locked, read after the lock.
        let scores = scores_of(state, &sheet)
            .await
            .map_err(anyhow::Error::from)?;
        let hash = sheet_hash(&scores);
        let info = anchor_once(state, anchor_body(&sheet, scores.len(), &hash, &locked_at)).await?;
        match state
            .table
            .update(
                &key,
                Update::new()
                    .set(ScoreSheet::SHEET_HASH, hash)
                    .set_json(ScoreSheet::CHAIN, &info)?,
                Some(Condition::AttrAbsent(ScoreSheet::CHAIN.into())),
            )
            .await
        {
            Ok(_) => changed += 1,
            Err(e) if e.is_conflict() => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(changed)
}

/// The period-closer's step: every plan whose 公示期 has ended is locked,
/// then leaves the queue.
pub struct ScoreLockCloser;

#[async_trait]
impl Closer for ScoreLockCloser {
    fn name(&self) -> &'static str {
        "score-locks"
    }

    async fn close_ended(&self, state: &AppState) -> anyhow::Result<usize> {
        let now = state.clock.now_text();
        // Due items sort by end time: those up to now (an end equal to now
        // is over: the window's end is exclusive).
        let due: Vec<LockDue> = state
            .table
            .query_all_as(LockDue::all().sk(SkCond::Lt(format!("{now}~"))))
            .await?;
        let mut changed = 0;
        for d in due {
            if d.end.as_str() > now.as_str() {
                continue;
            }
            if let Some(plan) = Plan::load(state, &d.plan_id)
                .await
                .map_err(anyhow::Error::from)?
            {
                changed += lock_plan(state, &plan).await?;
                // Then the results, from the locked sheets (the same items
                // however often this runs).
                changed += crate::results::compute_plan(state, &plan).await?;
            }
            match state.table.delete(&d.key(), None).await {
                Ok(()) => {}
                Err(e) if e.is_conflict() => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(changed)
    }
}

/// 校验: whether the sheet as stored now still hashes to its anchor.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SheetCheck {
    /// The sheet is unchanged since it was locked.
    pub intact: bool,
    /// The hash on the ledger.
    pub anchored_hash: String,
    /// The hash of the scores as stored now (the org's rows).
    pub current_hash: String,
    /// The same of the schools' copies.
    pub school_hash: String,
    pub chain: ChainInfo,
    pub message: String,
}

/// Recomputes a locked sheet's hash and compares it with the ledger's
/// transaction (not the copy on the sheet).
pub async fn verify(state: &AppState, sheet: &ScoreSheet) -> Result<SheetCheck, DomainError> {
    let chain = sheet.chain.clone().ok_or_else(|| {
        DomainError::conflict("NOT_LOCKED", "该科目成绩尚未锁定上链，公示期结束后自动锁定")
    })?;
    let proof = ledger::prove(state.table.as_ref(), &chain.tx_hash)
        .await
        .map_err(DomainError::internal)?;
    // The transaction must be this sheet's anchor, not any on the chain.
    let field = |p: &vslc_ledger::InclusionProof, name: &str| {
        p.payload
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let anchored_hash = proof
        .as_ref()
        .filter(|p| {
            p.kind == ANCHOR_KIND
                && field(p, "planId") == sheet.plan_id
                && field(p, "subjectId") == sheet.subject_id
        })
        .map(|p| field(p, "sheetHash"))
        .unwrap_or_default();
    let current_hash = sheet_hash(&scores_of(state, sheet).await?);
    // The schools' copies (what their lists, exports and 成绩查询 read).
    let mut copies = Vec::new();
    if let Some(plan) = Plan::load(state, &sheet.plan_id).await? {
        for s in &plan.schools {
            let school = Tenant::new(TenantKind::School, &s.school_id);
            let sources = Score::sources(&school, Some(&sheet.plan_id), Some(&sheet.subject_id));
            copies.extend(keyset::each_in::<Score>(state.table.as_ref(), &sources).await?);
        }
    }
    let school_hash = sheet_hash(&copies);
    let intact =
        !anchored_hash.is_empty() && anchored_hash == current_hash && school_hash == current_hash;
    let message = if intact {
        "成绩与锁定时上链的成绩单一致".to_owned()
    } else if anchored_hash.is_empty() {
        "链上找不到该科目成绩单的锁定记录".to_owned()
    } else if anchored_hash != current_hash {
        "成绩与锁定时上链的成绩单不一致：锁定后有成绩被改动".to_owned()
    } else {
        "院校所见的成绩与锁定时上链的成绩单不一致：锁定后有成绩被改动".to_owned()
    };
    Ok(SheetCheck {
        intact,
        anchored_hash,
        current_hash,
        school_hash,
        chain,
        message,
    })
}
