//! Field-name mapping: the one place that turns a record of named values (a JSON object, a CSV row,
//! markdown front matter) into an [`Article`], whatever the exporter called its fields.
//!
//! Names are matched after lower-casing and dropping `_`, `-`, `.` and spaces, so `publishedAt`,
//! `published_at` and `Published At` are one name (and a flattened `source.name` is `sourcename`). When several fields feed one article field, a
//! fixed preference decides (`title` over `headline`, `publishedAt` over `created_at`…); null and
//! empty values are skipped as if absent. Authors and tags merge every field that carries them.
//!
//! Values may be strings, numbers, arrays, or objects in the common export shapes: NewsAPI's
//! `{"source": {"id": null, "name": "X"}}`, JSON-LD's `{"author": {"@type": "Person", "name": "X"}}`,
//! WordPress's `{"title": {"rendered": "X"}}`, Mongo's `{"_id": {"$oid": "…"}}`. HTML inside a body
//! (`<p>…</p>` in `content`) is reduced to text with paragraph breaks. Every value loses its control
//! characters (other than `\n` and `\t`); single-line values also get their whitespace collapsed.
//! Nothing here recurses: values are looked into to a fixed depth of two.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use crate::ingest::decode::may_hold_controls;
use crate::model::Article;

/// Which article field a source field feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Body,
    Summary,
    Date,
    Url,
    Source,
    Author,
    Id,
    Tag,
    Lang,
}

/// Normalised field names, the role each feeds and its rank (lower wins).
const NAMES: &[(&str, Role, u8)] = &[
    ("title", Role::Title, 0),
    ("headline", Role::Title, 1),
    ("webtitle", Role::Title, 1),
    ("name", Role::Title, 2),
    ("subject", Role::Title, 3),
    ("articlebody", Role::Body, 0),
    ("body", Role::Body, 1),
    ("bodytext", Role::Body, 1),
    ("fulltext", Role::Body, 2),
    ("content", Role::Body, 3),
    ("text", Role::Body, 4),
    ("article", Role::Body, 5),
    ("story", Role::Body, 6),
    ("description", Role::Summary, 0),
    ("summary", Role::Summary, 1),
    ("abstract", Role::Summary, 2),
    ("excerpt", Role::Summary, 3),
    ("leadparagraph", Role::Summary, 4),
    ("snippet", Role::Summary, 5),
    ("publishedat", Role::Date, 0),
    ("published", Role::Date, 0),
    ("datepublished", Role::Date, 0),
    ("pubdate", Role::Date, 0),
    ("publicationdate", Role::Date, 0),
    ("webpublicationdate", Role::Date, 0),
    ("date", Role::Date, 1),
    ("datecreated", Role::Date, 2),
    ("createdat", Role::Date, 2),
    ("timestamp", Role::Date, 3),
    ("time", Role::Date, 4),
    ("canonicalurl", Role::Url, 0),
    ("url", Role::Url, 1),
    ("weburl", Role::Url, 1),
    ("permalink", Role::Url, 2),
    ("link", Role::Url, 3),
    ("source", Role::Source, 0),
    ("sourcename", Role::Source, 0),
    ("publisher", Role::Source, 1),
    ("publication", Role::Source, 1),
    ("sitename", Role::Source, 2),
    ("site", Role::Source, 3),
    ("outlet", Role::Source, 4),
    ("newspaper", Role::Source, 5),
    ("feed", Role::Source, 6),
    ("domain", Role::Source, 7),
    ("author", Role::Author, 0),
    ("authors", Role::Author, 0),
    ("byline", Role::Author, 0),
    ("creator", Role::Author, 0),
    ("writer", Role::Author, 0),
    ("id", Role::Id, 0),
    ("guid", Role::Id, 1),
    ("uuid", Role::Id, 2),
    ("messageid", Role::Id, 3),
    ("tags", Role::Tag, 0),
    ("keywords", Role::Tag, 0),
    ("section", Role::Tag, 0),
    ("articlesection", Role::Tag, 0),
    ("sectionname", Role::Tag, 0),
    ("category", Role::Tag, 0),
    ("categories", Role::Tag, 0),
    ("topics", Role::Tag, 0),
    ("subjects", Role::Tag, 0),
    ("lang", Role::Lang, 0),
    ("language", Role::Lang, 0),
    ("inlanguage", Role::Lang, 0),
    ("locale", Role::Lang, 0),
];

/// Keys looked up inside an object that stands for a text (WordPress `rendered`, XML-ish `#text`).
const TEXT_KEYS: &[&str] = &[
    "rendered", "main", "value", "#text", "text", "html", "content",
];
/// Keys looked up inside an object that stands for a named thing (publisher, author, tag).
const NAME_KEYS: &[&str] = &["name", "title", "term", "label", "value", "id", "@id"];
/// Keys looked up inside an object that stands for a person (an author's `@id` or `url` is not a
/// name, so unlike [`NAME_KEYS`] ids are not used).
const PERSON_KEYS: &[&str] = &["name", "displayName", "fullName", "title"];
/// Keys looked up inside an object that stands for a tag (NYT keywords are `{"name": "subject",
/// "value": "Politics"}`).
const TAG_KEYS: &[&str] = &["value", "name", "term", "label", "title"];
/// Keys looked up inside an object that stands for a link.
const URL_KEYS: &[&str] = &["href", "url", "@id", "value"];
/// Keys looked up inside an object that stands for an id.
const ID_KEYS: &[&str] = &["$oid", "value", "#text", "id", "@id"];
/// Keys looked up inside an object that stands for a date (Mongo's extended JSON).
const DATE_KEYS: &[&str] = &["$date", "$numberLong", "value", "#text"];
/// Keys looked up inside an object that stands for a language (JSON-LD `Language`).
const LANG_KEYS: &[&str] = &["alternateName", "name", "value"];

/// Maps one record's fields to an article numbered `record`.
///
/// See the module docs for the names recognised. The body is the longest of the body-like fields
/// (`articleBody`, `body`, `bodyText`, `full_text`, `content`, `text`, `article`, `story`); a
/// summary-like field (`description`, `summary`, `abstract`, `excerpt`, `lead_paragraph`,
/// `snippet`) is the body only when none of those has text. `source_id` falls back to the URL when
/// the record has no id of its own, and `source` to the URL's host when it names no source.
pub fn article_from_map(map: &Map<String, Value>, record: u32) -> Article {
    let found = Found::collect(map);
    let url = found.first(Role::Url, |v| named(v, URL_KEYS));
    let source_id = found
        .first(Role::Id, |v| named(v, ID_KEYS))
        .map(|id| strip_angles(&id))
        .or_else(|| url.clone());
    Article {
        record,
        title: found.first(Role::Title, title_of).unwrap_or_default(),
        body: body_of(&found),
        date_text: found.first(Role::Date, |v| named(v, DATE_KEYS)),
        source: found
            .first(Role::Source, |v| named(v, NAME_KEYS))
            .or_else(|| url.as_deref().and_then(url_host)),
        url,
        authors: dedupe(found.all(Role::Author).flat_map(people_of)),
        lang: found.first(Role::Lang, |v| named(v, LANG_KEYS)),
        source_id,
        tags: dedupe(found.all(Role::Tag).flat_map(tags_of)),
    }
}

/// Host of an absolute URL, lower-cased, without `www.`, user or port: the source of an
/// article that names none (`https://en.wikinews.org/wiki/…` → `en.wikinews.org`).
pub fn url_host(u: &str) -> Option<String> {
    let (_, rest) = u.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// Splits a byline into people: `"By Jane Doe and John Roe"`, `"A, B; C & D"`, or a list literal
/// such as `['A', 'B']` (Python) / `["A", "B"]` (JSON) as CSV exports often hold.
///
/// A leading `By ` is dropped from the whole and from each name; whitespace is collapsed; empty
/// names are dropped. "Doe, Jane" (surname first) is read as two names: there is no telling.
pub fn split_people(s: &str) -> Vec<String> {
    if let Some(items) = list_literal(s) {
        return items
            .iter()
            .map(|p| person(p))
            .filter(|p| !p.is_empty())
            .collect();
    }
    let s = strip_prefix_ci(s.trim(), "by ");
    s.split([',', ';'])
        .flat_map(split_and)
        .map(person)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Splits a list of tags or keywords on `,` and `;` (or reads a list literal, see
/// [`split_people`]), trimming each item and dropping empty ones.
pub fn split_list(s: &str) -> Vec<String> {
    let items = match list_literal(s) {
        Some(items) => items,
        None => s.split([',', ';']).map(str::to_string).collect(),
    };
    items
        .iter()
        .map(|t| clean_line(t))
        .filter(|t| !t.is_empty())
        .collect()
}

/// A single-line value: control characters removed, whitespace runs (newlines included) collapsed
/// to one space, trimmed.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c.is_control()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// A multi-line text: control characters other than `\n` and `\t` removed, trailing whitespace cut
/// from every line, whitespace-only lines emptied, runs of blank lines collapsed into one paragraph
/// break (`"\n\n"`), blank lines at either end removed. Leading indentation inside is kept.
pub fn clean_body(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = false;
    for line in s.split('\n') {
        let stray = |c: char| c.is_control() && c != '\t';
        let line: std::borrow::Cow<str> = if may_hold_controls(line) && line.contains(stray) {
            line.chars()
                .filter(|&c| !stray(c))
                .collect::<String>()
                .into()
        } else {
            line.into()
        };
        let line = line.trim_end();
        if line.is_empty() {
            blank_run = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run { "\n\n" } else { "\n" });
        }
        blank_run = false;
        out.push_str(line);
    }
    let lead = out.len() - out.trim_start().len();
    out.split_off(lead)
}

/// The record's fields sorted by role and rank.
struct Found<'a> {
    fields: Vec<(Role, u8, &'a Value)>,
}

impl<'a> Found<'a> {
    fn collect(map: &'a Map<String, Value>) -> Self {
        let mut fields: Vec<(Role, u8, &Value)> = map
            .iter()
            .filter_map(|(key, value)| role_of(key).map(|(role, rank)| (role, rank, value)))
            .collect();
        fields.sort_by_key(|&(_, rank, _)| rank);
        Found { fields }
    }

    /// Every value feeding `role`, best rank first.
    fn all(&self, role: Role) -> impl Iterator<Item = &'a Value> + '_ {
        self.fields
            .iter()
            .filter(move |(r, _, _)| *r == role)
            .map(|&(_, _, v)| v)
    }

    /// The best-ranked value feeding `role` that `extract` finds something in.
    fn first(&self, role: Role, extract: impl Fn(&Value) -> Option<String>) -> Option<String> {
        self.all(role).find_map(extract)
    }
}

/// The role and rank of a field name, if it is one of [`NAMES`].
fn role_of(key: &str) -> Option<(Role, u8)> {
    // Every record repeats its keys: normalise short ASCII ones on the stack, not in a String.
    let mut buffer = [0u8; 32];
    let mut len = 0;
    for b in key.bytes() {
        if matches!(b, b'_' | b'-' | b' ' | b'.') {
            continue;
        }
        if !b.is_ascii() || len == buffer.len() {
            return role_of_name(&normalised_key(key));
        }
        buffer[len] = b.to_ascii_lowercase();
        len += 1;
    }
    role_of_name(std::str::from_utf8(&buffer[..len]).unwrap_or_default())
}

/// `key` lower-cased without `_`, `-`, spaces and dots: `published_at` → `publishedat`.
fn normalised_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn role_of_name(name: &str) -> Option<(Role, u8)> {
    static BY_NAME: LazyLock<FxHashMap<&'static str, (Role, u8)>> = LazyLock::new(|| {
        NAMES
            .iter()
            .map(|&(name, role, rank)| (name, (role, rank)))
            .collect()
    });
    BY_NAME.get(name).copied()
}

/// The body: the longest body-like text, else the best summary-like one.
fn body_of(found: &Found) -> String {
    let longest = found
        .all(Role::Body)
        .filter_map(long_text)
        .fold(None::<String>, |best, text| match best {
            Some(b) if b.len() >= text.len() => Some(b),
            _ => Some(text),
        });
    longest
        .or_else(|| found.first(Role::Summary, long_text))
        .unwrap_or_default()
}

/// A multi-line text value: a string (HTML reduced to text), an array of paragraphs, or an object
/// holding the text under one of [`TEXT_KEYS`].
fn long_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => html_or_text(s),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            clean_body(&parts.join("\n\n"))
        }
        Value::Object(obj) => TEXT_KEYS
            .iter()
            .find_map(|k| obj.get(*k).and_then(scalar_text))
            .unwrap_or_default(),
        _ => String::new(),
    };
    non_empty(text)
}

/// A string (or number) as a body paragraph.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => non_empty(html_or_text(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A title: a string, or a text object (`{"rendered": "…"}`); HTML and entities resolved.
fn title_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::Object(obj) => TEXT_KEYS
            .iter()
            .find_map(|k| obj.get(*k).and_then(scalar_text)),
        Value::Array(items) => items.iter().find_map(scalar_text),
        other => scalar_text(other),
    }?;
    non_empty(clean_line(&text))
}

/// A single-line value: a string or number; an object's first non-empty value under `keys`; the
/// first element of an array that yields one.
fn named(value: &Value, keys: &[&str]) -> Option<String> {
    match value {
        Value::Array(items) => items.iter().find_map(|item| named_shallow(item, keys)),
        other => named_shallow(other, keys),
    }
}

/// [`named`] without looking into arrays.
fn named_shallow(value: &Value, keys: &[&str]) -> Option<String> {
    match value {
        Value::Object(obj) => keys.iter().find_map(|k| obj.get(*k).and_then(scalar_line)),
        other => scalar_line(other),
    }
}

/// A string or number as a cleaned single line; `None` when empty or of another type.
fn scalar_line(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => non_empty(clean_line(&decode_entities(s))),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Authors from a string (split), an array of strings or person objects, or one person object.
fn people_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => split_people(&decode_entities(s)),
        Value::Array(items) => items
            .iter()
            .filter_map(|item| named_shallow(item, PERSON_KEYS))
            .map(|p| person(&p))
            .filter(|p| !p.is_empty())
            .collect(),
        Value::Object(obj) => match obj.get("original").and_then(Value::as_str) {
            Some(byline) => split_people(&decode_entities(byline)),
            None => named_shallow(value, PERSON_KEYS)
                .map(|p| person(&p))
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect(),
        },
        other => scalar_line(other).map(|p| person(&p)).into_iter().collect(),
    }
}

/// Tags from a string (split on `,`/`;`), an array of strings or objects, or one object.
fn tags_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => split_list(&decode_entities(s)),
        Value::Array(items) => items
            .iter()
            .filter_map(|item| named_shallow(item, TAG_KEYS))
            .collect(),
        other => named_shallow(other, TAG_KEYS).into_iter().collect(),
    }
}

/// One person's name: whitespace collapsed, a leading `By ` / `and ` / `& ` dropped.
fn person(s: &str) -> String {
    let s = clean_line(s);
    let s = strip_prefix_ci(&s, "by ");
    let s = strip_prefix_ci(s, "and ");
    s.strip_prefix("& ").unwrap_or(s).trim().to_string()
}

/// Splits on the words ` and ` (any case) and ` & `.
fn split_and(part: &str) -> Vec<&str> {
    let lower = part.as_bytes().to_ascii_lowercase();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < lower.len() {
        let sep = [" and ", " & "]
            .iter()
            .find(|sep| lower[i..].starts_with(sep.as_bytes()))
            .map(|sep| sep.len());
        match sep {
            Some(len) => {
                out.push(&part[start..i]);
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.push(&part[start..]);
    out
}

/// `s` without a leading ASCII `prefix`, compared case-insensitively.
fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> &'s str {
    match s.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &s[prefix.len()..],
        _ => s,
    }
}

/// The items of `['a', 'b']` or `["a", "b"]`, when `s` is such a list literal.
fn list_literal(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('[')?.strip_suffix(']')?;
    if let Ok(items) = serde_json::from_str::<Vec<String>>(s.trim()) {
        return Some(items);
    }
    let items: Vec<&str> = inner.split(',').map(str::trim).collect();
    let quoted = |t: &&str| {
        t.len() >= 2
            && ((t.starts_with('\'') && t.ends_with('\''))
                || (t.starts_with('"') && t.ends_with('"')))
    };
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    if !items.iter().all(quoted) {
        return None;
    }
    Some(
        items
            .iter()
            .map(|t| t[1..t.len() - 1].to_string())
            .collect(),
    )
}

/// An id without the angle brackets of `<id@host>` (Message-ID style).
fn strip_angles(id: &str) -> String {
    id.trim()
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(id)
        .trim()
        .to_string()
}

/// Drops duplicates (ignoring case), keeping the first spelling and the order.
fn dedupe(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .filter(|item| seen.insert(item.to_lowercase()))
        .collect()
}

fn non_empty(s: String) -> Option<String> {
    if s.trim().is_empty() {
        None
    } else {
        Some(s)
    }
}

// ---- HTML inside a field ----

/// Tag names that mark a string as HTML; the first group also breaks paragraphs.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "table",
    "tr",
    "pre",
    "hr",
    "aside",
    "main",
    "dl",
    "dt",
    "dd",
];
const INLINE_TAGS: &[&str] = &[
    "a", "b", "i", "u", "em", "strong", "span", "br", "img", "td", "th", "sup", "sub", "small",
    "code", "iframe", "script", "style", "noscript", "picture", "source", "video", "abbr", "cite",
    "time", "font", "mark", "q", "s",
];
/// How far a tag may reach before `<` is taken as a plain character.
const MAX_TAG_LEN: usize = 2048;

/// `s` as text: HTML reduced to text when it looks like HTML, entities decoded, cleaned.
fn html_or_text(s: &str) -> String {
    if looks_like_html(s) {
        clean_body(&decode_entities(&strip_tags(s)))
    } else {
        clean_body(&decode_entities(s))
    }
}

/// How many tag-like candidates [`looks_like_html`] examines before giving up.
const MAX_CANDIDATES: usize = 64;

/// True when `s` contains a well-formed known tag: `<p>`, `<br/>`, `</div>`, `<a href="…">`.
/// `<b and c>` in prose does not count (attributes need an `=`).
fn looks_like_html(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut candidates = 0;
    for (i, _) in s.match_indices('<') {
        let Some(name) = tag_at(&bytes[i + 1..]) else {
            continue;
        };
        if !BLOCK_TAGS.contains(&name.as_str()) && !INLINE_TAGS.contains(&name.as_str()) {
            continue;
        }
        if well_formed(&bytes[i..]) {
            return true;
        }
        candidates += 1;
        if candidates >= MAX_CANDIDATES {
            return false;
        }
    }
    false
}

/// True when the tag starting `tag` (at its `<`) closes with `>` soon, right after its name or
/// after attributes that include an `=`.
fn well_formed(tag: &[u8]) -> bool {
    let window = &tag[..tag.len().min(256)];
    let Some(end) = window.iter().position(|&b| b == b'>') else {
        return false;
    };
    let inner = &window[1..end];
    let name_end = inner
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(inner.len());
    name_end == inner.len() || inner[name_end..].contains(&b'=') || inner.ends_with(b"/")
}

/// The lower-case name of the tag whose text (after `<`) starts `rest`, when it is a tag.
fn tag_at(rest: &[u8]) -> Option<String> {
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    let len = rest
        .iter()
        .take(16)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let after = rest.get(len).copied();
    let ends_name = matches!(after, Some(b'>' | b'/' | b' ' | b'\t' | b'\n'));
    if len == 0 || !rest[0].is_ascii_alphabetic() || !ends_name {
        return None;
    }
    Some(String::from_utf8_lossy(&rest[..len]).to_ascii_lowercase())
}

/// Removes tags, comments, scripts and styles; block tags become paragraph breaks, `<br>` a line
/// break, `<td>`/`<th>` a space. Source whitespace collapses as a browser would. Linear time.
fn strip_tags(s: &str) -> String {
    let mut stripper = Stripper {
        s,
        lower: s.to_ascii_lowercase(),
        next_gt: 0,
        out: String::with_capacity(s.len()),
    };
    let mut i = 0;
    while let Some(off) = s[i..].find('<') {
        push_collapsed(&mut stripper.out, &s[i..i + off]);
        i = stripper.markup(i + off);
    }
    push_collapsed(&mut stripper.out, &s[i..]);
    stripper.out
}

/// State of [`strip_tags`].
struct Stripper<'s> {
    s: &'s str,
    /// `s` with ASCII lower-cased: same byte offsets.
    lower: String,
    /// Offset of the next `>` at or after the last search (`s.len()` when none): each byte is
    /// searched once, so stray `<`s cannot make the work quadratic.
    next_gt: usize,
    out: String,
}

impl Stripper<'_> {
    /// Handles the markup starting at `start` (a `<`): writes its effect and returns where the text
    /// resumes.
    fn markup(&mut self, start: usize) -> usize {
        let (s, bytes) = (self.s, self.s.as_bytes());
        if self.lower[start..].starts_with("<!--") {
            return self.lower[start..]
                .find("-->")
                .map_or(s.len(), |e| start + e + 3);
        }
        let name = tag_at(&bytes[start + 1..])
            .or_else(|| matches!(bytes.get(start + 1), Some(b'!' | b'?')).then(String::new));
        let end = self.gt_after(start);
        let Some(name) = name.filter(|_| end < s.len() && end - start <= MAX_TAG_LEN) else {
            self.out.push('<');
            return start + 1;
        };
        let after = end + 1;
        let closing = bytes.get(start + 1) == Some(&b'/');
        if !closing && (name == "script" || name == "style") {
            return self.skip_element(&name, after);
        }
        if BLOCK_TAGS.contains(&name.as_str()) {
            self.out.push_str("\n\n");
        } else if name == "br" {
            self.out.push('\n');
        } else if name == "td" || name == "th" {
            self.out.push(' ');
        }
        after
    }

    /// Offset of the first `>` after `start`, or the text's length.
    fn gt_after(&mut self, start: usize) -> usize {
        if self.next_gt <= start {
            let from = start.max(self.next_gt);
            self.next_gt = self.s.as_bytes()[from..]
                .iter()
                .position(|&b| b == b'>')
                .map_or(self.s.len(), |p| from + p);
        }
        self.next_gt
    }

    /// Skips a script or style element's content up to past its closing tag.
    fn skip_element(&self, name: &str, from: usize) -> usize {
        let close = format!("</{name}");
        self.lower[from..]
            .find(&close)
            .and_then(|c| self.lower[from + c..].find('>').map(|e| from + c + e + 1))
            .unwrap_or(self.s.len())
    }
}

/// Appends `text` with whitespace runs collapsed to one space (HTML source whitespace).
fn push_collapsed(out: &mut String, text: &str) {
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if space && !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// Named entities decoded besides the numeric ones.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("euro", "€"),
    ("pound", "£"),
    ("deg", "°"),
    ("middot", "·"),
    ("bull", "•"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("aacute", "á"),
    ("oacute", "ó"),
    ("iacute", "í"),
    ("uacute", "ú"),
    ("ntilde", "ñ"),
    ("uuml", "ü"),
    ("ouml", "ö"),
    ("auml", "ä"),
    ("ccedil", "ç"),
    ("szlig", "ß"),
];

/// Decodes `&name;`, `&#123;` and `&#x1F;` entities; anything else is left as written.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let window = &rest.as_bytes()[1..rest.len().min(12)];
        let entity = window
            .iter()
            .position(|&b| b == b';')
            .map(|semi| &rest[1..1 + semi])
            .and_then(|name| entity_char(name).map(|c| (c, name.len() + 2)));
        match entity {
            Some((text, len)) => {
                out.push_str(&text);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The text an entity name (between `&` and `;`) stands for.
fn entity_char(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    ENTITIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (*t).to_string())
}

/// Deterministic pseudo-random strings over `alphabet` for the parsers' no-panic tests.
#[cfg(test)]
pub(crate) fn fuzz_inputs(alphabet: &str) -> Vec<String> {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..2000)
        .map(|_| {
            let len = (next() % 40) as usize;
            (0..len)
                .map(|_| chars[(next() % chars.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_names_match_however_they_are_spelled() {
        for &(name, role, rank) in NAMES {
            let upper = name.to_uppercase();
            let spaced = format!("{}_{}", &name[..1], &name[1..]);
            for key in [name.to_string(), upper, spaced, format!("-{name}.")] {
                assert_eq!(role_of(&key), Some((role, rank)), "{key}");
            }
        }
        assert_eq!(role_of("Published_At"), role_of("publishedat"));
        assert_eq!(role_of("TİTLE"), role_of_name(&normalised_key("TİTLE")));
        assert_eq!(role_of(&"x".repeat(40)), None);
        assert_eq!(role_of("unknown"), None);
    }

    fn art(v: Value) -> Article {
        match v {
            Value::Object(map) => article_from_map(&map, 7),
            _ => panic!("test input must be an object"),
        }
    }

    #[test]
    fn plain_names() {
        let a = art(
            json!({"title": " T ", "body": " B ", "date": "2020-01-02", "url": "http://x/1",
            "source": "Reuters", "author": "Jane Doe", "id": "42", "tags": "a, b", "lang": "en"}),
        );
        assert_eq!(a.record, 7);
        assert_eq!(a.title, "T");
        assert_eq!(a.body, "B");
        assert_eq!(a.date_text.as_deref(), Some("2020-01-02"));
        assert_eq!(a.url.as_deref(), Some("http://x/1"));
        assert_eq!(a.source.as_deref(), Some("Reuters"));
        assert_eq!(a.authors, vec!["Jane Doe"]);
        assert_eq!(a.source_id.as_deref(), Some("42"));
        assert_eq!(a.tags, vec!["a", "b"]);
        assert_eq!(a.lang.as_deref(), Some("en"));
    }

    #[test]
    fn names_ignore_case_underscore_dash_space() {
        let a = art(
            json!({"HEADLINE": "H", "Article_Body": "x", "Published-At": "d",
            "Canonical URL": "u", "Site_Name": "s", "Message-ID": "<m@h>", "InLanguage": "fr"}),
        );
        assert_eq!(a.title, "H");
        assert_eq!(a.body, "x");
        assert_eq!(a.date_text.as_deref(), Some("d"));
        assert_eq!(a.url.as_deref(), Some("u"));
        assert_eq!(a.source.as_deref(), Some("s"));
        assert_eq!(a.source_id.as_deref(), Some("m@h"));
        assert_eq!(a.lang.as_deref(), Some("fr"));
    }

    #[test]
    fn title_variants_and_preference() {
        assert_eq!(art(json!({"name": "N"})).title, "N");
        assert_eq!(art(json!({"subject": "S"})).title, "S");
        assert_eq!(art(json!({"subject": "S", "headline": "H"})).title, "H");
        assert_eq!(art(json!({"headline": "H", "title": "T"})).title, "T");
        assert_eq!(art(json!({"title": null, "headline": "H"})).title, "H");
        assert_eq!(art(json!({"title": "  ", "headline": "H"})).title, "H");
        assert_eq!(art(json!({"title": "a\n  b\tc"})).title, "a b c");
    }

    #[test]
    fn body_variants() {
        for key in [
            "body",
            "text",
            "content",
            "article",
            "articleBody",
            "article_body",
            "full_text",
            "story",
            "description",
        ] {
            assert_eq!(art(json!({ key: "the text" })).body, "the text", "{key}");
        }
    }

    #[test]
    fn body_beats_description_and_longest_body_wins() {
        let a = art(json!({"description": "a much longer summary than the body", "body": "short"}));
        assert_eq!(a.body, "short");
        let a = art(
            json!({"content": "truncated… [+123 chars]", "text": "the full text, longer than the rest"}),
        );
        assert_eq!(a.body, "the full text, longer than the rest");
        let a = art(json!({"body": "", "description": "D"}));
        assert_eq!(a.body, "D");
        assert_eq!(art(json!({"summary": "S"})).body, "S");
    }

    #[test]
    fn body_keeps_paragraphs_and_drops_controls() {
        let a = art(json!({"body": "\n\nOne\u{0007} line\nnext   \n \n\n\nTwo\u{0000}\n\n"}));
        assert_eq!(a.body, "One line\nnext\n\nTwo");
        let a = art(json!({"body": ["p1", "p2", null, 3]}));
        assert_eq!(a.body, "p1\n\np2\n\n3");
    }

    #[test]
    fn html_body_is_stripped() {
        let a = art(
            json!({"content": "<div><p>First &amp; <b>bold</b>\n  para.</p><p>Second&nbsp;one&#8217;s<br>line</p>\
            <script>var x = '<p>';</script><!-- c --><style>p{}</style><p>3 &lt; 4</p></div>"}),
        );
        assert_eq!(a.body, "First & bold para.\n\nSecond one’s\nline\n\n3 < 4");
    }

    #[test]
    fn text_with_angle_brackets_is_not_html() {
        let a = art(json!({"body": "if a <b and c> d then x"}));
        assert_eq!(a.body, "if a <b and c> d then x");
        let a = art(json!({"body": "<p>a < b and a<3</p>"}));
        assert_eq!(a.body, "a < b and a<3");
        let a = art(json!({"body": "<p>unclosed <b tag"}));
        assert_eq!(a.body, "unclosed <b tag");
    }

    #[test]
    fn wordpress_rendered_objects() {
        let a = art(json!({"title": {"rendered": "Hello &#8211; world"},
            "content": {"rendered": "<p>Body</p>", "protected": false},
            "excerpt": {"rendered": "<p>Ex</p>"}, "link": "https://x/p"}));
        assert_eq!(a.title, "Hello – world");
        assert_eq!(a.body, "Body");
        assert_eq!(a.url.as_deref(), Some("https://x/p"));
    }

    #[test]
    fn newsapi_style() {
        let a = art(
            json!({"source": {"id": null, "name": "BBC News"}, "author": "A, B",
            "title": "T", "description": "D", "url": "https://bbc/1", "urlToImage": "i",
            "publishedAt": "2024-01-01T10:00:00Z", "content": "C… [+100 chars]"}),
        );
        assert_eq!(a.source.as_deref(), Some("BBC News"));
        assert_eq!(a.authors, vec!["A", "B"]);
        assert_eq!(a.date_text.as_deref(), Some("2024-01-01T10:00:00Z"));
        assert_eq!(a.body, "C… [+100 chars]");
        assert_eq!(a.source_id.as_deref(), Some("https://bbc/1"));
        let a = art(json!({"source": {"id": "bbc-news", "name": null}}));
        assert_eq!(a.source.as_deref(), Some("bbc-news"));
    }

    #[test]
    fn json_ld_style() {
        let a = art(
            json!({"@type": "NewsArticle", "headline": "H", "articleBody": "B",
            "datePublished": "2020", "dateModified": "2021",
            "author": [{"@type": "Person", "name": "Ann"}, {"@type": "Person", "name": "Bob"}],
            "publisher": {"@type": "Organization", "name": "Pub"},
            "inLanguage": {"@type": "Language", "name": "English", "alternateName": "en"},
            "articleSection": "World", "keywords": ["x", "y"]}),
        );
        assert_eq!(a.title, "H");
        assert_eq!(a.authors, vec!["Ann", "Bob"]);
        assert_eq!(a.source.as_deref(), Some("Pub"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.date_text.as_deref(), Some("2020"));
        let mut tags = a.tags.clone();
        tags.sort();
        assert_eq!(tags, vec!["World", "x", "y"]);
        let a = art(json!({"author": {"@type": "Person", "name": "Solo"}}));
        assert_eq!(a.authors, vec!["Solo"]);
    }

    #[test]
    fn date_preference_and_numbers() {
        let a = art(json!({"timestamp": 1, "created_at": "c", "published": "p"}));
        assert_eq!(a.date_text.as_deref(), Some("p"));
        let a = art(json!({"timestamp": 1, "created_at": "c"}));
        assert_eq!(a.date_text.as_deref(), Some("c"));
        let a = art(json!({"time": "t", "timestamp": 1700000000}));
        assert_eq!(a.date_text.as_deref(), Some("1700000000"));
        let a = art(json!({"pubDate": "Mon, 01 Jan 2024", "date": "x"}));
        assert_eq!(a.date_text.as_deref(), Some("Mon, 01 Jan 2024"));
        let a = art(json!({"dateCreated": 1.5}));
        assert_eq!(a.date_text.as_deref(), Some("1.5"));
        let a = art(json!({"date": {"$date": "2020-01-01T00:00:00Z"}}));
        assert_eq!(a.date_text.as_deref(), Some("2020-01-01T00:00:00Z"));
        assert_eq!(art(json!({"date": true})).date_text, None);
    }

    #[test]
    fn url_variants() {
        assert_eq!(art(json!({"link": "l"})).url.as_deref(), Some("l"));
        assert_eq!(
            art(json!({"permalink": "p", "link": "l"})).url.as_deref(),
            Some("p")
        );
        assert_eq!(
            art(json!({"url": "u", "canonical_url": "c"}))
                .url
                .as_deref(),
            Some("c")
        );
        assert_eq!(
            art(json!({"link": [{"href": "h"}]})).url.as_deref(),
            Some("h")
        );
        assert_eq!(
            art(json!({"url": "http://x/?a=1&amp;b=2"})).url.as_deref(),
            Some("http://x/?a=1&b=2")
        );
    }

    #[test]
    fn source_falls_back_to_the_url_host() {
        let a = art(json!({"url": "https://www.Example.org:8080/a?b", "text": "t"}));
        assert_eq!(a.source.as_deref(), Some("example.org"));
        let a = art(json!({"url": "https://x.org/a", "source": "S"}));
        assert_eq!(a.source.as_deref(), Some("S"));
        for url in ["/relative/path", "https://", "not a url"] {
            assert_eq!(art(json!({ "url": url })).source, None, "{url}");
        }
    }

    #[test]
    fn source_variants() {
        for key in [
            "publisher",
            "site",
            "site_name",
            "outlet",
            "domain",
            "newspaper",
            "feed",
        ] {
            assert_eq!(
                art(json!({ key: "S" })).source.as_deref(),
                Some("S"),
                "{key}"
            );
        }
        assert_eq!(
            art(json!({"domain": "d.com", "source": "S"}))
                .source
                .as_deref(),
            Some("S")
        );
        assert_eq!(
            art(json!({"publisher": {"title": "T"}})).source.as_deref(),
            Some("T")
        );
        assert_eq!(
            art(json!({"publisher": {"@id": "https://p"}}))
                .source
                .as_deref(),
            Some("https://p")
        );
    }

    #[test]
    fn author_strings_are_split() {
        let a = art(json!({"byline": "By Jane Doe and John Roe"}));
        assert_eq!(a.authors, vec!["Jane Doe", "John Roe"]);
        let a = art(json!({"authors": "A; B & C, and D"}));
        assert_eq!(a.authors, vec!["A", "B", "C", "D"]);
        let a = art(json!({"creator": "BY ANN"}));
        assert_eq!(a.authors, vec!["ANN"]);
        let a = art(json!({"writer": "Sandy Anderson"}));
        assert_eq!(a.authors, vec!["Sandy Anderson"]);
    }

    #[test]
    fn author_arrays_and_merging() {
        let a = art(json!({"authors": ["By Ann Lee", "Bob, Jr", ""], "byline": "ann lee"}));
        assert_eq!(a.authors, vec!["Ann Lee", "Bob, Jr"]);
        let a = art(json!({"authors": "['Ann Lee', 'Bob Poe']"}));
        assert_eq!(a.authors, vec!["Ann Lee", "Bob Poe"]);
        let a = art(json!({"authors": "[\"Ann\", \"Bob\"]"}));
        assert_eq!(a.authors, vec!["Ann", "Bob"]);
        assert!(art(json!({"author": null})).authors.is_empty());
        assert!(art(json!({"author": {"@type": "Person"}}))
            .authors
            .is_empty());
        let a = art(json!({"author": [{"@id": "https://x/ann"}, {"displayName": "Cy"}]}));
        assert_eq!(a.authors, vec!["Cy"]);
    }

    #[test]
    fn id_variants_and_fallback() {
        assert_eq!(
            art(json!({"guid": "g", "url": "u"})).source_id.as_deref(),
            Some("g")
        );
        assert_eq!(
            art(json!({"_id": {"$oid": "abc"}})).source_id.as_deref(),
            Some("abc")
        );
        assert_eq!(
            art(json!({"uuid": "u-1"})).source_id.as_deref(),
            Some("u-1")
        );
        assert_eq!(art(json!({"id": 123})).source_id.as_deref(), Some("123"));
        assert_eq!(
            art(json!({"message_id": "<a@b>"})).source_id.as_deref(),
            Some("a@b")
        );
        assert_eq!(
            art(json!({"id": "", "link": "l"})).source_id.as_deref(),
            Some("l")
        );
        assert_eq!(art(json!({"title": "x"})).source_id, None);
    }

    #[test]
    fn tags_merge_and_dedupe() {
        let a = art(
            json!({"tags": ["Politics", "UK"], "keywords": "UK; economy, ,",
            "section": {"name": "News"}, "categories": [{"term": "Politics"}, {"label": "Z"}],
            "topics": "x", "subjects": ["y"], "category": "c"}),
        );
        let mut tags = a.tags.clone();
        tags.sort();
        assert_eq!(
            tags,
            vec!["News", "Politics", "UK", "Z", "c", "economy", "x", "y"]
        );
        let a = art(json!({"tags": "a, b, a"}));
        assert_eq!(a.tags, vec!["a", "b"]);
    }

    #[test]
    fn nyt_and_guardian_shapes() {
        let a = art(
            json!({"headline": {"main": "Main head", "kicker": "K"}, "web_url": "https://nyt/1",
            "lead_paragraph": "Lead.", "byline": {"original": "By Ann Lee and Bob Poe", "person": []},
            "keywords": [{"name": "subject", "value": "Elections"}], "pub_date": "2020-11-04T00:00:00+0000",
            "_id": "nyt://article/1"}),
        );
        assert_eq!(a.title, "Main head");
        assert_eq!(a.url.as_deref(), Some("https://nyt/1"));
        assert_eq!(a.body, "Lead.");
        assert_eq!(a.authors, vec!["Ann Lee", "Bob Poe"]);
        assert_eq!(a.tags, vec!["Elections"]);
        assert_eq!(a.date_text.as_deref(), Some("2020-11-04T00:00:00+0000"));
        assert_eq!(a.source_id.as_deref(), Some("nyt://article/1"));
        let a = art(
            json!({"webTitle": "G", "webUrl": "https://g/1", "sectionName": "World news",
            "webPublicationDate": "2021-01-01T00:00:00Z", "id": "world/2021/x"}),
        );
        assert_eq!(a.title, "G");
        assert_eq!(a.url.as_deref(), Some("https://g/1"));
        assert_eq!(a.tags, vec!["World news"]);
        assert_eq!(a.source_id.as_deref(), Some("world/2021/x"));
    }

    #[test]
    fn lang_variants() {
        for key in ["lang", "language", "locale", "inLanguage"] {
            assert_eq!(
                art(json!({ key: "de" })).lang.as_deref(),
                Some("de"),
                "{key}"
            );
        }
    }

    #[test]
    fn unknown_and_empty_values_ignored() {
        let a = art(json!({"foo": "bar", "title": [], "body": {}, "url": "", "source": [null]}));
        assert_eq!(
            a,
            Article {
                record: 7,
                ..Default::default()
            }
        );
    }

    #[test]
    fn controls_removed_everywhere() {
        let a = art(json!({"title": "a\u{1b}[0mb", "source": "S\u{0}", "tags": "t\u{7}"}));
        assert_eq!(a.title, "a[0mb");
        assert_eq!(a.source.as_deref(), Some("S"));
        assert_eq!(a.tags, vec!["t"]);
    }

    #[test]
    fn split_helpers() {
        assert_eq!(split_people("  "), Vec::<String>::new());
        assert_eq!(split_people("by A / B"), vec!["A / B"]);
        assert_eq!(split_list("a;b , c"), vec!["a", "b", "c"]);
        assert_eq!(split_list("[]"), Vec::<String>::new());
        assert_eq!(split_list("[a, b]"), vec!["[a", "b]"]);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &#65;&#x42; &bogus; &"),
            "a & b AB &bogus; &"
        );
        assert_eq!(
            decode_entities("&#xFFFFFFFF; &#; &é;"),
            "&#xFFFFFFFF; &#; &é;"
        );
    }

    #[test]
    fn hostile_values_do_not_panic() {
        let hostile = [
            "<",
            "<<<<<<",
            "<p",
            "</",
            "<!--",
            "<script>",
            "<script",
            "&",
            "&#",
            "&#x;",
            "&#999999999;",
            "[",
            "[]",
            "['",
            "[\"]",
            "é<é>é",
            "<é",
            "&é;",
            "By ",
            "by",
            " and ",
            "&&&&",
            "<p>\u{0}</p>",
            "<!---->",
            "<style>x</style",
            "\u{feff}<br/>",
        ];
        for h in hostile {
            let a = art(json!({"title": h, "body": h, "author": h, "tags": h, "url": h, "id": h}));
            assert!(!a.body.contains('\u{0}'), "{h:?}");
        }
        for h in fuzz_inputs("<>/!-&#;xp ab\n\u{0}é[]'\",") {
            let _ = art(json!({"title": h, "body": h, "author": h, "tags": h}));
            let _ = split_people(&h);
            let _ = split_list(&h);
        }
        let big = "<".repeat(100_000) + &"<a".repeat(50_000) + &"&".repeat(50_000);
        let a = art(json!({"body": big}));
        assert!(!a.body.is_empty());
        let big = "<p>".to_string() + &"<b x ".repeat(100_000) + &"<!--".repeat(1000);
        let a = art(json!({"body": big}));
        assert!(a.body.starts_with("<b x"));
    }
}
