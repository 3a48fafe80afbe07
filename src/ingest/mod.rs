//! Ingest: the index chain. Files → [`discover`] → [`read`] → [`parse`] → [`enrich`] →
//! [`document`] → [`writer`], with [`report`] counting every outcome.
//!
//! Rayon reads, parses and enriches files in parallel; the calling thread is the one owner of the
//! `IndexWriter` and receives finished documents through a bounded channel, so memory stays
//! bounded when indexing is the slower side.

pub mod decode;
pub mod discover;
pub mod document;
pub mod enrich;
pub mod parse;
pub mod read;
pub mod report;
pub mod state;
pub mod writer;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use tantivy::TantivyDocument;

use crate::entities::{self, EntityExtractor};
use crate::error::{Error, Result};
use crate::model::Article;
use crate::store::{self, CommitInfo};
use discover::{DiscoverOptions, SourceFile};
use enrich::{Context, Origin};
use parse::{Limits, Parsed};
use read::{Loaded, ReadLimits, Skip};
use report::IndexReport;
use writer::{CommitPolicy, Sink};

/// Everything an `index` run needs, validated.
#[derive(Debug, Clone)]
pub struct IndexRequest {
    /// Folders and files to index.
    pub roots: Vec<PathBuf>,
    /// The index folder.
    pub index_dir: PathBuf,
    /// Threads for parsing and for indexing.
    pub threads: usize,
    /// Writer memory budget in bytes.
    pub memory_bytes: usize,
    /// `--exclude` globs.
    pub excludes: Vec<String>,
    /// `--follow-links`.
    pub follow_links: bool,
    /// `--rebuild`: start from an empty index.
    pub rebuild: bool,
    /// Extract entities.
    pub entities: bool,
    /// Size caps.
    pub read_limits: ReadLimits,
    /// Parser bounds.
    pub parse_limits: Limits,
    /// When to commit.
    pub commit: CommitPolicy,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Receives progress and one-line warnings while a run goes on.
pub trait Observer: Sync {
    /// Discovery finished: this many files and bytes to read.
    fn start(&self, files: u64, bytes: u64);
    /// One more file finished.
    fn file_done(&self, bytes: u64);
    /// A file or record was skipped or repaired: `path: reason`.
    fn warning(&self, line: &str);
}

/// One piece of a file's output, sent from a worker to the writer.
struct Part {
    file: usize,
    last: bool,
    docs: Vec<(TantivyDocument, String)>,
    events: Vec<Event>,
    bytes: u64,
}

enum Event {
    Skip(&'static str, String),
    Unsupported(String),
    Warn(&'static str, String),
}

/// Runs an indexing job to the end and reports what it did.
pub fn run(request: &IndexRequest, observer: &dyn Observer) -> Result<IndexReport> {
    let started = Instant::now();
    let (store, _lock) = store::open_for_write(&request.index_dir, request.rebuild)?;
    let indexed = if request.rebuild {
        state::IndexedFiles::new()
    } else {
        state::load(&store.index, &store.schema.fields)?
    };
    let found = discover::discover(
        &request.roots,
        &DiscoverOptions {
            excludes: request.excludes.clone(),
            follow_links: request.follow_links,
            skip_dir: Some(request.index_dir.clone()),
        },
    )?;
    let mut report = IndexReport {
        files_seen: found.files.len() as u64 + found.problems.len() as u64,
        ..Default::default()
    };
    for problem in &found.problems {
        report.skip(problem.reason, &problem.path, &problem.detail);
        observer.warning(&format!(
            "{}: skipped ({}): {}",
            problem.path, problem.reason, problem.detail
        ));
    }
    let fingerprint = settings_fingerprint(request);
    let stamps: Vec<String> = found
        .files
        .iter()
        .map(|f| file_stamp(f, &fingerprint))
        .collect();
    let mut todo = Vec::new();
    for (i, file) in found.files.iter().enumerate() {
        let key = file.path.to_string_lossy();
        match indexed.get(key.as_ref()) {
            Some(old) if !request.rebuild && old.stamp == stamps[i] => {
                report.files_unchanged += 1;
                report.unchanged += old.articles;
            }
            _ => todo.push(i),
        }
    }
    let info = CommitInfo {
        schema_version: store.schema.defs.schema_version,
        newsdex_version: env!("CARGO_PKG_VERSION").to_string(),
        roots: found
            .roots
            .iter()
            .map(|r| r.dir.display().to_string())
            .collect(),
    };
    let mut sink = Sink::open(
        &store,
        request.threads,
        request.memory_bytes,
        info,
        request.commit,
    )?;
    if request.rebuild {
        sink.remove_all()?;
    }
    let seen: HashSet<String> = found
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    for (path, old) in &indexed {
        if !seen.contains(path) && found.roots.iter().any(|r| r.covers(path)) {
            sink.remove_file(path);
            report.removed += old.articles;
        }
    }
    let total_bytes = todo.iter().map(|&i| found.files[i].size).sum();
    observer.start(todo.len() as u64, total_bytes);
    // Loading the tagger's model is most of a run over an unchanged corpus: only when needed.
    let extractor: Option<&dyn EntityExtractor> = if request.entities && !todo.is_empty() {
        Some(entities::embedded())
    } else {
        None
    };
    let repeats = enrich::repeats::Repeats::default();
    let context = Context {
        now: request.now,
        extractor,
        repeats: &repeats,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(request.threads.max(1))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", request.threads)))?;
    let (sender, receiver) = sync_channel::<Part>(request.threads.max(1) * 2);
    let files = &found.files;
    let stamps = &stamps;
    let fields = &store.schema.fields;
    let result = std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| {
                todo.par_iter().for_each_with(sender, |sender, &i| {
                    process_file(i, &files[i], &stamps[i], request, &context, fields, sender);
                });
            });
        });
        write_parts(receiver, &mut sink, files, &indexed, &mut report, observer)
    });
    result?;
    report.commits = sink.commits;
    sink.finish(&store)?;
    report.total_articles = searchable_articles(&store)?;
    report.elapsed_secs = started.elapsed().as_secs_f64();
    report.mb_per_sec = report.bytes_read as f64 / 1e6 / report.elapsed_secs.max(1e-9);
    report.commits += 1;
    Ok(report)
}

/// The writer side: applies parts in arrival order; commits only when no file is half-written.
fn write_parts(
    receiver: std::sync::mpsc::Receiver<Part>,
    sink: &mut Sink,
    files: &[SourceFile],
    indexed: &state::IndexedFiles,
    report: &mut IndexReport,
    observer: &dyn Observer,
) -> Result<()> {
    let mut open: HashSet<usize> = HashSet::new();
    let mut written: std::collections::HashMap<usize, u64> = Default::default();
    // Hashes are already uniform: SipHash over them is wasted work.
    let mut hashes: FxHashSet<String> = FxHashSet::default();
    for part in receiver {
        let file = &files[part.file];
        let path = file.path.to_string_lossy();
        if open.insert(part.file) {
            sink.remove_file(&path);
        }
        report.bytes_read += part.bytes;
        for event in part.events {
            match event {
                Event::Skip(reason, detail) => {
                    observer.warning(&format!("{path}: skipped ({reason}): {detail}"));
                    report.skip(reason, &path, &detail);
                }
                Event::Unsupported(ext) => {
                    observer.warning(&format!("{path}: skipped (unsupported): {ext}"));
                    *report.unsupported.entry(ext.clone()).or_default() += 1;
                    report.skip("unsupported", &path, &ext);
                }
                Event::Warn(kind, detail) => {
                    observer.warning(&format!("{path}: {detail}"));
                    report.warn(kind, &path, &detail);
                }
            }
        }
        let count = part.docs.len() as u64;
        for (doc, hash) in part.docs {
            if !hashes.insert(hash) {
                report.duplicates += 1;
            }
            sink.add(doc)?;
        }
        *written.entry(part.file).or_default() += count;
        if part.last {
            open.remove(&part.file);
            let new = written.remove(&part.file).unwrap_or(0);
            let old = indexed.get(path.as_ref()).map_or(0, |f| f.articles);
            let kept = old.min(new);
            report.updated += kept;
            report.added += new - kept;
            report.removed += old - kept;
            if new > 0 {
                report.files_indexed += 1;
            }
            observer.file_done(file.size);
            if open.is_empty() {
                sink.file_done()?;
            }
        }
    }
    Ok(())
}

/// One batch of a file's articles: the whole file, or a run of JSON Lines.
pub struct FileBatch {
    /// What the parser read.
    pub parsed: Parsed,
    /// Add to the parser's line numbers to get the file's.
    pub line_offset: u64,
    /// Decoded bytes in this batch.
    pub bytes: u64,
    /// Encoding decoded from, when not UTF-8.
    pub encoding: Option<&'static str>,
    /// JSON Lines dropped for their size: (line, bytes).
    pub oversized: Vec<(u64, u64)>,
    /// True for a single, whole-file batch.
    pub whole_file: bool,
    /// No batch of this file follows.
    pub last: bool,
    /// Format label (`html`, `jsonl.gz`…).
    pub label: String,
}

/// Reads and parses one file, handing each batch to `on_batch` (return `false` to stop early).
/// Returns the format label, or why the file (or, mid-stream, the rest of it) is skipped.
pub fn parse_file(
    path: &std::path::Path,
    size: u64,
    read_limits: &ReadLimits,
    parse_limits: &Limits,
    on_batch: &mut dyn FnMut(FileBatch) -> bool,
) -> std::result::Result<String, Skip> {
    let (label, loaded) = read::load(path, size, read_limits)?;
    match loaded {
        Loaded::Whole {
            format,
            text,
            encoding,
        } => {
            on_batch(FileBatch {
                parsed: parse::parse(format, &text, parse_limits),
                line_offset: 0,
                bytes: text.len() as u64,
                encoding,
                oversized: Vec::new(),
                whole_file: true,
                last: true,
                label: label.clone(),
            });
        }
        Loaded::Lines(mut batches) => {
            while let Some(batch) = batches.next_batch()? {
                let parsed = parse_lines_parallel(&batch.text, batch.records_before);
                let go_on = on_batch(FileBatch {
                    parsed,
                    line_offset: batch.first_line - 1,
                    bytes: batch.text.len() as u64,
                    encoding: batch.encoding,
                    oversized: batch.oversized,
                    whole_file: false,
                    last: batch.last,
                    label: label.clone(),
                });
                if !go_on {
                    break;
                }
            }
        }
    }
    Ok(label)
}

/// Lines per chunk when a batch of JSON Lines is parsed in parallel.
const LINES_PER_CHUNK: usize = 256;

/// Parses a batch of JSON Lines in parallel chunks, numbering records and lines as one pass
/// over the batch would (records count non-blank lines, bad ones included).
fn parse_lines_parallel(text: &str, records_before: u32) -> Parsed {
    let mut chunks = Vec::new();
    let (mut start, mut end, mut lines, mut line_offset) = (0usize, 0usize, 0usize, 0u64);
    let (mut records, mut chunk_records) = (records_before, 0u32);
    for line in text.split_inclusive('\n') {
        end += line.len();
        lines += 1;
        if line.bytes().any(|b| !b.is_ascii_whitespace()) {
            chunk_records += 1;
        }
        if lines == LINES_PER_CHUNK {
            chunks.push((start, end, line_offset, records));
            start = end;
            line_offset += lines as u64;
            records += chunk_records;
            lines = 0;
            chunk_records = 0;
        }
    }
    if start < text.len() {
        chunks.push((start, text.len(), line_offset, records));
    }
    let parts: Vec<Parsed> = chunks
        .into_par_iter()
        .map(|(start, end, line_offset, records)| {
            let mut parsed = parse::json::parse_jsonl(&text[start..end]);
            for article in &mut parsed.articles {
                article.record += records;
            }
            for issue in &mut parsed.issues {
                issue.line = issue.line.map(|l| l + line_offset);
            }
            parsed
        })
        .collect();
    let mut all = Parsed::default();
    for part in parts {
        all.articles.extend(part.articles);
        all.issues.extend(part.issues);
    }
    all
}

/// Reads, parses and enriches one file; sends its documents in one or more parts.
fn process_file(
    index: usize,
    file: &SourceFile,
    stamp: &str,
    request: &IndexRequest,
    context: &Context,
    fields: &crate::schema::Fields,
    sender: &mut SyncSender<Part>,
) {
    let path = file.path.to_string_lossy();
    let root = file.root.to_string_lossy();
    let mut encoding_noted = false;
    // The reader knows which batch ends the file, so that batch travels as the file's last part:
    // a one-batch file is one message, and no other file's parts can fall between its documents
    // and its end, which would hold back the writer's next commit point. After the last part
    // nothing more of this file may be sent: the writer would take it for a new run of the file.
    let mut sent_last = false;
    let mut on_batch = |batch: FileBatch| {
        let mut part = Part {
            file: index,
            last: batch.last,
            docs: Vec::new(),
            events: Vec::new(),
            bytes: batch.bytes,
        };
        if let (Some(encoding), false) = (batch.encoding, encoding_noted) {
            encoding_noted = true;
            part.events
                .push(Event::Warn("decoded", format!("decoded from {encoding}")));
        }
        for (line, len) in &batch.oversized {
            part.events.push(Event::Skip(
                "too-large",
                format!("line {line}: {len} bytes over --max-file-size"),
            ));
        }
        let label = batch.label.clone();
        let origin = Origin {
            root: &root,
            rel: &file.rel,
            path: &path,
            format: &label,
        };
        let limits = &request.parse_limits;
        build_part(&mut part, batch, &origin, context, fields, stamp, limits);
        sent_last = part.last;
        sender.send(part).is_ok()
    };
    let outcome = parse_file(
        &file.path,
        file.size,
        &request.read_limits,
        &request.parse_limits,
        &mut on_batch,
    );
    if sent_last {
        // Only a read that went to the end marks a batch last, so no skip can follow it.
        debug_assert!(outcome.is_ok());
        return;
    }
    let mut last = Part {
        file: index,
        last: true,
        docs: Vec::new(),
        events: Vec::new(),
        bytes: 0,
    };
    if let Err(skip) = outcome {
        last.events.push(skip_event(skip));
    }
    let _ = sender.send(last);
}

/// Turns parsed articles into documents (in parallel: a big file is many articles) and events.
fn build_part(
    part: &mut Part,
    batch: FileBatch,
    origin: &Origin,
    context: &Context,
    fields: &crate::schema::Fields,
    stamp: &str,
    limits: &Limits,
) {
    let FileBatch {
        parsed,
        line_offset,
        whole_file,
        ..
    } = batch;
    let had_issues = !parsed.issues.is_empty();
    for issue in parsed.issues {
        let detail = match issue.line {
            Some(line) => format!("line {}: {}", line + line_offset, issue.reason),
            None => issue.reason,
        };
        part.events.push(Event::Skip("bad-record", detail));
    }
    let (empty, articles): (Vec<Article>, Vec<Article>) =
        parsed.articles.into_iter().partition(Article::is_empty);
    let (oversized, articles): (Vec<Article>, Vec<Article>) = articles
        .into_iter()
        .partition(|a| article_bytes(a) > limits.max_article_bytes);
    let single = whole_file && articles.len() + empty.len() + oversized.len() <= 1;
    let in_record = |article: &Article, what: String| {
        if single {
            what
        } else {
            format!("record {}: {what}", article.record)
        }
    };
    for article in &empty {
        let detail = in_record(article, "no title and no body".into());
        part.events.push(Event::Skip("empty", detail));
    }
    for article in &oversized {
        let what = format!(
            "article of {} bytes over --max-article-size {}",
            article_bytes(article),
            limits.max_article_bytes
        );
        part.events
            .push(Event::Skip("too-large", in_record(article, what)));
    }
    let nothing = articles.is_empty() && empty.is_empty() && oversized.is_empty();
    if whole_file && nothing && !had_issues {
        part.events
            .push(Event::Skip("empty", "no article found".into()));
    }
    let built: Vec<_> = articles
        .into_par_iter()
        .map(|article| {
            let (enriched, warnings) = enrich::enrich(article, origin, context);
            let doc = document::to_document(fields, &enriched, stamp);
            (doc, enriched.content_hash, warnings)
        })
        .collect();
    for (doc, hash, warnings) in built {
        for warning in warnings {
            part.events.push(Event::Warn("date", warning));
        }
        part.docs.push((doc, hash));
    }
}

fn article_bytes(article: &Article) -> u64 {
    (article.title.len() + article.body.len()) as u64
}

fn skip_event(skip: Skip) -> Event {
    match skip {
        Skip::Unsupported(ext) => Event::Unsupported(ext),
        Skip::Binary => Event::Skip("binary", "binary content".into()),
        Skip::TooLarge(detail) => Event::Skip("too-large", detail),
        Skip::Unreadable(detail) => Event::Skip("unreadable", detail),
        Skip::Corrupt(detail) => Event::Skip("corrupt", detail),
    }
}

/// What, besides a file's bytes, decides its articles: parser and extractor versions and whether
/// entities are on. Part of every file's stamp, so changing any of them re-processes the file.
fn settings_fingerprint(request: &IndexRequest) -> String {
    let extractor = if request.entities {
        entities::EXTRACTOR_VERSION
    } else {
        "off"
    };
    format!("p{}-e{}", parse::PARSER_VERSION, extractor)
}

fn file_stamp(file: &SourceFile, fingerprint: &str) -> String {
    format!("{}:{}:{}", file.size, file.mtime_ns, fingerprint)
}

fn searchable_articles(store: &store::Store) -> Result<u64> {
    let reader = store.index.reader()?;
    reader.reload()?;
    Ok(reader.searcher().num_docs())
}
