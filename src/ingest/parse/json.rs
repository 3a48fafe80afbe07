//! STUB (replaced by the parsers work).
use super::{Limits, Parsed, RecordIssue};
/// Parses a JSON document.
pub fn parse_json(text: &str, _limits: &Limits) -> Parsed {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        Ok(m) => Parsed { articles: vec![super::fields::article_from_map(&m, 1)], issues: vec![] },
        Err(e) => Parsed { articles: vec![], issues: vec![RecordIssue { line: Some(e.line() as u64), reason: e.to_string() }] },
    }
}
/// Parses JSON lines.
pub fn parse_jsonl(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut record = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() { continue; }
        record += 1;
        match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line) {
            Ok(m) => out.articles.push(super::fields::article_from_map(&m, record)),
            Err(e) => out.issues.push(RecordIssue { line: Some(i as u64 + 1), reason: format!("invalid JSON: {e}") }),
        }
    }
    out
}
