//! Surnames: a person an article names only by surname ("Reagan said…") is, across the
//! archive, the one well-known bearer of that surname — when the archive leaves no doubt.
//!
//! Inside an article the extractor already resolves "Reagan" to "Ronald Reagan" when the
//! article names him in full; wire copy often never does (Reuters 1987: 484 articles with the
//! person "Reagan", 24 with "Ronald Reagan"). So filters and counts treat a lone surname and its
//! full name as one person when, over the whole index:
//!
//! - one full name with that surname is named in at least [`MIN_FULL_ARTICLES`] articles, in
//!   [`RUNNER_UP_RATIO`] times as many as any other full name with it and in at least
//!   [`MIN_SHARE`] of all their articles ("Reagan": Ronald Reagan 24, Nancy Reagan 1; but
//!   "Baker": James Baker 216, Howard Baker 29 — "Baker" stays on its own, as does a "Smith"
//!   whose many bearers are each named once);
//! - the word ends full names at least [`FIRST_NAME_RATIO`] times as often as it begins them
//!   ("John" begins "John Major" and ends "Elton John": a first name, never merged).
//!
//! The table is read from the persons field's term dictionary (one pass over its keys), so it
//! always describes the index being searched; a filter reads only the part it needs
//! ([`Surnames::for_name`]).

use std::collections::HashMap;

use tantivy::schema::Field;
use tantivy::Searcher;

use crate::error::Result;

/// How many times the runner-up's articles the dominant full name must be named in.
pub const RUNNER_UP_RATIO: u64 = 10;

/// Share of a surname's full-name articles the dominant full name must hold.
pub const MIN_SHARE: f64 = 2.0 / 3.0;

/// Fewest articles the dominant full name must appear in.
pub const MIN_FULL_ARTICLES: u64 = 3;

/// How many times more articles must name someone the word ends than someone it begins.
pub const FIRST_NAME_RATIO: u64 = 4;

/// Lone surnames and the full names they stand for, as normalised keyword keys.
#[derive(Debug, Default, Clone)]
pub struct Surnames {
    /// Lone surname → its full name.
    full_of: HashMap<String, String>,
    /// Full name → its lone surname.
    lone_of: HashMap<String, String>,
}

impl Surnames {
    /// The table of the persons `field` over every segment of `searcher`.
    pub fn of(searcher: &Searcher, field: Field) -> Result<Surnames> {
        Ok(Surnames::from_counts(&articles_per_name(
            searcher,
            field,
            |_| true,
        )?))
    }

    /// The part of the table that concerns the (normalised) person name `key`: what a filter on
    /// it needs. It reads only the names sharing its last word, so a filter costs a pass over the
    /// term dictionary without building the whole table.
    pub fn for_name(searcher: &Searcher, field: Field, key: &str) -> Result<Surnames> {
        let surname = key.rsplit(' ').next().unwrap_or(key);
        let (ending, beginning) = (format!(" {surname}"), format!("{surname} "));
        let articles = articles_per_name(searcher, field, |name| {
            name == surname || name.ends_with(&ending) || name.starts_with(&beginning)
        })?;
        Ok(Surnames::from_counts(&articles))
    }

    /// The table for these article counts per (normalised) person name.
    pub fn from_counts(articles: &HashMap<String, u64>) -> Surnames {
        // Per word: the full names it ends, and how many articles name someone it begins.
        let mut ending: HashMap<&str, Vec<(&str, u64)>> = HashMap::new();
        let mut beginning: HashMap<&str, u64> = HashMap::new();
        for (name, &count) in articles {
            let Some((first, _)) = name.split_once(' ') else {
                continue;
            };
            let last = name.rsplit(' ').next().unwrap_or(name);
            ending.entry(last).or_default().push((name, count));
            *beginning.entry(first).or_default() += count;
        }
        let mut table = Surnames::default();
        for (lone, mut names) in ending {
            if !articles.contains_key(lone) {
                continue;
            }
            let total: u64 = names.iter().map(|(_, count)| count).sum();
            names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            let Some(&(top, top_count)) = names.first() else {
                continue;
            };
            let runner_up = names.get(1).map_or(0, |(_, count)| *count);
            let dominant = top_count >= MIN_FULL_ARTICLES
                && top_count >= RUNNER_UP_RATIO * runner_up
                && top_count as f64 >= MIN_SHARE * total as f64
                && beginning.get(lone).copied().unwrap_or(0) * FIRST_NAME_RATIO <= total;
            if dominant {
                table.full_of.insert(lone.to_string(), top.to_string());
                table.lone_of.insert(top.to_string(), lone.to_string());
            }
        }
        table
    }

    /// The key a count groups `key` under: a merged lone surname's full name, else `key`.
    pub fn group<'a>(&'a self, key: &'a str) -> &'a str {
        self.full_of.get(key).map_or(key, String::as_str)
    }

    /// Every key that names the same person as `key` (`key` itself first).
    pub fn members(&self, key: &str) -> Vec<String> {
        let full = self.group(key);
        let mut out = vec![key.to_string()];
        for other in [Some(full), self.lone_of.get(full).map(String::as_str)]
            .into_iter()
            .flatten()
        {
            if !out.iter().any(|k| k == other) {
                out.push(other.to_string());
            }
        }
        out
    }

    /// How many lone surnames are merged.
    pub fn len(&self) -> usize {
        self.full_of.len()
    }

    /// True when no surname is merged.
    pub fn is_empty(&self) -> bool {
        self.full_of.is_empty()
    }
}

/// Articles per person name of `field` (summed over segments), for the names `keep` accepts.
fn articles_per_name(
    searcher: &Searcher,
    field: Field,
    keep: impl Fn(&str) -> bool,
) -> Result<HashMap<String, u64>> {
    let mut articles: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while let Some((key, info)) = stream.next() {
            let Ok(name) = std::str::from_utf8(key) else {
                continue;
            };
            if !keep(name) {
                continue;
            }
            match articles.get_mut(name) {
                Some(count) => *count += u64::from(info.doc_freq),
                None => {
                    articles.insert(name.to_string(), u64::from(info.doc_freq));
                }
            }
        }
    }
    Ok(articles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(counts: &[(&str, u64)]) -> Surnames {
        let map = counts.iter().map(|(k, c)| (k.to_string(), *c)).collect();
        Surnames::from_counts(&map)
    }

    #[test]
    fn a_dominant_full_name_takes_its_lone_surname() {
        let t = table(&[
            ("reagan", 484),
            ("ronald reagan", 24),
            ("nancy reagan", 1),
            ("michael reagan", 1),
            ("athough reagan", 1),
            ("reagan administration", 2),
            ("smith", 30),
            ("john smith", 10),
            ("anna smith", 1),
            ("bo smith", 1),
            ("cy smith", 1),
            ("di smith", 1),
            ("ed smith", 1),
            ("flo smith", 1),
            ("baker", 22),
            ("james baker", 216),
            ("howard baker", 29),
            ("john", 200),
            ("john major", 40),
            ("elton john", 41),
            ("volcker", 5),
            ("paul volcker", 2),
        ]);
        assert_eq!(t.group("reagan"), "ronald reagan");
        assert_eq!(t.members("ronald reagan"), ["ronald reagan", "reagan"]);
        assert_eq!(t.members("reagan"), ["reagan", "ronald reagan"]);
        // A strong runner-up, many bearers, a first name, two articles: not merged.
        for lone in ["baker", "smith", "john", "volcker"] {
            assert_eq!(t.group(lone), lone);
            assert_eq!(t.members(lone), [lone]);
        }
        assert_eq!(t.len(), 1);
        assert_eq!(t.members("someone else"), ["someone else"]);
    }

    #[test]
    fn a_surname_never_seen_alone_is_not_in_the_table() {
        let t = table(&[("ronald reagan", 24)]);
        assert!(t.is_empty());
        assert_eq!(t.members("ronald reagan"), ["ronald reagan"]);
    }
}
