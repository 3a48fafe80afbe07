//! Word clusters and capitalisation statistics learned from unlabelled news (see
//! `examples/ner_clusters.rs`), looked up as tagger features.
//!
//! File format, one word per line: `word<TAB>fine<TAB>coarse<TAB>case` where `fine` and `coarse` are
//! cluster numbers (two granularities) and `case` tells how the word is usually written away from a
//! sentence start: `l` (lower case), `c` (capitalised), `m` (mixed), `-` (too rare to say).

use super::hash::{lower_hash, str_hash, HashKeyed};

/// What is known about one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordInfo {
    /// Fine cluster number.
    pub fine: u16,
    /// Coarse cluster number.
    pub coarse: u16,
    /// Usual case: `b'l'`, `b'c'`, `b'm'` or `b'-'`.
    pub case: u8,
}

/// Word → cluster and case lookup. One table holds both the exact spellings and the lower-cased
/// fallbacks, so a lower-case word costs one probe.
#[derive(Default)]
pub struct Clusters {
    /// Hash of a spelling → (entry for that exact spelling, entry for words lower-casing to it).
    words: HashKeyed<(Option<WordInfo>, Option<WordInfo>)>,
    len: usize,
}

impl Clusters {
    /// Parses the file format above; malformed lines are skipped. Earlier lines win for the
    /// lower-case fallback, so the file should list frequent forms first.
    pub fn parse(data: &str) -> Clusters {
        let mut c = Clusters::default();
        for line in data.lines() {
            let mut f = line.split('\t');
            let (Some(w), Some(fine), Some(coarse), Some(case)) =
                (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let (Ok(fine), Ok(coarse)) = (fine.parse::<u16>(), coarse.parse::<u16>()) else {
                continue;
            };
            let info = WordInfo {
                fine,
                coarse,
                case: case.bytes().next().unwrap_or(b'-'),
            };
            let exact = &mut c.words.entry(str_hash(w)).or_default().0;
            if exact.is_none() {
                *exact = Some(info);
                c.len += 1;
            }
            c.words
                .entry(lower_hash(w))
                .or_default()
                .1
                .get_or_insert(info);
        }
        c
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no word is loaded.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Looks a word up by the hashes of its exact and lower-cased forms.
    #[inline]
    pub fn get(&self, exact: u64, lower: u64) -> Option<WordInfo> {
        let hit = self.words.get(&exact);
        if let Some((Some(info), _)) = hit {
            return Some(*info);
        }
        if exact == lower {
            return hit.and_then(|e| e.1);
        }
        self.words.get(&lower).and_then(|e| e.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_then_lower_case() {
        let c = Clusters::parse("Bukele\t3\t1\tc\nmay\t7\t2\tl\nMay\t9\t4\tc\nbad\n");
        assert_eq!(c.len(), 3);
        let g = |w: &str| c.get(str_hash(w), lower_hash(w));
        assert_eq!(g("BUKELE").map(|i| i.fine), Some(3));
        assert_eq!(g("May").map(|i| i.fine), Some(9));
        assert_eq!(g("MAY").map(|i| i.case), Some(b'l'));
        assert_eq!(g("nobody"), None);
    }
}
