//! `newsdex annotate`: entities in files, with type, canonical name and byte offsets.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::entities::{self, EntityExtractor};
use crate::error::{Error, Result};
use crate::ingest::decode::decode_exact;
use crate::model::Mention;
use crate::render::{self, OutputFormat};

/// Arguments of `newsdex annotate`.
#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// Files to annotate (each read whole, title line included).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format: text, or jsonl (a line per file).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// One mention on the wire.
#[derive(Serialize)]
struct MentionJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
    text: &'a str,
    name: &'a str,
}

/// One file on the wire.
#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    entities: Vec<MentionJson<'a>>,
}

/// Runs `newsdex annotate`. Unreadable or binary files are reported on stderr; the run goes on.
pub fn run(args: &AnnotateArgs) -> Result<()> {
    let tagger = entities::embedded();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in &args.files {
        let shown = file.to_string_lossy();
        let text = match std::fs::read(file).map(|b| decode_exact(&b)) {
            Ok(Ok(decoded)) => decoded.text,
            Ok(Err(_)) => {
                eprintln!("newsdex: {shown}: skipped (binary)");
                continue;
            }
            Err(e) => {
                eprintln!("newsdex: {shown}: skipped (unreadable): {e}");
                continue;
            }
        };
        let mentions = tagger.mentions(&text);
        let written = match args.format {
            OutputFormat::Text => text_out(&mut out, &shown, &mentions),
            _ => render::json_line(
                &mut out,
                &FileJson {
                    path: &shown,
                    entities: mentions
                        .iter()
                        .map(|m| MentionJson {
                            kind: m.kind.name(),
                            start: m.start,
                            end: m.end,
                            text: &m.text,
                            name: &m.name,
                        })
                        .collect(),
                },
            ),
        };
        written.map_err(|e| Error::io("<stdout>", e))?;
    }
    out.flush().map_err(|e| Error::io("<stdout>", e))
}

fn text_out(out: &mut dyn Write, path: &str, mentions: &[Mention]) -> std::io::Result<()> {
    writeln!(out, "{path}: {} entities", mentions.len())?;
    for m in mentions {
        // A name wrapped across lines is shown on one, so each mention stays one line.
        let shown = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let canonical = if m.name != shown {
            format!(" → {}", m.name)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {:>6}-{:<6} {:<12} {}{canonical}",
            m.start,
            m.end,
            m.kind.name(),
            shown
        )?;
    }
    Ok(())
}
