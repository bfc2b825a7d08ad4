//! What a list page costs as the tenant grows, on the embedded backend.
//!
//! `cargo bench -p vslc-app --bench lists` stores 100,000 candidates in one
//! school and 1,000 in another, then asks the candidate list (考生列表, the
//! service behind `GET /api/candidates`) for page 1 and page 50 (20 a page)
//! and for a name search, from 1 client and from 64 at once. It prints p50
//! and p99 latency and how many items the store handed out per page (a
//! counting wrapper around the table). Issue 14's targets: p99 ≤ 10 ms at
//! 64 clients, page latency at 100,000 ≤ 1.5× at 1,000, at most
//! (shards + 1) × pageSize items read per page.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use vslc_accounts::{Role, Tenant, TenantKind};
use vslc_candidates::service::CandidateFilter;
use vslc_http::PageParams;
use vslc_ports::table::{
    BatchOp, Condition, Cursor, Guarded, Item, Key, Query, QueryPage, Table, TableError, TxOp,
    Update,
};
use vslc_ports::{AppState, Caller};

mod common;

vslc_runtime::global_allocator!();

fn main() -> anyhow::Result<()> {
    match common::steps(&["lists"])? {
        Some(_) => tokio::runtime::Runtime::new()?.block_on(run()),
        None => Ok(()),
    }
}

/// The table, counting the items it hands out.
struct Counting {
    inner: Arc<dyn Table>,
    read: AtomicU64,
}

impl Counting {
    fn count(&self, n: usize) {
        self.read.fetch_add(n as u64, Ordering::Relaxed);
    }
}

#[async_trait]
impl Table for Counting {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        let item = self.inner.get(key).await?;
        self.count(usize::from(item.is_some()));
        Ok(item)
    }
    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), TableError> {
        self.inner.put(item, condition).await
    }
    async fn update(
        &self,
        key: &Key,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<Item, TableError> {
        self.inner.update(key, update, condition).await
    }
    async fn delete(&self, key: &Key, condition: Option<Condition>) -> Result<(), TableError> {
        self.inner.delete(key, condition).await
    }
    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), TableError> {
        self.inner.transact(ops).await
    }
    async fn batch_write(&self, ops: Vec<BatchOp>) -> Result<(), TableError> {
        self.inner.batch_write(ops).await
    }
    async fn query(&self, query: Query) -> Result<QueryPage, TableError> {
        let page = self.inner.query(query).await?;
        self.count(page.items.len());
        Ok(page)
    }
    async fn insert_new(&self, items: Vec<Item>) -> Result<Vec<bool>, TableError> {
        self.inner.insert_new(items).await
    }
    async fn insert_guarded(&self, groups: Vec<Guarded>) -> Result<Vec<bool>, TableError> {
        self.inner.insert_guarded(groups).await
    }
    async fn query_json(&self, query: Query) -> Result<(Vec<Vec<u8>>, Option<Cursor>), TableError> {
        let (items, next) = self.inner.query_json(query).await?;
        self.count(items.len());
        Ok((items, next))
    }
    async fn query_all_json(&self, query: Query) -> Result<Vec<Vec<u8>>, TableError> {
        let items = self.inner.query_all_json(query).await?;
        self.count(items.len());
        Ok(items)
    }
}

fn school_admin(school: &Tenant) -> Caller {
    Caller {
        user_id: "bench".into(),
        account: "bench".into(),
        name: "bench".into(),
        tenant: school.clone(),
        tenant_name: school.id.clone(),
        roles: vec![Role::SchoolAdmin],
        cert_lead: false,
        certificates: Vec::new(),
    }
}

/// One kind of request: which page, which filter.
struct Ask {
    label: &'static str,
    page: usize,
    filter: serde_json::Value,
}

/// Latencies of `requests` calls spread over `clients` concurrent tasks,
/// and the items the store handed out per call.
async fn measure(
    state: &AppState,
    counting: &Counting,
    caller: &Caller,
    ask: &Ask,
    clients: usize,
    requests: usize,
) -> anyhow::Result<(Vec<Duration>, f64)> {
    let filter: CandidateFilter = serde_json::from_value(ask.filter.clone())?;
    let page = PageParams {
        page: Some(ask.page),
        page_size: Some(20),
    };
    let (filter, page) = (Arc::new(filter), Arc::new(page));
    let before = counting.read.load(Ordering::Relaxed);
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let (state, caller, filter, page) =
            (state.clone(), caller.clone(), filter.clone(), page.clone());
        let mine = requests / clients + usize::from(c < requests % clients);
        tasks.push(tokio::spawn(async move {
            let mut took = Vec::with_capacity(mine);
            for _ in 0..mine {
                let t = Instant::now();
                let listed = vslc_candidates::service::list(&state, &caller, &filter, &page)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                took.push(t.elapsed());
                anyhow::ensure!(listed.total > 0, "an empty list measures nothing");
            }
            Ok::<_, anyhow::Error>(took)
        }));
    }
    let mut all = Vec::with_capacity(requests);
    for t in tasks {
        all.extend(t.await??);
    }
    let read = counting.read.load(Ordering::Relaxed) - before;
    all.sort();
    Ok((all, read as f64 / requests as f64))
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

async fn run() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let state = common::open(dir.path())?;
    vslc_app::seed::seed_demo(&state).await?;

    let schools = [
        (Tenant::new(TenantKind::School, "10009"), 100_000),
        (Tenant::new(TenantKind::School, "14361"), 1_000),
    ];
    let t = Instant::now();
    for (school, n) in &schools {
        let all = common::candidates(&state, *n).await?;
        common::store_candidates(&state, school, &all).await?;
    }
    println!(
        "set up 100000 + 1000 candidates in two schools in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let counting = Arc::new(Counting {
        inner: state.table.clone(),
        read: AtomicU64::new(0),
    });
    let state = AppState {
        table: counting.clone(),
        ..state
    };
    let asks = [
        Ask {
            label: "page 1",
            page: 1,
            filter: serde_json::json!({}),
        },
        Ask {
            label: "page 50",
            page: 50,
            filter: serde_json::json!({}),
        },
        Ask {
            label: "name 学生9",
            page: 1,
            filter: serde_json::json!({"name": "学生9"}),
        },
    ];
    println!("candidate list, 20 a page (service call, bench profile, embedded backend):");
    println!("| school | request | clients | p50 ms | p99 ms | items read per page |");
    println!("|---|---|---|---|---|---|");
    for (school, n) in &schools {
        let caller = school_admin(school);
        for ask in &asks {
            for (clients, requests) in [(1, 20), (64, 128)] {
                let (took, read) =
                    measure(&state, &counting, &caller, ask, clients, requests).await?;
                println!(
                    "| {n} candidates | {} | {clients} | {:.2} | {:.2} | {read:.0} |",
                    ask.label,
                    pct(&took, 0.5),
                    pct(&took, 0.99),
                );
            }
        }
    }
    Ok(())
}
