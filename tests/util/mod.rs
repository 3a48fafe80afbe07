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

/// The command `newsdex ARGS` with the index at `index`, not yet started.
pub fn command<S: AsRef<std::ffi::OsStr>>(index: &Path, args: &[S]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdex"));
    command
        .args(args)
        .env("NEWSDEX_INDEX", index)
        .env("NEWSDEX_NOW", NOW)
        .env_remove("NO_COLOR");
    command
}

/// Runs `newsdex ARGS` with the index at `index`.
pub fn newsdex(index: &Path, args: &[&str]) -> Run {
    let output = command(index, args).output().expect("run newsdex");
    Run::from(output)
}

/// How a child process ended, with its peak memory.
#[cfg(unix)]
pub struct Ended {
    /// Exit code, or -1 when a signal ended it.
    pub code: i32,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// Peak resident set size in KiB (`ru_maxrss` of that child alone, from `wait4`).
    pub max_rss_kib: i64,
}

/// Waits for `child` with `wait4`, which reports the peak RSS of that one child (unlike
/// `getrusage(RUSAGE_CHILDREN)`, which mixes in every child the test binary ever waited for).
#[cfg(unix)]
pub fn wait_with_rusage(child: &std::process::Child) -> Ended {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own unreaped child; status and usage are valid for writes.
        let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if got == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        assert_eq!(err.kind(), std::io::ErrorKind::Interrupted, "wait4: {err}");
    }
    let (code, signal) = if libc::WIFEXITED(status) {
        (libc::WEXITSTATUS(status), None)
    } else {
        (-1, Some(libc::WTERMSIG(status)))
    };
    Ended {
        code,
        signal,
        max_rss_kib: usage.ru_maxrss,
    }
}

/// A new index of the sample corpus, in a temp folder that lives as long as the returned guard.
pub fn index_sample_corpus() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("ix");
    newsdex_ok(
        &index,
        &["index", sample_corpus().to_str().expect("utf8"), "--quiet"],
    );
    (tmp, index)
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

/// A pipe holding at most one page (4 KiB). A child writing more to it than the test reads
/// blocks, which pauses it at a known point without any sleep.
#[cfg(target_os = "linux")]
pub fn small_pipe() -> (std::io::PipeReader, std::io::PipeWriter) {
    use std::os::fd::AsRawFd;
    let (reader, writer) = std::io::pipe().expect("pipe");
    // SAFETY: F_SETPIPE_SZ on a pipe we own; the kernel rounds up to one page.
    let size = unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
    assert!(
        size > 0,
        "F_SETPIPE_SZ: {}",
        std::io::Error::last_os_error()
    );
    (reader, writer)
}

/// Bytes waiting in a pipe, unread.
#[cfg(target_os = "linux")]
pub fn pipe_pending(reader: &std::io::PipeReader) -> usize {
    use std::os::fd::AsRawFd;
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int.
    let rc = unsafe { libc::ioctl(reader.as_raw_fd(), libc::FIONREAD, &mut n) };
    assert_eq!(rc, 0, "FIONREAD: {}", std::io::Error::last_os_error());
    n as usize
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants): seeded, reproducible
/// "random" choices without a crate.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number below `bound` (from the high bits, which are the random ones).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound.max(1)
    }
}
