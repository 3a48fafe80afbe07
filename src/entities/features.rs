//! Feature extraction: each token becomes a list of hashed feature indices (word forms, shapes,
//! affixes, neighbours, capitalisation context, gazetteer matches, word clusters, and document-level
//! capitalisation evidence).

use super::clusters::Clusters;
use super::gazetteer::{GazMatch, Gazetteer};
use super::hash::{lower_into, mix, str_hash, HashKeyed};
use super::tokenize::{sentences, tokenize, Token};

/// The lexical resources features look at.
#[derive(Default)]
pub struct Lexicon {
    /// Phrase lists.
    pub gazetteer: Gazetteer,
    /// Word clusters and usual case.
    pub clusters: Clusters,
}

/// Capitalisation context of a token.
const CTX_NORMAL: u64 = 0;
const CTX_INITIAL: u64 = 1;
const CTX_ALLCAPS: u64 = 2;
const CTX_TITLE: u64 = 3;

/// Capitalisation class of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Cap {
    Lower = 0,
    Init = 1,
    All = 2,
    Mixed = 3,
    Digit = 4,
    Punct = 5,
    Other = 6,
}

/// What is computed once per token before features are formed.
#[derive(Debug, Clone, Copy)]
struct Info {
    exact: u64,
    lower: u64,
    shape: u64,
    cap: Cap,
    pre: [u64; 3],
    suf: [u64; 4],
    fine: u64,
    coarse: u64,
    case: u8,
    doc: u8,
    ctx: u64,
    gaz: GazMatch,
    /// Id of the lower-cased form in the [`WordMemo`] that described this token.
    form: u32,
}

const NONE: u64 = 0xdead_beef;
const BOS: Info = Info {
    exact: 1,
    lower: 1,
    shape: 1,
    cap: Cap::Other,
    pre: [1; 3],
    suf: [1; 4],
    fine: 1,
    coarse: 1,
    case: 0,
    doc: 0,
    ctx: 9,
    gaz: GazMatch {
        begin: 0,
        inside: 0,
    },
    form: 0,
};
const EOS: Info = Info {
    exact: 2,
    lower: 2,
    shape: 2,
    fine: 2,
    coarse: 2,
    ..BOS
};

/// A document analysed for tagging: tokens, sentences and per-token information.
pub struct Doc {
    /// Tokens of the text.
    pub tokens: Vec<Token>,
    /// Sentences as token index ranges.
    pub sentences: Vec<(usize, usize)>,
    info: Vec<Info>,
}

/// Feature indices of a sentence: token `i` has `idx[offsets[i]..offsets[i + 1]]`.
#[derive(Default, Debug, Clone)]
pub struct FeatureBuf {
    /// Feature indices (weight table rows).
    pub idx: Vec<u32>,
    /// Start of each token's features in `idx`, plus the end.
    pub offsets: Vec<u32>,
}

impl FeatureBuf {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Feature indices of token `i`.
    #[inline]
    pub fn token(&self, i: usize) -> &[u32] {
        &self.idx[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

fn cap_and_shape(w: &str) -> (Cap, u64) {
    let mut shape: u64 = 77;
    let mut last = 0u32;
    let mut n = 0;
    let (mut up, mut low, mut dig, mut alpha_other, mut punct) = (0, 0, 0, 0, 0);
    let mut first_up = false;
    for (k, c) in w.chars().enumerate() {
        let class = if c.is_uppercase() {
            up += 1;
            if k == 0 {
                first_up = true;
            }
            'X' as u32
        } else if c.is_lowercase() {
            low += 1;
            'x' as u32
        } else if c.is_numeric() {
            dig += 1;
            'd' as u32
        } else if c.is_alphabetic() {
            alpha_other += 1;
            'a' as u32
        } else {
            punct += 1;
            c as u32
        };
        if class != last && n < 8 {
            shape = mix(shape, u64::from(class));
            n += 1;
            last = class;
        }
    }
    let cap = if up + low + alpha_other == 0 {
        if dig > 0 {
            Cap::Digit
        } else if punct > 0 {
            Cap::Punct
        } else {
            Cap::Other
        }
    } else if up == 0 && low > 0 {
        Cap::Lower
    } else if low == 0 && up > 0 {
        if up == 1 && first_up && w.chars().count() == 1 {
            Cap::Init
        } else {
            Cap::All
        }
    } else if first_up {
        if w.chars().skip(1).any(char::is_uppercase) {
            Cap::Mixed
        } else {
            Cap::Init
        }
    } else if up > 0 {
        Cap::Mixed
    } else {
        Cap::Other
    };
    (cap, mix(shape, u64::from(w.len() > 4)))
}

/// Distinct words a [`WordMemo`] keeps before it starts over (under 8 MB).
const MEMO_WORDS: usize = 50_000;

/// What [`analyse`] worked out about each word on its own (hashes of its forms, affixes, shape,
/// clusters), kept across documents: news repeats its words, and describing each occurrence
/// afresh was half of the tagger's time. Valid for one [`Lexicon`] only.
///
/// The table maps a word to its place in a list, in the order words were first met: the
/// commonest words come first and stay in the processor's cache, where a table holding the
/// descriptions themselves spread them over megabytes and missed the cache at most tokens.
#[derive(Default)]
pub struct WordMemo {
    places: HashKeyed<u32>,
    words: Vec<Info>,
    /// Ids of lower-cased forms (in [`Info::form`]): a document's capitalisation evidence is
    /// kept per id in `flags`, reset after each document, instead of a map built per document.
    forms: HashKeyed<u32>,
    flags: Vec<u8>,
}

impl WordMemo {
    /// Starts over when full. Only between documents: form ids must hold for a whole document.
    fn make_room(&mut self) {
        if self.words.len() >= MEMO_WORDS {
            self.places.clear();
            self.words.clear();
            self.forms.clear();
            self.flags.clear();
        }
    }

    fn get(&self, exact: u64) -> Option<&Info> {
        let place = *self.places.get(&exact)?;
        self.words.get(place as usize)
    }

    /// The id of a lower-cased form, new ones numbered from 0.
    fn form_id(&mut self, lower: u64) -> u32 {
        let next = self.flags.len() as u32;
        let id = *self.forms.entry(lower).or_insert(next);
        if id == next {
            self.flags.push(0);
        }
        id
    }

    fn remember(&mut self, exact: u64, described: Info) {
        self.places.insert(exact, self.words.len() as u32);
        self.words.push(described);
    }
}

/// Analyses a whole document (the unit of document-level features). `memo` must only ever
/// have been used with `lex`.
pub fn analyse(text: &str, lex: &Lexicon, memo: &mut WordMemo) -> Doc {
    memo.make_room();
    let tokens = tokenize(text);
    let sents = sentences(text, &tokens);
    let mut info = Vec::with_capacity(tokens.len());
    let mut lower = String::new();
    for t in &tokens {
        let w = t.text(text);
        let exact = str_hash(w);
        if let Some(known) = memo.get(exact) {
            info.push(*known);
            continue;
        }
        lower_into(w, &mut lower);
        let lh = str_hash(&lower);
        let (cap, shape) = cap_and_shape(w);
        let mut pre = [NONE; 3];
        let mut suf = [NONE; 4];
        // Prefixes of 2, 3 and 4 characters and suffixes of 1 to 4 characters, when shorter than
        // the word.
        let nchars = if lower.is_ascii() {
            lower.len()
        } else {
            lower.chars().count()
        };
        if lower.is_ascii() {
            let b = lower.as_bytes();
            for (k, p) in pre.iter_mut().enumerate() {
                if k + 2 < nchars {
                    *p = super::hash::bytes(&b[..k + 2]);
                }
            }
            for (k, s) in suf.iter_mut().enumerate() {
                if k + 1 < nchars {
                    *s = super::hash::bytes(&b[nchars - 1 - k..]);
                }
            }
        } else {
            for (k, (i, _)) in lower.char_indices().skip(2).take(3).enumerate() {
                pre[k] = str_hash(&lower[..i]);
            }
            for (k, (i, _)) in lower
                .char_indices()
                .rev()
                .take(4.min(nchars.saturating_sub(1)))
                .enumerate()
            {
                suf[k] = str_hash(&lower[i..]);
            }
        }
        let (fine, coarse, case) = match lex.clusters.get(exact, lh) {
            Some(i) => (u64::from(i.fine), u64::from(i.coarse), i.case),
            None => (NONE, NONE, 0),
        };
        let described = Info {
            exact,
            lower: lh,
            shape,
            cap,
            pre,
            suf,
            fine,
            coarse,
            case,
            doc: 0,
            ctx: CTX_NORMAL,
            gaz: GazMatch::default(),
            form: memo.form_id(lh),
        };
        memo.remember(exact, described);
        info.push(described);
    }
    // Sentence contexts and gazetteer matches.
    for &(a, b) in &sents {
        let words: Vec<Cap> = info[a..b]
            .iter()
            .map(|i| i.cap)
            .filter(|c| matches!(c, Cap::Lower | Cap::Init | Cap::All | Cap::Mixed))
            .collect();
        let all_caps = words.len() >= 2 && words.iter().all(|c| *c == Cap::All);
        let title = !all_caps
            && words.len() >= 4
            && words.iter().filter(|c| **c != Cap::Lower).count() * 4 >= words.len() * 3;
        let mut seen_word = false;
        for inf in &mut info[a..b] {
            inf.ctx = if all_caps {
                CTX_ALLCAPS
            } else if title {
                CTX_TITLE
            } else if !seen_word {
                CTX_INITIAL
            } else {
                CTX_NORMAL
            };
            if !matches!(inf.cap, Cap::Punct) {
                seen_word = true;
            }
        }
        if !lex.gazetteer.is_empty() {
            let lh: Vec<u64> = info[a..b].iter().map(|i| i.lower).collect();
            for (inf, g) in info[a..b].iter_mut().zip(lex.gazetteer.matches(&lh)) {
                inf.gaz = g;
            }
        }
    }
    // Document-level evidence: how each word is written where case is informative.
    for inf in &info {
        let bit = match (inf.ctx, inf.cap) {
            (CTX_NORMAL, Cap::Init | Cap::Mixed) => 1,
            (CTX_NORMAL, Cap::All) => 4,
            (_, Cap::Lower) => 2,
            _ => 0,
        };
        memo.flags[inf.form as usize] |= bit;
    }
    for inf in &mut info {
        inf.doc = memo.flags[inf.form as usize];
    }
    for inf in &info {
        memo.flags[inf.form as usize] = 0;
    }
    Doc {
        tokens,
        sentences: sents,
        info,
    }
}

/// Features of a word on its own and in its capitalisation context (`(template, value)` pairs).
fn word_features(c: &Info, f: &mut impl FnMut(u64, u64)) {
    let capc = c.cap as u64;
    let ctx = c.ctx;
    f(1, 0);
    f(2, c.lower);
    f(7, mix(c.shape, ctx));
    f(11, c.exact);
    for (k, &p) in c.pre.iter().enumerate() {
        if p != NONE {
            f(12 + k as u64, p);
        }
    }
    for (k, &s) in c.suf.iter().enumerate() {
        if s != NONE {
            f(16 + k as u64, s);
        }
    }
    f(22, mix(ctx, capc));
    f(25, mix(mix(capc, ctx), u64::from(c.case)));
    f(27, mix(mix(c.lower, ctx), capc));
    f(30, c.fine);
    f(31, c.coarse);
    f(36, mix(c.fine, capc));
}

impl Doc {
    /// True when sentence `s` is a Title Case line (a headline), where capitals say little.
    pub fn is_title_case(&self, s: usize) -> bool {
        self.sentences
            .get(s)
            .and_then(|&(a, _)| self.info.get(a))
            .is_some_and(|i| i.ctx == CTX_TITLE)
    }

    /// True when token `i` is a word often written in lower case (statistics from the clusters
    /// file), e.g. "Harsh" or "Keep" in a Title Case headline.
    pub fn often_lower(&self, i: usize) -> bool {
        self.info
            .get(i)
            .is_some_and(|t| t.case == b'l' || t.case == b'm')
    }

    /// True when token `i` of sentence `s` is written without capitals (a lower-case word, a
    /// number, punctuation) and so are its neighbours: the tagger's answer for such a token is
    /// `O` (names and the lower-case words or numbers inside them, "Bank of England",
    /// "Barrio 18", sit next to a capital), so it is not scored at all. Most tokens of running
    /// text are like this, and skipping them is most of the tagger's speed. Numbers and
    /// punctuation joined the lower-case words here with no change to the CoNLL-2003 scores
    /// (3 of 207,501 Reuters mentions changed) and 23% fewer scored tokens. (Describing only
    /// the tokens near scored ones in `analyse` as well was tried: it saved nothing, as nearly
    /// every token of news text is within two of a capital.)
    pub fn surely_outside(&self, s: usize, i: usize) -> bool {
        let Some(&(a, b)) = self.sentences.get(s) else {
            return false;
        };
        let plain = |k: usize| matches!(self.info[k].cap, Cap::Lower | Cap::Digit | Cap::Punct);
        (a..b).contains(&i) && plain(i) && (i == a || plain(i - 1)) && (i + 1 == b || plain(i + 1))
    }

    /// Writes the features of sentence `s` into `out`, as indices into a table of `2^bits` rows.
    pub fn features(&self, s: usize, bits: u32, out: &mut FeatureBuf) {
        let (a, b) = self.sentences.get(s).copied().unwrap_or((0, 0));
        self.features_of(s, a..b, bits, out);
    }

    /// [`Doc::features`] for the tokens `range` of sentence `s` only (their context still comes
    /// from the whole sentence).
    pub fn features_of(
        &self,
        s: usize,
        range: std::ops::Range<usize>,
        bits: u32,
        out: &mut FeatureBuf,
    ) {
        self.push_features(s, range, bits, true, out);
    }

    /// [`Doc::features_of`] without the features [`Doc::word_features`] gives: those depend
    /// on the word and its capitalisation context alone, so a tagger can add up their weights
    /// once per [`Doc::word_key`] and reuse the sum.
    pub fn context_features_of(
        &self,
        s: usize,
        range: std::ops::Range<usize>,
        bits: u32,
        out: &mut FeatureBuf,
    ) {
        self.push_features(s, range, bits, false, out);
    }

    /// What [`Doc::word_features`] of token `i` depend on: equal keys, equal features.
    pub fn word_key(&self, i: usize) -> u64 {
        self.info.get(i).map_or(0, |c| mix(c.exact, c.ctx))
    }

    /// The features of token `i` that depend on its word and capitalisation context alone.
    pub fn word_features(&self, i: usize, bits: u32, out: &mut Vec<u32>) {
        out.clear();
        if let Some(c) = self.info.get(i) {
            let shift = 64 - bits.clamp(1, 32);
            word_features(c, &mut |t, v| out.push((mix(t, v) >> shift) as u32));
        }
    }

    fn push_features(
        &self,
        s: usize,
        range: std::ops::Range<usize>,
        bits: u32,
        with_word: bool,
        out: &mut FeatureBuf,
    ) {
        out.idx.clear();
        out.offsets.clear();
        out.offsets.push(0);
        let Some(&(a, b)) = self.sentences.get(s) else {
            return;
        };
        let shift = 64 - bits.clamp(1, 32);
        let at = |i: isize| -> &Info {
            if i < a as isize {
                &BOS
            } else if i >= b as isize {
                &EOS
            } else {
                &self.info[i as usize]
            }
        };
        for i in range.start.max(a)..range.end.min(b) {
            let ii = i as isize;
            let (p2, p1, c, n1, n2) = (at(ii - 2), at(ii - 1), at(ii), at(ii + 1), at(ii + 2));
            let mut f = |t: u64, v: u64| out.idx.push((mix(t, v) >> shift) as u32);
            if with_word {
                word_features(c, &mut f);
            }
            let capc = c.cap as u64;
            let ctx = c.ctx;
            f(3, p1.lower);
            f(4, n1.lower);
            f(5, p2.lower);
            f(6, n2.lower);
            f(8, mix(p1.shape, ctx));
            f(9, mix(n1.shape, ctx));
            f(10, mix(mix(p1.shape, c.shape), n1.shape));
            f(20, mix(p1.lower, c.lower));
            f(21, mix(c.lower, n1.lower));
            f(23, mix(mix(p1.lower, c.shape), ctx));
            f(24, mix(mix(c.shape, n1.lower), ctx));
            f(26, mix(mix(capc, ctx), u64::from(c.doc)));
            // Clusters.
            f(28, mix(p2.shape, c.shape));
            f(29, mix(c.shape, n2.shape));
            f(32, p1.fine);
            f(33, n1.fine);
            f(34, mix(p1.coarse, c.coarse));
            f(35, mix(c.coarse, n1.coarse));
            // Gazetteer.
            for (off, g) in [(0u64, c.gaz), (1, p1.gaz), (2, n1.gaz)] {
                let (mut bm, mut im) = (g.begin, g.inside);
                while bm != 0 {
                    let bit = u64::from(bm.trailing_zeros());
                    bm &= bm - 1;
                    f(40, mix(mix(bit, off), 1));
                    if off == 0 {
                        f(41, mix(mix(bit, capc), ctx));
                    }
                }
                while im != 0 {
                    let bit = u64::from(im.trailing_zeros());
                    im &= im - 1;
                    f(40, mix(mix(bit, off), 2));
                }
            }
            out.offsets.push(out.idx.len() as u32);
        }
    }
}
