//! What a list page costs as the tenant grows, on the embedded backend.
//!
//! `cargo bench -p vslc-app --bench lists` stores 100,000 candidates in one
//! school and 1,000 in another, then asks the candidate list (考生列表, the
//! service behind `GET /api/candidates`) for page 1 and page 50 (20 a page)
//! and for a name search, from 1 client (200 requests) and from 64 at once
//! (6,400 requests: a p99 of fewer swings with a few slow ones). It prints p50
//! and p99 latency and how many items the store handed out per page (a
//! counting wrapper around the table). Issue 14's targets: p99 ≤ 10 ms at
//! 64 clients, page latency at 100,000 ≤ 1.5× at 1,000, at most
//! (shards + 1) × pageSize items read per page.
//!
//! With `VSLC_MOTO_ENDPOINT` set (a moto server), a second step asks the same
//! of the DynamoDB adapter on smaller tenants (1,000 and 200 candidates:
//! moto answers a page in seconds), from 1 client and from 2, and counts the
//! read requests the SDK sends per page besides the items handed out.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use vslc_accounts::{Role, Tenant, TenantKind};
use vslc_candidates::service::CandidateFilter;
use vslc_http::CursorParams;
use vslc_ports::table::{
    BatchOp, Condition, Cursor, Group, Guarded, Item, Key, Query, QueryPage, SortedJson, Table,
    TableError, TxOp, Update,
};
use vslc_ports::{AppState, Caller};

mod common;

vslc_runtime::global_allocator!();

fn main() -> anyhow::Result<()> {
    let mut all = vec!["lists"];
    if std::env::var("VSLC_MOTO_ENDPOINT").is_ok() {
        all.push("dynamodb");
    } else if std::env::args().nth(1).is_none() {
        println!(
            "(set VSLC_MOTO_ENDPOINT to a moto server to count DynamoDB read requests per page)"
        );
    }
    match common::steps(&all)? {
        Some(step) => {
            // The server's runtime, the one vslc-local runs on (a worker
            // per core); the clients wait on it from their own, so a
            // page's latency includes its wait for a worker.
            let server = vslc_runtime::server_runtime()?;
            let clients = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()?;
            clients.block_on(run(server.handle().clone(), step == "dynamodb"))
        }
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
    async fn apply_groups(&self, groups: Vec<Group>) -> Result<Vec<bool>, TableError> {
        self.inner.apply_groups(groups).await
    }
    async fn query_json(&self, query: Query) -> Result<(Vec<Vec<u8>>, Option<Cursor>), TableError> {
        let (items, next) = self.inner.query_json(query).await?;
        self.count(items.len());
        Ok((items, next))
    }
    async fn query_many_json(
        &self,
        queries: Vec<Query>,
    ) -> Result<Vec<(Vec<SortedJson>, Option<Cursor>)>, TableError> {
        let pages = self.inner.query_many_json(queries).await?;
        self.count(pages.iter().map(|(items, _)| items.len()).sum());
        Ok(pages)
    }
    async fn get_many_json(&self, keys: Vec<Key>) -> Result<Vec<Option<Vec<u8>>>, TableError> {
        let got = self.inner.get_many_json(keys).await?;
        self.count(got.iter().flatten().count());
        Ok(got)
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
        invigilator_id: None,
    }
}

/// One kind of request: which page (reached by following `nextCursor`
/// from page 1), which filter.
struct Ask<'a> {
    label: &'a str,
    page: usize,
    filter: serde_json::Value,
}

/// The cursor of page `page` of a filter, walking from page 1.
async fn cursor_of(
    state: &AppState,
    caller: &Caller,
    filter: &CandidateFilter,
    page: usize,
) -> anyhow::Result<Option<String>> {
    let mut cursor = None;
    for _ in 1..page {
        let params = CursorParams {
            cursor,
            page_size: Some(20),
        };
        let listed = vslc_candidates::service::list(state, caller, filter, &params)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        cursor = listed.next_cursor;
        anyhow::ensure!(cursor.is_some(), "the list ends before page {page}");
    }
    Ok(cursor)
}

/// What a run of one request kind cost.
struct Measured {
    /// Latencies, sorted.
    took: Vec<Duration>,
    /// Items the store handed out per call.
    items: f64,
    /// Read requests the DynamoDB SDK sent per call (on moto).
    reads: Option<f64>,
}

/// Latencies of `requests` calls spread over `clients` concurrent tasks,
/// and what the store read per call.
#[allow(clippy::too_many_arguments)]
async fn measure(
    server: &tokio::runtime::Handle,
    state: &AppState,
    counting: &Counting,
    sdk: Option<&common::Requests>,
    caller: &Caller,
    ask: &Ask<'_>,
    clients: usize,
    requests: usize,
) -> anyhow::Result<Measured> {
    let filter: CandidateFilter = serde_json::from_value(ask.filter.clone())?;
    let page = CursorParams {
        cursor: cursor_of(state, caller, &filter, ask.page).await?,
        page_size: Some(20),
    };
    let (filter, page) = (Arc::new(filter), Arc::new(page));
    let before = counting.read.load(Ordering::Relaxed);
    let sdk_before = sdk.map(|r| r.reads.load(Ordering::Relaxed));
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let (state, caller, filter, page) =
            (state.clone(), caller.clone(), filter.clone(), page.clone());
        let server = server.clone();
        let mine = requests / clients + usize::from(c < requests % clients);
        tasks.push(tokio::spawn(async move {
            let mut took = Vec::with_capacity(mine);
            for _ in 0..mine {
                let t = Instant::now();
                let (state, caller, filter, page) =
                    (state.clone(), caller.clone(), filter.clone(), page.clone());
                let listed = server
                    .spawn(async move {
                        vslc_candidates::service::list(&state, &caller, &filter, &page).await
                    })
                    .await?
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                took.push(t.elapsed());
                anyhow::ensure!(!listed.items.is_empty(), "an empty list measures nothing");
            }
            Ok::<_, anyhow::Error>(took)
        }));
    }
    let mut all = Vec::with_capacity(requests);
    for t in tasks {
        all.extend(t.await??);
    }
    let read = counting.read.load(Ordering::Relaxed) - before;
    let reads = sdk
        .zip(sdk_before)
        .map(|(r, b)| (r.reads.load(Ordering::Relaxed) - b) as f64 / requests as f64);
    all.sort();
    Ok(Measured {
        took: all,
        items: read as f64 / requests as f64,
        reads,
    })
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

async fn run(server: tokio::runtime::Handle, moto: bool) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let state = common::open(dir.path())?;
    let (state, sdk) = if moto {
        let (state, sdk) = common::on_moto(state).await?;
        (state, Some(sdk))
    } else {
        (state, None)
    };
    vslc_app::seed::seed_demo(&state).await?;

    let (big, small, page, runs) = if moto {
        // moto answers a page in seconds (its Query walks the table in
        // Python): few requests, one client; what counts is what is read.
        (1_000, 200, 3, [(1, 5), (2, 10)])
    } else {
        (100_000, 1_000, 50, [(1, 200), (64, 6400)])
    };
    let schools = [
        (Tenant::new(TenantKind::School, "10009"), big),
        (Tenant::new(TenantKind::School, "14361"), small),
    ];
    let t = Instant::now();
    for (school, n) in &schools {
        let all = common::candidates(&state, *n).await?;
        common::store_candidates(&state, school, &all).await?;
    }
    println!(
        "set up {big} + {small} candidates in two schools in {:.1} s",
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
    // Someone both schools hold (they are given the same people).
    let mut people = common::People::new(common::SEED);
    let the_101st = (0..=100)
        .map(|_| people.next_person())
        .last()
        .expect("people");
    let page_n = format!("page {page}");
    let asks = [
        Ask {
            label: "page 1",
            page: 1,
            filter: serde_json::json!({"kind": "school"}),
        },
        Ask {
            label: &page_n,
            page,
            filter: serde_json::json!({"kind": "school"}),
        },
        Ask {
            label: "status 无照片, page 2",
            page: 2,
            filter: serde_json::json!({"kind": "school", "status": "无照片"}),
        },
        Ask {
            label: "name starts with 王",
            page: 1,
            filter: serde_json::json!({"kind": "school", "name": "王"}),
        },
        Ask {
            label: "证件号码",
            page: 1,
            filter: serde_json::json!({"kind": "school", "idNumber": the_101st.id_number}),
        },
    ];
    let (backend, reads_head, reads_rule) = if moto {
        (
            "DynamoDB adapter on moto",
            " read requests per page |",
            "---|",
        )
    } else {
        ("embedded backend", "", "")
    };
    println!(
        "candidate list, 20 a page (service call on a server runtime of its own, clients waiting from another; {backend}):"
    );
    println!("| school | request | clients | p50 ms | p99 ms | items read per page |{reads_head}");
    println!("|---|---|---|---|---|---|{reads_rule}");
    for (school, n) in &schools {
        let caller = school_admin(school);
        for ask in &asks {
            for (clients, requests) in runs {
                let m = measure(
                    &server,
                    &state,
                    &counting,
                    sdk.as_ref(),
                    &caller,
                    ask,
                    clients,
                    requests,
                )
                .await?;
                let reads = m.reads.map_or(String::new(), |r| format!(" {r:.1} |"));
                println!(
                    "| {n} candidates | {} | {clients} | {:.2} | {:.2} | {:.0} |{reads}",
                    ask.label,
                    pct(&m.took, 0.5),
                    pct(&m.took, 0.99),
                    m.items,
                );
            }
        }
    }
    Ok(())
}
