//! The ledger: appends chain, proofs verify, any tampering is detected.

use std::sync::Arc;

use serde_json::json;
use vslc_adapters::embedded::{EmbeddedStore, EmbeddedTable};
use vslc_ledger::{self as ledger, Tamper, TxBody, merkle};
use vslc_ports::table::{Key, Table, Update};

fn body(n: usize) -> TxBody {
    TxBody {
        kind: "certificate.register".into(),
        payload: json!({"id": format!("C{n}"), "name": format!("证书{n}")}),
        time: "2026-11-28T08:00:00+08:00".into(),
    }
}

fn table() -> (tempfile::TempDir, Arc<dyn Table>) {
    let dir = tempfile::tempdir().unwrap();
    let t = Arc::new(EmbeddedTable::new(EmbeddedStore::open(dir.path()).unwrap()));
    (dir, t)
}

#[tokio::test]
async fn appended_transactions_prove_inclusion_and_the_chain_verifies() {
    let (_d, t) = table();
    let first = ledger::append(t.as_ref(), (0..3).map(body).collect(), "t1")
        .await
        .unwrap();
    let second = ledger::append(t.as_ref(), (3..5).map(body).collect(), "t2")
        .await
        .unwrap();
    assert_eq!(first[0].block_height, 0);
    assert_eq!(second[1].block_height, 1);
    assert_eq!(ledger::verify_chain(t.as_ref()).await, Ok(2));
    for info in first.iter().chain(&second) {
        let p = ledger::prove(t.as_ref(), &info.tx_hash)
            .await
            .unwrap()
            .expect("on the chain");
        let leaf: merkle::Hash = hex::decode(&p.tx_hash).unwrap().try_into().unwrap();
        let root = merkle::fold(&leaf, &p.proof).unwrap();
        assert_eq!(hex::encode(root), p.block.merkle_root);
        assert_eq!(p.block_hash, info.block_hash);
    }
    assert!(
        ledger::prove(t.as_ref(), &"0".repeat(64))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        ledger::prove(t.as_ref(), "not-a-hash")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn tampering_with_a_transaction_or_a_block_is_detected() {
    let (_d, t) = table();
    let infos = ledger::append(t.as_ref(), (0..4).map(body).collect(), "t1")
        .await
        .unwrap();
    ledger::append(t.as_ref(), vec![body(9)], "t2")
        .await
        .unwrap();

    let tx = Key::new(format!("LEDGER#TX#{}", infos[2].tx_hash), "TX");
    let original = t.get(&tx).await.unwrap().unwrap();
    let mut forged = original.clone();
    forged["body"]["payload"]["name"] = json!("伪造证书");
    t.put(forged, None).await.unwrap();
    assert!(matches!(
        ledger::verify_chain(t.as_ref()).await,
        Err(Tamper::Transaction(0, _))
    ));
    t.put(original, None).await.unwrap();
    assert_eq!(ledger::verify_chain(t.as_ref()).await, Ok(2));

    let block0 = Key::new("LEDGER#BLOCK", "000000000000");
    let original = t.get(&block0).await.unwrap().unwrap();
    t.update(&block0, Update::new().set("header", json!({
        "height": 0, "prevHash": "0".repeat(64), "merkleRoot": original["header"]["merkleRoot"], "txCount": 4, "time": "t0-backdated"
    })), None).await.unwrap();
    assert_eq!(
        ledger::verify_chain(t.as_ref()).await,
        Err(Tamper::BlockHash(0))
    );

    // Re-hashing the forged block does not help: the next block no longer links.
    let mut rehashed = t.get(&block0).await.unwrap().unwrap();
    let header: ledger::BlockHeader = serde_json::from_value(rehashed["header"].clone()).unwrap();
    rehashed["hash"] = json!(hex::encode(header.hash()));
    t.put(rehashed, None).await.unwrap();
    assert_eq!(ledger::verify_chain(t.as_ref()).await, Err(Tamper::Link(1)));
    t.put(original, None).await.unwrap();

    let block1 = Key::new("LEDGER#BLOCK", "000000000001");
    let b1 = t.get(&block1).await.unwrap().unwrap();
    t.update(
        &block1,
        Update::new().set("txHashes", json!([infos[0].tx_hash])),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        ledger::verify_chain(t.as_ref()).await,
        Err(Tamper::MerkleRoot(1))
    );
    t.put(b1, None).await.unwrap();
    assert_eq!(ledger::verify_chain(t.as_ref()).await, Ok(2));
}

#[tokio::test]
async fn concurrent_appends_never_fork_the_chain() {
    let (_d, t) = table();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            ledger::append(t.as_ref(), vec![body(100 + i)], "t")
                .await
                .unwrap()
        }));
    }
    let mut heights: Vec<u64> = Vec::new();
    for task in tasks {
        heights.push(task.await.unwrap()[0].block_height);
    }
    heights.sort();
    assert_eq!(heights, (0..8).collect::<Vec<_>>());
    assert_eq!(ledger::verify_chain(t.as_ref()).await, Ok(8));
}
