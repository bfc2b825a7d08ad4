//! Write sharding: the high-volume item families of a tenant (candidates,
//! their guards, list rows and counters; later registrations, seats, scores,
//! certificates) spread over [`SHARDS`] partition keys instead of one, so a
//! 100,000-row import is not held to one DynamoDB partition's 1,000 writes a
//! second, and a list merges a fixed number of partitions — O(page), however
//! large the tenant (docs/data-model.md, "Capacity").

/// Partitions per item family of a tenant.
pub const SHARDS: u8 = 16;

/// The shard of a natural key (考生编号, 证件类型#证件号码): FNV-1a of its
/// UTF-8 bytes. Stable across releases and platforms — it is part of the
/// stored keys, so it must never change.
pub fn of(natural_key: &str) -> u8 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in natural_key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % u64::from(SHARDS)) as u8
}

/// Every shard, in order.
pub fn all() -> impl Iterator<Item = u8> + Clone {
    0..SHARDS
}

#[cfg(test)]
mod tests {
    #[test]
    fn shards_are_stable_and_spread() {
        // Stored keys depend on these values: they may never change.
        assert_eq!(super::of(""), (0xcbf2_9ce4_8422_2325u64 % 16) as u8);
        assert_eq!(
            super::of("51332120211635871875143006"),
            super::of("51332120211635871875143006")
        );
        let mut seen = [0usize; super::SHARDS as usize];
        for i in 0..16_000u32 {
            seen[super::of(&format!("11010120261795852800{i:06}")) as usize] += 1;
        }
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
    }
}
