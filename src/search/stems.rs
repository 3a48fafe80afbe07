//! Stems: a plain word matches every indexed word that has its English stem.
//!
//! The index holds title and body words once, unstemmed and with positions, because phrases
//! need exactly that. Indexing a stemmed copy beside them made indexing about 1.75× slower
//! (`cargo bench --bench bare_tantivy`). So a plain word is stemmed at query time and each
//! segment's term dictionary is searched for the words with that stem: they all begin with
//! [`shared_start`], a short range of the dictionary.
//!
//! Those words then count as one term, as Lucene's `SynonymQuery` does: their frequencies add up
//! in a document, and BM25 sees one term whose document frequency is the sum of theirs (capped
//! at the number of documents). That is what a stemmed field would have scored, except that the
//! document frequency can count an article twice when it holds two forms of the word.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::query::{
    Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, InvertedIndexReader, Score, SegmentReader, Term, TERMINATED};

use crate::stem::shared_start;

/// Matches the documents whose `field` holds any word with the English stem `stem`.
#[derive(Clone, Debug)]
pub struct StemQuery {
    field: Field,
    stem: String,
}

impl StemQuery {
    /// A query for the words of `field` whose stem is `stem` (the stemmed analyzer's output).
    pub fn new(field: Field, stem: String) -> Self {
        StemQuery { field, stem }
    }
}

/// The words of one segment's field with stem `stem`, and where their postings are.
fn words_with_stem(index: &InvertedIndexReader, stem: &str) -> tantivy::Result<Vec<Word>> {
    let start = shared_start(stem);
    let mut end = start.as_bytes().to_vec();
    // The first key after every key beginning with `start`: no UTF-8 text holds byte 0xFF.
    end.push(0xFF);
    let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
    let mut stream = index.terms().range().ge(start).lt(&end).into_stream()?;
    let mut found = Vec::new();
    while let Some((key, info)) = stream.next() {
        let Ok(word) = std::str::from_utf8(key) else {
            continue;
        };
        if stemmer.stem(word) == stem {
            found.push(Word {
                text: word.to_string(),
                info: info.clone(),
            });
        }
    }
    Ok(found)
}

#[derive(Clone)]
struct Word {
    text: String,
    info: TermInfo,
}

impl Query for StemQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut per_segment = HashMap::new();
        let mut texts = BTreeSet::new();
        if let Some(searcher) = scoring.searcher() {
            for reader in searcher.segment_readers() {
                let words = words_with_stem(&*reader.inverted_index(self.field)?, &self.stem)?;
                texts.extend(words.iter().map(|word| word.text.clone()));
                per_segment.insert(reader.segment_id(), words);
            }
            if texts.len() == 1 {
                // One form in the whole index: tantivy's own term query, with its fast paths.
                if let Some(text) = texts.first() {
                    let term = Term::from_field_text(self.field, text);
                    return TermQuery::new(term, IndexRecordOption::WithFreqs).weight(scoring);
                }
            }
        }
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let docs = statistics_provider.total_num_docs()?;
                let tokens = statistics_provider.total_num_tokens(self.field)?;
                let mut doc_freq = 0u64;
                for text in &texts {
                    doc_freq +=
                        statistics_provider.doc_freq(&Term::from_field_text(self.field, text))?;
                }
                let average_length = tokens as Score / docs.max(1) as Score;
                Some(Bm25Weight::for_one_term(
                    doc_freq.min(docs),
                    docs,
                    average_length,
                ))
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(StemWeight {
            field: self.field,
            stem: self.stem.clone(),
            per_segment,
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, _visitor: &mut dyn FnMut(&'a Term, bool)) {}
}

struct StemWeight {
    field: Field,
    stem: String,
    /// The words found while computing the statistics, so scorers need not look again.
    per_segment: HashMap<SegmentId, Vec<Word>>,
    /// `None` when scoring is off.
    bm25: Option<Bm25Weight>,
}

impl StemWeight {
    fn words(&self, reader: &SegmentReader) -> tantivy::Result<Cow<'_, [Word]>> {
        Ok(match self.per_segment.get(&reader.segment_id()) {
            Some(words) => Cow::Borrowed(words.as_slice()),
            None => Cow::Owned(words_with_stem(
                &*reader.inverted_index(self.field)?,
                &self.stem,
            )?),
        })
    }

    fn stem_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<StemScorer> {
        let words = self.words(reader)?;
        let index = reader.inverted_index(self.field)?;
        let mut postings = Vec::with_capacity(words.len());
        for word in words.iter() {
            postings
                .push(index.read_postings_from_terminfo(&word.info, IndexRecordOption::WithFreqs)?);
        }
        let (fieldnorms, bm25) = match &self.bm25 {
            Some(bm25) => (
                reader.get_fieldnorms_reader(self.field)?,
                bm25.boost_by(boost),
            ),
            None => (
                FieldNormReader::constant(reader.max_doc(), 1),
                Bm25Weight::for_one_term(1, 1, 1.0),
            ),
        };
        Ok(StemScorer::new(postings, fieldnorms, bm25))
    }
}

impl Weight for StemWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.stem_scorer(reader, boost)?;
        if scorer.doc() == TERMINATED {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(scorer))
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let words = self.words(reader)?;
        match (reader.alive_bitset(), words.as_ref()) {
            (None, []) => Ok(0),
            (None, [only]) => Ok(only.info.doc_freq),
            (Some(alive), _) => Ok(self.stem_scorer(reader, 1.0)?.count(alive)),
            (None, _) => Ok(self.stem_scorer(reader, 1.0)?.count_including_deleted()),
        }
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.stem_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("BM25 of the words with one stem", scorer.score());
        explanation.add_context(format!("stem {:?}", self.stem));
        Ok(explanation)
    }
}

impl fmt::Debug for StemWeight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StemWeight")
            .field("stem", &self.stem)
            .finish()
    }
}

/// The merge of the postings of a stem's words; a document's frequency is the sum of theirs.
///
/// Each list's current document is kept beside it so the merge reads a small array.
struct StemScorer {
    postings: Vec<SegmentPostings>,
    docs: Vec<DocId>,
    doc: DocId,
    fieldnorms: FieldNormReader,
    bm25: Bm25Weight,
}

impl StemScorer {
    fn new(postings: Vec<SegmentPostings>, fieldnorms: FieldNormReader, bm25: Bm25Weight) -> Self {
        let docs: Vec<DocId> = postings.iter().map(DocSet::doc).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        StemScorer {
            postings,
            docs,
            doc,
            fieldnorms,
            bm25,
        }
    }

    fn settle(&mut self) -> DocId {
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for StemScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        for (list, doc) in self.postings.iter_mut().zip(self.docs.iter_mut()) {
            if *doc == current {
                *doc = list.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (list, doc) in self.postings.iter_mut().zip(self.docs.iter_mut()) {
            if *doc < target {
                *doc = list.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(DocSet::size_hint)
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for StemScorer {
    fn score(&mut self) -> Score {
        let current = self.doc;
        let mut frequency = 0;
        for (list, doc) in self.postings.iter().zip(&self.docs) {
            if *doc == current {
                frequency += list.term_freq();
            }
        }
        self.bm25
            .score(self.fieldnorms.fieldnorm_id(current), frequency)
    }
}

/// The number of documents holding a word with stem `stem` in `field`, summed over its words as
/// [`StemQuery`] scores it.
pub fn doc_freq(searcher: &tantivy::Searcher, field: Field, stem: &str) -> tantivy::Result<u64> {
    let mut total = 0u64;
    for reader in searcher.segment_readers() {
        for word in words_with_stem(&*reader.inverted_index(field)?, stem)? {
            total += u64::from(word.info.doc_freq);
        }
    }
    Ok(total.min(searcher.num_docs()))
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::Index;

    use super::*;
    use crate::schema::{analyzer, register_analyzers, stemmed_analyzer, tokens};

    /// A stemmed field's matches and scores, from the unstemmed words.
    #[test]
    fn matches_and_scores_like_a_stemmed_field() -> tantivy::Result<()> {
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
                writer.add_document(
                    tantivy::doc!(exact => text.as_str(), stemmed => text.as_str()),
                )?;
            }
            if round % 7 == 0 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert!(searcher.segment_readers().len() > 1);
        for word in ["deport", "deported", "report", "nothing", "zebra"] {
            let stem = tokens(stemmed_analyzer(), word).remove(0);
            let ours = StemQuery::new(exact, stem.clone());
            let theirs = TermQuery::new(
                Term::from_field_text(stemmed, &stem),
                IndexRecordOption::WithFreqs,
            );
            let collector = (Count, TopDocs::with_limit(1000).order_by_score());
            let (count_a, mut top_a) = searcher.search(&ours, &collector)?;
            let (count_b, mut top_b) = searcher.search(&theirs, &collector)?;
            assert_eq!(count_a, count_b, "{word}");
            top_a.sort_by_key(|(_, address)| *address);
            top_b.sort_by_key(|(_, address)| *address);
            let a: Vec<_> = top_a.iter().map(|(_, address)| *address).collect();
            let b: Vec<_> = top_b.iter().map(|(_, address)| *address).collect();
            assert_eq!(a, b, "{word}");
            // Only the document frequency differs: an article with two forms counts twice.
            let mut order_a = top_a.clone();
            let mut order_b = top_b.clone();
            order_a.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            order_b.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            let rank_a: Vec<_> = order_a.iter().map(|(_, address)| *address).collect();
            let rank_b: Vec<_> = order_b.iter().map(|(_, address)| *address).collect();
            assert_eq!(rank_a, rank_b, "{word}: ranking");
        }
        Ok(())
    }
}
