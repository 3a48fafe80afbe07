//! CSV and TSV with a header row: each row is an article, its cells keyed by the (trimmed) header
//! names and mapped by [`fields::article_from_map`](super::fields::article_from_map).
//!
//! Read with the `csv` crate: rows may have more or fewer cells than the header (missing cells
//! are empty, extra ones ignored), quoted cells may span lines (`""` is a quote inside them), and
//! TSV is read with the same quoting rules (spreadsheet and pandas exports quote TSV cells that hold
//! tabs, quotes or newlines; a bare `"` inside a cell stays literal).
//!
//! The crate itself rejects nothing in decoded text: a cell whose opening quote never closes just
//! swallows the rows after it, up to the next quote (or the end of the file). That is detected —
//! the row runs to the end of the text inside a quoted cell, or a quoted cell spanning lines is
//! closed by a quote followed by more text, which well-formed CSV never has — and the row is
//! reported as `unterminated quoted field` at its first line; reading resumes on the next line, so
//! the rows it swallowed are kept. Re-reading is budgeted ([`REREAD_BUDGET`]) so hostile input stays
//! linear. A closing quote followed by text on the same line (`"x"y`) is read leniently, as the
//! crate does (`xy`).
//!
//! Record numbers count data rows from 1 (header excluded), broken rows included; an issue's line
//! is the 1-based line where its row starts.

use csv::{Position, ReaderBuilder, StringRecord};
use serde_json::{Map, Value};

use super::fields::article_from_map;
use super::{Parsed, RecordIssue};

/// Bytes a file may re-read to recover from broken quoting, on top of twice its own size.
pub const REREAD_BUDGET: usize = 1 << 20;

/// Parses CSV (`b','`) or TSV (`b'\t'`) text with a header row.
pub fn parse(text: &str, delimiter: u8) -> Parsed {
    let mut table = Table {
        text,
        delimiter,
        headers: Vec::new(),
        record: 0,
        reread: 0,
        out: Parsed::default(),
    };
    let mut reader = reader(text, delimiter, true);
    table.headers = match reader.headers() {
        Ok(headers) => headers.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) => {
            table.issue(
                e.position().map(Position::line),
                format!("invalid header row: {e}"),
            );
            return table.out;
        }
    };
    let mut segment = Segment { byte: 0, line: 1 };
    while let Some(next) = table.read(reader, segment) {
        segment = next;
        reader = self::reader(&text[next.byte..], delimiter, false);
    }
    table.out
}

/// A csv reader over `text`.
fn reader(text: &str, delimiter: u8, has_headers: bool) -> csv::Reader<&[u8]> {
    ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(has_headers)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Where a reader's input starts in the file: byte offset and 1-based line.
#[derive(Debug, Clone, Copy)]
struct Segment {
    byte: usize,
    line: u64,
}

/// State of one [`parse`].
struct Table<'t> {
    text: &'t str,
    delimiter: u8,
    headers: Vec<String>,
    /// Rows numbered so far.
    record: u32,
    /// Bytes of broken rows re-read so far.
    reread: usize,
    out: Parsed,
}

impl Table<'_> {
    /// Reads the rows of one segment. Returns where to resume after a row with broken quoting.
    fn read(&mut self, mut reader: csv::Reader<&[u8]>, segment: Segment) -> Option<Segment> {
        for row in reader.records() {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    self.record = self.record.saturating_add(1);
                    let line = e.position().map(|p| self.locate(segment, p).line);
                    self.issue(line, format!("invalid row: {e}"));
                    continue;
                }
            };
            let at = row.position().map_or(segment, |p| self.locate(segment, p));
            self.record = self.record.saturating_add(1);
            match broken_quote(self.text.get(at.byte..).unwrap_or(""), self.delimiter) {
                None => self.push(&row),
                Some(span) => return self.recover(at, span),
            }
        }
        None
    }

    /// Where a row the reader of `segment` found at `position` starts in the file. The crate's
    /// position is where it started looking, before any blank lines it skipped; those are skipped
    /// here too so the line is the row's own.
    fn locate(&self, segment: Segment, position: &Position) -> Segment {
        let byte = segment.byte.saturating_add(position.byte() as usize);
        let line = segment.line + position.line().saturating_sub(1);
        let rest = self.text.get(byte..).unwrap_or("");
        let blank = rest.len() - rest.trim_start_matches(['\n', '\r']).len();
        let newlines = rest.as_bytes()[..blank]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        Segment {
            byte: byte + blank,
            line: line + newlines as u64,
        }
    }

    /// Reports the broken row at `at` (spanning `span` bytes) and returns where to resume: its
    /// second line, unless there is none or the re-reading budget is spent.
    fn recover(&mut self, at: Segment, span: usize) -> Option<Segment> {
        self.reread = self.reread.saturating_add(span);
        let budget = self
            .text
            .len()
            .saturating_mul(2)
            .saturating_add(REREAD_BUDGET);
        let next = self
            .text
            .get(at.byte..)
            .and_then(|rest| rest.find('\n'))
            .map(|i| at.byte + i + 1)
            .filter(|&next| next < self.text.len());
        if next.is_some() && self.reread > budget {
            let reason = "unterminated quoted field (rest of file not read)";
            self.issue(Some(at.line), reason.to_string());
            return None;
        }
        self.issue(Some(at.line), "unterminated quoted field".to_string());
        next.map(|byte| Segment {
            byte,
            line: at.line + 1,
        })
    }

    /// Adds the article of the row numbered last.
    fn push(&mut self, row: &StringRecord) {
        let article = article_from_map(&row_map(&self.headers, row), self.record);
        self.out.articles.push(article);
    }

    fn issue(&mut self, line: Option<u64>, reason: String) {
        self.out.issues.push(RecordIssue { line, reason });
    }
}

/// A row as a map of header → cell, skipping unnamed columns and empty cells (a repeated header
/// keeps its first non-empty cell).
fn row_map(headers: &[String], row: &StringRecord) -> Map<String, Value> {
    let mut map = Map::new();
    for (header, cell) in headers.iter().zip(row.iter()) {
        if !header.is_empty() && !cell.trim().is_empty() && !map.contains_key(header) {
            map.insert(header.clone(), Value::String(cell.to_string()));
        }
    }
    map
}

/// The length of the record starting `raw` when its quoting is broken: it runs to the end of the
/// text inside a quoted cell, or a quoted cell spanning lines is closed by a quote followed by
/// more text. Follows the csv crate's rules: a quote opens a cell only as its first character,
/// `""` inside is a quote, text after a closing quote continues the cell.
fn broken_quote(raw: &str, delimiter: u8) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        InField,
        InQuotes,
        QuoteInQuotes,
    }
    let mut state = State::FieldStart;
    let mut quoted_newline = false;
    for (i, &b) in raw.as_bytes().iter().enumerate() {
        let ends_record = b == b'\n' || b == b'\r';
        state = match state {
            State::InQuotes if b == b'"' => State::QuoteInQuotes,
            State::InQuotes => {
                quoted_newline |= ends_record;
                State::InQuotes
            }
            _ if ends_record => return None,
            _ if b == delimiter => State::FieldStart,
            State::FieldStart if b == b'"' => {
                quoted_newline = false;
                State::InQuotes
            }
            State::QuoteInQuotes if b == b'"' => State::InQuotes,
            State::QuoteInQuotes if quoted_newline => return Some(i),
            _ => State::InField,
        };
    }
    (state == State::InQuotes).then_some(raw.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(parsed: &Parsed) -> Vec<(u32, &str, &str)> {
        parsed
            .articles
            .iter()
            .map(|a| (a.record, a.title.as_str(), a.body.as_str()))
            .collect()
    }

    fn issues(parsed: &Parsed) -> Vec<(Option<u64>, &str)> {
        parsed
            .issues
            .iter()
            .map(|i| (i.line, i.reason.as_str()))
            .collect()
    }

    #[test]
    fn csv_basic_mapping() {
        let text = "Title, Text ,publish_date,authors,url,source_name\n\
                    Hello,World,2020-01-01,\"Ann, Bob\",https://x/1,Daily\n";
        let p = parse(text, b',');
        assert!(p.issues.is_empty());
        let a = &p.articles[0];
        assert_eq!(
            (a.record, a.title.as_str(), a.body.as_str()),
            (1, "Hello", "World")
        );
        assert_eq!(a.authors, vec!["Ann", "Bob"]);
        assert_eq!(a.url.as_deref(), Some("https://x/1"));
        assert_eq!(a.source_id.as_deref(), Some("https://x/1"));
        assert_eq!(a.source.as_deref(), Some("Daily"));
    }

    #[test]
    fn quoted_multiline_fields_and_line_numbers() {
        let text = "title,body\nA,\"para one\n\npara \"\"two\"\"\"\nB,short\n\nC,\"x\ny\"\n";
        let p = parse(text, b',');
        assert!(p.issues.is_empty());
        assert_eq!(
            rows(&p),
            vec![
                (1, "A", "para one\n\npara \"two\""),
                (2, "B", "short"),
                (3, "C", "x\ny")
            ]
        );
    }

    #[test]
    fn flexible_row_lengths() {
        let p = parse("title,body,tags\nA\nB,b,t,extra,more\n,,\n", b',');
        assert!(p.issues.is_empty());
        assert_eq!(rows(&p), vec![(1, "A", ""), (2, "B", "b"), (3, "", "")]);
        assert_eq!(p.articles[1].tags, vec!["t"]);
    }

    #[test]
    fn unterminated_quote_in_the_middle() {
        let text = "title,body\nA,ok\nB,\"broken\nC,fine\nD,\"multi\nline\"\nE,last\n";
        let p = parse(text, b',');
        assert_eq!(issues(&p), vec![(Some(3), "unterminated quoted field")]);
        assert_eq!(
            rows(&p),
            vec![
                (1, "A", "ok"),
                (3, "C", "fine"),
                (4, "D", "multi\nline"),
                (5, "E", "last")
            ]
        );
    }

    #[test]
    fn unterminated_quote_on_last_row() {
        let p = parse("title,body\nA,ok\nB,\"never closed", b',');
        assert_eq!(issues(&p), vec![(Some(3), "unterminated quoted field")]);
        assert_eq!(rows(&p), vec![(1, "A", "ok")]);
    }

    #[test]
    fn quote_closing_far_away_is_detected() {
        let text = "title,body\nA,ok\nB,\"broken\nC,fine\nD,\"he said \"\"hi\"\"\"\nE,last\n";
        let p = parse(text, b',');
        assert_eq!(issues(&p), vec![(Some(3), "unterminated quoted field")]);
        assert_eq!(
            rows(&p),
            vec![
                (1, "A", "ok"),
                (3, "C", "fine"),
                (4, "D", "he said \"hi\""),
                (5, "E", "last")
            ]
        );
    }

    #[test]
    fn line_numbers_after_blank_lines() {
        let p = parse("title,body\n\nA,ok\n\n\nB,\"x\n", b',');
        assert_eq!(issues(&p), vec![(Some(6), "unterminated quoted field")]);
        assert_eq!(rows(&p), vec![(1, "A", "ok")]);
    }

    #[test]
    fn several_broken_rows_and_budget() {
        let p = parse("title\n\"a\n\"b\nc\n", b',');
        assert_eq!(
            issues(&p),
            vec![
                (Some(2), "unterminated quoted field"),
                (Some(3), "unterminated quoted field")
            ]
        );
        assert_eq!(rows(&p), vec![(3, "c", "")]);
        let many = "title\n".to_string() + &"\"x\n".repeat(100) + "ok\n";
        let p = parse(&many, b',');
        assert_eq!(p.issues.len(), 100);
        assert_eq!(rows(&p), vec![(101, "ok", "")]);
    }

    #[test]
    fn rereading_is_bounded() {
        let text = "title\n\"x\nmore\n";
        let mut table = Table {
            text,
            delimiter: b',',
            headers: vec!["title".into()],
            record: 1,
            reread: 2 * text.len() + REREAD_BUDGET,
            out: Parsed::default(),
        };
        let at = Segment { byte: 6, line: 2 };
        assert!(table.recover(at, 1).is_none());
        let reasons: Vec<_> = table.out.issues.iter().map(|i| i.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec!["unterminated quoted field (rest of file not read)"]
        );
        table.reread = 0;
        assert_eq!(table.recover(at, 1).map(|s| (s.byte, s.line)), Some((9, 3)));
    }

    #[test]
    fn lenient_quotes_are_not_errors() {
        let p = parse("title,body\n\"x\"y,5\" screen\n", b',');
        assert!(p.issues.is_empty());
        assert_eq!(rows(&p), vec![(1, "xy", "5\" screen")]);
    }

    #[test]
    fn tsv() {
        let text = "headline\tcontent\tdate\tcategory\n\
                    Storm hits\tHe said \"wow\".\t2019-05-01\tweather\n\
                    \"Quoted\ttab\"\t\"two\nlines\"\t\t\n";
        let p = parse(text, b'\t');
        assert!(p.issues.is_empty());
        assert_eq!(
            rows(&p),
            vec![
                (1, "Storm hits", "He said \"wow\"."),
                (2, "Quoted tab", "two\nlines")
            ]
        );
        assert_eq!(p.articles[0].date_text.as_deref(), Some("2019-05-01"));
        assert_eq!(p.articles[0].tags, vec!["weather"]);
    }

    #[test]
    fn duplicate_and_empty_headers() {
        let p = parse("title,,title\n,ignored,Second\n", b',');
        assert_eq!(rows(&p), vec![(1, "Second", "")]);
    }

    #[test]
    fn empty_and_header_only() {
        assert_eq!(parse("", b','), Parsed::default());
        assert_eq!(parse("title,body\n", b','), Parsed::default());
        assert_eq!(parse("title,body", b'\t'), Parsed::default());
    }

    #[test]
    fn quote_scanner() {
        assert_eq!(broken_quote("a,\"b\nc", b','), Some(6));
        assert_eq!(broken_quote("a,\"b\"\"\nc\"", b','), None);
        assert_eq!(broken_quote("\"a\"\"", b','), Some(4));
        assert_eq!(broken_quote("a,b\"c\nd", b','), None);
        assert_eq!(broken_quote("\"a\"x\"\ny", b','), None);
        assert_eq!(broken_quote("\"a\nb\"x\n", b','), Some(5));
        assert_eq!(broken_quote("\"a\nb\",x\n", b','), None);
        assert_eq!(broken_quote("\"a\nb\"\tx\n", b'\t'), None);
        assert_eq!(broken_quote("", b','), None);
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let hostile = [
            "\"",
            "\"\"",
            "\",",
            ",\"",
            "\n\"",
            "a\n\"",
            "a\n\"\n\"\n\"",
            "\t",
            "\u{0}",
            "é,\"é\né",
            "title\n\"\u{0}",
            "title\r\"x\ry",
            ",,,\n,,,",
            "title\n\"a\"\"",
        ];
        for h in hostile {
            let _ = parse(h, b',');
            let _ = parse(h, b'\t');
        }
        for h in crate::ingest::parse::fields::fuzz_inputs("\",\t\n\rab é\u{0}title;") {
            let _ = parse(&h, b',');
            let _ = parse(&h, b'\t');
        }
    }
}
