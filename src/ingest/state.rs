//! What the index already holds, per file: its stamp and how many articles it gave.
//! Read from the `path` and `file_stamp` columns of live documents only, so it always reflects
//! the last commit, whatever a killed run did after it.

use std::collections::{BTreeMap, HashMap};

use tantivy::Index;

use crate::error::Result;
use crate::schema::Fields;
use crate::store;

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedFile {
    /// The stamp it was indexed with.
    pub stamp: String,
    /// Live articles from it.
    pub articles: u64,
}

/// Indexed files by canonical path.
pub type IndexedFiles = HashMap<String, IndexedFile>;

/// Loads the state of every indexed file.
pub fn load(index: &Index, fields: &Fields) -> Result<IndexedFiles> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut files = IndexedFiles::new();
    let path_name = index.schema().get_field_name(fields.path).to_string();
    let stamp_name = index.schema().get_field_name(fields.file_stamp).to_string();
    for segment in searcher.segment_readers() {
        let columns = segment.fast_fields();
        let (Some(paths), Some(stamps)) = (columns.str(&path_name)?, columns.str(&stamp_name)?)
        else {
            continue;
        };
        let alive = segment.alive_bitset();
        // Path ord → (stamp ord of its first record, live records); the strings are then read
        // in one pass per column.
        let mut by_path: BTreeMap<u64, (Option<u64>, u64)> = BTreeMap::new();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|bits| !bits.is_alive(doc)) {
                continue;
            }
            let Some(path_ord) = paths.term_ords(doc).next() else {
                continue;
            };
            by_path
                .entry(path_ord)
                .or_insert_with(|| (stamps.term_ords(doc).next(), 0))
                .1 += 1;
        }
        let path_ords: Vec<u64> = by_path.keys().copied().collect();
        let mut stamp_ords: Vec<u64> = by_path.values().filter_map(|v| v.0).collect();
        stamp_ords.sort_unstable();
        stamp_ords.dedup();
        let path_names = store::column_strings(&paths, &path_ords)?;
        let stamp_names = store::column_strings(&stamps, &stamp_ords)?;
        for (path, (stamp_ord, articles)) in path_names.into_iter().zip(by_path.into_values()) {
            let stamp = stamp_ord
                .and_then(|ord| stamp_ords.binary_search(&ord).ok())
                .and_then(|i| stamp_names.get(i))
                .cloned()
                .unwrap_or_default();
            files
                .entry(path)
                .or_insert_with(|| IndexedFile { stamp, articles: 0 })
                .articles += articles;
        }
    }
    Ok(files)
}
