//! Choosing passages: candidate windows of whole sentences around hits (or cuts of one long
//! sentence), their scores, and a greedy pick of the best ones that do not overlap.

use std::cmp::Reverse;

use super::matching::Hit;
use super::sentences::{Sentence, Sentences};
use super::{MAX_PASSAGE_CHARS, TARGET_PASSAGE_BYTES};

/// Most sentences in one passage.
const MAX_SENTENCES: usize = 3;

/// Context kept before the first match when a long sentence is cut, in characters.
const CONTEXT_CHARS: usize = 60;

/// Each repeat of a term counts this fraction of the previous one.
const REPEAT_DECAY: f32 = 0.5;

/// Proximity bonus for two different terms side by side, as a fraction of the smaller weight.
const PROXIMITY: f32 = 0.5;

/// Passage lengths this close (in bytes) count as equally good.
const LENGTH_BUCKET: usize = 50;

/// How candidates are ordered, best first: score, then length near the target, then matches
/// near the middle, then position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    score: Reverse<i64>,
    length: usize,
    centring: usize,
    start: usize,
}

/// What [`Scorer::score`] finds in a window.
#[derive(Debug, Clone, Copy)]
struct Scored {
    score: f32,
    /// Start of the first hit inside.
    first: usize,
    /// End of the last hit inside.
    last: usize,
}

/// A stretch of the source chosen (or considered) as a passage.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Window {
    /// Byte offset of its first character in the source.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// Its score.
    pub score: f32,
    /// It begins the text or a paragraph (no leading `…`).
    pub starts_clean: bool,
    /// It ends the text or a paragraph (no trailing `…`).
    pub ends_clean: bool,
}

/// The best `n` non-overlapping windows containing hits, best first (empty if none contain one).
pub(super) fn best(
    text: &str,
    sentences: &[Sentence],
    hits: &[Hit],
    weights: &[f32],
    n: usize,
) -> Vec<Window> {
    let mut candidates = Vec::new();
    let mut previous = None;
    let mut next_anchor = 0;
    let mut s = 0;
    for hit in hits {
        while sentences
            .get(s)
            .is_some_and(|sentence| sentence.end <= hit.start)
        {
            s += 1;
        }
        let Some(sentence) = sentences.get(s) else {
            break;
        };
        if sentence.start > hit.start {
            continue;
        }
        if fits(text, sentence.start, sentence.end) {
            if previous != Some(s) {
                sentence_windows(text, sentences, s, &mut candidates);
            }
        } else if hit.start >= next_anchor {
            let window = cut_around(text, sentence, hit.start);
            // Hits in the first half of this cut anchor nearly the same window: skip them.
            next_anchor = window.start + (window.end - window.start) / 2;
            candidates.push(window);
        }
        previous = Some(s);
    }
    candidates.sort_unstable_by_key(|w| (w.start, w.end));
    candidates.dedup_by_key(|w| (w.start, w.end));

    let mut scorer = Scorer::new(hits, weights);
    let mut ranked: Vec<(Window, Rank)> = Vec::with_capacity(candidates.len());
    for mut window in candidates {
        let Some(scored) = scorer.score(window.start, window.end) else {
            continue;
        };
        window.score = scored.score;
        let length = window.end - window.start;
        let rank = Rank {
            // Fixed precision, so that ties are real ties.
            score: Reverse((f64::from(scored.score) * 1000.0).round() as i64),
            length: length.abs_diff(TARGET_PASSAGE_BYTES) / LENGTH_BUCKET,
            // Twice the distance between the window's middle and the matches' middle.
            centring: (window.start + window.end).abs_diff(scored.first + scored.last),
            start: window.start,
        };
        ranked.push((window, rank));
    }
    ranked.sort_unstable_by_key(|(_, rank)| *rank);

    let mut chosen: Vec<Window> = Vec::with_capacity(n.min(ranked.len()));
    for (window, _) in ranked {
        if chosen.len() >= n {
            break;
        }
        if chosen
            .iter()
            .all(|c| window.end <= c.start || window.start >= c.end)
        {
            chosen.push(window);
        }
    }
    chosen
}

/// The lead: the first sentence, plus the second if it is in the same paragraph and both fit;
/// a first sentence too long to fit is cut at a word boundary. `None` for a blank text.
pub(super) fn lead(text: &str) -> Option<Window> {
    let mut sentences = Sentences::new(text);
    let first = sentences.next()?;
    if !fits(text, first.start, first.end) {
        let limit = advance_chars(text, first.start, first.end, MAX_PASSAGE_CHARS);
        return Some(Window {
            start: first.start,
            end: word_end_at_or_before(text, first.start, limit),
            score: 0.0,
            starts_clean: first.para_start,
            ends_clean: false,
        });
    }
    let mut window = Window {
        start: first.start,
        end: first.end,
        score: 0.0,
        starts_clean: first.para_start,
        ends_clean: first.para_end,
    };
    if !first.para_end {
        if let Some(second) = sentences.next() {
            if fits(text, first.start, second.end) {
                window.end = second.end;
                window.ends_clean = second.para_end;
            }
        }
    }
    Some(window)
}

/// Adds every window of up to [`MAX_SENTENCES`] sentences of one paragraph that contains
/// sentence `s` and fits.
fn sentence_windows(text: &str, sentences: &[Sentence], s: usize, out: &mut Vec<Window>) {
    for first in s.saturating_sub(MAX_SENTENCES - 1)..=s {
        for last in s..first + MAX_SENTENCES {
            let (Some(a), Some(b)) = (sentences.get(first), sentences.get(last)) else {
                break;
            };
            let one_paragraph = sentences[first..last].iter().all(|x| !x.para_end);
            if !one_paragraph || !fits(text, a.start, b.end) {
                continue;
            }
            out.push(Window {
                start: a.start,
                end: b.end,
                score: 0.0,
                starts_clean: a.para_start,
                ends_clean: b.para_end,
            });
        }
    }
}

/// A window of at most [`MAX_PASSAGE_CHARS`] inside a too-long `sentence`, starting a little
/// before `anchor` (a match) at a word start and ending at a word end.
fn cut_around(text: &str, sentence: &Sentence, anchor: usize) -> Window {
    let (lo, hi) = (sentence.start, sentence.end);
    let before = text.get(lo..anchor).unwrap_or("");
    let mut start = match before.char_indices().rev().nth(CONTEXT_CHARS - 1) {
        Some((i, _)) if i > 0 => word_start_at_or_after(text, lo + i, anchor),
        _ => lo,
    };
    let limit = advance_chars(text, start, hi, MAX_PASSAGE_CHARS);
    let end = if limit >= hi {
        // The sentence's end is in reach: spend the whole budget, moving the start back.
        let back = back_chars(text, lo, hi, MAX_PASSAGE_CHARS);
        if back < start {
            start = if back > lo {
                word_start_at_or_after(text, back, start)
            } else {
                lo
            };
        }
        hi
    } else {
        word_end_at_or_before(text, start, limit)
    };
    Window {
        start,
        end,
        score: 0.0,
        starts_clean: start == lo && sentence.para_start,
        ends_clean: end == hi && sentence.para_end,
    }
}

/// Whether `text[start..end]` has at most [`MAX_PASSAGE_CHARS`] characters.
fn fits(text: &str, start: usize, end: usize) -> bool {
    let slice = text.get(start..end).unwrap_or("");
    slice.len() <= MAX_PASSAGE_CHARS || slice.chars().nth(MAX_PASSAGE_CHARS).is_none()
}

/// The byte offset `n` characters after `from`, at most `limit`.
fn advance_chars(text: &str, from: usize, limit: usize, n: usize) -> usize {
    let slice = text.get(from..limit).unwrap_or("");
    slice.char_indices().nth(n).map_or(limit, |(i, _)| from + i)
}

/// The byte offset `n` characters before `to`, at least `lo`.
fn back_chars(text: &str, lo: usize, to: usize, n: usize) -> usize {
    let slice = text.get(lo..to).unwrap_or("");
    match n.checked_sub(1) {
        Some(skip) => slice
            .char_indices()
            .rev()
            .nth(skip)
            .map_or(lo, |(i, _)| lo + i),
        None => to,
    }
}

/// The first word start in `from..=limit`: after whitespace if there is any, else after any
/// other non-word character; `limit` (a word start) if neither.
fn word_start_at_or_after(text: &str, from: usize, limit: usize) -> usize {
    let mut prev = text.get(..from).and_then(|s| s.chars().next_back());
    let mut fallback = None;
    for (i, c) in text.get(from..limit).unwrap_or("").char_indices() {
        if let Some(p) = prev {
            if p.is_whitespace() && !c.is_whitespace() {
                return from + i;
            }
            if fallback.is_none()
                && !c.is_whitespace()
                && !(p.is_alphanumeric() && c.is_alphanumeric())
            {
                fallback = Some(from + i);
            }
        }
        prev = Some(c);
    }
    fallback.unwrap_or(limit)
}

/// The last word end in `start+1..=to`: before whitespace if there is any, else before any
/// other non-word character; `to` if neither (a word longer than a passage).
fn word_end_at_or_before(text: &str, start: usize, to: usize) -> usize {
    let mut after = text.get(to..).and_then(|s| s.chars().next());
    let mut fallback = None;
    for (i, c) in text.get(start..to).unwrap_or("").char_indices().rev() {
        let p = start + i + c.len_utf8();
        if !c.is_whitespace() {
            if after.is_none_or(char::is_whitespace) {
                return p;
            }
            let inside_word = c.is_alphanumeric() && after.is_some_and(char::is_alphanumeric);
            if fallback.is_none() && !inside_word {
                fallback = Some(p);
            }
        }
        after = Some(c);
    }
    fallback.unwrap_or(to)
}

/// Scores windows, reusing its buffers between calls.
struct Scorer<'h> {
    hits: &'h [Hit],
    weights: &'h [f32],
    /// Occurrences of each key in the current window.
    counts: Vec<u32>,
    /// Best proximity bonus per pair of keys in the current window.
    pairs: Vec<(usize, usize, f32)>,
}

impl<'h> Scorer<'h> {
    fn new(hits: &'h [Hit], weights: &'h [f32]) -> Scorer<'h> {
        Scorer {
            hits,
            weights,
            counts: vec![0; weights.len()],
            pairs: Vec::new(),
        }
    }

    /// The score of `start..end` and where its hits are; `None` if no hit lies wholly inside.
    fn score(&mut self, start: usize, end: usize) -> Option<Scored> {
        let first = self.hits.partition_point(|hit| hit.start < start);
        let inside = self.hits[first..]
            .iter()
            .take_while(|hit| hit.start < end)
            .filter(|hit| hit.end <= end);
        let mut total = 0.0f32;
        let mut span: Option<(usize, usize)> = None;
        let mut previous: Option<&Hit> = None;
        self.pairs.clear();
        for hit in inside {
            span = Some(match span {
                Some((first, last)) => (first, last.max(hit.end)),
                None => (hit.start, hit.end),
            });
            let weight = self.weights.get(hit.key).copied().unwrap_or(0.0);
            if let Some(seen) = self.counts.get_mut(hit.key) {
                total += weight * REPEAT_DECAY.powi(i32::try_from(*seen).unwrap_or(i32::MAX));
                *seen = seen.saturating_add(1);
            }
            if let Some(prev) = previous.filter(|prev| prev.key != hit.key) {
                let prev_weight = self.weights.get(prev.key).copied().unwrap_or(0.0);
                let gap = hit.first.saturating_sub(prev.last + 1);
                let bonus = PROXIMITY * weight.min(prev_weight) / (1 + gap) as f32;
                let pair = (prev.key.min(hit.key), prev.key.max(hit.key));
                match self.pairs.iter_mut().find(|p| (p.0, p.1) == pair) {
                    Some(best) => best.2 = best.2.max(bonus),
                    None => self.pairs.push((pair.0, pair.1, bonus)),
                }
            }
            previous = Some(hit);
        }
        total += self.pairs.iter().map(|p| p.2).sum::<f32>();
        for hit in self.hits[first..].iter().take_while(|hit| hit.start < end) {
            if let Some(seen) = self.counts.get_mut(hit.key) {
                *seen = 0;
            }
        }
        span.map(|(first, last)| Scored {
            score: total,
            first,
            last,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_prefer_whitespace() {
        let text = "alpha beta-gamma delta";
        assert_eq!(word_end_at_or_before(text, 0, 9), 5, "cut before the space");
        assert_eq!(
            word_end_at_or_before(text, 0, 16),
            16,
            "a word end at the limit"
        );
        assert_eq!(word_start_at_or_after(text, 2, 17), 6);
        assert_eq!(
            word_end_at_or_before("abc-defgh", 0, 6),
            4,
            "no space: after punctuation"
        );
        assert_eq!(
            word_end_at_or_before("abcdefgh", 0, 5),
            5,
            "one huge word is cut"
        );
    }

    #[test]
    fn char_steps_stay_on_boundaries() {
        let text = "ééé";
        assert_eq!(advance_chars(text, 0, text.len(), 2), 4);
        assert_eq!(advance_chars(text, 0, text.len(), 9), 6);
        assert_eq!(back_chars(text, 0, text.len(), 1), 4);
        assert_eq!(back_chars(text, 0, text.len(), 9), 0);
        assert!(fits(text, 0, text.len()));
    }
}
