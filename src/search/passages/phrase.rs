//! Phrase occurrences, exact or within slop, from the positions of their words.

use super::matching::{Hit, Phrase, Word};

/// Partial phrase matches kept per word; only reached with huge slops on repetitive text.
const MAX_STATES: usize = 64;

/// Occurrences of a phrase word examined per step; bounds the work for huge slops.
const MAX_SCAN: usize = 1024;

/// Comparisons (candidate word × partial match) per phrase and text. [`MAX_SCAN`] and
/// [`MAX_STATES`] bound one occurrence, this bounds them all: a text repeating a phrase word
/// thousands of times, searched with a huge slop, would otherwise cost billions of steps
/// (seconds per hit). Real articles stay far below it; past it, later occurrences go unmarked.
pub(super) const MAX_STEPS: usize = 1 << 22;

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
///
/// Returns the comparisons made, at most [`MAX_STEPS`] plus one occurrence's worth.
pub(super) fn phrase_hits(
    phrase: &Phrase,
    lists: &[Vec<(usize, usize)>],
    words: &[Word],
    out: &mut Vec<Hit>,
) -> usize {
    let mut steps = 0usize;
    if lists.len() != phrase.len || lists.iter().any(Vec::is_empty) {
        return steps;
    }
    let Some((first_list, rest)) = lists.split_first() else {
        return steps;
    };
    let slop = phrase.slop;
    let mut levels: Vec<Vec<State>> = vec![Vec::new(); phrase.len];
    for &(pos0, tok0) in first_list {
        if steps > MAX_STEPS {
            break;
        }
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
                steps += prev.len();
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
    steps
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

    type Lists = Vec<Vec<(usize, usize)>>;

    /// A phrase of `len` copies of one word, and the lists for a text of `n` copies of it.
    fn repeated(len: usize, n: usize, slop: i64) -> (Phrase, Lists, Vec<Word>) {
        let phrase = Phrase { key: 0, len, slop };
        let list: Vec<(usize, usize)> = (0..n).map(|i| (i, i)).collect();
        let words = (0..n)
            .map(|i| Word {
                from: 2 * i,
                to: 2 * i + 1,
            })
            .collect();
        (phrase, vec![list; len], words)
    }

    #[test]
    fn huge_slop_on_a_repetitive_text_stops_at_the_step_budget() {
        // Unbounded, this is 20,000 × 7 × 64 × 64 ≈ 570 million comparisons.
        let (phrase, lists, words) = repeated(8, 20_000, i64::from(u32::MAX));
        let mut hits = Vec::new();
        let steps = phrase_hits(&phrase, &lists, &words, &mut hits);
        let per_occurrence = (phrase.len - 1) * MAX_SCAN * MAX_STATES;
        assert!(steps <= MAX_STEPS + per_occurrence, "{steps} steps");
        assert!(!hits.is_empty(), "occurrences before the budget are kept");
    }

    #[test]
    fn an_ordinary_text_is_far_below_the_budget() {
        let (phrase, lists, words) = repeated(3, 20_000, 0);
        let mut hits = Vec::new();
        let steps = phrase_hits(&phrase, &lists, &words, &mut hits);
        assert!(steps < MAX_STEPS / 10, "{steps} steps");
        assert_eq!(hits.len(), 19_998, "every exact occurrence is found");
    }
}
