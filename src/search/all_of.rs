//! All of: a document matches when every part does (an `AND`), scored by the sum of the parts'
//! scores — the same matches and scores as a `BooleanQuery` of `Must` clauses.
//!
//! Why not only that `BooleanQuery`: tantivy intersects its parts by walking the rarest one and
//! seeking the others to each of its documents. A plain word is a union of every form of its
//! stem in title and body (up to a dozen posting lists, see [`super::stems`]), so each seek asks
//! every list whether it is behind the target, and which ones are is close to random. For
//! "gold mine" on Reuters ×30 a tenth of all conditional branches were mispredicted (cachegrind's
//! branch simulation), and the query ran at about half the instructions per cycle of tantivy-py
//! intersecting two plain terms.
//!
//! Here the segment is walked a window of 4,096 documents at a time, as tantivy's own union
//! walks it. The parts that are cheap to list ([`Part::listable`]: a word's forms) and at most
//! `LIST_RATIO` (8) times longer than the shortest part fill the window one after the other, each
//! posting list read straight through; a later part only scores the documents every earlier one
//! holds. Their bits are intersected word by word, and only the documents left are checked
//! against the other parts (a phrase) by seeking. A window starts at the furthest of the listed
//! parts' next documents, so stretches some part lacks are skipped. Scores are summed in the
//! order tantivy's intersection sums them, so they are the same to the bit (a test checks).
//!
//! A listed word's forms are read from their postings directly, scored with the BM25 weight
//! their `TermQuery` would use: stepping through tantivy's scorers costs a call through a trait
//! object per posting ("acquisition shares": 15.0 M → 11.5 M instructions).
//!
//! Measured with cachegrind on Reuters ×30 (instructions, mispredicted branches per query, with
//! the stem-forms cache): "gold mine" 7.25 M and 100 k before, 4.23 M and 42 k after; "bank
//! dollar" 22.2 M and 354 k before, 13.2 M and 89 k after. A part much longer than the shortest
//! is still sought, not listed: reading all of "oil" to meet "opec" cost more than seeking it.

use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    intersect_scorers, Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::either::{fill_window, sum_of, Mask, Window, WINDOW_DOCS};
use super::stems::{StemQuery, WeightedForm};

/// A part longer than this many times the shortest one is checked by seeking, not listed: listing
/// reads all of its postings, seeking only those near the candidates.
const LIST_RATIO: u64 = 8;

/// One clause of an `AND`.
pub struct Part {
    /// What the part matches.
    pub query: Box<dyn Query>,
    /// Whether its documents can be listed a window at a time by reading posting lists straight
    /// through (a word's forms). A phrase cannot: every candidate's positions are checked.
    pub listable: bool,
}

impl Clone for Part {
    fn clone(&self) -> Self {
        Part {
            query: self.query.box_clone(),
            listable: self.listable,
        }
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Part")
            .field("query", &self.query)
            .field("listable", &self.listable)
            .finish()
    }
}

/// Matches the documents every part matches.
#[derive(Clone, Debug)]
pub struct AllOfQuery {
    parts: Vec<Part>,
}

impl AllOfQuery {
    /// A query matching what all of `parts` match.
    pub fn new(parts: Vec<Part>) -> Self {
        AllOfQuery { parts }
    }
}

impl Query for AllOfQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let forms = match part.query.downcast_ref::<StemQuery>() {
                Some(stem) if part.listable => stem.weighted_forms(scoring)?,
                _ => None,
            };
            parts.push(PartWeight {
                weight: part.query.weight(scoring)?,
                listable: part.listable,
                forms,
            });
        }
        Ok(Box::new(AllOfWeight { parts }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for part in &self.parts {
            part.query.query_terms(visitor);
        }
    }
}

struct AllOfWeight {
    parts: Vec<PartWeight>,
}

struct PartWeight {
    weight: Box<dyn Weight>,
    /// See [`Part::listable`].
    listable: bool,
    /// A word's forms, read straight from their postings when the part is listed.
    forms: Option<Vec<WeightedForm>>,
}

impl Weight for AllOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        // A word's forms are opened once: their postings both give its cost and are read.
        let mut sources = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            sources.push(match (&part.forms, part.listable) {
                (Some(forms), true) => Source::Forms(open_forms(reader, forms, boost)?),
                _ => Source::Scorer(part.weight.scorer(reader, boost)?),
            });
        }
        let costs: Vec<u64> = sources.iter().map(Source::cost).collect();
        // The order tantivy's intersection sums scores in: by cost, ties in clause order.
        let mut order: Vec<usize> = (0..costs.len()).collect();
        order.sort_by_key(|&i| costs[i]);
        let shortest = order.first().map_or(0, |&i| costs[i]);
        let limit = shortest.saturating_mul(LIST_RATIO).max(1);
        let to_list: Vec<bool> = costs
            .iter()
            .zip(&self.parts)
            .map(|(&cost, part)| part.listable && cost <= limit)
            .collect();
        let mut parts: Vec<Option<Checked>> = Vec::with_capacity(sources.len());
        for ((source, part), &listed) in sources.into_iter().zip(&self.parts).zip(&to_list) {
            // Forms opened for a part that is sought after all: seek through its scorer.
            let source = match source {
                Source::Forms(_) if !listed => Source::Scorer(part.weight.scorer(reader, boost)?),
                source => source,
            };
            parts.push(Some(Checked {
                source,
                window: listed.then(Window::new),
            }));
        }
        if parts.len() < 2 || !to_list.contains(&true) {
            let scorers = parts
                .into_iter()
                .flatten()
                .filter_map(|part| match part.source {
                    Source::Scorer(scorer) => Some(scorer),
                    Source::Forms(_) => None,
                })
                .collect();
            return Ok(intersect_scorers(scorers, reader.num_docs()));
        }
        let parts: Vec<Checked> = order
            .iter()
            .filter_map(|&i| parts.get_mut(i).and_then(Option::take))
            .collect();
        let mut scorer = AllOfScorer {
            parts,
            matches: Mask([0; MATCH_WORDS]),
            start: 0,
            live: false,
            doc: 0,
        };
        scorer.doc = scorer.next_match(0);
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut details = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            details.push(part.weight.explain(reader, doc)?);
        }
        Ok(sum_of("sum of the parts, all matching", details))
    }
}

/// One part inside the scorer.
struct Checked {
    source: Source,
    /// For a listed part: its documents and scores in the current window. An unlisted part is
    /// sought to each candidate instead.
    window: Option<Box<Window>>,
}

/// Where a part's documents come from.
enum Source {
    /// Its scorer: sought (unlisted), or stepped through a window at a time.
    Scorer(Box<dyn Scorer>),
    /// A listed word's forms, read from their postings.
    Forms(Vec<FormPostings>),
}

impl Source {
    /// What tantivy's intersection orders parts by: a word's scorer costs the sum of its forms'
    /// postings, which is what the forms' postings add up to.
    fn cost(&self) -> u64 {
        match self {
            Source::Scorer(scorer) => scorer.cost(),
            Source::Forms(forms) => forms.iter().map(|form| form.postings.cost()).sum(),
        }
    }
}

impl Checked {
    /// The part's next document not yet read into a window.
    fn next_doc(&self) -> DocId {
        match &self.source {
            Source::Forms(forms) => forms
                .iter()
                .map(|form| form.postings.doc())
                .min()
                .unwrap_or(TERMINATED),
            Source::Scorer(scorer) => scorer.doc(),
        }
    }

    /// Adds the part's documents in `window` that are in `only`.
    fn fill(&mut self, window: &mut Window, only: &Mask) {
        match &mut self.source {
            Source::Forms(forms) => {
                for form in forms {
                    form.fill(window, only);
                }
            }
            Source::Scorer(scorer) => fill_window(&mut **scorer, window, only),
        }
    }
}

/// One form's postings in a segment, scored as its `TermScorer` would score them.
struct FormPostings {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    weight: Bm25Weight,
}

impl FormPostings {
    /// Adds the form's documents in `window` that are in `only`: the same scores, added in the
    /// same order, as the word's merge of `TermScorer`s (see `either::fill_window`).
    fn fill(&mut self, window: &mut Window, only: &Mask) {
        let (start, end) = (window.start, window.end());
        let mut doc = self.postings.doc();
        if doc < start {
            doc = self.postings.seek(start);
        }
        while doc < end {
            let offset = (doc - start) as usize;
            if only.holds(offset) {
                let norm = self.fieldnorms.fieldnorm_id(doc);
                window.put(offset, self.weight.score(norm, self.postings.term_freq()));
            }
            doc = self.postings.advance();
        }
    }
}

/// Opens the postings of a word's forms in one segment, weighed as `TermWeight::scorer` weighs
/// them under `boost` (the forms a segment lacks are left out, as the merge leaves them out).
fn open_forms(
    reader: &SegmentReader,
    forms: &[WeightedForm],
    boost: Score,
) -> tantivy::Result<Vec<FormPostings>> {
    let mut out = Vec::with_capacity(forms.len());
    for form in forms {
        let field = form.term.field();
        let Some(postings) = reader
            .inverted_index(field)?
            .read_postings(&form.term, IndexRecordOption::WithFreqs)?
        else {
            continue;
        };
        if postings.doc() == TERMINATED {
            continue;
        }
        let fieldnorms = match reader.fieldnorms_readers().get_field(field)? {
            Some(fieldnorms) => fieldnorms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        // A boosted form's scorer is built with the outer boost times its own (`BoostWeight`).
        let boost = if form.boost == 1.0 {
            boost
        } else {
            boost * form.boost
        };
        out.push(FormPostings {
            postings,
            fieldnorms,
            weight: form.weight.boost_by(boost),
        });
    }
    Ok(out)
}

const MATCH_WORDS: usize = (WINDOW_DOCS / 64) as usize;

/// Walks the segment a window of documents at a time: fills every listed part's window (each
/// posting list straight through), intersects their bits, then checks the unlisted parts at the
/// documents left.
struct AllOfScorer {
    /// All parts, in the order tantivy's intersection would sum their scores.
    parts: Vec<Checked>,
    /// The documents of the window every listed part holds.
    matches: Mask,
    start: DocId,
    /// Whether `matches` describes the window at `start`.
    live: bool,
    doc: DocId,
}

impl AllOfScorer {
    /// The first document at or after `from` that every part matches.
    fn next_match(&mut self, mut from: DocId) -> DocId {
        while from != TERMINATED {
            let end = self.start.saturating_add(WINDOW_DOCS);
            if !self.live || from >= end {
                from = self.fill(from);
                continue;
            }
            let Some(candidate) = self.next_in_window(from) else {
                from = end;
                continue;
            };
            match self.check_unlisted(candidate) {
                None => return candidate,
                Some(next) => from = next,
            }
        }
        TERMINATED
    }

    /// Fills the windows at the first document at or after `from` that every listed part may
    /// hold; returns where to look next.
    fn fill(&mut self, from: DocId) -> DocId {
        let start = self
            .parts
            .iter()
            .filter(|part| part.window.is_some())
            .map(Checked::next_doc)
            .fold(from, DocId::max);
        self.live = false;
        if start == TERMINATED {
            return TERMINATED;
        }
        self.matches = Mask::ALL;
        for part in &mut self.parts {
            let Some(mut window) = part.window.take() else {
                continue;
            };
            window.clear(start);
            // Later parts only score the documents every earlier part holds.
            part.fill(&mut window, &self.matches);
            let window = part.window.insert(window);
            for (all, bits) in self.matches.0.iter_mut().zip(&window.bits) {
                *all &= *bits;
            }
            if self.matches.0.iter().all(|&word| word == 0) {
                // The other parts stay behind; the next fill seeks them.
                return start.saturating_add(WINDOW_DOCS);
            }
        }
        self.start = start;
        self.live = true;
        start
    }

    /// The first document of the window at or after `from` that every listed part holds.
    fn next_in_window(&self, from: DocId) -> Option<DocId> {
        let mut offset = from.saturating_sub(self.start) as usize;
        while let Some(&word) = self.matches.0.get(offset / 64) {
            let bits = word & (u64::MAX << (offset % 64));
            if bits != 0 {
                return Some(self.start + (offset / 64 * 64) as DocId + bits.trailing_zeros());
            }
            offset = (offset / 64 + 1) * 64;
        }
        None
    }

    /// `None` when every unlisted part matches `candidate`, else the first document after it
    /// that one of them might.
    fn check_unlisted(&mut self, candidate: DocId) -> Option<DocId> {
        for part in self.parts.iter_mut().filter(|part| part.window.is_none()) {
            // An unlisted part always has a scorer.
            let Source::Scorer(scorer) = &mut part.source else {
                continue;
            };
            let mut doc = scorer.doc();
            if doc < candidate {
                doc = scorer.seek(candidate);
            }
            if doc != candidate {
                return Some(doc);
            }
        }
        None
    }
}

impl DocSet for AllOfScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.next_match(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.next_match(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.cost()).unwrap_or(u32::MAX)
    }

    fn cost(&self) -> u64 {
        self.parts
            .iter()
            .map(|part| part.source.cost())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for AllOfScorer {
    fn score(&mut self) -> Score {
        let offset = self.doc.wrapping_sub(self.start) as usize;
        let mut scores = self
            .parts
            .iter_mut()
            .map(|part| match (&part.window, &mut part.source) {
                (Some(window), _) => window.scores.get(offset).copied().unwrap_or(0.0),
                (None, Source::Scorer(scorer)) => scorer.score(),
                (None, Source::Forms(_)) => 0.0,
            });
        // Summed as tantivy's intersection sums: the first two, then the rest from zero.
        let first = scores.next().unwrap_or(0.0);
        let second = scores.next().unwrap_or(0.0);
        let rest: Score = scores.sum();
        first + second + rest
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    use super::*;
    use crate::search::either::EitherQuery;

    /// Over several segments and many windows, with words from everywhere to nearly nowhere,
    /// a phrase among the parts and the whole sought inside another `AND`: the same matches and
    /// scores as the `BooleanQuery` of `Must` clauses.
    #[test]
    fn matches_and_scores_like_a_boolean_intersection() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        // A small deterministic generator: every word's documents are spread unevenly.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let words = [
            "oil", "oils", "opec", "gold", "mine", "mines", "mining", "rare",
        ];
        // Chance out of 1,000 of each word, per field.
        let odds = [300, 40, 30, 120, 90, 40, 50, 2];
        for n in 0..30_000u32 {
            let mut fields = [String::new(), String::new()];
            for text in &mut fields {
                for (word, odd) in words.iter().zip(odds) {
                    let repeats = 1 + next() % 3;
                    if next() % 1000 < odd {
                        for _ in 0..repeats {
                            text.push_str(word);
                            text.push(' ');
                        }
                    }
                }
                text.push_str("filler words here");
            }
            writer.add_document(doc!(title => fields[0].clone(), body => fields[1].clone()))?;
            if n % 11_000 == 10_999 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let term = |field: Field, word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let word = |forms: &[&str]| -> Box<dyn Query> {
            let mut parts = Vec::new();
            for form in forms {
                parts.push(term(title, form));
                parts.push(term(body, form));
            }
            Box::new(EitherQuery::new(parts))
        };
        let phrase = || -> Box<dyn Query> {
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(body, "oil"),
                Term::from_field_text(body, "opec"),
            ]))
        };
        let cases: Vec<Vec<(Box<dyn Query>, bool)>> = vec![
            vec![
                (word(&["gold"]), true),
                (word(&["mine", "mines", "mining"]), true),
            ],
            vec![(word(&["oil", "oils"]), true), (word(&["opec"]), true)],
            vec![(word(&["rare"]), true), (word(&["oil", "oils"]), true)],
            vec![
                (word(&["oil"]), true),
                (word(&["gold"]), true),
                (word(&["mining"]), true),
            ],
            vec![(word(&["gold"]), true), (phrase(), false)],
            vec![(phrase(), false), (word(&["oil", "oils"]), true)],
            vec![(word(&["oil"]), false), (word(&["opec"]), false)],
        ];
        // Words as queries build them: every form of a stem, the title boosted.
        let stem = |stem: &str| -> tantivy::Result<Box<dyn Query>> {
            let mut found = crate::search::stems::forms(&searcher, &[title, body], stem)?;
            let body_forms = found.pop().expect("body");
            let title_forms = found.pop().expect("title");
            Ok(Box::new(StemQuery::new(vec![
                (title_forms, 2.0),
                (body_forms, 1.0),
            ])))
        };
        let mut cases = cases;
        cases.push(vec![(stem("gold")?, true), (stem("mine")?, true)]);
        // A rare word listed, a common one sought: its forms are opened, then its scorer used.
        cases.push(vec![(stem("rare")?, true), (stem("oil")?, true)]);
        cases.push(vec![
            (stem("oil")?, true),
            (stem("opec")?, true),
            (stem("mine")?, true),
        ]);
        cases.push(vec![
            (stem("mine")?, true),
            (phrase(), false),
            (stem("oil")?, true),
        ]);
        let mut checked = 0;
        for case in cases {
            let ours: Box<dyn Query> = Box::new(AllOfQuery::new(
                case.iter()
                    .map(|(query, listable)| Part {
                        query: query.box_clone(),
                        listable: *listable,
                    })
                    .collect(),
            ));
            let theirs: Box<dyn Query> = Box::new(BooleanQuery::new(
                case.iter()
                    .map(|(query, _)| (Occur::Must, query.box_clone()))
                    .collect(),
            ));
            checked += same_matches_and_scores(&searcher, &*ours, &*theirs)?;
            let within = |query: Box<dyn Query>| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, term(body, "rare")),
                    (Occur::Must, query),
                ]))
            };
            same_matches_and_scores(&searcher, &*within(ours), &*within(theirs))?;
        }
        assert!(checked > 3_000, "{checked} matches checked");
        Ok(())
    }

    /// Asserts that both queries match the same documents with the same scores; returns how
    /// many they match.
    fn same_matches_and_scores(
        searcher: &tantivy::Searcher,
        a: &dyn Query,
        b: &dyn Query,
    ) -> tantivy::Result<usize> {
        let collector = (Count, TopDocs::with_limit(100_000).order_by_score());
        let (count_a, mut top_a) = searcher.search(a, &collector)?;
        let (count_b, mut top_b) = searcher.search(b, &collector)?;
        assert_eq!(count_a, count_b);
        top_a.sort_by_key(|(_, addr)| *addr);
        top_b.sort_by_key(|(_, addr)| *addr);
        assert_eq!(top_a.len(), top_b.len());
        for ((score_a, addr_a), (score_b, addr_b)) in top_a.iter().zip(&top_b) {
            assert_eq!(addr_a, addr_b);
            assert_eq!(
                score_a.to_bits(),
                score_b.to_bits(),
                "{score_a} vs {score_b}"
            );
        }
        Ok(count_a)
    }
}
