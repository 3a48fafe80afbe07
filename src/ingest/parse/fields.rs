//! STUB (replaced by the parsers work): field-name mapping.
use crate::model::Article;
/// Maps an object's fields to an article.
pub fn article_from_map(map: &serde_json::Map<String, serde_json::Value>, record: u32) -> Article {
    let s = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Article { record, title: s("title").unwrap_or_default(), body: s("body").unwrap_or_default(), date_text: s("date"), source: s("source"), ..Default::default() }
}
