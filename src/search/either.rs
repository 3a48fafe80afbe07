//! Either: a document matches when any of a few queries does (a word in the title or the body),
//! scored by the sum of the ones that match — the same as a `BooleanQuery` of `Should` clauses.
//!
//! Why not only that `BooleanQuery`: tantivy evaluates it with a buffered union built for many
//! clauses, which clears a 4,096-document window on every far `seek`. Inside an `AND` of words
//! or a date filter the union is mostly sought, and that clearing was half of the query's time;
//! two or three children are cheaper to merge directly. Walked from start to end on its own
//! (a one-word query), the buffered union is the faster one — it is specialised for term
//! postings that this crate cannot name — so the weight keeps both: its `for_each` family runs
//! the `BooleanQuery`, its `scorer` (what an intersection asks for) the direct merge.

use std::fmt;

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Matches documents any part matches; the score is the sum of the matching parts' scores.
pub struct EitherQuery {
    parts: Vec<Box<dyn Query>>,
}

impl EitherQuery {
    /// A query matching what any of `parts` matches.
    pub fn new(parts: Vec<Box<dyn Query>>) -> Self {
        EitherQuery { parts }
    }
}

impl Clone for EitherQuery {
    fn clone(&self) -> Self {
        EitherQuery {
            parts: self.parts.iter().map(|part| part.box_clone()).collect(),
        }
    }
}

impl fmt::Debug for EitherQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Either").field(&self.parts).finish()
    }
}

impl Query for EitherQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .parts
            .iter()
            .map(|part| part.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let should = self
            .parts
            .iter()
            .map(|part| (Occur::Should, part.box_clone()))
            .collect();
        let walk = BooleanQuery::new(should).weight(scoring)?;
        Ok(Box::new(EitherWeight { weights, walk }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for part in &self.parts {
            part.query_terms(visitor);
        }
    }
}

struct EitherWeight {
    /// One per part, for the direct merge.
    weights: Vec<Box<dyn Weight>>,
    /// The same parts as tantivy's own union, for walking every match.
    walk: Box<dyn Weight>,
}

impl Weight for EitherWeight {
    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.walk.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.walk.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.walk.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.walk.for_each_pruning(threshold, reader, callback)
    }

    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut children = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                children.push(scorer);
            }
        }
        if children.len() == 1 {
            return Ok(children.remove(0));
        }
        Ok(Box::new(EitherScorer::new(children)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut details = Vec::new();
        for weight in &self.weights {
            let mut scorer = weight.scorer(reader, 1.0)?;
            if scorer.doc() <= doc && scorer.seek(doc) == doc {
                details.push(weight.explain(reader, doc)?);
            }
        }
        if details.is_empty() {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(sum_of("sum of the matching parts", details))
    }
}

/// An explanation whose value is the sum of its details'.
pub(super) fn sum_of(title: &'static str, details: Vec<Explanation>) -> Explanation {
    let total = details.iter().map(Explanation::value).sum();
    let mut explanation = Explanation::new(title, total);
    for detail in details {
        explanation.add_detail(detail);
    }
    explanation
}

/// A merge of a few scorers; `doc` is the smallest of their current documents.
///
/// Each child's current document is kept beside it, so the merge reads a small array instead
/// of calling through the trait object for every child at every step.
///
/// A word with several forms has many children (each form in title and body), and stepping
/// through all their documents one at a time costs a pass over the children per document. So
/// after a run of steps without seeks the merge reads the children a window of documents at a
/// time instead ([`Window`]), each child straight through, as tantivy's buffered union does; a
/// seek past the window goes back to the merge, whose seeks do not clear a window.
struct EitherScorer {
    children: Vec<Box<dyn Scorer>>,
    docs: Vec<DocId>,
    doc: DocId,
    /// Steps since the last seek.
    steps: u32,
    window: Option<Box<Window>>,
    /// Running mean of the distance between consecutive seek targets (see [`DENSE_SEEK_GAP`]).
    seek_gap: u32,
    last_target: DocId,
}

/// Steps without a seek after which a merge of [`MIN_CHILDREN_TO_BUFFER`] or more children
/// reads a window at a time.
const STEPS_BEFORE_BUFFERING: u32 = 32;
const MIN_CHILDREN_TO_BUFFER: usize = 3;
/// Documents per window (64 words of 64 bits).
pub(super) const WINDOW_DOCS: u32 = 4096;
/// Seeks whose targets lie on average closer than this are served from windows too.
///
/// The side of an intersection that leads (a date-filtered word) is sought at nearly every one
/// of its own documents. A seek through the merge asks each child whether it is behind the
/// target, and which ones are is close to random: "bank" since 1987-10 on Reuters ×30 had one
/// conditional branch in ten mispredicted (cachegrind). A window is read child by child,
/// straight through.
const DENSE_SEEK_GAP: u32 = 64;

/// A window of documents `start..start + WINDOW_DOCS`: which of them match, and their scores.
pub(super) struct Window {
    pub start: DocId,
    pub bits: [u64; (WINDOW_DOCS / 64) as usize],
    pub scores: [Score; WINDOW_DOCS as usize],
    /// True while the children hold documents of this window (filled, not yet all read).
    live: bool,
}

impl Window {
    pub(super) fn new() -> Box<Window> {
        Box::new(Window {
            start: 0,
            bits: [0; (WINDOW_DOCS / 64) as usize],
            scores: [0.0; WINDOW_DOCS as usize],
            live: false,
        })
    }

    /// Empties the window and moves it to `start..start + WINDOW_DOCS`.
    ///
    /// Only the bits are cleared: a score is valid where its bit is set, and [`Window::put`]
    /// starts a document's sum afresh when its bit is not. Clearing sixteen kilobytes of scores
    /// for every window cost more than reading the postings in it.
    pub(super) fn clear(&mut self, start: DocId) {
        self.start = start;
        self.bits = [0; (WINDOW_DOCS / 64) as usize];
    }

    /// Adds a score for the document at `offset` in the window.
    #[inline]
    pub(super) fn put(&mut self, offset: usize, score: Score) {
        let word = &mut self.bits[offset / 64];
        let bit = 1u64 << (offset % 64);
        let sum = &mut self.scores[offset];
        *sum = if *word & bit != 0 {
            *sum + score
        } else {
            score
        };
        *word |= bit;
    }

    /// The window's end (exclusive).
    pub(super) fn end(&self) -> DocId {
        self.start.saturating_add(WINDOW_DOCS)
    }

    /// The first matching document at or after `from` in the window, if any.
    fn next(&self, from: DocId) -> Option<DocId> {
        let mut offset = from.saturating_sub(self.start) as usize;
        while let Some(&word) = self.bits.get(offset / 64) {
            let bits = word & (u64::MAX << (offset % 64));
            if bits != 0 {
                return Some(self.start + (offset / 64 * 64) as DocId + bits.trailing_zeros());
            }
            offset = (offset / 64 + 1) * 64;
        }
        None
    }

    fn score(&self, doc: DocId) -> Score {
        let offset = doc.wrapping_sub(self.start) as usize;
        self.scores.get(offset).copied().unwrap_or(0.0)
    }

    /// Adds a scorer's documents in the window that are in `only`, one at a time; leaves it at
    /// or past the end.
    fn add(&mut self, scorer: &mut dyn Scorer, only: &Mask) {
        let (start, end) = (self.start, self.end());
        let mut doc = scorer.doc();
        if doc < start {
            doc = scorer.seek(start);
        }
        while doc < end {
            let offset = (doc - start) as usize;
            if only.holds(offset) {
                self.put(offset, scorer.score());
            }
            doc = scorer.advance();
        }
    }
}

/// Which documents of a window to keep, by offset.
pub(super) struct Mask(pub [u64; (WINDOW_DOCS / 64) as usize]);

impl Mask {
    /// Every document.
    pub(super) const ALL: Mask = Mask([u64::MAX; (WINDOW_DOCS / 64) as usize]);

    #[inline]
    pub(super) fn holds(&self, offset: usize) -> bool {
        self.0[offset / 64] & (1 << (offset % 64)) != 0
    }
}

/// Adds the window's documents of a scorer that are in `only`, reading a merge child by child;
/// the others are stepped over without being scored.
///
/// A scorer that is an [`EitherScorer`] has each child read straight through in turn, adding
/// its scores in child order — the order its `score` sums them in, so the sums are the same.
pub(super) fn fill_window(scorer: &mut dyn Scorer, window: &mut Window, only: &Mask) {
    match scorer.downcast_mut::<EitherScorer>() {
        Some(either) => either.fill_window(window, only),
        None => window.add(scorer, only),
    }
}

impl EitherScorer {
    fn new(children: Vec<Box<dyn Scorer>>) -> Self {
        let docs: Vec<DocId> = children.iter().map(|child| child.doc()).collect();
        let doc = smallest(&docs);
        EitherScorer {
            children,
            docs,
            doc,
            steps: 0,
            window: None,
            seek_gap: WINDOW_DOCS,
            last_target: doc,
        }
    }

    /// Reads every child's documents of the window starting at the smallest current one.
    fn fill(&mut self) -> DocId {
        let start = smallest(&self.docs);
        let window = self.window.get_or_insert_with(Window::new);
        window.live = false;
        if start == TERMINATED {
            return TERMINATED;
        }
        window.clear(start);
        window.live = true;
        add_children(&mut self.children, &mut self.docs, window, &Mask::ALL);
        start
    }

    /// Adds every child's documents in `window` (see [`fill_window`]), leaving them past it.
    fn fill_window(&mut self, window: &mut Window, only: &Mask) {
        if let Some(own) = self.window.as_mut() {
            own.live = false;
        }
        add_children(&mut self.children, &mut self.docs, window, only);
        self.doc = smallest(&self.docs);
    }

    /// The first document at or after `from` in the current window, refilling as needed.
    fn buffered_next(&mut self, from: DocId) -> DocId {
        loop {
            let found = match self.window.as_ref() {
                Some(window) if window.live => window.next(from),
                _ => None,
            };
            if let Some(doc) = found {
                return doc;
            }
            if self.fill() == TERMINATED {
                return TERMINATED;
            }
        }
    }

    fn buffering(&self) -> bool {
        self.window.as_ref().is_some_and(|window| window.live)
    }
}

/// Adds each child's documents in the window that are in `only`, child by child, moving the
/// children to its end.
fn add_children(
    children: &mut [Box<dyn Scorer>],
    docs: &mut [DocId],
    window: &mut Window,
    only: &Mask,
) {
    let (start, end) = (window.start, window.end());
    for (child, doc) in children.iter_mut().zip(docs.iter_mut()) {
        if *doc < start {
            *doc = child.seek(start);
        }
        while *doc < end {
            let offset = (*doc - start) as usize;
            if only.holds(offset) {
                window.put(offset, child.score());
            }
            *doc = child.advance();
        }
    }
}

fn smallest(docs: &[DocId]) -> DocId {
    docs.iter().copied().min().unwrap_or(TERMINATED)
}

impl DocSet for EitherScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        if self.buffering() {
            self.doc = self.buffered_next(current + 1);
            return self.doc;
        }
        for (child, doc) in self.children.iter_mut().zip(self.docs.iter_mut()) {
            if *doc == current {
                *doc = child.advance();
            }
        }
        self.doc = smallest(&self.docs);
        self.steps += 1;
        if self.steps >= STEPS_BEFORE_BUFFERING && self.children.len() >= MIN_CHILDREN_TO_BUFFER {
            self.doc = self.buffered_next(self.doc);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.steps = 0;
        let gap = target.saturating_sub(self.last_target).min(WINDOW_DOCS);
        self.seek_gap = (self.seek_gap * 7 + gap) / 8;
        self.last_target = target;
        if let Some(window) = self.window.as_mut().filter(|window| window.live) {
            if target < window.start.saturating_add(WINDOW_DOCS) {
                if let Some(doc) = window.next(target) {
                    self.doc = doc;
                    return doc;
                }
            }
            // Past the window. The children are already past it.
            window.live = false;
        }
        if self.seek_gap < DENSE_SEEK_GAP && self.children.len() >= MIN_CHILDREN_TO_BUFFER {
            for (child, doc) in self.children.iter_mut().zip(self.docs.iter_mut()) {
                if *doc < target {
                    *doc = child.seek(target);
                }
            }
            self.doc = self.buffered_next(target);
            return self.doc;
        }
        // One pass that seeks and takes the minimum: a union is sought once per candidate of
        // an intersection, so this loop is the hot path of AND queries (7% fewer instructions
        // for "wheat export" than a pass to seek and a pass for the minimum).
        let mut smallest = TERMINATED;
        for (i, doc) in self.docs.iter_mut().enumerate() {
            if *doc < target {
                if let Some(child) = self.children.get_mut(i) {
                    *doc = child.seek(target);
                }
            }
            smallest = smallest.min(*doc);
        }
        self.doc = smallest;
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.children
            .iter()
            .map(|child| child.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.children.iter().map(|child| child.cost()).sum()
    }
}

impl Scorer for EitherScorer {
    fn score(&mut self) -> Score {
        let current = self.doc;
        if let Some(window) = self.window.as_ref().filter(|window| window.live) {
            return window.score(current);
        }
        let mut total = 0.0;
        for (child, doc) in self.children.iter_mut().zip(&self.docs) {
            if *doc == current {
                total += child.score();
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    use super::*;

    /// Same documents, same scores as the `BooleanQuery` of `Should` clauses it replaces,
    /// alone and inside an `AND`.
    #[test]
    fn matches_and_scores_like_a_boolean_union() -> tantivy::Result<()> {
        let (index, title, body) = title_and_body_index();
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let texts = [
            ("oil price", "crude rises"),
            ("wheat", "oil exports fall"),
            ("markets", "nothing here"),
            ("oil", "oil oil and wheat"),
            ("", "wheat and oil"),
        ];
        for round in 0..40 {
            for (t, b) in texts {
                writer.add_document(doc!(title => t, body => format!("{b} r{round}")))?;
            }
            if round % 13 == 0 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let ours = |word: &str| -> Box<dyn Query> {
            Box::new(EitherQuery::new(vec![term(title, word), term(body, word)]))
        };
        let theirs = |word: &str| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, term(title, word)),
                (Occur::Should, term(body, word)),
            ]))
        };
        let and = |make: &dyn Fn(&str) -> Box<dyn Query>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, make("oil")),
                (Occur::Must, make("wheat")),
            ]))
        };
        for (a, b) in [(ours("oil"), theirs("oil")), (and(&ours), and(&theirs))] {
            let first = assert_same_matches_and_scores(&searcher, &*a, &*b, 1)?;
            assert!(a.explain(&searcher, first)?.value() > 0.0);
        }
        Ok(())
    }

    /// Many parts over several windows of documents, stepped through (beside a filter that
    /// matches everything) and sought (beside a rare word): the same matches and scores as the
    /// `BooleanQuery` of `Should` clauses.
    #[test]
    fn windows_of_many_parts_match_and_score_like_a_boolean_union() -> tantivy::Result<()> {
        let (index, title, body) = title_and_body_index();
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        for n in 0..10_000u32 {
            let t = if n % 7 == 0 { "oil" } else { "grain" };
            let b = match n % 5 {
                0 => "oils and oil",
                1 => "oiled",
                2 => "nothing",
                3 => "oil rare",
                _ => "oils",
            };
            let rare = if n % 97 == 0 { " rare" } else { "" };
            writer.add_document(doc!(title => t, body => format!("{b}{rare}")))?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let parts = || {
            vec![
                term(title, "oil"),
                term(body, "oil"),
                term(body, "oils"),
                term(body, "oiled"),
            ]
        };
        let ours: Box<dyn Query> = Box::new(EitherQuery::new(parts()));
        let theirs: Box<dyn Query> = Box::new(BooleanQuery::new(
            parts().into_iter().map(|p| (Occur::Should, p)).collect(),
        ));
        let with = |other: Box<dyn Query>, either: Box<dyn Query>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, either),
                (Occur::Must, other),
            ]))
        };
        let cases = [
            (
                with(Box::new(tantivy::query::AllQuery), ours.box_clone()),
                with(Box::new(tantivy::query::AllQuery), theirs.box_clone()),
            ),
            (
                with(term(body, "rare"), ours.box_clone()),
                with(term(body, "rare"), theirs.box_clone()),
            ),
        ];
        for (a, b) in cases {
            assert_same_matches_and_scores(&searcher, &*a, &*b, 1000)?;
        }
        Ok(())
    }

    /// An empty in-memory index with two text fields, title and body.
    fn title_and_body_index() -> (Index, Field, Field) {
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        (Index::create_in_ram(builder.build()), title, body)
    }

    /// A query for `word` in `field`, with term frequencies for scoring.
    fn term(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// Asserts that `a` and `b` match the same documents (at least `min` of them) with the same
    /// scores; returns the first match.
    fn assert_same_matches_and_scores(
        searcher: &tantivy::Searcher,
        a: &dyn Query,
        b: &dyn Query,
        min: usize,
    ) -> tantivy::Result<tantivy::DocAddress> {
        let collector = (Count, TopDocs::with_limit(20_000).order_by_score());
        let (count_a, mut top_a) = searcher.search(a, &collector)?;
        let (count_b, mut top_b) = searcher.search(b, &collector)?;
        assert_eq!(count_a, count_b);
        assert!(count_a >= min, "{count_a} matches");
        top_a.sort_by_key(|(_, addr)| *addr);
        top_b.sort_by_key(|(_, addr)| *addr);
        assert_eq!(top_a.len(), top_b.len());
        for ((score_a, addr_a), (score_b, addr_b)) in top_a.iter().zip(&top_b) {
            assert_eq!(addr_a, addr_b);
            assert!((score_a - score_b).abs() < 1e-4, "{score_a} vs {score_b}");
        }
        Ok(top_a[0].1)
    }
}
