//! Hits: runs a compiled query — exact total, one page in the requested order, duplicates folded,
//! facets — then loads stored fields for that page only and picks passages.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::Count;
use tantivy::columnar::StrColumn;
use tantivy::schema::Field;
use tantivy::{DocAddress, Score, Searcher, TantivyError};

use super::aggregate;
use super::passages::Highlighter;
use super::query;
use super::rank;
use super::request::SearchRequest;
use super::response::{Facets, Hit, HitEntities, PassageOut, SearchResponse};
use super::stored::StoredDoc;
use super::surnames::Surnames;
use crate::entities::EntityExtractor;
use crate::error::Result;
use crate::model::Mention;
use crate::schema::Fields;
use crate::stats::{rank, rfc3339, ValueCount};
use crate::store::Store;

/// How many values each facet shows.
const FACET_TOP: usize = 10;

/// Runs a search on an opened index.
pub fn search(
    store: &Store,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<SearchResponse> {
    let started = Instant::now();
    let fields = &store.schema.fields;
    let schema = store.index.schema();
    let compiled = query::compile(request, fields, searcher)?;
    let mut response = SearchResponse {
        query: request.query_text.clone(),
        total: 0,
        collapsed: 0,
        took_ms: 0.0,
        hits: Vec::new(),
        facets: None,
    };
    if request.count_only {
        response.total = searcher.search(&compiled.query, &Count)? as u64;
        response.took_ms = started.elapsed().as_secs_f64() * 1000.0;
        return Ok(response);
    }
    // Saturating: an offset of 10^12 is an empty page (`rank::page` caps every window at the
    // index's size), not an overflow.
    let wanted = request.offset.saturating_add(request.limit);
    let date_name = schema.get_field_name(fields.date);
    // With duplicates folded, a page needs more ranked documents than it shows; how many more
    // depends on how often articles were copied (a wire story in a hundred papers), so the
    // window grows until the page is full or every match has been ranked.
    let mut window = if request.collapse {
        wanted.saturating_mul(3).saturating_add(20)
    } else {
        wanted
    };
    let mut hashes = Hashes::new(searcher, schema.get_field_name(fields.content_hash));
    let groups = loop {
        let (total, ranked) = rank::page(
            searcher,
            &*compiled.query,
            &store.date_columns,
            date_name,
            request.sort,
            window,
        )?;
        response.total = total as u64;
        if !request.collapse {
            break ranked
                .into_iter()
                .map(|(score, addr)| (score, addr, Vec::new()))
                .collect::<Vec<Group>>();
        }
        let seen_all = ranked.len() < window || ranked.len() >= total;
        let groups = collapse(&mut hashes, ranked)?;
        if groups.len() >= wanted || seen_all {
            break groups;
        }
        // Never more than there are matches: a window is also what the ranking allocates.
        window = next_window(window, groups.len(), wanted).min(total);
    };
    let mut highlighter = Highlighter::new(compiled.matcher);
    let page: Vec<Group> = groups
        .into_iter()
        .skip(request.offset)
        .take(request.limit)
        .collect();
    // The copies folded into this page's hits (copies of hits on other pages are theirs).
    response.collapsed = page.iter().map(|group| group.2.len() as u64).sum();
    for (score, addr, copies) in page {
        let copy_count = copies.len();
        let copies = if request.copy_ids {
            copies
                .into_iter()
                .map(|copy| stored_id(searcher, copy, fields.id))
                .collect::<Result<Vec<String>>>()?
        } else {
            Vec::new()
        };
        let mut doc: StoredDoc = searcher.doc(addr)?;
        let body = body(&mut doc, fields);
        let mut hit = to_hit(doc, fields, score, copies);
        hit.copy_count = copy_count;
        let (in_title, in_body) = match highlighter.wants_mentions() {
            true => mentions(&hit.title, &body),
            false => Default::default(),
        };
        hit.title_highlights = highlighter.highlight_with(&hit.title, &in_title);
        hit.passages = highlighter
            .passages_with(&body, request.passages, &in_body)
            .into_iter()
            .map(|p| PassageOut {
                text: p.text,
                score: p.score,
                highlights: p.highlights,
            })
            .collect();
        response.hits.push(hit);
    }
    if request.facets {
        response.facets = Some(facets(searcher, &compiled.query, fields, &schema)?);
    }
    response.took_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(response)
}

/// A ranked document and the addresses of its exact copies folded into it.
type Group = (Score, DocAddress, Vec<DocAddress>);

/// How many documents to rank next when `window` of them made `groups` groups and `wanted` are
/// needed: enough, at the copies per group seen so far, for the page and a quarter more; at
/// least twice as many. On Reuters ×30 (30 copies of every story) a page of 10 took three
/// rounds of growing ×4 and now takes two.
fn next_window(window: usize, groups: usize, wanted: usize) -> usize {
    let per_group = window.div_ceil(groups.max(1));
    window
        .saturating_mul(2)
        .max(wanted.saturating_mul(per_group).saturating_mul(5) / 4)
}

/// The content hashes of ranked documents, each read once per segment and term ordinal.
///
/// Reading a hash from its column decompresses a block of the column's dictionary (tantivy
/// makes a zstd context for each); hashes are random, so every document read another block.
/// Copies in one segment share an ordinal, and a grown window ranks the same documents again.
struct Hashes<'s> {
    searcher: &'s Searcher,
    field: &'s str,
    columns: HashMap<u32, Option<StrColumn>>,
    known: HashMap<(u32, u64), Arc<str>>,
}

impl<'s> Hashes<'s> {
    fn new(searcher: &'s Searcher, field: &'s str) -> Self {
        Hashes {
            searcher,
            field,
            columns: HashMap::new(),
            known: HashMap::new(),
        }
    }

    /// The document's content hash, if it has one.
    fn of(&mut self, addr: DocAddress) -> Result<Option<Arc<str>>> {
        let column = match self.columns.entry(addr.segment_ord) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let segment = self.searcher.segment_reader(addr.segment_ord);
                slot.insert(segment.fast_fields().str(self.field)?)
            }
        };
        let Some(column) = column else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(addr.doc_id).next() else {
            return Ok(None);
        };
        if let Some(hash) = self.known.get(&(addr.segment_ord, ord)) {
            return Ok(Some(Arc::clone(hash)));
        }
        let mut value = String::new();
        column
            .ord_to_str(ord, &mut value)
            .map_err(TantivyError::from)?;
        let hash: Arc<str> = value.into();
        self.known
            .insert((addr.segment_ord, ord), Arc::clone(&hash));
        Ok(Some(hash))
    }
}

/// Folds exact duplicates (same content hash) into the best-ranked one, keeping ranking order.
fn collapse(hashes: &mut Hashes, ranked: Vec<(Score, DocAddress)>) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_hash: HashMap<Arc<str>, usize> = HashMap::new();
    for (score, addr) in ranked {
        let hash = hashes.of(addr)?;
        match hash.as_ref().and_then(|h| by_hash.get(h).copied()) {
            Some(index) => {
                if let Some(group) = groups.get_mut(index) {
                    group.2.push(addr);
                }
            }
            None => {
                if let Some(h) = hash {
                    by_hash.insert(h, groups.len());
                }
                groups.push((score, addr, Vec::new()));
            }
        }
    }
    Ok(groups)
}

fn stored_id(searcher: &Searcher, addr: DocAddress, field: Field) -> Result<String> {
    let mut doc: StoredDoc = searcher.doc(addr)?;
    Ok(doc.take_text(field).unwrap_or_default())
}

/// The hit of a stored document (highlights and passages are filled in by the caller).
pub fn to_hit(mut doc: StoredDoc, fields: &Fields, score: Score, copies: Vec<String>) -> Hit {
    let date = doc
        .date(fields.date)
        .map(|d| rfc3339(d.into_timestamp_secs()));
    Hit {
        id: doc.take_text(fields.id).unwrap_or_default(),
        score,
        title: doc.take_text(fields.title).unwrap_or_default(),
        title_highlights: Vec::new(),
        date,
        date_precision: doc.take_text(fields.date_precision),
        source: doc.take_text(fields.source),
        url: doc.take_text(fields.url),
        path: doc.take_text(fields.path).unwrap_or_default(),
        lang: doc.take_text(fields.lang),
        entities: HitEntities {
            persons: doc.take_all_text(fields.persons),
            orgs: doc.take_all_text(fields.orgs),
            places: doc.take_all_text(fields.places),
        },
        copy_count: copies.len(),
        copies,
        passages: Vec::new(),
    }
}

/// Takes the full stored body out of a document (call before [`to_hit`]).
pub fn body(doc: &mut StoredDoc, fields: &Fields) -> String {
    doc.take_text(fields.body).unwrap_or_default()
}

/// How much of a body [`mentions`] reads: about 50 ms of tagging. News articles are far
/// shorter; a book-length text (up to the indexer's 16 MiB) would take a second or more per hit.
pub const MENTION_SCAN_BYTES: usize = 512 * 1024;

/// The entity mentions of an article's title and of its body, each with offsets into its own
/// text. The extractor reads the two as the indexer gave them to it (title, blank line, body),
/// so short names resolve as they did then ("Bukele" → "Nayib Bukele"). Only the articles shown
/// are read again, and of each only the first [`MENTION_SCAN_BYTES`] of the body: a few
/// milliseconds for a page of news.
pub fn mentions(title: &str, body: &str) -> (Vec<Mention>, Vec<Mention>) {
    let mut cut = body.len().min(MENTION_SCAN_BYTES);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = format!("{title}\n\n{}", &body[..cut]);
    let offset = title.len() + 2;
    let mut in_title = Vec::new();
    let mut in_body = Vec::new();
    for mention in crate::entities::embedded().mentions(&text) {
        if mention.end <= title.len() {
            in_title.push(mention);
        } else if mention.start >= offset {
            in_body.push(Mention {
                start: mention.start - offset,
                end: mention.end - offset,
                ..mention
            });
        }
    }
    (in_title, in_body)
}

/// Counts sources, languages and entities over every matching article.
fn facets(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    fields: &Fields,
    schema: &tantivy::schema::Schema,
) -> Result<Facets> {
    let matches = aggregate::matches(searcher, query)?;
    let surnames = Surnames::of(searcher, fields.persons)?;
    let count = |field: Field| -> Result<Vec<ValueCount>> {
        let surnames = (field == fields.persons).then_some(&surnames);
        let name = schema.get_field_name(field);
        let totals = aggregate::value_counts(searcher, &matches, name, surnames)?;
        Ok(rank(totals.shown(), FACET_TOP))
    };
    Ok(Facets {
        sources: count(fields.source)?,
        languages: count(fields.lang)?,
        persons: count(fields.persons)?,
        orgs: count(fields.orgs)?,
        places: count(fields.places)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_split_between_title_and_body_and_read_up_to_the_cap() {
        let title = "Bukele visits Port Veyra";
        let lead = "President Nayib Bukele arrived on Tuesday. ";
        assert_eq!(lead.len() % 2, 1, "odd, so that the cap falls inside an é");
        // A two-byte character straddles the cap: the cut must step back to a boundary.
        let filler = "é".repeat(MENTION_SCAN_BYTES / 2);
        let body = format!("{lead}{filler} Later Bukele met Ilse Marrow.");
        let (in_title, in_body) = mentions(title, &body);
        let names = |ms: &[Mention]| ms.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
        assert!(
            names(&in_title).contains(&"Nayib Bukele".to_string()),
            "{in_title:?}"
        );
        assert_eq!(&title[in_title[0].start..in_title[0].end], "Bukele");
        assert_eq!(names(&in_body), ["Nayib Bukele"], "{in_body:?}");
        let m = &in_body[0];
        assert_eq!(&body[m.start..m.end], "Nayib Bukele");
        // Within the cap, the same text is read to its end.
        let short = format!("{lead}Later Bukele met Ilse Marrow.");
        let (_, in_short) = mentions(title, &short);
        assert!(
            names(&in_short).contains(&"Ilse Marrow".to_string()),
            "{in_short:?}"
        );
    }
}
