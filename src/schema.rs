//! The index schema, read from `schema/fields.toml` (compiled in). This is the only module that
//! spells index field names; everyone else uses the [`Fields`] handles.

use std::collections::HashMap;

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::Index;

use crate::error::{Error, Result};
use crate::words::WordTokenizer;

/// The field definitions file, as shipped.
pub const FIELDS_TOML: &str = include_str!("../schema/fields.toml");

/// Analyzer names used in `schema/fields.toml`.
pub mod analyzer {
    /// Words, lower-cased, ASCII-folded, English stems.
    pub const STEMMED: &str = "newsdex_stemmed";
    /// Words, lower-cased, ASCII-folded, unstemmed.
    pub const EXACT: &str = "newsdex_exact";
    /// The whole value, lower-cased and ASCII-folded.
    pub const KEYWORD: &str = "newsdex_keyword";
    /// The whole value unchanged.
    pub const RAW: &str = "raw";
}

/// One field as written in `schema/fields.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct FieldDef {
    /// Field name.
    pub name: String,
    /// `text`, `date` or `u64`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Analyzer for text fields: `stemmed`, `exact`, `keyword`, `raw`.
    #[serde(default)]
    pub analyzer: Option<String>,
    /// `no`, `basic`, `freqs`, `positions`.
    pub indexed: String,
    /// Returned with hits.
    pub stored: bool,
    /// Column-stored for sorting, facets and filters.
    pub fast: bool,
    /// Several values per article.
    #[serde(default)]
    pub multi: bool,
    /// What the field is for.
    pub role: String,
    /// One-line description.
    pub doc: String,
}

/// The parsed `schema/fields.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct SchemaFile {
    /// Bumped whenever a field changes; an index with another version must be rebuilt.
    pub schema_version: u32,
    /// The fields, in order.
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
}

impl SchemaFile {
    /// Parses the shipped definitions.
    pub fn shipped() -> Result<SchemaFile> {
        toml::from_str(FIELDS_TOML).map_err(|e| Error::Schema(format!("schema/fields.toml: {e}")))
    }
}

/// Handles to every index field, so no other module spells a field name.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Stable article id.
    pub id: Field,
    /// Canonical file path.
    pub path: Field,
    /// Record number inside the file.
    pub record: Field,
    /// Incremental-indexing stamp of the file.
    pub file_stamp: Field,
    /// Input format.
    pub format: Field,
    /// The record's own id.
    pub source_id: Field,
    /// Headline (exact words, positions).
    pub title: Field,
    /// Text (exact words, positions).
    pub body: Field,
    /// Start of the publication date's period.
    pub date: Field,
    /// End of the publication date's period.
    pub date_end: Field,
    /// `year|month|day|time`.
    pub date_precision: Field,
    /// Publisher.
    pub source: Field,
    /// Canonical URL.
    pub url: Field,
    /// Authors.
    pub authors: Field,
    /// Tags.
    pub tags: Field,
    /// Language code.
    pub lang: Field,
    /// People.
    pub persons: Field,
    /// Organisations.
    pub orgs: Field,
    /// Places.
    pub places: Field,
    /// Word count.
    pub word_count: Field,
    /// Content hash.
    pub content_hash: Field,
}

/// The built schema plus field handles.
#[derive(Debug, Clone)]
pub struct IndexSchema {
    /// The tantivy schema.
    pub schema: Schema,
    /// Field handles.
    pub fields: Fields,
    /// The definitions it was built from.
    pub defs: SchemaFile,
}

impl IndexSchema {
    /// Builds the schema from the shipped `schema/fields.toml`.
    pub fn build() -> Result<IndexSchema> {
        let defs = SchemaFile::shipped()?;
        let mut builder = Schema::builder();
        for def in &defs.fields {
            add_field(&mut builder, def)?;
        }
        let schema = builder.build();
        let fields = Fields::resolve(&schema)?;
        Ok(IndexSchema {
            schema,
            fields,
            defs,
        })
    }
}

impl Fields {
    fn resolve(schema: &Schema) -> Result<Fields> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| Error::Schema(format!("schema/fields.toml: missing field `{name}`")))
        };
        Ok(Fields {
            id: get("id")?,
            path: get("path")?,
            record: get("record")?,
            file_stamp: get("file_stamp")?,
            format: get("format")?,
            source_id: get("source_id")?,
            title: get("title")?,
            body: get("body")?,
            date: get("date")?,
            date_end: get("date_end")?,
            date_precision: get("date_precision")?,
            source: get("source")?,
            url: get("url")?,
            authors: get("authors")?,
            tags: get("tags")?,
            lang: get("lang")?,
            persons: get("persons")?,
            orgs: get("orgs")?,
            places: get("places")?,
            word_count: get("word_count")?,
            content_hash: get("content_hash")?,
        })
    }
}

fn add_field(builder: &mut tantivy::schema::SchemaBuilder, def: &FieldDef) -> Result<()> {
    let bad =
        |what: &str| Error::Schema(format!("schema/fields.toml: field `{}`: {what}", def.name));
    match def.kind.as_str() {
        "text" => {
            let analyzer = match def.analyzer.as_deref() {
                Some("stemmed") => analyzer::STEMMED,
                Some("exact") => analyzer::EXACT,
                Some("keyword") => analyzer::KEYWORD,
                Some("raw") => analyzer::RAW,
                other => return Err(bad(&format!("unknown analyzer {other:?}"))),
            };
            let mut options = TextOptions::default();
            let record = match def.indexed.as_str() {
                "no" => None,
                "basic" => Some(IndexRecordOption::Basic),
                "freqs" => Some(IndexRecordOption::WithFreqs),
                "positions" => Some(IndexRecordOption::WithFreqsAndPositions),
                other => return Err(bad(&format!("unknown indexing {other:?}"))),
            };
            if let Some(record) = record {
                options = options.set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analyzer)
                        .set_index_option(record),
                );
            }
            if def.stored {
                options = options.set_stored();
            }
            if def.fast {
                // Columns keep the value as written, so facets show names the way articles spell them.
                options = options.set_fast(analyzer::RAW);
            }
            builder.add_text_field(&def.name, options);
        }
        "date" => {
            let mut options = DateOptions::default().set_precision(DateTimePrecision::Seconds);
            if def.indexed != "no" {
                options = options.set_indexed();
            }
            if def.stored {
                options = options.set_stored();
            }
            if def.fast {
                options = options.set_fast();
            }
            builder.add_date_field(&def.name, options);
        }
        "u64" => {
            let mut options = NumericOptions::default();
            if def.indexed != "no" {
                options = options.set_indexed();
            }
            if def.stored {
                options = options.set_stored();
            }
            if def.fast {
                options = options.set_fast();
            }
            builder.add_u64_field(&def.name, options);
        }
        other => return Err(bad(&format!("unknown type {other:?}"))),
    }
    Ok(())
}

/// The stemmed analyzer: what plain query words go through (matched against the stems of the
/// indexed exact words, see `search::stems`).
///
/// Words are maximal runs of letters and digits, lower-cased and ASCII-folded, words of
/// [`MAX_WORD_BYTES`](crate::words::MAX_WORD_BYTES) or more dropped ([`WordTokenizer`]: tantivy's `SimpleTokenizer`,
/// `RemoveLongFilter`, `LowerCaser` and `AsciiFoldingFilter` in one pass), then stemmed.
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(crate::stem::MemoStemmer)
        .build()
}

/// The exact analyzer: what indexed title/body and quoted phrases go through (the stemmed
/// analyzer without stemming).
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default()).build()
}

/// The keyword analyzer: one term for the whole value, case- and accent-insensitive.
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers newsdex's analyzers on an index (needed after every create or open).
pub fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(analyzer::STEMMED, stemmed_analyzer());
    manager.register(analyzer::EXACT, exact_analyzer());
    manager.register(analyzer::KEYWORD, keyword_analyzer());
}

/// The instants (Unix seconds) the index's date fields can hold: tantivy keeps dates as i64
/// nanoseconds, from 1677-09-21T00:12:44Z to 2262-04-11T23:47:16Z, a narrower span than the
/// years 1000–9999 newsdex reads.
pub const INDEX_DATES: std::ops::RangeInclusive<i64> =
    (i64::MIN / 1_000_000_000)..=(i64::MAX / 1_000_000_000);

/// A date (Unix seconds) as the index stores and compares it, clamped to [`INDEX_DATES`].
///
/// Every date going into the index or into a date query goes through here: converting an
/// earlier instant directly overflows (a panic in debug builds, a wrapped, meaningless date in
/// release ones). Clamping keeps the order, so ranges still select the right articles; an
/// article dated before 1677 is stored, shown and sorted as of 1677-09-21.
pub fn index_date(secs: i64) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_secs(secs.clamp(*INDEX_DATES.start(), *INDEX_DATES.end()))
}

/// The terms an analyzer makes of `text`, in order (for tests of analysis).
#[cfg(test)]
pub(crate) fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Normalises a keyword value the way the index does (for building query terms).
pub fn normalise_keyword(value: &str) -> String {
    normalise_keyword_with(&mut keyword_analyzer(), value)
}

/// [`normalise_keyword`] with an analyzer made once by [`keyword_analyzer`], for many values.
pub fn normalise_keyword_with(analyzer: &mut TextAnalyzer, value: &str) -> String {
    let mut stream = analyzer.token_stream(value);
    let mut out = String::new();
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

/// Map from field name to its definition (for tests and `stats`).
pub fn defs_by_name(defs: &SchemaFile) -> HashMap<&str, &FieldDef> {
    defs.fields.iter().map(|d| (d.name.as_str(), d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::FieldType;

    /// Found by `cargo fuzz` (target `query`): `date:[1012-03-01 TO 2025]` overflowed.
    #[test]
    fn dates_outside_tantivys_span_are_clamped_in_order() {
        let secs = [
            i64::MIN,
            -30_610_224_000,
            -9_223_372_037,
            0,
            253_402_300_799,
            i64::MAX,
        ];
        let stored: Vec<i64> = secs
            .iter()
            .map(|&s| index_date(s).into_timestamp_secs())
            .collect();
        assert!(stored.windows(2).all(|w| w[0] <= w[1]), "{stored:?}");
        assert_eq!(stored[0], *INDEX_DATES.start());
        assert_eq!(stored[3], 0);
        assert_eq!(stored[5], *INDEX_DATES.end());
    }

    #[test]
    fn built_schema_matches_fields_toml() {
        let built = IndexSchema::build().expect("schema builds");
        assert_eq!(built.schema.fields().count(), built.defs.fields.len());
        for def in &built.defs.fields {
            let field = built.schema.get_field(&def.name).expect("field exists");
            let entry = built.schema.get_field_entry(field);
            assert_eq!(entry.is_stored(), def.stored, "{} stored", def.name);
            assert_eq!(entry.is_fast(), def.fast, "{} fast", def.name);
            assert_eq!(
                entry.is_indexed(),
                def.indexed != "no",
                "{} indexed",
                def.name
            );
            match (entry.field_type(), def.kind.as_str()) {
                (FieldType::Str(options), "text") => {
                    if let Some(indexing) = options.get_indexing_options() {
                        let expected = match def.analyzer.as_deref() {
                            Some("stemmed") => analyzer::STEMMED,
                            Some("exact") => analyzer::EXACT,
                            Some("keyword") => analyzer::KEYWORD,
                            _ => analyzer::RAW,
                        };
                        assert_eq!(indexing.tokenizer(), expected, "{} analyzer", def.name);
                        let positions = indexing.index_option().has_positions();
                        assert_eq!(positions, def.indexed == "positions", "{}", def.name);
                    }
                }
                (FieldType::Date(_), "date") | (FieldType::U64(_), "u64") => {}
                (other, kind) => panic!("{}: {kind} built as {other:?}", def.name),
            }
        }
    }

    #[test]
    fn only_phrase_fields_have_positions() {
        let built = IndexSchema::build().expect("schema builds");
        let with_positions: Vec<&str> = built
            .defs
            .fields
            .iter()
            .filter(|d| d.indexed == "positions")
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(with_positions, ["title", "body"]);
    }

    #[test]
    fn words_split_on_apostrophes_dots_and_hyphens_and_fold_accents() {
        assert_eq!(
            tokens(exact_analyzer(), "Bukele's U.S. well-known Café"),
            ["bukele", "s", "u", "s", "well", "known", "cafe"]
        );
    }

    #[test]
    fn stemmed_analyzer_stems_english() {
        assert_eq!(
            tokens(stemmed_analyzer(), "Deported prisons"),
            ["deport", "prison"]
        );
    }

    #[test]
    fn keyword_is_one_folded_term() {
        assert_eq!(
            normalise_keyword("Harbour Gazette Ñews"),
            "harbour gazette news"
        );
    }
}
