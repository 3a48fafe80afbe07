//! Search correctness on real news (../shared/corpora): counts against an independent engine
//! (SQLite FTS5 from Python), date ranges, sort orders, phrases on the stored text.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;
use util::{newsdex, newsdex_ok, shared_corpus};

const PHRASES: &[&str] = &[
    "\"oil prices\"",
    "\"interest rates\"",
    "\"trade deficit\"",
    "\"crude oil\"",
    "\"federal reserve\"",
    "\"money supply\"",
    "\"west german\"",
    "\"stock exchange\"",
];
const AND_QUERIES: &[&str] = &[
    "oil opec",
    "wheat export",
    "coffee brazil",
    "japan trade deficit",
    "yen dollar intervention",
];

fn reuters() -> Option<(PathBuf, &'static Path)> {
    let jsonl = shared_corpus("reuters21578/reuters21578.jsonl")?;
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tmp").keep();
        let index = dir.join("ix");
        newsdex_ok(
            &index,
            &[
                "index",
                jsonl.to_str().expect("utf8"),
                "--no-entities",
                "--quiet",
            ],
        );
        index
    });
    Some((jsonl, index.as_path()))
}

fn fts5_counts(jsonl: &Path, queries: &[&str]) -> Option<Vec<u64>> {
    let script = util::root().join("tests/scripts/fts5_counts.py");
    let output = match Command::new("python3")
        .arg(script)
        .arg(jsonl)
        .args(queries)
        .output()
    {
        Ok(output) if output.status.success() => output,
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "python3 with sqlite3 is needed in CI: {other:?}"
            );
            eprintln!("skipping: python3/sqlite3 unavailable: {other:?}");
            return None;
        }
    };
    let text = String::from_utf8_lossy(&output.stdout);
    Some(
        text.lines()
            .map(|l| {
                l.split('\t')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("count")
            })
            .collect(),
    )
}

fn total(index: &Path, query: &str, extra: &[&str]) -> u64 {
    let mut args = vec!["search", query, "--count"];
    args.extend_from_slice(extra);
    let run = newsdex(index, &args);
    assert!(run.code <= 1, "{query}: {}", run.stderr);
    run.stdout.trim().parse().expect("count")
}

fn search_json(index: &Path, args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = newsdex(index, &all);
    assert!(run.code <= 1, "{args:?}: {}", run.stderr);
    run.json()
}

#[test]
fn reuters_phrase_counts_equal_fts5_and_and_counts_are_at_least_fts5() {
    let Some((jsonl, index)) = reuters() else {
        return;
    };
    let mut queries: Vec<&str> = PHRASES.to_vec();
    queries.extend_from_slice(AND_QUERIES);
    let Some(expected) = fts5_counts(&jsonl, &queries) else {
        return;
    };
    let mut report = Vec::new();
    for (query, fts5) in queries.iter().zip(&expected) {
        let ours = total(index, query, &[]);
        report.push(format!("{query}: newsdex {ours}, fts5 {fts5}"));
        if query.starts_with('"') {
            assert_eq!(
                ours,
                *fts5,
                "phrase counts must be equal:\n{}",
                report.join("\n")
            );
        } else {
            assert!(
                ours >= *fts5,
                "stemmed AND finds at least as much:\n{}",
                report.join("\n")
            );
        }
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn reuters_date_ranges_hold_and_sorts_are_ordered() {
    let Some((_, index)) = reuters() else { return };
    let march = search_json(
        index,
        &[
            "oil",
            "--since",
            "1987-03-01",
            "--until",
            "1987-03-31",
            "--limit",
            "200",
            "--no-collapse",
        ],
    );
    assert!(march["total"].as_u64().expect("n") > 100);
    for hit in march["hits"].as_array().expect("hits") {
        assert!(
            hit["date"].as_str().expect("dated").starts_with("1987-03"),
            "{hit}"
        );
    }
    let may = total(index, "oil", &["--since", "1987-05", "--until", "1987-05"]);
    assert_eq!(may, 0, "Reuters has no stories in May 1987");
    let all = total(index, "oil", &[]);
    let parts: u64 = ["1987-02", "1987-03", "1987-04", "1987-06", "1987-10"]
        .iter()
        .map(|m| total(index, "oil", &["--since", m, "--until", m]))
        .sum();
    let undated = total(index, "oil", &["--undated"]);
    assert_eq!(parts + undated, all, "months partition the matches");
    let newest = search_json(index, &["oil", "--sort", "newest", "--limit", "50"]);
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[test]
fn reuters_phrase_hits_hold_the_phrase_in_stored_text() {
    let Some((_, index)) = reuters() else { return };
    let json = search_json(
        index,
        &["\"trade deficit\"", "--limit", "30", "--no-collapse"],
    );
    for hit in json["hits"].as_array().expect("hits") {
        let id = hit["id"].as_str().expect("id");
        let shown = newsdex_ok(index, &["show", id, "--format", "json"]).json();
        let text = format!(
            "{} {}",
            shown["article"]["title"].as_str().unwrap_or(""),
            shown["body"].as_str().unwrap_or("")
        )
        .to_lowercase();
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        assert!(words.windows(2).any(|w| w == ["trade", "deficit"]), "{id}");
    }
}

/// Plain words are stemmed at query time and matched against every indexed form of the stem:
/// the counts must be those of a stemmed analysis of the very same texts.
#[test]
fn reuters_plain_word_counts_equal_a_stemmed_analysis() {
    let Some((jsonl, index)) = reuters() else {
        return;
    };
    let words = [
        "deport",
        "oil",
        "prices",
        "shares",
        "acquisition",
        "trading",
        "economy",
    ];
    let mut stemmer = newsdex::schema::stemmed_analyzer();
    let stems: Vec<String> = words
        .iter()
        .map(|w| words_of(&mut stemmer, w).remove(0))
        .collect();
    let mut expected = vec![0u64; words.len()];
    let text = std::fs::read_to_string(&jsonl).expect("read jsonl");
    for line in text.lines() {
        let Ok(record) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let field = |k: &str| {
            record
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let all = format!("{}\n{}", field("title"), field("body"));
        let found: std::collections::HashSet<String> =
            words_of(&mut stemmer, &all).into_iter().collect();
        for (count, stem) in expected.iter_mut().zip(&stems) {
            *count += u64::from(found.contains(stem));
        }
    }
    for (word, want) in words.iter().zip(&expected) {
        assert_eq!(total(index, word, &[]), *want, "{word}");
    }
}

/// Where stem expansion looks in the term dictionary (`stem::shared_start`) must hold for every
/// real word: each starts with the shared start of its own stem.
#[test]
fn every_real_word_starts_with_the_shared_start_of_its_stem() {
    let Some(jsonl) = shared_corpus("reuters21578/reuters21578.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(jsonl).expect("read jsonl");
    let mut exact = newsdex::schema::exact_analyzer();
    let words: std::collections::BTreeSet<String> =
        words_of(&mut exact, &text).into_iter().collect();
    assert!(words.len() > 20_000, "{} words", words.len());
    let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
    let wrong: Vec<String> = words
        .iter()
        .filter_map(|word| {
            let stem = stemmer.stem(word);
            let start = newsdex::stem::shared_start(&stem);
            (!word.starts_with(start)).then(|| format!("{word} → {stem} → {start}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

fn words_of(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// 20 Newsgroups posts are extension-less files opened by a Usenet header (with keys such as
/// `Article-I.D.`): every one of a group is indexed as text, and quoted reply marks (`>I`) never
/// become entity names.
#[test]
fn usenet_posts_are_all_indexed_and_quote_marks_are_not_names() {
    let Some(archive) = shared_corpus("20newsgroups/20_newsgroups.tar.gz") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let group = "20_newsgroups/sci.crypt";
    let untar = Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.path())
        .arg(group)
        .status()
        .expect("tar runs");
    assert!(untar.success(), "tar could not unpack {group}");
    let posts = dir.path().join(group);
    let files = std::fs::read_dir(&posts).expect("group folder").count();
    assert!(files > 900, "{files} posts unpacked");

    let index = dir.path().join("ix");
    let run = newsdex_ok(&index, &["index", posts.to_str().expect("utf8")]);
    assert!(!run.stderr.contains("unsupported"), "{}", run.stderr);
    let stats = newsdex_ok(&index, &["stats", "--format", "json"]).json();
    assert_eq!(stats["articles"].as_u64(), Some(files as u64), "{stats}");
    assert_eq!(
        stats["formats"],
        serde_json::json!([{"value": "txt", "count": files}]),
        "{stats}"
    );
    let entities = newsdex_ok(&index, &["entities", "--limit", "50", "--format", "json"]).json();
    let names: Vec<&str> = ["persons", "orgs", "places"]
        .iter()
        .filter_map(|kind| entities[kind].as_array())
        .flatten()
        .filter_map(|row| row["value"].as_str())
        .collect();
    assert!(names.len() > 100, "{entities}");
    assert!(names.iter().all(|name| !name.starts_with('>')), "{names:?}");
}
