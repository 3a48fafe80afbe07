//! STUB (replaced by the parsers work): plain text.
use super::Parsed;
use crate::model::Article;
/// Parses a text article.
pub fn parse(text: &str) -> Parsed {
    let mut lines = text.trim().splitn(2, '\n');
    let title = lines.next().unwrap_or("").trim().to_string();
    let body = lines.next().unwrap_or("").trim().to_string();
    Parsed { articles: vec![Article { record: 1, title, body, ..Default::default() }], issues: vec![] }
}
/// True when the text starts with a header block.
pub fn has_header_block(text: &str) -> bool { text.starts_with("From:") }
