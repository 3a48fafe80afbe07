//! `newsdex stats`.

use std::path::Path;

use clap::Args;

use crate::error::{Error, Result};
use crate::render::{self, OutputFormat};
use crate::{stats, store};

/// Arguments of `newsdex stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Runs `newsdex stats`.
pub fn run(args: &StatsArgs, index_dir: &Path) -> Result<()> {
    let store = store::open(index_dir)?;
    let stats = stats::compute(&store)?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        OutputFormat::Json | OutputFormat::Jsonl => render::stats::json(&mut out, &stats),
        _ => render::stats::text(&mut out, &stats),
    };
    written.map_err(|e| Error::io("<stdout>", e))
}
