//! Gazetteers: lists of place names, person names, demonyms and company suffixes, matched over token
//! sequences (case-insensitively, longest match first) and used as tagger features.

use super::hash::{lower_hash, mix, HashKeyed};
use super::tokenize::{tokenize, Token};

/// Category names in the gazetteer file, in bit order.
pub const CATEGORIES: &[&str] = &[
    "CITY", "COUNTRY", "DEMONYM", "STATE", "REGION", "FIRST", "LAST", "ORGSUF",
];

/// Longest phrase matched, in tokens.
const MAX_LEN: usize = 6;

/// Phrase lists keyed by hashes of their lower-cased token sequences.
///
/// One table holds every phrase and every proper prefix of one, so matching from a token walks
/// forward one probe per token and stops at the first sequence that starts no phrase: most
/// tokens cost one probe, and "the" (which starts "The Hague") two, not one per possible length.
#[derive(Default)]
pub struct Gazetteer {
    sequences: HashKeyed<Sequence>,
    /// Number of distinct phrases.
    phrases: usize,
}

/// What a token sequence is in the gazetteer.
#[derive(Debug, Clone, Copy, Default)]
struct Sequence {
    /// Categories of the phrase it is (0: none).
    categories: u16,
    /// True when some longer phrase starts with it.
    prefix: bool,
}

/// Where a token falls in gazetteer matches: bit `c` of `begin` = starts a match of category `c`,
/// of `inside` = continues one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GazMatch {
    /// Categories of matches that begin at this token.
    pub begin: u16,
    /// Categories of matches that cover this token after their first token.
    pub inside: u16,
}

/// The hash of the empty sequence; a sequence's hash mixes in each token's in turn.
const SEED: u64 = 0x5eed;

impl Gazetteer {
    /// Reads `CATEGORY<TAB>phrase` lines; unknown categories and malformed lines are skipped.
    pub fn parse(data: &str) -> Gazetteer {
        let mut g = Gazetteer::default();
        for line in data.lines() {
            let Some((cat, phrase)) = line.split_once('\t') else {
                continue;
            };
            let Some(bit) = CATEGORIES.iter().position(|c| *c == cat) else {
                continue;
            };
            let toks = tokenize(phrase);
            if toks.is_empty() || toks.len() > MAX_LEN {
                continue;
            }
            let mut h = SEED;
            for (k, t) in toks.iter().enumerate() {
                h = mix(h, lower_hash(t.text(phrase)));
                let seq = g.sequences.entry(h).or_default();
                if k + 1 < toks.len() {
                    seq.prefix = true;
                } else {
                    g.phrases += usize::from(seq.categories == 0);
                    seq.categories |= 1 << bit;
                }
            }
        }
        g
    }

    /// Number of distinct phrases.
    pub fn len(&self) -> usize {
        self.phrases
    }

    /// True when no phrase is loaded.
    pub fn is_empty(&self) -> bool {
        self.phrases == 0
    }

    /// Matches over one sentence, given the lower-case hashes of its tokens.
    pub fn matches(&self, lower: &[u64]) -> Vec<GazMatch> {
        let mut out = vec![GazMatch::default(); lower.len()];
        // (length, categories) of the phrases starting at the current token, shortest first.
        let mut found: Vec<(usize, u16)> = Vec::new();
        for i in 0..lower.len() {
            found.clear();
            let mut h = SEED;
            for (l, &word) in lower[i..].iter().take(MAX_LEN).enumerate() {
                h = mix(h, word);
                let Some(seq) = self.sequences.get(&h) else {
                    break;
                };
                if seq.categories != 0 {
                    found.push((l + 1, seq.categories));
                }
                if !seq.prefix {
                    break;
                }
            }
            // Longest first: a category is claimed by the longest phrase of it starting here.
            let mut claimed: u16 = 0;
            for &(l, mask) in found.iter().rev() {
                let new = mask & !claimed;
                if new == 0 {
                    continue;
                }
                claimed |= new;
                out[i].begin |= new;
                for m in &mut out[i + 1..i + l] {
                    m.inside |= new;
                }
            }
        }
        out
    }

    /// Convenience for tests and tools: matches over raw text tokens.
    pub fn matches_text(&self, text: &str, toks: &[Token]) -> Vec<GazMatch> {
        let lower: Vec<u64> = toks.iter().map(|t| lower_hash(t.text(text))).collect();
        self.matches(&lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_per_category() {
        let g = Gazetteer::parse(
            "COUNTRY\tEl Salvador\nCITY\tSalvador\nFIRST\tNayib\nCOUNTRY\tU.S.\nbad line\n",
        );
        assert_eq!(g.len(), 4);
        let text = "to EL SALVADOR and the U.S.";
        let toks = tokenize(text);
        let m = g.matches_text(text, &toks);
        assert_eq!(m[1].begin, 1 << 1);
        assert_eq!(m[2].inside, 1 << 1);
        assert_eq!(m[2].begin, 1);
        assert_eq!(m[5].begin, 1 << 1);
        assert_eq!(m[0], GazMatch::default());
    }

    #[test]
    fn phrases_are_found_through_prefixes_that_are_not_phrases() {
        let g = Gazetteer::parse("CITY\tNew York City\nSTATE\tNew York\nCITY\tYork\nLAST\tCity\n");
        assert_eq!(g.len(), 4);
        let text = "new york city new jersey york";
        let m = g.matches_text(text, &tokenize(text));
        // "new york city" (CITY) and "new york" (STATE) both start at "new".
        assert_eq!(m[0].begin, 1 | 1 << 3);
        assert_eq!(m[1].inside, 1 | 1 << 3);
        // "york" (CITY) inside the longer CITY match still begins its own.
        assert_eq!(m[1].begin, 1);
        assert_eq!(m[2].inside, 1);
        assert_eq!(m[2].begin, 1 << 6);
        // "new jersey" is no phrase: the walk stops after "new", nothing is marked.
        assert_eq!(m[3], GazMatch::default());
        assert_eq!(m[4], GazMatch::default());
        assert_eq!(m[5].begin, 1);
    }
}
