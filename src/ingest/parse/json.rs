//! JSON documents and JSON Lines. Field names are mapped by
//! [`fields::article_from_map`](super::fields::article_from_map).
//!
//! A JSON document holds one article object, an array of them, or a wrapper object holding the
//! array under a key such as `articles`, `items`, `data`, `results`, `posts`, `entries` or `docs`
//! (see [`WRAPPER_KEYS`]), possibly nested (`{"response": {"docs": […]}}` from the NYT API,
//! `{"hits": {"hits": […]}}` from Elasticsearch). An object counts as a wrapper when it has no body
//! of its own and one of those keys holds objects: a JSON Feed's own `title` does not make it an
//! article. An array element that has no title or body but wraps one object (`_source`, `data`,
//! `article`…, see [`ELEMENT_KEYS`]) is unwrapped; the outer id is kept when the inner has none.
//!
//! Record numbers are positions: the n-th element of the article array, the n-th non-blank line of
//! a JSON Lines text. Elements and lines that cannot be read still take their number, so fixing a
//! bad line later does not renumber (and so re-identify) the records after it.
//!
//! serde_json's recursion limit (128) is kept: deeper input is an error, not a stack overflow. The
//! wrapper search is bounded by [`Limits::max_depth`]; nothing else here recurses.

use serde_json::{Map, Value};

use super::fields::article_from_map;
use super::{Limits, Parsed, RecordIssue};
use crate::model::Article;

/// Keys under which a wrapper object holds its articles, in order of preference.
pub const WRAPPER_KEYS: &[&str] = &[
    "articles",
    "items",
    "entries",
    "posts",
    "stories",
    "news",
    "docs",
    "documents",
    "records",
    "results",
    "data",
    "hits",
    "response",
    "children",
    "rows",
];

/// Keys under which one array element may wrap its article object.
pub const ELEMENT_KEYS: &[&str] = &[
    "_source", "data", "article", "item", "post", "story", "node",
];

/// How many wrapping levels an element is looked into.
const MAX_UNWRAP: usize = 4;

/// Parses a JSON document: one article object, an array of them, or a wrapper object (see the
/// module docs). A document that is not valid JSON gives one issue with its line and column.
pub fn parse_json(text: &str, limits: &Limits) -> Parsed {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            return Parsed {
                articles: Vec::new(),
                issues: vec![RecordIssue {
                    line: (e.line() > 0).then_some(e.line() as u64),
                    reason: format!("invalid JSON: {e}"),
                }],
            }
        }
    };
    let mut out = Parsed::default();
    match find_records(&value, limits.max_depth) {
        Some(Records::One(map)) => out.articles.push(element_article(map, 1)),
        Some(Records::Many(items)) => {
            for (i, item) in items.iter().enumerate() {
                let record = record_number(i);
                match item {
                    Value::Object(map) => out.articles.push(element_article(map, record)),
                    _ => out.issues.push(RecordIssue {
                        line: None,
                        reason: format!("record {record}: not a JSON object"),
                    }),
                }
            }
        }
        None => out.issues.push(RecordIssue {
            line: Some(1),
            reason: "not a JSON object or array".to_string(),
        }),
    }
    out
}

/// Parses JSON Lines: one object per line. Blank lines are skipped (they still count for line
/// numbers, not for record numbers). A line that is not valid JSON, or not an object, gives an
/// issue with its line number and takes its record number; the other lines are kept.
pub fn parse_jsonl(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut record = 0u32;
    for (i, line) in text.lines().enumerate() {
        if line.bytes().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        record = record.saturating_add(1);
        let issue = |reason: String| RecordIssue {
            line: Some(i as u64 + 1),
            reason,
        };
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => out.articles.push(element_article(&map, record)),
            Ok(_) => out.issues.push(issue("not a JSON object".to_string())),
            Err(e) => out
                .issues
                .push(issue(format!("invalid JSON: {}", line_error(&e)))),
        }
    }
    out
}

/// Where a document's articles are.
enum Records<'a> {
    /// The document is one article.
    One(&'a Map<String, Value>),
    /// An array of records (objects, or other values reported as issues).
    Many(&'a [Value]),
}

/// Finds the records in `value`, following wrapper objects at most `depth` levels down. `None`
/// when the document is a scalar.
fn find_records(value: &Value, depth: usize) -> Option<Records<'_>> {
    match value {
        Value::Array(items) => Some(Records::Many(items)),
        Value::Object(map) => Some(wrapped(map, depth).unwrap_or(Records::One(map))),
        _ => None,
    }
}

/// The records `map` wraps, when it is a wrapper (no body of its own, and a wrapper key holding
/// objects, directly or through further wrappers).
fn wrapped(map: &Map<String, Value>, depth: usize) -> Option<Records<'_>> {
    if depth == 0 || !article_from_map(map, 0).body.is_empty() {
        return None;
    }
    WRAPPER_KEYS.iter().find_map(|key| match get_ci(map, key)? {
        Value::Array(items) if items.iter().any(Value::is_object) => Some(Records::Many(items)),
        Value::Object(inner) => wrapped(inner, depth - 1),
        _ => None,
    })
}

/// The article of one record object, unwrapping `{"_source": {…}}`-style elements.
fn element_article(map: &Map<String, Value>, record: u32) -> Article {
    let mut current = map;
    let mut article = article_from_map(current, record);
    for _ in 0..MAX_UNWRAP {
        if !article.is_empty() {
            break;
        }
        let Some(inner) = ELEMENT_KEYS
            .iter()
            .find_map(|key| get_ci(current, key).and_then(Value::as_object))
        else {
            break;
        };
        let outer_id = article.source_id.take();
        current = inner;
        article = article_from_map(current, record);
        if article.source_id.is_none() || article.source_id == article.url {
            article.source_id = outer_id.or(article.source_id);
        }
    }
    article
}

/// The value under `key`, matching the key case-insensitively.
fn get_ci<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A serde_json error of a one-line document, without its (always 1) line number.
fn line_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&suffix) {
        Some(message) => format!("{message} at column {}", e.column()),
        None => full,
    }
}

/// The 1-based record number of the element at `index`.
fn record_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Parsed {
        parse_json(text, &Limits::default())
    }

    fn titles(parsed: &Parsed) -> Vec<(u32, &str)> {
        parsed
            .articles
            .iter()
            .map(|a| (a.record, a.title.as_str()))
            .collect()
    }

    #[test]
    fn single_object() {
        let p = json(r#"{"title": "T", "body": "B", "author": "A"}"#);
        assert!(p.issues.is_empty());
        assert_eq!(titles(&p), vec![(1, "T")]);
        assert_eq!(p.articles[0].body, "B");
        assert_eq!(p.articles[0].authors, vec!["A"]);
    }

    #[test]
    fn array_of_objects_with_non_objects() {
        let p = json(r#"[{"title": "a"}, 3, {"title": "c"}, null, {}]"#);
        assert_eq!(titles(&p), vec![(1, "a"), (3, "c"), (5, "")]);
        let reasons: Vec<_> = p.issues.iter().map(|i| i.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec!["record 2: not a JSON object", "record 4: not a JSON object"]
        );
        assert!(p.issues.iter().all(|i| i.line.is_none()));
        assert_eq!(json("[]"), Parsed::default());
    }

    #[test]
    fn wrapped_arrays() {
        for key in [
            "articles", "items", "data", "results", "posts", "entries", "docs", "Articles",
        ] {
            let text = format!(
                r#"{{"status": "ok", "totalResults": 2, "{key}": [{{"title": "x"}}, {{"title": "y"}}]}}"#
            );
            assert_eq!(titles(&json(&text)), vec![(1, "x"), (2, "y")], "{key}");
        }
    }

    #[test]
    fn nested_wrappers() {
        let nyt = r#"{"status": "OK", "response": {"meta": {}, "docs": [{"headline": {"main": "H"}, "lead_paragraph": "x"}]}}"#;
        assert_eq!(titles(&json(nyt)), vec![(1, "H")]);
        let es = r#"{"hits": {"total": 1, "hits": [{"_id": "e1", "_source": {"title": "S", "body": "b"}}]}}"#;
        let p = json(es);
        assert_eq!(titles(&p), vec![(1, "S")]);
        assert_eq!(p.articles[0].source_id.as_deref(), Some("e1"));
        let shallow = Limits {
            max_depth: 1,
            ..Limits::default()
        };
        let p = parse_json(nyt, &shallow);
        assert_eq!(titles(&p), vec![(1, "")]);
    }

    #[test]
    fn feed_title_does_not_make_an_article() {
        let feed = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "My Feed",
            "items": [{"id": "1", "title": "Post", "content_html": "<p>x</p>", "content_text": "x"}]}"#;
        assert_eq!(titles(&json(feed)), vec![(1, "Post")]);
    }

    #[test]
    fn object_with_body_is_not_a_wrapper() {
        let text = r#"{"title": "Live", "body": "Main text", "items": [{"title": "sub"}]}"#;
        assert_eq!(titles(&json(text)), vec![(1, "Live")]);
        let text = r#"{"title": "Alone", "data": [1, 2]}"#;
        assert_eq!(titles(&json(text)), vec![(1, "Alone")]);
    }

    #[test]
    fn element_unwrapping_keeps_inner_id() {
        let text = r#"[{"kind": "t3", "data": {"title": "R", "id": "abc"}}, {"_id": "o", "_source": {"title": "U", "url": "u"}}]"#;
        let p = json(text);
        assert_eq!(titles(&p), vec![(1, "R"), (2, "U")]);
        assert_eq!(p.articles[0].source_id.as_deref(), Some("abc"));
        assert_eq!(p.articles[1].source_id.as_deref(), Some("o"));
    }

    #[test]
    fn invalid_document_has_line_and_column() {
        let p = json("{\n  \"title\": \"x\",\n  oops\n}");
        assert!(p.articles.is_empty());
        assert_eq!(p.issues.len(), 1);
        assert_eq!(p.issues[0].line, Some(3));
        assert!(p.issues[0]
            .reason
            .starts_with("invalid JSON: key must be a string at line 3 column 3"));
    }

    #[test]
    fn scalar_document() {
        let p = json("42");
        assert!(p.articles.is_empty());
        assert_eq!(p.issues[0].reason, "not a JSON object or array");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let p = json(&deep);
        assert!(p.articles.is_empty());
        assert!(
            p.issues[0].reason.contains("recursion limit exceeded"),
            "{:?}",
            p.issues
        );
        let line = format!("{{\"a\": {}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let p = parse_jsonl(&line);
        assert!(p.issues[0].reason.contains("recursion limit exceeded"));
        let wrappers = "{\"data\": ".repeat(120) + "[{\"title\": \"deep\"}]" + &"}".repeat(120);
        assert_eq!(titles(&json(&wrappers)), vec![(1, "deep")]);
        assert_eq!(
            titles(&parse_json(
                &wrappers,
                &Limits {
                    max_depth: 5,
                    ..Limits::default()
                }
            )),
            vec![(1, "")]
        );
    }

    #[test]
    fn jsonl_records_lines_and_issues() {
        let text = "{\"title\": \"one\"}\n\n   \n{\"title\": \"two\"\n[1, 2]\n{\"title\": \"four\"}\n\"str\"\n{\"title\": \"six\"}\n";
        let p = parse_jsonl(text);
        assert_eq!(titles(&p), vec![(1, "one"), (4, "four"), (6, "six")]);
        let issues: Vec<_> = p
            .issues
            .iter()
            .map(|i| (i.line, i.reason.as_str()))
            .collect();
        assert_eq!(
            issues,
            vec![
                (
                    Some(4),
                    "invalid JSON: EOF while parsing an object at column 15"
                ),
                (Some(5), "not a JSON object"),
                (Some(7), "not a JSON object"),
            ]
        );
    }

    #[test]
    fn jsonl_without_trailing_newline_and_empty() {
        assert_eq!(titles(&parse_jsonl("{\"title\": \"a\"}")), vec![(1, "a")]);
        assert_eq!(parse_jsonl(""), Parsed::default());
        assert_eq!(parse_jsonl("\n\n"), Parsed::default());
        let p =
            parse_jsonl("{\"_index\": \"news\", \"_id\": \"7\", \"_source\": {\"title\": \"es\"}}");
        assert_eq!(p.articles[0].source_id.as_deref(), Some("7"));
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let hostile = [
            "",
            " ",
            "{",
            "}",
            "[",
            "]",
            "[{",
            "{\"a\":",
            "\u{0}",
            "nul",
            "\"\\u",
            "{\"title\": \"\\ud800\"}",
            "1e999999",
            "-",
            "[[[[",
            "{\"items\": {}}",
            "{\"data\": {\"data\": {}}}",
            "é",
            "{\"\":\"\"}",
        ];
        for h in hostile {
            let _ = json(h);
            let _ = parse_jsonl(h);
            let _ = parse_json(
                h,
                &Limits {
                    max_depth: 0,
                    ..Limits::default()
                },
            );
        }
        for h in crate::ingest::parse::fields::fuzz_inputs("{}[]\":,\n 1a\\é") {
            let _ = json(&h);
            let _ = parse_jsonl(&h);
        }
    }
}
