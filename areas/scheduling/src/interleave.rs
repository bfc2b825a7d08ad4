//! Who sits where: candidates of different schools interleaved so that two
//! of one school sit side by side (seat n and n+1 of a room) only when it
//! cannot be helped, in an order fixed by a seed.
//!
//! Each free seat, in room order and seat order, goes to the school with
//! the most candidates still waiting among those that are not its
//! neighbours' (the seat before, and a seat after already taken); ties go
//! to the school first in the seeded order. This greedy choice leaves a
//! school beside itself only when the rest cannot separate it (a school
//! with k candidates among n needs n − k ≥ k − 1 others); room ends only
//! help. Within a school candidates go shard by shard of their ids (the
//! shards in seeded order), in id order within a shard: the order of the
//! school's seat rows ([`crate::model::Seat::school_key`]), so that a bulk
//! arrangement writes them in key order and each storage page once, not
//! once for every few rooms.

use std::collections::{BinaryHeap, HashMap};

use vslc_ports::shard;

/// A reproducible 64-bit mix of a seed and a text (SplitMix64 over FNV-1a).
pub fn mix(seed: u64, text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = seed ^ h;
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A room's seats and those already taken (seat → school).
#[derive(Debug, Clone, Default)]
pub struct Space<'a> {
    pub seats: u32,
    pub taken: HashMap<u32, &'a str>,
}

impl Space<'_> {
    pub fn free(&self) -> u32 {
        let taken = self.taken.keys().filter(|s| **s >= 1 && **s <= self.seats);
        self.seats.saturating_sub(taken.count() as u32)
    }
}

/// One candidate to seat: its id (the order within its school) and school.
#[derive(Debug, Clone)]
pub struct Person<'a> {
    pub id: &'a str,
    pub school: &'a str,
}

/// A seat given: (room index, seat number, person index).
pub type Placement = (usize, u32, usize);

/// Seats `people` in the free seats of `rooms`, in order; answers the
/// placements (as many as there are people, when the seats suffice).
pub fn arrange(seed: u64, rooms: &[Space<'_>], people: &[Person<'_>]) -> Vec<Placement> {
    // Schools in seeded order; each one's people in seeded order, last
    // first (they are popped).
    let mut schools: Vec<&str> = people.iter().map(|p| p.school).collect();
    schools.sort_unstable();
    schools.dedup();
    schools.sort_by_key(|s| mix(seed, s));
    let rank: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let shards: Vec<u64> = shard::all().map(|s| mix(seed, &s.to_string())).collect();
    let mut queues: Vec<Vec<((u64, &str), usize)>> = vec![Vec::new(); schools.len()];
    for (i, p) in people.iter().enumerate() {
        let order = (shards[usize::from(shard::of(p.id))], p.id);
        queues[rank[p.school]].push((order, i));
    }
    for q in &mut queues {
        q.sort_unstable_by(|a, b| b.cmp(a));
    }
    // (waiting, earlier in the seeded order first).
    let mut heap: BinaryHeap<(usize, std::cmp::Reverse<usize>)> = queues
        .iter()
        .enumerate()
        .filter(|(_, q)| !q.is_empty())
        .map(|(i, q)| (q.len(), std::cmp::Reverse(i)))
        .collect();
    let mut out = Vec::with_capacity(people.len());
    'rooms: for (r, room) in rooms.iter().enumerate() {
        let mut before: Option<usize> = None;
        for seat in 1..=room.seats {
            if heap.is_empty() {
                break 'rooms;
            }
            if let Some(s) = room.taken.get(&seat) {
                before = rank.get(s).copied();
                continue;
            }
            let after = room
                .taken
                .get(&(seat + 1))
                .and_then(|s| rank.get(s).copied());
            let school = pick(&mut heap, [before, after]);
            let person = queues[school].pop().map(|(_, i)| i);
            if let Some(i) = person {
                out.push((r, seat, i));
            }
            if !queues[school].is_empty() {
                heap.push((queues[school].len(), std::cmp::Reverse(school)));
            }
            before = Some(school);
        }
    }
    out
}

/// Takes the school to seat next off the heap: the first that is neither
/// neighbour, else the first that is not the one before, else the first.
fn pick(
    heap: &mut BinaryHeap<(usize, std::cmp::Reverse<usize>)>,
    avoid: [Option<usize>; 2],
) -> usize {
    let mut passed = Vec::new();
    let mut chosen = None;
    for level in [&avoid[..], &avoid[..1]] {
        while let Some(top) = heap.pop() {
            let school = top.1.0;
            if level.contains(&Some(school)) {
                passed.push(top);
            } else {
                chosen = Some(school);
                break;
            }
        }
        if chosen.is_some() {
            break;
        }
        heap.extend(passed.drain(..));
    }
    heap.extend(passed);
    match chosen {
        Some(s) => s,
        None => heap.pop().map(|t| t.1.0).unwrap_or_default(),
    }
}

/// Pairs of neighbours (seat n, n+1 of a room) of the same school.
pub fn same_school_neighbours(rows: &[(usize, u32, &str)]) -> usize {
    let at: HashMap<(usize, u32), &str> = rows.iter().map(|(r, s, w)| ((*r, *s), *w)).collect();
    rows.iter()
        .filter(|(r, s, w)| at.get(&(*r, s + 1)) == Some(w))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people<'a>(spec: &[(&'a str, usize)], ids: &'a [String]) -> Vec<Person<'a>> {
        let mut out = Vec::new();
        let mut k = 0;
        for (school, n) in spec {
            for _ in 0..*n {
                out.push(Person {
                    id: &ids[k],
                    school,
                });
                k += 1;
            }
        }
        out
    }

    fn rows<'a>(placed: &[Placement], ps: &[Person<'a>]) -> Vec<(usize, u32, &'a str)> {
        placed
            .iter()
            .map(|(r, s, i)| (*r, *s, ps[*i].school))
            .collect()
    }

    #[test]
    fn a_possible_mix_has_no_same_school_neighbours() {
        let ids: Vec<String> = (0..60).map(|i| format!("R{i:03}")).collect();
        let ps = people(&[("A", 30), ("B", 20), ("C", 10)], &ids);
        let rooms = vec![
            Space {
                seats: 25,
                ..Default::default()
            },
            Space {
                seats: 40,
                ..Default::default()
            },
        ];
        let placed = arrange(7, &rooms, &ps);
        assert_eq!(placed.len(), 60);
        assert_eq!(same_school_neighbours(&rows(&placed, &ps)), 0);
        // Every seat at most once, never above the room's seats.
        let mut seen = std::collections::HashSet::new();
        for (r, s, _) in &placed {
            assert!(*s >= 1 && *s <= rooms[*r].seats);
            assert!(seen.insert((*r, *s)));
        }
    }

    #[test]
    fn an_impossible_mix_keeps_neighbours_to_the_minimum() {
        let ids: Vec<String> = (0..15).map(|i| format!("R{i:03}")).collect();
        let ps = people(&[("A", 10), ("B", 5)], &ids);
        let rooms = vec![Space {
            seats: 15,
            ..Default::default()
        }];
        let placed = arrange(1, &rooms, &ps);
        // 10 of A need 9 others between them; 5 leave 4 pairs.
        assert_eq!(same_school_neighbours(&rows(&placed, &ps)), 4);
    }

    #[test]
    fn the_same_seed_gives_the_same_seats_and_taken_seats_are_kept() {
        let ids: Vec<String> = (0..20).map(|i| format!("R{i:03}")).collect();
        let ps = people(&[("A", 10), ("B", 10)], &ids);
        let mut taken = HashMap::new();
        taken.insert(2, "A");
        let rooms = vec![Space { seats: 30, taken }];
        let one = arrange(99, &rooms, &ps);
        assert_eq!(one, arrange(99, &rooms, &ps));
        assert_ne!(one, arrange(100, &rooms, &ps));
        assert!(one.iter().all(|(_, s, _)| *s != 2));
        // Seats 1 and 3 sit beside the taken seat 2 (school A).
        let beside: Vec<&str> = one
            .iter()
            .filter(|(_, s, _)| *s == 1 || *s == 3)
            .map(|(_, _, i)| ps[*i].school)
            .collect();
        assert_eq!(beside, vec!["B", "B"]);
    }

    #[test]
    fn a_school_goes_shard_by_shard_in_id_order() {
        let ids: Vec<String> = (0..200).map(|i| format!("01REG{i:05}")).collect();
        let ps = people(&[("A", 200)], &ids);
        let rooms = vec![Space {
            seats: 200,
            ..Default::default()
        }];
        let placed = arrange(5, &rooms, &ps);
        let order: Vec<(u8, &str)> = placed
            .iter()
            .map(|(_, _, i)| (shard::of(ps[*i].id), ps[*i].id))
            .collect();
        // Each shard's ids come together, ascending.
        let mut shards_seen = Vec::new();
        for w in order.windows(2) {
            if w[0].0 == w[1].0 {
                assert!(w[0].1 < w[1].1, "{w:?}");
            } else {
                shards_seen.push(w[0].0);
            }
        }
        shards_seen.push(order.last().unwrap().0);
        let mut distinct = shards_seen.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            shards_seen.len(),
            "a shard once: {shards_seen:?}"
        );
        // Another seed takes the shards in another order.
        let other = arrange(6, &rooms, &ps);
        assert_ne!(placed, other);
    }

    #[test]
    fn too_few_seats_seat_what_fits() {
        let ids: Vec<String> = (0..5).map(|i| format!("R{i}")).collect();
        let ps = people(&[("A", 5)], &ids);
        let rooms = vec![Space {
            seats: 3,
            ..Default::default()
        }];
        assert_eq!(rooms[0].free(), 3);
        assert_eq!(arrange(0, &rooms, &ps).len(), 3);
    }
}
