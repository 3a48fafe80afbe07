//! Stems: a plain word matches every indexed word that has its English stem.
//!
//! The index holds title and body words once, unstemmed and with positions, because phrases
//! need exactly that. Indexing a stemmed copy beside them made a bare indexing loop 1.9×
//! slower (`cargo bench --bench bare_tantivy -- FILE 2 stemmed-copy`, against `full`). So a plain word is stemmed at query time and each
//! segment's term dictionary is searched for the words with that stem ([`forms`]): they all
//! begin with [`shared_start`], a short range of the dictionary.
//!
//! The forms are then searched as tantivy term queries, so the union and intersection fast paths
//! that tantivy keeps for term postings still apply, and scored with one inverse document
//! frequency for the whole stem (the sum of the forms' document frequencies, at most the number of
//! documents). A document's score is the sum over the forms it holds, each saturating on its
//! own: "oil oil oils" scores a little above "oil oil oil", where a stemmed field would score them
//! the same.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, Mutex};

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BoostQuery, EmptyQuery, EnableScoring, Query, TermQuery,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{InvertedIndexReader, Score, Searcher, Term};

use super::either::EitherQuery;
use crate::stem::shared_start;

/// The indexed forms of one stem in one field.
#[derive(Clone, Debug)]
pub struct Forms {
    field: Field,
    words: Vec<String>,
    /// The documents holding any form, counted once per form, at most all documents.
    pub doc_freq: u64,
}

impl Forms {
    /// The field the forms are in.
    pub fn field(&self) -> Field {
        self.field
    }
}

/// The words of each of `fields` whose English stem is `stem`, over every segment of `searcher`.
pub fn forms(searcher: &Searcher, fields: &[Field], stem: &str) -> tantivy::Result<Vec<Forms>> {
    let mut finder = FormFinder {
        stem,
        stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        known: FxHashMap::default(),
    };
    let mut found = Vec::with_capacity(fields.len());
    for &field in fields {
        let mut words = BTreeMap::<String, u64>::new();
        for reader in searcher.segment_readers() {
            let key = (reader.segment_id(), field, stem.to_string());
            if let Some(known) = cached(&key) {
                for (word, doc_freq) in known.iter() {
                    *words.entry(word.clone()).or_default() += doc_freq;
                }
                continue;
            }
            let mut segment_words = BTreeMap::new();
            finder.add_forms(&*reader.inverted_index(field)?, &mut segment_words)?;
            let segment_words: Vec<(String, u64)> = segment_words.into_iter().collect();
            for (word, doc_freq) in &segment_words {
                *words.entry(word.clone()).or_default() += doc_freq;
            }
            remember(key, segment_words);
        }
        let doc_freq = words.values().sum::<u64>().min(searcher.num_docs());
        found.push(Forms {
            field,
            words: words.into_keys().collect(),
            doc_freq,
        });
    }
    Ok(found)
}

/// A segment, a field and a stem.
type FormsKey = (SegmentId, Field, String);

/// The forms of one stem in one segment's field, with their document frequencies.
type SegmentForms = Arc<Vec<(String, u64)>>;

/// The forms found per segment, field and stem, with their document frequencies.
///
/// Finding them reads the stretch of the term dictionary that begins like the stem and stems
/// every word in it: for "mine" (all of "min…") that was a fifth of a two-word query's time on
/// Reuters ×30. A segment never changes once written, so what was found in it stays true; a
/// long-running process (`serve`, a benchmark) finds a stem's forms once per segment.
static FORMS_CACHE: LazyLock<Mutex<FxHashMap<FormsKey, SegmentForms>>> =
    LazyLock::new(Mutex::default);

/// Entries kept at most; the cache is emptied when it would grow past this.
const FORMS_CACHE_ENTRIES: usize = 20_000;

fn cached(key: &FormsKey) -> Option<SegmentForms> {
    let cache = FORMS_CACHE.lock().ok()?;
    cache.get(key).cloned()
}

fn remember(key: FormsKey, words: Vec<(String, u64)>) {
    if let Ok(mut cache) = FORMS_CACHE.lock() {
        if cache.len() >= FORMS_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, Arc::new(words));
    }
}

/// Finds a stem's forms, stemming each distinct word once: segments and fields share most words.
struct FormFinder<'a> {
    stem: &'a str,
    stemmer: frostem::Stemmer,
    /// Words seen so far, and whether they have the stem.
    known: FxHashMap<Vec<u8>, bool>,
}

impl FormFinder<'_> {
    /// Adds one segment's words with the stem to `words`, with their document frequencies.
    fn add_forms(
        &mut self,
        index: &InvertedIndexReader,
        words: &mut BTreeMap<String, u64>,
    ) -> tantivy::Result<()> {
        let start = shared_start(self.stem);
        let mut end = start.as_bytes().to_vec();
        // The first key after every key beginning with `start`: no UTF-8 text holds byte 0xFF.
        end.push(0xFF);
        let mut stream = index.terms().range().ge(start).lt(&end).into_stream()?;
        while let Some((key, info)) = stream.next() {
            let has_stem = match self.known.get(key) {
                Some(&known) => known,
                None => {
                    let has = std::str::from_utf8(key)
                        .is_ok_and(|word| self.stemmer.stem(word) == self.stem);
                    self.known.insert(key.to_vec(), has);
                    has
                }
            };
            if has_stem {
                let word = String::from_utf8_lossy(key).into_owned();
                *words.entry(word).or_default() += u64::from(info.doc_freq);
            }
        }
        Ok(())
    }
}

/// Matches the documents holding any of the forms, in any of the fields, each field with a boost.
///
/// The forms are those [`forms`] found in one searcher's segments: run the query with that
/// searcher (a newer one may hold forms it does not know).
#[derive(Clone, Debug)]
pub struct StemQuery {
    fields: Vec<(Forms, Score)>,
}

impl StemQuery {
    /// A query for `forms`, each field's scores multiplied by its boost.
    pub fn new(fields: Vec<(Forms, Score)>) -> Self {
        StemQuery { fields }
    }
}

impl StemQuery {
    /// At most how many documents match: the documents holding a form, summed over the fields.
    pub fn most_matches(&self) -> u64 {
        self.fields.iter().map(|(forms, _)| forms.doc_freq).sum()
    }

    /// Every form as a term, with the BM25 weight and boost its `TermQuery` scores with here
    /// (under the stem's statistics), in the order [`Query::weight`] sums them; `None` when
    /// scoring is disabled.
    ///
    /// An `AND` reads these postings itself ([`super::all_of`]) rather than through the
    /// scorers, whose every step is a call through a trait object.
    pub fn weighted_forms(
        &self,
        scoring: EnableScoring<'_>,
    ) -> tantivy::Result<Option<Vec<WeightedForm>>> {
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = scoring
        else {
            return Ok(None);
        };
        let statistics = StemStatistics {
            inner: statistics_provider,
            fields: &self.fields,
        };
        let mut out = Vec::new();
        for (forms, boost) in &self.fields {
            for word in &forms.words {
                let term = Term::from_field_text(forms.field, word);
                let weight = Bm25Weight::for_terms(&statistics, std::slice::from_ref(&term))?;
                out.push(WeightedForm {
                    term,
                    weight,
                    boost: *boost,
                });
            }
        }
        Ok(Some(out))
    }
}

/// One form of a stem, weighed as its `TermQuery` weighs it.
#[derive(Clone)]
pub struct WeightedForm {
    /// The form in its field.
    pub term: Term,
    /// Its BM25 weight, before boosts.
    pub weight: Bm25Weight,
    /// Its field's boost.
    pub boost: Score,
}

impl Query for StemQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        for (forms, boost) in &self.fields {
            for word in &forms.words {
                let term = Term::from_field_text(forms.field, word);
                let query = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                parts.push(if *boost == 1.0 {
                    query
                } else {
                    Box::new(BoostQuery::new(query, *boost))
                });
            }
        }
        if parts.is_empty() {
            return EmptyQuery.weight(scoring);
        }
        let either = EitherQuery::new(parts);
        match scoring {
            EnableScoring::Enabled {
                searcher,
                statistics_provider,
            } => {
                let statistics = StemStatistics {
                    inner: statistics_provider,
                    fields: &self.fields,
                };
                either.weight(EnableScoring::enabled_from_statistics_provider(
                    &statistics,
                    searcher,
                ))
            }
            EnableScoring::Disabled { .. } => either.weight(scoring),
        }
    }
}

/// The searcher's statistics, except that every form of the stem has the stem's frequency.
struct StemStatistics<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    fields: &'a [(Forms, Score)],
}

impl Bm25StatisticsProvider for StemStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.inner.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match self
            .fields
            .iter()
            .find(|(forms, _)| forms.field == term.field())
        {
            Some((forms, _)) => Ok(forms.doc_freq),
            None => self.inner.doc_freq(term),
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions, Value, STORED};
    use tantivy::{Index, TantivyDocument};

    use super::*;
    use crate::schema::{analyzer, register_analyzers, stemmed_analyzer, tokens};

    /// The documents a stemmed field would match, scored by BM25 with the stem's frequency.
    #[test]
    fn matches_what_a_stemmed_field_matches() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let with = |analyzer: &str, positions| {
            let record = if positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            };
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(record),
            )
        };
        let exact = builder.add_text_field("exact", with(analyzer::EXACT, true));
        let stemmed = builder.add_text_field("stemmed", with(analyzer::STEMMED, false));
        let stored = builder.add_text_field("stored", STORED);
        let index = Index::create_in_ram(builder.build());
        register_analyzers(&index);
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let texts = [
            "they deported him",
            "deportation flights and a deport order",
            "the deportations continued; deported again",
            "nothing to see",
            "Deporting",
            "depot and report",
        ];
        for round in 0..30 {
            for text in texts {
                let text = format!("{text} r{round}");
                let text = text.as_str();
                writer
                    .add_document(tantivy::doc!(exact => text, stemmed => text, stored => text))?;
            }
            if round % 7 == 0 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let collector = (Count, TopDocs::with_limit(1000).order_by_score());
        for word in ["deport", "deported", "report", "nothing", "zebra"] {
            let stem = tokens(stemmed_analyzer(), word).remove(0);
            let found = forms(&searcher, &[exact], &stem)?.remove(0);
            let ours = StemQuery::new(vec![(found.clone(), 1.0)]);
            let theirs = TermQuery::new(
                Term::from_field_text(stemmed, &stem),
                IndexRecordOption::WithFreqs,
            );
            let (count_a, mut top_a) = searcher.search(&ours, &collector)?;
            let (count_b, mut top_b) = searcher.search(&theirs, &collector)?;
            assert_eq!(count_a, count_b, "{word}");
            top_a.sort_by_key(|(_, address)| *address);
            top_b.sort_by_key(|(_, address)| *address);
            let a: Vec<_> = top_a.iter().map(|(_, address)| *address).collect();
            let b: Vec<_> = top_b.iter().map(|(_, address)| *address).collect();
            assert_eq!(a, b, "{word}");
            if word == "deport" {
                assert_eq!(
                    found.words,
                    [
                        "deport",
                        "deportation",
                        "deportations",
                        "deported",
                        "deporting"
                    ]
                );
                // "Deporting rN": one form once, in a two-word text.
                let n = found.doc_freq as f32;
                let total = searcher.num_docs() as f32;
                let idf = (1.0 + (total - n + 0.5) / (n + 0.5)).ln();
                let mut tokens = 0;
                for reader in searcher.segment_readers() {
                    tokens += reader.inverted_index(exact)?.total_num_tokens();
                }
                let average = tokens as f32 / total;
                let expected = idf * 2.2 / (1.0 + 1.2 * (0.25 + 0.75 * 2.0 / average));
                let mut checked = 0;
                for (score, address) in &top_a {
                    let doc: TantivyDocument = searcher.doc(*address)?;
                    let text = doc.get_first(stored).and_then(|v| v.as_str()).unwrap_or("");
                    if text.starts_with("Deporting") {
                        assert!(
                            (score - expected).abs() < 1e-3 * expected,
                            "{score} vs {expected}"
                        );
                        checked += 1;
                    }
                }
                assert_eq!(checked, 30);
            }
        }
        Ok(())
    }
}
