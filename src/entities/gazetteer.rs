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
#[derive(Default)]
pub struct Gazetteer {
    phrases: HashKeyed<u16>,
    /// For each first token, the longest phrase starting with it.
    firsts: HashKeyed<u8>,
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

fn seq_hash(hashes: impl Iterator<Item = u64>) -> u64 {
    hashes.fold(0x5eed_u64, mix)
}

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
            let hashes: Vec<u64> = toks.iter().map(|t| lower_hash(t.text(phrase))).collect();
            *g.phrases
                .entry(seq_hash(hashes.iter().copied()))
                .or_default() |= 1 << bit;
            let m = g.firsts.entry(hashes[0]).or_default();
            *m = (*m).max(toks.len() as u8);
        }
        g
    }

    /// Number of distinct phrases.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// True when no phrase is loaded.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Matches over one sentence, given the lower-case hashes of its tokens.
    pub fn matches(&self, lower: &[u64]) -> Vec<GazMatch> {
        let mut out = vec![GazMatch::default(); lower.len()];
        for i in 0..lower.len() {
            let Some(&maxl) = self.firsts.get(&lower[i]) else {
                continue;
            };
            let maxl = (maxl as usize).min(lower.len() - i);
            let mut claimed: u16 = 0;
            for l in (1..=maxl).rev() {
                let Some(&mask) = self.phrases.get(&seq_hash(lower[i..i + l].iter().copied()))
                else {
                    continue;
                };
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
}
