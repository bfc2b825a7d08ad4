//! One conformance suite, two adapters: every case runs against the embedded
//! adapters and against the AWS adapters talking to moto's server (started
//! by `scripts/test.sh`, which sets `VSLC_MOTO_ENDPOINT`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use vslc_adapters::aws::{self, DynamoTable, S3Blobs, SqsQueue};
use vslc_adapters::embedded::{
    BlobServer, DirBlobs, EmbeddedQueue, EmbeddedStore, EmbeddedTable, UrlSigner,
};
use vslc_ports::table::{
    BatchOp, Condition, EncodedItem, Guarded, Index, Item, Key, Query, SkCond, Table, TableError,
    TableExt, TxOp, Update,
};
use vslc_ports::{Blobs, Queue, QueueName, QueuePolicy, QueueRef, SystemClock};

struct Backend {
    name: &'static str,
    table: Arc<dyn Table>,
    blobs: Arc<dyn Blobs>,
    queue: Arc<dyn Queue>,
    /// Keeps the embedded data directory alive.
    _dir: Option<tempfile::TempDir>,
}

fn policies() -> HashMap<QueueName, QueuePolicy> {
    // Imports: quick redelivery for the redelivery case; Identity: two
    // receives before dead-lettering for the dead-letter case.
    HashMap::from([
        (
            QueueName::Imports,
            QueuePolicy {
                visibility_timeout: Duration::from_secs(1),
                max_receive_count: 5,
            },
        ),
        (
            QueueName::Identity,
            QueuePolicy {
                visibility_timeout: Duration::from_secs(1),
                max_receive_count: 2,
            },
        ),
        (
            QueueName::Issuance,
            QueuePolicy {
                visibility_timeout: Duration::from_secs(1),
                max_receive_count: 3,
            },
        ),
    ])
}

async fn embedded() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let clock = Arc::new(SystemClock);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let signer = UrlSigner::new(b"conformance".to_vec(), base);
    let blobs: Arc<dyn Blobs> = Arc::new(DirBlobs::new(
        &dir.path().join("blobs"),
        "uploads",
        signer.clone(),
        clock.clone(),
    ));
    let server = BlobServer {
        signer,
        buckets: HashMap::from([("uploads".to_owned(), blobs.clone())]),
        clock: clock.clone(),
        notify: None,
    };
    tokio::spawn(async move { axum::serve(listener, server.router()).await });
    Backend {
        name: "embedded",
        table: Arc::new(EmbeddedTable::new(store.clone())),
        blobs,
        queue: Arc::new(EmbeddedQueue::new(store, clock, policies())),
        _dir: Some(dir),
    }
}

async fn moto() -> Option<Backend> {
    let Ok(endpoint) = std::env::var("VSLC_MOTO_ENDPOINT") else {
        assert!(
            std::env::var("VSLC_REQUIRE_MOTO").is_err(),
            "VSLC_REQUIRE_MOTO is set but VSLC_MOTO_ENDPOINT is not: moto did not start"
        );
        eprintln!("moto not running: AWS adapter cases skipped (scripts/test.sh runs them)");
        return None;
    };
    let run = ulid::Ulid::new().to_string().to_lowercase();
    let conf = aws::sdk_config(Some(&endpoint)).await;
    let (ddb, s3, sqs) = aws::clients(&conf, true);
    let table = DynamoTable::new(ddb, format!("vslc-{run}"));
    table.create_table_if_missing().await.unwrap();
    let blobs = S3Blobs::new(s3, format!("vslc-{run}"));
    blobs.create_bucket_if_missing().await.unwrap();
    let urls = SqsQueue::create_queues(&sqs, &format!("{run}-"), &policies())
        .await
        .unwrap();
    Some(Backend {
        name: "aws(moto)",
        table: Arc::new(table),
        blobs: Arc::new(blobs),
        queue: Arc::new(SqsQueue::new(sqs, urls)),
        _dir: None,
    })
}

async fn backends() -> Vec<Backend> {
    let mut all = vec![embedded().await];
    all.extend(moto().await);
    all
}

/// Two writers at once on the embedded store; on moto one after the other.
/// moto rolls a cancelled transaction back by restoring the table as it was
/// before, which undoes writes that raced with it; DynamoDB isolates
/// transactions, so the racing cases hold there and are checked here on the
/// embedded store.
async fn race<X: std::future::Future, Y: std::future::Future>(
    b: &Backend,
    x: X,
    y: Y,
) -> (X::Output, Y::Output) {
    if b.name.starts_with("aws") {
        let x = x.await;
        (x, y.await)
    } else {
        tokio::join!(x, y)
    }
}

fn item(v: Value) -> Item {
    v.as_object().unwrap().clone()
}

#[tokio::test]
async fn conditional_writes_conflict_cleanly() {
    for b in backends().await {
        let t = &b.table;
        let key = Key::new("SCHOOL#S1", "SITE#1");
        t.put(
            item(json!({"pk":"SCHOOL#S1","sk":"SITE#1","version":1,"status":"未提交"})),
            Some(Condition::NotExists),
        )
        .await
        .unwrap();
        let again = t
            .put(
                item(json!({"pk":"SCHOOL#S1","sk":"SITE#1","version":1})),
                Some(Condition::NotExists),
            )
            .await;
        assert!(
            matches!(again, Err(TableError::ConditionFailed)),
            "{}: second create must fail",
            b.name
        );

        // Ten concurrent transitions from version 1: exactly one wins.
        let mut tasks = Vec::new();
        for i in 0..10 {
            let t = t.clone();
            let key = key.clone();
            tasks.push(tokio::spawn(async move {
                t.update(
                    &key,
                    Update::new()
                        .set("status", "待审核")
                        .set("by", i)
                        .bump_version(),
                    Some(Condition::VersionIs(1)),
                )
                .await
            }));
        }
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(after) => {
                    won += 1;
                    assert_eq!(after["version"], json!(2), "{}", b.name);
                    assert_eq!(after["status"], json!("待审核"), "{}", b.name);
                }
                Err(e) => assert!(e.is_conflict(), "{}: {e:?}", b.name),
            }
        }
        assert_eq!(
            won, 1,
            "{}: exactly one concurrent transition applies",
            b.name
        );

        let eq = t
            .delete(&key, Some(Condition::attr_equals("status", "未提交")))
            .await;
        assert!(matches!(eq, Err(TableError::ConditionFailed)), "{}", b.name);
        t.delete(&key, Some(Condition::attr_equals("status", "待审核")))
            .await
            .unwrap();
        assert_eq!(t.get(&key).await.unwrap(), None, "{}", b.name);
        // Updating a missing item under VersionIs fails; without a condition it creates.
        let missing = t
            .update(
                &key,
                Update::new().set("a", 1),
                Some(Condition::VersionIs(1)),
            )
            .await;
        assert!(
            matches!(missing, Err(TableError::ConditionFailed)),
            "{}",
            b.name
        );
        let created = t
            .update(&key, Update::new().add("count", 3), None)
            .await
            .unwrap();
        assert_eq!(created["count"], json!(3), "{}", b.name);
    }
}

#[tokio::test]
async fn attr_absent_holds_only_on_an_item_without_the_attribute() {
    for b in backends().await {
        let t = &b.table;
        let key = Key::new("SEAT#R1", "S1#0001");
        t.put(item(json!({"pk":"SEAT#R1","sk":"S1#0001","seat":1})), None)
            .await
            .unwrap();
        let absent = || Some(Condition::AttrAbsent("attendance".into()));
        t.update(&key, Update::new().set("attendance", "已签到"), absent())
            .await
            .unwrap();
        let again = t
            .update(&key, Update::new().set("attendance", "缺考"), absent())
            .await;
        assert!(
            matches!(again, Err(TableError::ConditionFailed)),
            "{}: {again:?}",
            b.name
        );
        let got = t.get(&key).await.unwrap().unwrap();
        assert_eq!(got["attendance"], json!("已签到"), "{}", b.name);
        // No item: the condition does not hold either (nothing is created).
        let none = Key::new("SEAT#R1", "S1#0002");
        let missing = t
            .update(&none, Update::new().set("attendance", "缺考"), absent())
            .await;
        assert!(
            matches!(missing, Err(TableError::ConditionFailed)),
            "{}: {missing:?}",
            b.name
        );
        assert!(t.get(&none).await.unwrap().is_none(), "{}", b.name);
    }
}

#[tokio::test]
async fn transactions_are_all_or_nothing() {
    for b in backends().await {
        let t = &b.table;
        t.put(
            item(json!({"pk":"C#1","sk":"GUARD#ID#110101","owner":"c1"})),
            None,
        )
        .await
        .unwrap();
        let ops = vec![
            TxOp::Put {
                item: item(json!({"pk":"C#1","sk":"CAND#2","name":"李四"})),
                condition: Some(Condition::NotExists),
            },
            TxOp::Update {
                key: Key::new("C#1", "COUNTER"),
                update: Update::new().add("n", 1),
                condition: None,
            },
            TxOp::Put {
                item: item(json!({"pk":"C#1","sk":"GUARD#ID#110101","owner":"c2"})),
                condition: Some(Condition::NotExists),
            },
        ];
        match t.transact(ops).await {
            Err(TableError::TransactionCanceled { failed }) => {
                assert_eq!(failed, vec![2], "{}", b.name)
            }
            other => panic!("{}: expected cancellation, got {other:?}", b.name),
        }
        assert_eq!(
            t.get(&Key::new("C#1", "CAND#2")).await.unwrap(),
            None,
            "{}: rolled back",
            b.name
        );
        assert_eq!(
            t.get(&Key::new("C#1", "COUNTER")).await.unwrap(),
            None,
            "{}: rolled back",
            b.name
        );
        assert_eq!(
            t.get(&Key::new("C#1", "GUARD#ID#110101"))
                .await
                .unwrap()
                .unwrap()["owner"],
            json!("c1")
        );

        let ops = vec![
            TxOp::Put {
                item: item(json!({"pk":"C#1","sk":"CAND#2","name":"李四"})),
                condition: Some(Condition::NotExists),
            },
            TxOp::Update {
                key: Key::new("C#1", "COUNTER"),
                update: Update::new().add("n", 1),
                condition: None,
            },
            TxOp::Check {
                key: Key::new("C#1", "GUARD#ID#110101"),
                condition: Condition::attr_equals("owner", "c1"),
            },
            TxOp::Delete {
                key: Key::new("C#1", "NOTHING"),
                condition: None,
            },
        ];
        t.transact(ops).await.unwrap();
        assert_eq!(
            t.get(&Key::new("C#1", "COUNTER")).await.unwrap().unwrap()["n"],
            json!(1),
            "{}",
            b.name
        );
        assert!(
            t.get(&Key::new("C#1", "CAND#2")).await.unwrap().is_some(),
            "{}",
            b.name
        );

        let too_many: Vec<_> = (0..101)
            .map(|i| TxOp::Delete {
                key: Key::new("C#1", format!("X{i}")),
                condition: None,
            })
            .collect();
        assert!(
            matches!(t.transact(too_many).await, Err(TableError::Invalid(_))),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn gsi_queries_page_in_order() {
    for b in backends().await {
        let t = &b.table;
        let mut ops = Vec::new();
        for i in 0..23 {
            ops.push(BatchOp::Put(item(json!({
                "pk": format!("SCHOOL#S{}", i % 3), "sk": format!("REG#{i:03}"),
                "gsi1pk": "ORG#O1#PLAN#P1", "gsi1sk": format!("CERT#A#{i:03}"), "n": i
            }))));
        }
        // Noise in a neighbouring index partition and one without index keys.
        ops.push(BatchOp::Put(item(json!({"pk":"SCHOOL#S9","sk":"REG#900","gsi1pk":"ORG#O1#PLAN#P10","gsi1sk":"CERT#A#000"}))));
        ops.push(BatchOp::Put(item(json!({"pk":"SCHOOL#S9","sk":"REG#901"}))));
        t.batch_write(ops).await.unwrap();

        let mut seen = Vec::new();
        let mut q = Query::index(Index::Gsi1, "ORG#O1#PLAN#P1").limit(5);
        let mut pages = 0;
        loop {
            let page = t.query(q.clone()).await.unwrap();
            assert!(page.items.len() <= 5, "{}", b.name);
            pages += 1;
            seen.extend(page.items.iter().map(|i| i["n"].as_i64().unwrap()));
            match page.next {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
            assert!(pages < 20, "{}: paging does not end", b.name);
        }
        assert_eq!(
            seen,
            (0..23).collect::<Vec<_>>(),
            "{}: every item once, in order",
            b.name
        );

        let rev = t
            .query_all(
                Query::index(Index::Gsi1, "ORG#O1#PLAN#P1")
                    .reverse()
                    .limit(4),
            )
            .await
            .unwrap();
        let rev: Vec<_> = rev.iter().map(|i| i["n"].as_i64().unwrap()).collect();
        assert_eq!(
            rev,
            (0..23).rev().collect::<Vec<_>>(),
            "{}: reverse",
            b.name
        );

        let between = t
            .query_all(
                Query::index(Index::Gsi1, "ORG#O1#PLAN#P1")
                    .sk(SkCond::Between("CERT#A#005".into(), "CERT#A#009".into())),
            )
            .await
            .unwrap();
        assert_eq!(between.len(), 5, "{}: between is inclusive", b.name);
        let prefix = t
            .query_all(Query::partition("SCHOOL#S1").begins_with("REG#01"))
            .await
            .unwrap();
        let got: Vec<_> = prefix.iter().map(|i| i["n"].as_i64().unwrap()).collect();
        assert_eq!(
            got,
            vec![10, 13, 16, 19],
            "{}: begins_with on the table",
            b.name
        );
        let gt = t
            .query_all(Query::partition("SCHOOL#S0").sk(SkCond::Gt("REG#018".into())))
            .await
            .unwrap();
        assert_eq!(gt.len(), 1, "{}: only REG#021 is after REG#018", b.name);
        // An empty bound (a source whose rows have no prefix) is what it
        // says, though DynamoDB refuses an empty key value in a condition.
        let s1 = 8;
        for (cond, want) in [
            (SkCond::BeginsWith(String::new()), s1),
            (SkCond::Between(String::new(), "REG#010".into()), 4),
            (SkCond::Ge(String::new()), s1),
            (SkCond::Gt(String::new()), s1),
            (SkCond::Le(String::new()), 0),
            (SkCond::Lt(String::new()), 0),
            (SkCond::Eq(String::new()), 0),
            (SkCond::Between("REG#010".into(), String::new()), 0),
        ] {
            let got = t
                .query_all(Query::partition("SCHOOL#S1").sk(cond.clone()))
                .await
                .unwrap();
            assert_eq!(got.len(), want, "{}: {cond:?}", b.name);
        }

        // A cursor of another partition is refused.
        let page = t
            .query(Query::partition("SCHOOL#S0").limit(2))
            .await
            .unwrap();
        let bad = t
            .query(Query::partition("SCHOOL#S1").limit(2).after(page.next))
            .await;
        assert!(matches!(bad, Err(TableError::BadCursor)), "{}", b.name);

        // Batch writes larger than 25 apply whole, deletes too.
        let many: Vec<_> = (0..60)
            .map(|i| BatchOp::Put(item(json!({"pk":"BULK","sk":format!("{i:02}")}))))
            .collect();
        t.batch_write(many).await.unwrap();
        assert_eq!(
            t.query_all(Query::partition("BULK")).await.unwrap().len(),
            60,
            "{}",
            b.name
        );
        let gone: Vec<_> = (0..60)
            .map(|i| BatchOp::Delete(Key::new("BULK", format!("{i:02}"))))
            .collect();
        t.batch_write(gone).await.unwrap();
        assert!(
            t.query_all(Query::partition("BULK"))
                .await
                .unwrap()
                .is_empty(),
            "{}",
            b.name
        );

        // Moving an item out of an index partition removes it from the index.
        t.update(
            &Key::new("SCHOOL#S0", "REG#000"),
            Update::new().set("gsi1pk", "ORG#O2"),
            None,
        )
        .await
        .unwrap();
        let left = t
            .query_all(Query::index(Index::Gsi1, "ORG#O1#PLAN#P1"))
            .await
            .unwrap();
        assert_eq!(left.len(), 22, "{}", b.name);
    }
}

#[tokio::test]
async fn presigned_urls_round_trip_over_http() {
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let http = reqwest::Client::new();
    for b in backends().await {
        let key = "imports/school/S1/01TEST/考生 名单.xlsx";
        let url = b
            .blobs
            .upload_url(key, XLSX, Duration::from_secs(300))
            .await
            .unwrap();
        let bytes = b"PK\x03\x04 fake workbook bytes".to_vec();
        let resp = http
            .put(&url)
            .header("content-type", XLSX)
            .body(bytes.clone())
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_success(),
            "{}: upload answered {}",
            b.name,
            resp.status()
        );
        let got = b.blobs.get(key).await.unwrap().expect("uploaded object");
        assert_eq!(got.bytes, bytes, "{}", b.name);
        assert_eq!(got.content_type, XLSX, "{}", b.name);

        let down = b
            .blobs
            .download_url(key, Some("导入失败数据.xlsx"), Duration::from_secs(300))
            .await
            .unwrap();
        let resp = http.get(&down).send().await.unwrap();
        assert!(resp.status().is_success(), "{}", b.name);
        assert_eq!(resp.bytes().await.unwrap().to_vec(), bytes, "{}", b.name);

        b.blobs
            .put("imports/school/S2/x.xlsx", b"x".to_vec(), XLSX)
            .await
            .unwrap();
        // A file stored from disk reads back whole, with its type.
        let file = tempfile::NamedTempFile::new().unwrap();
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(file.path(), &big).unwrap();
        b.blobs
            .put_file("prints/school/S2/job.zip", file.path(), "application/zip")
            .await
            .unwrap();
        let got = b
            .blobs
            .get("prints/school/S2/job.zip")
            .await
            .unwrap()
            .expect("stored from a file");
        assert!(got.bytes == big, "{}: the file's bytes", b.name);
        assert_eq!(got.content_type, "application/zip", "{}", b.name);
        assert!(
            b.blobs
                .put_file("../x", file.path(), "application/zip")
                .await
                .is_err(),
            "{}: keys checked",
            b.name
        );
        let listed = b.blobs.list("imports/school/S1/").await.unwrap();
        assert_eq!(listed.len(), 1, "{}: list by prefix", b.name);
        assert_eq!(listed[0].key, key, "{}", b.name);
        assert_eq!(listed[0].size, bytes.len() as u64, "{}", b.name);
        b.blobs.delete(key).await.unwrap();
        assert!(b.blobs.get(key).await.unwrap().is_none(), "{}", b.name);
        assert!(
            b.blobs.get("nothing/here").await.unwrap().is_none(),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn unacknowledged_messages_come_back_after_the_visibility_timeout() {
    for b in backends().await {
        let q = QueueRef::main(QueueName::Imports);
        b.queue.send_batch(q, vec!["job-1".into()]).await.unwrap();
        let first = b
            .queue
            .receive(q, 10, Duration::from_secs(1))
            .await
            .unwrap();
        assert_eq!(first.len(), 1, "{}", b.name);
        assert_eq!(first[0].body, "job-1");
        assert_eq!(first[0].receive_count, 1, "{}", b.name);
        let hidden = b.queue.receive(q, 10, Duration::ZERO).await.unwrap();
        assert!(hidden.is_empty(), "{}: invisible while in flight", b.name);
        tokio::time::sleep(Duration::from_millis(1600)).await;
        let again = b
            .queue
            .receive(q, 10, Duration::from_secs(1))
            .await
            .unwrap();
        assert_eq!(again.len(), 1, "{}: redelivered", b.name);
        assert_eq!(again[0].id, first[0].id, "{}", b.name);
        assert_eq!(again[0].receive_count, 2, "{}", b.name);
        b.queue.delete(q, &again[0].receipt).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1600)).await;
        assert!(
            b.queue
                .receive(q, 10, Duration::ZERO)
                .await
                .unwrap()
                .is_empty(),
            "{}: deleted for good",
            b.name
        );

        // Released messages are visible again at once; batches over 10 send whole.
        let bodies: Vec<String> = (0..12).map(|i| format!("m{i}")).collect();
        assert_eq!(
            b.queue.send_batch(q, bodies).await.unwrap().len(),
            12,
            "{}",
            b.name
        );
        let mut got = Vec::new();
        for _ in 0..10 {
            for m in b
                .queue
                .receive(q, 10, Duration::from_secs(1))
                .await
                .unwrap()
            {
                b.queue.delete(q, &m.receipt).await.unwrap();
                got.push(m.body);
            }
            if got.len() == 12 {
                break;
            }
        }
        got.sort();
        let mut want: Vec<String> = (0..12).map(|i| format!("m{i}")).collect();
        want.sort();
        assert_eq!(got, want, "{}", b.name);
    }
}

#[tokio::test]
async fn messages_that_keep_failing_go_to_the_dead_letter_queue() {
    for b in backends().await {
        let q = QueueRef::main(QueueName::Identity);
        b.queue.send_batch(q, vec!["poison".into()]).await.unwrap();
        for attempt in 1..=2 {
            let got = b.queue.receive(q, 1, Duration::from_secs(2)).await.unwrap();
            assert_eq!(got.len(), 1, "{}: attempt {attempt}", b.name);
            // Fail: release it at once instead of waiting out the timeout.
            b.queue
                .release(q, &got[0].receipt, Duration::ZERO)
                .await
                .unwrap();
        }
        let third = b.queue.receive(q, 1, Duration::from_secs(1)).await.unwrap();
        assert!(third.is_empty(), "{}: not delivered a third time", b.name);
        let dead = b
            .queue
            .receive(
                QueueRef::dlq(QueueName::Identity),
                10,
                Duration::from_secs(2),
            )
            .await
            .unwrap();
        assert_eq!(dead.len(), 1, "{}: in the dead-letter queue", b.name);
        assert_eq!(dead[0].body, "poison", "{}", b.name);
    }
}

#[tokio::test]
async fn insert_new_writes_each_key_once_even_under_concurrency() {
    for b in backends().await {
        let t = &b.table;
        t.put(item(json!({"pk":"G","sk":"taken","by":"earlier"})), None)
            .await
            .unwrap();
        let items: Vec<Item> = ["a", "taken", "b"]
            .iter()
            .map(|k| item(json!({"pk":"G","sk":k,"by":"me"})))
            .collect();
        assert_eq!(
            t.insert_new(items).await.unwrap(),
            vec![true, false, true],
            "{}",
            b.name
        );
        assert_eq!(
            t.get(&Key::new("G", "taken")).await.unwrap().unwrap()["by"],
            json!("earlier"),
            "{}",
            b.name
        );

        // Two writers racing over 150 overlapping keys: each key is won once.
        let batch = |who: &str| -> Vec<Item> {
            (0..150)
                .map(|i| item(json!({"pk":"RACE","sk":format!("{i:03}"),"by":who})))
                .collect()
        };
        let (x, y) = race(&b, t.insert_new(batch("x")), t.insert_new(batch("y"))).await;
        let (x, y) = (x.unwrap(), y.unwrap());
        for i in 0..150 {
            assert!(x[i] ^ y[i], "{}: key {i} written by exactly one", b.name);
        }
        assert_eq!(
            t.query_all(Query::partition("RACE")).await.unwrap().len(),
            150,
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn guarded_inserts_write_a_group_only_with_its_guard() {
    #[derive(serde::Serialize)]
    struct Rec<'a> {
        by: &'a str,
        n: u32,
    }
    let enc = |pk: &str, sk: String, by: &str| {
        EncodedItem::new(Key::new(pk, sk), &Rec { by, n: 7 }).unwrap()
    };
    for b in backends().await {
        let t = &b.table;
        t.put(
            item(json!({"pk":"GG","sk":"ID#taken","by":"earlier"})),
            None,
        )
        .await
        .unwrap();
        let groups: Vec<Guarded> = ["a", "taken", "b"]
            .iter()
            .map(|k| {
                Guarded::new(
                    enc("GG", format!("ID#{k}"), "me"),
                    vec![enc("GG", format!("REC#{k}"), "me")],
                )
            })
            .collect();
        assert_eq!(
            t.insert_guarded(groups).await.unwrap(),
            vec![true, false, true],
            "{}",
            b.name
        );
        let recs = t
            .query_all(Query::partition("GG").begins_with("REC#"))
            .await
            .unwrap();
        let sks: Vec<&str> = recs.iter().map(|i| i["sk"].as_str().unwrap()).collect();
        assert_eq!(sks, vec!["REC#a", "REC#b"], "{}", b.name);
        // Encoded items read back like any item.
        assert_eq!(recs[0]["by"], json!("me"), "{}", b.name);
        assert_eq!(recs[0]["n"], json!(7), "{}", b.name);
        assert_eq!(recs[0]["pk"], json!("GG"), "{}", b.name);

        // An item already there is never overwritten, whatever becomes of
        // its group (see the port's doc).
        t.put(item(json!({"pk":"GG","sk":"REC#c","by":"earlier"})), None)
            .await
            .unwrap();
        t.insert_guarded(vec![Guarded::new(
            enc("GG", "ID#c".into(), "me"),
            vec![enc("GG", "REC#c".into(), "me")],
        )])
        .await
        .unwrap();
        let kept = t.get(&Key::new("GG", "REC#c")).await.unwrap().unwrap();
        assert_eq!(kept["by"], json!("earlier"), "{}", b.name);

        // Two writers racing over 120 overlapping guards: each person once.
        let batch = |who: &'static str| -> Vec<Guarded> {
            (0..120)
                .map(|i| {
                    Guarded::new(
                        enc("GR", format!("ID#{i:03}"), who),
                        vec![enc("GR", format!("REC#{who}{i:03}"), who)],
                    )
                })
                .collect()
        };
        let (x, y) = race(
            &b,
            t.insert_guarded(batch("x")),
            t.insert_guarded(batch("y")),
        )
        .await;
        let (x, y) = (x.unwrap(), y.unwrap());
        for i in 0..120 {
            assert!(x[i] ^ y[i], "{}: guard {i} won exactly once", b.name);
        }
        let recs = t
            .query_all(Query::partition("GR").begins_with("REC#"))
            .await
            .unwrap();
        assert_eq!(recs.len(), 120, "{}", b.name);
    }
}

#[tokio::test]
async fn guarded_groups_count_what_they_write_and_nothing_else() {
    #[derive(serde::Serialize)]
    struct Rec {
        n: u32,
    }
    let enc = |pk: &str, sk: String| EncodedItem::new(Key::new(pk, sk), &Rec { n: 1 }).unwrap();
    for b in backends().await {
        let t = &b.table;
        let owner = Key::new("GC", "OWNER");
        t.put(
            item(json!({"pk":"GC","sk":"OWNER","status":"ok","count":0})),
            None,
        )
        .await
        .unwrap();
        let group = |i: u32, subjects: &[&str]| Guarded {
            guards: subjects
                .iter()
                .map(|s| enc("GC", format!("KEY#{s}")))
                .collect(),
            items: vec![enc("GC", format!("REG#{i:03}"))],
            updates: vec![(
                owner.clone(),
                Update::new().add("count", 1),
                Condition::AttrEquals("status".into(), json!("ok")),
            )],
            checks: Vec::new(),
            counts: Vec::new(),
        };
        // The second group shares a guard with the first: refused whole.
        let won = t
            .insert_guarded(vec![
                group(1, &["a", "b"]),
                group(2, &["b", "c"]),
                group(3, &["c"]),
            ])
            .await
            .unwrap();
        assert_eq!(won, vec![true, false, true], "{}", b.name);
        let regs = t
            .query_all(Query::partition("GC").begins_with("REG#"))
            .await
            .unwrap();
        assert_eq!(regs.len(), 2, "{}", b.name);
        assert_eq!(
            t.get(&owner).await.unwrap().unwrap()["count"].as_i64(),
            Some(2),
            "{}",
            b.name
        );
        assert!(
            t.get(&Key::new("GC", "KEY#c")).await.unwrap().is_some(),
            "{}",
            b.name
        );
        // A failing update condition refuses its group.
        t.update(&owner, Update::new().set("status", "frozen"), None)
            .await
            .unwrap();
        assert_eq!(
            t.insert_guarded(vec![group(4, &["d"])]).await.unwrap(),
            vec![false],
            "{}",
            b.name
        );
        assert!(t.get(&Key::new("GC", "KEY#d")).await.unwrap().is_none());
        t.update(&owner, Update::new().set("status", "ok"), None)
            .await
            .unwrap();

        // Racing writers over overlapping guards: the count is exactly the
        // number of groups written.
        let batch = |from: u32| -> Vec<Guarded> {
            (from..from + 60)
                .map(|i| group(100 + i, &[&format!("r{i}")]))
                .collect()
        };
        let (x, y) = race(&b, t.insert_guarded(batch(0)), t.insert_guarded(batch(30))).await;
        let won = x.unwrap().iter().chain(&y.unwrap()).filter(|w| **w).count();
        assert_eq!(won, 90, "{}", b.name);
        let count = t.get(&owner).await.unwrap().unwrap()["count"].as_i64();
        assert_eq!(count, Some(2 + 90), "{}", b.name);

        // A check on another item: the group is written only while it
        // holds, and nothing is written to that item.
        let checked = |i: u32, on: &str| {
            Guarded::new(enc("GC", format!("CLAIM#{i}")), Vec::new())
                .checking(Key::new("GC", on), Condition::Exists)
        };
        let won = t
            .insert_guarded(vec![checked(1, "KEY#a"), checked(2, "KEY#gone")])
            .await
            .unwrap();
        assert_eq!(won, vec![true, false], "{}", b.name);
        // A check on an attribute: the item there must still hold it.
        let on_value = |i: u32, n: i64| {
            Guarded::new(enc("GC", format!("CLAIM#{i}")), Vec::new())
                .checking(Key::new("GC", "KEY#a"), Condition::attr_equals("n", n))
        };
        let won = t
            .insert_guarded(vec![on_value(3, 2), on_value(4, 1)])
            .await
            .unwrap();
        assert_eq!(won, vec![false, true], "{}", b.name);
        assert!(
            t.get(&Key::new("GC", "CLAIM#2")).await.unwrap().is_none(),
            "{}",
            b.name
        );
        assert!(
            t.get(&Key::new("GC", "KEY#gone")).await.unwrap().is_none(),
            "a check writes nothing: {}",
            b.name
        );
    }
}

#[tokio::test]
async fn bulk_reads_see_what_queries_see() {
    for b in backends().await {
        let t = &b.table;
        for i in 0..5 {
            t.put(item(json!({"pk":"BJ","sk":format!("R#{i}"),"n":i,"gsi1pk":"BJI","gsi1sk":format!("{i}")})), None)
                .await
                .unwrap();
        }
        for q in [
            Query::partition("BJ").begins_with("R#").limit(2),
            Query::index(Index::Gsi1, "BJI").limit(2),
        ] {
            let items = t.query_all(q.clone()).await.unwrap();
            let json: Vec<Item> = t
                .query_all_json(q.clone())
                .await
                .unwrap()
                .iter()
                .map(|b| serde_json::from_slice(b).unwrap())
                .collect();
            assert_eq!(json, items, "{}", b.name);
            assert_eq!(json.len(), 5, "{}", b.name);
            // Page by page, as streaming readers go: the same items, 2 at a time.
            let (mut paged, mut sizes, mut q) = (Vec::<Item>::new(), Vec::new(), q);
            loop {
                let (page, next) = t.query_json(q.clone()).await.unwrap();
                sizes.push(page.len());
                paged.extend(
                    page.iter()
                        .map(|b| serde_json::from_slice::<Item>(b).unwrap()),
                );
                match next {
                    Some(cursor) => q.cursor = Some(cursor),
                    None => break,
                }
            }
            assert_eq!(paged, items, "{}", b.name);
            assert!(
                sizes.iter().all(|&n| n <= 2) && sizes.len() >= 3,
                "{} {sizes:?}",
                b.name
            );
        }
    }
}

#[tokio::test]
async fn either_condition_lets_a_write_through() {
    for b in backends().await {
        let t = &b.table;
        let key = Key::new("OR", "C");
        let not_deleted = || {
            Condition::Or(vec![
                Condition::NotExists,
                Condition::attr_equals("deleted", false),
            ])
        };
        // Absent: the first branch holds, and the update creates the item.
        t.update(&key, Update::new().add("count", 1), Some(not_deleted()))
            .await
            .unwrap();
        t.update(&key, Update::new().set("deleted", false), None)
            .await
            .unwrap();
        t.update(&key, Update::new().add("count", 1), Some(not_deleted()))
            .await
            .unwrap();
        assert_eq!(
            t.get(&key).await.unwrap().unwrap()["count"],
            json!(2),
            "{}",
            b.name
        );
        t.update(&key, Update::new().set("deleted", true), None)
            .await
            .unwrap();
        let refused = t
            .update(&key, Update::new().add("count", 1), Some(not_deleted()))
            .await;
        assert!(
            matches!(refused, Err(TableError::ConditionFailed)),
            "{}: {refused:?}",
            b.name
        );
        assert!(
            matches!(
                t.put(
                    item(json!({"pk":"OR","sk":"D"})),
                    Some(Condition::Or(Vec::new()))
                )
                .await,
                Err(TableError::ConditionFailed)
            ),
            "{}: an empty Or never holds",
            b.name
        );
    }
}

#[tokio::test]
async fn grouped_writes_apply_whole_with_merged_counts() {
    use vslc_ports::table::{Count, Group};
    for b in backends().await {
        let t = &b.table;
        let counter = |s: u32| Key::new(format!("GW#C{}", s % 3), "COUNT");
        // 150 groups (more than one transaction's worth), each putting one
        // record on condition it is new and raising two counters of three.
        let groups = |tag: &str| -> Vec<Group> {
            (0..150u32)
                .map(|i| Group {
                    ops: vec![TxOp::Put {
                        item: item(json!({"pk":"GW","sk":format!("R#{i:03}"),"tag":tag})),
                        condition: Some(Condition::NotExists),
                    }],
                    counts: vec![
                        Count::new(counter(i), "n", 1),
                        Count::new(counter(i + 1), format!("by#{tag}"), 2),
                    ],
                })
                .collect()
        };
        let first = groups("a");
        let mut second = groups("b");
        second.truncate(10);
        second.push(Group {
            ops: vec![TxOp::Put {
                item: item(json!({"pk":"GW","sk":"R#new"})),
                condition: Some(Condition::NotExists),
            }],
            counts: vec![Count::new(counter(0), "n", 1)],
        });
        assert!(
            t.apply_groups(first).await.unwrap().iter().all(|&w| w),
            "{}",
            b.name
        );
        let again = t.apply_groups(second).await.unwrap();
        assert_eq!(again.iter().filter(|&&w| w).count(), 1, "{}", b.name);
        assert!(again[10], "{}", b.name);
        let mut n = 0;
        let mut by_a = 0;
        for s in 0..3 {
            let c = t.get(&counter(s)).await.unwrap().unwrap();
            n += c.get("n").and_then(Value::as_i64).unwrap_or(0);
            by_a += c.get("by#a").and_then(Value::as_i64).unwrap_or(0);
            assert!(
                c.get("by#b").is_none(),
                "{}: refused groups count nothing",
                b.name
            );
        }
        assert_eq!((n, by_a), (151, 300), "{}", b.name);
        let rows = t
            .query_all(Query::partition("GW").begins_with("R#"))
            .await
            .unwrap();
        assert_eq!(rows.len(), 151, "{}", b.name);
    }
}

#[tokio::test]
async fn many_gets_and_queries_answer_in_the_order_asked() {
    for b in backends().await {
        let t = &b.table;
        let items: Vec<BatchOp> = (0..150u32)
            .map(|i| {
                BatchOp::Put(item(
                    json!({"pk": format!("MG#{}", i % 3), "sk": format!("{i:03}"), "n": i}),
                ))
            })
            .collect();
        t.batch_write(items).await.unwrap();
        // 160 keys (over one BatchGetItem's 100), some missing, one twice.
        let mut keys: Vec<Key> = (0..160u32)
            .rev()
            .map(|i| Key::new(format!("MG#{}", i % 3), format!("{i:03}")))
            .collect();
        keys.push(Key::new("MG#0", "000"));
        let got = t.get_many_json(keys.clone()).await.unwrap();
        assert_eq!(got.len(), 161, "{}", b.name);
        for (key, json) in keys.iter().zip(&got) {
            let n: u32 = key.sk.parse().unwrap();
            match json {
                Some(bytes) => {
                    let v: Value = serde_json::from_slice(bytes).unwrap();
                    assert_eq!(v["n"], n, "{}", b.name);
                }
                None => assert!(n >= 150, "{}: {n} is stored", b.name),
            }
        }
        let pages = t
            .query_many_json(vec![
                Query::partition("MG#2").limit(5),
                Query::partition("MG#0").sk(SkCond::Between("010".into(), "020".into())),
                Query::partition("MG#9"),
            ])
            .await
            .unwrap();
        // The sort key handed out beside each item is the item's own.
        let sks = |page: &Vec<vslc_ports::table::SortedJson>| -> Vec<String> {
            page.iter()
                .map(|row| {
                    let stored = serde_json::from_slice::<Value>(&row.json).unwrap()["sk"]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    assert_eq!(row.sk, stored);
                    stored
                })
                .collect()
        };
        assert_eq!(
            sks(&pages[0].0),
            ["002", "005", "008", "011", "014"],
            "{}",
            b.name
        );
        assert!(pages[0].1.is_some(), "{}", b.name);
        assert_eq!(sks(&pages[1].0), ["012", "015", "018"], "{}", b.name);
        assert!(pages[2].0.is_empty(), "{}", b.name);
    }
}

#[tokio::test]
async fn keyset_pages_merge_shards_in_order() {
    use vslc_ports::keyset::{Source, merge};
    for b in backends().await {
        let t = &b.table;
        // 300 rows over 16 partitions, unevenly: partition 3 holds a third.
        let rows: Vec<BatchOp> = (0..300u32)
            .map(|i| {
                let shard = if i % 3 == 0 { 3 } else { (i * 7) % 16 };
                BatchOp::Put(item(
                    json!({"pk": format!("KS#{shard:02}"), "sk": format!("a#{i:05}")}),
                ))
            })
            .chain([BatchOp::Put(item(json!({"pk": "KS#00", "sk": "b#00001"})))])
            .collect();
        t.batch_write(rows).await.unwrap();
        let sources: Vec<Source> = (0..16)
            .map(|s| Source {
                pk: format!("KS#{s:02}"),
                prefix: "a#".into(),
            })
            .collect();
        for size in [7, 50] {
            let mut seen = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let page = merge(t.as_ref(), &sources, after.as_deref(), size)
                    .await
                    .unwrap();
                assert!(page.rows.len() <= size, "{}", b.name);
                seen.extend(page.rows.iter().map(|r| r.body.clone()));
                if !page.more {
                    break;
                }
                after = page.rows.last().map(|r| r.body.clone()).or(after);
            }
            let want: Vec<String> = (0..300).map(|i| format!("{i:05}")).collect();
            assert_eq!(seen, want, "{}: pages of {size}", b.name);
        }
    }
}

#[tokio::test]
async fn guarded_chunks_decide_every_group_in_order_across_chunks() {
    use futures_util::StreamExt;
    #[derive(serde::Serialize)]
    struct Rec {
        n: u32,
    }
    // The count and the items sort before the guards, so that a guard
    // found taken as it is written undoes writes that replaced something.
    let group = |pk: &str, k: &str| {
        let mut g = Guarded::new(
            EncodedItem::new(Key::new(pk, format!("ID#{k}")), &Rec { n: 1 }).unwrap(),
            vec![EncodedItem::new(Key::new(pk, format!("B#{k}")), &Rec { n: 1 }).unwrap()],
        );
        g.counts
            .push(vslc_ports::table::Count::new(Key::new(pk, "COUNT"), "n", 1));
        g
    };
    let chunks = |pk: &'static str, ks: Vec<Vec<&'static str>>| {
        futures_util::stream::iter(ks.into_iter().map(move |c| {
            Ok::<_, TableError>(c.into_iter().map(|k| group(pk, k)).collect::<Vec<_>>())
        }))
        .boxed()
    };
    for b in backends().await {
        let t = &b.table;
        t.put(item(json!({"pk":"GS","sk":"ID#taken"})), None)
            .await
            .unwrap();
        // An item already there fails its group on DynamoDB and stays as
        // it was on the embedded store (see the port's doc): only there.
        let embedded = b.name == "embedded";
        if embedded {
            t.put(item(json!({"pk":"GS","sk":"B#c","by":"earlier"})), None)
                .await
                .unwrap();
        }
        // A guard taken before, and one taken by an earlier chunk, fail
        // their groups; the answers follow the groups across chunks.
        let won = t
            .insert_guarded_chunks(chunks("GS", vec![vec!["a", "taken", "b"], vec!["a", "c"]]))
            .await
            .unwrap();
        assert_eq!(won, vec![true, false, true, false, true], "{}", b.name);
        let total = t.get(&Key::new("GS", "COUNT")).await.unwrap().unwrap();
        assert_eq!(total["n"].as_i64(), Some(3), "{}", b.name);
        if embedded {
            let kept = t.get(&Key::new("GS", "B#c")).await.unwrap().unwrap();
            assert_eq!(kept["by"], json!("earlier"));
        }
        assert!(t.get(&Key::new("GS", "B#taken")).await.unwrap().is_none());

        // A stream that fails part-way fails the call; the embedded store
        // writes nothing of it (one transaction).
        let failing = futures_util::stream::iter(vec![
            Ok(vec![group("GF", "x")]),
            Err(TableError::Invalid(
                "the second chunk could not be built".into(),
            )),
        ])
        .boxed();
        assert!(
            t.insert_guarded_chunks(failing).await.is_err(),
            "{}",
            b.name
        );
        if b.name == "embedded" {
            assert!(
                t.get(&Key::new("GF", "ID#x")).await.unwrap().is_none(),
                "a failed stream leaves nothing written"
            );
        }

        // Two bulk writers racing over overlapping guards: each once.
        let ks: Vec<&'static str> = (0..60)
            .map(|i| &*Box::leak(format!("r{i:02}").into_boxed_str()))
            .collect();
        let (x, y) = race(
            &b,
            t.insert_guarded_chunks(chunks(
                "GR2",
                ks[..40].chunks(15).map(<[_]>::to_vec).collect(),
            )),
            t.insert_guarded_chunks(chunks(
                "GR2",
                ks[20..].chunks(15).map(<[_]>::to_vec).collect(),
            )),
        )
        .await;
        let won = x.unwrap().iter().chain(&y.unwrap()).filter(|w| **w).count();
        assert_eq!(won, 60, "{}", b.name);
        let total = t.get(&Key::new("GR2", "COUNT")).await.unwrap().unwrap();
        assert_eq!(total["n"].as_i64(), Some(60), "{}", b.name);
    }
}
