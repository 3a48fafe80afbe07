//! Entities of texts seen before: wire copies, re-posts and re-exports are tagged once.
//!
//! Tagging is most of what enrichment costs, and news archives repeat themselves (the same agency
//! story filed under several paths, a feed exported twice). A text's entities depend on nothing
//! but the text, so a repeat can take them from the first copy. Memory stays small for archives
//! without repeats: a first sighting keeps only a 64-bit hash; entities are kept from the second
//! sighting on, keyed by a 128-bit hash of the exact text. Both tables are capped, so a huge
//! archive costs at most a few tens of MB and past the caps simply tags again.

use std::sync::{Mutex, PoisonError};

use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_128;

use crate::model::Entities;

/// Shards, so that parallel workers rarely wait on one another's lock.
const SHARDS: usize = 16;

/// Texts remembered as seen once (8 bytes each plus the table's slack: ~64 MB at most).
const MAX_SEEN: usize = 4_000_000;

/// Repeated texts whose entities are kept (a few hundred bytes each: ~50 MB at most).
const MAX_KEPT: usize = 150_000;

/// Thread-safe memo of the entities of repeated texts; shared by the workers of one run.
pub struct Repeats {
    shards: Vec<Mutex<Shard>>,
}

#[derive(Default)]
struct Shard {
    seen: FxHashSet<u64>,
    kept: FxHashMap<u128, Entities>,
}

impl Default for Repeats {
    fn default() -> Self {
        Repeats {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl Repeats {
    /// The entities of `text`: from an earlier copy when one was kept, else from `tag`.
    pub fn entities(&self, text: &str, tag: impl FnOnce() -> Entities) -> Entities {
        let key = xxh3_128(text.as_bytes());
        let shard = &self.shards[(key as usize) % SHARDS];
        let repeat = {
            // A worker that panicked mid-insert leaves a table that is still a valid memo.
            let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(entities) = shard.kept.get(&key) {
                return entities.clone();
            }
            let short = key as u64;
            let repeat = shard.seen.contains(&short);
            if !repeat && shard.seen.len() < MAX_SEEN / SHARDS {
                shard.seen.insert(short);
            }
            repeat
        };
        // Tag outside the lock: it is the slow part, and two workers tagging the same text at
        // once merely do the work twice.
        let entities = tag();
        if repeat {
            let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            if shard.kept.len() < MAX_KEPT / SHARDS {
                shard.kept.insert(key, entities.clone());
            }
        }
        entities
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(name: &str, calls: &mut u32) -> Entities {
        *calls += 1;
        Entities {
            persons: vec![name.to_string()],
            ..Entities::default()
        }
    }

    #[test]
    fn a_text_seen_twice_is_tagged_twice_then_never_again() {
        let repeats = Repeats::default();
        let mut calls = 0;
        let mut results = Vec::new();
        for _ in 0..5 {
            results.push(repeats.entities("Ada Lovelace wrote.", || tagged("Ada", &mut calls)));
        }
        assert_eq!(calls, 2);
        assert!(results.iter().all(|e| e.persons == ["Ada"]));
    }

    #[test]
    fn different_texts_never_share_entities() {
        let repeats = Repeats::default();
        let mut calls = 0;
        for _ in 0..3 {
            let a = repeats.entities("Ada wrote.", || tagged("Ada", &mut calls));
            let b = repeats.entities("Ada wrote!", || tagged("Bob", &mut calls));
            assert_eq!(a.persons, ["Ada"]);
            assert_eq!(b.persons, ["Bob"]);
        }
        assert_eq!(calls, 4);
    }

    #[test]
    fn kept_entities_are_capped() {
        let repeats = Repeats::default();
        let mut calls = 0;
        let texts: Vec<String> = (0..MAX_KEPT + 2_000).map(|i| format!("text {i}")).collect();
        for text in texts.iter().chain(&texts) {
            repeats.entities(text, || tagged("x", &mut calls));
        }
        let kept: usize = repeats
            .shards
            .iter()
            .map(|s| s.lock().map(|s| s.kept.len()).unwrap_or(0))
            .sum();
        assert!(kept <= MAX_KEPT, "{kept} kept");
        assert!(kept > MAX_KEPT / 2, "{kept} kept");
    }
}
