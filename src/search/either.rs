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
        let total = details.iter().map(Explanation::value).sum();
        let mut explanation = Explanation::new("sum of the matching parts", total);
        for detail in details {
            explanation.add_detail(detail);
        }
        Ok(explanation)
    }
}

/// A merge of a few scorers; `doc` is the smallest of their current documents.
///
/// Each child's current document is kept beside it, so the merge reads a small array instead
/// of calling through the trait object for every child at every step.
struct EitherScorer {
    children: Vec<Box<dyn Scorer>>,
    docs: Vec<DocId>,
    doc: DocId,
}

impl EitherScorer {
    fn new(children: Vec<Box<dyn Scorer>>) -> Self {
        let docs: Vec<DocId> = children.iter().map(|child| child.doc()).collect();
        let doc = smallest(&docs);
        EitherScorer {
            children,
            docs,
            doc,
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
        for (child, doc) in self.children.iter_mut().zip(self.docs.iter_mut()) {
            if *doc == current {
                *doc = child.advance();
            }
        }
        self.doc = smallest(&self.docs);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (child, doc) in self.children.iter_mut().zip(self.docs.iter_mut()) {
            if *doc < target {
                *doc = child.seek(target);
            }
        }
        self.doc = smallest(&self.docs);
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
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    use super::*;

    /// Same documents, same scores as the `BooleanQuery` of `Should` clauses it replaces,
    /// alone and inside an `AND`.
    #[test]
    fn matches_and_scores_like_a_boolean_union() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
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
        let term = |field, word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            ))
        };
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
            let collector = (Count, TopDocs::with_limit(500).order_by_score());
            let (count_a, mut top_a) = searcher.search(&*a, &collector)?;
            let (count_b, mut top_b) = searcher.search(&*b, &collector)?;
            assert_eq!(count_a, count_b);
            assert!(count_a > 0);
            top_a.sort_by_key(|(_, addr)| *addr);
            top_b.sort_by_key(|(_, addr)| *addr);
            assert_eq!(top_a.len(), top_b.len());
            for ((score_a, addr_a), (score_b, addr_b)) in top_a.iter().zip(&top_b) {
                assert_eq!(addr_a, addr_b);
                assert!((score_a - score_b).abs() < 1e-4, "{score_a} vs {score_b}");
            }
            let (_, first) = top_a[0];
            assert!(a.explain(&searcher, first)?.value() > 0.0);
        }
        Ok(())
    }
}
