//! The `newsdex` binary: parses the command line, calls the library, prints the error chain once,
//! and maps the outcome to an exit code.
//!
//! Exit codes: 0 done (skipped files included); 1 a search found nothing; 2 an error (bad
//! arguments or query, missing or incompatible index, index locked by another process, disk full).

use std::process::ExitCode;

use clap::Parser;

use newsdex::cli::{self, Cli, Command};
use newsdex::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = match now() {
        Ok(now) => now,
        Err(e) => return fail(&e),
    };
    let outcome = match &cli.command {
        Command::Index(args) => cli::index::run(args, &cli.index, now).map(|()| true),
        Command::Stats(args) => cli::stats::run(args, &cli.index).map(|()| true),
        Command::Parse(args) => cli::parse::run(args, now).map(|()| true),
        Command::Search(args) => cli::search::run(args, &cli.index, now),
        Command::Show(args) => cli::search::show(args, &cli.index, now),
        Command::Annotate(args) => cli::annotate::run(args).map(|()| true),
        Command::Entities(args) => cli::entities::run(args, &cli.index, now),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => fail(&e),
    }
}

/// The current time, or `NEWSDEX_NOW` (RFC 3339) so tests can fix it.
fn now() -> Result<i64, Error> {
    match std::env::var("NEWSDEX_NOW") {
        Ok(text) => chrono::DateTime::parse_from_rfc3339(text.trim())
            .map(|d| d.timestamp())
            .map_err(|e| {
                Error::Usage(format!(
                    "NEWSDEX_NOW: {text:?} is not an RFC 3339 time: {e}"
                ))
            }),
        Err(_) => Ok(chrono::Utc::now().timestamp()),
    }
}

fn fail(error: &Error) -> ExitCode {
    if let Error::Io { source, .. } = error {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
    }
    eprintln!("newsdex: {error}");
    ExitCode::from(2)
}
