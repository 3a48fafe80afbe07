//! Parsed articles (`newsdex parse`) as JSON lines or text.

use std::io::{self, Write};

use serde::Serialize;

use super::json_line;
use crate::model::EnrichedArticle;
use crate::stats::rfc3339;

/// One article as `parse --format jsonl` prints it (the wire type, separate from the model).
#[derive(Debug, Serialize)]
pub struct ParsedArticleJson<'a> {
    /// The file, as given on the command line.
    pub path: &'a str,
    /// 1-based record number inside the file.
    pub record: u32,
    /// Stable id.
    pub id: &'a str,
    /// Input format.
    pub format: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Text.
    pub body: &'a str,
    /// Start of the publication date's period, RFC 3339 UTC.
    pub date: Option<String>,
    /// `year|month|day|time`.
    pub date_precision: Option<&'static str>,
    /// Publisher.
    pub source: Option<&'a str>,
    /// URL.
    pub url: Option<&'a str>,
    /// Authors.
    pub authors: &'a [String],
    /// Language code.
    pub lang: Option<&'a str>,
    /// The record's own id.
    pub source_id: Option<&'a str>,
    /// Tags.
    pub tags: &'a [String],
    /// Words in title and body.
    pub word_count: u64,
}

impl<'a> ParsedArticleJson<'a> {
    /// The wire form of an enriched article read from `path`.
    pub fn new(path: &'a str, a: &'a EnrichedArticle) -> Self {
        ParsedArticleJson {
            path,
            record: a.article.record,
            id: &a.id,
            format: &a.format,
            title: &a.article.title,
            body: &a.article.body,
            date: a.date.map(|d| rfc3339(d.start)),
            date_precision: a.date.map(|d| d.precision.name()),
            source: a.article.source.as_deref(),
            url: a.article.url.as_deref(),
            authors: &a.article.authors,
            lang: a.lang.as_deref(),
            source_id: a.article.source_id.as_deref(),
            tags: &a.article.tags,
            word_count: a.word_count,
        }
    }
}

/// Writes one article as a JSON line.
pub fn jsonl(out: &mut dyn Write, path: &str, article: &EnrichedArticle) -> io::Result<()> {
    json_line(out, &ParsedArticleJson::new(path, article))
}

/// Writes one article for people.
pub fn text(out: &mut dyn Write, path: &str, a: &EnrichedArticle) -> io::Result<()> {
    writeln!(out, "{path} #{} [{}]", a.article.record, a.format)?;
    writeln!(out, "  title:   {}", a.article.title)?;
    if let Some(date) = a.date {
        writeln!(
            out,
            "  date:    {} ({})",
            rfc3339(date.start),
            date.precision.name()
        )?;
    }
    let fields = [
        ("source", a.article.source.as_deref()),
        ("url", a.article.url.as_deref()),
        ("lang", a.lang.as_deref()),
    ];
    for (label, value) in fields {
        if let Some(value) = value {
            writeln!(out, "  {label:<8} {value}")?;
        }
    }
    if !a.article.authors.is_empty() {
        writeln!(out, "  authors: {}", a.article.authors.join("; "))?;
    }
    writeln!(out, "  words:   {}", a.word_count)
}
