//! Training: reads CoNLL-2003 style files, aligns their labels with this tokenizer's tokens, and
//! trains the averaged structured perceptron (seeded, deterministic for a given seed and data).
//!
//! Each CoNLL document is turned into text exactly as the evaluation script does (tokens joined by
//! one space, sentences by a newline) and run through the same tokenizer, sentence splitter and
//! feature extraction as at run time, so training sees what tagging sees.

use rayon::prelude::*;

use super::decode::{group, is_inside, label_of, spans, viterbi, N_LABELS};
use super::features::{analyse, FeatureBuf, Lexicon, WordMemo};
use super::perceptron::{Model, TrainWeights};
use super::Tagger;
use crate::model::EntityKind;

/// One labelled document.
#[derive(Debug, Clone, Default)]
pub struct LabelledDoc {
    /// The document text.
    pub text: String,
    /// Gold tokens: byte range and tag (`O`, `B-PER`, …).
    pub tokens: Vec<(usize, usize, String)>,
}

impl LabelledDoc {
    /// Gold entity spans as byte ranges with their type.
    pub fn gold_spans(&self) -> Vec<(usize, usize, EntityKind)> {
        let labels: Vec<usize> = self.tokens.iter().map(|t| label_of(&t.2)).collect();
        let mut fixed = labels.clone();
        repair(&mut fixed, |i| {
            i > 0 && self.text[self.tokens[i - 1].1..self.tokens[i].0].contains('\n')
        });
        spans(&fixed)
            .into_iter()
            .map(|(a, b, k)| (self.tokens[a].0, self.tokens[b - 1].1, k))
            .collect()
    }
}

/// Turns `I-X` that cannot continue an entity (after `O`, another type, or a boundary) into `B-X`.
fn repair(labels: &mut [usize], boundary_before: impl Fn(usize) -> bool) {
    for i in 0..labels.len() {
        let l = labels[i];
        if is_inside(l) {
            let prev = if i == 0 || boundary_before(i) {
                0
            } else {
                labels[i - 1]
            };
            if prev == 0 || group(prev) != group(l) {
                labels[i] = l - 1;
            }
        }
    }
}

/// Reads a CoNLL-2003 file (`TOKEN ... TAG` lines, blank lines between sentences, `-DOCSTART-`
/// between documents). The POS and chunk columns are ignored.
pub fn read_conll(data: &str) -> Vec<LabelledDoc> {
    let mut docs = Vec::new();
    let mut doc = LabelledDoc::default();
    let mut sent_open = false;
    for line in data.lines() {
        if line.starts_with("-DOCSTART-") {
            if !doc.tokens.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            sent_open = false;
            continue;
        }
        if line.trim().is_empty() {
            sent_open = false;
            continue;
        }
        let mut parts = line.split(' ');
        let tok = parts.next().unwrap_or("");
        let tag = parts.next_back().unwrap_or("O");
        if !doc.text.is_empty() {
            doc.text.push(if sent_open { ' ' } else { '\n' });
        }
        let start = doc.text.len();
        doc.text.push_str(tok);
        doc.tokens.push((start, doc.text.len(), tag.to_string()));
        sent_open = true;
    }
    if !doc.tokens.is_empty() {
        docs.push(doc);
    }
    docs
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed for the order in which sentences are visited.
    pub seed: u64,
    /// log2 of the number of rows in the hashed feature table.
    pub bits: u32,
    /// Number of models trained with seeds `seed`, `seed + 1`, … whose averaged weights are then
    /// averaged into one model (same size and speed as one; a little more accurate).
    pub models: usize,
    /// Feature rows whose largest averaged weight is below this are dropped from the model
    /// (smaller model, faster tagging; 1.0 costs about 0.1 F1).
    pub prune: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 20,
            seed: 42,
            bits: 20,
            models: 4,
            prune: 1.0,
        }
    }
}

/// One sentence ready for training: features and gold labels.
struct Example {
    feats: FeatureBuf,
    gold: Vec<usize>,
}

fn examples(doc: &LabelledDoc, lex: &Lexicon, bits: u32) -> Vec<Example> {
    let d = analyse(&doc.text, lex, &mut WordMemo::default());
    let starts: Vec<usize> = doc.tokens.iter().map(|t| t.0).collect();
    let mut out = Vec::new();
    for (s, &(a, b)) in d.sentences.iter().enumerate() {
        let mut feats = FeatureBuf::default();
        d.features(s, bits, &mut feats);
        let mut gold: Vec<usize> = d.tokens[a..b]
            .iter()
            .map(|t| {
                let k = starts.partition_point(|&x| x <= t.start).saturating_sub(1);
                let Some((gs, _, tag)) = doc.tokens.get(k) else {
                    return 0;
                };
                let l = label_of(tag);
                if l != 0 && *gs != t.start && l % 2 == 1 {
                    l + 1
                } else {
                    l
                }
            })
            .collect();
        repair(&mut gold, |_| false);
        out.push(Example { feats, gold });
    }
    out
}

/// SplitMix64: a tiny seeded generator for shuffling.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Trains a model on `docs`. `on_epoch(epoch, model)` is called after every pass of the first
/// model with the averaged model so far (for reporting dev scores); it is not needed for the result.
pub fn train(
    docs: &[LabelledDoc],
    lex: &Lexicon,
    opts: TrainOptions,
    mut on_epoch: impl FnMut(usize, &Model),
) -> Model {
    let bits = opts.bits.clamp(8, 24);
    let data: Vec<Example> = docs
        .par_iter()
        .flat_map_iter(|d| examples(d, lex, bits))
        .collect();
    let first = train_one(&data, bits, opts.epochs, opts.seed, &mut on_epoch);
    let (mut w, mut t) = first.averaged_f32();
    drop(first);
    let rest: Vec<(Vec<f32>, Vec<f32>)> = (1..opts.models as u64)
        .into_par_iter()
        .map(|k| {
            train_one(
                &data,
                bits,
                opts.epochs,
                opts.seed.wrapping_add(k),
                &mut |_, _| {},
            )
            .averaged_f32()
        })
        .collect();
    for (w2, t2) in &rest {
        w.iter_mut().zip(w2).for_each(|(a, b)| *a += b);
        t.iter_mut().zip(t2).for_each(|(a, b)| *a += b);
    }
    let n = opts.models.max(1) as f32;
    w.iter_mut().for_each(|a| *a /= n);
    t.iter_mut().for_each(|a| *a /= n);
    Model::quantise(bits, &w, &t, opts.prune)
}

fn train_one(
    data: &[Example],
    bits: u32,
    epochs: usize,
    seed: u64,
    on_epoch: &mut dyn FnMut(usize, &Model),
) -> TrainWeights {
    let mut w = TrainWeights::new(bits);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = SplitMix(seed);
    let (mut em, mut pred) = (Vec::new(), Vec::new());
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &k in &order {
            let ex = &data[k];
            if ex.gold.is_empty() {
                continue;
            }
            w.emissions(&ex.feats, &mut em);
            viterbi(&em, w.trans(), &mut pred);
            if pred != ex.gold {
                w.update(&ex.feats, &ex.gold, &pred);
            }
            w.tick();
        }
        on_epoch(epoch + 1, &w.averaged());
    }
    w
}

/// Precision, recall and F1 (in percent) of exact span-and-type matches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

fn prf(tp: usize, pred: usize, gold: usize) -> Scores {
    let p = if pred > 0 {
        tp as f64 / pred as f64
    } else {
        0.0
    };
    let r = if gold > 0 {
        tp as f64 / gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Scores {
        precision: 100.0 * p,
        recall: 100.0 * r,
        f1: 100.0 * f,
    }
}

/// Scores of `tagger` on `docs`: (4-type, 3-type without MISC), using raw tagger spans.
pub fn evaluate(tagger: &Tagger, docs: &[LabelledDoc]) -> (Scores, Scores) {
    let counts: Vec<[usize; 6]> = docs
        .par_iter()
        .map(|d| {
            let gold = d.gold_spans();
            let pred = tagger.spans(&d.text);
            let mut c = [0usize; 6];
            for (k, misc) in [(0, true), (3, false)] {
                let keep = |s: &&(usize, usize, EntityKind)| misc || s.2 != EntityKind::Misc;
                let g: Vec<_> = gold.iter().filter(keep).collect();
                let p: Vec<_> = pred.iter().filter(keep).collect();
                c[k] = p.iter().filter(|x| g.contains(x)).count();
                c[k + 1] = p.len();
                c[k + 2] = g.len();
            }
            c
        })
        .collect();
    let mut t = [0usize; 6];
    for c in counts {
        for k in 0..6 {
            t[k] += c[k];
        }
    }
    (prf(t[0], t[1], t[2]), prf(t[3], t[4], t[5]))
}

/// Number of labels (re-exported for tools that print tables).
pub const LABEL_COUNT: usize = N_LABELS;

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "-DOCSTART- -X- -X- O\n\nAlice NNP B-NP B-PER\nSmith NNP I-NP I-PER\nvisited VBD B-VP O\n\
Paris NNP B-NP B-LOC\n. . O O\n\nBob NNP B-NP B-PER\njoined VBD B-VP O\nAcme NNP B-NP B-ORG\nCorp NNP I-NP I-ORG\n\
. . O O\n\n-DOCSTART- -X- -X- O\n\nGerman JJ B-NP B-MISC\nfans NNS I-NP O\nlove VBP B-VP O\nBerlin NNP B-NP B-LOC\n";

    #[test]
    fn reads_conll_like_the_eval_script() {
        let docs = read_conll(TINY);
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].text,
            "Alice Smith visited Paris .\nBob joined Acme Corp ."
        );
        let g = docs[0].gold_spans();
        assert_eq!(g[0], (0, 11, EntityKind::Person));
        assert_eq!(&docs[0].text[g[3].0..g[3].1], "Acme Corp");
    }

    #[test]
    fn training_is_deterministic_and_learns() {
        let docs = read_conll(TINY);
        let lex = Lexicon::default();
        let opts = TrainOptions {
            epochs: 5,
            seed: 7,
            bits: 12,
            models: 2,
            prune: 0.0,
        };
        let a = train(&docs, &lex, opts, |_, _| {});
        let b = train(&docs, &lex, opts, |_, _| {});
        assert_eq!(a.to_bytes(), b.to_bytes());
        let tagger = Tagger::new(a, Lexicon::default());
        let (all, _) = evaluate(&tagger, &docs);
        assert!(all.f1 > 90.0, "{all:?}");
    }
}
