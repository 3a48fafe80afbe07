//! Reading: a discovered file → its format and decoded text, or the reason it is skipped.
//!
//! The format comes from the extension (`.gz` unwrapped first), then from sniffing the content of
//! extension-less files. Sizes are capped before anything is read whole: `--max-file-size` on the
//! file, `--max-decompressed` on what a gzip stream expands to (a gzip bomb stops at the cap).
//! JSON Lines are streamed in batches of whole lines, so a multi-gigabyte export never sits in
//! memory at once and its size is not capped (each line is, by `--max-file-size`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::ingest::decode::{decode, looks_binary, normalise, NotText};
use crate::ingest::parse::txt;
use crate::model::Format;

/// Size caps.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Largest file read whole (bytes).
    pub max_file_size: u64,
    /// Largest decompressed size of a gzip file (bytes).
    pub max_decompressed: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_file_size: 256 << 20,
            max_decompressed: 1 << 30,
        }
    }
}

/// Why a file is not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not a format newsdex reads; holds the extension (or `(none)`).
    Unsupported(String),
    /// Binary content.
    Binary,
    /// Over a size cap.
    TooLarge(String),
    /// Could not be read.
    Unreadable(String),
    /// Truncated or corrupt compression.
    Corrupt(String),
}

/// A file's content, ready for a parser.
pub enum Loaded {
    /// The whole text.
    Whole {
        /// Detected format.
        format: Format,
        /// Decoded text.
        text: String,
        /// Encoding decoded from, when not UTF-8.
        encoding: Option<&'static str>,
    },
    /// A JSON Lines file, read in batches.
    Lines(LineBatches),
}

/// The format label stored in the index: `html`, or `html.gz` for compressed files.
pub fn format_label(format: Format, compressed: bool) -> String {
    if compressed {
        format!("{}.gz", format.name())
    } else {
        format.name().to_string()
    }
}

/// Opens and decodes a file. Returns the format label with it.
pub fn load(path: &Path, size: u64, limits: &ReadLimits) -> Result<(String, Loaded), Skip> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (inner, compressed) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let declared = format_from_name(&inner)?;
    if !compressed && declared != Some(Format::Jsonl) && size > limits.max_file_size {
        return Err(Skip::TooLarge(format!(
            "{} bytes over --max-file-size {}",
            size, limits.max_file_size
        )));
    }
    let file = File::open(path).map_err(|e| Skip::Unreadable(e.to_string()))?;
    let reader: Box<dyn Read + Send> = if compressed {
        let (cap, flag) = decompressed_cap(declared, limits);
        Box::new(CappedReader::new(MultiGzDecoder::new(file), cap, flag))
    } else {
        Box::new(file)
    };
    if declared == Some(Format::Jsonl) {
        let batches = LineBatches::new(reader, limits.max_file_size);
        return Ok((
            format_label(Format::Jsonl, compressed),
            Loaded::Lines(batches),
        ));
    }
    let bytes = read_all(reader, limits)?;
    let decoded = decode(&bytes).map_err(|NotText::Binary| Skip::Binary)?;
    let format = match declared {
        Some(format) => format,
        None => sniff(&decoded.text).ok_or_else(|| Skip::Unsupported("(none)".into()))?,
    };
    Ok((
        format_label(format, compressed),
        Loaded::Whole {
            format,
            text: decoded.text,
            encoding: decoded.encoding,
        },
    ))
}

/// The format an extension names; `Ok(None)` for no extension (sniff the content).
fn format_from_name(name: &str) -> Result<Option<Format>, Skip> {
    let Some((_, ext)) = name.rsplit_once('.') else {
        return Ok(None);
    };
    let format = match ext {
        "txt" | "text" => Format::Txt,
        "md" | "markdown" => Format::Md,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::Jsonl,
        "csv" => Format::Csv,
        "tsv" | "tab" => Format::Tsv,
        "html" | "htm" | "xhtml" => Format::Html,
        other => return Err(Skip::Unsupported(format!(".{other}"))),
    };
    Ok(Some(format))
}

/// Guesses the format of an extension-less file: an RFC 822 header block means a text article
/// (e.g. a Usenet post), markup means HTML, a leading brace or bracket JSON.
fn sniff(text: &str) -> Option<Format> {
    let head = text.trim_start();
    let lower: String = head.chars().take(64).collect::<String>().to_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Some(Format::Html);
    }
    if head.starts_with('{') || head.starts_with('[') {
        return Some(Format::Json);
    }
    if txt::has_header_block(text) {
        return Some(Format::Txt);
    }
    None
}

/// How far a gzip stream may expand, and the flag that says so. A file read whole is held in
/// memory whole, so `--max-file-size` bounds what it decompresses to as well; only streamed JSON
/// Lines may expand up to `--max-decompressed`.
fn decompressed_cap(declared: Option<Format>, limits: &ReadLimits) -> (u64, &'static str) {
    let streamed = declared == Some(Format::Jsonl);
    if streamed || limits.max_decompressed <= limits.max_file_size {
        (limits.max_decompressed, "--max-decompressed")
    } else {
        (limits.max_file_size, "--max-file-size")
    }
}

/// Reads a whole file; one that grew past `--max-file-size` since it was measured is too large.
fn read_all(reader: Box<dyn Read + Send>, limits: &ReadLimits) -> Result<Vec<u8>, Skip> {
    let mut bytes = Vec::new();
    reader
        .take(limits.max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(classify_read_error)?;
    if bytes.len() as u64 > limits.max_file_size {
        return Err(Skip::TooLarge(format!(
            "more than --max-file-size {} bytes",
            limits.max_file_size
        )));
    }
    Ok(bytes)
}

fn classify_read_error(e: std::io::Error) -> Skip {
    match e.kind() {
        std::io::ErrorKind::FileTooLarge => Skip::TooLarge(e.to_string()),
        std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidInput => {
            Skip::Corrupt(format!("truncated or corrupt gzip: {e}"))
        }
        std::io::ErrorKind::InvalidData => Skip::Corrupt(format!("corrupt gzip: {e}")),
        _ => Skip::Unreadable(e.to_string()),
    }
}

/// A reader that fails once more than `cap` bytes came out of it.
struct CappedReader<R> {
    inner: R,
    left: u64,
    cap: u64,
    flag: &'static str,
}

impl<R: Read> CappedReader<R> {
    fn new(inner: R, cap: u64, flag: &'static str) -> Self {
        CappedReader {
            inner,
            left: cap,
            cap,
            flag,
        }
    }
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                format!("decompresses to more than {} {}", self.flag, self.cap),
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// One batch of whole JSON Lines.
#[derive(Debug)]
pub struct LineBatch {
    /// 1-based line number of the batch's first line.
    pub first_line: u64,
    /// Records (non-blank lines) before this batch.
    pub records_before: u32,
    /// Decoded text of the batch.
    pub text: String,
    /// Encoding decoded from, when not UTF-8.
    pub encoding: Option<&'static str>,
    /// Lines longer than the cap, dropped: (line number, length).
    pub oversized: Vec<(u64, u64)>,
    /// No batch follows: the stream ended right after this one.
    pub last: bool,
}

/// Reads a JSON Lines stream in batches of whole lines: 256 KiB at first, doubling up to 4 MiB.
pub struct LineBatches {
    reader: BufReader<Box<dyn Read + Send>>,
    next_line: u64,
    records: u32,
    max_line: u64,
    batch_bytes: usize,
    done: bool,
}

/// The first batch is small so the writer starts within milliseconds instead of waiting for
/// megabytes to be parsed; later ones grow so a big file costs few hand-offs.
const FIRST_BATCH_BYTES: usize = 256 << 10;
const MAX_BATCH_BYTES: usize = 4 << 20;

impl LineBatches {
    fn new(reader: Box<dyn Read + Send>, max_line: u64) -> Self {
        LineBatches {
            reader: BufReader::with_capacity(1 << 16, reader),
            next_line: 1,
            records: 0,
            max_line,
            batch_bytes: FIRST_BATCH_BYTES,
            done: false,
        }
    }

    /// The next batch, `Ok(None)` at the end, or why the rest of the file cannot be read.
    pub fn next_batch(&mut self) -> Result<Option<LineBatch>, Skip> {
        if self.done {
            return Ok(None);
        }
        let mut batch = LineBatch {
            first_line: self.next_line,
            records_before: self.records,
            text: String::new(),
            encoding: None,
            oversized: Vec::new(),
            last: false,
        };
        let mut raw = Vec::with_capacity(self.batch_bytes + 1024);
        let mut line = Vec::new();
        while raw.len() < self.batch_bytes {
            line.clear();
            let n = read_line_capped(&mut self.reader, &mut line, self.max_line)
                .map_err(classify_read_error)?;
            if n == 0 {
                self.done = true;
                break;
            }
            let line_no = self.next_line;
            self.next_line += 1;
            if n as u64 > self.max_line {
                // Kept as a blank line so line numbers stay right; not a record.
                batch.oversized.push((line_no, n as u64));
                raw.push(b'\n');
                continue;
            }
            if line.iter().any(|b| !b.is_ascii_whitespace()) {
                self.records += 1;
            }
            raw.extend_from_slice(&line);
            if !line.ends_with(b"\n") {
                raw.push(b'\n');
            }
        }
        if raw.is_empty() && self.done {
            return Ok(None);
        }
        self.batch_bytes = (self.batch_bytes * 2).min(MAX_BATCH_BYTES);
        // A read error here is left for the next call to report.
        if !self.done && self.reader.fill_buf().is_ok_and(|rest| rest.is_empty()) {
            self.done = true;
        }
        batch.last = self.done;
        if looks_binary(&raw) && batch.first_line == 1 {
            return Err(Skip::Binary);
        }
        match decode(&raw) {
            Ok(decoded) => {
                batch.text = decoded.text;
                batch.encoding = decoded.encoding;
            }
            Err(NotText::Binary) => {
                batch.text = normalise(&String::from_utf8_lossy(&raw)).into_owned();
            }
        }
        Ok(Some(batch))
    }
}

/// Reads one line; past `cap` bytes the rest of the line is consumed but not kept.
/// Returns the line's full length.
fn read_line_capped(
    reader: &mut impl BufRead,
    out: &mut Vec<u8>,
    cap: u64,
) -> std::io::Result<usize> {
    let mut total = 0usize;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(total);
        }
        let (chunk, found) = match memchr_newline(buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let len = chunk.len();
        if (total + len) as u64 <= cap {
            out.extend_from_slice(chunk);
        } else {
            out.clear();
        }
        total += len;
        reader.consume(len);
        if found {
            return Ok(total);
        }
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).expect("gz");
        enc.finish().expect("gz")
    }

    #[test]
    fn unsupported_extension_is_named() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = write(dir.path(), "photo.PNG", b"\x89PNG");
        let err = load(&path, 4, &ReadLimits::default()).err();
        assert_eq!(err, Some(Skip::Unsupported(".png".into())));
    }

    #[test]
    fn gzip_bomb_stops_at_the_cap() {
        let dir = tempfile::tempdir().expect("tmp");
        let bomb = gzip(&vec![b'a'; 1 << 20]);
        let path = write(dir.path(), "bomb.txt.gz", &bomb);
        let limits = ReadLimits {
            max_file_size: 1 << 30,
            max_decompressed: 1000,
        };
        let err = load(&path, bomb.len() as u64, &limits).err();
        assert!(matches!(err, Some(Skip::TooLarge(_))), "{err:?}");
    }

    #[test]
    fn whole_gzip_file_expands_no_further_than_max_file_size() {
        let dir = tempfile::tempdir().expect("tmp");
        let gz = gzip(&vec![b'a'; 5000]);
        let path = write(dir.path(), "big.txt.gz", &gz);
        let limits = ReadLimits {
            max_file_size: 1000,
            max_decompressed: 1 << 20,
        };
        let err = load(&path, gz.len() as u64, &limits).err();
        assert_eq!(
            err,
            Some(Skip::TooLarge(
                "decompresses to more than --max-file-size 1000".into()
            ))
        );
        let streamed = write(dir.path(), "big.jsonl.gz", &gz);
        assert!(load(&streamed, gz.len() as u64, &limits).is_ok());
    }

    #[test]
    fn truncated_gzip_is_corrupt() {
        let dir = tempfile::tempdir().expect("tmp");
        let gz = gzip(b"Title\n\nSome body text that is long enough to compress a little bit.");
        let path = write(dir.path(), "cut.txt.gz", &gz[..gz.len() / 2]);
        let err = load(&path, 10, &ReadLimits::default()).err();
        assert!(matches!(err, Some(Skip::Corrupt(_))), "{err:?}");
    }

    #[test]
    fn extensionless_usenet_post_is_text() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = write(
            dir.path(),
            "49960",
            b"From: a@b.c (A B)\nSubject: Hello\n\nBody\n",
        );
        match load(&path, 40, &ReadLimits::default()) {
            Ok((label, Loaded::Whole { format, .. })) => {
                assert_eq!(format, Format::Txt);
                assert_eq!(label, "txt");
            }
            _ => panic!("expected text"),
        }
    }

    #[test]
    fn jsonl_batches_count_lines_and_records() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = write(
            dir.path(),
            "a.jsonl",
            b"{\"title\":\"a\"}\n\n{\"title\":\"b\"}\n",
        );
        let Ok((_, Loaded::Lines(mut batches))) = load(&path, 30, &ReadLimits::default()) else {
            panic!("expected lines");
        };
        let batch = batches.next_batch().expect("ok").expect("batch");
        assert_eq!(batch.first_line, 1);
        assert_eq!(batch.text.lines().count(), 3);
        assert!(batch.last);
        assert!(batches.next_batch().expect("ok").is_none());
    }

    /// Batches grow from the first size, number lines and records across batches, and only the
    /// one the stream ends in is marked last, even when the stream ends exactly at its edge.
    #[test]
    fn jsonl_batches_grow_and_mark_the_last() {
        // 1 KiB lines: 256 of them fill the first batch exactly.
        let line = format!("{{\"title\":\"{}\"}}\n", "x".repeat(1024 - 13));
        assert_eq!(line.len(), 1024);
        for (lines, sizes) in [
            (256, vec![256]),
            (256 + 512, vec![256, 512]),
            (1000, vec![256, 512, 232]),
        ] {
            let dir = tempfile::tempdir().expect("tmp");
            let path = write(dir.path(), "a.jsonl", line.repeat(lines).as_bytes());
            let Ok((_, Loaded::Lines(mut batches))) = load(&path, 0, &ReadLimits::default()) else {
                panic!("expected lines");
            };
            let mut seen = Vec::new();
            let mut first_lines = Vec::new();
            let mut lasts = Vec::new();
            while let Some(batch) = batches.next_batch().expect("ok") {
                assert_eq!(batch.records_before as u64 + 1, batch.first_line);
                first_lines.push(batch.first_line);
                seen.push(batch.text.lines().count());
                lasts.push(batch.last);
            }
            assert_eq!(seen, sizes, "{lines} lines");
            let mut expected_lasts = vec![false; sizes.len()];
            expected_lasts[sizes.len() - 1] = true;
            assert_eq!(lasts, expected_lasts, "{lines} lines");
            assert_eq!(first_lines[0], 1);
        }
    }

    #[test]
    fn oversized_jsonl_line_is_dropped_and_reported() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut content = b"{\"title\":\"a\"}\n".to_vec();
        content.extend(vec![b'x'; 5000]);
        content.extend(b"\n{\"title\":\"c\"}\n");
        let path = write(dir.path(), "a.jsonl", &content);
        let limits = ReadLimits {
            max_file_size: 100,
            max_decompressed: 1 << 20,
        };
        let Ok((_, Loaded::Lines(mut batches))) = load(&path, 0, &limits) else {
            panic!("expected lines");
        };
        let batch = batches.next_batch().expect("ok").expect("batch");
        assert_eq!(batch.oversized, vec![(2, 5001)]);
        assert_eq!(batch.text, "{\"title\":\"a\"}\n\n{\"title\":\"c\"}\n");
    }
}
