//! The averaged structured perceptron: weights for training (with averaging), the compact quantised
//! model used at run time, and its binary format (deflate-compressed).

use std::io::{Read, Write};

use super::decode::N_LABELS;
use super::features::FeatureBuf;

const MAGIC: &[u8; 8] = b"NDXNER03";

/// Weights being trained, with the sums needed for averaging (Daumé's trick).
pub struct TrainWeights {
    /// log2 of the number of feature rows.
    pub bits: u32,
    w: Vec<f32>,
    u: Vec<f32>,
    trans: Vec<f32>,
    trans_u: Vec<f32>,
    /// Number of examples seen (the averaging clock).
    pub clock: f32,
}

const N_TRANS: usize = (N_LABELS + 1) * N_LABELS;

impl TrainWeights {
    /// Zero weights with `2^bits` feature rows.
    pub fn new(bits: u32) -> TrainWeights {
        let rows = 1usize << bits;
        TrainWeights {
            bits,
            w: vec![0.0; rows * N_LABELS],
            u: vec![0.0; rows * N_LABELS],
            trans: vec![0.0; N_TRANS],
            trans_u: vec![0.0; N_TRANS],
            clock: 1.0,
        }
    }

    /// Emission scores of a sentence with the current (not averaged) weights.
    pub fn emissions(&self, feats: &FeatureBuf, em: &mut Vec<f32>) {
        emissions_f32(&self.w, feats, em);
    }

    /// Current transition scores.
    pub fn trans(&self) -> &[f32] {
        &self.trans
    }

    /// Perceptron update towards `gold` and away from `pred` for one sentence.
    pub fn update(&mut self, feats: &FeatureBuf, gold: &[usize], pred: &[usize]) {
        let c = self.clock;
        for i in 0..gold.len() {
            if gold[i] != pred[i] {
                for &f in feats.token(i) {
                    let r = f as usize * N_LABELS;
                    self.w[r + gold[i]] += 1.0;
                    self.u[r + gold[i]] += c;
                    self.w[r + pred[i]] -= 1.0;
                    self.u[r + pred[i]] -= c;
                }
            }
            let gp = if i == 0 { N_LABELS } else { gold[i - 1] };
            let pp = if i == 0 { N_LABELS } else { pred[i - 1] };
            if gp != pp || gold[i] != pred[i] {
                self.trans[gp * N_LABELS + gold[i]] += 1.0;
                self.trans_u[gp * N_LABELS + gold[i]] += c;
                self.trans[pp * N_LABELS + pred[i]] -= 1.0;
                self.trans_u[pp * N_LABELS + pred[i]] -= c;
            }
        }
    }

    /// Advances the averaging clock by one example.
    pub fn tick(&mut self) {
        self.clock += 1.0;
    }

    /// The averaged weights as a run-time model (nothing pruned).
    pub fn averaged(&self) -> Model {
        let (w, t) = self.averaged_f32();
        Model::quantise(self.bits, &w, &t, 0.0)
    }

    /// The averaged feature and transition weights.
    pub fn averaged_f32(&self) -> (Vec<f32>, Vec<f32>) {
        let c = self.clock;
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> {
            w.iter().zip(u).map(|(w, u)| w - u / c).collect()
        };
        (avg(&self.w, &self.u), avg(&self.trans, &self.trans_u))
    }
}

fn emissions_f32(w: &[f32], feats: &FeatureBuf, em: &mut Vec<f32>) {
    em.clear();
    em.resize(feats.len() * N_LABELS, 0.0);
    for i in 0..feats.len() {
        let mut acc = [0f32; N_LABELS];
        for &f in feats.token(i) {
            let r = f as usize * N_LABELS;
            if let Some(row) = w.get(r..r + N_LABELS) {
                for (a, x) in acc.iter_mut().zip(row) {
                    *a += x;
                }
            }
        }
        em[i * N_LABELS..(i + 1) * N_LABELS].copy_from_slice(&acc);
    }
}

/// The run-time model: quantised feature weights and transition scores.
///
/// The hashed table has `2^bits` rows, but training leaves most rows zero, so only non-zero rows
/// are stored: a bitmap says which rows exist, `rank` counts set bits before each bitmap word, and
/// `rows` holds the existing rows in order. Lookups touch a small bitmap instead of a table of tens
/// of megabytes, which keeps the tagger fast; the scores are exactly those of the full table.
#[derive(Clone, PartialEq)]
pub struct Model {
    /// log2 of the number of feature rows.
    pub bits: u32,
    scale: f32,
    blocks: Vec<RowBlock>,
    rows: Vec<i8>,
    trans: Vec<f32>,
}

/// 64 rows of the hashed table: which exist, and how many stored rows come before them. Bitmap
/// word and rank share a cache line, so a lookup costs one miss before the row itself.
#[derive(Clone, Copy, PartialEq, Debug)]
#[repr(C, align(16))]
struct RowBlock {
    present: u64,
    rank: u32,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("bits", &self.bits)
            .field("rows", &(self.rows.len() / N_LABELS))
            .field("scale", &self.scale)
            .finish()
    }
}

fn blocks(bitmap: &[u64]) -> Vec<RowBlock> {
    let mut acc = 0u32;
    bitmap
        .iter()
        .map(|&present| {
            let rank = acc;
            acc += present.count_ones();
            RowBlock { present, rank }
        })
        .collect()
}

impl Model {
    /// A model that tags nothing (used when the embedded weights are missing or unreadable).
    pub fn empty() -> Model {
        let mut trans = vec![0.0; N_TRANS];
        // Strongly prefer O so that all-zero emissions give no entities.
        for from in 0..=N_LABELS {
            for to in 1..N_LABELS {
                trans[from * N_LABELS + to] = -1.0;
            }
        }
        Model {
            bits: 6,
            scale: 1.0,
            blocks: blocks(&[0]),
            rows: Vec::new(),
            trans,
        }
    }

    /// Quantises float weights (`2^bits × N_LABELS` feature weights, transitions) into a model,
    /// dropping feature rows whose largest weight is below `prune` in absolute value.
    pub fn quantise(bits: u32, w: &[f32], trans: &[f32], prune: f32) -> Model {
        let max = w.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
        let scale = max / 127.0;
        let n_rows = (1usize << bits).max(64);
        let mut bitmap = vec![0u64; n_rows / 64];
        let mut rows = Vec::new();
        for (r, row) in w.chunks_exact(N_LABELS).enumerate().take(n_rows) {
            let q: Vec<i8> = row
                .iter()
                .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
                .collect();
            if q.iter().any(|&x| x != 0) && row.iter().any(|x| x.abs() >= prune) {
                bitmap[r / 64] |= 1 << (r % 64);
                rows.extend_from_slice(&q);
            }
        }
        Model {
            bits,
            scale,
            blocks: blocks(&bitmap),
            rows,
            trans: trans.to_vec(),
        }
    }

    /// Number of stored (non-zero) feature rows.
    pub fn stored_rows(&self) -> usize {
        self.rows.len() / N_LABELS
    }

    /// Emission scores (`n × N_LABELS`) of a sentence.
    pub fn emissions(&self, feats: &FeatureBuf, em: &mut Vec<f32>) {
        self.emissions_from(feats, None, em);
    }

    /// [`Model::emissions`] plus, for token `i`, the partial sum `base[i]` of features left out
    /// of `feats` (from [`Model::row_sum`]). Sums are integers, so splitting the features this
    /// way gives exactly the scores of them all.
    pub fn emissions_from(
        &self,
        feats: &FeatureBuf,
        base: Option<&[[i32; N_LABELS]]>,
        em: &mut Vec<f32>,
    ) {
        em.clear();
        em.resize(feats.len() * N_LABELS, 0.0);
        for i in 0..feats.len() {
            let mut acc = base.and_then(|b| b.get(i)).copied().unwrap_or_default();
            self.row_sum(feats.token(i), &mut acc);
            for (o, a) in em[i * N_LABELS..(i + 1) * N_LABELS].iter_mut().zip(acc) {
                *o = a as f32 * self.scale;
            }
        }
    }

    /// Adds the quantised rows of features `feats` to `acc` (unscaled).
    #[inline]
    pub fn row_sum(&self, feats: &[u32], acc: &mut [i32; N_LABELS]) {
        for &f in feats {
            let (word, bit) = ((f >> 6) as usize, 1u64 << (f & 63));
            let Some(block) = self.blocks.get(word) else {
                continue;
            };
            if block.present & bit == 0 {
                continue;
            }
            let r = (block.rank + (block.present & (bit - 1)).count_ones()) as usize * N_LABELS;
            if let Some(row) = self.rows.get(r..r + N_LABELS) {
                for (a, &x) in acc.iter_mut().zip(row) {
                    *a += i32::from(x);
                }
            }
        }
    }

    /// Transition scores, `(N_LABELS + 1) × N_LABELS` (last row: from the sentence start).
    pub fn trans(&self) -> &[f32] {
        &self.trans
    }

    /// Serialises the model (deflate-compressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(self.rows.len() * 2 + self.blocks.len() * 8 + 64);
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&self.bits.to_le_bytes());
        raw.extend_from_slice(&self.scale.to_le_bytes());
        raw.extend_from_slice(&(self.stored_rows() as u32).to_le_bytes());
        for t in &self.trans {
            raw.extend_from_slice(&t.to_le_bytes());
        }
        for block in &self.blocks {
            raw.extend_from_slice(&block.present.to_le_bytes());
        }
        // Column-major by label compresses better than row-major.
        let n = self.stored_rows();
        for l in 0..N_LABELS {
            for r in 0..n {
                raw.extend_from_slice(&self.rows[r * N_LABELS + l].to_le_bytes());
            }
        }
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let _ = enc.write_all(&raw);
        enc.finish().unwrap_or_default()
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(bytes)
            .take(1 << 30)
            .read_to_end(&mut raw)
            .map_err(|e| format!("ner model: cannot decompress: {e}"))?;
        if raw.len() < 20 || &raw[..8] != MAGIC {
            return Err("ner model: bad header".into());
        }
        let u32_at = |o: usize| u32::from_le_bytes([raw[o], raw[o + 1], raw[o + 2], raw[o + 3]]);
        let bits = u32_at(8);
        let scale = f32::from_bits(u32_at(12));
        let n = u32_at(16) as usize;
        if !(6..=26).contains(&bits) {
            return Err(format!("ner model: bad table size 2^{bits}"));
        }
        let words = (1usize << bits) / 64;
        let base = 20 + N_TRANS * 4;
        let need = base + words * 8 + n * N_LABELS;
        if raw.len() != need {
            return Err(format!("ner model: {} bytes, expected {need}", raw.len()));
        }
        let trans = (0..N_TRANS)
            .map(|k| f32::from_bits(u32_at(20 + 4 * k)))
            .collect();
        let bitmap: Vec<u64> = raw[base..base + words * 8]
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        if bitmap
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum::<usize>()
            != n
        {
            return Err("ner model: row count does not match bitmap".into());
        }
        let rbase = base + words * 8;
        let mut rows = vec![0i8; n * N_LABELS];
        for l in 0..N_LABELS {
            for r in 0..n {
                let o = rbase + l * n + r;
                rows[r * N_LABELS + l] = i8::from_le_bytes([raw[o]]);
            }
        }
        Ok(Model {
            bits,
            scale,
            blocks: blocks(&bitmap),
            rows,
            trans,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_input() {
        let mut t = TrainWeights::new(8);
        let feats = FeatureBuf {
            idx: vec![1, 2, 3],
            offsets: vec![0, 2, 3],
        };
        t.update(&feats, &[1, 2], &[0, 0]);
        t.tick();
        let m = t.averaged();
        let back = Model::from_bytes(&m.to_bytes()).expect("round trip");
        assert_eq!(m, back);
        assert_eq!(m.stored_rows(), 3);
        // Sparse lookups give the scores of the full table.
        let (w, _) = t.averaged_f32();
        let (mut full, mut sparse) = (Vec::new(), Vec::new());
        let probe = FeatureBuf {
            idx: vec![1, 2, 3, 0, 200, 255],
            offsets: vec![0, 2, 3, 6],
        };
        emissions_f32(&w, &probe, &mut full);
        m.emissions(&probe, &mut sparse);
        for (a, b) in full.iter().zip(&sparse) {
            assert!((a - b).abs() < 1e-3, "{full:?} {sparse:?}");
        }
        assert!(Model::from_bytes(b"garbage").is_err());
        assert!(Model::from_bytes(&[]).is_err());
    }
}
