//! `stats` output, as text or JSON.

use std::io::{self, Write};

use super::{human_bytes, json_line};
use crate::stats::{Stats, ValueCount};

/// Writes the human view.
pub fn text(out: &mut dyn Write, stats: &Stats) -> io::Result<()> {
    writeln!(
        out,
        "articles   {} from {} files",
        stats.articles, stats.files
    )?;
    match (&stats.date_min, &stats.date_max) {
        (Some(min), Some(max)) => {
            writeln!(out, "dates      {min} .. {max} ({} undated)", stats.undated)?
        }
        _ => writeln!(out, "dates      none ({} undated)", stats.undated)?,
    }
    list(out, "sources", &stats.sources)?;
    list(out, "formats", &stats.formats)?;
    list(out, "languages", &stats.languages)?;
    list(out, "persons", &stats.top_entities.persons)?;
    list(out, "orgs", &stats.top_entities.orgs)?;
    list(out, "places", &stats.top_entities.places)?;
    writeln!(
        out,
        "index      {} in {} segments",
        human_bytes(stats.index_bytes),
        stats.segments
    )
}

fn list(out: &mut dyn Write, label: &str, values: &[ValueCount]) -> io::Result<()> {
    let shown: Vec<String> = values
        .iter()
        .map(|v| format!("{} ({})", v.value, v.count))
        .collect();
    let shown = if shown.is_empty() {
        "-".to_string()
    } else {
        shown.join(", ")
    };
    writeln!(out, "{label:<10} {shown}")
}

/// Writes the JSON object.
pub fn json(out: &mut dyn Write, stats: &Stats) -> io::Result<()> {
    json_line(out, stats)
}
