//! Leases: one writer at a time on what a key names (a subject's
//! arrangement, a host school's invigilator duties). A lease is taken with
//! a version check, carries a token and an expiry, and is given back only
//! by the token that holds it — an expired holder cannot clear a newer
//! one's lease.

use vslc_ports::table::{Condition, Item, Key, Update, from_item, to_item};
use vslc_ports::{AppState, DomainError};

/// A lease held.
#[derive(Debug, Clone)]
pub struct Lease {
    pub key: Key,
    pub token: String,
}

const UNTIL: &str = "leaseUntil";
const TOKEN: &str = "leaseToken";

/// Takes the lease on `key` for `minutes`, creating the item from `fresh`
/// when there is none; answers the lease and the item as it was (None
/// when created). `busy` is the error while another holds it.
pub async fn take(
    state: &AppState,
    key: &Key,
    minutes: i64,
    fresh: impl FnOnce() -> Result<Item, DomainError>,
    busy: fn() -> DomainError,
) -> Result<(Lease, Option<Item>), DomainError> {
    let now = state.clock.now_local();
    let until = (now + chrono::Duration::minutes(minutes))
        .format(vslc_exam::window::TIME_FORMAT)
        .to_string();
    let now_text = state.clock.now_text();
    let token = ulid::Ulid::new().to_string();
    let lease = Lease {
        key: key.clone(),
        token: token.clone(),
    };
    match state.table.get(key).await? {
        None => {
            let mut item = fresh()?;
            item.insert(UNTIL.into(), until.into());
            item.insert(TOKEN.into(), token.into());
            match state.table.put(item, Some(Condition::NotExists)).await {
                Ok(()) => Ok((lease, None)),
                Err(e) if e.is_conflict() => Err(busy()),
                Err(e) => Err(e.into()),
            }
        }
        Some(item) => {
            let held = item
                .get(UNTIL)
                .and_then(|v| v.as_str())
                .is_some_and(|u| u > now_text.as_str());
            let version = item.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
            if held {
                return Err(busy());
            }
            match state
                .table
                .update(
                    key,
                    Update::new()
                        .set(UNTIL, until)
                        .set(TOKEN, token)
                        .bump_version(),
                    Some(Condition::VersionIs(version)),
                )
                .await
            {
                Ok(_) => Ok((lease, Some(item))),
                Err(e) if e.is_conflict() => Err(busy()),
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// Gives a lease back, applying `also` with it; a lease lost meanwhile
/// (expired and taken by another) is left to its new holder.
pub async fn give_back(state: &AppState, lease: &Lease, also: Update) -> Result<(), DomainError> {
    let update = also
        .set(UNTIL, serde_json::Value::Null)
        .set(TOKEN, serde_json::Value::Null);
    match state
        .table
        .update(
            &lease.key,
            update,
            Some(Condition::attr_equals(TOKEN, lease.token.as_str())),
        )
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.is_conflict() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// A plain lease item (no record behind it).
pub fn plain(key: &Key) -> Result<Item, DomainError> {
    Ok(to_item(key, &serde_json::json!({ "version": 1 }))?)
}

/// The record of an item read with its lease.
pub fn record<T: serde::de::DeserializeOwned>(item: Item) -> Result<T, DomainError> {
    Ok(from_item(item)?)
}
