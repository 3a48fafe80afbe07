//! Named-entity extraction: a learned sequence tagger (averaged structured perceptron over hashed
//! features, pure Rust, weights embedded in the binary) plus canonical naming of what it finds.
//!
//! Flow: text → [`tokenize`] → [`features`] (with [`gazetteer`] and [`clusters`]) → [`perceptron`]
//! scores → [`decode`] (Viterbi, BIO) → spans → [`canonical`] names (with [`acronyms`], [`aliases`],
//! [`stoplists`]) → [`crate::model::Mention`]s.
//! [`train`] builds the weights from CoNLL-2003 (`examples/train_ner.rs`); `data/ner/NOTICE.md`
//! states where every data file comes from.
//!
//! Rebuilding the data (both steps are seeded and give byte-identical files):
//! 1. `cargo run --release --example ner_clusters -- --corpora /work/shared/corpora --out data/ner/clusters.tsv --seed 42`
//! 2. `cargo run --release --example train_ner -- --conll /work/shared/corpora/conll2003 --out data/ner/model.bin --seed 42`
//!
//! Then bump [`EXTRACTOR_VERSION`]. Scores of the shipped model (CoNLL-2003, exact span and type,
//! `python3 /work/shared/eval/ner_f1.py`): test 87.4 F1 (4 types) / 88.6 (PER, ORG, LOC);
//! CoNLL++ test 88.2 / 89.3 (with the name rules of [`canonical`], which also fix types).

pub mod acronyms;
pub mod aliases;
pub mod canonical;
pub mod cluster_learn;
pub mod clusters;
pub mod decode;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod perceptron;
pub mod stoplists;
pub mod tokenize;
pub mod train;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;

use crate::model::{EntityKind, Mention};
use decode::{spans, Decoder, N_LABELS};
use features::{analyse, Doc, FeatureBuf, Lexicon, WordMemo};
use hash::HashKeyed;
use perceptron::Model;

/// Anything that finds entity mentions in a text.
pub trait EntityExtractor: Send + Sync {
    /// Mentions in `text`, in order, with byte offsets into `text` and canonical names resolved
    /// within this text (short mentions → full names, acronyms, alias table).
    fn mentions(&self, text: &str) -> Vec<Mention>;
}

/// Version string of model + canonicalisation rules; the indexer stores it so a new model
/// re-processes.
pub const EXTRACTOR_VERSION: &str = "ner-perceptron-1.27";

/// Embedded trained weights (see `data/ner/NOTICE.md`).
static MODEL_BYTES: &[u8] = include_bytes!("../../data/ner/model.bin");
/// Embedded gazetteer.
pub static GAZETTEER_TSV: &str = include_str!("../../data/ner/gazetteer.tsv");
/// Embedded word clusters.
pub static CLUSTERS_TSV: &str = include_str!("../../data/ner/clusters.tsv");
/// Embedded alias table.
pub static ALIASES_TSV: &str = include_str!("../../data/ner/aliases.tsv");

/// The lexicon built from the embedded gazetteer and clusters.
pub fn embedded_lexicon() -> Lexicon {
    let (gazetteer, clusters) = std::thread::scope(|scope| {
        let clusters = scope.spawn(|| clusters::Clusters::parse(CLUSTERS_TSV));
        (gazetteer::Gazetteer::parse(GAZETTEER_TSV), joined(clusters))
    });
    Lexicon {
        gazetteer,
        clusters,
    }
}

/// A scoped thread's result; its panic, if any, goes on in the caller.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

// The weights, the gazetteer and the word clusters are unpacked side by side: together they are
// most of a small run's time (annotating one file, indexing a few), and none needs another.
static EMBEDDED: LazyLock<Tagger> = LazyLock::new(|| {
    let (model, lexicon) = std::thread::scope(|scope| {
        let model = scope.spawn(|| Model::from_bytes(MODEL_BYTES));
        let lexicon = embedded_lexicon();
        (joined(model), lexicon)
    });
    let model = model.unwrap_or_else(|e| {
        eprintln!("{e}: entity extraction disabled");
        Model::empty()
    });
    Tagger::new(model, lexicon)
});

/// The tagger with the weights embedded in the binary, loaded once.
pub fn embedded() -> &'static Tagger {
    &EMBEDDED
}

/// The entity tagger: model, lexicon and alias table.
pub struct Tagger {
    model: Model,
    lexicon: Lexicon,
    aliases: aliases::Aliases,
    /// Names this tagger's memos (see [`MEMO`]).
    id: u64,
}

/// Source of [`Tagger`] ids: a memo is only valid for the model and lexicon it was built with.
static TAGGER_IDS: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Each thread's memo, with the id of the tagger it belongs to: no lock per text, and a
    /// thread keeps the memo its own core has cached. (A shared pool handed each thread, last in
    /// first out, the memo the other thread had just used; interleaved runs of the indexer at
    /// 2 threads could not tell the two apart, within this machine's noise.)
    static MEMO: RefCell<(u64, Memo)> = RefCell::new((0, Memo::default()));
}

/// Distinct (word, context) score sums a [`Memo`] keeps before it starts over (under 4 MB).
const MEMO_SCORES: usize = 50_000;

/// What a tagger remembers across documents: how each word is described, and the summed
/// weights of the features a word has on its own ([`Doc::word_features`]). Those are about a
/// third of each token's features; looking their weights up once per distinct word instead
/// of at every occurrence saves that share of the scoring.
#[derive(Default)]
struct Memo {
    words: WordMemo,
    scores: HashKeyed<[i32; N_LABELS]>,
    feats: Vec<u32>,
}

impl Memo {
    /// The summed weights of token `i`'s word features.
    fn word_scores(&mut self, model: &Model, doc: &Doc, i: usize) -> [i32; N_LABELS] {
        let key = doc.word_key(i);
        if let Some(known) = self.scores.get(&key) {
            return *known;
        }
        doc.word_features(i, model.bits, &mut self.feats);
        let mut sum = [0; N_LABELS];
        model.row_sum(&self.feats, &mut sum);
        if self.scores.len() >= MEMO_SCORES {
            self.scores.clear();
        }
        self.scores.insert(key, sum);
        sum
    }
}

impl Tagger {
    /// A tagger from a model and the lexicon it was trained with (alias table: the embedded one).
    pub fn new(model: Model, lexicon: Lexicon) -> Tagger {
        Tagger {
            model,
            lexicon,
            aliases: aliases::Aliases::parse(ALIASES_TSV),
            id: TAGGER_IDS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Mentions with canonical names for spans of `text` this tagger found ([`Tagger::spans`]).
    pub fn name_spans(&self, text: &str, spans: &[(usize, usize, EntityKind)]) -> Vec<Mention> {
        canonical::resolve(text, spans, &self.aliases)
    }

    /// Raw tagger output: entity spans as byte ranges with their type, before any name handling.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize, EntityKind)> {
        MEMO.with(|cell| match cell.try_borrow_mut() {
            Ok(mut mine) => {
                if mine.0 != self.id {
                    *mine = (self.id, Memo::default());
                }
                self.spans_with(text, &mut mine.1)
            }
            // Only if tagging ever re-entered itself on this thread: a fresh memo is as right.
            Err(_) => self.spans_with(text, &mut Memo::default()),
        })
    }

    fn spans_with(&self, text: &str, memo: &mut Memo) -> Vec<(usize, usize, EntityKind)> {
        let doc = analyse(text, &self.lexicon, &mut memo.words);
        let mut out = Vec::new();
        let (mut feats, mut em, mut labels) = (FeatureBuf::default(), Vec::new(), Vec::new());
        let mut base = Vec::new();
        let mut decoder = Decoder::new(self.model.trans());
        for (s, &(a, b)) in doc.sentences.iter().enumerate() {
            let title = doc.is_title_case(s);
            // Only the stretches between tokens that are surely `O` are scored and decoded.
            let mut lo = a;
            while lo < b {
                if doc.surely_outside(s, lo) {
                    lo += 1;
                    continue;
                }
                let mut hi = lo + 1;
                while hi < b && !doc.surely_outside(s, hi) {
                    hi += 1;
                }
                doc.context_features_of(s, lo..hi, self.model.bits, &mut feats);
                base.clear();
                base.extend((lo..hi).map(|i| memo.word_scores(&self.model, &doc, i)));
                self.model.emissions_from(&feats, Some(&base), &mut em);
                decoder.decode(&em, lo > a, hi < b, &mut labels);
                for (i, j, kind) in spans(&labels) {
                    // In a Title Case headline, a run of words usually written in lower case is
                    // not a name ("Harsh And Relentless As Guards Keep Watch").
                    if title && (lo + i..lo + j).all(|k| doc.often_lower(k)) {
                        continue;
                    }
                    out.push((doc.tokens[lo + i].start, doc.tokens[lo + j - 1].end, kind));
                }
                lo = hi;
            }
        }
        out
    }
}

impl EntityExtractor for Tagger {
    fn mentions(&self, text: &str) -> Vec<Mention> {
        self.name_spans(text, &self.spans(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed article: the project's copy (after a `Date:` header and a blank line) or the shared one.
    fn seed_text() -> Option<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let copy = root.join("sample-corpus/seed/000_61f7630e8f73655a.txt");
        if let Ok(t) = std::fs::read_to_string(&copy) {
            return Some(
                t.split_once("\n\n")
                    .map_or(t.clone(), |(_, body)| body.to_string()),
            );
        }
        std::fs::read_to_string(root.join("../shared/seed/000_61f7630e8f73655a.txt")).ok()
    }

    #[test]
    fn seed_article_entities_are_found_and_canonical() {
        let Some(text) = seed_text() else {
            assert!(std::env::var_os("CI").is_none(), "seed article missing");
            eprintln!("skipped: seed article not found");
            return;
        };
        let ms = embedded().mentions(&text);
        let has =
            |kind: EntityKind, name: &str| ms.iter().any(|m| m.kind == kind && m.name == name);
        use EntityKind::*;
        for (kind, name) in [
            (Person, "Trump"),
            (Person, "Nayib Bukele"),
            (Person, "Marco Rubio"),
            (Person, "Leire Venta"),
            (Person, "Karoline Leavitt"),
            (Person, "Joe Biden"),
            (Place, "El Salvador"),
            (Place, "United States"),
            (Organization, "BBC News Mundo"),
            (Organization, "Tren de Aragua"),
            (Organization, "Truth Social"),
            (Organization, "Sky News"),
            (Misc, "World War II"),
            (Misc, "Alien Enemies Act"),
        ] {
            assert!(has(kind, name), "missing {kind:?} {name}: {ms:#?}");
        }
        // CECOT, under its full name, everywhere it is named.
        let cecot = ms.iter().filter(|m| m.text == "CECOT").count();
        assert_eq!(cecot, 5, "{ms:#?}");
        assert!(ms
            .iter()
            .filter(|m| m.text == "CECOT" || m.text.starts_with("Centro"))
            .all(|m| m.name == "Centro de Confinamiento del Terrorismo" && m.kind != Person));
        // Nothing spurious, every person named in full.
        let persons = [
            "Trump",
            "Nayib Bukele",
            "Marco Rubio",
            "Leire Venta",
            "Karoline Leavitt",
            "Joe Biden",
        ];
        let places = ["El Salvador", "United States", "White House"];
        let orgs = [
            "Centro de Confinamiento del Terrorismo",
            "BBC News Mundo",
            "Twitter",
            "Tren de Aragua",
            "MS-13",
            "Truth Social",
            "Sky News",
            // Acceptable as organisations: the party and the administration.
            "Democratic Party",
            "Radical Left Democrats",
            "White House",
        ];
        for m in &ms {
            let ok = match m.kind {
                Person => persons.contains(&m.name.as_str()),
                Place => places.contains(&m.name.as_str()),
                Organization => orgs.contains(&m.name.as_str()),
                Misc => true,
            };
            assert!(ok, "spurious or misnamed {m:?}");
            assert!(
                !["May", "God", "Here", "Forget", "Country", "35C", "Guards", "Security"]
                    .contains(&m.text.as_str()),
                "spurious {m:?}"
            );
            assert_eq!(&text[m.start..m.end], m.text);
            assert!(
                !m.text.ends_with("'s") && !m.text.ends_with("’s") && !m.text.ends_with('.')
                    || m.text == "U.S."
            );
        }
    }

    #[test]
    fn sentence_openings_and_headlines_are_not_names() {
        let text = "Forget comfort. There are no mattresses.\n\
            “Here are the psychopaths, the terrorists,” he said.\n\
            “May God bless El Salvador, and may God bless the United States,” he finished.\n\
            Prison Conditions Are Harsh And Relentless As Guards Keep Watch\n";
        let ms = embedded().mentions(text);
        let names: Vec<&str> = ms.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, vec!["El Salvador", "United States"], "{ms:#?}");
    }

    #[test]
    fn holidays_awards_parties_and_companies_get_their_types() {
        let text = "I'm sure Sony and Google will sell more games at Christmas, the Tory MP said \
            after the Oscars. The Lib Dem spokesman bought a TV and a DVD player.\n";
        let ms = embedded().mentions(text);
        use EntityKind::*;
        for m in &ms {
            assert!(m.kind != Person, "spurious person {m:?}");
            assert!(
                !["I'm", "TV", "DVD"].contains(&m.text.as_str()),
                "spurious {m:?}"
            );
        }
        let has = |kind, name: &str| ms.iter().any(|m| m.kind == kind && m.name == name);
        for (kind, name) in [
            (Organization, "Sony"),
            (Organization, "Google"),
            (Organization, "Conservative Party"),
            (Organization, "Liberal Democrats"),
        ] {
            assert!(has(kind, name), "missing {kind:?} {name}: {ms:#?}");
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        let t = embedded();
        let long = "Paris ".repeat(5000);
        let binary: String = (0u8..=255).map(char::from).collect();
        for text in [
            "",
            " ",
            "\n\n",
            "'s",
            "東京で会議。",
            "Путин встретился с Байденом.",
            &long,
            &binary,
            "A.B.C.D.E.F.",
        ] {
            for m in t.mentions(text) {
                assert!(text.get(m.start..m.end).is_some());
            }
        }
    }
}
