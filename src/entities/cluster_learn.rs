//! Learning word clusters and capitalisation statistics from unlabelled text (the data behind
//! [`super::clusters`]); run by `examples/ner_clusters.rs`.
//!
//! Method (deterministic for a given seed and input order): count each frequent word's left and
//! right neighbours (among the most frequent words), weight the counts by positive PMI, project them
//! to a small dense space with seeded random ±1 vectors, and group the words by spherical k-means
//! (fine clusters), then group the fine centroids again (coarse clusters). Alongside, count how often
//! each word is capitalised where case is informative (not sentence-initial, not in all-caps lines).

use std::collections::HashMap;

use rayon::prelude::*;

use super::hash::lower_into;
use super::tokenize::{sentences, tokenize};

/// Settings for [`learn`].
#[derive(Debug, Clone, Copy)]
pub struct ClusterOptions {
    /// Words seen fewer times are left out.
    pub min_count: u32,
    /// At most this many words (the most frequent).
    pub max_words: usize,
    /// Number of context words (most frequent, lower-cased).
    pub contexts: usize,
    /// Dimension of the projected vectors.
    pub dim: usize,
    /// Number of fine clusters.
    pub fine: usize,
    /// Number of coarse clusters.
    pub coarse: usize,
    /// k-means iterations.
    pub iterations: usize,
    /// Seed for the projection and the initial centroids.
    pub seed: u64,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            min_count: 3,
            max_words: 60_000,
            contexts: 1000,
            dim: 96,
            fine: 400,
            coarse: 40,
            iterations: 15,
            seed: 42,
        }
    }
}

/// Counts gathered from text, before clustering.
#[derive(Default)]
pub struct Counts {
    freq: HashMap<String, u32>,
    /// lower-cased word → (capitalised, lower-case) counts where case is informative.
    case: HashMap<String, (u32, u32)>,
    sentences: Vec<Vec<String>>,
}

impl Counts {
    /// Adds one text (an article, or a sentence per line).
    pub fn add_text(&mut self, text: &str) {
        let toks = tokenize(text);
        let mut lower = String::new();
        for (a, b) in sentences(text, &toks) {
            let words: Vec<&str> = toks[a..b].iter().map(|t| t.text(text)).collect();
            let letters = words
                .iter()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count();
            let all_caps = letters >= 2 && !words.iter().any(|w| w.chars().any(char::is_lowercase));
            let mut seen_word = false;
            for w in &words {
                *self.freq.entry((*w).to_string()).or_default() += 1;
                let first = w.chars().next().unwrap_or(' ');
                if first.is_alphabetic() && seen_word && !all_caps {
                    lower_into(w, &mut lower);
                    let e = self.case.entry(lower.clone()).or_default();
                    if first.is_uppercase() {
                        e.0 += 1;
                    } else if first.is_lowercase() {
                        e.1 += 1;
                    }
                }
                if w.chars().any(char::is_alphanumeric) {
                    seen_word = true;
                }
            }
            self.sentences
                .push(words.into_iter().map(str::to_string).collect());
        }
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn normalise(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// Spherical k-means over rows of `data` (`n × dim`); returns the assignment and the centroids.
fn kmeans(
    data: &[f32],
    dim: usize,
    k: usize,
    iterations: usize,
    seed: u64,
) -> (Vec<usize>, Vec<f32>) {
    let n = data.len() / dim;
    let k = k.min(n).max(1);
    // Initial centroids: k rows spread over the frequency-sorted list, jittered by the seed.
    let mut state = seed;
    let mut cent = Vec::with_capacity(k * dim);
    for c in 0..k {
        let base = c * n / k;
        let span = (n / k).max(1);
        let r = base + (splitmix(&mut state) as usize) % span;
        cent.extend_from_slice(&data[r.min(n - 1) * dim..(r.min(n - 1) + 1) * dim]);
    }
    let mut assign = vec![0usize; n];
    for _ in 0..iterations {
        assign = (0..n)
            .into_par_iter()
            .map(|i| {
                let row = &data[i * dim..(i + 1) * dim];
                let mut best = (f32::NEG_INFINITY, 0);
                for c in 0..k {
                    let s: f32 = row
                        .iter()
                        .zip(&cent[c * dim..(c + 1) * dim])
                        .map(|(a, b)| a * b)
                        .sum();
                    if s > best.0 {
                        best = (s, c);
                    }
                }
                best.1
            })
            .collect();
        let mut sum = vec![0f32; k * dim];
        let mut count = vec![0usize; k];
        for (i, &c) in assign.iter().enumerate() {
            count[c] += 1;
            for (s, x) in sum[c * dim..(c + 1) * dim]
                .iter_mut()
                .zip(&data[i * dim..(i + 1) * dim])
            {
                *s += x;
            }
        }
        for c in 0..k {
            if count[c] > 0 {
                let v = &mut sum[c * dim..(c + 1) * dim];
                normalise(v);
                cent[c * dim..(c + 1) * dim].copy_from_slice(v);
            }
        }
    }
    (assign, cent)
}

/// Clusters the counted words; returns the `clusters.tsv` text (most frequent words first).
pub fn learn(counts: &Counts, opts: ClusterOptions) -> String {
    let mut words: Vec<(&String, u32)> = counts
        .freq
        .iter()
        .filter(|(_, &n)| n >= opts.min_count)
        .map(|(w, &n)| (w, n))
        .collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    words.truncate(opts.max_words);
    let index: HashMap<&str, usize> = words
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i))
        .collect();
    // Context vocabulary: most frequent lower-cased forms.
    let mut lower_freq: HashMap<String, u32> = HashMap::new();
    let mut lbuf = String::new();
    for (w, n) in &words {
        lower_into(w, &mut lbuf);
        *lower_freq.entry(lbuf.clone()).or_default() += n;
    }
    let mut ctx_words: Vec<(String, u32)> = lower_freq.into_iter().collect();
    ctx_words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ctx_words.truncate(opts.contexts);
    let ctx_index: HashMap<&str, usize> = ctx_words
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i))
        .collect();
    let nctx = 4 * (opts.contexts + 2);
    let ctx_of = |w: Option<&String>, lbuf: &mut String| -> usize {
        match w {
            None => opts.contexts + 1,
            Some(w) => {
                lower_into(w, lbuf);
                ctx_index
                    .get(lbuf.as_str())
                    .copied()
                    .unwrap_or(opts.contexts)
            }
        }
    };
    // Co-occurrence counts: word × (position, context word); positions -2, -1, +1, +2.
    let mut co: Vec<HashMap<u32, f32>> = vec![HashMap::new(); words.len()];
    for s in &counts.sentences {
        let ids: Vec<usize> = s.iter().map(|w| ctx_of(Some(w), &mut lbuf)).collect();
        for (i, w) in s.iter().enumerate() {
            let Some(&wi) = index.get(w.as_str()) else {
                continue;
            };
            for (p, off) in [-2isize, -1, 1, 2].into_iter().enumerate() {
                let j = i as isize + off;
                let c = if j < 0 || j >= s.len() as isize {
                    opts.contexts + 1
                } else {
                    ids[j as usize]
                };
                *co[wi]
                    .entry((p * (opts.contexts + 2) + c) as u32)
                    .or_default() += 1.0;
            }
        }
    }
    // PPMI and random projection.
    // Sums in f64: exact for these integer counts, so the result does not depend on map order.
    let mut col = vec![0f64; nctx];
    let mut total = 0f64;
    for row in &co {
        for (&c, &v) in row {
            col[c as usize] += f64::from(v);
            total += f64::from(v);
        }
    }
    let dim = opts.dim;
    let mut state = opts.seed;
    let proj: Vec<f32> = (0..nctx * dim)
        .map(|_| {
            if splitmix(&mut state) & 1 == 0 {
                1.0
            } else {
                -1.0
            }
        })
        .collect();
    let data: Vec<f32> = co
        .par_iter()
        .flat_map_iter(|row| {
            let rsum: f64 = row.values().map(|&v| f64::from(v)).sum();
            let mut v = vec![0f32; dim];
            let mut keys: Vec<(&u32, &f32)> = row.iter().collect();
            keys.sort_by_key(|(c, _)| **c);
            for (&c, &x) in keys {
                let pmi = ((f64::from(x) * total) / (rsum * col[c as usize]).max(1e-9)).ln() as f32;
                if pmi > 0.0 {
                    for (a, r) in v
                        .iter_mut()
                        .zip(&proj[c as usize * dim..(c as usize + 1) * dim])
                    {
                        *a += pmi * r;
                    }
                }
            }
            normalise(&mut v);
            v
        })
        .collect();
    let (fine, cent) = kmeans(&data, dim, opts.fine, opts.iterations, opts.seed ^ 1);
    let (coarse_of_fine, _) = kmeans(&cent, dim, opts.coarse, opts.iterations, opts.seed ^ 2);
    let mut out = String::new();
    for (i, (w, _)) in words.iter().enumerate() {
        if w.contains(['\t', '\n']) {
            continue;
        }
        lower_into(w, &mut lbuf);
        let case = match counts.case.get(&lbuf) {
            Some(&(cap, low)) if cap + low >= 3 => {
                let r = cap as f32 / (cap + low) as f32;
                if r >= 0.9 {
                    'c'
                } else if r <= 0.1 {
                    'l'
                } else {
                    'm'
                }
            }
            _ => '-',
        };
        out.push_str(&format!(
            "{w}\t{}\t{}\t{case}\n",
            fine[i], coarse_of_fine[fine[i]]
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_are_deterministic_and_readable() {
        let mut c = Counts::default();
        for _ in 0..5 {
            c.add_text("Mr Smith went to Paris on Monday. Mrs Jones went to London on Friday.");
            c.add_text("The cat sat on the mat. The dog sat on the rug.");
        }
        let opts = ClusterOptions {
            fine: 4,
            coarse: 2,
            dim: 16,
            contexts: 20,
            ..Default::default()
        };
        let a = learn(&c, opts);
        assert_eq!(a, learn(&c, opts));
        let parsed = super::super::clusters::Clusters::parse(&a);
        assert!(parsed.len() > 10);
        assert!(a
            .lines()
            .any(|l| l.starts_with("went\t") && l.ends_with("\tl")));
    }
}
