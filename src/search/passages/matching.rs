//! Finding matches: the text is tokenized once (by each analyzer the query needs), then every
//! term and phrase occurrence becomes a [`Hit`] with its byte span.

use std::collections::HashMap;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::{Matcher, TermMatchKind};

/// Phrase occurrences count this many times their weight.
const PHRASE_BONUS: f32 = 2.0;

/// Weights are clamped to this, so sums stay finite.
const MAX_WEIGHT: f32 = 1.0e6;

/// The largest fuzzy distance honoured.
const MAX_FUZZY_DISTANCE: u8 = 2;

/// Partial phrase matches kept per word; only reached with huge slops on repetitive text.
const MAX_STATES: usize = 64;

/// Occurrences of a phrase word examined per step; bounds the work for huge slops.
const MAX_SCAN: usize = 1024;

/// One word of the text, as the analyzers cut it.
#[derive(Debug, Clone, Copy)]
struct Word {
    from: usize,
    to: usize,
}

/// One occurrence of a query term or phrase in the text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Hit {
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset just past its last byte.
    pub end: usize,
    /// Index of its first word in the text (for proximity).
    pub first: usize,
    /// Index of its last word in the text.
    pub last: usize,
    /// Which query term or phrase: terms first, then phrases, in [`Matcher`] order.
    pub key: usize,
    /// The spans to highlight when they are not simply `start..end` (a sloppy phrase: each
    /// matched word); empty otherwise.
    pub parts: Vec<(usize, usize)>,
}

/// A phrase's shape (its words live in [`Compiled::phrase_words`]).
#[derive(Debug, Clone)]
struct Phrase {
    key: usize,
    len: usize,
    slop: i64,
}

/// A fuzzy query word.
#[derive(Debug, Clone)]
struct Fuzzy {
    word: String,
    chars: Vec<char>,
    distance: usize,
    key: usize,
}

/// A [`Matcher`] turned into lookup tables.
#[derive(Debug, Clone, Default)]
pub(super) struct Compiled {
    weights: Vec<f32>,
    stems: HashMap<String, Vec<usize>>,
    prefixes: Vec<(String, usize)>,
    fuzzies: Vec<Fuzzy>,
    phrases: Vec<Phrase>,
    /// Word → (phrase index, word index in the phrase).
    phrase_words: HashMap<String, Vec<(usize, usize)>>,
}

/// A weight the caller gave, made usable.
fn sanitize(weight: f32) -> f32 {
    if weight.is_finite() && weight >= 0.0 {
        weight.min(MAX_WEIGHT)
    } else {
        1.0
    }
}

impl Compiled {
    /// Builds the tables. Empty words, prefixes and phrases match nothing.
    pub(super) fn new(matcher: &Matcher) -> Compiled {
        let mut compiled = Compiled::default();
        for term in &matcher.terms {
            let key = compiled.weights.len();
            compiled.weights.push(sanitize(term.weight));
            match &term.kind {
                TermMatchKind::Stem(stem) if !stem.is_empty() => {
                    compiled.stems.entry(stem.clone()).or_default().push(key);
                }
                TermMatchKind::Prefix(prefix) if !prefix.is_empty() => {
                    compiled.prefixes.push((prefix.clone(), key));
                }
                TermMatchKind::Fuzzy { word, distance } if !word.is_empty() => {
                    compiled.fuzzies.push(Fuzzy {
                        word: word.clone(),
                        chars: word.chars().collect(),
                        distance: usize::from((*distance).min(MAX_FUZZY_DISTANCE)),
                        key,
                    });
                }
                _ => {}
            }
        }
        for phrase in &matcher.phrases {
            let key = compiled.weights.len();
            compiled
                .weights
                .push(sanitize(phrase.weight) * PHRASE_BONUS);
            if phrase.words.is_empty() || phrase.words.iter().any(String::is_empty) {
                continue;
            }
            let index = compiled.phrases.len();
            compiled.phrases.push(Phrase {
                key,
                len: phrase.words.len(),
                slop: i64::from(phrase.slop),
            });
            for (i, word) in phrase.words.iter().enumerate() {
                let entry = compiled.phrase_words.entry(word.clone()).or_default();
                entry.push((index, i));
            }
        }
        compiled
    }

    /// Weight of each key (terms, then phrases with their bonus).
    pub(super) fn weights(&self) -> &[f32] {
        &self.weights
    }

    fn needs_stems(&self) -> bool {
        !self.stems.is_empty() || !self.prefixes.is_empty() || !self.fuzzies.is_empty()
    }

    fn needs_exact(&self) -> bool {
        !self.prefixes.is_empty() || !self.fuzzies.is_empty() || !self.phrases.is_empty()
    }

    /// Every hit in `text`, sorted by start (then end, then key).
    pub(super) fn find(
        &self,
        stemmed: &mut TextAnalyzer,
        exact: &mut TextAnalyzer,
        text: &str,
    ) -> Vec<Hit> {
        let mut words: Vec<Word> = Vec::new();
        let mut term_hits: Vec<(usize, usize)> = Vec::new();
        let mut postings: Vec<Vec<Vec<(usize, usize)>>> = self
            .phrases
            .iter()
            .map(|p| vec![Vec::new(); p.len])
            .collect();
        let valid = |from: usize, to: usize| {
            from < to && text.is_char_boundary(from) && text.is_char_boundary(to)
        };

        let stems_ran = self.needs_stems();
        if stems_ran {
            let mut stream = stemmed.token_stream(text);
            while let Some(token) = stream.next() {
                if !valid(token.offset_from, token.offset_to) {
                    continue;
                }
                let tok = words.len();
                words.push(Word {
                    from: token.offset_from,
                    to: token.offset_to,
                });
                if let Some(keys) = self.stems.get(token.text.as_str()) {
                    term_hits.extend(keys.iter().map(|&key| (tok, key)));
                }
                self.match_affixes(&token.text, tok, &mut term_hits);
            }
        }

        if self.needs_exact() {
            let mut stream = exact.token_stream(text);
            let mut next_tok = 0;
            while let Some(token) = stream.next() {
                if !valid(token.offset_from, token.offset_to) {
                    continue;
                }
                let tok = if stems_ran {
                    // Same tokenizer and filters up to stemming: the words line up one to one.
                    match words.get(next_tok) {
                        Some(word) if word.from == token.offset_from => next_tok,
                        _ => match words.binary_search_by_key(&token.offset_from, |w| w.from) {
                            Ok(tok) => tok,
                            Err(_) => continue,
                        },
                    }
                } else {
                    words.push(Word {
                        from: token.offset_from,
                        to: token.offset_to,
                    });
                    words.len() - 1
                };
                next_tok = tok + 1;
                self.match_affixes(&token.text, tok, &mut term_hits);
                if let Some(entries) = self.phrase_words.get(token.text.as_str()) {
                    for &(phrase, word) in entries {
                        if let Some(list) = postings.get_mut(phrase).and_then(|p| p.get_mut(word)) {
                            list.push((token.position, tok));
                        }
                    }
                }
            }
        }

        term_hits.sort_unstable();
        term_hits.dedup();
        let mut hits: Vec<Hit> = term_hits
            .into_iter()
            .filter_map(|(tok, key)| {
                let word = words.get(tok)?;
                Some(Hit {
                    start: word.from,
                    end: word.to,
                    first: tok,
                    last: tok,
                    key,
                    parts: Vec::new(),
                })
            })
            .collect();
        for (phrase, lists) in self.phrases.iter().zip(&postings) {
            phrase_hits(phrase, lists, &words, &mut hits);
        }
        hits.sort_unstable_by(|a, b| (a.start, a.end, a.key).cmp(&(b.start, b.end, b.key)));
        hits
    }

    /// Records prefix and fuzzy matches of one word form (folded text or stem).
    fn match_affixes(&self, form: &str, tok: usize, out: &mut Vec<(usize, usize)>) {
        for (prefix, key) in &self.prefixes {
            if form.starts_with(prefix.as_str()) {
                out.push((tok, *key));
            }
        }
        for fuzzy in &self.fuzzies {
            if fuzzy_match(fuzzy, form) {
                out.push((tok, fuzzy.key));
            }
        }
    }
}

/// Whether `form` is within the fuzzy word's distance.
fn fuzzy_match(fuzzy: &Fuzzy, form: &str) -> bool {
    if form.is_ascii() && fuzzy.word.is_ascii() {
        within_distance(form.as_bytes(), fuzzy.word.as_bytes(), fuzzy.distance)
    } else {
        let chars: Vec<char> = form.chars().collect();
        within_distance(&chars, &fuzzy.chars, fuzzy.distance)
    }
}

/// Whether the optimal-string-alignment distance (Levenshtein plus adjacent transpositions)
/// between `a` and `b` is at most `max`.
fn within_distance<T: PartialEq>(a: &[T], b: &[T], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    const STACK: usize = 64;
    let width = b.len() + 1;
    if width <= STACK {
        let mut rows = [0usize; 3 * STACK];
        distance_rows(a, b, max, &mut rows[..3 * width])
    } else {
        let mut rows = vec![0usize; 3 * width];
        distance_rows(a, b, max, &mut rows)
    }
}

/// The dynamic programme behind [`within_distance`], on three rotating rows in `rows`.
fn distance_rows<T: PartialEq>(a: &[T], b: &[T], max: usize, rows: &mut [usize]) -> bool {
    let width = b.len() + 1;
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let cur = (i % 3) * width;
        let prev = ((i - 1) % 3) * width;
        let prev2 = ((i + 1) % 3) * width;
        rows[cur] = i;
        let mut row_min = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[prev + j] + 1)
                .min(rows[cur + j - 1] + 1)
                .min(rows[prev + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[prev2 + j - 2] + 1);
            }
            rows[cur + j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return false;
        }
    }
    rows[(a.len() % 3) * width + width - 1] <= max
}

/// A partial phrase match: the word chosen for one phrase word.
#[derive(Debug, Clone, Copy)]
struct State {
    /// Position minus the word's index in the phrase.
    adjusted: i64,
    /// Slop spent so far.
    cost: i64,
    tok: usize,
    /// The state it extends, in the previous level.
    back: usize,
}

/// Adds one hit per occurrence of `phrase` (one per occurrence of its first word at most).
///
/// `lists[i]` holds (position, word index) of the text words equal to phrase word `i`, by
/// position. Like tantivy's sloppy phrase query, an occurrence costs the sum over consecutive
/// phrase words of how far their position shifts from the previous word's (position minus
/// index in the phrase); it counts when the cost is at most the slop.
fn phrase_hits(phrase: &Phrase, lists: &[Vec<(usize, usize)>], words: &[Word], out: &mut Vec<Hit>) {
    if lists.len() != phrase.len || lists.iter().any(Vec::is_empty) {
        return;
    }
    let Some((first_list, rest)) = lists.split_first() else {
        return;
    };
    let slop = phrase.slop;
    let mut levels: Vec<Vec<State>> = vec![Vec::new(); phrase.len];
    for &(pos0, tok0) in first_list {
        levels[0].clear();
        levels[0].push(State {
            adjusted: pos0 as i64,
            cost: 0,
            tok: tok0,
            back: 0,
        });
        let mut complete = true;
        for (offset, list) in rest.iter().enumerate() {
            let index = offset as i64 + 1;
            let (done, todo) = levels.split_at_mut(offset + 1);
            let (Some(prev), Some(cur)) = (done.last(), todo.first_mut()) else {
                complete = false;
                break;
            };
            cur.clear();
            let lowest = prev.iter().map(|s| s.adjusted).min().unwrap_or(0);
            let highest = prev.iter().map(|s| s.adjusted).max().unwrap_or(0);
            let (lo, hi) = (lowest - slop + index, highest + slop + index);
            let from = list.partition_point(|&(pos, _)| (pos as i64) < lo);
            let candidates = list[from..]
                .iter()
                .take_while(|&&(pos, _)| pos as i64 <= hi);
            for &(pos, tok) in candidates.take(MAX_SCAN) {
                let adjusted = pos as i64 - index;
                let best = prev
                    .iter()
                    .enumerate()
                    .map(|(back, s)| (s.cost + (adjusted - s.adjusted).abs(), back))
                    .min();
                if let Some((cost, back)) = best {
                    if cost <= slop {
                        cur.push(State {
                            adjusted,
                            cost,
                            tok,
                            back,
                        });
                        if cur.len() >= MAX_STATES {
                            break;
                        }
                    }
                }
            }
            if cur.is_empty() {
                complete = false;
                break;
            }
        }
        if complete {
            if let Some(hit) = build_phrase_hit(phrase.key, &levels, words) {
                out.push(hit);
            }
        }
    }
}

/// Turns the cheapest complete match in `levels` into a hit.
fn build_phrase_hit(key: usize, levels: &[Vec<State>], words: &[Word]) -> Option<Hit> {
    let last = levels.last()?;
    let (mut index, best) = last.iter().enumerate().min_by_key(|(_, s)| s.cost)?;
    let cost = best.cost;
    let mut toks = Vec::with_capacity(levels.len());
    for level in levels.iter().rev() {
        let state = level.get(index)?;
        toks.push(state.tok);
        index = state.back;
    }
    let first = *toks.iter().min()?;
    let last = *toks.iter().max()?;
    let spans: Vec<(usize, usize)> = toks
        .iter()
        .filter_map(|&tok| words.get(tok).map(|w| (w.from, w.to)))
        .collect();
    let start = spans.iter().map(|s| s.0).min()?;
    let end = spans.iter().map(|s| s.1).max()?;
    let parts = if cost == 0 {
        Vec::new()
    } else {
        let mut parts = spans;
        parts.sort_unstable();
        parts.dedup();
        parts
    };
    Some(Hit {
        start,
        end,
        first,
        last,
        key,
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_transpositions() {
        let d = |a: &str, b: &str, max| within_distance(a.as_bytes(), b.as_bytes(), max);
        assert!(d("kitten", "kitten", 0));
        assert!(!d("kitten", "sitten", 0));
        assert!(d("kitten", "sitten", 1));
        assert!(d("kitten", "sittin", 2));
        assert!(!d("kitten", "sitting", 2));
        assert!(d("form", "from", 1), "a transposition is one edit");
        assert!(d("", "ab", 2));
        assert!(!d("", "abc", 2));
        let long = "a".repeat(100);
        assert!(
            d(&long, &format!("{long}b"), 1),
            "long words use the heap rows"
        );
    }
}
