//! Hits: runs a compiled query — exact total, one page in the requested order, duplicates folded,
//! facets — then loads stored fields for that page only and picks passages.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::time::Instant;

use tantivy::collector::Count;
use tantivy::columnar::StrColumn;
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Score, Searcher, TantivyError};

use super::aggregate;
use super::passages::Highlighter;
use super::query;
use super::rank;
use super::request::SearchRequest;
use super::response::{Facets, Hit, HitEntities, PassageOut, SearchResponse};
use super::stored::StoredDoc;
use crate::error::Result;
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
    let wanted = request.offset + request.limit;
    let date_name = schema.get_field_name(fields.date);
    // With duplicates folded, a page needs more ranked documents than it shows; how many more
    // depends on how often articles were copied (a wire story in a hundred papers), so the
    // window grows until the page is full or every match has been ranked.
    let mut window = if request.collapse {
        wanted * 3 + 20
    } else {
        wanted
    };
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
        let seen_all = ranked.len() < window;
        let mut collapsed = 0;
        let groups = collapse(searcher, fields, &schema, ranked, &mut collapsed)?;
        if groups.len() >= wanted || seen_all {
            response.collapsed = collapsed;
            break groups;
        }
        window = window.saturating_mul(4);
    };
    let mut highlighter = Highlighter::new(compiled.matcher);
    for (score, addr, copies) in groups.into_iter().skip(request.offset).take(request.limit) {
        let copies = copies
            .into_iter()
            .map(|copy| stored_id(searcher, copy, fields.id))
            .collect::<Result<Vec<String>>>()?;
        let mut doc: StoredDoc = searcher.doc(addr)?;
        let body = body(&mut doc, fields);
        let mut hit = to_hit(doc, fields, score, copies);
        hit.title_highlights = highlighter.highlight(&hit.title);
        hit.passages = highlighter
            .passages(&body, request.passages)
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

/// Folds exact duplicates (same content hash) into the best-ranked one, keeping ranking order.
fn collapse(
    searcher: &Searcher,
    fields: &Fields,
    schema: &tantivy::schema::Schema,
    ranked: Vec<(Score, DocAddress)>,
    collapsed: &mut u64,
) -> Result<Vec<Group>> {
    let hash_name = schema.get_field_name(fields.content_hash);
    let mut groups: Vec<Group> = Vec::new();
    let mut by_hash: HashMap<String, usize> = HashMap::new();
    // Each segment's hash column, opened once.
    let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
    for (score, addr) in ranked {
        let column = match columns.entry(addr.segment_ord) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let segment = searcher.segment_reader(addr.segment_ord);
                slot.insert(segment.fast_fields().str(hash_name)?)
            }
        };
        let hash = column_str(column.as_ref(), addr.doc_id)?;
        match hash.as_ref().and_then(|h| by_hash.get(h).copied()) {
            Some(index) => {
                if let Some(group) = groups.get_mut(index) {
                    group.2.push(addr);
                }
                *collapsed += 1;
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

fn column_str(column: Option<&StrColumn>, doc: DocId) -> Result<Option<String>> {
    let Some(column) = column else {
        return Ok(None);
    };
    let Some(ord) = column.term_ords(doc).next() else {
        return Ok(None);
    };
    let mut value = String::new();
    column
        .ord_to_str(ord, &mut value)
        .map_err(TantivyError::from)?;
    Ok(Some(value))
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
        copies,
        passages: Vec::new(),
    }
}

/// Takes the full stored body out of a document (call before [`to_hit`]).
pub fn body(doc: &mut StoredDoc, fields: &Fields) -> String {
    doc.take_text(fields.body).unwrap_or_default()
}

/// Counts sources, languages and entities over every matching article.
fn facets(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    fields: &Fields,
    schema: &tantivy::schema::Schema,
) -> Result<Facets> {
    let matches = aggregate::matches(searcher, query)?;
    let count = |field: Field| -> Result<Vec<ValueCount>> {
        let totals = aggregate::value_counts(searcher, &matches, schema.get_field_name(field))?;
        Ok(rank(totals, FACET_TOP))
    };
    Ok(Facets {
        sources: count(fields.source)?,
        languages: count(fields.lang)?,
        persons: count(fields.persons)?,
        orgs: count(fields.orgs)?,
        places: count(fields.places)?,
    })
}
