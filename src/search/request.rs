//! The validated search request: what the CLI (or a server) asks the engine for.

use super::syntax::Node;

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// BM25, ties newest first.
    Relevance,
    /// Newest first, undated last.
    Newest,
    /// Oldest first, undated last.
    Oldest,
}

/// Which dates to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateFilter {
    /// Keep articles whose whole date period starts at or after this (UTC seconds).
    pub since: Option<i64>,
    /// Keep articles whose whole date period ends at or before this (UTC seconds).
    pub until: Option<i64>,
    /// Keep only undated articles.
    pub undated: bool,
}

/// Exact-value filters on entity and metadata fields (repeatable flags; all must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueFilters {
    /// `--person`.
    pub persons: Vec<String>,
    /// `--org`.
    pub orgs: Vec<String>,
    /// `--place`.
    pub places: Vec<String>,
    /// `--entity` (any type).
    pub entities: Vec<String>,
}

/// A search, validated.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query as typed.
    pub query_text: String,
    /// The parsed query.
    pub query: Node,
    /// Date filters from flags (query `date:` clauses are inside `query`).
    pub dates: DateFilter,
    /// Entity filters from flags.
    pub values: ValueFilters,
    /// Order.
    pub sort: SortOrder,
    /// Results per page.
    pub limit: usize,
    /// Results to skip.
    pub offset: usize,
    /// Passages per hit.
    pub passages: usize,
    /// Fold exact duplicates into one hit.
    pub collapse: bool,
    /// Read the ids of the copies folded into each hit: JSON lists them, text and CSV print
    /// only how many there are (reading each id means reading that copy from the doc store).
    pub copy_ids: bool,
    /// Count sources, languages and entities over all matches.
    pub facets: bool,
    /// Only count.
    pub count_only: bool,
}

impl SearchRequest {
    /// A request that only selects articles (one result, no passages): for highlighting a query
    /// in `show` and for aggregations such as `entities`.
    pub fn matching(
        query_text: &str,
        query: Node,
        dates: DateFilter,
        values: ValueFilters,
    ) -> SearchRequest {
        SearchRequest {
            query_text: query_text.to_string(),
            query,
            dates,
            values,
            sort: SortOrder::Relevance,
            limit: 1,
            offset: 0,
            passages: 0,
            collapse: false,
            copy_ids: false,
            facets: false,
            count_only: false,
        }
    }
}
