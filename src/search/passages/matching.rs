//! Finding matches: the text is tokenized once (by each analyzer the query needs), then every
//! term and phrase occurrence becomes a [`Hit`] with its byte span.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::distance::within_distance;
use super::phrase::phrase_hits;
use super::{Matcher, TermMatchKind};

/// Phrase occurrences count this many times their weight.
const PHRASE_BONUS: f32 = 2.0;

/// Weights are clamped to this, so sums stay finite.
const MAX_WEIGHT: f32 = 1.0e6;

/// The largest fuzzy distance honoured.
const MAX_FUZZY_DISTANCE: u8 = 2;

/// Memoised stems beyond this many words are forgotten (a request's articles share most words).
const MAX_MEMO: usize = 100_000;

/// Stems single exact-analyzer words, remembering the results.
///
/// The stemmed analyzer is the exact analyzer followed by English Snowball stemming (see
/// [`crate::schema`]), so stemming an exact word gives the stemmed analyzer's token; a test
/// guards this. Stemming only the words that can matter is what keeps long articles fast.
#[derive(Clone)]
pub(super) struct StemCache {
    stemmer: frostem::Stemmer,
    memo: FxHashMap<String, String>,
}

impl StemCache {
    pub(super) fn new() -> StemCache {
        StemCache {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            memo: FxHashMap::default(),
        }
    }

    /// The stem of `word` (an exact-analyzer token).
    pub(super) fn stem(&mut self, word: &str) -> &str {
        if !self.memo.contains_key(word) {
            if self.memo.len() >= MAX_MEMO {
                self.memo.clear();
            }
            let stem = self.stemmer.stem(word).into_owned();
            self.memo.insert(word.to_owned(), stem);
        }
        self.memo.get(word).map_or("", String::as_str)
    }
}

/// One word of the text, as the analyzers cut it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    /// Byte offset of its first byte.
    pub from: usize,
    /// Byte offset just past its last byte.
    pub to: usize,
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
    /// Which query term, phrase or entity: terms first, then phrases, then entities, in
    /// [`Matcher`] order.
    pub key: usize,
    /// The spans to highlight when they are not simply `start..end` (a sloppy phrase: each
    /// matched word); empty otherwise.
    pub parts: Vec<(usize, usize)>,
}

/// A phrase's shape (its words live in [`Compiled::phrase_words`]).
#[derive(Debug, Clone)]
pub(super) struct Phrase {
    /// Its key (see [`Hit::key`]).
    pub key: usize,
    /// How many words it has.
    pub len: usize,
    /// The slop allowed.
    pub slop: i64,
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
    stems: FxHashMap<String, Vec<usize>>,
    prefixes: Vec<(String, usize)>,
    fuzzies: Vec<Fuzzy>,
    phrases: Vec<Phrase>,
    /// Word → (phrase index, word index in the phrase).
    phrase_words: FxHashMap<String, Vec<(usize, usize)>>,
    /// The key of each entity the query names, in [`Matcher`] order.
    entity_keys: Vec<usize>,
    /// First letters of the stem terms.
    stem_initials: Vec<char>,
    /// First letters of the stem terms, prefixes and phrase words: an ASCII word starting with
    /// none of them (lower-cased) can match none of them, and its folded form is not built.
    initials: Vec<char>,
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
        let initials = compiled.stems.keys().filter_map(|s| s.chars().next());
        let mut initials: Vec<char> = initials.collect();
        initials.sort_unstable();
        initials.dedup();
        compiled.stem_initials = initials;
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
        for entity in &matcher.entities {
            compiled.entity_keys.push(compiled.weights.len());
            compiled
                .weights
                .push(sanitize(entity.weight) * PHRASE_BONUS);
        }
        let words = compiled.phrase_words.keys();
        let prefixes = compiled.prefixes.iter().map(|(prefix, _)| prefix);
        let mut initials: Vec<char> = words
            .chain(prefixes)
            .filter_map(|w| w.chars().next())
            .chain(compiled.stem_initials.iter().copied())
            .collect();
        initials.sort_unstable();
        initials.dedup();
        compiled.initials = initials;
        compiled
    }

    /// Weight of each key (terms, then phrases with their bonus).
    pub(super) fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// Whether no word can match (nothing to look for, or only empty words).
    fn matches_nothing(&self) -> bool {
        self.stems.is_empty()
            && self.prefixes.is_empty()
            && self.fuzzies.is_empty()
            && self.phrases.is_empty()
    }

    /// Whether the stem of the exact word `form` could equal a stem term: Snowball English
    /// keeps a word's first letter, so only words starting like a stem term are stemmed.
    fn may_stem_to_a_match(&self, form: &str) -> bool {
        form.chars()
            .next()
            .is_some_and(|first| self.stem_initials.contains(&first))
    }

    /// Every hit in `text`, sorted by start (then end, then key).
    ///
    /// The text goes through the exact analyzer once; words that could match a stem are
    /// stemmed one by one through `stems` (memoised), which gives the stemmed analyzer's result.
    /// `mentions` are the byte ranges of `text` where entity number `k` (in [`Matcher`] order)
    /// is mentioned, as `(start, end, k)`.
    pub(super) fn find(
        &self,
        exact: &mut TextAnalyzer,
        stems: &mut StemCache,
        text: &str,
        mentions: &[(usize, usize, usize)],
    ) -> Vec<Hit> {
        if self.matches_nothing() && mentions.is_empty() {
            return Vec::new();
        }
        let mut words: Vec<Word> = Vec::new();
        let mut term_hits: Vec<(usize, usize)> = Vec::new();
        let mut postings: Vec<Vec<Vec<(usize, usize)>>> = self
            .phrases
            .iter()
            .map(|p| vec![Vec::new(); p.len])
            .collect();
        // Most words of an article start with a letter no query word starts with: their folded
        // form is never built (building every form was two thirds of this function). An edit
        // may change a fuzzy word's first letter.
        let every_form = !self.fuzzies.is_empty();
        let wanted = |first: char| every_form || self.initials.contains(&first);
        scan_words(exact, text, wanted, |word, position, form| {
            let tok = words.len();
            words.push(word);
            let Some(form) = form else {
                return;
            };
            self.match_affixes(form, tok, &mut term_hits);
            let phrase_entries = match self.phrase_words.is_empty() {
                true => None,
                false => self.phrase_words.get(form),
            };
            for &(phrase, word) in phrase_entries.into_iter().flatten() {
                if let Some(list) = postings.get_mut(phrase).and_then(|p| p.get_mut(word)) {
                    list.push((position, tok));
                }
            }
            if self.may_stem_to_a_match(form) {
                if let Some(keys) = self.stems.get(stems.stem(form)) {
                    term_hits.extend(keys.iter().map(|&key| (tok, key)));
                }
            }
        });

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
        for &(start, end, k) in mentions {
            let first = words.partition_point(|word| word.to <= start);
            let after = words.partition_point(|word| word.from < end);
            if let (Some(&key), true) = (self.entity_keys.get(k), first < after) {
                hits.push(Hit {
                    start,
                    end,
                    first,
                    last: after - 1,
                    key,
                    parts: Vec::new(),
                });
            }
        }
        hits.sort_unstable_by_key(|hit| (hit.start, hit.end, hit.key));
        hits
    }

    /// Records prefix and fuzzy matches of one exact (folded, unstemmed) word.
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

/// Cuts `text` into the exact analyzer's words, calling `on_word` with each word, its position
/// and — when `wanted` says its first letter (lower-cased, ASCII) may matter, or it is not
/// ASCII — its folded form.
///
/// The words are those of [`crate::words::WordTokenizer`] (a test holds the two together):
/// runs of letters and digits, words of [`crate::words::MAX_WORD_BYTES`] or more skipped with
/// their position counted.
fn scan_words(
    exact: &mut TextAnalyzer,
    text: &str,
    wanted: impl Fn(char) -> bool,
    mut on_word: impl FnMut(Word, usize, Option<&str>),
) {
    let mut form = String::new();
    let mut at = 0;
    let mut position = 0usize;
    while let Some((from, to, ascii)) = crate::words::next_word(text, at) {
        at = to;
        let word_position = position;
        position += 1;
        let Some(original) = text.get(from..to) else {
            continue;
        };
        if original.len() >= crate::words::MAX_WORD_BYTES {
            continue;
        }
        let word = Word { from, to };
        let first = original
            .bytes()
            .next()
            .map(|b| char::from(b.to_ascii_lowercase()));
        if ascii && !first.is_some_and(&wanted) {
            on_word(word, word_position, None);
            continue;
        }
        form.clear();
        if ascii {
            form.push_str(original);
            form.make_ascii_lowercase();
        } else if let Some(token) = exact.token_stream(original).next() {
            form.push_str(&token.text);
        }
        on_word(word, word_position, Some(&form));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{exact_analyzer, stemmed_analyzer, tokens};

    /// Words built to hit Snowball's rewriting rules, plus some real text.
    fn sample() -> String {
        let roots = [
            "y", "yo", "dy", "ly", "ty", "sk", "cr", "hop", "happ", "relat", "valen", "organ",
            "sensit", "ab", "gener", "na", "ugl", "ear", "on", "gent", "id", "sing", "Ü", "ß", "é",
            "1", "x2", "ion", "eed", "agree", "dis", "ii", "aa",
        ];
        let suffixes = [
            "", "s", "es", "ies", "ied", "y", "ing", "ed", "ly", "ation", "ational", "ization",
            "ize", "ness", "fulness", "ousness", "iveness", "ility", "ibility", "ably", "ence",
            "ency", "al", "ally", "ical", "ies'", "e", "le", "ingly", "edly", "eed", "eedly",
            "ying", "'s", "ss", "sses", "ement", "ments", "er", "ers", "ist", "ism",
        ];
        let mut text = String::from(
            "The Café’s naïve señor was deported; deportations of dying skies, lying news. \
             Generously, the U.S. organisations gently singly idly ugly early only howe atlas. ",
        );
        for root in roots {
            for suffix in suffixes {
                text.push_str(root);
                text.push_str(suffix);
                text.push(' ');
            }
        }
        text.push_str(&"a".repeat(39));
        text.push(' ');
        text.push_str(&"ß".repeat(20));
        text
    }

    /// The words, positions and forms `scan_words` gives are the exact analyzer's tokens.
    #[test]
    fn scanned_words_are_the_exact_analyzers_tokens() {
        let mut texts = vec![
            sample(),
            "Bukele's U.S. plan, 2025 — OK “quoted” naïve Ærø ﬁne 東京".to_string(),
            format!("{} next {} é", "b".repeat(40), "é".repeat(20)),
            String::new(),
        ];
        // Pieces glued in every order of three, as a tokenizer's edge cases come in pairs.
        let long = "a".repeat(39);
        let pieces = [
            "Oil",
            "’s",
            " ",
            "-",
            "é",
            "x2",
            ".",
            "ǅ",
            long.as_str(),
            "\n",
            "Ü",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut exact = exact_analyzer();
        for text in texts {
            let mut expected = Vec::new();
            let mut stream = exact_analyzer();
            let mut tokens = stream.token_stream(&text);
            while let Some(token) = tokens.next() {
                expected.push((
                    token.offset_from,
                    token.offset_to,
                    token.position,
                    token.text.clone(),
                ));
            }
            let mut scanned = Vec::new();
            scan_words(
                &mut exact,
                &text,
                |_| true,
                |word, position, form| {
                    scanned.push((
                        word.from,
                        word.to,
                        position,
                        form.unwrap_or("?").to_string(),
                    ));
                },
            );
            assert_eq!(scanned, expected, "{text:?}");
            // Unwanted ASCII words come without a form, at the same places.
            let mut places = Vec::new();
            scan_words(
                &mut exact,
                &text,
                |_| false,
                |word, position, form| {
                    assert!(form.is_none() || !text[word.from..word.to].is_ascii());
                    places.push((word.from, word.to, position));
                },
            );
            let expected_places: Vec<_> = expected.iter().map(|t| (t.0, t.1, t.2)).collect();
            assert_eq!(places, expected_places, "{text:?}");
        }
    }

    #[test]
    fn stemming_exact_words_equals_the_stemmed_analyzer() {
        let text = sample();
        let stemmed = tokens(stemmed_analyzer(), &text);
        let exact = tokens(exact_analyzer(), &text);
        assert_eq!(stemmed.len(), exact.len());
        let mut cache = StemCache::new();
        for (word, expected) in exact.iter().zip(&stemmed) {
            assert_eq!(cache.stem(word), expected, "stem of {word:?}");
            // What `may_stem_to_a_match` relies on.
            assert_eq!(
                word.chars().next(),
                expected.chars().next(),
                "{word:?} → {expected:?}"
            );
        }
    }
}
