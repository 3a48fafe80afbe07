//! Writer: the sole owner of tantivy's `IndexWriter`. Replaces and removes files' articles and
//! commits in batches, only ever between files, so a commit never holds part of a file and the
//! incremental state read back from it is always exact.

use std::time::{Duration, Instant};

use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::error::{Error, Result};
use crate::schema::Fields;
use crate::store::{CommitInfo, Store};

/// More segments than this after a run are merged into one.
const MAX_SEGMENTS_LEFT: usize = 4;

/// Memory for the writer that only merges (it indexes nothing): tantivy's minimum is 15 MB.
const MERGE_WRITER_MEMORY: usize = 20_000_000;

/// When to commit.
#[derive(Debug, Clone, Copy)]
pub struct CommitPolicy {
    /// Commit after this many added articles…
    pub every_docs: u64,
    /// …or after this long, whichever comes first.
    pub every: Duration,
}

impl Default for CommitPolicy {
    fn default() -> Self {
        CommitPolicy {
            every_docs: 100_000,
            every: Duration::from_secs(60),
        }
    }
}

/// The index writer with its commit bookkeeping.
pub struct Sink {
    writer: IndexWriter,
    fields: Fields,
    info: CommitInfo,
    policy: CommitPolicy,
    pending_docs: u64,
    pending_ops: u64,
    last_commit: Instant,
    dir: std::path::PathBuf,
    /// Number of commits made.
    pub commits: u64,
}

impl Sink {
    /// Opens a writer with `threads` indexing threads and a total memory budget in bytes.
    pub fn open(
        store: &Store,
        threads: usize,
        memory: usize,
        info: CommitInfo,
        policy: CommitPolicy,
    ) -> Result<Sink> {
        let threads = threads.max(1);
        // tantivy wants at least 15 MB per thread; more than 4 GB in total is refused.
        let memory = memory.clamp(threads * 20_000_000, 4_000_000_000);
        let writer = store
            .index
            .writer_with_num_threads(threads, memory)
            .map_err(|e| lock_or(e, store))?;
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        Ok(Sink {
            writer,
            fields: store.schema.fields.clone(),
            info,
            policy,
            pending_docs: 0,
            pending_ops: 0,
            last_commit: Instant::now(),
            dir: store.dir.clone(),
            commits: 0,
        })
    }

    /// Removes every article (for `--rebuild`); nothing is gone until the next commit.
    pub fn remove_all(&mut self) -> Result<()> {
        self.writer
            .delete_all_documents()
            .map_err(|e| self.map_error(e))?;
        self.pending_ops += 1;
        Ok(())
    }

    /// Removes every article of the file at `path`.
    pub fn remove_file(&mut self, path: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, path));
        self.pending_ops += 1;
    }

    /// Adds one article.
    pub fn add(&mut self, doc: TantivyDocument) -> Result<()> {
        if let Err(e) = self.writer.add_document(doc) {
            return Err(self.add_error(e));
        }
        self.pending_docs += 1;
        self.pending_ops += 1;
        Ok(())
    }

    /// Called between files: commits when the policy says so.
    pub fn file_done(&mut self) -> Result<()> {
        let due = self.pending_docs >= self.policy.every_docs
            || (self.pending_ops > 0 && self.last_commit.elapsed() >= self.policy.every);
        if due {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits everything so far, with newsdex's record of the run in the payload.
    pub fn commit(&mut self) -> Result<()> {
        let payload = serde_json::to_string(&self.info).map_err(|e| Error::Usage(e.to_string()))?;
        let dir = self.dir.clone();
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| map_write_error(e, &dir))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| map_write_error(e, &dir))?;
        self.pending_docs = 0;
        self.pending_ops = 0;
        self.last_commit = Instant::now();
        self.commits += 1;
        Ok(())
    }

    /// Final commit, then merges what is left into few segments so searches open few files.
    ///
    /// Background merges started by earlier commits must end first: a merge asked for while they
    /// run may name segments they have already merged away, which tantivy refuses.
    pub fn finish(mut self, store: &Store) -> Result<()> {
        self.commit()?;
        self.writer.set_merge_policy(Box::new(NoMergePolicy));
        self.writer
            .wait_merging_threads()
            .map_err(|e| map_write_error(e, &self.dir))?;
        let segments = store.index.searchable_segment_ids()?;
        if segments.len() <= MAX_SEGMENTS_LEFT {
            return Ok(());
        }
        let mut writer: IndexWriter = store
            .index
            .writer_with_num_threads(1, MERGE_WRITER_MEMORY)
            .map_err(|e| lock_or(e, store))?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        writer
            .merge(&segments)
            .wait()
            .map_err(|e| map_write_error(e, &self.dir))?;
        writer
            .wait_merging_threads()
            .map_err(|e| map_write_error(e, &self.dir))
    }

    fn map_error(&self, e: TantivyError) -> Error {
        map_write_error(e, &self.dir)
    }

    /// The error of a failed `add_document`. When an indexing thread has failed (on a full
    /// disk, say), tantivy only says the writer "was killed"; the thread's own error comes back
    /// when the threads are joined, which preparing a commit does. Whether a run saw one or the
    /// other depended on timing, so a full disk was sometimes reported as a killed writer.
    /// Nothing is committed here: preparing fails with the thread's error, and a commit that
    /// does get prepared is aborted.
    fn add_error(&mut self, e: TantivyError) -> Error {
        if matches!(e, TantivyError::ErrorInThread(_)) {
            match self.writer.prepare_commit() {
                Err(cause) => return map_write_error(cause, &self.dir),
                Ok(prepared) => {
                    // Keep the error we have; an abort that fails changes nothing committed.
                    let _ = prepared.abort();
                }
            }
        }
        map_write_error(e, &self.dir)
    }
}

fn lock_or(e: TantivyError, store: &Store) -> Error {
    match e {
        TantivyError::LockFailure(..) => Error::Locked {
            path: store.dir.clone(),
            pid: "unknown".into(),
        },
        other => map_write_error(other, &store.dir),
    }
}

/// Turns a write failure into the error users should see: disk full is said as such.
fn map_write_error(e: TantivyError, dir: &std::path::Path) -> Error {
    let text = e.to_string();
    let lower = text.to_lowercase();
    if lower.contains("no space left")
        || lower.contains("file too large")
        || lower.contains("quota")
    {
        return Error::DiskFull {
            path: dir.to_path_buf(),
            detail: text,
        };
    }
    Error::Engine(e)
}
