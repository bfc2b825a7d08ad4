//! 上链信息: an append-only, hash-chained ledger in the `Table`.
//!
//! A transaction is a record's canonical JSON; its hash is the SHA-256 of
//! that JSON. Transactions are sealed into blocks; a block header holds the
//! height, the previous block's hash, the Merkle root of its transactions
//! and the time, and its hash is the SHA-256 of the header's canonical JSON.
//! Appending is a conditional write on the chain head, so concurrent writers
//! never fork the chain: the loser retries on the new head.
//!
//! Items: `LEDGER#HEAD`/`HEAD`, `LEDGER#BLOCK`/`<height:012>`,
//! `LEDGER#TX#<hash>`/`TX`.

pub mod merkle;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use self::merkle::{Hash, ProofStep, sha256};
use vslc_ports::table::{
    Condition, Key, Query, Table, TableError, TableExt, TxOp, from_item, to_item,
};

/// Most transactions in one block: a block is written in one table
/// transaction (≤ 100 items) together with its header and the chain head.
pub const MAX_BLOCK_TXS: usize = vslc_ports::table::MAX_TRANSACT_ITEMS - 2;
const HEAD: (&str, &str) = ("LEDGER#HEAD", "HEAD");
const BLOCKS: &str = "LEDGER#BLOCK";

/// What a transaction records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TxBody {
    /// `certificate.register`, `certificate.issue`, …
    pub kind: String,
    /// The record, as canonical JSON (object keys sorted).
    pub payload: Value,
    /// RFC 3339 time of the append.
    pub time: String,
}

impl TxBody {
    /// The canonical bytes: serde_json writes object keys sorted.
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("JSON values serialise")
    }
    pub fn hash(&self) -> Hash {
        sha256(&self.canonical())
    }
}

/// A stored transaction with its place in the chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredTx {
    pub hash: String,
    pub body: TxBody,
    pub height: u64,
    pub index: usize,
}

/// A block header (what the block hash covers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockHeader {
    /// 区块高度 (0 is the first block).
    pub height: u64,
    /// Hex hash of the previous block (64 zeros for the first).
    pub prev_hash: String,
    /// Hex Merkle root of the block's transactions.
    pub merkle_root: String,
    pub tx_count: usize,
    pub time: String,
}

impl BlockHeader {
    pub fn hash(&self) -> Hash {
        sha256(&serde_json::to_vec(self).expect("header serialises"))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    pub header: BlockHeader,
    /// 块哈希.
    pub hash: String,
    pub tx_hashes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Head {
    height: u64,
    hash: String,
    version: u64,
}

/// Where a transaction landed: 区块高度, 块哈希, 交易哈希.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChainInfo {
    pub block_height: u64,
    pub block_hash: String,
    pub tx_hash: String,
}

/// A transaction with the proof that its block includes it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InclusionProof {
    pub tx_hash: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    pub time: String,
    pub block: BlockHeader,
    pub block_hash: String,
    pub index: usize,
    /// From the transaction hash up to the Merkle root.
    pub proof: Vec<ProofStep>,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger storage")]
    Table(#[from] TableError),
    #[error("too many transactions for one block ({0})")]
    TooMany(usize),
    #[error("the chain head kept moving; gave up after retries")]
    Contended,
}

/// What a verification of the whole chain found wrong.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Tamper {
    #[error("block {0}: transaction {1} does not hash to its stored hash")]
    Transaction(u64, String),
    #[error("block {0}: Merkle root does not match its transactions")]
    MerkleRoot(u64),
    #[error("block {0}: stored block hash does not match its header")]
    BlockHash(u64),
    #[error("block {0}: does not link to the previous block")]
    Link(u64),
    #[error("block {0}: missing")]
    Missing(u64),
    #[error("head does not point at the last block")]
    Head,
}

fn hex32(h: &Hash) -> String {
    hex::encode(h)
}

fn tx_key(hash: &str) -> Key {
    Key::new(format!("LEDGER#TX#{hash}"), "TX")
}

fn block_key(height: u64) -> Key {
    Key::new(BLOCKS, format!("{height:012}"))
}

/// Appends the bodies as one new block; returns where each landed, in order.
pub async fn append(
    table: &dyn Table,
    bodies: Vec<TxBody>,
    time: &str,
) -> Result<Vec<ChainInfo>, LedgerError> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    if bodies.len() > MAX_BLOCK_TXS {
        return Err(LedgerError::TooMany(bodies.len()));
    }
    let hashes: Vec<Hash> = bodies.iter().map(TxBody::hash).collect();
    for _attempt in 0..20 {
        let head: Option<Head> = table.get_as(&Key::new(HEAD.0, HEAD.1)).await?;
        let (height, prev_hash, head_cond, version) = match &head {
            Some(h) => (
                h.height + 1,
                h.hash.clone(),
                Condition::VersionIs(h.version),
                h.version + 1,
            ),
            None => (0, hex32(&[0; 32]), Condition::NotExists, 1),
        };
        let header = BlockHeader {
            height,
            prev_hash,
            merkle_root: hex32(&merkle::root(&hashes)),
            tx_count: hashes.len(),
            time: time.to_owned(),
        };
        let block = Block {
            hash: hex32(&header.hash()),
            header,
            tx_hashes: hashes.iter().map(hex32).collect(),
        };
        let mut ops = vec![
            TxOp::Put {
                item: to_item(&block_key(height), &block)?,
                condition: Some(Condition::NotExists),
            },
            TxOp::Put {
                item: to_item(
                    &Key::new(HEAD.0, HEAD.1),
                    &Head {
                        height,
                        hash: block.hash.clone(),
                        version,
                    },
                )?,
                condition: Some(head_cond),
            },
        ];
        for (index, (body, hash)) in bodies.iter().zip(&hashes).enumerate() {
            let stored = StoredTx {
                hash: hex32(hash),
                body: body.clone(),
                height,
                index,
            };
            // A transaction hash is recorded once: the same record twice is one entry.
            ops.push(TxOp::Put {
                item: to_item(&tx_key(&stored.hash), &stored)?,
                condition: Some(Condition::NotExists),
            });
        }
        match table.transact(ops).await {
            Ok(()) => {
                return Ok(hashes
                    .iter()
                    .map(|h| ChainInfo {
                        block_height: height,
                        block_hash: block.hash.clone(),
                        tx_hash: hex32(h),
                    })
                    .collect());
            }
            Err(TableError::TransactionCanceled { failed }) if failed.iter().all(|i| *i < 2) => {
                continue;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(LedgerError::Contended)
}

async fn block(table: &dyn Table, height: u64) -> Result<Option<Block>, TableError> {
    table.get_as(&block_key(height)).await
}

/// The transaction and its inclusion proof, if the hash is on the chain.
pub async fn prove(
    table: &dyn Table,
    tx_hash: &str,
) -> Result<Option<InclusionProof>, LedgerError> {
    let hash = tx_hash.trim().to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(tx) = table.get_as::<StoredTx>(&tx_key(&hash)).await? else {
        return Ok(None);
    };
    let Some(b) = block(table, tx.height).await? else {
        return Ok(None);
    };
    let leaves: Vec<Hash> = b
        .tx_hashes
        .iter()
        .filter_map(|h| hex::decode(h).ok()?.try_into().ok())
        .collect();
    Ok(Some(InclusionProof {
        tx_hash: tx.hash,
        kind: tx.body.kind,
        payload: tx.body.payload,
        time: tx.body.time,
        proof: merkle::proof(&leaves, tx.index),
        block: b.header,
        block_hash: b.hash,
        index: tx.index,
    }))
}

/// Recomputes the whole chain from scratch: every transaction's hash from
/// its stored body, every Merkle root, every block hash and link.
pub async fn verify_chain(table: &dyn Table) -> Result<u64, Tamper> {
    let err = |_| Tamper::Missing(0);
    let blocks: Vec<Block> = table
        .query_all(Query::partition(BLOCKS))
        .await
        .map_err(err)?
        .into_iter()
        .map(from_item)
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let mut prev = hex32(&[0; 32]);
    for (i, b) in blocks.iter().enumerate() {
        let height = i as u64;
        if b.header.height != height {
            return Err(Tamper::Missing(height));
        }
        if b.header.prev_hash != prev {
            return Err(Tamper::Link(height));
        }
        let mut leaves = Vec::with_capacity(b.tx_hashes.len());
        for h in &b.tx_hashes {
            let tx: StoredTx = table
                .get_as(&tx_key(h))
                .await
                .ok()
                .flatten()
                .ok_or_else(|| Tamper::Transaction(height, h.clone()))?;
            let recomputed = tx.body.hash();
            if hex32(&recomputed) != *h {
                return Err(Tamper::Transaction(height, h.clone()));
            }
            leaves.push(recomputed);
        }
        if b.header.merkle_root != hex32(&merkle::root(&leaves))
            || b.header.tx_count != leaves.len()
        {
            return Err(Tamper::MerkleRoot(height));
        }
        if b.hash != hex32(&b.header.hash()) {
            return Err(Tamper::BlockHash(height));
        }
        prev = b.hash.clone();
    }
    let head: Option<Head> = table.get_as(&Key::new(HEAD.0, HEAD.1)).await.map_err(err)?;
    match (head, blocks.last()) {
        (None, None) => Ok(0),
        (Some(h), Some(last)) if h.hash == last.hash && h.height == last.header.height => {
            Ok(blocks.len() as u64)
        }
        _ => Err(Tamper::Head),
    }
}
