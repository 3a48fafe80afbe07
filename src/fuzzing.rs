//! Invariants shared by the property tests (`cargo test`) and the `cargo fuzz` targets in
//! `fuzz/`. Not part of the supported API: it is public only because the fuzz crate is a separate
//! crate that must call the same checks the unit tests do, so that a fuzzer crash and a failing
//! property mean the same thing.
//!
//! Each `check_*` function runs one step of a chain on arbitrary input and returns `Err` with
//! what invariant broke; a panic inside the step itself is the other kind of failure both
//! harnesses catch.

use crate::ingest::decode::{self, Decoded};
use crate::ingest::enrich::dates as ingest_dates;
use crate::ingest::parse::{self, Limits, Parsed};
use crate::model::{DatePrecision, Format, PubDate};
use crate::search::dates as search_dates;
use crate::search::passages::{Highlighter, Passage, ELLIPSIS, MAX_PASSAGE_CHARS};
use crate::search::syntax::{self, Node, Occur, ParseOptions, TermKind};

/// 1000-01-01T00:00:00Z, the earliest instant any date in newsdex may name.
pub const MIN_INSTANT: i64 = -30_610_224_000;

/// 9999-12-31T23:59:59Z, the latest instant any date in newsdex may name.
pub const MAX_INSTANT: i64 = 253_402_300_799;

/// What an invariant check found wrong.
pub type Violation = String;

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// The query parser on any text: an error points inside the query (1-based column up to one
/// past the end) and is the same in both modes; a tree keeps the documented shape, every word
/// and phrase in it was typed in the query, and its size is linear in the query's length.
pub fn check_query(query: &str, now: i64) -> Result<Option<Node>, Violation> {
    let all = syntax::parse(query, &ParseOptions { any: false, now });
    let any = syntax::parse(query, &ParseOptions { any: true, now });
    let chars = query.chars().count();
    match (all, any) {
        (Err(a), Err(b)) => {
            ensure!(a == b, "modes disagree on the error: {a:?} vs {b:?}");
            ensure!(
                (1..=chars + 1).contains(&a.column),
                "error column {} outside 1..={}",
                a.column,
                chars + 1
            );
            ensure!(
                !a.message.is_empty() && !a.message.ends_with('.'),
                "bad message {:?}",
                a.message
            );
            Ok(None)
        }
        (Ok(a), Ok(b)) => {
            let mut size = 0;
            check_node(&a, query, 0, &mut size)?;
            check_node(&b, query, 0, &mut size)?;
            ensure!(
                size <= 4 * (chars + 1),
                "tree of {size} nodes for {chars} characters"
            );
            ensure!(
                !negative_only(&a),
                "a tree without a positive clause: {a:?}"
            );
            syntax::positive_terms(&a);
            Ok(Some(a))
        }
        (a, b) => Err(format!("modes disagree: {a:?} vs {b:?}")),
    }
}

fn negative_only(node: &Node) -> bool {
    match node {
        Node::Bool(clauses) => clauses.iter().all(|(occur, _)| *occur == Occur::MustNot),
        _ => false,
    }
}

fn check_node(node: &Node, query: &str, depth: usize, size: &mut usize) -> Result<(), Violation> {
    *size += 1;
    // Groups nest at most MAX_DEPTH deep; negation and scopes add no levels of their own
    // beyond one each, after flattening.
    ensure!(
        depth <= 2 * syntax::MAX_DEPTH + 2,
        "tree deeper than {depth}"
    );
    match node {
        Node::Bool(clauses) => {
            ensure!(
                clauses
                    .iter()
                    .any(|(occur, _)| matches!(occur, Occur::Must | Occur::Should))
                    || (clauses.len() == 1 && clauses[0].0 == Occur::MustNot),
                "a Bool without a Must or Should clause: {node:?}"
            );
            ensure!(
                clauses.len() >= 2 || clauses.first().is_some_and(|c| c.0 == Occur::MustNot),
                "a Bool of one positive clause: {node:?}"
            );
            for (_, clause) in clauses {
                check_node(clause, query, depth + 1, size)?;
            }
        }
        Node::Term { text, kind, .. } => {
            ensure!(!text.is_empty(), "an empty word");
            ensure!(query.contains(text.as_str()), "word {text:?} not typed");
            match kind {
                TermKind::Plain => {}
                TermKind::Prefix => ensure!(
                    text.chars().count() >= 2,
                    "prefix {text:?} shorter than 2 characters"
                ),
                TermKind::Fuzzy(edits) => {
                    ensure!(matches!(edits, 1 | 2), "fuzzy distance {edits}")
                }
            }
        }
        Node::Phrase { text, .. } => {
            ensure!(!text.is_empty(), "an empty phrase");
            ensure!(text.trim() == text, "phrase {text:?} not trimmed");
            ensure!(query.contains(text.as_str()), "phrase {text:?} not typed");
        }
        Node::Date(range) => {
            // An excluded end (`{2025 TO *]`) lies one second outside the year range.
            for end in [range.since, range.until].into_iter().flatten() {
                ensure!(
                    (MIN_INSTANT - 1..=MAX_INSTANT + 1).contains(&end),
                    "date bound {end} out of range"
                );
            }
            if let (Some(since), Some(until)) = (range.since, range.until) {
                ensure!(since <= until, "date range {since}..={until} is empty");
            }
        }
    }
    Ok(())
}

/// A search date bound: an accepted text names a non-empty period inside years 1000–9999.
pub fn check_search_bound(text: &str, now: i64) -> Result<(), Violation> {
    if let Ok((start, end)) = search_dates::parse_bound(text, now) {
        ensure!(start <= end, "{text:?}: period {start}..={end} is inverted");
        ensure!(
            start >= MIN_INSTANT && end <= MAX_INSTANT,
            "{text:?}: period {start}..={end} outside years 1000-9999"
        );
    }
    Ok(())
}

/// A publication date, from metadata or from a path: accepted dates are in range, not in the
/// future, and an instant has `start == end`; rejected ones quote at most 100 characters.
pub fn check_ingest_date(text: &str, now: i64) -> Result<(), Violation> {
    match ingest_dates::parse_date(text, now) {
        Ok(date) => check_pub_date(text, &date, now)?,
        Err(error) => {
            let (ingest_dates::DateError::Unrecognised(quoted)
            | ingest_dates::DateError::Placeholder(quoted)
            | ingest_dates::DateError::Impossible(quoted)
            | ingest_dates::DateError::OutOfRange(quoted)
            | ingest_dates::DateError::Future(quoted)) = &error;
            ensure!(
                quoted.chars().count() <= 100,
                "{text:?}: error quotes {} characters",
                quoted.chars().count()
            );
        }
    }
    if let Some(date) = ingest_dates::date_from_path(text, now) {
        check_pub_date(text, &date, now)?;
        ensure!(
            date.precision != DatePrecision::Time,
            "{text:?}: a path gave a time"
        );
    }
    Ok(())
}

fn check_pub_date(text: &str, date: &PubDate, now: i64) -> Result<(), Violation> {
    ensure!(date.start <= date.end, "{text:?}: {date:?} is inverted");
    ensure!(
        date.start >= MIN_INSTANT && date.end <= MAX_INSTANT,
        "{text:?}: {date:?} outside years 1000-9999"
    );
    ensure!(
        date.start <= now.saturating_add(2 * 86_400),
        "{text:?}: {date:?} is in the future of {now}"
    );
    if date.precision == DatePrecision::Time {
        ensure!(
            date.start == date.end,
            "{text:?}: instant {date:?} has a length"
        );
    }
    Ok(())
}

/// Highlights of a title and the passages of a body: at most `n` passages, none overlapping,
/// each at most [`MAX_PASSAGE_CHARS`] characters of the source plus `…` marks, with highlight
/// ranges sorted, non-empty, non-overlapping, on char boundaries and inside the text.
pub fn check_highlighter(
    highlighter: &mut Highlighter,
    text: &str,
    n: usize,
) -> Result<Vec<Passage>, Violation> {
    check_highlighter_with(highlighter, text, n, &[])
}

/// [`check_highlighter`] with entity mentions of `text` (any offsets: out of range, off char
/// boundaries and empty ones must be ignored).
pub fn check_highlighter_with(
    highlighter: &mut Highlighter,
    text: &str,
    n: usize,
    mentions: &[crate::model::Mention],
) -> Result<Vec<Passage>, Violation> {
    let spans = highlighter.highlight_with(text, mentions);
    check_spans(text, &spans).map_err(|v| format!("title highlight: {v}"))?;
    let passages = highlighter.passages_with(text, n, mentions);
    ensure!(
        passages.len() <= n,
        "{} passages, {n} asked for",
        passages.len()
    );
    ensure!(
        !passages.is_empty() || n == 0 || text.trim().is_empty(),
        "no passage from a text with visible characters"
    );
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for passage in &passages {
        check_spans(&passage.text, &passage.highlights)
            .map_err(|v| format!("passage at {}: {v}", passage.start))?;
        ensure!(
            passage.score.is_finite() && passage.score >= 0.0,
            "passage score {}",
            passage.score
        );
        let source = text
            .get(passage.start..)
            .ok_or_else(|| format!("passage start {} not in the text", passage.start))?;
        // A leading or trailing `…` is a cut mark, unless the source itself has one there.
        let stripped = passage.text.strip_prefix(ELLIPSIS);
        let len = [stripped, Some(passage.text.as_str())]
            .into_iter()
            .flatten()
            .find_map(|body| source_len(source, body))
            .ok_or_else(|| {
                format!(
                    "passage at {} is not the source's text: {:?}",
                    passage.start, passage.text
                )
            })?;
        ensure!(
            source[..len].chars().count() <= MAX_PASSAGE_CHARS,
            "passage at {} is longer than {MAX_PASSAGE_CHARS} characters",
            passage.start
        );
        let range = (passage.start, passage.start + len);
        ensure!(
            taken.iter().all(|t| range.1 <= t.0 || range.0 >= t.1),
            "passage {range:?} overlaps one of {taken:?}"
        );
        taken.push(range);
    }
    Ok(passages)
}

/// How many bytes of `source` the passage body shows, reading line breaks and tabs as the
/// spaces passages show instead: `None` unless the body is that much of the source, optionally
/// followed by a `…` cut mark.
fn source_len(source: &str, body: &str) -> Option<usize> {
    let mut len = 0;
    let mut shown = 0;
    for (a, b) in source.chars().zip(body.chars()) {
        let as_shown = match a {
            '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' => ' ',
            other => other,
        };
        if as_shown != b {
            break;
        }
        len += a.len_utf8();
        shown += b.len_utf8();
    }
    // The longest common prefix may have eaten a source `…` that the cut mark stands for. Read
    // that way first: "miner 。…" cut before the source's "…miners." is the 9 bytes before it
    // plus a mark, not 12 bytes overlapping the next passage.
    [shown.saturating_sub(ELLIPSIS.len()), shown]
        .into_iter()
        .find(|&at| {
            body.is_char_boundary(at)
                && matches!(&body[at..], "" | ELLIPSIS)
                && (at > 0 || body.is_empty())
        })
        .map(|at| len - (shown - at))
}

fn check_spans(text: &str, spans: &[(usize, usize)]) -> Result<(), Violation> {
    let mut previous_end = 0;
    for &(start, end) in spans {
        ensure!(start < end, "empty or inverted span {start}..{end}");
        ensure!(
            end <= text.len(),
            "span {start}..{end} past the end {}",
            text.len()
        );
        ensure!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "span {start}..{end} not on char boundaries"
        );
        ensure!(
            start >= previous_end,
            "span {start}..{end} overlaps or precedes the one ending at {previous_end}"
        );
        previous_end = end;
    }
    Ok(())
}

/// The format a fuzz input's first byte selects.
pub fn format_for(byte: u8) -> Format {
    const FORMATS: [Format; 7] = [
        Format::Txt,
        Format::Md,
        Format::Json,
        Format::Jsonl,
        Format::Csv,
        Format::Tsv,
        Format::Html,
    ];
    FORMATS[usize::from(byte) % FORMATS.len()]
}

/// Decoding any bytes: binary or text without carriage returns or control characters other
/// than tab and newline, which normalising again leaves alone.
pub fn check_decode(bytes: &[u8]) -> Result<Option<Decoded>, Violation> {
    let Ok(decoded) = decode::decode(bytes) else {
        return Ok(None);
    };
    ensure!(
        !decoded
            .text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "decoded text keeps a control character"
    );
    ensure!(
        matches!(
            decode::normalise(&decoded.text),
            std::borrow::Cow::Borrowed(_)
        ),
        "normalising twice changes the text"
    );
    if decoded.encoding.is_none() {
        let exact = decode::decode_exact(bytes)
            .map_err(|_| "decode accepts what decode_exact rejects".to_string())?;
        ensure!(
            decode::normalise(&exact.text) == decoded.text,
            "decode is not decode_exact then normalise"
        );
    }
    Ok(Some(decoded))
}

/// One file's bytes through decoding and the parser for `format`: skipped as binary, or
/// articles whose record numbers are 1-based, increasing and bounded by the text, titles on one
/// line, bodies without control characters, issues with a reason and a line inside the text.
pub fn check_file(
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Option<Parsed>, Violation> {
    let Some(decoded) = check_decode(bytes)? else {
        return Ok(None);
    };
    let text = decoded.text;
    let parsed = parse::parse(format, &text, limits);
    check_parsed(format, &text, &parsed)?;
    Ok(Some(parsed))
}

/// The invariants of [`check_file`] on an already decoded text.
pub fn check_parsed(format: Format, text: &str, parsed: &Parsed) -> Result<(), Violation> {
    let name = format.name();
    if matches!(format, Format::Txt | Format::Md) {
        ensure!(
            parsed.articles.len() == 1 && parsed.articles[0].record == 1,
            "{name}: {} articles, expected one, record 1",
            parsed.articles.len()
        );
    }
    let mut previous = 0;
    for article in &parsed.articles {
        ensure!(
            article.record > previous,
            "{name}: record {} after {previous}",
            article.record
        );
        ensure!(
            article.record as usize <= text.len().max(1),
            "{name}: record {} in a text of {} bytes",
            article.record,
            text.len()
        );
        previous = article.record;
        ensure!(
            !article.title.chars().any(char::is_control),
            "{name}: record {}: title {:?} has a control character",
            article.record,
            article.title
        );
        ensure!(
            !article
                .body
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{name}: record {}: body has a control character",
            article.record
        );
    }
    let lines = text.split('\n').count() as u64;
    for issue in &parsed.issues {
        ensure!(
            !issue.reason.is_empty(),
            "{name}: an issue without a reason"
        );
        if let Some(line) = issue.line {
            ensure!(
                (1..=lines).contains(&line),
                "{name}: issue at line {line} of {lines}: {}",
                issue.reason
            );
        }
    }
    Ok(())
}

/// 2026-11-27T00:00:00Z, the `now` of the fuzz targets.
pub const NOW: i64 = 1_795_737_600;

/// A fuzz target: libFuzzer's bytes in, a panic out when an invariant breaks.
pub type Target = fn(&[u8]);

/// The fuzz targets by name: each takes libFuzzer's bytes and panics on a violated invariant.
/// `fuzz/fuzz_targets/*.rs` call these, and `tests/fuzz_regressions.rs` replays the inputs kept
/// in `tests/fixtures/fuzz/<target>/` through the same functions.
pub const TARGETS: &[(&str, Target)] = &[
    ("query", fuzz_query),
    ("search_dates", fuzz_search_dates),
    ("ingest_dates", fuzz_ingest_dates),
    ("passages", fuzz_passages),
    ("parse", fuzz_parse),
    ("decode", fuzz_decode),
];

/// `now` moved by up to ±4000 years (in minutes) by the first four bytes, and the rest.
fn now_and_rest(data: &[u8]) -> (i64, &[u8]) {
    match data.split_first_chunk::<4>() {
        Some((head, rest)) => (NOW + i64::from(i32::from_le_bytes(*head)) * 60, rest),
        None => (NOW, data),
    }
}

/// The query parser on any text, then (for queries that parse) the tantivy query built against
/// the real schema, run on a two-article index, and the highlighter built from it.
pub fn fuzz_query(data: &[u8]) {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let node = match check_query(query, NOW) {
        Ok(Some(node)) => node,
        Ok(None) => return,
        Err(violation) => panic!("{query:?}: {violation}"),
    };
    let fixture = query_fixture();
    let request = crate::search::request::SearchRequest::matching(
        query,
        node,
        Default::default(),
        Default::default(),
    );
    // Errors here are the user's (a prefix too short to search, say); only panics are bugs.
    let Ok(compiled) = crate::search::query::compile(&request, &fixture.fields, &fixture.searcher)
    else {
        return;
    };
    // A query that cannot run is an error for the user, not a crash.
    let _ = fixture
        .searcher
        .search(&compiled.query, &tantivy::collector::Count);
    let mut highlighter = Highlighter::new(compiled.matcher);
    if let Err(violation) = check_highlighter(&mut highlighter, FIXTURE_BODY, 3) {
        panic!("{query:?}: {violation}");
    }
}

const FIXTURE_BODY: &str = "Striking miners in Cardiff walked out on Monday. \
    The \"general strike\" spread to the ports; Bukele's prison plan was debated in 2025.\n\n\
    Second paragraph: Ünïcödé wörds, C++ and covid-19, 10:30 https://example.com/a?b=c.";

struct QueryFixture {
    fields: crate::schema::Fields,
    searcher: tantivy::Searcher,
}

/// A two-article index in RAM, built once per process.
fn query_fixture() -> &'static QueryFixture {
    static FIXTURE: std::sync::OnceLock<QueryFixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(|| {
        // Setup, not input: a failure here is a broken build, so panicking is right.
        let schema = crate::schema::IndexSchema::build().expect("the shipped schema builds");
        let index = tantivy::Index::create_in_ram(schema.schema.clone());
        crate::schema::register_analyzers(&index);
        let mut writer: tantivy::IndexWriter =
            index.writer(15_000_000).expect("an in-RAM index writer");
        for (record, title) in [(1, "General strike in Wales"), (2, "Prison debate")] {
            let article = crate::model::EnrichedArticle {
                article: crate::model::Article {
                    record,
                    title: title.to_string(),
                    body: FIXTURE_BODY.to_string(),
                    source: Some("Associated Press".to_string()),
                    authors: vec!["Jane Doe".to_string()],
                    tags: vec!["labour".to_string()],
                    ..crate::model::Article::default()
                },
                id: format!("id{record}"),
                path: format!("/a/{record}.txt"),
                format: Format::Txt.name().to_string(),
                date: Some(PubDate {
                    start: 1_742_083_200,
                    end: 1_742_169_599,
                    precision: DatePrecision::Day,
                }),
                lang: Some("en".to_string()),
                entities: crate::model::Entities::default(),
                word_count: 40,
                content_hash: format!("hash{record}"),
            };
            let doc = crate::ingest::document::to_document(&schema.fields, &article, "stamp");
            writer.add_document(doc).expect("add a document in RAM");
        }
        writer.commit().expect("commit in RAM");
        let searcher = index.reader().expect("an in-RAM reader").searcher();
        QueryFixture {
            fields: schema.fields,
            searcher,
        }
    })
}

/// Search date bounds on any text; the first four bytes move `now`.
pub fn fuzz_search_dates(data: &[u8]) {
    let (now, text) = now_and_rest(data);
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    if let Err(violation) = check_search_bound(text, now) {
        panic!("now {now}: {violation}");
    }
}

/// Publication dates from metadata and from paths; the first four bytes move `now`.
pub fn fuzz_ingest_dates(data: &[u8]) {
    let (now, text) = now_and_rest(data);
    let text = String::from_utf8_lossy(text);
    if let Err(violation) = check_ingest_date(&text, now) {
        panic!("now {now}: {violation}");
    }
}

/// Passages and highlights: the first byte is how many passages to ask for (mod 8), the first
/// line the matcher — space-separated `word` (stem), `word*` (prefix), `word~N` (fuzzy) and
/// `"a_b_c~N` (phrase a b c, slop N) — and the rest the text.
pub fn fuzz_passages(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let (spec, text) = input.split_once('\n').unwrap_or((input, ""));
    let mut highlighter = Highlighter::new(matcher_from_spec(spec));
    if let Err(violation) = check_highlighter(&mut highlighter, text, usize::from(n % 8)) {
        panic!("{spec:?} in {text:?}: {violation}");
    }
}

fn matcher_from_spec(spec: &str) -> crate::search::passages::Matcher {
    use crate::search::passages::{Matcher, PhraseMatch, TermMatch, TermMatchKind};
    let weight = |item: &str| [1.0, 0.5, 3.0, -1.0, f32::NAN, f32::INFINITY][item.len() % 6];
    let mut stemmer = crate::schema::stemmed_analyzer();
    let mut matcher = Matcher::default();
    for item in spec.split(' ').filter(|item| !item.is_empty()).take(16) {
        let (word, number) = match item.rsplit_once('~') {
            Some((word, n)) => (word, Some(n.parse::<u32>().unwrap_or(2))),
            None => (item, None),
        };
        if let Some(words) = word.strip_prefix('"') {
            matcher.phrases.push(PhraseMatch {
                words: words.split('_').map(str::to_lowercase).collect(),
                slop: number.unwrap_or(0),
                weight: weight(item),
            });
            continue;
        }
        let kind = match (word.strip_suffix('*'), number) {
            (Some(prefix), _) => TermMatchKind::Prefix(prefix.to_lowercase()),
            (None, Some(distance)) => TermMatchKind::Fuzzy {
                word: word.to_lowercase(),
                distance: u8::try_from(distance).unwrap_or(u8::MAX),
            },
            (None, None) => {
                let mut stream = stemmer.token_stream(word);
                let mut stem = String::new();
                while let Some(token) = tantivy::tokenizer::TokenStream::next(&mut stream) {
                    stem.push_str(&token.text);
                }
                TermMatchKind::Stem(stem)
            }
        };
        matcher.terms.push(TermMatch {
            kind,
            weight: weight(item),
        });
    }
    matcher
}

/// Every parser: the first byte picks the format ([`format_for`]), the rest is the file.
pub fn fuzz_parse(data: &[u8]) {
    let Some((&first, file)) = data.split_first() else {
        return;
    };
    let format = format_for(first);
    if let Err(violation) = check_file(format, file, &Limits::default()) {
        panic!("{}: {violation}", format.name());
    }
}

/// Decoding any bytes.
pub fn fuzz_decode(data: &[u8]) {
    if let Err(violation) = check_decode(data) {
        panic!("{violation}");
    }
}
