//! Rank: the exact total and one page of documents in the requested order — by relevance with
//! ties newest first, or by date with ties by relevance; undated documents always last.
//!
//! The order is one sort key of two parts, compared lazily: the second part (a date or a score)
//! is only looked at when the first cannot decide. On a common word most documents fall below
//! the page's current threshold on score alone, so their date is never read — reading it for
//! every match cost about a fifth of a one-word query's time. By relevance, the dates are read
//! only at the end, for the best scores and their ties.
//!
//! A single word ranked by relevance is counted and ranked in two passes instead of one: a
//! count that reads only document ids, then tantivy's block-max WAND, which skips every block
//! of postings whose best possible score cannot enter the page. One pass must score every match
//! (the count needs them all), and scoring is most of a common word's cost.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{Count, SegmentSortKeyComputer, SortKeyComputer, TopDocs, TopNComputer};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use super::request::SortOrder;
use super::stems::StemQuery;
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
    // No page holds more documents than the index (tantivy sets room aside for the whole page).
    let most = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let window = window.min(most).max(1);
    match sort {
        SortOrder::Relevance if worth_pruning(searcher, query) => {
            pruned_page(searcher, query, dates, date_field, window)
        }
        SortOrder::Relevance => relevance_page(searcher, query, dates, date_field, window),
        SortOrder::Newest | SortOrder::Oldest => {
            one_pass_page(searcher, query, dates, date_field, sort, window)
        }
    }
}

/// [`page`] by relevance, scoring every match once: the best scores are kept with all their
/// ties, and dates are read at the end for those alone.
///
/// Through tantivy's top-documents collector, a document whose score reached the page's
/// (lagging) threshold had its date read as it came: a sixth of a rare word's query time on
/// Reuters ×30 ("chrysler"), where the page needs about ten dates.
fn relevance_page(
    searcher: &Searcher,
    query: &dyn Query,
    dates: &DateColumns,
    date_field: &str,
    window: usize,
) -> Result<(usize, Vec<(Score, DocAddress)>)> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut total = 0;
    let mut top = ScoreTop::new(window);
    let mut keys = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        keys.push(SegmentPageKey {
            dates: dates.get(reader, date_field)?,
            sort: SortOrder::Relevance,
        });
        let alive = reader.alive_bitset();
        let segment = ord as u32;
        weight.for_each(reader, &mut |doc, score| {
            if !alive.is_some_and(|bits| bits.is_deleted(doc)) {
                total += 1;
                top.offer(score_key(score), DocAddress::new(segment, doc));
            }
        })?;
    }
    let page = top.into_page(|addr| {
        keys.get(addr.segment_ord as usize)
            .map_or(0, |key| key.date_key(addr.doc_id))
    });
    Ok((total, page))
}

/// The documents that may make a page of `size` by score alone: every one scoring at least the
/// `size`-th best score seen so far, ties included (a tie is decided by date, read at the end).
struct ScoreTop {
    size: usize,
    kept: Vec<(u64, DocAddress)>,
    /// Scores below this cannot make the page.
    floor: u64,
    /// Trim `kept` when it grows to this: twice what the last trim kept, so that many ties cost
    /// amortised linear time, not a trim per document.
    trim_at: usize,
}

impl ScoreTop {
    fn new(size: usize) -> Self {
        let size = size.max(1);
        ScoreTop {
            size,
            kept: Vec::with_capacity(2 * size.min(4096)),
            floor: 0,
            trim_at: 2 * size,
        }
    }

    fn offer(&mut self, first: u64, addr: DocAddress) {
        if first < self.floor {
            return;
        }
        self.kept.push((first, addr));
        if self.kept.len() >= self.trim_at {
            self.trim();
        }
    }

    /// Drops what scores below the `size`-th best score.
    fn trim(&mut self) {
        if self.kept.len() > self.size {
            let (_, nth, _) = self
                .kept
                .select_nth_unstable_by(self.size - 1, |a, b| b.0.cmp(&a.0));
            self.floor = nth.0;
            let floor = self.floor;
            self.kept.retain(|(first, _)| *first >= floor);
        }
        self.trim_at = 2 * self.kept.len().max(self.size);
    }

    /// The page, best first: by score, then the date key `date_of` gives, then the earlier
    /// document.
    fn into_page(mut self, date_of: impl Fn(DocAddress) -> u64) -> Vec<(Score, DocAddress)> {
        self.trim();
        let mut entries: Vec<Entry> = self
            .kept
            .into_iter()
            .map(|(first, addr)| Entry {
                first,
                second: date_of(addr),
                addr,
            })
            .collect();
        entries.sort_unstable_by(|a, b| b.cmp(a));
        entries.truncate(self.size);
        entries
            .into_iter()
            .map(|entry| (score_of(entry.first), entry.addr))
            .collect()
    }
}

/// [`page`] by scoring every match once, counting as it goes.
fn one_pass_page(
    searcher: &Searcher,
    query: &dyn Query,
    dates: &Arc<DateColumns>,
    date_field: &str,
    sort: SortOrder,
    window: usize,
) -> Result<(usize, Vec<(Score, DocAddress)>)> {
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

/// Share of the archive a word must be in before [`pruned_page`] pays: block-max WAND skips
/// little of a rarer word, and costs more per posting it reads than scoring every match
/// (cachegrind on Reuters ×30, instructions a query: "company", in 28% of articles, 21.5 M →
/// 8.2 M; "oil", 7%, 6.6 M → 4.8 M; but "wheat", 2%, 2.5 M → 3.4 M).
const PRUNE_SHARE_INVERSE: u64 = 16;

/// True when `query` is a single word whose forms' document frequencies, over its fields, add
/// up to at least 1/[`PRUNE_SHARE_INVERSE`] of the documents.
fn worth_pruning(searcher: &Searcher, query: &dyn Query) -> bool {
    query
        .downcast_ref::<StemQuery>()
        .is_some_and(|word| word.most_matches() * PRUNE_SHARE_INVERSE >= searcher.num_docs())
}

/// [`page`] by relevance in two passes per segment: the exact count from document ids alone,
/// then the page through `Weight::for_each_pruning`, which for a union of terms is block-max
/// WAND. Same order as the one-pass page: score, then date, then the earlier document.
fn pruned_page(
    searcher: &Searcher,
    query: &dyn Query,
    dates: &DateColumns,
    date_field: &str,
    window: usize,
) -> Result<(usize, Vec<(Score, DocAddress)>)> {
    let counting = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let scoring = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut total = 0;
    // One page for all segments: a later segment starts from the score the page already needs.
    let mut top = PrunedTop::new(window);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        total += counting.count(reader)? as usize;
        let key = SegmentPageKey {
            dates: dates.get(reader, date_field)?,
            sort: SortOrder::Relevance,
        };
        let alive = reader.alive_bitset();
        let segment = ord as u32;
        scoring.for_each_pruning(top.threshold(), reader, &mut |doc, score| {
            if !alive.is_some_and(|bits| bits.is_deleted(doc)) {
                top.offer(&key, DocAddress::new(segment, doc), score);
            }
            top.threshold()
        })?;
    }
    let mut best = top.entries.into_vec();
    best.sort_unstable_by(|Reverse(a), Reverse(b)| b.cmp(a));
    let page = best
        .into_iter()
        .map(|Reverse(entry)| (score_of(entry.first), entry.addr))
        .collect();
    Ok((total, page))
}

/// The best documents by (score, date), the earlier document winning a full tie (as in
/// tantivy's merge of segments' pages).
struct PrunedTop {
    size: usize,
    /// A min-heap: the worst kept entry on top.
    entries: BinaryHeap<Reverse<Entry>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Entry {
    first: u64,
    second: u64,
    addr: DocAddress,
}

impl Ord for Entry {
    /// Greater is better: a higher key, then the earlier document.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.first, self.second)
            .cmp(&(other.first, other.second))
            .then(other.addr.cmp(&self.addr))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PrunedTop {
    fn new(size: usize) -> Self {
        PrunedTop {
            size,
            // A large page fills as it goes: room is not taken for documents that never come.
            entries: BinaryHeap::with_capacity(size.min(4096) + 1),
        }
    }

    /// Keeps `doc` if it beats the worst kept entry; its date is read only when the score
    /// cannot decide.
    fn offer(&mut self, key: &SegmentPageKey, addr: DocAddress, score: Score) {
        let first = score_key(score);
        let worst = self.entries.peek().map(|Reverse(worst)| *worst);
        if let Some(worst) = worst.filter(|_| self.entries.len() >= self.size) {
            if first < worst.first {
                return;
            }
            let entry = Entry {
                first,
                second: key.date_key(addr.doc_id),
                addr,
            };
            if entry > worst {
                self.entries.pop();
                self.entries.push(Reverse(entry));
            }
            return;
        }
        self.entries.push(Reverse(Entry {
            first,
            second: key.date_key(addr.doc_id),
            addr,
        }));
    }

    /// The score a document must exceed to be offered: just below the worst kept score once
    /// the page is full, so a tie on score still gets its date compared.
    fn threshold(&self) -> Score {
        match self.entries.peek() {
            Some(Reverse(worst)) if self.entries.len() >= self.size => {
                score_of(worst.first).next_down()
            }
            _ => Score::MIN,
        }
    }
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

    /// Against sorting everything: scores drawn from a few values (so most documents tie) and
    /// dates from a few more; every page length.
    #[test]
    fn score_top_is_a_full_sort() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let docs: Vec<(u64, DocAddress, u64)> = (0..5_000u32)
            .map(|d| (next(6), DocAddress::new(d % 3, d), next(4)))
            .collect();
        let date_of = |addr: DocAddress| docs[addr.doc_id as usize].2;
        for size in [1, 3, 10, 100, 999, 5_000, 6_000] {
            let mut top = ScoreTop::new(size);
            for &(first, addr, _) in &docs {
                top.offer(score_key(first as Score), addr);
            }
            let got: Vec<DocAddress> = top.into_page(date_of).into_iter().map(|(_, a)| a).collect();
            let mut all: Vec<Entry> = docs
                .iter()
                .map(|&(first, addr, second)| Entry {
                    first: score_key(first as Score),
                    second,
                    addr,
                })
                .collect();
            all.sort_unstable_by(|a, b| b.cmp(a));
            let want: Vec<DocAddress> = all.iter().take(size).map(|e| e.addr).collect();
            assert_eq!(got, want, "page of {size}");
        }
    }

    /// On several segments with deleted documents, many exact copies (equal scores, different
    /// or equal dates) and undated ones: the two-pass page and the page kept by score alone
    /// (dates read at the end) are tantivy's one-pass page.
    #[test]
    fn pruned_page_is_the_one_pass_page() -> std::result::Result<(), Box<dyn std::error::Error>> {
        use tantivy::schema::{Schema, FAST, TEXT};
        use tantivy::{doc, Index, Term};
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT);
        let body = builder.add_text_field("body", TEXT);
        let date = builder.add_u64_field("date", FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let words = ["oil", "oils", "price", "opec", "filler", "crude"];
        for n in 0..24_000u64 {
            // Every article four times: copies score alike, two of them share a date.
            if n % 4 == 0 {
                for _ in 0..1 + next() % 6 {
                    let _ = next();
                }
            }
            let seed = n / 4;
            let mut local = seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1;
            let mut text = |len: u64| {
                (0..1 + len)
                    .map(|_| {
                        local ^= local << 13;
                        local ^= local >> 7;
                        local ^= local << 17;
                        words[(local % words.len() as u64) as usize]
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (t, b) = (text(seed % 5), text(seed % 40));
            let mut document = doc!(title => t, body => b);
            if n % 7 != 3 {
                document.add_u64(date, 1_000 + (n % 4).min(2) * 10 + seed % 3);
            }
            writer.add_document(document)?;
            if n % 9_000 == 8_999 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        writer.delete_term(Term::from_field_text(body, "crude"));
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert!(searcher.segment_readers().len() >= 3);
        assert!(searcher.segment_readers().iter().any(|r| r.has_deletes()));
        let dates = Arc::new(DateColumns::default());
        for stem in ["oil", "price", "opec"] {
            let mut found = crate::search::stems::forms(&searcher, &[title, body], stem)?;
            let body_forms = found.pop().expect("body");
            let title_forms = found.pop().expect("title");
            let query = StemQuery::new(vec![(title_forms, 2.0), (body_forms, 1.0)]);
            assert!(worth_pruning(&searcher, &query), "{stem}");
            // Pages as long as all matches too, for the page kept by score: its trims keep ties.
            let windows = [(1, true), (10, true), (40, true), (1, false), (10, false)];
            let more = [(40, false), (700, false), (3_000, false)];
            for (window, two_pass) in windows.into_iter().chain(more) {
                let ours = match two_pass {
                    true => pruned_page(&searcher, &query, &dates, "date", window)?,
                    false => relevance_page(&searcher, &query, &dates, "date", window)?,
                };
                let theirs = one_pass_page(
                    &searcher,
                    &query,
                    &dates,
                    "date",
                    SortOrder::Relevance,
                    window,
                )?;
                assert!(ours.0 > 0, "{stem}");
                assert_eq!(ours.0, theirs.0, "{stem} total");
                let addresses =
                    |page: &[(Score, DocAddress)]| page.iter().map(|(_, a)| *a).collect::<Vec<_>>();
                let (a, b) = (addresses(&ours.1), addresses(&theirs.1));
                let first_difference = a.iter().zip(&b).position(|(x, y)| x != y);
                assert!(
                    a == b,
                    "{stem} {window} two-pass {two_pass}: lengths {} {}, first difference at \
                     {first_difference:?}",
                    a.len(),
                    b.len()
                );
                for ((a, _), (b, _)) in ours.1.iter().zip(&theirs.1) {
                    assert!((a - b).abs() <= 1e-5 * b.abs(), "{stem}: {a} vs {b}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn undated_sorts_last_both_ways() {
        for sort in [SortOrder::Newest, SortOrder::Oldest, SortOrder::Relevance] {
            let key = SegmentPageKey { dates: None, sort };
            assert_eq!(key.date_key(0), 0);
        }
    }
}
