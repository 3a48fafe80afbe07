//! Parsers: decoded file text → [`Article`]s. One file per input format, all pure (no I/O).
//!
//! Every parser returns [`Parsed`]: the articles it could read plus one [`RecordIssue`] per record it
//! could not (a bad JSONL line, a CSV row with broken quoting…). A bad record never loses the others.

pub mod fields;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;
pub mod txt;

#[cfg(test)]
mod properties;

use crate::model::Article;

/// What a parser read from one file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    /// Articles in file order; `record` numbers are 1-based.
    pub articles: Vec<Article>,
    /// Records that could not be read (the rest of the file still is).
    pub issues: Vec<RecordIssue>,
}

/// A record a parser had to skip or repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordIssue {
    /// 1-based line number where the record starts, when the format has lines.
    pub line: Option<u64>,
    /// What went wrong, lower-case, no trailing period (e.g. `invalid JSON: expected value at column 3`).
    pub reason: String,
}

/// Bounds that keep hostile input from exhausting the stack or memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting a tree walk follows (HTML elements, JSON values).
    pub max_depth: usize,
    /// Largest article (title and body, bytes) that is enriched and indexed. Entity tagging and
    /// indexing need many times an article's size in memory, so one giant "article" (a 200 MB
    /// line) is skipped rather than allowed to exhaust memory.
    pub max_article_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 512,
            max_article_bytes: 16 << 20,
        }
    }
}

/// Bumped whenever what the indexer derives from a file changes (a parser's output, or enrichment
/// such as language detection), so existing indexes re-read the files it affects.
/// 2: language from function words before the trigram model; no language for tables.
/// 3: header keys are RFC 5322 field names (`Article-I.D.` no longer hides a Usenet header); an
/// article without a source takes its URL's host.
/// 4: the trigram model's answer must hold two function words of its language, when there is a
/// list of them (spelled-out wire tables are no longer French).
pub const PARSER_VERSION: &str = "4";

/// Parses a whole decoded file of a known format.
pub fn parse(format: crate::model::Format, text: &str, limits: &Limits) -> Parsed {
    use crate::model::Format;
    match format {
        Format::Txt => txt::parse(text),
        Format::Md => markdown::parse(text),
        Format::Json => json::parse_json(text, limits),
        Format::Jsonl => json::parse_jsonl(text),
        Format::Csv => table::parse(text, b','),
        Format::Tsv => table::parse(text, b'\t'),
        Format::Html => html::parse(text, limits),
    }
}
