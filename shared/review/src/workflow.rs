//! 审核流程: the one review workflow of every record a counterpart approves
//! — 考核站点, 证书试点申报, 周报, and next 监考员认证, 成绩 and 证书发放.
//!
//! 未提交 → (提交) 待审核 → 审核通过 / 审核退回 (with a reason), 撤回 back
//! to 未提交. An area plugs in by implementing [`Reviewed`] for its stored
//! record (its key, version, status and 审核记录) and [`ReviewStatus`] for
//! its status, and by writing its transitions table: one [`Step`] constant
//! per transition, naming the states it leaves, the state it reaches, the
//! 操作 it records and the refusal a record elsewhere gets. Who may take a
//! step (the permission check) and any area rule (an open plan, a period
//! not yet ended) stay with the area, before it calls [`Step::take`].
//!
//! Every transition is a conditional write on the record's `version`: two
//! reviewers deciding at once cannot both succeed (the second gets 409
//! STATE_CONFLICT, 数据已被他人修改或状态已变化).
//!
//! [`reviewed!`](macro@crate::reviewed) writes the `Reviewed` impl of a record
//! with `status` and `version` fields. The owner's side is shared: [`own`]
//! is the record it opens, [`Allowed`] the states its 编辑 and 删除 are
//! allowed in, [`Step::edit`] its 保存 / 保存并提交, [`remove`] its 删除. So is the
//! counterpart's: [`queue`] is its 审核列表 (drafts left out), [`opened`]
//! the record it opens (its own and submitted, otherwise missing) and
//! [`Step::decide`] its 通过 or 退回.

use std::future::Future;

use serde::de::DeserializeOwned;

use crate::log::{ReturnInput, ReviewRecord, appended};
use vslc_ports::DomainError;
use vslc_ports::table::{Condition, Index, Key, Query, SkCond, Table, TableExt, Update};
use vslc_ports::tenant::TenantKind;
use vslc_ports::{AppState, Caller};

/// The stored attribute of the status.
pub const STATUS: &str = "status";
/// The stored attribute of the 审核记录.
pub const HISTORY: &str = "history";
/// The stored attribute of the last 退回原因.
pub const REASON: &str = "reviewReason";

/// A record's 审核状态, as stored and shown (未提交, 待审核, …).
pub trait ReviewStatus: Copy + PartialEq + Send + Sync + 'static {
    /// The Chinese label, which is also the stored value.
    fn label(self) -> &'static str;

    /// 未提交: the owner's own, which no counterpart sees.
    fn is_draft(self) -> bool {
        self.label() == "未提交"
    }
}

/// A record that goes through review: what the workflow reads of it.
pub trait Reviewed: DeserializeOwned + Send + Sync + 'static {
    type Status: ReviewStatus;
    /// How a refusal names the record: 考核站点, 试点申报, 周报.
    const NOUN: &'static str;
    /// Its key in the table (the area's store owns the prefix).
    fn key(&self) -> Key;
    /// The version read, which the transition's write is conditional on.
    fn version(&self) -> u64;
    fn status(&self) -> Self::Status;
    /// Its 审核记录, or `None` for a record that keeps none (考核站点).
    fn history(&self) -> Option<&[ReviewRecord]>;
    /// The kind of the counterpart that reviews it: 省级, 颁证机构.
    const REVIEWER: TenantKind;
    /// The counterpart's index of the records it reviews (`Gsi1` partition).
    fn queue_index(reviewer_id: &str) -> String;
    /// The id of the counterpart that reviews this record.
    fn reviewer_id(&self) -> &str;
    /// The key of the record an id names, `None` when it names none.
    fn key_of_id(id: &str) -> Option<Key>;
}

/// The counterpart's review list (审核列表): the records on its index,
/// drafts left out — they stay their owner's.
pub async fn queue<R: Reviewed>(
    table: &dyn Table,
    reviewer_id: &str,
) -> Result<Vec<R>, DomainError> {
    let index = Query::index(Index::Gsi1, R::queue_index(reviewer_id));
    let mut rows: Vec<R> = table.query_all_as(index).await?;
    rows.retain(|r| !r.status().is_draft());
    Ok(rows)
}

/// One page of `size` of the caller's [`queue`] (a caller of the
/// reviewing kind; 403 otherwise) in reverse index order — newest first —
/// within the index sort keys `within` (all without), keeping the records
/// `keep` accepts, from `cursor` on: the records and the cursor of the
/// next page (`vslc_ports::keyset::scan`).
pub async fn queue_page<R: Reviewed>(
    state: &AppState,
    caller: &Caller,
    within: Option<SkCond>,
    cursor: Option<&str>,
    size: usize,
    keep: impl Fn(&R) -> bool,
) -> Result<(Vec<R>, Option<String>), DomainError> {
    let reviewer = caller.require_kind(R::REVIEWER)?;
    let mut index = Query::index(Index::Gsi1, R::queue_index(&reviewer.id)).reverse();
    index.sk = within;
    Ok(
        vslc_ports::keyset::scan(&*state.table, index, cursor, size, |r: &R| {
            !r.status().is_draft() && keep(r)
        })
        .await?,
    )
}

/// The caller's [`queue`], for a caller of the reviewing kind (403
/// otherwise).
pub async fn queue_of<R: Reviewed>(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<R>, DomainError> {
    let reviewer = caller.require_kind(R::REVIEWER)?;
    queue(&*state.table, &reviewer.id).await
}

/// The record `id` names, [`opened`] by a caller of the reviewing kind
/// (403 otherwise): theirs when they are its counterpart.
pub async fn open<R: Reviewed>(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<R, DomainError> {
    let reviewer = caller.require_kind(R::REVIEWER)?;
    opened(&*state.table, R::key_of_id(id), |r: &R| {
        r.reviewer_id() == reviewer.id
    })
    .await
}

/// The record a counterpart opens to review: the one at `key` (`None` when
/// the id names no record), if it is `theirs` and not a draft; anything
/// else looks missing (404 “{NOUN}不存在或无权访问”).
pub async fn opened<R: Reviewed>(
    table: &dyn Table,
    key: Option<Key>,
    theirs: impl FnOnce(&R) -> bool,
) -> Result<R, DomainError> {
    let r: R = own(table, key).await?;
    if r.status().is_draft() || !theirs(&r) {
        return Err(DomainError::not_found(R::NOUN));
    }
    Ok(r)
}

/// The record at `key` (`None` when the id names no record of the caller's):
/// 404 “{NOUN}不存在或无权访问” when there is none.
pub async fn own<R: Reviewed>(table: &dyn Table, key: Option<Key>) -> Result<R, DomainError> {
    let missing = || DomainError::not_found(R::NOUN);
    table
        .get_as(&key.ok_or_else(missing)?)
        .await?
        .ok_or_else(missing)
}

/// Writes `update` to the record conditional on the version read (409
/// STATE_CONFLICT when it changed meanwhile), returning it as it is
/// afterwards.
pub async fn save<R: Reviewed>(table: &dyn Table, r: &R, update: Update) -> Result<R, DomainError> {
    Ok(table
        .update_versioned(&r.key(), r.version(), update)
        .await?)
}

/// Deletes the record conditional on the version read, with its `guard`
/// (the item that keeps it one of its kind) when it has one.
pub async fn remove<R: Reviewed>(
    table: &dyn Table,
    r: &R,
    guard: Option<Key>,
) -> Result<(), DomainError> {
    match guard {
        Some(guard) => table.delete_guarded(r.key(), r.version(), guard).await?,
        None => {
            let current = Condition::VersionIs(r.version());
            table.delete(&r.key(), Some(current)).await?
        }
    }
    Ok(())
}

/// The states an action is allowed in: a step's, or an owner's action that
/// changes no state (编辑, 删除) — a row of the area's transitions table too.
#[derive(Debug, Clone, Copy)]
pub struct Allowed<S: 'static> {
    /// The states.
    pub from: &'static [S],
    /// The 409 for a record in any other state, after “…当前为“X”状态，”:
    /// 只有未提交、审核退回的周报可以编辑.
    pub refused: &'static str,
}

impl<S: ReviewStatus> Allowed<S> {
    pub const fn new(from: &'static [S], refused: &'static str) -> Self {
        Self { from, refused }
    }

    pub fn allows(&self, status: S) -> bool {
        self.from.contains(&status)
    }

    /// 409 STATE_CONFLICT unless the record is in one of the states.
    pub fn check<R: Reviewed<Status = S>>(&self, r: &R) -> Result<(), DomainError> {
        if self.allows(r.status()) {
            return Ok(());
        }
        Err(DomainError::wrong_state(
            R::NOUN,
            r.status().label(),
            self.refused,
        ))
    }
}

/// Implements [`Reviewed`] for a record with `status` and `version` fields,
/// and [`ReviewStatus`] for its status (by its inherent `label`):
///
/// ```ignore
/// vslc_review::reviewed!(Site: SiteStatus, "考核站点",
///     key = |s| Site::key(&s.school(), &s.id), history = |_| None,
///     reviewer = Org, reviewer_id = |s| &s.org_id, queue = Site::org_index,
///     id = |id| Site::school_of_id(id).map(|school| Site::key(&school, id)));
/// ```
#[macro_export]
macro_rules! reviewed {
    ($record:ident: $status:ident, $noun:tt, key = |$k:ident| $key:expr, history = |$h:pat_param| $history:expr,
     reviewer = $kind:ident, reviewer_id = |$r:ident| $reviewer_id:expr, queue = $queue:path,
     id = |$i:ident| $of_id:expr) => {
        impl $crate::ReviewStatus for $status {
            fn label(self) -> &'static str {
                $status::label(self)
            }
        }

        impl $crate::Reviewed for $record {
            type Status = $status;
            const NOUN: &'static str = $noun;
            fn key(&self) -> $crate::rt::Key {
                let $k = self;
                $key
            }
            fn version(&self) -> u64 {
                self.version
            }
            fn status(&self) -> $status {
                self.status
            }
            fn history(&self) -> Option<&[$crate::ReviewRecord]> {
                let $h = self;
                $history
            }
            const REVIEWER: $crate::rt::TenantKind = $crate::rt::TenantKind::$kind;
            fn queue_index(reviewer_id: &str) -> String {
                $queue(reviewer_id)
            }
            fn reviewer_id(&self) -> &str {
                let $r = self;
                $reviewer_id
            }
            fn key_of_id($i: &str) -> Option<$crate::rt::Key> {
                $of_id
            }
        }
    };
}

/// One transition of a record's workflow: a row of the area's transitions
/// table.
#[derive(Debug, Clone, Copy)]
pub struct Step<S: 'static> {
    /// 操作, as the 审核记录 shows it: 提交, 撤回, 市级审核通过, 审核通过,
    /// 审核退回.
    pub action: &'static str,
    /// The states the step leaves.
    pub from: &'static [S],
    /// The state it reaches.
    pub to: S,
    /// The 409 for a record in any other state, after “…当前为“X”状态，”:
    /// 只有待审核的周报可以审核.
    pub refused: &'static str,
    /// An approval: the last 退回原因 goes.
    pub clears_reason: bool,
    /// The attribute that takes the step's time (submittedAt, reviewedAt).
    pub stamp: Option<&'static str>,
}

impl<S: ReviewStatus> Step<S> {
    /// A step that leaves `from` for `to`, recorded as `action`.
    pub const fn new(
        action: &'static str,
        from: &'static [S],
        to: S,
        refused: &'static str,
    ) -> Self {
        Self {
            action,
            from,
            to,
            refused,
            clears_reason: false,
            stamp: None,
        }
    }

    /// The same step, writing its time to `attribute` as well.
    pub const fn stamping(mut self, attribute: &'static str) -> Self {
        self.stamp = Some(attribute);
        self
    }

    /// The same step, clearing the last 退回原因 (审核通过).
    pub const fn clearing_reason(mut self) -> Self {
        self.clears_reason = true;
        self
    }

    /// The states the step leaves, and its refusal elsewhere.
    pub const fn allowed(&self) -> Allowed<S> {
        Allowed::new(self.from, self.refused)
    }

    pub fn allows(&self, status: S) -> bool {
        self.allowed().allows(status)
    }

    /// 409 STATE_CONFLICT unless the record is in a state the step leaves.
    pub fn check<R: Reviewed<Status = S>>(&self, r: &R) -> Result<(), DomainError> {
        self.allowed().check(r)
    }

    /// The 审核记录 entry of this step taken by `caller` at `at`.
    pub fn record(&self, caller: &Caller, at: String, reason: Option<&str>) -> ReviewRecord {
        let record = ReviewRecord::new(caller, at, self.action, self.to.label());
        match reason {
            Some(reason) => record.with_reason(reason),
            None => record,
        }
    }

    /// The write of the step, after `extra` (the area's own attributes, or
    /// an edit's): the new status, its time stamped, the 审核记录 appended,
    /// the 退回原因 set (退回) or cleared (通过).
    pub fn update<R: Reviewed<Status = S>>(
        &self,
        r: &R,
        caller: &Caller,
        at: String,
        reason: Option<&str>,
        extra: Update,
    ) -> Result<Update, DomainError> {
        let mut update = extra.set(STATUS, self.to.label());
        if let Some(stamp) = self.stamp {
            update = update.set(stamp, at.clone());
        }
        if let Some(reason) = reason {
            update = update.set(REASON, reason);
        } else if self.clears_reason {
            update = update.remove(REASON);
        }
        if let Some(history) = r.history() {
            let record = self.record(caller, at, reason);
            update = update.set_json(HISTORY, &appended(history, record))?;
        }
        Ok(update)
    }

    /// Takes the step: checks the state, then writes conditional on the
    /// version read, returning the record as it is afterwards.
    pub async fn apply<R: Reviewed<Status = S>>(
        &self,
        table: &dyn Table,
        caller: &Caller,
        r: &R,
        at: String,
        reason: Option<&str>,
        extra: Update,
    ) -> Result<R, DomainError> {
        self.check(r)?;
        let update = self.update(r, caller, at, reason, extra)?;
        save(table, r, update).await
    }

    /// Takes the step now, writing nothing of the area's own.
    pub async fn take<R: Reviewed<Status = S>>(
        &self,
        state: &AppState,
        caller: &Caller,
        r: &R,
    ) -> Result<R, DomainError> {
        let at = state.clock.now_text();
        self.apply(&*state.table, caller, r, at, None, Update::new())
            .await
    }

    /// The owner's 保存 of `edit` (its attributes), or 保存并提交 when
    /// `submit`: this step taken in the same write. The area has checked
    /// that the record may be edited (and submitted).
    pub async fn edit<R: Reviewed<Status = S>>(
        &self,
        state: &AppState,
        caller: &Caller,
        r: &R,
        edit: Update,
        submit: bool,
    ) -> Result<R, DomainError> {
        let update = if submit {
            self.update(r, caller, state.clock.now_text(), None, edit)?
        } else {
            edit
        };
        save(&*state.table, r, update).await
    }

    /// A counterpart's 通过, or 退回 with `returned` (its reason checked
    /// first): the record `opened` finds, then the step taken now with
    /// `extra` (the area's own attributes).
    pub async fn decide<R: Reviewed<Status = S>>(
        &self,
        state: &AppState,
        caller: &Caller,
        returned: Option<&ReturnInput>,
        opened: impl Future<Output = Result<R, DomainError>>,
        extra: Update,
    ) -> Result<R, DomainError> {
        let reason = returned.map(ReturnInput::checked).transpose()?;
        let r = opened.await?;
        let at = state.clock.now_text();
        self.apply(&*state.table, caller, &r, at, reason, extra)
            .await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use async_trait::async_trait;
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    use super::*;
    use vslc_ports::role::Role;
    use vslc_ports::table::{
        BatchOp, Condition, Guarded, Item, Query, QueryPage, TableError, TxOp, to_item,
    };
    use vslc_ports::tenant::{Tenant, TenantKind};

    /// The states of a test record: stored as their labels.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Status {
        Draft,
        Pending,
        Approved,
        Returned,
    }
    use Status::*;
    const STATES: [Status; 4] = [Draft, Pending, Approved, Returned];

    impl ReviewStatus for Status {
        fn label(self) -> &'static str {
            ["未提交", "待审核", "审核通过", "审核退回"][self as usize]
        }
    }

    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Report {
        id: String,
        status: String,
        #[serde(default)]
        review_reason: Option<String>,
        #[serde(default)]
        submitted_at: Option<String>,
        #[serde(default)]
        history: Vec<ReviewRecord>,
        version: u64,
    }

    impl Reviewed for Report {
        type Status = Status;
        const NOUN: &'static str = "周报";
        fn key(&self) -> Key {
            Key::new("T", format!("R#{}", self.id))
        }
        fn version(&self) -> u64 {
            self.version
        }
        fn status(&self) -> Status {
            *STATES.iter().find(|s| s.label() == self.status).unwrap()
        }
        fn history(&self) -> Option<&[ReviewRecord]> {
            Some(&self.history)
        }
        const REVIEWER: TenantKind = TenantKind::Province;
        fn queue_index(reviewer_id: &str) -> String {
            format!("P#{reviewer_id}#R")
        }
        fn reviewer_id(&self) -> &str {
            "11"
        }
        fn key_of_id(id: &str) -> Option<Key> {
            Some(Key::new("T", format!("R#{id}")))
        }
    }

    const SUBMIT: Step<Status> = Step::new(
        "提交",
        &[Draft, Returned],
        Pending,
        "只有未提交、审核退回的周报可以提交",
    )
    .stamping("submittedAt");
    const WITHDRAW: Step<Status> = Step::new("撤回", &[Pending], Draft, "只有待审核的周报可以撤回");
    const APPROVE: Step<Status> =
        Step::new("审核通过", &[Pending], Approved, "只有待审核的周报可以审核").clearing_reason();
    const RETURN: Step<Status> =
        Step::new("审核退回", &[Pending], Returned, "只有待审核的周报可以审核");
    const ALL: [Step<Status>; 4] = [SUBMIT, WITHDRAW, APPROVE, RETURN];

    /// A table of items in memory: enough for get and the versioned update.
    #[derive(Default)]
    struct Memory(Mutex<HashMap<Key, Item>>);

    type Out<T> = Result<T, TableError>;

    #[async_trait]
    impl Table for Memory {
        async fn get(&self, key: &Key) -> Out<Option<Item>> {
            Ok(self.0.lock().unwrap().get(key).cloned())
        }
        async fn put(&self, item: Item, _: Option<Condition>) -> Out<()> {
            let key = Key::new(
                item["pk"].as_str().unwrap_or_default(),
                item["sk"].as_str().unwrap_or_default(),
            );
            self.0.lock().unwrap().insert(key, item);
            Ok(())
        }
        /// Only the version condition, as the workflow writes.
        async fn update(&self, key: &Key, u: Update, c: Option<Condition>) -> Out<Item> {
            let mut items = self.0.lock().unwrap();
            let item = items.get_mut(key).ok_or(TableError::ConditionFailed)?;
            if let Some(Condition::VersionIs(v)) = c
                && item.get("version").and_then(Value::as_u64) != Some(v)
            {
                return Err(TableError::ConditionFailed);
            }
            item.extend(u.set);
            u.remove.iter().for_each(|name| _ = item.remove(name));
            for (name, by) in u.add {
                let n = item.get(&name).and_then(Value::as_i64).unwrap_or(0) + by;
                item.insert(name, n.into());
            }
            Ok(item.clone())
        }
        async fn delete(&self, _: &Key, _: Option<Condition>) -> Out<()> {
            unimplemented!()
        }
        async fn transact(&self, _: Vec<TxOp>) -> Out<()> {
            unimplemented!()
        }
        async fn batch_write(&self, _: Vec<BatchOp>) -> Out<()> {
            unimplemented!()
        }
        async fn query(&self, _: Query) -> Out<QueryPage> {
            unimplemented!()
        }
        async fn insert_new(&self, _: Vec<Item>) -> Out<Vec<bool>> {
            unimplemented!()
        }
        async fn insert_guarded(&self, _: Vec<Guarded>) -> Out<Vec<bool>> {
            unimplemented!()
        }
    }

    fn caller() -> Caller {
        Caller {
            user_id: "u1".into(),
            account: "admin".into(),
            name: "张三".into(),
            tenant: Tenant::new(TenantKind::Province, "11"),
            tenant_name: "北京市教育委员会".into(),
            roles: vec![Role::ProvinceAdmin],
            cert_lead: false,
            certificates: Vec::new(),
            invigilator_id: None,
        }
    }

    async fn stored(status: Status) -> (Memory, Report) {
        let table = Memory::default();
        let r = Report {
            id: "1".into(),
            status: status.label().into(),
            review_reason: Some("材料不全".into()),
            submitted_at: None,
            history: Vec::new(),
            version: 3,
        };
        table
            .put(to_item(&r.key(), &r).unwrap(), None)
            .await
            .unwrap();
        (table, r)
    }

    #[test]
    fn each_step_leaves_only_its_states() {
        let allowed = |s: Step<Status>| {
            STATES
                .into_iter()
                .filter(|&from| s.allows(from))
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(SUBMIT), vec![Draft, Returned]);
        assert_eq!(allowed(WITHDRAW), vec![Pending]);
        assert_eq!(allowed(APPROVE), vec![Pending]);
        assert_eq!(allowed(RETURN), vec![Pending]);
    }

    #[tokio::test]
    async fn every_step_from_every_state_is_taken_or_refused() {
        for step in ALL {
            for from in STATES {
                let (table, r) = stored(from).await;
                let reason = (step.to == Returned).then_some("请补充材料");
                let result = step
                    .apply(
                        &table,
                        &caller(),
                        &r,
                        "2026-11-30 10:00:00".into(),
                        reason,
                        Update::new(),
                    )
                    .await;
                if !step.allows(from) {
                    let e = result.unwrap_err();
                    assert!(matches!(e, DomainError::Conflict { .. }), "{e:?}");
                    assert_eq!(
                        e.to_string(),
                        format!("周报当前为“{}”状态，{}", from.label(), step.refused)
                    );
                    continue;
                }
                let after = result.unwrap();
                assert_eq!(after.status(), step.to);
                let stamped = (step.stamp.is_some()).then_some("2026-11-30 10:00:00");
                assert_eq!(after.submitted_at.as_deref(), stamped);
                assert_eq!(after.version, 4);
                let record = after.history.last().unwrap();
                assert_eq!(after.history.len(), 1);
                assert_eq!(record.action, step.action);
                assert_eq!(record.status, step.to.label());
                assert_eq!(
                    (record.by.as_str(), record.unit.as_str()),
                    ("张三", "北京市教育委员会")
                );
                assert_eq!(record.reason.as_deref(), reason);
                let kept = Some("材料不全");
                let expected = match step.to {
                    Returned => reason,
                    Approved => None,
                    _ => kept,
                };
                assert_eq!(after.review_reason.as_deref(), expected);
            }
        }
    }

    #[tokio::test]
    async fn history_is_appended_in_order() {
        let (table, r) = stored(Draft).await;
        let c = caller();
        let at = || "2026-11-30 10:00:00".to_string();
        let r = SUBMIT
            .apply(&table, &c, &r, at(), None, Update::new())
            .await
            .unwrap();
        let r = RETURN
            .apply(&table, &c, &r, at(), Some("缺附件"), Update::new())
            .await
            .unwrap();
        let r = SUBMIT
            .apply(
                &table,
                &c,
                &r,
                at(),
                None,
                Update::new().set("content", "第二稿"),
            )
            .await
            .unwrap();
        let r = APPROVE
            .apply(&table, &c, &r, at(), None, Update::new())
            .await
            .unwrap();
        let actions: Vec<_> = r.history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["提交", "审核退回", "提交", "审核通过"]);
        assert_eq!(r.version, 7);
    }

    #[tokio::test]
    async fn a_counterpart_opens_only_submitted_records_of_its_own() {
        for (status, theirs, found) in [
            (Pending, true, true),
            (Approved, true, true),
            (Draft, true, false),
            (Pending, false, false),
        ] {
            let (table, r) = stored(status).await;
            let opened = opened::<Report>(&table, Some(r.key()), |_| theirs).await;
            match opened {
                Ok(o) => assert!(found && o.status() == status),
                Err(e) => {
                    assert!(!found);
                    assert_eq!(e.to_string(), "周报不存在或无权访问");
                }
            }
        }
        let (table, _) = stored(Pending).await;
        let none = opened::<Report>(&table, None, |_| true).await;
        assert!(matches!(none, Err(DomainError::NotFound(_))));
    }

    #[tokio::test]
    async fn a_stale_version_is_refused() {
        let (table, r) = stored(Pending).await;
        let c = caller();
        // Another reviewer decided first, on the same version.
        APPROVE
            .apply(&table, &c, &r, "t".into(), None, Update::new())
            .await
            .unwrap();
        let e = RETURN
            .apply(
                &table,
                &c,
                &r,
                "t".into(),
                Some("迟到的退回"),
                Update::new(),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, DomainError::Conflict { .. }), "{e:?}");
        let now: Report = table.get_as(&r.key()).await.unwrap().unwrap();
        assert_eq!((now.status(), now.history.len()), (Approved, 1));
    }
}
