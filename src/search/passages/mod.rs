//! Passages: the best few stretches of an article for a query, and the exact byte ranges to
//! highlight in them (and in titles).
//!
//! The engine returns data, renderers decide how it looks: a [`Passage`] is plain text plus sorted,
//! non-overlapping byte ranges. Everything here is pure and never panics on any input.
//!
//! # How words match
//!
//! The text is tokenized once per call with the index's exact analyzer
//! ([`crate::schema::exact_analyzer`]); the stemmed analyzer is that same analyzer plus English
//! Snowball stemming, so words that could match a stem are stemmed one by one (memoised for the
//! whole request) and get exactly the stem the index gave them. A word is highlighted when the
//! index would have matched it:
//!
//! - [`TermMatchKind::Stem`]: the word's stem equals the given stem ("deported" → `deport`).
//! - [`TermMatchKind::Prefix`]: the word's folded, unstemmed text starts with the prefix.
//! - [`TermMatchKind::Fuzzy`]: the word's folded, unstemmed text is within the edit distance
//!   (at most 2; an adjacent transposition counts as one edit, as in tantivy's
//!   `FuzzyTermQuery` with `transposition_cost_one`).
//! - [`PhraseMatch`]: the words occur at consecutive positions (with slop: the sum of
//!   position shifts is at most `slop`, like tantivy's sloppy phrase query). An exact occurrence
//!   is highlighted as **one span** from its first word's start to its last word's end; a sloppy
//!   occurrence (words apart or reordered) highlights **each matched word** as its own span, so the
//!   words in between are not marked. Phrase words elsewhere are not highlighted unless they are
//!   also given as plain terms.
//!   The search for one phrase's occurrences stops after about four million comparisons per
//!   text, which only a hostile text (one word repeated thousands of times) and a huge slop
//!   reach; later occurrences then go unmarked, so the work per hit stays bounded.
//!
//! # How passages are cut
//!
//! - The text is split into paragraphs and sentences. A sentence ends at `.`, `!` or `?` (with
//!   any closing quotes or brackets right after it, so `."` and `.”` stay with their sentence)
//!   followed by whitespace and an upper-case letter, a digit or an opening quote or bracket; or at
//!   `。`, `！`, `？`. It does not end after a single letter (initials, `U.S.`, `e.g.`) or a
//!   common abbreviation (`Mr.`, `Dr.`, `St.`, `Gen.`, `Jan.`, `Sept.`, `No.` before a number, …).
//!   Where more than a tenth of the lines are long (over 150 bytes: not wrapped by hand), every
//!   line break separates paragraphs — web text often holds a paragraph or a subheading per
//!   line. Otherwise paragraphs are separated by blank lines, and single line breaks are soft
//!   wraps inside a paragraph. In a text without any blank line where some lines (not all)
//!   start indented — hard-wrapped wire copy and mail, as Reuters — an indented line starts a
//!   paragraph and the other line breaks are wraps. In any other text, every line break
//!   separates paragraphs (one paragraph per line).
//! - A candidate passage is 1–3 consecutive sentences of one paragraph, at most
//!   [`MAX_PASSAGE_CHARS`] characters, containing at least one match. A sentence longer than that is
//!   cut around its matches at word boundaries (at whitespace when there is any).
//! - A candidate's score sums, for each distinct query term or phrase it contains, its weight
//!   with diminishing returns for repeats (×1, ×½, ×¼, …; phrases count double), plus a
//!   proximity bonus for each pair of different terms, larger the closer they are (at most half
//!   the smaller weight, for adjacent words).
//! - Candidates are ranked by score; ties (at a precision of 0.001) go to the length nearest
//!   [`TARGET_PASSAGE_BYTES`] (in buckets of 50 bytes), then to the window whose matches sit
//!   nearest its middle (so context comes from both sides), then to the earliest. They are
//!   picked greedily, best first, so that returned passages never overlap.
//! - In a sentence too long to fit, a window starts up to 60 characters before a match (at a
//!   word start) and runs to the budget (ending at a word end); it is moved back to use the
//!   whole budget when it reaches the sentence's end.
//! - `…` is prepended unless the passage starts the text or a paragraph, and appended unless it
//!   ends the text or a paragraph. So a passage made of a paragraph's middle sentences reads
//!   `…Middle sentence.…`: the reader always knows text was left out.
//! - A passage highlights only matches lying wholly inside it: a phrase occurrence that
//!   straddles its edge (a sloppy one, or one running across a sentence end) is left unmarked
//!   there rather than shown in part.
//! - The passage text is the source slice with line breaks and tabs turned into spaces (same
//!   byte length, so offsets map one to one), after the optional leading `…` (3 bytes).
//! - Entities the query names (`--person`, `org:"…"`, [`EntityMatch`]) match where the caller's
//!   entity mentions say they are mentioned: "Bukele" in an article that names "Nayib Bukele",
//!   "U.S." for "United States". Such a mention is highlighted whole and weighs like a phrase.
//! - When nothing matches, the lead is returned instead: the first sentence, plus the second if
//!   it belongs to the same paragraph and the two fit, with score 0 and no highlights.

mod distance;
mod matching;
mod phrase;
mod sentences;
mod windows;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use std::fmt;

use tantivy::tokenizer::TextAnalyzer;

use crate::model::{EntityKind, Mention};
use crate::schema::{exact_analyzer, keyword_analyzer};

use matching::{Compiled, Hit, StemCache};
use windows::Window;

/// Longest passage, in characters, not counting the `…` marks.
pub const MAX_PASSAGE_CHARS: usize = 300;

/// Preferred passage length in bytes (a tie-breaker between equally good candidates).
pub const TARGET_PASSAGE_BYTES: usize = 200;

/// The mark put where text was cut.
pub const ELLIPSIS: &str = "…";

/// What to look for, built once per request from the query (by the caller).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matcher {
    /// Plain words: the stemmed form (output of `stemmed_analyzer` on the query word) and its
    /// weight (idf-like, given by the caller; use 1.0 if unknown).
    pub terms: Vec<TermMatch>,
    /// Quoted phrases: their exact-analyzer words in order, slop, weight.
    pub phrases: Vec<PhraseMatch>,
    /// Entities asked for: their mentions match (see [`Highlighter::passages_with`]).
    pub entities: Vec<EntityMatch>,
}

/// One plain query word.
#[derive(Debug, Clone, PartialEq)]
pub struct TermMatch {
    /// How a text word is compared with it.
    pub kind: TermMatchKind,
    /// Its importance (idf-like). Negative or non-finite weights count as 1.0.
    pub weight: f32,
}

/// How a text word is compared with a query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermMatchKind {
    /// The word's stemmed text equals this.
    Stem(String),
    /// The word's exact (unstemmed, folded) text starts with this (already folded and
    /// lower-cased by the caller). An empty prefix matches nothing.
    Prefix(String),
    /// The word's exact text is within Levenshtein `distance` (clamped to 2; an adjacent
    /// transposition counts as one edit) of `word`.
    Fuzzy {
        /// The query word, folded and lower-cased.
        word: String,
        /// The largest edit distance allowed.
        distance: u8,
    },
}

/// One quoted phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct PhraseMatch {
    /// Its words as the exact analyzer produces them, in order.
    pub words: Vec<String>,
    /// How many position shifts in total are allowed (0: exactly these words, in order).
    pub slop: u32,
    /// Its importance. Negative or non-finite weights count as 1.0.
    pub weight: f32,
}

/// An entity the query asks for: a mention of it is a match.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMatch {
    /// The types it may have (`person:` persons only, `entity:` any of the indexed three).
    pub kinds: Vec<EntityKind>,
    /// Canonical names, as the index keeps them ([`crate::schema::normalise_keyword`]): a
    /// mention whose normalised name is one of these matches.
    pub names: Vec<String>,
    /// Match a name that holds one of `names` as a word instead (a bare `person:bukele`
    /// matches "nayib bukele"), as the keyword field's word query does.
    pub word_of_name: bool,
    /// Its importance. Negative or non-finite weights count as 1.0.
    pub weight: f32,
}

impl EntityMatch {
    /// Whether a mention of `kind` with the normalised name `name` is this entity.
    fn matches(&self, kind: EntityKind, name: &str) -> bool {
        self.kinds.contains(&kind)
            && self.names.iter().any(|wanted| {
                if self.word_of_name {
                    holds_word(name, wanted)
                } else {
                    name == wanted
                }
            })
    }
}

/// Whether `word` occurs in `name` between non-alphanumeric characters or the ends (the
/// keyword field's word query: `(.*[^a-z0-9])?word([^a-z0-9].*)?`).
fn holds_word(name: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit()));
    name.match_indices(word).any(|(at, _)| {
        edge(name[..at].chars().next_back()) && edge(name[at + word.len()..].chars().next())
    })
}

/// One passage of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// The passage, with `…` prepended/appended where text was cut.
    pub text: String,
    /// How well it matches (0 for the lead returned when nothing matches).
    pub score: f32,
    /// Byte ranges of matches in `text`: sorted, non-overlapping, on char boundaries.
    pub highlights: Vec<(usize, usize)>,
    /// Byte offset of the passage (without the ellipsis) in the source text.
    pub start: usize,
}

/// Finds matches and passages for one query; build it once per request and reuse it for every
/// hit (it owns the analyzers).
#[derive(Clone)]
pub struct Highlighter {
    exact: TextAnalyzer,
    keyword: TextAnalyzer,
    stems: StemCache,
    compiled: Compiled,
    entities: Vec<EntityMatch>,
}

impl fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Highlighter")
            .field("matcher", &self.compiled)
            .finish_non_exhaustive()
    }
}

impl Highlighter {
    /// Prepares the analyzers and lookup tables for `matcher`.
    pub fn new(matcher: Matcher) -> Highlighter {
        Highlighter {
            exact: exact_analyzer(),
            keyword: keyword_analyzer(),
            stems: StemCache::new(),
            compiled: Compiled::new(&matcher),
            entities: matcher.entities,
        }
    }

    /// Whether the query names entities, so that passages need the text's entity mentions.
    pub fn wants_mentions(&self) -> bool {
        !self.entities.is_empty()
    }

    /// Highlight ranges over a whole short text (a title): every matching word; a phrase as one
    /// span where it occurs exactly (each matched word when it occurs within slop only).
    pub fn highlight(&mut self, text: &str) -> Vec<(usize, usize)> {
        self.highlight_with(text, &[])
    }

    /// [`Highlighter::highlight`] with the entity mentions of `text` (byte offsets into it).
    pub fn highlight_with(&mut self, text: &str, mentions: &[Mention]) -> Vec<(usize, usize)> {
        let hits = self.find(text, mentions);
        highlights_within(&hits, 0, text.len(), 0)
    }

    /// The best `n` passages of `text`, best first, never overlapping.
    ///
    /// When nothing matches, the lead (first one or two sentences) with score 0 and no
    /// highlights. Empty only when `text` has no visible characters or `n` is 0.
    pub fn passages(&mut self, text: &str, n: usize) -> Vec<Passage> {
        self.passages_with(text, n, &[])
    }

    /// [`Highlighter::passages`] where the entities the query names also match, at `mentions`
    /// (the entity mentions of `text`, byte offsets into it; others are ignored).
    pub fn passages_with(&mut self, text: &str, n: usize, mentions: &[Mention]) -> Vec<Passage> {
        if n == 0 || text.trim().is_empty() {
            return Vec::new();
        }
        let hits = self.find(text, mentions);
        let chosen = if hits.is_empty() {
            Vec::new()
        } else {
            let sentences: Vec<_> = sentences::Sentences::new(text).collect();
            windows::best(text, &sentences, &hits, self.compiled.weights(), n)
        };
        if chosen.is_empty() {
            return windows::lead(text)
                .map(|window| render(text, &window, &[]))
                .into_iter()
                .collect();
        }
        chosen
            .iter()
            .map(|window| render(text, window, &hits))
            .collect()
    }
}

impl Highlighter {
    /// Term and phrase hits, and the mentions of entities the query names.
    fn find(&mut self, text: &str, mentions: &[Mention]) -> Vec<Hit> {
        let mut wanted = Vec::new();
        for mention in mentions {
            if text.get(mention.start..mention.end).is_none() || mention.start == mention.end {
                continue;
            }
            let name = crate::schema::normalise_keyword_with(&mut self.keyword, &mention.name);
            if let Some(k) = self
                .entities
                .iter()
                .position(|e| e.matches(mention.kind, &name))
            {
                wanted.push((mention.start, mention.end, k));
            }
        }
        self.compiled
            .find(&mut self.exact, &mut self.stems, text, &wanted)
    }
}

/// Builds the passage text and its shifted highlights for one window of `source`.
fn render(source: &str, window: &Window, hits: &[Hit]) -> Passage {
    let body = source.get(window.start..window.end).unwrap_or("");
    let mut text = String::with_capacity(body.len() + 2 * ELLIPSIS.len());
    if !window.starts_clean {
        text.push_str(ELLIPSIS);
    }
    let shift = text.len();
    text.extend(body.chars().map(|c| match c {
        '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' => ' ',
        other => other,
    }));
    if !window.ends_clean {
        text.push_str(ELLIPSIS);
    }
    Passage {
        highlights: highlights_within(hits, window.start, window.end, shift),
        text,
        score: window.score,
        start: window.start,
    }
}

/// The merged highlight spans of the hits lying wholly inside `start..end` of the source, moved
/// so that `start` lands at `shift`.
fn highlights_within(hits: &[Hit], start: usize, end: usize, shift: usize) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let first = hits.partition_point(|hit| hit.start < start);
    for hit in hits[first..].iter().take_while(|hit| hit.start < end) {
        if hit.end > end {
            continue;
        }
        if hit.parts.is_empty() {
            spans.push((hit.start, hit.end));
        } else {
            spans.extend(hit.parts.iter().copied());
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    for span in &mut merged {
        *span = (
            span.0.saturating_sub(start) + shift,
            span.1.saturating_sub(start) + shift,
        );
    }
    merged
}
