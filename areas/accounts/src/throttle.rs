//! 登录限流: failed logins are counted so that guessing is slow but nobody
//! can lock an account's owner out.
//!
//! - per account and client address: 5 failures within 15 minutes stop that
//!   address (only) from logging in to that account for 15 minutes; a
//!   success from the address starts its count afresh;
//! - per client address, across accounts: 30 failures within 15 minutes
//!   stop the address for 15 minutes (guessing many accounts, or unknown ones);
//! - per account, across addresses: never a lock. Past 50 failures within an
//!   hour the account is under attack, and every address gets one failure
//!   (not five) before its 15-minute stop. The owner can still log in from
//!   any address that has not just failed.
//!
//! Unknown accounts are counted exactly like known ones (the counters are
//! keyed by the account name as typed, hashed), so throttling tells nothing
//! about which accounts exist. Counters live in the table under
//! `LOGIN#<sha256(account)>` (sk `ADDR#<address>` and `ACCOUNT`) and
//! `LOGINADDR#<address>`. An attempt is counted before its password is
//! checked and taken back if it succeeds, and every write is conditional on
//! the counter's window, so parallel guesses cannot slip past a limit or end
//! a stop early. The table's TTL (`expiresAt`) removes the counters; expiry
//! is checked in code.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use vslc_http::ClientAddr;
use vslc_ports::DomainError;
use vslc_ports::table::{
    BatchOp, Condition, EXPIRES_AT, Key, Query, Table, TableError, TableExt, Update, from_item,
    to_item,
};

/// Failures of one account from one address that stop that address.
pub const PAIR_LIMIT: u32 = 5;
/// The same while the account is under attack.
pub const PAIR_LIMIT_UNDER_ATTACK: u32 = 1;
pub const PAIR_WINDOW_SECS: i64 = 15 * 60;
/// Failures from one address, whatever the accounts, that stop the address.
pub const ADDRESS_LIMIT: u32 = 30;
pub const ADDRESS_WINDOW_SECS: i64 = 15 * 60;
/// Failures of one account, from any addresses, that put it under attack.
pub const ACCOUNT_UNDER_ATTACK: u32 = 50;
pub const ACCOUNT_WINDOW_SECS: i64 = 60 * 60;
/// How long a stopped pair or address waits.
pub const LOCK_SECS: i64 = 15 * 60;
/// Conditional writes lost to parallel requests before giving up counting.
const MAX_RACES: usize = 5;

/// One counter: failures in the window ending at `window_ends`, and the
/// lock (if any). A lock ends the window, so counting restarts after it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Counter {
    failures: u32,
    window_ends: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    locked_until: Option<i64>,
}

impl Counter {
    fn locked(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|u| *u > now)
    }
    fn failures_in_window(&self, now: i64) -> u32 {
        if self.window_ends > now {
            self.failures
        } else {
            0
        }
    }
}

fn account_pk(account: &str) -> String {
    format!("LOGIN#{}", hex::encode(Sha256::digest(account.as_bytes())))
}

/// The 429 a throttled attempt gets (the same for every scope and for
/// known and unknown accounts).
pub fn too_many(until: i64, now: i64) -> DomainError {
    let minutes = ((until - now).max(1) + 59) / 60;
    DomainError::too_many(
        "TOO_MANY_ATTEMPTS",
        format!("登录失败次数过多，请{minutes}分钟后再试"),
    )
}

/// One counter as an attempt sees it.
struct Slot {
    key: Key,
    read: Option<Counter>,
    window: i64,
    limit: Option<u32>,
    /// The counter after this attempt was counted in.
    counted: Option<Counter>,
}

impl Slot {
    fn new(key: Key, read: Option<Counter>, window: i64, limit: Option<u32>) -> Self {
        Self {
            key,
            read,
            window,
            limit,
            counted: None,
        }
    }
}

/// The counters of one login attempt. The attempt is counted as a failure
/// before its password is checked and taken back when it succeeds, so
/// parallel guesses cannot all be checked before the first is counted.
pub struct LoginThrottle {
    now: i64,
    pair: Slot,
    account: Slot,
    address: Slot,
}

impl LoginThrottle {
    /// Reads the counters of `account` from `addr` and counts this attempt;
    /// a 429 while the pair or the address is stopped, or when this attempt
    /// is past a limit (its password is then not checked).
    pub async fn begin(
        table: &dyn Table,
        account: &str,
        addr: &ClientAddr,
        now: i64,
    ) -> Result<Self, DomainError> {
        let pk = account_pk(account);
        let pair = Key::new(pk.clone(), format!("ADDR#{addr}"));
        let whole = Key::new(pk, "ACCOUNT");
        let address = Key::new(format!("LOGINADDR#{addr}"), "LOGINADDR");
        let (p, w, a) = tokio::join!(
            table.get_as::<Counter>(&pair),
            table.get_as::<Counter>(&whole),
            table.get_as::<Counter>(&address),
        );
        let (p, w, a) = (p?, w?, a?);
        if let Some(until) = [&p, &a]
            .into_iter()
            .flatten()
            .filter_map(|c| c.locked(now))
            .max()
        {
            return Err(too_many(until, now));
        }
        let under_attack = w
            .as_ref()
            .is_some_and(|c| c.failures_in_window(now) >= ACCOUNT_UNDER_ATTACK);
        let pair_limit = if under_attack {
            PAIR_LIMIT_UNDER_ATTACK
        } else {
            PAIR_LIMIT
        };
        let mut this = Self {
            now,
            pair: Slot::new(pair, p, PAIR_WINDOW_SECS, Some(pair_limit)),
            account: Slot::new(whole, w, ACCOUNT_WINDOW_SECS, None),
            address: Slot::new(address, a, ADDRESS_WINDOW_SECS, Some(ADDRESS_LIMIT)),
        };
        let (p, w, a) = tokio::join!(
            count(table, &mut this.pair, now),
            count(table, &mut this.account, now),
            count(table, &mut this.address, now),
        );
        w?;
        match [p?, a?].into_iter().flatten().max() {
            Some(until) => Err(too_many(until, now)),
            None => Ok(this),
        }
    }

    /// The password was wrong: the answer is a 429 when this failure
    /// reached a limit (the pair or the address is stopped from now on).
    pub async fn failed(self, table: &dyn Table) -> Result<Option<DomainError>, DomainError> {
        let now = self.now;
        let (p, a) = tokio::join!(
            lock_at_limit(table, &self.pair, now),
            lock_at_limit(table, &self.address, now),
        );
        Ok([p?, a?]
            .into_iter()
            .flatten()
            .max()
            .map(|until| too_many(until, now)))
    }

    /// The password was right: the attempt is taken back, and the pair's
    /// failures are forgotten.
    pub async fn succeeded(self, table: &dyn Table) -> Result<(), DomainError> {
        let (p, w, a) = tokio::join!(
            table.delete(&self.pair.key, None),
            take_back(table, &self.account),
            take_back(table, &self.address),
        );
        p?;
        w?;
        a?;
        Ok(())
    }
}

/// Counts the attempt in `slot` (conditional on the counter's window, so
/// every parallel attempt gets its own number). Answers until when the
/// counter is stopped if it already is, or if this attempt is past its
/// limit (it then writes the stop).
async fn count(table: &dyn Table, slot: &mut Slot, now: i64) -> Result<Option<i64>, TableError> {
    let mut current = slot.read.clone();
    for _ in 0..MAX_RACES {
        if let Some(until) = current.as_ref().and_then(|c| c.locked(now)) {
            return Ok(Some(until));
        }
        let same = match &current {
            None => Condition::NotExists,
            Some(c) => Condition::attr_equals("windowEnds", c.window_ends),
        };
        let written = match current.as_ref().filter(|c| c.window_ends > now) {
            Some(_) => table
                .update(&slot.key, Update::new().add("failures", 1), Some(same))
                .await
                .and_then(from_item::<Counter>),
            None => {
                let fresh = Counter {
                    failures: 1,
                    window_ends: now + slot.window,
                    locked_until: None,
                };
                put(table, &slot.key, &fresh, now + slot.window, same)
                    .await
                    .map(|()| fresh)
            }
        };
        match written {
            Ok(after) => {
                let past_limit = slot.limit.is_some_and(|l| after.failures > l);
                slot.counted = Some(after);
                return if past_limit {
                    lock_at_limit(table, slot, now).await
                } else {
                    Ok(None)
                };
            }
            // Another attempt moved the counter on: count on what it wrote.
            Err(e) if e.is_conflict() => current = table.get_as(&slot.key).await?,
            Err(e) => return Err(e),
        }
    }
    tracing::warn!(pk = %slot.key.pk, sk = %slot.key.sk, "login throttle: too many parallel writes, attempt not counted");
    Ok(None)
}

/// Stops the counter for `LOCK_SECS` if this attempt reached its limit.
async fn lock_at_limit(
    table: &dyn Table,
    slot: &Slot,
    now: i64,
) -> Result<Option<i64>, TableError> {
    let (Some(limit), Some(counted)) = (slot.limit, &slot.counted) else {
        return Ok(None);
    };
    if counted.failures < limit {
        return Ok(None);
    }
    let until = now + LOCK_SECS;
    let lock = Counter {
        failures: 0,
        window_ends: now,
        locked_until: Some(until),
    };
    // Only over the window counted in: of parallel attempts at or past the
    // limit one writes the stop; all answer 429.
    let same = Condition::attr_equals("windowEnds", counted.window_ends);
    match put(table, &slot.key, &lock, until, same).await {
        Err(e) if !e.is_conflict() => Err(e),
        _ => Ok(Some(until)),
    }
}

/// Takes a counted attempt back, if its window still runs.
async fn take_back(table: &dyn Table, slot: &Slot) -> Result<(), TableError> {
    let Some(counted) = &slot.counted else {
        return Ok(());
    };
    let same = Condition::attr_equals("windowEnds", counted.window_ends);
    match table
        .update(&slot.key, Update::new().add("failures", -1), Some(same))
        .await
    {
        Err(e) if !e.is_conflict() => Err(e),
        _ => Ok(()),
    }
}

async fn put(
    table: &dyn Table,
    key: &Key,
    counter: &Counter,
    expires_at: i64,
    condition: Condition,
) -> Result<(), TableError> {
    let mut item = to_item(key, counter)?;
    item.insert(EXPIRES_AT.into(), expires_at.into());
    table.put(item, Some(condition)).await
}

/// Forgets every failure counted against `account` (a password reset):
/// the account's count and every address's stop on it.
pub async fn forget_account(table: &dyn Table, account: &str) -> Result<(), TableError> {
    let items = table
        .query_all(Query::partition(account_pk(account)))
        .await?;
    let ops = items
        .iter()
        .map(|item| Key::of(item).map(BatchOp::Delete))
        .collect::<Result<Vec<_>, _>>()?;
    if ops.is_empty() {
        return Ok(());
    }
    table.batch_write(ops).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_told_in_whole_minutes() {
        let m = |secs| too_many(1000 + secs, 1000).message();
        assert_eq!(m(LOCK_SECS), "登录失败次数过多，请15分钟后再试");
        assert_eq!(m(61), "登录失败次数过多，请2分钟后再试");
        assert_eq!(m(1), "登录失败次数过多，请1分钟后再试");
        assert_eq!(
            vslc_http::ApiError::from(too_many(1, 0)).status.as_u16(),
            429
        );
    }

    #[test]
    fn a_counter_forgets_an_ended_window() {
        let c = Counter {
            failures: 4,
            window_ends: 100,
            locked_until: None,
        };
        assert_eq!(c.failures_in_window(99), 4);
        assert_eq!(c.failures_in_window(100), 0);
        assert_eq!(c.locked(0), None);
    }
}
