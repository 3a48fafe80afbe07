//! `newsdex index`: arguments → [`IndexRequest`], progress on a TTY, the summary at the end.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::{Error, Result};
use crate::ingest::parse::Limits;
use crate::ingest::read::ReadLimits;
use crate::ingest::writer::CommitPolicy;
use crate::ingest::{self, IndexRequest, Observer};
use crate::render::{self, OutputFormat};

/// Arguments of `newsdex index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders and/or files to index.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Threads for reading, parsing and enriching, and as many for indexing (default: all
    /// cores). The two overlap: one of each keeps about 1.3-1.4 cores busy.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Memory budget of the index writer, in MB.
    #[arg(long, default_value_t = 512)]
    pub memory: usize,
    /// Skip paths matching this glob (relative to the root; repeatable), e.g. 'drafts/**'.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// Follow symbolic links (loops are detected and reported).
    #[arg(long)]
    pub follow_links: bool,
    /// Start over from an empty index.
    #[arg(long)]
    pub rebuild: bool,
    /// Do not extract people, organisations and places.
    #[arg(long)]
    pub no_entities: bool,
    /// Skip files larger than this (JSON Lines are streamed; each line is capped instead).
    #[arg(long, default_value = "256MiB", value_parser = super::parse_size)]
    pub max_file_size: u64,
    /// Stop decompressing a .gz file beyond this size.
    #[arg(long, default_value = "1GiB", value_parser = super::parse_size)]
    pub max_decompressed: u64,
    /// Skip articles (title and body) larger than this: tagging and indexing one needs many
    /// times its size in memory.
    #[arg(long, default_value = "16MiB", value_parser = super::parse_size)]
    pub max_article_size: u64,
    /// Commit after this many new articles (also at least once a minute). Lower: less work is
    /// redone after a killed run, at some cost in speed.
    #[arg(long, value_name = "N", default_value_t = CommitPolicy::default().every_docs)]
    pub commit_every: u64,
    /// No progress and no per-file warnings; only the summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Summary format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Validates arguments into a request.
pub fn request(args: &IndexArgs, index_dir: &Path, now: i64) -> Result<IndexRequest> {
    let threads = match args.threads {
        Some(0) => return Err(Error::Usage("--threads: must be at least 1".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    if args.memory < 20 {
        return Err(Error::Usage("--memory: at least 20 MB".into()));
    }
    if args.commit_every == 0 {
        return Err(Error::Usage("--commit-every: must be at least 1".into()));
    }
    if matches!(args.format, OutputFormat::Csv | OutputFormat::Jsonl) {
        return Err(Error::Usage("--format: index prints text or json".into()));
    }
    Ok(IndexRequest {
        roots: args.paths.clone(),
        index_dir: index_dir.to_path_buf(),
        threads,
        memory_bytes: args.memory.saturating_mul(1_000_000),
        excludes: args.excludes.clone(),
        follow_links: args.follow_links,
        rebuild: args.rebuild,
        entities: !args.no_entities,
        read_limits: ReadLimits {
            max_file_size: args.max_file_size,
            max_decompressed: args.max_decompressed,
        },
        parse_limits: Limits {
            max_article_bytes: args.max_article_size,
            ..Limits::default()
        },
        commit: CommitPolicy {
            every_docs: args.commit_every,
            ..CommitPolicy::default()
        },
        now,
    })
}

/// Runs `newsdex index`.
pub fn run(args: &IndexArgs, index_dir: &Path, now: i64) -> Result<()> {
    let request = request(args, index_dir, now)?;
    let observer = Console::new(args.quiet);
    let report = ingest::run(&request, &observer)?;
    observer.finish();
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        OutputFormat::Json => render::report::json(&mut out, &report),
        _ => render::report::text(&mut out, &report),
    };
    written.map_err(|e| Error::io("<stdout>", e))
}

/// How many warning lines are printed before the rest only count in the summary.
const MAX_WARNING_LINES: u64 = 50;

/// Progress bar on a TTY, warnings on stderr.
struct Console {
    bar: Option<ProgressBar>,
    quiet: bool,
    warnings: AtomicU64,
}

impl Console {
    fn new(quiet: bool) -> Console {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            let style = ProgressStyle::with_template(
                "{spinner} {pos}/{len} files  {bytes}/{total_bytes}  {bytes_per_sec}  eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Console {
            bar,
            quiet,
            warnings: AtomicU64::new(0),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let n = self.warnings.load(Ordering::Relaxed);
        if !self.quiet && n > MAX_WARNING_LINES {
            eprintln!(
                "newsdex: {} more warnings, counted in the summary",
                n - MAX_WARNING_LINES
            );
        }
    }
}

impl Observer for Console {
    fn start(&self, files: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(bytes.max(1));
            bar.set_message(format!("{files} files"));
        }
    }

    fn file_done(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    fn warning(&self, line: &str) {
        if self.quiet {
            return;
        }
        let n = self.warnings.fetch_add(1, Ordering::Relaxed);
        if n < MAX_WARNING_LINES {
            match &self.bar {
                Some(bar) => bar.println(format!("newsdex: {line}")),
                None => eprintln!("newsdex: {line}"),
            }
        }
    }
}
