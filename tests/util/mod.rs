//! Test helpers: run the real `newsdex` binary, temp indexes, and access to ../shared corpora.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod schema;

/// Fixed "now" for every run, so relative dates and future-date checks are reproducible.
pub const NOW: &str = "2026-11-27T00:00:00Z";

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample corpus shipped with the project.
pub fn sample_corpus() -> PathBuf {
    root().join("sample-corpus")
}

/// Result of one binary run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Parses stdout as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Parses stdout as JSON lines.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line ({e}): {l}")))
            .collect()
    }
}

/// Runs `newsdex ARGS` with the index at `index`.
pub fn newsdex(index: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args(args)
        .env("NEWSDEX_INDEX", index)
        .env("NEWSDEX_NOW", NOW)
        .env_remove("NO_COLOR")
        .output()
        .expect("run newsdex");
    Run::from(output)
}

/// Like [`newsdex`] but asserts exit code 0.
pub fn newsdex_ok(index: &Path, args: &[&str]) -> Run {
    let run = newsdex(index, args);
    assert_eq!(
        run.code, 0,
        "newsdex {args:?} failed:\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// A folder of `../shared/corpora`, or `None` (locally, with a message) when it is missing.
/// With `CI` set, a missing folder is a failure, not a skip.
pub fn shared_corpus(rel: &str) -> Option<PathBuf> {
    let path = root().join("..").join("shared").join("corpora").join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing and CI is set: the shared corpora must be beside the project",
            path.display()
        );
    }
    eprintln!(
        "skipping: {} not found (tests on shared corpora run when ../shared exists)",
        path.display()
    );
    None
}

/// Copies a folder tree (for tests that change a corpus).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
