//! Property tests for every parser: any bytes, decoded as the indexer decodes them, give
//! articles (with sane record numbers, one-line titles, bodies without control characters)
//! and issues with a reason, or a binary skip; never a panic (see
//! [`crate::fuzzing::check_file`]). Inputs come from per-format templates, so most of them get
//! past the first syntax check, then are sometimes damaged byte by byte.

use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::fuzzing::check_file;
use crate::ingest::parse::Limits;
use crate::model::Format;

/// Field names the parsers map, plus wrapper keys and strangers.
const KEYS: &[&str] = &[
    "title",
    "headline",
    "body",
    "text",
    "content",
    "articleBody",
    "date",
    "published",
    "datePublished",
    "author",
    "authors",
    "byline",
    "tags",
    "keywords",
    "url",
    "link",
    "id",
    "guid",
    "source",
    "lang",
    "articles",
    "items",
    "data",
    "docs",
    "response",
    "hits",
    "_source",
    "article",
    "name",
    "@graph",
    "$date",
    "",
    "é",
];

/// Values with the characters parsers must clean.
const VALUES: &[&str] = &[
    "General strike",
    "2025-03-16T10:00:00Z",
    "0000-00-00",
    "Jane Doe and John Roe",
    "a\u{0}b",
    "line\nbreak",
    "\r\n",
    "\t",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "e\u{301}",
    "日本",
    "",
    " ",
    "<b>x</b>",
    "\"quoted\"",
    "a,b;c",
];

/// Arbitrary-ish JSON built from [`KEYS`] and [`VALUES`], nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        4 => prop::sample::select(VALUES).prop_map(|s| Value::String(s.to_string())),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                let map: Map<String, Value> =
                    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
                Value::Object(map)
            }),
        ]
    })
}

/// Texts made of `pieces`, arbitrary characters and the occasional raw byte.
fn from_pieces(pieces: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => prop::sample::select(pieces).prop_map(|s| s.as_bytes().to_vec()),
        2 => prop::sample::select(VALUES).prop_map(|s| s.as_bytes().to_vec()),
        1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat())
}

const TXT: &[&str] = &[
    "From: ",
    "Subject: ",
    "Title: ",
    "Date: ",
    "Newsgroups: ",
    "Message-ID: <",
    ">",
    "Organization: ",
    "Note: ",
    "jdoe@x (John Doe)",
    "Re: ",
    "\n",
    "\n\n",
    " ",
    "  ",
    ":",
    "> quoted",
    "Body text.",
];

const MARKDOWN: &[&str] = &[
    "---\n",
    "+++\n",
    "title: ",
    "date: ",
    "tags: [a, b]\n",
    "author:\n  - x\n",
    "\n",
    "# ",
    "## ",
    "* ",
    "- ",
    "1. ",
    "> ",
    "```",
    "~~~",
    "    ",
    "[link](http://x)",
    "![img](y)",
    "*",
    "_",
    "**",
    "`",
    "\\",
    "<div>",
    "</div>",
    "|a|b|\n|-|-|\n",
    "text ",
    "{",
    "}",
    ": ",
];

const HTML: &[&str] = &[
    "<html lang=\"en\">",
    "<head>",
    "</head>",
    "<title>",
    "</title>",
    "<body>",
    "</body>",
    "<meta property=\"og:title\" content=\"",
    "<meta name=\"pubdate\" content=\"",
    "\">",
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"",
    "\"}</script>",
    "<script>",
    "</script>",
    "<style>",
    "<p>",
    "</p>",
    "<div class=\"article\">",
    "<div class=\"comments\">",
    "</div>",
    "<article>",
    "</article>",
    "<time datetime=\"",
    "<span class=\"byline\">By ",
    "</span>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<br>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&nbsp;",
    "<",
    ">",
    "\"",
    " ",
    "Paragraph text, with commas, long enough.",
];

const TABLE: &[&str] = &[
    "title",
    "body",
    "date",
    "author",
    "tags",
    "url",
    ",",
    "\t",
    ";",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    "\r",
    " ",
    "x",
    "2025-03-16",
];

fn jsonl() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        4 => json_value().prop_map(|v| v.to_string()),
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
        1 => Just("{\"title\": \"broken".to_string()),
        1 => "\\PC{0,20}",
    ];
    let end = prop::sample::select(&["\n", "\r\n"][..]);
    prop::collection::vec((line, end), 0..12).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(line, end)| [line, end.to_string()])
            .collect::<String>()
            .into_bytes()
    })
}

/// Inputs for `format`, sometimes damaged: a byte changed, the text cut short.
fn input(format: Format) -> BoxedStrategy<Vec<u8>> {
    let clean = match format {
        Format::Txt => from_pieces(TXT).boxed(),
        Format::Md => from_pieces(MARKDOWN).boxed(),
        Format::Html => from_pieces(HTML).boxed(),
        Format::Csv | Format::Tsv => from_pieces(TABLE).boxed(),
        Format::Json => prop_oneof![
            3 => json_value().prop_map(|v| v.to_string().into_bytes()),
            1 => (1usize..300).prop_map(|depth| ("[".repeat(depth) + &"]".repeat(depth)).into_bytes()),
            1 => (1usize..300).prop_map(|depth| ("{\"articles\":".repeat(depth) + "[{\"title\":\"x\"}]" + &"}".repeat(depth)).into_bytes()),
        ]
        .boxed(),
        Format::Jsonl => jsonl().boxed(),
    };
    (clean, any::<prop::sample::Index>(), any::<u8>(), 0u8..4)
        .prop_map(|(mut bytes, at, byte, damage)| {
            if !bytes.is_empty() {
                let at = at.index(bytes.len());
                match damage {
                    0 => bytes[at] = byte,
                    1 => bytes.truncate(at),
                    _ => {}
                }
            }
            bytes
        })
        .boxed()
}

fn check(format: Format, bytes: &[u8]) -> Result<(), TestCaseError> {
    check_file(format, bytes, &Limits::default())
        .map(drop)
        .map_err(|violation| {
            TestCaseError::fail(format!(
                "{violation}\ninput: {:?}",
                String::from_utf8_lossy(bytes)
            ))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn txt_never_panics(bytes in input(Format::Txt)) {
        check(Format::Txt, &bytes)?;
    }

    #[test]
    fn markdown_never_panics(bytes in input(Format::Md)) {
        check(Format::Md, &bytes)?;
    }

    #[test]
    fn html_never_panics(bytes in input(Format::Html)) {
        check(Format::Html, &bytes)?;
    }

    #[test]
    fn csv_never_panics(bytes in input(Format::Csv)) {
        check(Format::Csv, &bytes)?;
    }

    #[test]
    fn tsv_never_panics(bytes in input(Format::Tsv)) {
        check(Format::Tsv, &bytes)?;
    }

    #[test]
    fn json_never_panics(bytes in input(Format::Json)) {
        check(Format::Json, &bytes)?;
    }

    #[test]
    fn jsonl_never_panics(bytes in input(Format::Jsonl)) {
        check(Format::Jsonl, &bytes)?;
    }

    /// Uniform noise, for every format: what no template thought of.
    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256), format in 0u8..7) {
        check(crate::fuzzing::format_for(format), &bytes)?;
    }
}
