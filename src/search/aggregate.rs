//! Aggregate: counts of keyword-column values (sources, languages, entities) over the articles a
//! query matches. Shared by `search --facets` and `newsdex entities`.

use std::collections::{HashMap, HashSet};

use tantivy::collector::DocSetCollector;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Searcher, TantivyError};

use crate::error::Result;

/// The matching documents, grouped by segment.
pub struct Matches {
    by_segment: HashMap<u32, Vec<DocId>>,
    /// How many documents matched.
    pub count: u64,
}

/// Collects every document `query` matches.
pub fn matches(searcher: &Searcher, query: &dyn Query) -> Result<Matches> {
    let matched: HashSet<DocAddress> = searcher.search(query, &DocSetCollector)?;
    let count = matched.len() as u64;
    let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
    for addr in matched {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    Ok(Matches { by_segment, count })
}

/// Articles per value of the text column `field` among `matches` (each value once per article).
pub fn value_counts(
    searcher: &Searcher,
    matches: &Matches,
    field: &str,
) -> Result<HashMap<String, u64>> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    for (&segment_ord, docs) in &matches.by_segment {
        let segment = searcher.segment_reader(segment_ord);
        let Some(column) = segment.fast_fields().str(field)? else {
            continue;
        };
        let mut per_ord: HashMap<u64, u64> = HashMap::new();
        for &doc in docs {
            let mut seen = Vec::new();
            for ord in column.term_ords(doc) {
                if !seen.contains(&ord) {
                    seen.push(ord);
                    *per_ord.entry(ord).or_default() += 1;
                }
            }
        }
        let mut value = String::new();
        for (ord, n) in per_ord {
            value.clear();
            column
                .ord_to_str(ord, &mut value)
                .map_err(TantivyError::from)?;
            *totals.entry(value.clone()).or_default() += n;
        }
    }
    Ok(totals)
}

/// A co-occurring value, ranked by lift.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Cooccurrence {
    /// The value.
    pub value: String,
    /// Articles where it appears together with the anchor.
    pub together: u64,
    /// Articles where it appears at all.
    pub overall: u64,
    /// `(together / anchor articles) / (overall / all articles)`: how many times more often it
    /// appears with the anchor than in the archive as a whole.
    pub lift: f64,
}

/// Ranks values by lift, keeping those seen together at least `min_together` times; ties by count.
pub fn by_lift(
    together: &HashMap<String, u64>,
    overall: &HashMap<String, u64>,
    anchor_articles: u64,
    all_articles: u64,
    min_together: u64,
    exclude: &str,
) -> Vec<Cooccurrence> {
    let mut out: Vec<Cooccurrence> = together
        .iter()
        .filter(|(value, &n)| n >= min_together && !value.eq_ignore_ascii_case(exclude))
        .map(|(value, &n)| {
            let base = overall.get(value).copied().unwrap_or(n).max(1);
            let lift = (n as f64 / anchor_articles.max(1) as f64)
                / (base as f64 / all_articles.max(1) as f64);
            Cooccurrence {
                value: value.clone(),
                together: n,
                overall: base,
                lift,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.lift
            .partial_cmp(&a.lift)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.together.cmp(&a.together))
            .then(a.value.cmp(&b.value))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lift_prefers_values_concentrated_with_the_anchor() {
        let together = HashMap::from([
            ("CECOT".to_string(), 8),
            ("United States".to_string(), 9),
            ("Rare".to_string(), 1),
        ]);
        let overall = HashMap::from([
            ("CECOT".to_string(), 8),
            ("United States".to_string(), 900),
            ("Rare".to_string(), 1),
        ]);
        let ranked = by_lift(&together, &overall, 10, 1000, 2, "Nayib Bukele");
        let names: Vec<&str> = ranked.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(names, ["CECOT", "United States"]);
        assert!((ranked[0].lift - 100.0).abs() < 1e-9);
    }
}
