//! Merkle trees over SHA-256 transaction hashes (Bitcoin-style: an odd node
//! is paired with itself), with inclusion proofs.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub type Hash = [u8; 32];

pub fn sha256(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

fn parent(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the leaves (all zero for none).
pub fn root(leaves: &[Hash]) -> Hash {
    if leaves.is_empty() {
        return [0; 32];
    }
    let mut level = leaves.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| parent(&p[0], p.get(1).unwrap_or(&p[0])))
            .collect();
    }
    level[0]
}

/// Which side the sibling sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
}

/// One step of an inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProofStep {
    /// Hex SHA-256 of the sibling.
    pub hash: String,
    pub side: Side,
}

/// The path from leaf `index` to the root.
pub fn proof(leaves: &[Hash], mut index: usize) -> Vec<ProofStep> {
    let mut steps = Vec::new();
    let mut level = leaves.to_vec();
    while level.len() > 1 {
        let sibling = if index.is_multiple_of(2) {
            index + 1
        } else {
            index - 1
        };
        let sib = level.get(sibling).unwrap_or(&level[index]);
        steps.push(ProofStep {
            hash: hex::encode(sib),
            side: if index.is_multiple_of(2) {
                Side::Right
            } else {
                Side::Left
            },
        });
        level = level
            .chunks(2)
            .map(|p| parent(&p[0], p.get(1).unwrap_or(&p[0])))
            .collect();
        index /= 2;
    }
    steps
}

/// Folds a proof from a leaf; equals the root when the leaf is included.
pub fn fold(leaf: &Hash, steps: &[ProofStep]) -> Option<Hash> {
    let mut acc = *leaf;
    for s in steps {
        let sib: Hash = hex::decode(&s.hash).ok()?.try_into().ok()?;
        acc = match s.side {
            Side::Right => parent(&acc, &sib),
            Side::Left => parent(&sib, &acc),
        };
    }
    Some(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_proves_against_the_root() {
        for n in 1..=9 {
            let leaves: Vec<Hash> = (0..n)
                .map(|i| sha256(format!("tx{i}").as_bytes()))
                .collect();
            let r = root(&leaves);
            for (i, leaf) in leaves.iter().enumerate() {
                assert_eq!(fold(leaf, &proof(&leaves, i)), Some(r), "n={n} i={i}");
            }
            let stranger = sha256(b"not in the tree");
            assert_ne!(fold(&stranger, &proof(&leaves, 0)), Some(r));
        }
    }
}
