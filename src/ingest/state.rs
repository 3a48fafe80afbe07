//! What the index already holds, per file: its stamp and how many articles it gave.
//! Read from the `path` and `file_stamp` columns of live documents only, so it always reflects
//! the last commit, whatever a killed run did after it.

use std::collections::HashMap;

use tantivy::{Index, TantivyError};

use crate::error::Result;
use crate::schema::Fields;

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
        let mut path = String::new();
        let mut stamp = String::new();
        // Records of one file sit next to each other: look each path up once per run of docs.
        let mut last_ord = None;
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|bits| !bits.is_alive(doc)) {
                continue;
            }
            let Some(path_ord) = paths.term_ords(doc).next() else {
                continue;
            };
            if last_ord != Some(path_ord) {
                last_ord = Some(path_ord);
                path.clear();
                stamp.clear();
                paths
                    .ord_to_str(path_ord, &mut path)
                    .map_err(TantivyError::from)?;
                if let Some(stamp_ord) = stamps.term_ords(doc).next() {
                    stamps
                        .ord_to_str(stamp_ord, &mut stamp)
                        .map_err(TantivyError::from)?;
                }
            }
            let entry = files.entry(path.clone()).or_insert_with(|| IndexedFile {
                stamp: stamp.clone(),
                articles: 0,
            });
            entry.articles += 1;
        }
    }
    Ok(files)
}
