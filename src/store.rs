//! The index folder: create, open, check compatibility, and the single-writer lock.
//!
//! Compatibility is recorded in tantivy's commit payload, so it changes atomically with the data:
//! a killed run can never leave the folder claiming settings its documents do not have.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::columnar::{Column, StrColumn};
use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::{Index, Searcher, SegmentReader};

use crate::error::{Error, Result};
use crate::schema::{register_analyzers, IndexSchema};

/// The strings of `ords` in a keyword column, in that order (fastest when `ords` are sorted).
///
/// One pass through the column's dictionary: looking ords up one by one decompresses a
/// dictionary block each time, which was 40% of a re-run over an unchanged corpus and half of
/// counting entities.
pub fn column_strings(column: &StrColumn, ords: &[u64]) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(ords.len());
    if ords.is_sorted() {
        column
            .dictionary()
            .sorted_ords_to_term_cb(ords, |bytes| {
                out.push(String::from_utf8_lossy(bytes).into_owned())
            })
            .map_err(tantivy::TantivyError::from)?;
    } else {
        for &ord in ords {
            let mut value = String::new();
            if column
                .ord_to_str(ord, &mut value)
                .map_err(tantivy::TantivyError::from)?
            {
                out.push(value);
            }
        }
    }
    if out.len() != ords.len() {
        return Err(Error::Engine(tantivy::TantivyError::InternalError(
            format!(
                "a column's dictionary lacks {} of its {} values asked for: the index is damaged; \
             rebuild it with `newsdex index --rebuild`",
                ords.len() - out.len(),
                ords.len()
            ),
        )));
    }
    Ok(out)
}

/// Where the index lives when neither `--index` nor `NEWSDEX_INDEX` says.
pub const DEFAULT_INDEX_DIR: &str = "newsdex-index";

/// The lock file inside the index folder; holds the writer's pid.
const LOCK_FILE: &str = "newsdex.lock";

/// What newsdex records with every commit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommitInfo {
    /// `schema/fields.toml`'s version.
    pub schema_version: u32,
    /// The newsdex version that made the commit.
    pub newsdex_version: String,
    /// Roots walked by the run that made the commit (for `stats`).
    #[serde(default)]
    pub roots: Vec<String>,
}

/// An opened index with its schema.
pub struct Store {
    /// The tantivy index.
    pub index: Index,
    /// Schema and field handles.
    pub schema: IndexSchema,
    /// The index folder.
    pub dir: PathBuf,
    /// Date columns already opened by searches on this index.
    pub date_columns: Arc<DateColumns>,
}

/// Each segment's date column, opened once for all the searches of a process.
///
/// Opening one reads its index of which documents have a date: on a 650,000-article archive
/// that cost as much as a whole one-word query, every query.
#[derive(Default)]
pub struct DateColumns {
    by_segment: Mutex<HashMap<SegmentId, Option<Column<u64>>>>,
}

impl DateColumns {
    pub(crate) fn get(
        &self,
        segment: &SegmentReader,
        field: &str,
    ) -> tantivy::Result<Option<Column<u64>>> {
        let id = segment.segment_id();
        if let Some(column) = self.lock().get(&id) {
            return Ok(column.clone());
        }
        // An index where no document has a date has no date column: every date is absent.
        let column = segment
            .fast_fields()
            .u64_lenient(field)?
            .map(|(column, _)| column);
        self.lock().insert(id, column.clone());
        Ok(column)
    }

    /// Forgets the segments `searcher` no longer has (merged away), so their files can go.
    pub(crate) fn keep_only(&self, searcher: &Searcher) {
        let live: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SegmentId, Option<Column<u64>>>> {
        // The map holds no invariant a panicking holder could break.
        self.by_segment
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Opens an existing index for reading.
pub fn open(dir: &Path) -> Result<Store> {
    if !dir.join("meta.json").is_file() {
        if was_left_before_creation(dir) {
            return empty(dir);
        }
        return Err(Error::NoIndex {
            path: dir.to_path_buf(),
        });
    }
    let schema = IndexSchema::build()?;
    let index = Index::open_in_dir(dir).map_err(|e| Error::Incompatible {
        path: dir.to_path_buf(),
        why: format!("cannot open: {e}"),
    })?;
    check_compatible(&index, &schema, dir)?;
    register_analyzers(&index);
    Ok(Store {
        index,
        schema,
        dir: dir.to_path_buf(),
        date_columns: Arc::default(),
    })
}

/// True for a folder holding only the lock file: a writer was killed before it created the
/// index, which is an index with nothing committed yet, not a missing one.
fn was_left_before_creation(dir: &Path) -> bool {
    dir.join(LOCK_FILE).is_file() && is_empty_or_only_lock(dir).unwrap_or(false)
}

/// An empty index in memory, for a folder where nothing was committed yet.
fn empty(dir: &Path) -> Result<Store> {
    let schema = IndexSchema::build()?;
    let index = Index::create_in_ram(schema.schema.clone());
    register_analyzers(&index);
    Ok(Store {
        index,
        schema,
        dir: dir.to_path_buf(),
        date_columns: Arc::default(),
    })
}

impl Store {
    /// A reader of the last commit for a one-shot command: no file watcher thread, so opening
    /// costs less (a long-running server would reload on commit instead).
    pub fn reader(&self) -> Result<tantivy::IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?)
    }
}

/// Opens the index for writing, creating it when absent. With `rebuild`, an incompatible index
/// is replaced; without, it is an error that says how to rebuild.
pub fn open_for_write(dir: &Path, rebuild: bool) -> Result<(Store, WriteLock)> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let lock = WriteLock::acquire(dir)?;
    let schema = IndexSchema::build()?;
    if dir.join("meta.json").is_file() {
        let opened = Index::open_in_dir(dir);
        let compatible = match &opened {
            Ok(index) => check_compatible(index, &schema, dir),
            Err(e) => Err(Error::Incompatible {
                path: dir.to_path_buf(),
                why: format!("cannot open: {e}"),
            }),
        };
        match (opened, compatible) {
            (Ok(index), Ok(())) => {
                register_analyzers(&index);
                let store = Store {
                    index,
                    schema,
                    dir: dir.to_path_buf(),
                    date_columns: Arc::default(),
                };
                return Ok((store, lock));
            }
            (_, Err(e)) if !rebuild => return Err(e),
            _ => remove_index_files(dir)?,
        }
    } else if !is_empty_or_only_lock(dir)? {
        return Err(Error::Usage(format!(
            "{}: folder is not empty and holds no newsdex index; choose another --index folder",
            dir.display()
        )));
    }
    let directory =
        MmapDirectory::open(dir).map_err(|e| Error::Usage(format!("{}: {e}", dir.display())))?;
    let index = Index::create(directory, schema.schema.clone(), Default::default())?;
    register_analyzers(&index);
    Ok((
        Store {
            index,
            schema,
            dir: dir.to_path_buf(),
            date_columns: Arc::default(),
        },
        lock,
    ))
}

/// Reads what the last commit recorded.
pub fn commit_info(index: &Index) -> Result<Option<CommitInfo>> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok()))
}

fn check_compatible(index: &Index, schema: &IndexSchema, dir: &Path) -> Result<()> {
    let incompatible = |why: String| Error::Incompatible {
        path: dir.to_path_buf(),
        why,
    };
    if let Some(info) = commit_info(index)? {
        if info.schema_version != schema.defs.schema_version {
            return Err(incompatible(format!(
                "built with schema version {}, this newsdex uses {}",
                info.schema_version, schema.defs.schema_version
            )));
        }
    }
    if index.schema() != schema.schema {
        return Err(incompatible(
            "its fields differ from this newsdex's schema".into(),
        ));
    }
    Ok(())
}

fn is_empty_or_only_lock(dir: &Path) -> Result<bool> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.file_name() != LOCK_FILE {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Removes tantivy's files (and only those) so an incompatible index can be rebuilt in place.
fn remove_index_files(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let tantivy_file = name == "meta.json"
            || name == ".managed.json"
            || name.ends_with(".lock") && name != LOCK_FILE
            || is_segment_file(&name);
        if tantivy_file {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

fn is_segment_file(name: &str) -> bool {
    let Some((stem, _ext)) = name.split_once('.') else {
        return false;
    };
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The single-writer lock: an OS file lock on `newsdex.lock`, holding the writer's pid.
/// The OS drops it when the process dies, so a killed indexer never leaves a stale lock.
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Takes the lock or says which process holds it.
    pub fn acquire(dir: &Path) -> Result<WriteLock> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(Error::Locked {
                    path: dir.to_path_buf(),
                    pid: if pid.is_empty() {
                        "unknown".into()
                    } else {
                        pid.into()
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let write_pid = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            write!(file, "{}", std::process::id())?;
            file.flush()
        };
        write_pid(&mut file).map_err(|e| Error::io(&path, e))?;
        Ok(WriteLock { _file: file })
    }
}

/// Total bytes of the files in the index folder.
pub fn index_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::column_strings;
    use tantivy::schema::{Schema, FAST, STRING};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn column_strings_follow_the_ords_asked_for_sorted_or_not() {
        let mut builder = Schema::builder();
        let field = builder.add_text_field("v", STRING | FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer(15_000_000).expect("writer");
        for v in ["delta", "alpha", "charlie", "bravo"] {
            writer.add_document(doc!(field => v)).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let segment = searcher.segment_reader(0);
        let column = segment
            .fast_fields()
            .str("v")
            .expect("read")
            .expect("a column");
        let sorted = column_strings(&column, &[0, 2, 3]).expect("sorted");
        assert_eq!(sorted, ["alpha", "charlie", "delta"]);
        let unsorted = column_strings(&column, &[3, 1, 1]).expect("unsorted");
        assert_eq!(unsorted, ["delta", "bravo", "bravo"]);
        assert!(
            column_strings(&column, &[0, 9]).is_err(),
            "an ord past the end"
        );
    }
}
