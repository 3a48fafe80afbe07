//! Plain text: one article per file, optionally opened by an RFC 822 style header block (`Key:
//! value` lines, as in Usenet posts, mail, or hand-written notes).
//!
//! A header block is the run of `Key: value` lines at the very start of the text, ended by a
//! blank line or the end of the text. Keys are RFC 5322 field names (printable ASCII without
//! spaces or colons, such as `Article-I.D.`, at most 40 characters); lines starting with
//! whitespace continue the previous value. It only counts when at least one key is recognised
//! (see [`KNOWN_KEYS`]), so a first line such as `Note: this…` or a headline `Kilroy: I'll not
//! be pushed` stays text. Unrecognised keys of a real block are dropped with it.
//!
//! Header mapping:
//! - `Title`, else `Subject` (kept as written, `Re:` included) → title; `Date` → raw date;
//! - `Source`, else the first group of `Newsgroups`, else `Organization`, else the URL's host →
//!   source (the newsgroup is what a Usenet reader filters by; an organisation is the poster's
//!   employer, not the outlet); every newsgroup also becomes a tag;
//! - `URL`/`Link` → url; `Message-ID` (without `<>`) → id, else the url;
//! - `Author`, `Authors`, `By`, `Byline` → authors, else the name in `From` (`jdoe@x (John Doe)`
//!   and `John Doe <jdoe@x>` give `John Doe`, a bare address gives the address);
//! - `Language`/`Lang` → lang; `Tags`, `Keywords`, `Category`, `Section` → tags.
//!
//! The title is the header's, else the first non-empty line. The body is the rest, with blank
//! lines at either end removed and runs of blank lines kept as one paragraph break; quoted lines
//! (`> …`) and indentation inside are kept as written.

use super::fields::{clean_body, clean_line, split_list, split_people, url_host};
use super::Parsed;
use crate::model::Article;

/// Header keys (lower-case) that make a leading `Key: value` block a header block.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "subject",
    "date",
    "source",
    "newsgroups",
    "organization",
    "organisation",
    "url",
    "link",
    "author",
    "authors",
    "from",
    "by",
    "byline",
    "message-id",
    "language",
    "lang",
    "tags",
    "keywords",
    "category",
    "section",
];

/// Longest header key accepted.
const MAX_KEY_LEN: usize = 40;

/// Parses a text article. Always returns exactly one article, record 1; an empty or blank text
/// gives an empty article (the caller skips it).
pub fn parse(text: &str) -> Parsed {
    let (headers, rest) = match header_block(text) {
        Some(block) => (block.fields, &text[block.body_start..]),
        None => (Vec::new(), text),
    };
    let mut article = from_headers(&headers);
    let rest = clean_body(rest);
    if article.title.is_empty() {
        let (first, remaining) = rest.split_once('\n').unwrap_or((&rest, ""));
        article.title = clean_line(first);
        article.body = clean_body(remaining);
    } else {
        article.body = rest;
    }
    Parsed {
        articles: vec![article],
        issues: Vec::new(),
    }
}

/// True when the text starts with a header block (see the module docs); used to recognise
/// extension-less files such as 20 Newsgroups posts.
pub fn has_header_block(text: &str) -> bool {
    header_block(text).is_some()
}

/// A leading header block: its fields (lower-case key, unfolded value) and where the body starts.
struct HeaderBlock {
    fields: Vec<(String, String)>,
    body_start: usize,
}

/// Finds the header block at the start of `text`, if there is one.
fn header_block(text: &str) -> Option<HeaderBlock> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..line_end];
        pos = (line_end + 1).min(text.len());
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            let (_, value) = fields.last_mut()?;
            value.push(' ');
            value.push_str(line.trim());
        } else {
            let (key, value) = header_line(line)?;
            fields.push((key, value.to_string()));
        }
    }
    let known = fields
        .iter()
        .any(|(key, _)| KNOWN_KEYS.contains(&key.as_str()));
    known.then_some(HeaderBlock {
        fields,
        body_start: pos,
    })
}

/// Splits `Key: value` into the lower-case key and the trimmed value, when `line` is one.
fn header_line(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.split_once(':')?;
    let token = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    let spaced = value.is_empty() || value.starts_with([' ', '\t']);
    (token && spaced).then(|| (key.to_ascii_lowercase(), value.trim()))
}

/// The article fields the headers give (title and body are filled in by [`parse`]).
fn from_headers(headers: &[(String, String)]) -> Article {
    let first = |keys: &[&str]| {
        keys.iter().find_map(|key| {
            headers
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| clean_line(v))
                .find(|v| !v.is_empty())
        })
    };
    let all = |keys: &[&str]| {
        headers
            .iter()
            .filter(move |(k, _)| keys.contains(&k.as_str()))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    let groups: Vec<String> = all(&["newsgroups"])
        .into_iter()
        .flat_map(split_list)
        .collect();
    let url = first(&["url", "link"]);
    let mut authors: Vec<String> = all(&["author", "authors", "by", "byline"])
        .into_iter()
        .flat_map(split_people)
        .collect();
    if authors.is_empty() {
        authors = first(&["from"])
            .map(|f| from_name(&f))
            .into_iter()
            .collect();
    }
    let tags = all(&["tags", "keywords", "category", "section"])
        .into_iter()
        .flat_map(split_list)
        .chain(groups.iter().cloned());
    Article {
        record: 1,
        title: first(&["title", "subject"]).unwrap_or_default(),
        date_text: first(&["date"]),
        source: first(&["source"])
            .or_else(|| groups.first().cloned())
            .or_else(|| first(&["organization", "organisation"]))
            .or_else(|| url.as_deref().and_then(url_host)),
        source_id: first(&["message-id"])
            .map(|id| id.trim_start_matches('<').trim_end_matches('>').to_string())
            .filter(|id| !id.is_empty())
            .or_else(|| url.clone()),
        url,
        authors: dedupe(authors),
        lang: first(&["language", "lang"]),
        tags: dedupe(tags.collect()),
        ..Article::default()
    }
}

/// The person in a `From:` value: `addr (Name)` and `Name <addr>` give the name, a bare address
/// (or one with nothing usable around it) gives the address.
fn from_name(from: &str) -> String {
    let unquote = |s: &str| clean_line(s.trim().trim_matches('"'));
    if let (Some(open), Some(close)) = (from.find('<'), from.rfind('>')) {
        let name = unquote(&from[..open]);
        if !name.is_empty() || open > close {
            return name;
        }
        return unquote(&from[open + 1..close]);
    }
    if let (Some(open), true) = (from.find('('), from.ends_with(')')) {
        let name = unquote(&from[open + 1..from.len() - 1]);
        if !name.is_empty() {
            return name;
        }
        return unquote(&from[..open]);
    }
    unquote(from)
}

/// Drops duplicates (ignoring case), keeping the first spelling and the order.
fn dedupe(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|item| !item.is_empty() && seen.insert(item.to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Article {
        let parsed = parse(text);
        assert!(parsed.issues.is_empty());
        assert_eq!(parsed.articles.len(), 1);
        parsed.articles[0].clone()
    }

    const NEWSGROUPS_POST: &str = "From: jdoe@cs.cmu.edu (John Doe)\n\
Subject: Re: Space shuttle\n\
\tlaunch delays\n\
Organization: Carnegie Mellon University\n\
Newsgroups: sci.space, comp.graphics\n\
Message-ID: <1993Apr5.123@cs.cmu.edu>\n\
Lines: 12\n\
Keywords: \n\
Date: 5 Apr 93 12:00:00 GMT\n\
\n\
In article <abc@x> someone writes:\n\
> The launch slipped again.\n\
\n\
\n\
Not surprising.\n\
-- \n\
John\n";

    #[test]
    fn newsgroups_post() {
        let a = one(NEWSGROUPS_POST);
        assert_eq!(a.record, 1);
        assert_eq!(a.title, "Re: Space shuttle launch delays");
        assert_eq!(a.authors, vec!["John Doe"]);
        assert_eq!(a.source.as_deref(), Some("sci.space"));
        assert_eq!(a.tags, vec!["sci.space", "comp.graphics"]);
        assert_eq!(a.source_id.as_deref(), Some("1993Apr5.123@cs.cmu.edu"));
        assert_eq!(a.date_text.as_deref(), Some("5 Apr 93 12:00:00 GMT"));
        assert_eq!(
            a.body,
            "In article <abc@x> someone writes:\n> The launch slipped again.\n\nNot surprising.\n--\nJohn"
        );
        assert!(has_header_block(NEWSGROUPS_POST));
    }

    #[test]
    fn from_forms() {
        assert_eq!(from_name("jdoe@cs.cmu.edu (John Doe)"), "John Doe");
        assert_eq!(from_name("John Doe <jdoe@x.org>"), "John Doe");
        assert_eq!(from_name("\"Doe, John\" <jdoe@x.org>"), "Doe, John");
        assert_eq!(from_name("<jdoe@x.org>"), "jdoe@x.org");
        assert_eq!(from_name("jdoe@x.org"), "jdoe@x.org");
        assert_eq!(from_name("jdoe@x.org ()"), "jdoe@x.org");
        assert_eq!(from_name("a > b < c"), "a > b");
    }

    #[test]
    fn author_header_beats_from() {
        let a = one("From: x@y (X)\nAuthor: By Ann Lee and Bob Poe\n\nBody");
        assert_eq!(a.authors, vec!["Ann Lee", "Bob Poe"]);
        assert_eq!(a.title, "Body");
        assert_eq!(a.body, "");
    }

    #[test]
    fn article_headers() {
        let a = one("Title: Budget passes\nSource: Daily Planet\nOrganization: Ignored\n\
            Newsgroups: ignored.group\nURL: https://p/1\nBy: Clark Kent\nLanguage: en\n\
            Tags: politics; budget\nSection: Politics\nX-Unknown: whatever\n\nFirst para.\n\nSecond.\n");
        assert_eq!(a.title, "Budget passes");
        assert_eq!(a.source.as_deref(), Some("Daily Planet"));
        assert_eq!(a.url.as_deref(), Some("https://p/1"));
        assert_eq!(a.source_id.as_deref(), Some("https://p/1"));
        assert_eq!(a.authors, vec!["Clark Kent"]);
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.tags, vec!["politics", "budget", "ignored.group"]);
        assert_eq!(a.body, "First para.\n\nSecond.");
    }

    #[test]
    fn url_host_is_the_source_when_no_header_names_one() {
        let a = one("Title: T\nURL: https://www.harbour-gazette.example/2025/x\n\nBody.");
        assert_eq!(a.source.as_deref(), Some("harbour-gazette.example"));
    }

    #[test]
    fn organization_is_last_resort_source() {
        let a = one("Subject: s\nOrganization: ACME\n\nb");
        assert_eq!(a.source.as_deref(), Some("ACME"));
    }

    #[test]
    fn header_without_title_uses_first_line() {
        let a = one("Date: 2020-01-01\nLink: https://x\n\n\nHeadline here\n\nBody text.");
        assert_eq!(a.title, "Headline here");
        assert_eq!(a.body, "Body text.");
        assert_eq!(a.date_text.as_deref(), Some("2020-01-01"));
    }

    #[test]
    fn header_only_to_end_of_text() {
        let a = one("Title: Just a title\nDate: today");
        assert_eq!(a.title, "Just a title");
        assert_eq!(a.body, "");
        assert!(has_header_block("Subject: x"));
    }

    #[test]
    fn plain_text_first_line_is_title() {
        let a = one("\n\n  Ad sales boost Time Warner profit  \n\nQuarterly profits at US media giant\nrose 76%.\n\n\n\nSecond para.  \n\n");
        assert_eq!(a.title, "Ad sales boost Time Warner profit");
        assert_eq!(
            a.body,
            "Quarterly profits at US media giant\nrose 76%.\n\nSecond para."
        );
        assert_eq!(a.date_text, None);
        assert!(a.authors.is_empty());
    }

    #[test]
    fn headline_with_colon_is_not_a_header() {
        let bbc = "Kilroy: I'll not be pushed\n\nRobert Kilroy-Silk said…";
        assert!(!has_header_block(bbc));
        assert_eq!(one(bbc).title, "Kilroy: I'll not be pushed");
        let bbc = "Blair rejects Tory claims over terror laws:\n\nText.";
        assert!(!has_header_block(bbc));
        assert!(!has_header_block(
            "Date: Monday was a good day for\nthe markets, analysts said.\n"
        ));
    }

    #[test]
    fn note_line_is_not_eaten() {
        let text = "Note: this article was updated.\n\nThe body.";
        assert!(!has_header_block(text));
        let a = one(text);
        assert_eq!(a.title, "Note: this article was updated.");
        assert_eq!(a.body, "The body.");
        let a = one("Title: T\n\nNote: this stays.\nMore.");
        assert_eq!(a.body, "Note: this stays.\nMore.");
    }

    #[test]
    fn has_header_block_cases() {
        assert!(has_header_block("From: a@b\nSubject: s\n\nbody"));
        assert!(has_header_block(
            "from: a@b\nX-Header: 1\n  continued\n\nbody"
        ));
        assert!(!has_header_block(""));
        assert!(!has_header_block("\nFrom: a@b\n\nbody"));
        assert!(!has_header_block(" continued: x\nFrom: a\n"));
        assert!(!has_header_block("X-Only: 1\nX-Other: 2\n\nbody"));
        assert!(!has_header_block("http://example.com/page\n\nbody"));
        assert!(!has_header_block("From:a@b\n\nbody"));
        assert!(!has_header_block("Sub ject: x\n\nbody"));
        // 20 Newsgroups posts carry `Article-I.D.`; a dotted key must not hide the whole block.
        assert!(has_header_block(
            "From: a@b\nArticle-I.D.: x.1\nSubject: s\n\nbody"
        ));
        assert!(!has_header_block("Sub\u{e9}ject: x\nFrom: a\n\nbody"));
        let long_key = format!("{}: x\nFrom: a\n\nb", "k".repeat(41));
        assert!(!has_header_block(&long_key));
        assert!(has_header_block("Keywords:\nFrom: a\n"));
    }

    #[test]
    fn empty_and_blank_files() {
        for text in ["", "   \n\n\t\n"] {
            let a = one(text);
            assert_eq!(a.record, 1);
            assert!(a.is_empty());
        }
    }

    #[test]
    fn controls_removed() {
        let a = one("Ti\u{7}tle\n\nbo\u{0}dy\tkept\r\n");
        assert_eq!(a.title, "Title");
        assert_eq!(a.body, "body\tkept");
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let hostile = [
            ":",
            "a:",
            ":\n",
            "From:",
            "From: <",
            "From: >",
            "From: (",
            "From: )",
            "From: ><",
            "From: é (",
            "Message-ID: <>",
            "From: x\n\t",
            "\t\n",
            "é: x",
            "From: \u{0}",
            "Newsgroups: ,,,\n",
            "Subject: \u{200b}",
        ];
        for h in hostile {
            let parsed = parse(h);
            assert_eq!(parsed.articles.len(), 1, "{h:?}");
            let _ = has_header_block(h);
        }
        for h in crate::ingest::parse::fields::fuzz_inputs("From:<>() \t\nSubject-é\u{0}@,") {
            assert_eq!(parse(&h).articles.len(), 1);
            let _ = has_header_block(&h);
        }
    }
}
