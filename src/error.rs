//! The library's one error type. Callers branch on its variants; `main` maps them to exit codes.
//!
//! Messages follow one style: `subject: what failed: cause`, lower-case, no trailing period,
//! with a hint only where the fix is not obvious.

use std::path::PathBuf;

/// Everything that can stop a newsdex command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No index exists at the given place.
    #[error("{}: no index here (create one with `newsdex index CORPUS --index {}`)", path.display(), path.display())]
    NoIndex {
        /// The index folder.
        path: PathBuf,
    },
    /// Another process holds the write lock.
    #[error("{}: index is being written by another process (pid {pid})", path.display())]
    Locked {
        /// The index folder.
        path: PathBuf,
        /// The other process's id, as it wrote it.
        pid: String,
    },
    /// The index was built by another schema or version of newsdex.
    #[error("{}: incompatible index: {why} (rebuild it with `newsdex index CORPUS --index {} --rebuild`)", path.display(), path.display())]
    Incompatible {
        /// The index folder.
        path: PathBuf,
        /// What differs.
        why: String,
    },
    /// The disk (or file-size limit) ran out while writing the index; the last commit is intact.
    #[error("{}: disk full while writing the index: {detail} (the last commit is intact; free space and re-run to resume)", path.display())]
    DiskFull {
        /// The index folder.
        path: PathBuf,
        /// What tantivy reported.
        detail: String,
    },
    /// A query could not be parsed.
    #[error("query:1:{column}: {message}")]
    Query {
        /// 1-based character column where the problem is.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Arguments that cannot work together or a value out of range.
    #[error("{0}")]
    Usage(String),
    /// `schema/fields.toml` is inconsistent (a build defect, not a user error).
    #[error("schema: {0}")]
    Schema(String),
    /// The search engine failed.
    #[error("index: {0}")]
    Engine(#[from] tantivy::TantivyError),
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
