//! Labels (BIO over four entity types), first-order Viterbi decoding with BIO constraints, and
//! turning label sequences into spans.

use crate::model::EntityKind;

/// Number of labels: `O` plus `B-`/`I-` for each of the four types.
pub const N_LABELS: usize = 9;

/// Label names in index order (CoNLL spelling).
pub const LABELS: [&str; N_LABELS] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// The label index of `O`.
pub const OUTSIDE: usize = 0;

/// Label index of a CoNLL tag (`O`, `B-PER`, `I-LOC`, …); unknown tags are `O`.
pub fn label_of(tag: &str) -> usize {
    LABELS.iter().position(|l| *l == tag).unwrap_or(0)
}

/// The entity type of a label (`None` for `O`).
pub fn kind_of(label: usize) -> Option<EntityKind> {
    match label {
        1 | 2 => Some(EntityKind::Person),
        3 | 4 => Some(EntityKind::Organization),
        5 | 6 => Some(EntityKind::Place),
        7 | 8 => Some(EntityKind::Misc),
        _ => None,
    }
}

/// True for `I-` labels.
#[inline]
pub fn is_inside(label: usize) -> bool {
    label != 0 && label.is_multiple_of(2)
}

/// The entity type number of a label (0 for `O`; `B-X` and `I-X` share one).
#[inline]
pub fn group(label: usize) -> usize {
    label.div_ceil(2)
}

/// True when label `to` may follow label `from` (`from == N_LABELS` means sentence start).
#[inline]
pub fn allowed(from: usize, to: usize) -> bool {
    !is_inside(to) || (from < N_LABELS && from != 0 && group(from) == group(to))
}

/// Best label sequence for emission scores `em` (`n × N_LABELS`, row-major) and transition scores
/// `trans` (`(N_LABELS + 1) × N_LABELS`, the last row from the sentence start).
pub fn viterbi(em: &[f32], trans: &[f32], out: &mut Vec<usize>) {
    Decoder::new(trans).decode(em, false, false, out);
}

/// First-order Viterbi with the BIO constraints folded into the transitions once, for decoding
/// many stretches (a document's) with one model.
pub struct Decoder {
    /// `t[from][to]`; row `N_LABELS` is from the sentence start; forbidden moves are -inf.
    t: [[f32; N_LABELS]; N_LABELS + 1],
    back: Vec<[u8; N_LABELS]>,
}

impl Decoder {
    /// A decoder for transition scores `trans` (`(N_LABELS + 1) × N_LABELS`); too short a table
    /// decodes nothing.
    pub fn new(trans: &[f32]) -> Decoder {
        let mut t = [[f32::NEG_INFINITY; N_LABELS]; N_LABELS + 1];
        if trans.len() >= (N_LABELS + 1) * N_LABELS {
            for (from, row) in t.iter_mut().enumerate() {
                for (to, x) in row.iter_mut().enumerate() {
                    if allowed(from, to) {
                        *x = trans[from * N_LABELS + to];
                    }
                }
            }
        }
        Decoder {
            t,
            back: Vec::new(),
        }
    }

    /// The best labels for a stretch of a sentence whose neighbours may already be known `O`:
    /// `after_o` — the token before it is `O` (else the stretch starts the sentence);
    /// `before_o` — the token after it is `O` (else the stretch ends the sentence).
    /// Decoding the stretches between known `O`s this way gives the same labels as decoding the
    /// whole sentence with those tokens held at `O`.
    pub fn decode(&mut self, em: &[f32], after_o: bool, before_o: bool, out: &mut Vec<usize>) {
        out.clear();
        let n = em.len() / N_LABELS;
        let t = &self.t;
        if n == 0 || t[N_LABELS].iter().all(|x| *x == f32::NEG_INFINITY) {
            return;
        }
        let neg = f32::NEG_INFINITY;
        self.back.clear();
        self.back.resize(n, [0u8; N_LABELS]);
        let mut prev = [neg; N_LABELS];
        let start = if after_o { OUTSIDE } else { N_LABELS };
        for (y, p) in prev.iter_mut().enumerate() {
            *p = em[y] + t[start][y];
        }
        for i in 1..n {
            let mut cur = [neg; N_LABELS];
            let e = &em[i * N_LABELS..(i + 1) * N_LABELS];
            for y in 0..N_LABELS {
                // Only `B-X` and `I-X` may precede `I-X`: two candidates instead of nine.
                let (best, arg) = if is_inside(y) {
                    best_of(&prev, t, [y - 1, y].into_iter(), y)
                } else {
                    best_of(&prev, t, 0..N_LABELS, y)
                };
                cur[y] = best + e[y];
                self.back[i][y] = arg;
            }
            prev = cur;
        }
        if before_o {
            for (y, p) in prev.iter_mut().enumerate() {
                *p += t[y][OUTSIDE];
            }
        }
        let mut y = (0..N_LABELS).fold(0, |b, k| if prev[k] > prev[b] { k } else { b });
        out.resize(n, 0);
        for i in (0..n).rev() {
            out[i] = y;
            y = self.back[i][y] as usize;
        }
    }
}

/// The best score of reaching label `to` from the labels `from` (ascending), and which: the
/// first one on ties, label 0 when none is reachable.
#[inline]
fn best_of(
    prev: &[f32; N_LABELS],
    t: &[[f32; N_LABELS]; N_LABELS + 1],
    from: impl Iterator<Item = usize>,
    to: usize,
) -> (f32, u8) {
    let (mut best, mut arg) = (f32::NEG_INFINITY, 0u8);
    for p in from {
        let s = prev[p] + t[p][to];
        if s > best {
            best = s;
            arg = p as u8;
        }
    }
    (best, arg)
}

/// Spans `(first, last_exclusive, kind)` in a label sequence.
pub fn spans(labels: &[usize]) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let Some(kind) = kind_of(labels[i]) else {
            i += 1;
            continue;
        };
        let g = group(labels[i]);
        let mut j = i + 1;
        while j < labels.len() && is_inside(labels[j]) && group(labels[j]) == g {
            j += 1;
        }
        out.push((i, j, kind));
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeded scores in [-10, 10) (xorshift), for decoding random cases.
    fn scores(mut seed: u64) -> impl FnMut() -> f32 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 2000) as f32 / 100.0 - 10.0
        }
    }

    /// Decoding the stretches between tokens held at `O` equals decoding the whole sequence
    /// with those tokens forced to `O`.
    #[test]
    fn stretches_between_known_outsides_decode_like_the_whole() {
        let mut next = scores(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..300 {
            let n = 1 + (next().abs() as usize) % 12;
            let trans: Vec<f32> = (0..(N_LABELS + 1) * N_LABELS).map(|_| next()).collect();
            let mut em: Vec<f32> = (0..n * N_LABELS).map(|_| next()).collect();
            let held: Vec<bool> = (0..n).map(|_| next() > 3.0).collect();
            for (i, _) in held.iter().enumerate().filter(|(_, h)| **h) {
                for y in 0..N_LABELS {
                    em[i * N_LABELS + y] = if y == OUTSIDE { 0.0 } else { -1e6 };
                }
            }
            let mut whole = Vec::new();
            viterbi(&em, &trans, &mut whole);
            let mut pieces = vec![OUTSIDE; n];
            let mut lo = 0;
            while lo < n {
                if held[lo] {
                    lo += 1;
                    continue;
                }
                let hi = (lo + 1..n).find(|&k| held[k]).unwrap_or(n);
                let mut out = Vec::new();
                let stretch = &em[lo * N_LABELS..hi * N_LABELS];
                Decoder::new(&trans).decode(stretch, lo > 0, hi < n, &mut out);
                pieces[lo..hi].copy_from_slice(&out);
                lo = hi;
            }
            assert_eq!(whole, pieces, "held {held:?}");
        }
    }

    /// The decoder equals a plain Viterbi over all nine predecessors with forbidden moves at
    /// minus infinity.
    #[test]
    fn decoder_equals_the_plain_algorithm() {
        let mut next = scores(0x2545_f491_4f6c_dd1du64);
        for _ in 0..300 {
            let n = 1 + (next().abs() as usize) % 15;
            let trans: Vec<f32> = (0..(N_LABELS + 1) * N_LABELS).map(|_| next()).collect();
            let em: Vec<f32> = (0..n * N_LABELS).map(|_| next()).collect();
            let mut fast = Vec::new();
            viterbi(&em, &trans, &mut fast);
            assert_eq!(fast, plain_viterbi(&em, &trans));
        }
    }

    fn plain_viterbi(em: &[f32], trans: &[f32]) -> Vec<usize> {
        let n = em.len() / N_LABELS;
        let score = |from: usize, to: usize| {
            if allowed(from, to) {
                trans[from * N_LABELS + to]
            } else {
                f32::NEG_INFINITY
            }
        };
        let mut prev: Vec<f32> = (0..N_LABELS).map(|y| em[y] + score(N_LABELS, y)).collect();
        let mut back = vec![vec![0usize; N_LABELS]; n];
        for i in 1..n {
            let mut cur = vec![f32::NEG_INFINITY; N_LABELS];
            for y in 0..N_LABELS {
                let mut best = f32::NEG_INFINITY;
                for (p, &ps) in prev.iter().enumerate() {
                    let s = ps + score(p, y);
                    if s > best {
                        best = s;
                        back[i][y] = p;
                    }
                }
                cur[y] = best + em[i * N_LABELS + y];
            }
            prev = cur;
        }
        let mut y = (0..N_LABELS).fold(0, |b, k| if prev[k] > prev[b] { k } else { b });
        let mut out = vec![0; n];
        for i in (0..n).rev() {
            out[i] = y;
            y = back[i][y];
        }
        out
    }

    #[test]
    fn viterbi_respects_bio() {
        // Token 1 prefers I-PER after an O: must become something allowed.
        let mut em = vec![0.0; 2 * N_LABELS];
        em[0] = 1.0;
        em[N_LABELS + 2] = 5.0;
        em[N_LABELS + 1] = 1.0;
        let trans = vec![0.0; (N_LABELS + 1) * N_LABELS];
        let mut out = Vec::new();
        viterbi(&em, &trans, &mut out);
        assert!(allowed(out[0], out[1]));
        assert_eq!(out, vec![1, 2]);
    }

    #[test]
    fn spans_from_labels() {
        let l = [1, 2, 0, 5, 7, 8, 3];
        let s: Vec<_> = spans(&l).into_iter().map(|(a, b, _)| (a, b)).collect();
        assert_eq!(s, vec![(0, 2), (3, 4), (4, 6), (6, 7)]);
        assert_eq!(label_of("I-MISC"), 8);
        assert_eq!(label_of("weird"), 0);
    }
}
