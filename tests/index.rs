//! The indexer, run as a user runs it: the real binary on real files.

mod util;

use std::collections::BTreeMap;

use serde_json::Value;
use util::{copy_tree, newsdex, newsdex_ok, sample_corpus, shared_corpus};

fn expected() -> Value {
    let text = std::fs::read_to_string(util::root().join("tests/fixtures/sample_expected.json"))
        .expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn index_json(index: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["index"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--quiet"]);
    newsdex_ok(index, &all).json()
}

fn skipped(report: &Value, reason: &str) -> u64 {
    report["skipped"][reason]["count"].as_u64().unwrap_or(0)
}

#[test]
fn sample_corpus_counts_per_outcome() {
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("ix");
    let corpus = sample_corpus();
    let report = index_json(&index, &[corpus.to_str().expect("utf8")]);
    let totals = &expected()["totals"];
    assert_eq!(report["total_articles"], totals["articles"], "{report:#}");
    assert_eq!(report["added"], totals["articles"]);
    assert_eq!(report["files_indexed"], totals["files_indexed"]);
    assert_eq!(
        skipped(&report, "empty"),
        totals["empty"].as_u64().expect("n")
    );
    assert_eq!(
        skipped(&report, "binary"),
        totals["binary"].as_u64().expect("n")
    );
    assert_eq!(
        skipped(&report, "unsupported"),
        totals["unsupported"].as_u64().expect("n")
    );
    assert_eq!(
        skipped(&report, "bad-record"),
        1,
        "the one broken JSONL line: {report:#}"
    );
    assert!(
        report["duplicates"].as_u64().expect("n") >= 1,
        "the exact duplicate pair is counted"
    );
    let stats = newsdex_ok(&index, &["stats", "--format", "json"]).json();
    assert_eq!(stats["articles"], totals["articles"]);
    for key in [
        "date_min",
        "date_max",
        "undated",
        "sources",
        "formats",
        "languages",
        "top_entities",
        "index_bytes",
    ] {
        assert!(stats.get(key).is_some(), "stats lacks {key}: {stats:#}");
    }
    assert_eq!(stats["date_min"], "1987-10-19T01:16:31Z");
}

/// Every indexed file of the sample corpus parses to exactly the expected records.
#[test]
fn sample_corpus_metadata_per_format() {
    let corpus = sample_corpus();
    let fixture = expected();
    let files = fixture["files"].as_array().expect("files");
    let mut paths = Vec::new();
    for file in files.iter().filter(|f| f["outcome"] == "indexed") {
        paths.push(corpus.join(file["path"].as_str().expect("path")));
    }
    let mut args = vec!["parse".to_string(), "--format".into(), "jsonl".into()];
    args.extend(paths.iter().map(|p| p.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let tmp = tempfile::tempdir().expect("tmp");
    let run = newsdex_ok(tmp.path(), &args);
    let mut by_file: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for line in run.json_lines() {
        let path = line["path"].as_str().expect("path").to_string();
        by_file.entry(path).or_default().push(line);
    }
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| f["outcome"] == "indexed") {
        let rel = file["path"].as_str().expect("path");
        let got = by_file
            .get(&*corpus.join(rel).to_string_lossy())
            .cloned()
            .unwrap_or_default();
        let want = file["records"].as_array().expect("records");
        if got.len() != want.len() {
            problems.push(format!(
                "{rel}: {} records, expected {}",
                got.len(),
                want.len()
            ));
            continue;
        }
        for (g, w) in got.iter().zip(want) {
            for key in [
                "record",
                "title",
                "source",
                "authors",
                "url",
                "date_precision",
                "lang",
            ] {
                if g[key] != w[key] {
                    problems.push(format!(
                        "{rel} #{}: {key} = {}, expected {}",
                        w["record"], g[key], w[key]
                    ));
                }
            }
            let date = g["date"]
                .as_str()
                .map(|d| shorten(d, g["date_precision"].as_str()));
            if date.as_deref() != w["date"].as_str() {
                problems.push(format!(
                    "{rel} #{}: date = {:?}, expected {}",
                    w["record"], date, w["date"]
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Dates print as RFC 3339; the fixture writes them at their precision.
fn shorten(rfc3339: &str, precision: Option<&str>) -> String {
    match precision {
        Some("year") => rfc3339[..4].to_string(),
        Some("month") => rfc3339[..7].to_string(),
        Some("day") => rfc3339[..10].to_string(),
        _ => rfc3339.to_string(),
    }
}

#[test]
fn incremental_add_change_delete() {
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = tmp.path().join("corpus");
    copy_tree(&sample_corpus(), &corpus);
    let index = tmp.path().join("ix");
    let c = corpus.to_str().expect("utf8");
    let total = expected()["totals"]["articles"].as_u64().expect("n");
    let first = index_json(&index, &[c]);
    assert_eq!(first["added"].as_u64(), Some(total));

    let again = index_json(&index, &[c]);
    assert_eq!(again["added"], 0, "{again:#}");
    assert_eq!(again["updated"], 0);
    assert_eq!(again["unchanged"].as_u64(), Some(total));
    assert_eq!(again["total_articles"].as_u64(), Some(total));

    let seed = corpus.join("seed/000_61f7630e8f73655a.txt");
    let mut text = std::fs::read_to_string(&seed).expect("seed");
    text.push_str("\nA correction was appended.\n");
    std::fs::write(&seed, text).expect("write");
    std::fs::remove_file(corpus.join("harbour-gazette/dock-strike-ends.md")).expect("rm");
    std::fs::write(
        corpus.join("new-article.txt"),
        "Ferry returns\n\nThe Saltmere ferry ran again.\n",
    )
    .expect("write");
    let changed = index_json(&index, &[c]);
    assert_eq!(changed["updated"], 1, "{changed:#}");
    assert_eq!(changed["removed"], 1);
    assert_eq!(changed["added"], 1);
    assert_eq!(changed["total_articles"].as_u64(), Some(total));

    let rebuilt = index_json(&index, &[c, "--rebuild"]);
    assert_eq!(rebuilt["added"].as_u64(), Some(total));
    assert_eq!(rebuilt["total_articles"].as_u64(), Some(total));
}

/// The `.store` files of an index: one per segment, named by the segment's id.
fn segment_files(index: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(index)
        .expect("index dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".store"))
        .collect();
    names.sort();
    names
}

#[test]
fn runs_adding_a_few_files_merge_only_the_small_segments() {
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).expect("mkdir");
    let lines: String = (0..400)
        .map(|n| format!("{{\"title\": \"Report {n}\", \"body\": \"Tide table number {n}.\"}}\n"))
        .collect();
    std::fs::write(corpus.join("archive.jsonl"), lines).expect("write");
    let index = tmp.path().join("ix");
    let c = corpus.to_str().expect("utf8");
    index_json(&index, &[c, "--threads", "1"]);
    let first = segment_files(&index);
    assert_eq!(first.len(), 1, "{first:?}");
    for day in 0..5 {
        std::fs::write(
            corpus.join(format!("day-{day}.txt")),
            format!("Day {day}\n\nThe ferry ran on day {day}.\n"),
        )
        .expect("write");
        let run = index_json(&index, &[c, "--threads", "1"]);
        assert_eq!(run["added"], 1, "{run:#}");
        let now = segment_files(&index);
        // The large segment is never rewritten; the new small ones become one.
        assert!(now.contains(&first[0]), "day {day}: {now:?}");
        assert!(now.len() <= 2, "day {day}: {now:?}");
    }
    let stats = newsdex_ok(&index, &["stats", "--format", "json"]).json();
    assert_eq!(stats["articles"], 405, "{stats:#}");
    assert!(stats["segments"].as_u64() <= Some(2), "{stats:#}");
}

#[test]
fn deleting_only_touches_the_roots_walked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("ix");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::create_dir_all(&b).expect("mkdir");
    std::fs::write(a.join("one.txt"), "One\n\nFirst body.\n").expect("write");
    std::fs::write(b.join("two.txt"), "Two\n\nSecond body.\n").expect("write");
    index_json(
        &index,
        &[a.to_str().expect("utf8"), b.to_str().expect("utf8")],
    );
    let only_a = index_json(&index, &[a.to_str().expect("utf8")]);
    assert_eq!(only_a["removed"], 0, "{only_a:#}");
    assert_eq!(only_a["total_articles"], 2);
}

#[test]
fn second_writer_is_refused_with_the_pid() {
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("ix");
    std::fs::create_dir_all(&index).expect("mkdir");
    let _lock = newsdex::store::WriteLock::acquire(&index).expect("lock");
    let run = newsdex(
        &index,
        &["index", sample_corpus().to_str().expect("utf8"), "--quiet"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let pid = std::process::id().to_string();
    assert!(
        run.stderr.contains("being written by another process"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&pid), "{}", run.stderr);
}

#[test]
fn bad_arguments_exit_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = newsdex(tmp.path(), &["index", "/no/such/folder"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("/no/such/folder"), "{}", run.stderr);
    let run = newsdex(&tmp.path().join("none"), &["stats"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no index here"), "{}", run.stderr);
}

#[test]
fn bbc_corpus_indexes_every_article() {
    let Some(bbc) = shared_corpus("bbc") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("ix");
    let report = index_json(
        &index,
        &[
            bbc.to_str().expect("utf8"),
            "--no-entities",
            "--exclude",
            "README*",
        ],
    );
    assert_eq!(report["total_articles"], 2225, "{report:#}");
    assert!(
        report["duplicates"].as_u64().expect("n") >= 98,
        "98 byte-identical pairs: {report:#}"
    );
    assert_eq!(
        report["warnings"]["decoded"]["count"], 1,
        "sport/199.txt is Latin-1: {report:#}"
    );
}

#[test]
fn reuters_jsonl_indexes_with_dates_and_resumes_cheaply() {
    let Some(reuters) = shared_corpus("reuters21578/reuters21578.jsonl") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("ix");
    let r = reuters.to_str().expect("utf8");
    let report = index_json(&index, &[r, "--no-entities"]);
    assert_eq!(
        report["total_articles"], 21577,
        "one story has neither title nor body: {report:#}"
    );
    assert_eq!(skipped(&report, "empty"), 1);
    let stats = newsdex_ok(&index, &["stats", "--format", "json"]).json();
    assert_eq!(stats["date_min"], "1987-02-26T15:01:01Z");
    assert_eq!(stats["date_max"], "1987-10-20T22:53:18Z");
    assert_eq!(stats["undated"], 1);
    let again = index_json(&index, &[r, "--no-entities"]);
    assert_eq!(again["added"], 0);
    assert_eq!(again["unchanged"], 21577);
}
