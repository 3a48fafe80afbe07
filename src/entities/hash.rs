//! Small, fast, deterministic hashing for feature strings and lexicon keys.
//!
//! Feature strings are never built: a feature is a template number mixed with hashes of the word
//! pieces it looks at, and the weight table is indexed by the top bits of the mixed value.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes `b` into the running hash `a`.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(26) ^ b).wrapping_mul(K)
}

/// The MurmurHash3 finaliser: spreads all input bits over the output.
#[inline]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Hash of a byte string.
#[inline]
pub fn bytes(s: &[u8]) -> u64 {
    let mut h: u64 = 0x1234_5678_9abc_def1;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w));
    }
    let mut last = [0u8; 8];
    let rest = chunks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    mix(mix(h, u64::from_le_bytes(last)), s.len() as u64)
}

/// Hash of a string.
#[inline]
pub fn str_hash(s: &str) -> u64 {
    bytes(s.as_bytes())
}

/// A `Hasher` for keys that are already good 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by precomputed 64-bit hashes.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// Lower-cases `s` into `buf` (cleared first).
pub fn lower_into(s: &str, buf: &mut String) {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            buf.extend(c.to_lowercase());
        }
    }
}

/// Hash of the lower-cased form of `s`.
pub fn lower_hash(s: &str) -> u64 {
    let mut buf = String::with_capacity(s.len());
    lower_into(s, &mut buf);
    str_hash(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_distinct() {
        assert_eq!(str_hash("abc"), str_hash("abc"));
        assert_ne!(str_hash("abc"), str_hash("abd"));
        assert_ne!(str_hash(""), str_hash("\0"));
        assert_eq!(lower_hash("ÉCOLE"), str_hash("école"));
    }
}
