//! Markdown: optional YAML (`---` … `---` or `...`) or TOML (`+++` … `+++`) front matter, then the
//! text. One article per file, record 1.
//!
//! Front matter fields are mapped by [`fields::article_from_map`](super::fields::article_from_map).
//! The body is the markdown after the front matter with its syntax lightly removed: heading `#`s,
//! `*`/`_` emphasis around words, `[text](url)` and `[text][ref]` links (→ `text`), images (gone),
//! reference definitions (gone), thematic breaks and setext underlines (→ paragraph breaks), code
//! fence lines (the code inside is kept as written, as is inline code). Lists, quotes and tables
//! stay. When the markdown body is empty the front matter's own body or description is kept.
//!
//! Title: the front matter's; else the first level-one heading (`# Title` or `Title` over `===`),
//! removed from the body; else the first non-empty line, removed from the body. A leading level-one
//! heading that repeats the front matter title is removed too.
//!
//! Front matter that never closes is read as markdown (issue `unterminated front matter`); front
//! matter that does not parse gives an issue with the parser's message and the file line, and the
//! article is read from the rest. YAML and TOML parsers limit nesting themselves; the conversion
//! to JSON values here stops at [`MAX_DEPTH`].

use serde_json::{Map, Number, Value};

use super::fields::{article_from_map, clean_body, clean_line};
use super::{Parsed, RecordIssue};

/// Deepest front matter nesting converted (deeper values become null).
pub const MAX_DEPTH: usize = 64;
/// Longest line whose inline syntax is removed (bounds the per-line bookkeeping).
pub const MAX_INLINE_LINE: usize = 64 * 1024;

/// Parses a markdown article.
pub fn parse(text: &str) -> Parsed {
    let mut issues = Vec::new();
    let (map, markdown) = match front_matter(text) {
        Ok(Some(fm)) => (read_front_matter(&fm, &mut issues), &text[fm.body_start..]),
        Ok(None) => (Map::new(), text),
        Err(issue) => {
            issues.push(issue);
            (Map::new(), text)
        }
    };
    let mut article = article_from_map(&map, 1);
    let (title, body) = title_and_body(markdown, &article.title);
    if article.title.is_empty() {
        article.title = title;
    }
    if !body.is_empty() {
        article.body = body;
    }
    Parsed {
        articles: vec![article],
        issues,
    }
}

/// Front matter found at the start of a file.
struct FrontMatter<'a> {
    /// Between the fences.
    content: &'a str,
    toml: bool,
    /// Byte offset of the markdown after the closing fence.
    body_start: usize,
}

/// The front matter block, `Ok(None)` when the file has none, `Err` when it never closes.
fn front_matter(text: &str) -> Result<Option<FrontMatter<'_>>, RecordIssue> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let toml = match text[..first_end].trim_end() {
        "---" => false,
        "+++" => true,
        _ => return Ok(None),
    };
    let content_start = (first_end + 1).min(text.len());
    let mut pos = content_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        let closes = if toml {
            line == "+++"
        } else {
            line == "---" || line == "..."
        };
        if closes {
            return Ok(Some(FrontMatter {
                content: &text[content_start..pos],
                toml,
                body_start: (end + 1).min(text.len()),
            }));
        }
        pos = end + 1;
    }
    Err(RecordIssue {
        line: Some(1),
        reason: "unterminated front matter".to_string(),
    })
}

/// The front matter as a JSON object; problems go to `issues` (and give an empty map).
fn read_front_matter(fm: &FrontMatter, issues: &mut Vec<RecordIssue>) -> Map<String, Value> {
    let value = if fm.toml {
        toml::from_str::<toml::Table>(fm.content)
            .map(|table| toml_to_json(toml::Value::Table(table), 0))
            .map_err(|e| toml_issue(fm.content, &e))
    } else {
        serde_norway::from_str::<serde_norway::Value>(fm.content)
            .map(|value| yaml_to_json(value, 0))
            .map_err(|e| yaml_issue(&e))
    };
    match value {
        Ok(Value::Object(map)) => map,
        Ok(Value::Null) => Map::new(),
        Ok(_) => {
            issues.push(RecordIssue {
                line: Some(2),
                reason: "front matter is not a mapping".to_string(),
            });
            Map::new()
        }
        Err(issue) => {
            issues.push(issue);
            Map::new()
        }
    }
}

/// An issue for a YAML error, with the file line (the front matter starts on line 2).
fn yaml_issue(e: &serde_norway::Error) -> RecordIssue {
    RecordIssue {
        line: Some(e.location().map_or(1, |l| l.line() as u64) + 1),
        reason: format!(
            "invalid YAML front matter: {}",
            without_locations(&e.to_string())
        ),
    }
}

/// An issue for a TOML error, with the file line (the front matter starts on line 2).
fn toml_issue(content: &str, e: &toml::de::Error) -> RecordIssue {
    let offset = e.span().map_or(0, |span| span.start.min(content.len()));
    let line = content.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 2;
    RecordIssue {
        line: Some(line),
        reason: format!(
            "invalid TOML front matter: {}",
            e.message().trim_end_matches('.')
        ),
    }
}

/// `message` without its ` at line N column M` parts (they count from the front matter, not the
/// file; the issue carries the file line).
fn without_locations(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let mut skip = digits(after);
        if after[skip..].starts_with(" column ") {
            skip += " column ".len();
            skip += digits(&after[skip..]);
        }
        rest = &after[skip..];
    }
    out.push_str(rest);
    out.trim_end_matches('.').to_string()
}

/// Length in bytes of the ASCII digits `s` starts with.
fn digits(s: &str) -> usize {
    s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len()
}

/// A YAML value as JSON: non-string keys become strings (or are dropped when complex), tags are
/// ignored, nesting below [`MAX_DEPTH`] becomes null.
fn yaml_to_json(value: serde_norway::Value, depth: usize) -> Value {
    use serde_norway::Value as Y;
    if depth >= MAX_DEPTH {
        return Value::Null;
    }
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => yaml_number(&n),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(|v| yaml_to_json(v, depth + 1))
                .collect(),
        ),
        Y::Mapping(mapping) => {
            let map = mapping
                .into_iter()
                .filter_map(|(k, v)| Some((yaml_key(k)?, yaml_to_json(v, depth + 1))))
                .collect();
            Value::Object(map)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, depth + 1),
    }
}

/// A YAML number as JSON (non-finite floats as their text).
fn yaml_number(n: &serde_norway::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::from(i)
    } else if let Some(u) = n.as_u64() {
        Value::from(u)
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        Number::from_f64(f).map_or_else(|| Value::String(n.to_string()), Value::Number)
    }
}

/// A YAML mapping key as a string, when it is a scalar.
fn yaml_key(key: serde_norway::Value) -> Option<String> {
    use serde_norway::Value as Y;
    match key {
        Y::String(s) => Some(s),
        Y::Number(n) => Some(n.to_string()),
        Y::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A TOML value as JSON: datetimes become their text, nesting below [`MAX_DEPTH`] null.
fn toml_to_json(value: toml::Value, depth: usize) -> Value {
    use toml::Value as T;
    if depth >= MAX_DEPTH {
        return Value::Null;
    }
    match value {
        T::String(s) => Value::String(s),
        T::Integer(i) => Value::from(i),
        T::Float(f) => {
            Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
        }
        T::Boolean(b) => Value::Bool(b),
        T::Datetime(d) => Value::String(d.to_string()),
        T::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| toml_to_json(v, depth + 1))
                .collect(),
        ),
        T::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v, depth + 1)))
                .collect(),
        ),
    }
}

/// The title found in the markdown and the body text. With a `known_title` (from front matter)
/// the returned title is empty, and a leading level-one heading repeating it is dropped.
fn title_and_body(markdown: &str, known_title: &str) -> (String, String) {
    let lines: Vec<&str> = markdown.lines().collect();
    let heading = first_h1(&lines);
    if !known_title.is_empty() {
        let first = lines.iter().position(|l| !l.trim().is_empty());
        return match heading {
            Some((at, len, text))
                if Some(at) == first && text.eq_ignore_ascii_case(known_title) =>
            {
                (String::new(), strip_markdown(&without(&lines, at, len)))
            }
            _ => (String::new(), strip_markdown(markdown)),
        };
    }
    if let Some((at, len, text)) = heading {
        return (text, strip_markdown(&without(&lines, at, len)));
    }
    let body = strip_markdown(markdown);
    let (first, rest) = body.split_once('\n').unwrap_or((&body, ""));
    (clean_line(first), clean_body(rest))
}

/// The first level-one heading outside code fences: (line index, lines it spans, text).
fn first_h1(lines: &[&str]) -> Option<(usize, usize, String)> {
    let mut fence: Option<char> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(marker) = fence_char(line) {
            fence = match fence {
                Some(open) if open == marker => None,
                None => Some(marker),
                other => other,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let atx = line.trim_start().starts_with("# ");
        let setext = !atx
            && !is_thematic_break(line)
            && lines.get(i + 1).is_some_and(|next| is_setext_h1(next));
        let title = if atx || setext {
            non_empty_title(strip_heading(line))
        } else {
            None
        };
        if let Some(title) = title {
            return Some((i, if atx { 1 } else { 2 }, title));
        }
    }
    None
}

/// A heading's text (marks already removed) as a title: inline syntax removed.
fn non_empty_title(text: &str) -> Option<String> {
    let title = clean_line(&inline(text));
    (!title.is_empty()).then_some(title)
}

/// `lines` without `len` lines from `at`, joined.
fn without(lines: &[&str], at: usize, len: usize) -> String {
    let mut kept: Vec<&str> = lines[..at].to_vec();
    kept.extend_from_slice(lines.get(at + len..).unwrap_or(&[]));
    kept.join("\n")
}

/// Markdown text with its syntax lightly removed (see the module docs), cleaned.
fn strip_markdown(markdown: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<char> = None;
    for line in markdown.lines() {
        if let Some(marker) = fence_char(line) {
            fence = match fence {
                Some(open) if open == marker => None,
                None => Some(marker),
                other => other,
            };
            if fence.is_none() || out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        if fence.is_some() {
            out.push(line.to_string());
        } else if is_thematic_break(line) || is_setext_h1(line) {
            out.push(String::new());
        } else if !is_reference_definition(line) {
            out.push(inline(strip_heading(line)));
        }
    }
    clean_body(&out.join("\n"))
}

/// The fence character when `line` opens or closes a code fence (```` ``` ```` or `~~~`).
fn fence_char(line: &str) -> Option<char> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    if trimmed.starts_with("```") {
        Some('`')
    } else if trimmed.starts_with("~~~") {
        Some('~')
    } else {
        None
    }
}

/// `---`, `***`, `___` (three or more, spaces allowed).
fn is_thematic_break(line: &str) -> bool {
    let mut marks = line.chars().filter(|c| !c.is_whitespace());
    let Some(first) = marks.next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    let mut count = 1;
    for c in marks {
        if c != first {
            return false;
        }
        count += 1;
    }
    count >= 3
}

/// A setext level-one underline: two or more `=`.
fn is_setext_h1(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 2 && t.chars().all(|c| c == '=')
}

/// `[id]: http://…` reference definitions.
fn is_reference_definition(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('[')
        && t.find("]:")
            .is_some_and(|i| i > 1 && !t[1..i].contains(['[', ']']))
}

/// A line without its ATX heading marks (`## Title ##` → `Title`).
fn strip_heading(line: &str) -> &str {
    let t = line.trim_start();
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with([' ', '\t'])) {
        let text = t[hashes..].trim();
        let closed = text.trim_end_matches('#');
        if closed.is_empty() || closed.ends_with([' ', '\t']) {
            return closed.trim_end();
        }
        return text;
    }
    line
}

/// Inline syntax removed outside code spans: images, links, emphasis, escapes. Lines longer than
/// [`MAX_INLINE_LINE`] are kept as written.
fn inline(line: &str) -> String {
    if line.len() > MAX_INLINE_LINE {
        return line.to_string();
    }
    line.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                part.to_string()
            } else if part.contains('[') {
                emphasis(&links(&links(part)))
            } else {
                emphasis(part)
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// `[text](url)` and `[text][ref]` → `text`; `![alt](src)` → nothing. One level per call.
fn links(s: &str) -> String {
    let brackets = pairs(s, b'[', b']');
    let parens = pairs(s, b'(', b')');
    let mut out = String::with_capacity(s.len());
    let mut done = 0;
    for &(open, close) in &brackets {
        if open < done {
            continue;
        }
        let target_end = match s.as_bytes().get(close + 1) {
            Some(b'(') => closing(&parens, close + 1),
            Some(b'[') => closing(&brackets, close + 1),
            _ => None,
        };
        let Some(end) = target_end else {
            continue;
        };
        let image = s[..open].ends_with('!') && open > done;
        out.push_str(&s[done..if image { open - 1 } else { open }]);
        if !image {
            out.push_str(&s[open + 1..close]);
        }
        done = end + 1;
    }
    out.push_str(&s[done..]);
    out
}

/// The balanced `(open, close)` bracket pairs of `s`, sorted by `open`. One pass, so any number of
/// stray brackets costs linear time.
fn pairs(s: &str, open: u8, close: u8) -> Vec<(usize, usize)> {
    let mut matched = Vec::new();
    let mut stack = Vec::new();
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b == open {
            stack.push(i);
        } else if b == close {
            if let Some(start) = stack.pop() {
                matched.push((start, i));
            }
        }
    }
    matched.sort_unstable();
    matched
}

/// The close of the pair opening at `open`, if `pairs` has one.
fn closing(pairs: &[(usize, usize)], open: usize) -> Option<usize> {
    pairs
        .binary_search_by_key(&open, |&(o, _)| o)
        .ok()
        .map(|i| pairs[i].1)
}

/// Removes `*`/`_` runs (up to three) that open or close emphasis around words; keeps list bullets,
/// `snake_case`, `2*3` and backslash-escaped characters.
fn emphasis(s: &str) -> String {
    if !s.contains(['*', '_', '\\']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c != '*' && c != '_' {
            out.push(c);
            i += 1;
            continue;
        }
        let end = i + chars[i..].iter().take_while(|&&x| x == c).count();
        let before = i.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(end).copied();
        let opens =
            after.is_some_and(|a| !a.is_whitespace()) && !before.is_some_and(char::is_alphanumeric);
        let closes =
            before.is_some_and(|b| !b.is_whitespace()) && !after.is_some_and(char::is_alphanumeric);
        if end - i > 3 || !(opens || closes) {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Article;

    fn one(text: &str) -> (Article, Vec<RecordIssue>) {
        let parsed = parse(text);
        assert_eq!(parsed.articles.len(), 1);
        (parsed.articles[0].clone(), parsed.issues)
    }

    #[test]
    fn yaml_front_matter() {
        let (a, issues) = one(
            "---\ntitle: \"Hello: world\"\ndate: 2021-03-04\nauthor: [Ann, Bob]\n\
            tags:\n  - politics\n  - uk\nsource: {name: Daily}\nurl: https://x/1\nlang: en\n---\n\n\
            # Hello: world\n\nFirst *para*.\n\nSecond __para__.\n",
        );
        assert!(issues.is_empty());
        assert_eq!(a.record, 1);
        assert_eq!(a.title, "Hello: world");
        assert_eq!(a.date_text.as_deref(), Some("2021-03-04"));
        assert_eq!(a.authors, vec!["Ann", "Bob"]);
        assert_eq!(a.tags, vec!["politics", "uk"]);
        assert_eq!(a.source.as_deref(), Some("Daily"));
        assert_eq!(a.url.as_deref(), Some("https://x/1"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.body, "First para.\n\nSecond para.");
    }

    #[test]
    fn yaml_closed_by_dots_and_odd_keys() {
        let (a, issues) = one(
            "---\n2020: year key\n? [complex]\n: dropped\ntitle: !tagged T\ndate: 2021\n...\nBody",
        );
        assert!(issues.is_empty());
        assert_eq!(a.title, "T");
        assert_eq!(a.date_text.as_deref(), Some("2021"));
        assert_eq!(a.body, "Body");
    }

    #[test]
    fn toml_front_matter() {
        let (a, issues) = one(
            "+++\ntitle = \"T\"\ndate = 2020-01-02T03:04:05Z\ncategories = [\"a\", \"b\"]\n\
            [author]\nname = \"Ann\"\n+++\nText here.\n",
        );
        assert!(issues.is_empty());
        assert_eq!(a.title, "T");
        assert_eq!(a.date_text.as_deref(), Some("2020-01-02T03:04:05Z"));
        assert_eq!(a.tags, vec!["a", "b"]);
        assert_eq!(a.authors, vec!["Ann"]);
        assert_eq!(a.body, "Text here.");
    }

    #[test]
    fn unterminated_front_matter_is_markdown() {
        let (a, issues) = one("---\ntitle: T\n\n# Real title\n\nBody.");
        assert_eq!(
            issues,
            vec![RecordIssue {
                line: Some(1),
                reason: "unterminated front matter".into()
            }]
        );
        assert_eq!(a.title, "Real title");
        assert_eq!(a.body, "title: T\n\nBody.");
        let (_, issues) = one("+++\ntitle = 'x'\n---\n");
        assert_eq!(issues.len(), 1);
    }

    #[test]
    fn invalid_yaml_reports_file_line() {
        let (a, issues) = one("---\ntitle: ok\nbad: [1, 2\n---\n# Head\n\nBody");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].line, Some(4));
        assert!(
            issues[0].reason.starts_with("invalid YAML front matter: "),
            "{issues:?}"
        );
        assert!(!issues[0].reason.contains("at line"), "{issues:?}");
        assert_eq!(a.title, "Head");
        assert_eq!(a.body, "Body");
    }

    #[test]
    fn invalid_toml_reports_file_line() {
        let (a, issues) = one("+++\ntitle = \"T\"\ntitle = \"again\"\n+++\nBody");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].line, Some(3));
        assert_eq!(issues[0].reason, "invalid TOML front matter: duplicate key");
        assert_eq!(a.title, "Body");
    }

    #[test]
    fn non_mapping_front_matter() {
        let (a, issues) = one("---\n- a\n- b\n---\nText");
        assert_eq!(issues[0].reason, "front matter is not a mapping");
        assert_eq!(a.title, "Text");
        let (_, issues) = one("---\n---\nText");
        assert!(issues.is_empty());
    }

    #[test]
    fn title_from_first_h1_anywhere() {
        let (a, _) =
            one("Intro line.\n\n## Sub\n\n# The *Title* #\n\nMore [link](http://x/(y)) here.");
        assert_eq!(a.title, "The Title");
        assert_eq!(a.body, "Intro line.\n\nSub\n\nMore link here.");
        let (a, _) = one("#\n# \n# C# ##\n\nText");
        assert_eq!(a.title, "C#");
        assert_eq!(a.body, "Text");
        let (a, _) = one("Setext Title\n============\n\nText");
        assert_eq!(a.title, "Setext Title");
        assert_eq!(a.body, "Text");
    }

    #[test]
    fn title_from_first_line_without_h1() {
        let (a, _) = one("\n\n## A **sub** head\n\nBody line\n");
        assert_eq!(a.title, "A sub head");
        assert_eq!(a.body, "Body line");
        let (a, _) = one("```\n# not a heading\n```\nplain");
        assert_eq!(a.title, "# not a heading");
    }

    #[test]
    fn front_matter_title_keeps_other_h1() {
        let (a, _) = one("---\ntitle: Front\n---\n# Different\n\nBody");
        assert_eq!(a.title, "Front");
        assert_eq!(a.body, "Different\n\nBody");
    }

    #[test]
    fn front_matter_body_used_when_markdown_empty() {
        let (a, _) = one("---\ntitle: T\ndescription: The summary.\n---\n\n");
        assert_eq!(a.body, "The summary.");
    }

    #[test]
    fn syntax_is_stripped_lightly() {
        let md = "# T\n\nSee ![chart](c.png) and [the report][1] or [![badge](b.svg)](http://ci).\n\n\
            [1]: http://example.com/report\n\n* item _one_\n- item 2*3\n> quoted **bold**\n\n\
            ***\n\n```rust\nlet snake_case = *ptr;\n```\n\nUse `a_b*` and \\*literal\\* and snake_case.\n\n\
            ### Closing ###\n";
        let (a, _) = one(md);
        assert_eq!(
            a.body,
            "See  and the report or .\n\n* item one\n- item 2*3\n> quoted bold\n\n\
             let snake_case = *ptr;\n\nUse `a_b*` and *literal* and snake_case.\n\nClosing"
        );
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let mut hostile: Vec<String> = [
            "---",
            "+++",
            "---\n",
            "---\n---",
            "+++\n+++",
            "---\n: :\n---",
            "---\n&a [*a, *a]\n---",
            "[",
            "![",
            "[](",
            "[x](",
            "[x][",
            "*",
            "_",
            "\\",
            "`",
            "```",
            "#",
            "# ",
            "=",
            "==\n==",
            "---\n\u{0}\n---",
            "+++\na = [[[[\n+++",
            "é*é_é",
            "[é](é)",
            "![é",
            "\\é",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        hostile.push("[".repeat(50_000) + &"]".repeat(10));
        hostile.push("[](".repeat(100_000));
        hostile.push("(".repeat(10) + &"[a](".repeat(10_000));
        hostile.push(format!(
            "---\n{}1{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ));
        hostile.push(format!(
            "+++\na = {}1{}\n+++\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ));
        hostile.push(format!("---\na: {}\n---\n", "&x [".repeat(200)));
        for h in &hostile {
            let _ = parse(h);
        }
        for h in crate::ingest::parse::fields::fuzz_inputs("-+=#*_[]()!`~\\\n :aé") {
            let _ = parse(&h);
        }
    }
}
