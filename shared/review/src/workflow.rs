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
//! not yet ended) stay with the area, before it calls [`Step::apply`].
//!
//! Every transition is a conditional write on the record's `version`: two
//! reviewers deciding at once cannot both succeed (the second gets 409
//! STATE_CONFLICT, 数据已被他人修改或状态已变化).

use serde::de::DeserializeOwned;

use crate::log::{ReviewRecord, appended};
use vslc_ports::Caller;
use vslc_ports::DomainError;
use vslc_ports::table::{Key, Table, TableExt, Update};

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
}

/// A record that goes through review: what the workflow reads of it.
pub trait Reviewed: DeserializeOwned + Send + Sync {
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
        }
    }

    /// The same step, clearing the last 退回原因 (审核通过).
    pub const fn clearing_reason(mut self) -> Self {
        self.clears_reason = true;
        self
    }

    pub fn allows(&self, status: S) -> bool {
        self.from.contains(&status)
    }

    /// 409 STATE_CONFLICT unless the record is in a state the step leaves.
    pub fn check<R: Reviewed<Status = S>>(&self, r: &R) -> Result<(), DomainError> {
        if self.allows(r.status()) {
            return Ok(());
        }
        Err(DomainError::conflict(
            "STATE_CONFLICT",
            format!(
                "{}当前为“{}”状态，{}",
                R::NOUN,
                r.status().label(),
                self.refused
            ),
        ))
    }

    /// The 审核记录 entry of this step taken by `caller` at `at`.
    pub fn record(&self, caller: &Caller, at: String, reason: Option<&str>) -> ReviewRecord {
        let record = ReviewRecord::new(caller, at, self.action, self.to.label());
        match reason {
            Some(reason) => record.with_reason(reason),
            None => record,
        }
    }

    /// The write of the step, after `extra` (the area's own attributes,
    /// such as submittedAt): the new status, the 审核记录 appended, the
    /// 退回原因 set (退回) or cleared (通过).
    pub fn update<R: Reviewed<Status = S>>(
        &self,
        r: &R,
        caller: &Caller,
        at: String,
        reason: Option<&str>,
        extra: Update,
    ) -> Result<Update, DomainError> {
        let mut update = extra.set(STATUS, self.to.label());
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
        Ok(table
            .update_versioned(&r.key(), r.version(), update)
            .await?)
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

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    enum Status {
        #[serde(rename = "未提交")]
        Draft,
        #[serde(rename = "待审核")]
        Pending,
        #[serde(rename = "审核通过")]
        Approved,
        #[serde(rename = "审核退回")]
        Returned,
    }
    use Status::*;

    impl ReviewStatus for Status {
        fn label(self) -> &'static str {
            match self {
                Draft => "未提交",
                Pending => "待审核",
                Approved => "审核通过",
                Returned => "审核退回",
            }
        }
    }

    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Report {
        id: String,
        status: Status,
        #[serde(default)]
        review_reason: Option<String>,
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
            self.status
        }
        fn history(&self) -> Option<&[ReviewRecord]> {
            Some(&self.history)
        }
    }

    const SUBMIT: Step<Status> = Step::new(
        "提交",
        &[Draft, Returned],
        Pending,
        "只有未提交、审核退回的周报可以提交",
    );
    const WITHDRAW: Step<Status> = Step::new("撤回", &[Pending], Draft, "只有待审核的周报可以撤回");
    const APPROVE: Step<Status> =
        Step::new("审核通过", &[Pending], Approved, "只有待审核的周报可以审核").clearing_reason();
    const RETURN: Step<Status> =
        Step::new("审核退回", &[Pending], Returned, "只有待审核的周报可以审核");
    const ALL: [Step<Status>; 4] = [SUBMIT, WITHDRAW, APPROVE, RETURN];

    /// A table of items in memory: enough for get and the versioned update.
    #[derive(Default)]
    struct Memory(Mutex<HashMap<Key, Item>>);

    #[async_trait]
    impl Table for Memory {
        async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
            Ok(self.0.lock().unwrap().get(key).cloned())
        }
        async fn put(&self, item: Item, _: Option<Condition>) -> Result<(), TableError> {
            let key = Key::new(
                item["pk"].as_str().unwrap_or_default(),
                item["sk"].as_str().unwrap_or_default(),
            );
            self.0.lock().unwrap().insert(key, item);
            Ok(())
        }
        async fn update(
            &self,
            key: &Key,
            update: Update,
            condition: Option<Condition>,
        ) -> Result<Item, TableError> {
            let mut items = self.0.lock().unwrap();
            let item = items.get_mut(key).ok_or(TableError::ConditionFailed)?;
            if let Some(Condition::VersionIs(v)) = condition
                && item.get("version").and_then(Value::as_u64) != Some(v)
            {
                return Err(TableError::ConditionFailed);
            }
            for (name, value) in update.set {
                item.insert(name, value);
            }
            for name in update.remove {
                item.remove(&name);
            }
            for (name, by) in update.add {
                let n = item.get(&name).and_then(Value::as_i64).unwrap_or(0) + by;
                item.insert(name, n.into());
            }
            Ok(item.clone())
        }
        async fn delete(&self, _: &Key, _: Option<Condition>) -> Result<(), TableError> {
            unimplemented!()
        }
        async fn transact(&self, _: Vec<TxOp>) -> Result<(), TableError> {
            unimplemented!()
        }
        async fn batch_write(&self, _: Vec<BatchOp>) -> Result<(), TableError> {
            unimplemented!()
        }
        async fn query(&self, _: Query) -> Result<QueryPage, TableError> {
            unimplemented!()
        }
        async fn insert_new(&self, _: Vec<Item>) -> Result<Vec<bool>, TableError> {
            unimplemented!()
        }
        async fn insert_guarded(&self, _: Vec<Guarded>) -> Result<Vec<bool>, TableError> {
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
        }
    }

    async fn stored(status: Status) -> (Memory, Report) {
        let table = Memory::default();
        let r = Report {
            id: "1".into(),
            status,
            review_reason: Some("材料不全".into()),
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
            [Draft, Pending, Approved, Returned]
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
            for from in [Draft, Pending, Approved, Returned] {
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
                assert_eq!(after.status, step.to);
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
                Update::new().set("submittedAt", at()),
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
        assert_eq!((now.status, now.history.len()), (Approved, 1));
    }
}
