//! Command line: clap arguments → validated requests. Nothing else in the crate knows clap.

pub mod annotate;
pub mod entities;
pub mod filters;
pub mod index;
pub mod parse;
pub mod search;
pub mod stats;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::store::DEFAULT_INDEX_DIR;

/// newsdex: find the passage where something was said, in folders of news articles.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, propagate_version = true)]
pub struct Cli {
    /// Index folder (default: $NEWSDEX_INDEX, else ./newsdex-index).
    #[arg(long, global = true, env = "NEWSDEX_INDEX", default_value = DEFAULT_INDEX_DIR)]
    pub index: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index folders and files of articles (re-running only touches what changed).
    Index(index::IndexArgs),
    /// What the index holds: articles, date span, sources, formats, languages, top entities.
    Stats(stats::StatsArgs),
    /// Show what the indexer reads from files, without indexing.
    Parse(parse::ParseArgs),
    /// Find articles: ranked passages with highlights (exit 1 when nothing matches).
    Search(search::SearchArgs),
    /// One whole stored article with its metadata, optionally highlighted for a query.
    Show(search::ShowArgs),
    /// Entities in files: type, canonical name and byte offsets.
    Annotate(annotate::AnnotateArgs),
    /// Top people, organisations and places over matching articles, or what co-occurs with one.
    Entities(entities::EntitiesArgs),
}

/// Ends the life of a one-shot command's index handles without dropping them. Dropping unmaps
/// every segment file one `munmap` at a time (about a fifth of a no-match query's 5 ms on a
/// 650k-article index); at process exit the kernel tears the whole address space down at once.
pub(crate) fn keep_open_until_exit<T>(handles: T) {
    std::mem::forget(handles);
}

/// Parses a size such as `256MiB`, `1GiB`, `500MB`, `4096`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (e.g. 256MiB, 1GiB, 500MB)"))?;
    let multiplier: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown size unit {other:?} (use B, KB, MB, GB, KiB, MiB, GiB)"
            ))
        }
    };
    Ok((number * multiplier) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5XB").is_err());
    }

    #[test]
    fn index_flag_works_after_the_subcommand() {
        let cli = Cli::try_parse_from(["newsdex", "stats", "--index", "/tmp/x"]).expect("parses");
        assert_eq!(cli.index, PathBuf::from("/tmp/x"));
    }
}
