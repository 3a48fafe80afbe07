//! Document: [`EnrichedArticle`] → tantivy document, field by field through the schema's handles.

use tantivy::TantivyDocument;

use crate::model::EnrichedArticle;
use crate::schema::{index_date, Fields};

/// Builds the tantivy document for an article. `stamp` is its file's incremental-indexing stamp.
pub fn to_document(fields: &Fields, article: &EnrichedArticle, stamp: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    let a = &article.article;
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.path, &article.path);
    doc.add_u64(fields.record, u64::from(a.record));
    doc.add_text(fields.file_stamp, stamp);
    doc.add_text(fields.format, &article.format);
    if let Some(source_id) = a.source_id.as_deref().or(a.url.as_deref()) {
        doc.add_text(fields.source_id, source_id);
    }
    doc.add_text(fields.title, &a.title);
    doc.add_text(fields.body, &a.body);
    if let Some(date) = article.date {
        doc.add_date(fields.date, index_date(date.start));
        doc.add_date(fields.date_end, index_date(date.end));
        doc.add_text(fields.date_precision, date.precision.name());
    }
    let optional = [
        (fields.source, &a.source),
        (fields.url, &a.url),
        (fields.lang, &article.lang),
    ];
    for (field, value) in optional {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            doc.add_text(field, value);
        }
    }
    let lists = [
        (fields.authors, &a.authors),
        (fields.tags, &a.tags),
        (fields.persons, &article.entities.persons),
        (fields.orgs, &article.entities.orgs),
        (fields.places, &article.entities.places),
    ];
    for (field, values) in lists {
        for value in values.iter().filter(|v| !v.trim().is_empty()) {
            doc.add_text(field, value);
        }
    }
    doc.add_u64(fields.word_count, article.word_count);
    doc.add_text(fields.content_hash, &article.content_hash);
    doc
}
