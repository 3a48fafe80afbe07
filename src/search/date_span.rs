//! Date span: the documents whose date lies in a range, read from whichever index of the date
//! field is cheaper for that range in each segment.
//!
//! tantivy reads a range on a fast field by scanning the date column, which suits a wide range.
//! Inside an `AND` the scan is never the leader (its cost is a tenth of the segment), so every
//! document of the word is looked up in the column: "oil" in March 1987 on Reuters ×30 read
//! 60,000 dates to keep 827 articles. A narrow range is cheaper read from the field's inverted
//! index — the postings of the few dates in it, into a bit set that then leads the `AND`.
//! Which range is narrow is estimated per segment from the column's smallest and largest date,
//! as if dates were spread evenly between them.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, EnableScoring, Explanation, InvertedIndexRangeQuery, Query, RangeQuery, Scorer,
    Weight,
};
use tantivy::schema::Field;
use tantivy::{DateTime, DocId, Score, SegmentReader, Term};

/// A range expected to hold at most this many of a segment's documents is read from the
/// inverted index. Dates are nearly unique (to the second), so reading it costs about a term
/// lookup per document; a column lookup per candidate of the rest of the query is cheaper when
/// the range holds more. Measured on Reuters ×30 (cachegrind): "company" until 1987-03-05 went
/// from 57.6 M to 9.9 M instructions, while "oil" in March 1987 (about 800 expected per
/// segment, several thousand in fact: news clusters in time) went from 24.6 M to 36.7 M.
const NARROW_DOCS: f64 = 500.0;

/// Matches documents whose `field` date is in `since..=until` (either end open); scores like a
/// `RangeQuery` (a constant).
#[derive(Clone, Debug)]
pub struct DateSpanQuery {
    field: Field,
    since: Option<DateTime>,
    until: Option<DateTime>,
    /// Another clause already requires the range: where it is wide, match everything.
    implied: bool,
}

impl DateSpanQuery {
    /// The documents dated from `since` to `until`, both included; `None` leaves an end open.
    pub fn new(field: Field, since: Option<DateTime>, until: Option<DateTime>) -> Self {
        DateSpanQuery {
            field,
            since,
            until,
            implied: false,
        }
    }

    /// The same, for use beside a clause that already holds only dates in the range: it then
    /// narrows the search where the range is narrow and costs nothing where it is wide.
    pub fn implied(mut self) -> Self {
        self.implied = true;
        self
    }

    fn bounds(&self) -> (Bound<Term>, Bound<Term>) {
        let bound = |date: Option<DateTime>| match date {
            Some(date) => Bound::Included(Term::from_field_date(self.field, date)),
            None => Bound::Unbounded,
        };
        (bound(self.since), bound(self.until))
    }
}

impl Query for DateSpanQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let (lower, upper) = self.bounds();
        let scan = if self.implied {
            AllQuery.weight(scoring)?
        } else {
            RangeQuery::new(lower.clone(), upper.clone()).weight(scoring)?
        };
        if self.since.is_none() && self.until.is_none() {
            return Ok(scan);
        }
        let postings = InvertedIndexRangeQuery::new(lower, upper).weight(scoring)?;
        let field_name = scoring.schema().get_field_name(self.field).to_string();
        Ok(Box::new(DateSpanWeight {
            field_name,
            since: self.since.map(DateTime::into_timestamp_nanos),
            until: self.until.map(DateTime::into_timestamp_nanos),
            scan,
            postings,
        }))
    }
}

struct DateSpanWeight {
    field_name: String,
    since: Option<i64>,
    until: Option<i64>,
    /// The range read from the date column (every document, when implied).
    scan: Box<dyn Weight>,
    /// The range read from the inverted index.
    postings: Box<dyn Weight>,
}

impl DateSpanWeight {
    /// Whether the range covers so little of the segment's dates that reading their postings
    /// costs less than looking dates up in the column.
    fn is_narrow(&self, reader: &SegmentReader) -> bool {
        let Ok(column) = reader.fast_fields().date(&self.field_name) else {
            return false;
        };
        let (low, high) = (
            column.min_value().into_timestamp_nanos(),
            column.max_value().into_timestamp_nanos(),
        );
        let since = self.since.unwrap_or(low).max(low);
        let until = self.until.unwrap_or(high).min(high);
        if until < since {
            return true;
        }
        let span = (high as f64 - low as f64).max(1.0);
        (until as f64 - since as f64) / span * f64::from(reader.num_docs()) <= NARROW_DOCS
    }
}

impl Weight for DateSpanWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.is_narrow(reader) {
            self.postings.scorer(reader, boost)
        } else {
            self.scan.scorer(reader, boost)
        }
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.scan.explain(reader, doc)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::DocSetCollector;
    use tantivy::schema::{Schema, FAST, INDEXED, STORED};
    use tantivy::{doc, Index};

    use super::*;

    /// Narrow, wide, open and empty ranges find exactly the documents the column scan finds,
    /// whichever way each segment reads them.
    #[test]
    fn finds_what_the_range_query_finds() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let date = builder.add_date_field("date", INDEXED | FAST | STORED);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let day = 86_400;
        for n in 0..6_000i64 {
            // Twenty years of dates in a scrambled order, a few articles undated.
            if n % 97 == 0 {
                writer.add_document(doc!())?;
                continue;
            }
            let secs = 500_000_000 + (n * 7_919 % 6_000) * day * 20 * 365 / 6_000;
            writer.add_document(doc!(date => DateTime::from_timestamp_secs(secs)))?;
            if n % 2_500 == 2_499 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let at = |secs: i64| Some(DateTime::from_timestamp_secs(secs));
        let ranges = [
            (at(600_000_000), at(600_000_000 + 30 * day)),
            (at(600_000_000), at(900_000_000)),
            (at(700_000_000), None),
            (None, at(520_000_000)),
            (at(900_000_000), at(800_000_000)),
            (at(2_000_000_000), None),
        ];
        let mut found = 0;
        for (since, until) in ranges {
            let ours = DateSpanQuery::new(date, since, until);
            let (lower, upper) = ours.bounds();
            let theirs = RangeQuery::new(lower, upper);
            let a = searcher.search(&ours, &DocSetCollector)?;
            let b = searcher.search(&theirs, &DocSetCollector)?;
            assert_eq!(a, b, "{since:?}..{until:?}");
            found += a.len();
            // Implied: never fewer documents, and exactly these where the range is narrow.
            let implied = searcher.search(&ours.clone().implied(), &DocSetCollector)?;
            assert!(implied.is_superset(&a));
        }
        assert!(found > 3_000, "{found}");
        Ok(())
    }
}
