//! The engine's answer: plain data for renderers (no tantivy types).

use serde::Serialize;

use crate::stats::ValueCount;

/// One passage of a hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PassageOut {
    /// The passage text (with `…` where it was cut).
    pub text: String,
    /// How well it matches.
    pub score: f32,
    /// Byte ranges of matching words in `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Entity names of a hit.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct HitEntities {
    /// People.
    pub persons: Vec<String>,
    /// Organisations.
    pub orgs: Vec<String>,
    /// Places.
    pub places: Vec<String>,
}

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Relevance score (BM25).
    pub score: f32,
    /// Headline.
    pub title: String,
    /// Byte ranges of matches in the title.
    pub title_highlights: Vec<(usize, usize)>,
    /// Start of the date's period, RFC 3339 UTC.
    pub date: Option<String>,
    /// `year|month|day|time`.
    pub date_precision: Option<String>,
    /// Publisher.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// File the article came from.
    pub path: String,
    /// Language.
    pub lang: Option<String>,
    /// Entities.
    pub entities: HitEntities,
    /// Ids of exact duplicates folded into this hit (when the request asked for them).
    pub copies: Vec<String>,
    /// How many exact duplicates were folded into this hit.
    #[serde(skip)]
    pub copy_count: usize,
    /// Best passages.
    pub passages: Vec<PassageOut>,
}

/// Facet counts over all matching articles.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Facets {
    /// Sources.
    pub sources: Vec<ValueCount>,
    /// Languages.
    pub languages: Vec<ValueCount>,
    /// People.
    pub persons: Vec<ValueCount>,
    /// Organisations.
    pub orgs: Vec<ValueCount>,
    /// Places.
    pub places: Vec<ValueCount>,
}

/// A page of results.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResponse {
    /// The query as typed.
    pub query: String,
    /// Matching articles (exact; duplicates included).
    pub total: u64,
    /// Articles folded into another hit on this page as exact duplicates.
    pub collapsed: u64,
    /// Milliseconds spent searching (open excluded).
    pub took_ms: f64,
    /// The page.
    pub hits: Vec<Hit>,
    /// Facets, with `--facets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}
