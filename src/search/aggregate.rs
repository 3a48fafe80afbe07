//! Aggregate: counts of keyword-column values (sources, languages, entities) over the articles a
//! query matches. Shared by `search --facets` and `newsdex entities`.

use std::collections::{HashMap, HashSet};

use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, Searcher};

use super::surnames::Surnames;
use crate::error::Result;
use crate::schema::{keyword_analyzer, normalise_keyword, normalise_keyword_with};

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

/// Articles per value of the keyword column `field` among `matches`; with `surnames` (for
/// persons), a lone surname and the full name the archive knows it for are one value.
pub fn value_counts(
    searcher: &Searcher,
    matches: &Matches,
    field: &str,
    surnames: Option<&Surnames>,
) -> Result<Tally> {
    let mut tally = Tally::with_surnames(surnames.cloned().unwrap_or_default());
    for (&segment_ord, docs) in &matches.by_segment {
        let segment = searcher.segment_reader(segment_ord);
        if let Some(column) = segment.fast_fields().str(field)? {
            tally.add_segment(&column, docs.iter().copied())?;
        }
    }
    Ok(tally)
}

/// Articles per value of a keyword column, where spellings that a filter cannot tell apart
/// (case, accents: "Hong Kong" and "HONG KONG", a source's "FRance") are one value: counted once
/// per article and shown in their most common spelling. Facets then list what a click on them
/// finds — in Reuters, 513 organisations had a second spelling.
pub struct Tally {
    /// Folded value → its articles and spellings.
    groups: HashMap<String, Group>,
    analyzer: TextAnalyzer,
    /// Lone surnames counted under their full names.
    surnames: Surnames,
}

#[derive(Default)]
struct Group {
    articles: u64,
    /// Articles per spelling.
    spellings: HashMap<String, u64>,
    /// Spellings of a lone surname counted here, shown only when no other spelling is.
    lone_spellings: HashSet<String>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            groups: HashMap::new(),
            analyzer: keyword_analyzer(),
            surnames: Surnames::default(),
        }
    }
}

impl Tally {
    /// An empty tally that counts lone surnames under their full names.
    pub fn with_surnames(surnames: Surnames) -> Tally {
        Tally {
            surnames,
            ..Tally::default()
        }
    }

    /// Counts the values of `docs`, documents of the segment `column` belongs to.
    pub fn add_segment(
        &mut self,
        column: &StrColumn,
        docs: impl Iterator<Item = DocId> + Clone,
    ) -> Result<()> {
        let mut articles_per_ord = vec![0u64; column.num_terms()];
        let mut seen = Vec::new();
        for doc in docs.clone() {
            for_each_distinct_ord(column, doc, &mut seen, |ord| {
                if let Some(articles) = articles_per_ord.get_mut(ord) {
                    *articles += 1;
                }
            });
        }
        let used: Vec<u64> = (0..articles_per_ord.len())
            .filter(|&ord| articles_per_ord[ord] > 0)
            .map(|ord| ord as u64)
            .collect();
        let spellings = crate::store::column_strings(column, &used)?;
        let mut group_of_ord = vec![usize::MAX; articles_per_ord.len()];
        let mut keys: Vec<String> = Vec::new();
        let mut group_of_key: HashMap<String, usize> = HashMap::new();
        for (&ord, spelling) in used.iter().zip(spellings) {
            let own = normalise_keyword_with(&mut self.analyzer, &spelling);
            let key = self.surnames.group(&own).to_string();
            let merged = key != own;
            let next = keys.len();
            let group = *group_of_key.entry(key.clone()).or_insert(next);
            if group == next {
                keys.push(key);
            }
            group_of_ord[ord as usize] = group;
            let articles = articles_per_ord[ord as usize];
            let entry = self.groups.entry(keys[group].clone()).or_default();
            if merged {
                entry.lone_spellings.insert(spelling.clone());
            }
            *entry.spellings.entry(spelling).or_default() += articles;
        }
        let mut articles_per_group = vec![0u64; keys.len()];
        if keys.len() == used.len() {
            // One spelling per value here: an article has each value once already.
            for &ord in &used {
                articles_per_group[group_of_ord[ord as usize]] += articles_per_ord[ord as usize];
            }
        } else {
            let mut groups_in_doc: Vec<usize> = Vec::new();
            for doc in docs {
                groups_in_doc.clear();
                for_each_distinct_ord(column, doc, &mut seen, |ord| {
                    let Some(&group) = group_of_ord.get(ord) else {
                        return;
                    };
                    if !groups_in_doc.contains(&group) {
                        groups_in_doc.push(group);
                        if let Some(articles) = articles_per_group.get_mut(group) {
                            *articles += 1;
                        }
                    }
                });
            }
        }
        for (key, articles) in keys.into_iter().zip(articles_per_group) {
            self.groups.entry(key).or_default().articles += articles;
        }
        Ok(())
    }

    /// Articles per value, each in its most common spelling.
    pub fn shown(&self) -> HashMap<String, u64> {
        self.groups
            .values()
            .map(|g| (g.spelling().to_string(), g.articles))
            .collect()
    }
}

impl Group {
    /// The most common spelling of the full name (a merged lone surname only when nothing
    /// else is there); among equals, one not in capitals, then the first in code-point order.
    fn spelling(&self) -> &str {
        let mixed = |s: &str| s.chars().any(char::is_lowercase);
        let full = |s: &str| !self.lone_spellings.contains(s);
        self.spellings
            .iter()
            .max_by(|a, b| {
                full(a.0)
                    .cmp(&full(b.0))
                    .then_with(|| a.1.cmp(b.1))
                    .then_with(|| mixed(a.0).cmp(&mixed(b.0)))
                    .then_with(|| b.0.cmp(a.0))
            })
            .map_or("", |(s, _)| s.as_str())
    }
}

/// Calls `f` with each value (ord) of `doc` once; `seen` is scratch space.
fn for_each_distinct_ord(
    column: &StrColumn,
    doc: DocId,
    seen: &mut Vec<u64>,
    mut f: impl FnMut(usize),
) {
    seen.clear();
    for ord in column.term_ords(doc) {
        if !seen.contains(&ord) {
            seen.push(ord);
            f(ord as usize);
        }
    }
}

/// A co-occurring value, ranked by [`Cooccurrence::score`].
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
    /// What the list is ranked by: `(together / anchor articles − overall / all articles) × lift`,
    /// how much more of the anchor's articles mention it, weighted by how many times more often.
    /// Lift alone puts a name seen twice in the archive, both times beside the anchor, above
    /// the anchor's constant companions; the difference of shares alone favours names that are
    /// everywhere. The product (JLH, Elasticsearch's default for significant terms) needs both.
    pub score: f64,
}

/// Ranks values by [`Cooccurrence::score`], keeping those seen together at least `min_together`
/// times; ties by count. Values are shown as the whole archive spells them most often.
pub fn by_significance(
    together: &Tally,
    overall: &Tally,
    anchor_articles: u64,
    all_articles: u64,
    min_together: u64,
    exclude: &str,
) -> Vec<Cooccurrence> {
    let excluded = normalise_keyword(exclude);
    let excluded = together.surnames.group(&excluded).to_string();
    let mut out: Vec<Cooccurrence> = together
        .groups
        .iter()
        .filter(|(key, g)| g.articles >= min_together && **key != excluded)
        .map(|(key, g)| {
            let n = g.articles;
            let everywhere = overall.groups.get(key);
            let base = everywhere.map_or(n, |e| e.articles).max(1);
            let share_with = n as f64 / anchor_articles.max(1) as f64;
            let share_overall = base as f64 / all_articles.max(1) as f64;
            let lift = share_with / share_overall;
            Cooccurrence {
                value: everywhere.unwrap_or(g).spelling().to_string(),
                together: n,
                overall: base,
                lift,
                score: (share_with - share_overall) * lift,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.together.cmp(&a.together))
            .then(a.value.cmp(&b.value))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, FAST, STRING};
    use tantivy::{doc, Index};

    /// A tally of `(spelling, articles)`, each spelling its own value.
    fn tally(counts: &[(&str, u64)]) -> Tally {
        let mut t = Tally::default();
        for &(spelling, articles) in counts {
            let key = normalise_keyword_with(&mut t.analyzer, spelling);
            let group = t.groups.entry(key).or_default();
            group.articles += articles;
            group.spellings.insert(spelling.to_string(), articles);
        }
        t
    }

    #[test]
    fn significance_needs_both_a_high_lift_and_a_large_share() {
        // Of the anchor's 10 articles: CECOT in 8 (8 in the archive), a name seen only twice,
        // both times with the anchor, and the United States, which is everywhere.
        let together = tally(&[
            ("CECOT", 8),
            ("Twice Seen", 2),
            ("United States", 9),
            ("Rare", 1),
        ]);
        let overall = tally(&[
            ("CECOT", 8),
            ("Twice Seen", 2),
            ("United States", 900),
            ("Rare", 1),
        ]);
        let ranked = by_significance(&together, &overall, 10, 1000, 2, "nayib BUKELE");
        let names: Vec<&str> = ranked.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(names, ["CECOT", "Twice Seen", "United States"]);
        assert!((ranked[0].lift - 100.0).abs() < 1e-9);
        assert!(
            (ranked[1].lift - 100.0).abs() < 1e-9,
            "same lift, smaller share"
        );
        assert!((ranked[0].score - (0.8 - 0.008) * 100.0).abs() < 1e-9);
        // A value as common with the anchor as without it is no evidence of anything.
        assert!(ranked[2].score.abs() < 1e-9);
        let anchor = tally(&[("Nayib Bukele", 9), ("CECOT", 8)]);
        let ranked = by_significance(&anchor, &overall, 10, 1000, 2, "nayib BUKELE");
        assert_eq!(ranked.len(), 1, "the anchor itself is never listed");
    }

    #[test]
    fn spellings_a_filter_cannot_tell_apart_are_one_value_counted_once_per_article() {
        let mut builder = Schema::builder();
        let field = builder.add_text_field("places", STRING | FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        for values in [
            vec!["Hong Kong", "HONG KONG"],
            vec!["Hong Kong"],
            vec!["HONG KONG", "Bogotá"],
            vec!["Bogota", "Japan"],
        ] {
            let mut d = doc!();
            for v in values {
                d.add_text(field, v);
            }
            writer.add_document(d).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let mut t = Tally::default();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().str("places").expect("column");
            let column = column.expect("a str column");
            t.add_segment(&column, 0..segment.max_doc()).expect("tally");
        }
        let mut shown: Vec<(String, u64)> = t.shown().into_iter().collect();
        shown.sort();
        let expected = [("Bogota", 2), ("Hong Kong", 3), ("Japan", 1)];
        let expected: Vec<(String, u64)> =
            expected.iter().map(|&(v, n)| (v.to_string(), n)).collect();
        assert_eq!(shown, expected);
    }
}
