//! `newsdex parse`: what the indexer reads from each file, without touching an index.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::entities::{self, EntityExtractor};
use crate::error::{Error, Result};
use crate::ingest::enrich::repeats::Repeats;
use crate::ingest::enrich::{self, Context, Origin};
use crate::ingest::parse::Limits;
use crate::ingest::read::ReadLimits;
use crate::ingest::{self, FileBatch};
use crate::render::{self, OutputFormat};

/// Arguments of `newsdex parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files to read.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format: jsonl (one article a line) or text.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Also extract entities (as the indexer does).
    #[arg(long)]
    pub entities: bool,
    /// Skip files larger than this.
    #[arg(long, default_value = "256MiB", value_parser = super::parse_size)]
    pub max_file_size: u64,
    /// Stop decompressing a .gz file beyond this size.
    #[arg(long, default_value = "1GiB", value_parser = super::parse_size)]
    pub max_decompressed: u64,
}

/// Runs `newsdex parse`. Files that cannot be read are reported on stderr; the run goes on.
pub fn run(args: &ParseArgs, now: i64) -> Result<()> {
    let limits = ReadLimits {
        max_file_size: args.max_file_size,
        max_decompressed: args.max_decompressed,
    };
    let extractor: Option<&dyn EntityExtractor> = args
        .entities
        .then(|| entities::embedded() as &dyn EntityExtractor);
    let repeats = Repeats::default();
    let context = Context {
        now,
        extractor,
        repeats: &repeats,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut write_error = None;
    for file in &args.files {
        let shown = file.to_string_lossy();
        let size = match std::fs::metadata(file) {
            Ok(meta) => meta.len(),
            Err(e) => {
                eprintln!("newsdex: {shown}: skipped (unreadable): {e}");
                continue;
            }
        };
        let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
        let root = canonical
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rel = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = canonical.to_string_lossy().into_owned();
        let mut on_batch = |batch: FileBatch| {
            for issue in &batch.parsed.issues {
                let line = issue
                    .line
                    .map(|l| format!("line {}: ", l + batch.line_offset))
                    .unwrap_or_default();
                eprintln!("newsdex: {shown}: {line}{}", issue.reason);
            }
            let origin = Origin {
                root: &root,
                rel: &rel,
                path: &path,
                format: &batch.label,
            };
            for article in batch.parsed.articles {
                if article.is_empty() {
                    eprintln!(
                        "newsdex: {shown}: record {}: skipped (empty)",
                        article.record
                    );
                    continue;
                }
                let (enriched, warnings) = enrich::enrich(article, &origin, &context);
                for warning in warnings {
                    eprintln!("newsdex: {shown}: {warning}");
                }
                let written = match args.format {
                    OutputFormat::Jsonl | OutputFormat::Json => {
                        render::article::jsonl(&mut out, &shown, &enriched)
                    }
                    _ => render::article::text(&mut out, &shown, &enriched),
                };
                if let Err(e) = written {
                    write_error = Some(e);
                    return false;
                }
            }
            true
        };
        if let Err(skip) =
            ingest::parse_file(file, size, &limits, &Limits::default(), &mut on_batch)
        {
            eprintln!("newsdex: {shown}: skipped: {skip:?}");
        }
        if let Some(e) = write_error.take() {
            return Err(Error::io("<stdout>", e));
        }
    }
    out.flush().map_err(|e| Error::io("<stdout>", e))
}
