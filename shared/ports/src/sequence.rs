//! Platform-wide counters (考生编号, 缴费单号): blocks reserved with one
//! atomic ADD, so values are unique and never reused.

use crate::table::{Key, Table, TableError, Update};

/// Reserves `n` values of counter `name`; returns the first (from 1).
pub async fn reserve(table: &dyn Table, name: &str, n: u64) -> Result<u64, TableError> {
    let after = table
        .update(
            &Key::new(format!("SEQ#{name}"), "SEQ"),
            Update::new().add("value", n as i64),
            None,
        )
        .await?;
    let last = after.get("value").and_then(|v| v.as_u64()).unwrap_or(n);
    Ok(last + 1 - n)
}
