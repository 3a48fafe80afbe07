//! Rank: the exact total and one page of documents in the requested order — by relevance with
//! ties newest first, or by date with ties by relevance; undated documents always last.
//!
//! The order is one sort key of two parts, compared lazily: the second part (a date or a score)
//! is only looked at when the first cannot decide. On a common word most documents fall below
//! the page's current threshold on score alone, so their date is never read — reading it for
//! every match cost about a fifth of a one-word query's time.

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{Count, SegmentSortKeyComputer, SortKeyComputer, TopDocs, TopNComputer};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use super::request::SortOrder;
use crate::error::Result;
use crate::store::DateColumns;

/// The matching total and the best `window` documents with their scores, best first.
pub fn page(
    searcher: &Searcher,
    query: &dyn Query,
    dates: &Arc<DateColumns>,
    date_field: &str,
    sort: SortOrder,
    window: usize,
) -> Result<(usize, Vec<(Score, DocAddress)>)> {
    dates.keep_only(searcher);
    let key = PageKey {
        date_field: date_field.to_string(),
        sort,
        dates: Arc::clone(dates),
    };
    let top = TopDocs::with_limit(window.max(1)).order_by(key);
    let (total, page) = searcher.search(query, &(Count, top))?;
    let scored = page
        .into_iter()
        .map(|((first, second), addr)| {
            let score = match sort {
                SortOrder::Relevance => first,
                SortOrder::Newest | SortOrder::Oldest => second,
            };
            (score_of(score), addr)
        })
        .collect();
    Ok((total, scored))
}

/// (first, second) key parts, each a `u64` whose natural order is "better".
type Key = (u64, u64);

struct PageKey {
    date_field: String,
    sort: SortOrder,
    dates: Arc<DateColumns>,
}

impl SortKeyComputer for PageKey {
    type SortKey = Key;
    type Child = SegmentPageKey;
    type Comparator = NaturalComparator;

    fn requires_scoring(&self) -> bool {
        true
    }

    fn segment_sort_key_computer(&self, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(SegmentPageKey {
            dates: self.dates.get(segment, &self.date_field)?,
            sort: self.sort,
        })
    }
}

struct SegmentPageKey {
    dates: Option<Column<u64>>,
    sort: SortOrder,
}

impl SegmentPageKey {
    /// The date as a key part: absent sorts below every date in both directions.
    fn date_key(&self, doc: DocId) -> u64 {
        let date = self.dates.as_ref().and_then(|column| column.first(doc));
        match (date, self.sort) {
            (None, _) => 0,
            (Some(value), SortOrder::Oldest) => u64::MAX - value.min(u64::MAX - 1),
            (Some(value), _) => value.saturating_add(1),
        }
    }

    fn first(&self, doc: DocId, score: Score) -> u64 {
        match self.sort {
            SortOrder::Relevance => score_key(score),
            SortOrder::Newest | SortOrder::Oldest => self.date_key(doc),
        }
    }

    fn second(&self, doc: DocId, score: Score) -> u64 {
        match self.sort {
            SortOrder::Relevance => self.date_key(doc),
            SortOrder::Newest | SortOrder::Oldest => score_key(score),
        }
    }
}

impl SegmentSortKeyComputer for SegmentPageKey {
    type SortKey = Key;
    type SegmentSortKey = Key;
    type SegmentComparator = NaturalComparator;

    fn segment_sort_key(&mut self, doc: DocId, score: Score) -> Key {
        (self.first(doc, score), self.second(doc, score))
    }

    #[inline]
    fn compute_sort_key_and_collect<C: tantivy::collector::sort_key::Comparator<Key>>(
        &mut self,
        doc: DocId,
        score: Score,
        top: &mut TopNComputer<Key, DocId, C>,
    ) {
        let first = self.first(doc, score);
        if let Some((threshold, _)) = top.threshold {
            if first.cmp(&threshold) == Ordering::Less {
                return;
            }
        }
        // `push` drops a key equal to the threshold: the earlier document wins a full tie.
        top.push((first, self.second(doc, score)), doc);
    }

    fn convert_segment_sort_key(&self, key: Key) -> Key {
        key
    }
}

/// A score as an order-preserving `u64` (negative scores included).
fn score_key(score: Score) -> u64 {
    let bits = score.to_bits();
    let ordered = if bits >> 31 == 1 {
        !bits
    } else {
        bits | (1 << 31)
    };
    u64::from(ordered)
}

/// The inverse of [`score_key`].
fn score_of(key: u64) -> Score {
    let ordered = key as u32;
    let bits = if ordered >> 31 == 1 {
        ordered & !(1 << 31)
    } else {
        !ordered
    };
    Score::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_keys_keep_order_and_round_trip() {
        let scores = [-3.5f32, -0.0, 0.0, 1e-9, 0.5, 1.0, 7.25, 1e30];
        for pair in scores.windows(2) {
            assert!(score_key(pair[0]) <= score_key(pair[1]), "{pair:?}");
        }
        for score in scores {
            assert_eq!(score_of(score_key(score)).to_bits(), score.to_bits());
        }
    }

    #[test]
    fn undated_sorts_last_both_ways() {
        for sort in [SortOrder::Newest, SortOrder::Oldest, SortOrder::Relevance] {
            let key = SegmentPageKey { dates: None, sort };
            assert_eq!(key.date_key(0), 0);
        }
    }
}
