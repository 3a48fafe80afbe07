//! Plain data that flows between the pipeline steps: what a parser found in a file ([`Article`]),
//! what enrichment added ([`EnrichedArticle`]), dates and entities. No tantivy, no I/O.

use serde::{Deserialize, Serialize};

/// The input format an article was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, optionally with an RFC 822 style `Key: value` header block.
    Txt,
    /// Markdown with YAML or TOML front matter.
    Md,
    /// One JSON object or an array of them.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// An HTML page.
    Html,
}

impl Format {
    /// The lower-case name used in the index, summaries and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Html => "html",
        }
    }
}

/// One article as a parser found it: text fields as written in the file, nothing inferred yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// 1-based number of the article inside its file (1 for single-article files).
    pub record: u32,
    /// Headline; may be empty when the file has none.
    pub title: String,
    /// Main text.
    pub body: String,
    /// Publication date exactly as written in the file (parsed later by `enrich::dates`).
    pub date_text: Option<String>,
    /// Publisher / outlet.
    pub source: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Authors, one per entry.
    pub authors: Vec<String>,
    /// Language the file declares (e.g. `<html lang>`, a `Language:` header).
    pub lang: Option<String>,
    /// The record's own id: id / guid / Message-ID / url.
    pub source_id: Option<String>,
    /// Section, category, keywords, topics.
    pub tags: Vec<String>,
}

impl Article {
    /// True when there is nothing to index: no title and no body once whitespace is ignored.
    pub fn is_empty(&self) -> bool {
        self.title.trim().is_empty() && self.body.trim().is_empty()
    }
}

/// How precisely a publication date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// Only the year is known.
    Year,
    /// Year and month.
    Month,
    /// A calendar day (UTC).
    Day,
    /// A point in time.
    Time,
}

impl DatePrecision {
    /// The lower-case name stored in the index.
    pub fn name(self) -> &'static str {
        match self {
            DatePrecision::Year => "year",
            DatePrecision::Month => "month",
            DatePrecision::Day => "day",
            DatePrecision::Time => "time",
        }
    }

    /// Parses a stored name back.
    pub fn from_name(name: &str) -> Option<DatePrecision> {
        match name {
            "year" => Some(DatePrecision::Year),
            "month" => Some(DatePrecision::Month),
            "day" => Some(DatePrecision::Day),
            "time" => Some(DatePrecision::Time),
            _ => None,
        }
    }
}

/// A publication date: the period `[start, end]` (UTC seconds, both inclusive) at some precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PubDate {
    /// First second of the period, seconds since the Unix epoch (UTC).
    pub start: i64,
    /// Last second of the period (equal to `start` for [`DatePrecision::Time`]).
    pub end: i64,
    /// How precisely the date is known.
    pub precision: DatePrecision,
}

/// Entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, institution, party, team…
    Organization,
    /// A country, city, region, geographic feature…
    Place,
    /// Nationalities, events, laws, titles of works.
    Misc,
}

impl EntityKind {
    /// The lower-case name used in output.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Misc => "misc",
        }
    }
}

/// One mention of an entity in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Entity type.
    pub kind: EntityKind,
    /// Byte offset of the first byte of the mention.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// Canonical name ("President Nayib Bukele" → "Nayib Bukele").
    pub name: String,
}

/// Canonical entity names of one article, by type, each list sorted and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entities {
    /// People.
    pub persons: Vec<String>,
    /// Organisations.
    pub orgs: Vec<String>,
    /// Places.
    pub places: Vec<String>,
}

impl Entities {
    /// Collects the canonical names of `mentions` (misc mentions are not kept in the index).
    pub fn from_mentions(mentions: &[Mention]) -> Entities {
        let mut entities = Entities::default();
        for mention in mentions {
            let list = match mention.kind {
                EntityKind::Person => &mut entities.persons,
                EntityKind::Organization => &mut entities.orgs,
                EntityKind::Place => &mut entities.places,
                EntityKind::Misc => continue,
            };
            list.push(mention.name.clone());
        }
        for list in [
            &mut entities.persons,
            &mut entities.orgs,
            &mut entities.places,
        ] {
            list.sort();
            list.dedup();
        }
        entities
    }
}

/// An article with everything inferred from it: parsed date, language, entities, identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichedArticle {
    /// What the parser found.
    pub article: Article,
    /// Stable id (see `ingest::identity`).
    pub id: String,
    /// Canonical absolute path of the file.
    pub path: String,
    /// Input format.
    pub format: String,
    /// Parsed publication date, if any.
    pub date: Option<PubDate>,
    /// ISO 639-1 language code.
    pub lang: Option<String>,
    /// Entities found in title and body.
    pub entities: Entities,
    /// Words in title and body.
    pub word_count: u64,
    /// Hash of the normalised title and body (exact-duplicate detection).
    pub content_hash: String,
}
