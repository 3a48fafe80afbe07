//! Stats: what an index holds — articles, date span, sources, formats, languages, top entities.
//! Computed from the column store of live documents; no stored text is read.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::error::Result;
use crate::search::aggregate::Tally;
use crate::search::surnames::Surnames;
use crate::store::{self, Store};

/// How many values each ranked list shows.
const TOP: usize = 10;

/// One value and how many articles have it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ValueCount {
    /// The value.
    pub value: String,
    /// Articles with it.
    pub count: u64,
}

/// Top entities by type.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct TopEntities {
    /// People.
    pub persons: Vec<ValueCount>,
    /// Organisations.
    pub orgs: Vec<ValueCount>,
    /// Places.
    pub places: Vec<ValueCount>,
}

/// The `stats` answer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    /// Searchable articles.
    pub articles: u64,
    /// Earliest publication date (RFC 3339), if any article is dated.
    pub date_min: Option<String>,
    /// Latest publication date (RFC 3339; the start of its period).
    pub date_max: Option<String>,
    /// Articles without a date.
    pub undated: u64,
    /// Articles per source, most first.
    pub sources: Vec<ValueCount>,
    /// Articles per input format.
    pub formats: Vec<ValueCount>,
    /// Articles per language.
    pub languages: Vec<ValueCount>,
    /// Most frequent entities.
    pub top_entities: TopEntities,
    /// Distinct source files.
    pub files: u64,
    /// Bytes on disk.
    pub index_bytes: u64,
    /// Segments a search opens.
    pub segments: usize,
    /// Folders the last run walked.
    pub roots: Vec<String>,
}

/// Computes the stats of an opened index.
pub fn compute(store: &Store) -> Result<Stats> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.schema.fields;
    let schema = store.index.schema();
    let name = |f| schema.get_field_name(f).to_string();
    let (date_min, date_max, undated) = date_span(&searcher, &name(fields.date))?;
    let counts =
        |field| -> Result<Vec<ValueCount>> { value_counts(&searcher, &name(field), usize::MAX) };
    let top = |field| -> Result<Vec<ValueCount>> { value_counts(&searcher, &name(field), TOP) };
    let surnames = Surnames::of(&searcher, fields.persons)?;
    let info = store::commit_info(&store.index)?;
    Ok(Stats {
        articles: searcher.num_docs(),
        date_min: date_min.map(rfc3339),
        date_max: date_max.map(rfc3339),
        undated,
        sources: top(fields.source)?,
        formats: counts(fields.format)?,
        languages: counts(fields.lang)?,
        top_entities: TopEntities {
            persons: rank(tally(&searcher, &name(fields.persons), surnames)?, TOP),
            orgs: top(fields.orgs)?,
            places: top(fields.places)?,
        },
        files: distinct_values(&searcher, &name(fields.path))?,
        index_bytes: store::index_bytes(&store.dir),
        segments: searcher.segment_readers().len(),
        roots: info.map(|i| i.roots).unwrap_or_default(),
    })
}

/// Formats Unix seconds as RFC 3339 UTC.
pub fn rfc3339(secs: i64) -> String {
    use chrono::{Datelike, Timelike};
    let Some(d) = chrono::DateTime::from_timestamp(secs, 0) else {
        return String::new();
    };
    if !(0..=9999).contains(&d.year()) {
        // chrono signs years outside four digits ("+10000"); its format parser is the slow path.
        return d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year(),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

fn alive_docs(segment: &SegmentReader) -> impl Iterator<Item = DocId> + Clone + '_ {
    let alive = segment.alive_bitset();
    (0..segment.max_doc()).filter(move |&doc| alive.is_none_or(|bits| bits.is_alive(doc)))
}

fn date_span(searcher: &Searcher, field: &str) -> Result<(Option<i64>, Option<i64>, u64)> {
    let (mut min, mut max, mut undated) = (None::<i64>, None::<i64>, 0u64);
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().date(field)?;
        for doc in alive_docs(segment) {
            match column.first(doc) {
                Some(date) => {
                    let secs = date.into_timestamp_secs();
                    min = Some(min.map_or(secs, |m| m.min(secs)));
                    max = Some(max.map_or(secs, |m| m.max(secs)));
                }
                None => undated += 1,
            }
        }
    }
    Ok((min, max, undated))
}

/// Counts articles per value of a keyword column (a multi-valued field counts each distinct value
/// once per article; spellings that differ only in case or accents are one value), most
/// frequent first, ties by value; the first `top`.
pub fn value_counts(searcher: &Searcher, field: &str, top: usize) -> Result<Vec<ValueCount>> {
    Ok(rank(tally(searcher, field, Surnames::default())?, top))
}

/// Articles per value of a keyword column over the whole index; with `surnames` (persons), a
/// lone surname counted under the full name the archive knows it for, as `entities` and facets
/// count them.
fn tally(searcher: &Searcher, field: &str, surnames: Surnames) -> Result<HashMap<String, u64>> {
    let mut tally = Tally::with_surnames(surnames);
    for segment in searcher.segment_readers() {
        if let Some(column) = segment.fast_fields().str(field)? {
            tally.add_segment(&column, alive_docs(segment))?;
        }
    }
    Ok(tally.shown())
}

/// Distinct values of a column over the whole index, spelled exactly (paths differing in case
/// are different files).
fn distinct_values(searcher: &Searcher, field: &str) -> Result<u64> {
    let mut values: HashSet<String> = HashSet::new();
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str(field)? else {
            continue;
        };
        let mut used = vec![false; column.num_terms()];
        for doc in alive_docs(segment) {
            for ord in column.term_ords(doc) {
                if let Some(flag) = used.get_mut(ord as usize) {
                    *flag = true;
                }
            }
        }
        let ords: Vec<u64> = (0..used.len())
            .filter(|&ord| used[ord])
            .map(|ord| ord as u64)
            .collect();
        values.extend(store::column_strings(&column, &ords)?);
    }
    Ok(values.len() as u64)
}

/// Sorts counts, most first, ties alphabetical, and keeps the first `top`.
pub fn rank(totals: HashMap<String, u64>, top: usize) -> Vec<ValueCount> {
    let mut list: Vec<ValueCount> = totals
        .into_iter()
        .map(|(value, count)| ValueCount { value, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list.truncate(top);
    list
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    /// The fast path writes what chrono's own formatter writes, at the edges of four-digit years too.
    #[test]
    fn rfc3339_agrees_with_chrono() {
        let chrono_way = |secs: i64| {
            chrono::DateTime::from_timestamp(secs, 0)
                .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default()
        };
        let year_zero = -62_167_219_200;
        let year_10000 = 253_402_300_800;
        let mut cases = vec![
            0,
            -1,
            1,
            541_296_000,
            1_742_083_199,
            951_782_400,
            year_zero,
            year_zero - 1,
            year_10000,
            year_10000 - 1,
            i64::MAX,
            i64::MIN,
        ];
        cases.extend((0..2000).map(|i: i64| i * 1_234_567_891 - 40_000_000_000));
        for secs in cases {
            assert_eq!(rfc3339(secs), chrono_way(secs), "{secs}");
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
