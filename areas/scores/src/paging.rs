//! How the area's lists read: a page of rows over a tenant's shards by
//! keyset cursor, built and filtered, for 科目成绩 and 考证结果 alike; and
//! every row an export names.

use std::future::Future;

use serde::de::DeserializeOwned;

use vslc_http::CursorParams;
use vslc_ports::{AppState, DomainError, keyset};

/// Rounds of the merge one request reads at most.
const MAX_ROUNDS: usize = 4;

/// One page: records read `T`, built into rows `R` (a batch at a time:
/// the rows' lookups are shared), those `keep` accepts; and the cursor of
/// the next page.
pub(crate) async fn page<T, R, B, Fut>(
    state: &AppState,
    sources: &[keyset::Source],
    paging: &CursorParams,
    build: B,
    keep: impl Fn(&R) -> bool,
) -> Result<(Vec<R>, Option<String>), DomainError>
where
    T: DeserializeOwned + Send,
    B: Fn(Vec<T>) -> Fut,
    Fut: Future<Output = Result<Vec<R>, DomainError>>,
{
    let size = paging.size()?;
    let mut after = keyset::decode(paging.cursor.as_deref(), |b| !b.is_empty())?;
    let mut items = Vec::with_capacity(size);
    let mut more = false;
    for _ in 0..MAX_ROUNDS {
        let page = keyset::merge(
            state.table.as_ref(),
            sources,
            after.as_deref(),
            size - items.len(),
        )
        .await?;
        let json: Vec<Vec<u8>> = page.rows.iter().map(|r| r.json.clone()).collect();
        let records: Vec<T> = vslc_ports::table::parse_all(&json)?;
        items.extend(build(records).await?.into_iter().filter(|r| keep(r)));
        after = page.rows.last().map(|r| r.body.clone()).or(after);
        more = page.more;
        if items.len() >= size || !more {
            break;
        }
    }
    let next = more.then(|| after.as_deref().map(keyset::encode)).flatten();
    Ok((items, next))
}

/// Every row of the sources `keep` accepts, built `CHUNK` records at a time.
pub(crate) async fn all<T, R, B, Fut>(
    state: &AppState,
    sources: &[keyset::Source],
    build: B,
    keep: impl Fn(&R) -> bool,
) -> Result<Vec<R>, DomainError>
where
    T: DeserializeOwned + Send + Clone,
    B: Fn(Vec<T>) -> Fut,
    Fut: Future<Output = Result<Vec<R>, DomainError>>,
{
    const CHUNK: usize = 5_000;
    let records: Vec<T> = keyset::each_in(state.table.as_ref(), sources).await?;
    let mut out = Vec::new();
    for chunk in records.chunks(CHUNK) {
        out.extend(build(chunk.to_vec()).await?.into_iter().filter(|r| keep(r)));
    }
    Ok(out)
}
