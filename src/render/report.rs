//! The summary of an `index` run, as text or JSON.

use std::io::{self, Write};

use super::{human_bytes, json_line};
use crate::ingest::report::IndexReport;

/// Writes the human summary.
pub fn text(out: &mut dyn Write, report: &IndexReport) -> io::Result<()> {
    writeln!(
        out,
        "indexed {} files ({} unchanged) of {} seen: {} added, {} updated, {} unchanged, {} removed",
        report.files_indexed,
        report.files_unchanged,
        report.files_seen,
        report.added,
        report.updated,
        report.unchanged,
        report.removed
    )?;
    writeln!(
        out,
        "{} articles searchable; {} exact duplicates; {} read in {:.2}s ({:.1} MB/s); {} commits",
        report.total_articles,
        report.duplicates,
        human_bytes(report.bytes_read),
        report.elapsed_secs,
        report.mb_per_sec,
        report.commits
    )?;
    if !report.skipped.is_empty() {
        writeln!(out, "skipped {}:", report.skipped_total())?;
        for (reason, tally) in &report.skipped {
            writeln!(out, "  {reason}: {}", tally.count)?;
            for sample in &tally.samples {
                writeln!(out, "    {sample}")?;
            }
        }
    }
    if !report.unsupported.is_empty() {
        let list: Vec<String> = report
            .unsupported
            .iter()
            .map(|(ext, n)| format!("{ext} {n}"))
            .collect();
        writeln!(out, "unsupported by extension: {}", list.join(", "))?;
    }
    if !report.warnings.is_empty() {
        writeln!(out, "repaired or partly read:")?;
        for (kind, tally) in &report.warnings {
            writeln!(out, "  {kind}: {}", tally.count)?;
            for sample in &tally.samples {
                writeln!(out, "    {sample}")?;
            }
        }
    }
    Ok(())
}

/// Writes the summary as one JSON object.
pub fn json(out: &mut dyn Write, report: &IndexReport) -> io::Result<()> {
    json_line(out, report)
}
