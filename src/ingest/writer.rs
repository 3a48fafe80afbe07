//! Writer: the sole owner of tantivy's `IndexWriter`. Replaces and removes files' articles and
//! commits in batches, only ever between files, so a commit never holds part of a file and the
//! incremental state read back from it is always exact.

use std::time::{Duration, Instant};

use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::error::{Error, Result};
use crate::schema::Fields;
use crate::store::{CommitInfo, Store};

/// More segments than this after a run are merged into one.
const MAX_SEGMENTS_LEFT: usize = 4;

/// Memory for the writer that only merges (it indexes nothing): tantivy's minimum is 15 MB.
const MERGE_WRITER_MEMORY: usize = 20_000_000;

/// A segment with fewer documents than the largest one divided by this is small: the small
/// segments left by the last commits of a run are merged into one.
const SMALL_SEGMENT_DIVISOR: u32 = 4;

/// The segments (id, documents) to merge at the end of a run: the small ones, when there are
/// two or more; all of them when more than [`MAX_SEGMENTS_LEFT`] would be left.
///
/// Every run adds segments (one per indexing thread and commit) and every segment costs each
/// query a term lookup and a scorer. Merging only the small ones keeps a run that adds a few
/// files to a large archive cheap: before, every other such run found more than four segments
/// and rewrote the whole index (Reuters and three new files a run: 0.36-0.39 s those runs,
/// 0.03 s the others; now 0.04-0.05 s each).
fn segments_to_merge(sizes: &[(SegmentId, u32)]) -> Vec<SegmentId> {
    let largest = sizes.iter().map(|(_, docs)| *docs).max().unwrap_or(0);
    let small: Vec<SegmentId> = sizes
        .iter()
        .filter(|(_, docs)| *docs < largest / SMALL_SEGMENT_DIVISOR)
        .map(|(id, _)| *id)
        .collect();
    let left = match small.len() {
        0 | 1 => sizes.len(),
        n => sizes.len() - n + 1,
    };
    if left > MAX_SEGMENTS_LEFT {
        sizes.iter().map(|(id, _)| *id).collect()
    } else if small.len() >= 2 {
        small
    } else {
        Vec::new()
    }
}

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
        let sizes: Vec<(SegmentId, u32)> = store
            .index
            .searchable_segment_metas()?
            .iter()
            .map(|meta| (meta.id(), meta.num_docs()))
            .collect();
        let segments = segments_to_merge(&sizes);
        if segments.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(docs: &[u32]) -> Vec<(SegmentId, u32)> {
        docs.iter()
            .map(|&n| (SegmentId::generate_random(), n))
            .collect()
    }

    fn merged_sizes(sizes: &[(SegmentId, u32)]) -> Vec<u32> {
        let chosen = segments_to_merge(sizes);
        let mut docs: Vec<u32> = sizes
            .iter()
            .filter(|(id, _)| chosen.contains(id))
            .map(|(_, n)| *n)
            .collect();
        docs.sort_unstable();
        docs
    }

    #[test]
    fn small_tail_segments_are_merged_and_large_ones_left() {
        // Reuters ×30 with two threads, a commit every 100,000 articles.
        let sizes = segments(&[300_000, 300_000, 20_000, 27_000]);
        assert_eq!(merged_sizes(&sizes), vec![20_000, 27_000]);
    }

    #[test]
    fn one_small_segment_alone_is_left() {
        assert!(merged_sizes(&segments(&[300_000, 300_000, 20_000])).is_empty());
        assert!(merged_sizes(&segments(&[5_000, 4_000])).is_empty());
        assert!(merged_sizes(&segments(&[7])).is_empty());
        assert!(merged_sizes(&[]).is_empty());
    }

    #[test]
    fn many_segments_are_all_merged() {
        let sizes = segments(&[100, 100, 100, 100, 100]);
        assert_eq!(merged_sizes(&sizes).len(), 5);
    }

    #[test]
    fn many_small_segments_beside_a_large_one_are_merged_without_it() {
        let sizes = segments(&[600_000, 10, 12, 3, 40, 8, 9]);
        assert_eq!(merged_sizes(&sizes), vec![3, 8, 9, 10, 12, 40]);
    }
}
