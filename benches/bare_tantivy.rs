//! Baseline for the indexer: a bare tantivy loop with newsdex's very schema and analyzers.
//! Reads a JSON Lines file (`title`, `body`, `date`, `source`, `id`, `topics`), adds every record,
//! commits. No walking, decoding checks, date parsing beyond RFC 3339, language detection,
//! entities or incremental state: the floor that `newsdex index --no-entities` is measured
//! against.
//!
//! `cargo bench --bench bare_tantivy -- FILE.jsonl [THREADS] [VARIANT]`
//!
//! VARIANT says what the schema and the document cost:
//! - `full` (default): newsdex's schema, and every field a `newsdex index --no-entities`
//!   document of the record carries, so both loops give tantivy the same work. Fields newsdex
//!   derives get values of the same shape without deriving them: the file's path, a fixed
//!   stamp, `jsonl`, `time` precision, `en`, the body's length for the word count and a hash of
//!   the body alone.
//! - `minimal`: newsdex's schema, but only id, title, body, source and date filled, as this bench
//!   once did. Its gap to `full` is what tantivy spends on the eleven other fields newsdex fills.
//! - `stemmed-copy`: `minimal` plus a stemmed title and body without positions beside the exact
//!   ones (the schema before version 2).
//! - `plain`: tantivy-cli's shape: title and body with the default tokenizer and positions,
//!   stored.

use std::io::BufRead;
use std::time::Instant;

use newsdex::schema::{register_analyzers, IndexSchema};
use tantivy::{DateTime, Index, TantivyDocument};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cargo bench --bench bare_tantivy -- FILE.jsonl [THREADS]");
        return Ok(());
    };
    let threads: usize = args.get(1).and_then(|t| t.parse().ok()).unwrap_or(2);
    let variant = args.get(2).map_or("full", String::as_str);
    let schema = IndexSchema::build()?;
    let plain = plain_schema();
    let dir = tempfile::tempdir()?;
    let index = match variant {
        "full" | "minimal" => Index::create_in_dir(dir.path(), schema.schema.clone())?,
        "stemmed-copy" => Index::create_in_dir(dir.path(), with_stemmed_copy(&schema.schema))?,
        "plain" => Index::create_in_dir(dir.path(), plain.clone())?,
        other => {
            return Err(
                format!("unknown variant {other:?}: full, minimal, stemmed-copy or plain").into(),
            )
        }
    };
    let index_schema = index.schema();
    let stemmed_copy = index_schema
        .get_field("title_stemmed")
        .ok()
        .zip(index_schema.get_field("body_stemmed").ok());
    register_analyzers(&index);
    let f = &schema.fields;
    let (plain_title, plain_body) = (plain.get_field("title")?, plain.get_field("body")?);
    let started = Instant::now();
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(threads, 512_000_000)?;
    let file = std::fs::File::open(path)?;
    let bytes = file.metadata()?.len();
    let full_path = std::fs::canonicalize(path)?.to_string_lossy().into_owned();
    let mut docs = 0u64;
    for line in std::io::BufReader::new(file).split(b'\n') {
        let line = line?;
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(&line) else {
            continue;
        };
        let text = |k: &str| map.get(k).and_then(|v| v.as_str()).unwrap_or("");
        let mut doc = TantivyDocument::default();
        if variant == "plain" {
            doc.add_text(plain_title, text("title"));
            doc.add_text(plain_body, text("body"));
            writer.add_document(doc)?;
            docs += 1;
            continue;
        }
        if variant == "full" {
            add_newsdex_fields(&mut doc, f, &map, &full_path, docs + 1);
            writer.add_document(doc)?;
            docs += 1;
            continue;
        }
        doc.add_text(f.id, text("id"));
        doc.add_text(f.title, text("title"));
        doc.add_text(f.body, text("body"));
        if let Some((title, body)) = stemmed_copy {
            doc.add_text(title, text("title"));
            doc.add_text(body, text("body"));
        }
        doc.add_text(f.source, text("source"));
        if let Ok(date) = chrono::DateTime::parse_from_rfc3339(text("date")) {
            doc.add_date(f.date, DateTime::from_timestamp_secs(date.timestamp()));
        }
        writer.add_document(doc)?;
        docs += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "bare tantivy ({variant}): {docs} docs, {:.1} MB in {secs:.2}s: {:.1} MB/s, {:.0} docs/s ({threads} threads)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        docs as f64 / secs
    );
    Ok(())
}

/// Fills `doc` with every field `newsdex index --no-entities` gives record number `record` of a
/// JSON Lines file (src/ingest/document.rs), from the record's own values or values of the same
/// shape.
fn add_newsdex_fields(
    doc: &mut TantivyDocument,
    f: &newsdex::schema::Fields,
    map: &serde_json::Map<String, serde_json::Value>,
    path: &str,
    record: u64,
) {
    let text = |k: &str| map.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let body = text("body");
    doc.add_text(f.id, format!("{:016x}{record:x}", 0x5eed_u64));
    doc.add_text(f.path, path);
    doc.add_u64(f.record, record);
    doc.add_text(f.file_stamp, "26955120:1764450000123456789:p9-eoff");
    doc.add_text(f.format, "jsonl");
    doc.add_text(f.source_id, text("id"));
    doc.add_text(f.title, text("title"));
    doc.add_text(f.body, body);
    if let Ok(date) = chrono::DateTime::parse_from_rfc3339(text("date")) {
        let date = DateTime::from_timestamp_secs(date.timestamp());
        doc.add_date(f.date, date);
        doc.add_date(f.date_end, date);
        doc.add_text(f.date_precision, "time");
    }
    doc.add_text(f.source, text("source"));
    doc.add_text(f.lang, "en");
    let topics = map.get("topics").and_then(|v| v.as_array());
    for topic in topics.into_iter().flatten().filter_map(|t| t.as_str()) {
        doc.add_text(f.tags, topic);
    }
    doc.add_u64(f.word_count, body.len() as u64 / 6);
    let hash = xxhash_rust::xxh3::xxh3_128(body.as_bytes());
    doc.add_text(f.content_hash, format!("{hash:032x}"));
}

/// newsdex's schema plus stemmed, position-less copies of title and body.
fn with_stemmed_copy(schema: &tantivy::schema::Schema) -> tantivy::schema::Schema {
    use tantivy::schema::{IndexRecordOption, TextFieldIndexing, TextOptions};
    let mut builder = tantivy::schema::Schema::builder();
    for (_, entry) in schema.fields() {
        builder.add_field(entry.clone());
    }
    let stemmed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(newsdex::schema::analyzer::STEMMED)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    builder.add_text_field("title_stemmed", stemmed.clone());
    builder.add_text_field("body_stemmed", stemmed);
    builder.build()
}

/// tantivy-cli's usual schema for news: title and body, default tokenizer, positions, stored.
fn plain_schema() -> tantivy::schema::Schema {
    let mut builder = tantivy::schema::Schema::builder();
    builder.add_text_field("title", tantivy::schema::TEXT | tantivy::schema::STORED);
    builder.add_text_field("body", tantivy::schema::TEXT | tantivy::schema::STORED);
    builder.build()
}
