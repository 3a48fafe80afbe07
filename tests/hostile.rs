//! A hostile corpus, indexed by the real binary: good articles mixed with every kind of bad file.
//! The run must finish (exit 0), index and find every good article, name every bad file with its
//! reason, and stay within a memory bound.

#![cfg(target_os = "linux")]

mod util;

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;
use util::{command, newsdex, newsdex_ok, wait_with_rusage};

/// Size of the single-line file: under the default 256 MiB file cap, so it is read.
const HUGE_LINE_BYTES: usize = 200_000_000;

/// A good article: where it is and the one word that finds only it.
struct Good {
    path: PathBuf,
    word: String,
}

/// A file that must be skipped: a fragment of its path and the reason expected.
struct Bad {
    name: &'static str,
    reason: &'static str,
}

#[derive(Default)]
struct Corpus {
    good: Vec<Good>,
    bad: Vec<Bad>,
}

impl Corpus {
    fn good(&mut self, path: PathBuf, word: &str) {
        self.good.push(Good {
            path,
            word: word.to_string(),
        });
    }

    fn bad(&mut self, name: &'static str, reason: &'static str) {
        self.bad.push(Bad { name, reason });
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// Plain text article whose title and body carry `word`.
fn article(word: &str) -> String {
    format!(
        "Report on {word}\n\nThe council met on Tuesday to discuss {word} and the harbour budget.\n"
    )
}

/// Good articles in every format, under names a careless walker would trip on.
fn add_good_files(root: &Path, corpus: &mut Corpus) {
    let good = root.join("good");
    let plain = good.join("plain.txt");
    write(&plain, article("zqplain").as_bytes());
    corpus.good(plain, "zqplain");

    let md = good.join("story.md");
    write(
        &md,
        b"---\ntitle: Markdown zqmarkdown\ndate: 2024-05-01\n---\n\nThe ferry ran late again.\n",
    );
    corpus.good(md, "zqmarkdown");

    let json = good.join("feed.json");
    write(
        &json,
        br#"[{"title": "Json zqjson", "body": "Prices rose in March.", "date": "2024-03-01"}]"#,
    );
    corpus.good(json, "zqjson");

    let html = good.join("page.html");
    write(
        &html,
        b"<html><head><title>Html zqhtml</title></head><body><article><p>The mayor spoke \
          about the new bridge.</p></article></body></html>",
    );
    corpus.good(html, "zqhtml");

    let csv = good.join("table.csv");
    write(
        &csv,
        b"title,body\nCsv zqcsv,\"A quoted\nmulti-line body\"\n",
    );
    corpus.good(csv, "zqcsv");

    let spaces = good.join("name with spaces.txt");
    write(&spaces, article("zqspaces").as_bytes());
    corpus.good(spaces, "zqspaces");

    let newline = good.join("name\nwith newline.txt");
    write(&newline, article("zqnewline").as_bytes());
    corpus.good(newline, "zqnewline");

    let raw_name = OsStr::from_bytes(b"name-\xff\xfe-not-utf8.txt");
    let not_utf8 = good.join(raw_name);
    write(&not_utf8, article("zqnotutf").as_bytes());
    corpus.good(not_utf8, "zqnotutf");
}

/// One article naming people and places tens of thousands of times: resolving names was
/// quadratic in the number of mentions (a 15 MB article took 470 s; now 9 s).
fn add_many_names(root: &Path, corpus: &mut Corpus) {
    let names = [
        "Nayib Bukele",
        "Bukele",
        "Ann Smith",
        "El Salvador",
        "London",
    ];
    let mut text = String::from("Many names zqmanynames\n\n");
    for i in 0..30_000 {
        let (a, b) = (names[i % names.len()], names[(i / 3) % names.len()]);
        text.push_str(&format!("On Tuesday {a} met {b} in the harbour. "));
    }
    let path = root.join("names").join("many-names.txt");
    write(&path, text.as_bytes());
    corpus.good(path, "zqmanynames");
}

/// Files in other encodings: decoded, never dropped.
fn add_encodings(root: &Path, corpus: &mut Corpus) {
    let dir = root.join("encodings");
    let latin1 = dir.join("latin1.txt");
    write(
        &latin1,
        b"Caf\xe9 zqlatin\n\nJos\xe9 Mart\xednez visited S\xe3o Paulo and Z\xfcrich.\n",
    );
    corpus.good(latin1, "zqlatin");

    let utf16 = dir.join("utf16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in article("zqutf").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    write(&utf16, &bytes);
    corpus.good(utf16, "zqutf");

    let invalid = dir.join("invalid-utf8.txt");
    let mut bytes = article("zqinvalid").into_bytes();
    bytes.extend_from_slice(b"Broken bytes \xc3\x28 and \xa0\xa1 in the middle.\n");
    write(&invalid, &bytes);
    corpus.good(invalid, "zqinvalid");
}

/// Dates that cannot be right: the article is kept, the date dropped with a warning.
fn add_bad_dates(root: &Path, corpus: &mut Corpus) -> usize {
    let dates = [
        ("zero", "0000-00-00"),
        ("feb", "2025-02-31"),
        ("far", "99999-01-01"),
    ];
    for (name, date) in dates {
        let word = format!("zqdate{name}");
        let path = root.join("dates").join(format!("{name}.md"));
        let text = format!("---\ntitle: Dated {word}\ndate: {date}\n---\n\nThe tide was high.\n");
        write(&path, text.as_bytes());
        corpus.good(path, &word);
    }
    dates.len()
}

/// Nesting meant to exhaust a recursive parser's stack or a quadratic tree builder.
fn add_deep_nesting(root: &Path, corpus: &mut Corpus) {
    let dir = root.join("deep");
    let json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    write(&dir.join("deep.json"), json.as_bytes());
    corpus.bad("deep.json", "bad-record");

    let mut html = String::from("<html><head><title>Nested zqnested</title></head><body>");
    html.push_str(&"<div>".repeat(100_000));
    html.push_str("<p>Deep text about the harbour.</p><!-- a comment that never closes");
    html.push_str(&"</div>".repeat(50_000));
    let path = dir.join("nested.html");
    write(&path, html.as_bytes());
    corpus.good(path, "zqnested");

    let yaml = format!(
        "---\ntitle: Yaml\nnested: {}{}\n---\n\nBody of the yaml article zqyaml.\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let path = dir.join("deep-yaml.md");
    write(&path, yaml.as_bytes());
    corpus.good(path, "zqyaml");
    // Front matter that does not parse is reported and dropped; the article's text is kept.
    corpus.bad("deep-yaml.md", "bad-record");

    let toml = format!(
        "+++\ntitle = \"Toml\"\nnested = {}{}\n+++\n\nBody of the toml article zqtoml.\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let path = dir.join("deep-toml.md");
    write(&path, toml.as_bytes());
    corpus.good(path, "zqtoml");
    corpus.bad("deep-toml.md", "bad-record");

    let mut html = String::from("<html><head><title>Inline zqinline</title></head><body>");
    html.push_str(&"<span><b><table><tr><td><ul><li>".repeat(20_000));
    html.push_str("Text deep inside tables and lists.");
    let path = dir.join("inline.html");
    write(&path, html.as_bytes());
    corpus.good(path, "zqinline");

    let mut md = String::from("# Brackets zqbrackets\n\n");
    md.push_str(&"[".repeat(100_000));
    md.push_str(&"](".repeat(50_000));
    md.push_str(&"(".repeat(100_000));
    md.push('\n');
    md.push_str(&"> ".repeat(10_000));
    md.push_str("quoted\n");
    for depth in 0..1_000 {
        md.push_str(&" ".repeat(depth * 2));
        md.push_str("- item\n");
    }
    let path = dir.join("brackets.md");
    write(&path, md.as_bytes());
    corpus.good(path, "zqbrackets");

    let path = dir.join("unterminated.md");
    write(
        &path,
        b"---\ntitle: never closed\n\n# Unterminated zqunterminated\n\nThe body.\n",
    );
    corpus.good(path, "zqunterminated");
    corpus.bad("unterminated.md", "bad-record");
}

/// A JSON Lines file with good, broken, huge and empty lines.
fn add_mixed_jsonl(root: &Path, corpus: &mut Corpus) {
    let path = root.join("lines").join("mixed.jsonl");
    let mut text = String::new();
    text.push_str(r#"{"title": "First zqlineone", "body": "Line one."}"#);
    text.push_str("\n{\"title\": \"broken\", \"body\": \n\n   \n");
    let filler = "harbour tide ferry ".repeat(400_000);
    text.push_str(&format!(
        "{{\"title\": \"Huge line\", \"body\": \"{filler} zqhugeline\"}}\n"
    ));
    text.push_str(r#"{"title": "Last zqlinelast", "body": "Line last."}"#);
    text.push('\n');
    write(&path, text.as_bytes());
    for word in ["zqlineone", "zqhugeline", "zqlinelast"] {
        corpus.good(path.clone(), word);
    }
    corpus.bad("mixed.jsonl", "bad-record");
}

/// Files with nothing to index, or that cannot be read.
fn add_bad_files(root: &Path, corpus: &mut Corpus) {
    let dir = root.join("bad");
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    write(&dir.join("binary.txt"), &binary);
    corpus.bad("binary.txt", "binary");
    write(&dir.join("photo.png"), &binary);
    corpus.bad("photo.png", "unsupported");
    write(&dir.join("empty.txt"), b"");
    corpus.bad("empty.txt", "empty");
    write(&dir.join("whitespace.txt"), b"  \n\t\n   \n");
    corpus.bad("whitespace.txt", "empty");

    let gz = gzip(article("zqtruncated").repeat(50).as_bytes());
    write(&dir.join("truncated.txt.gz"), &gz[..gz.len() / 2]);
    corpus.bad("truncated.txt.gz", "corrupt");

    write(&dir.join("bomb.txt.gz"), &gzip_bomb(1100));
    corpus.bad("bomb.txt.gz", "too-large");

    std::fs::create_dir_all(dir.join("loop")).expect("mkdir");
    symlink("..", dir.join("loop").join("back")).expect("symlink");
    corpus.bad("back", "symlink-loop");

    add_unreadable(&dir, corpus);
}

/// Gzip members can be concatenated: one compressed MiB of zeros-like text, written `mib` times,
/// expands to `mib` MiB from a file a thousand times smaller, without compressing it all here.
fn gzip_bomb(mib: usize) -> Vec<u8> {
    let member = gzip(&vec![b'a'; 1 << 20]);
    member.repeat(mib)
}

fn add_unreadable(dir: &Path, corpus: &mut Corpus) {
    let path = dir.join("no-permission.txt");
    write(&path, article("zqsecret").as_bytes());
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    if std::fs::File::open(&path).is_ok() {
        eprintln!(
            "note: running as root, so a file without read permission is still readable; \
             the unreadable case is not checked here"
        );
        corpus.good(path, "zqsecret");
    } else {
        corpus.bad("no-permission.txt", "unreadable");
    }
}

/// One line of 200 MB, written from a repeated buffer so it takes well under a second. It is
/// under `--max-file-size`, so it is read whole, and then skipped as an article over
/// `--max-article-size`.
fn add_huge_line(root: &Path, corpus: &mut Corpus) {
    let path = root.join("big").join("one-line.txt");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    file.write_all(b"zqoneline ").expect("write");
    let chunk = "the tide came in over the harbour wall ".repeat(25_000);
    let mut written = 10;
    while written < HUGE_LINE_BYTES {
        let n = chunk.len().min(HUGE_LINE_BYTES - written);
        file.write_all(&chunk.as_bytes()[..n]).expect("write");
        written += n;
    }
    file.flush().expect("flush");
    corpus.bad("one-line.txt", "too-large");
}

fn build_hostile_corpus(root: &Path) -> Corpus {
    let mut corpus = Corpus::default();
    add_good_files(root, &mut corpus);
    add_encodings(root, &mut corpus);
    add_many_names(root, &mut corpus);
    add_bad_dates(root, &mut corpus);
    add_deep_nesting(root, &mut corpus);
    add_mixed_jsonl(root, &mut corpus);
    add_bad_files(root, &mut corpus);
    add_huge_line(root, &mut corpus);
    corpus
}

/// Reads a pipe to the end on its own thread, so the child never blocks on a full pipe.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).expect("read pipe");
        bytes
    })
}

fn skipped(report: &Value, reason: &str) -> u64 {
    report["skipped"][reason]["count"].as_u64().unwrap_or(0)
}

fn search_hits(index: &Path, word: &str) -> Vec<Value> {
    let run = newsdex(
        index,
        &["search", word, "--format", "json", "--passages", "0"],
    );
    assert_eq!(
        run.code, 0,
        "search {word}: exit {}: {}",
        run.code, run.stderr
    );
    run.json()["hits"].as_array().cloned().unwrap_or_default()
}

/// The bound on the indexer's peak memory for this corpus. The largest thing held is the 200 MB
/// file, read whole: bytes, decoded text and parsed article, about 600 MB, before its article is
/// skipped as too large. 1 GiB leaves room for the other thread and the writer, and still fails
/// for a gzip bomb expanded to its 1 GiB default cap, or the 5.9 GB the 200 MB line took to be
/// tagged and indexed before `--max-article-size`.
const MAX_RSS_KIB: i64 = 1024 * 1024;

#[test]
fn hostile_corpus_is_indexed_without_crash_or_loss() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("corpus");
    let corpus = build_hostile_corpus(&root);
    let index = tmp.path().join("ix");
    let args: Vec<&OsStr> = vec![
        OsStr::new("index"),
        root.as_os_str(),
        OsStr::new("--follow-links"),
        OsStr::new("--threads"),
        OsStr::new("2"),
        OsStr::new("--format"),
        OsStr::new("json"),
    ];
    // Reaped by `wait_with_rusage` (wait4), which clippy does not know.
    #[allow(clippy::zombie_processes)]
    let mut child = command(&index, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn newsdex");
    let stdout = drain(child.stdout.take().expect("stdout"));
    let stderr = drain(child.stderr.take().expect("stderr"));
    let ended = wait_with_rusage(&child);
    let stdout = String::from_utf8_lossy(&stdout.join().expect("stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&stderr.join().expect("stderr")).into_owned();
    eprintln!(
        "hostile corpus: exit {} (signal {:?}), peak RSS {} MiB",
        ended.code,
        ended.signal,
        ended.max_rss_kib / 1024
    );
    assert_eq!(ended.code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("summary is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));

    let lines: Vec<&str> = stderr.lines().collect();
    let mut missing = Vec::new();
    for bad in &corpus.bad {
        let named = lines
            .iter()
            .any(|l| l.contains(bad.name) && l.contains(&format!("({})", bad.reason)));
        if !named {
            missing.push(format!("{} as {}", bad.name, bad.reason));
        }
    }
    assert!(
        missing.is_empty(),
        "not reported on stderr: {missing:?}\nstderr:\n{stderr}\nsummary:\n{report:#}"
    );

    let mut reasons: std::collections::BTreeMap<&str, u64> = Default::default();
    for bad in &corpus.bad {
        *reasons.entry(bad.reason).or_default() += 1;
    }
    for (reason, count) in &reasons {
        assert_eq!(
            skipped(&report, reason),
            *count,
            "skipped as {reason}: {report:#}"
        );
    }
    let skipped_total: u64 = report["skipped"]
        .as_object()
        .expect("skipped")
        .values()
        .map(|t| t["count"].as_u64().expect("count"))
        .sum();
    assert_eq!(skipped_total, corpus.bad.len() as u64, "{report:#}");
    assert_eq!(report["unsupported"][".png"], 1, "{report:#}");
    assert_eq!(
        report["warnings"]["decoded"]["count"], 3,
        "Latin-1, UTF-16 and invalid UTF-8: {report:#}"
    );
    assert_eq!(
        report["warnings"]["date"]["count"], 3,
        "0000-00-00, 2025-02-31, 99999-01-01: {report:#}"
    );

    let articles: std::collections::BTreeSet<&Path> =
        corpus.good.iter().map(|g| g.path.as_path()).collect();
    let mut expected_articles = articles.len() as u64;
    // mixed.jsonl holds three good records, counted once above.
    expected_articles += 2;
    assert_eq!(
        report["total_articles"].as_u64(),
        Some(expected_articles),
        "{report:#}"
    );

    let mut lost = Vec::new();
    for good in &corpus.good {
        let hits = search_hits(&index, &good.word);
        let want = good.path.to_string_lossy();
        let found = hits.iter().any(|h| h["path"].as_str() == Some(&*want));
        if hits.len() != 1 || !found {
            lost.push(format!("{} ({want}): {} hits", good.word, hits.len()));
        }
    }
    assert!(lost.is_empty(), "good articles not found: {lost:#?}");
    let tallies: Vec<String> = reasons.iter().map(|(r, n)| format!("{r} {n}")).collect();
    eprintln!(
        "hostile corpus: {} good articles expected, {} indexed, all {} searched words found; \
         {} bad files reported ({})",
        expected_articles,
        report["total_articles"],
        corpus.good.len(),
        corpus.bad.len(),
        tallies.join(", ")
    );

    assert!(
        ended.max_rss_kib < MAX_RSS_KIB,
        "peak RSS {} MiB over the {} MiB bound",
        ended.max_rss_kib / 1024,
        MAX_RSS_KIB / 1024
    );
}

#[test]
fn files_over_the_caps_are_skipped_as_too_large() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("corpus");
    write(&root.join("small.txt"), article("zqsmall").as_bytes());
    write(
        &root.join("large.txt"),
        article("zqlarge").repeat(30).as_bytes(),
    );
    write(
        &root.join("expands.txt.gz"),
        &gzip(article("zqexpands").repeat(30).as_bytes()),
    );
    let mut lines = String::from("{\"title\": \"Short zqshortline\"}\n");
    lines.push_str(&format!(
        "{{\"title\": \"Long\", \"body\": \"{}\"}}\n",
        "x".repeat(5000)
    ));
    write(&root.join("lines.jsonl"), lines.as_bytes());
    let index = tmp.path().join("ix");
    let run = newsdex_ok(
        &index,
        &[
            "index",
            root.to_str().expect("utf8"),
            "--max-file-size",
            "1000",
            "--max-decompressed",
            "1KiB",
            "--format",
            "json",
        ],
    );
    let report = run.json();
    assert_eq!(skipped(&report, "too-large"), 3, "{report:#}");
    for name in [
        "large.txt: skipped (too-large)",
        "expands.txt.gz: skipped (too-large)",
        "lines.jsonl: skipped (too-large): line 2",
    ] {
        assert!(
            run.stderr.lines().any(|l| l.contains(name)),
            "{name} not reported as too-large:\n{}",
            run.stderr
        );
    }
    assert_eq!(report["total_articles"], 2, "{report:#}");
    assert_eq!(search_hits(&index, "zqsmall").len(), 1);
    assert_eq!(search_hits(&index, "zqshortline").len(), 1);
}

/// A file found by the walk and deleted before it is read is skipped as `unreadable`; the run
/// goes on. To delete it at the right moment without sleeping, the indexer runs on one thread
/// (files in walk order) with stderr in a 4 KiB pipe the test does not read yet: the warnings for
/// the padding files fill the pipe and block the indexer, which has then finished the walk but
/// cannot get near the doomed file, only a few files ahead of the one it is reporting.
#[test]
fn file_deleted_during_the_run_is_reported_and_the_run_completes() {
    const PADDING: usize = 20;
    const GOOD: usize = 8;
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("corpus");
    for i in 0..PADDING {
        let name = format!("{i:03}-{}.txt", "padding".repeat(28));
        write(&root.join("a-padding").join(name), b"");
    }
    let words: Vec<String> = (0..GOOD).map(|i| format!("zqkept{}", letter(i))).collect();
    for (i, word) in words.iter().enumerate() {
        write(
            &root.join("b-good").join(format!("{i}.txt")),
            article(word).as_bytes(),
        );
    }
    let doomed = root.join("c-vanishes.txt");
    write(&doomed, article("zqvanished").as_bytes());

    let index = tmp.path().join("ix");
    let (mut stderr, stderr_writer) = util::small_pipe();
    let mut child = command(
        &index,
        &[
            OsStr::new("index"),
            root.as_os_str(),
            OsStr::new("--threads"),
            OsStr::new("1"),
            OsStr::new("--format"),
            OsStr::new("json"),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(stderr_writer)
    .spawn()
    .expect("spawn");
    let stdout = drain(child.stdout.take().expect("stdout"));
    while util::pipe_pending(&stderr) == 0 {
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the indexer ended before warning about the padding files"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::fs::remove_file(&doomed).expect("delete while the run goes on");
    let mut warnings = String::new();
    stderr.read_to_string(&mut warnings).expect("stderr");
    let status = child.wait().expect("wait");
    let stdout = String::from_utf8_lossy(&stdout.join().expect("stdout")).into_owned();
    assert!(status.success(), "{status}\n{stdout}\n{warnings}");
    let report: Value = serde_json::from_str(&stdout).expect("summary JSON");
    assert_eq!(skipped(&report, "unreadable"), 1, "{report:#}\n{warnings}");
    assert!(
        warnings
            .lines()
            .any(|l| l.contains("c-vanishes.txt: skipped (unreadable)")),
        "{warnings}"
    );
    assert_eq!(skipped(&report, "empty"), PADDING as u64, "{report:#}");
    assert_eq!(report["total_articles"], GOOD as u64, "{report:#}");
    for word in &words {
        assert_eq!(search_hits(&index, word).len(), 1, "{word}");
    }
}

/// The i-th lower-case letter, to make distinct words without digits.
fn letter(i: usize) -> char {
    (b'a' + i as u8) as char
}

/// The query parser caps nesting instead of recursing until the stack overflows.
#[test]
fn deeply_nested_query_is_an_error_not_a_crash() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("corpus");
    write(&root.join("a.txt"), article("zqquery").as_bytes());
    let index = tmp.path().join("ix");
    newsdex_ok(&index, &["index", root.to_str().expect("utf8"), "--quiet"]);
    let query = format!("{}zqquery{}", "(".repeat(30_000), ")".repeat(30_000));
    let run = newsdex(&index, &["search", &query]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nesting too deep"), "{}", run.stderr);
    let negated = format!("{}zqquery", "-(".repeat(30_000));
    let run = newsdex(&index, &["search", &negated]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
