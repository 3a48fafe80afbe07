//! Report: what an indexing run did — counts per outcome, skip reasons with a few sample paths,
//! throughput. Filled by the pipeline, rendered by `render`.

use std::collections::BTreeMap;

use serde::Serialize;

/// How many sample paths are kept per skip reason or warning kind.
const SAMPLES: usize = 5;

/// A reason with its count and a few examples.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// A few `path: detail` samples.
    pub samples: Vec<String>,
}

impl Tally {
    fn add(&mut self, sample: String) {
        self.count += 1;
        if self.samples.len() < SAMPLES {
            self.samples.push(sample);
        }
    }
}

/// Summary of one `index` run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct IndexReport {
    /// Files found by the walk (read or not).
    pub files_seen: u64,
    /// Files read and parsed this run.
    pub files_indexed: u64,
    /// Files whose stamp had not changed since they were indexed.
    pub files_unchanged: u64,
    /// Articles new to the index.
    pub added: u64,
    /// Articles replaced because their file changed.
    pub updated: u64,
    /// Articles left as they were.
    pub unchanged: u64,
    /// Articles removed (their file or record is gone).
    pub removed: u64,
    /// Files or records skipped, by reason (`empty`, `binary`, `unsupported`, `too-large`…).
    pub skipped: BTreeMap<String, Tally>,
    /// Unsupported files by extension.
    pub unsupported: BTreeMap<String, u64>,
    /// Records or files read with a repair or a dropped detail (bad date, encoding…), by kind.
    pub warnings: BTreeMap<String, Tally>,
    /// Articles whose exact content was already seen (same content hash) in this run.
    pub duplicates: u64,
    /// Articles searchable after the run.
    pub total_articles: u64,
    /// Bytes read from input files.
    pub bytes_read: u64,
    /// Wall-clock seconds.
    pub elapsed_secs: f64,
    /// Input megabytes (10^6 bytes) per second.
    pub mb_per_sec: f64,
    /// Commits made.
    pub commits: u64,
}

impl IndexReport {
    /// Counts a skipped file or record.
    pub fn skip(&mut self, reason: &str, path: &str, detail: &str) {
        let sample = if detail.is_empty() {
            path.to_string()
        } else {
            format!("{path}: {detail}")
        };
        self.skipped
            .entry(reason.to_string())
            .or_default()
            .add(sample);
    }

    /// Counts a repair or a dropped detail.
    pub fn warn(&mut self, kind: &str, path: &str, detail: &str) {
        self.warnings
            .entry(kind.to_string())
            .or_default()
            .add(format!("{path}: {detail}"));
    }

    /// Total skipped files and records.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().map(|t| t.count).sum()
    }
}
