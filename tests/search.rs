//! Search, run as a user runs it: the real binary on an index of the sample corpus.

mod util;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use util::{index_sample_corpus, newsdex, newsdex_ok};

/// One index of the sample corpus for the whole test binary.
fn index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let (tmp, index) = index_sample_corpus();
        // Kept for the whole test binary: the tests share it.
        let _kept = tmp.keep();
        index
    })
}

fn search(args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = newsdex(index(), &all);
    assert!(
        run.code == 0 || run.code == 1,
        "search {args:?}: exit {}: {}",
        run.code,
        run.stderr
    );
    let json = run.json();
    validate(&json);
    assert_eq!(
        run.code == 1,
        json["total"] == 0,
        "exit 1 exactly when nothing matched"
    );
    json
}

fn validate(json: &Value) {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        let text = std::fs::read_to_string(util::root().join("schema/search-response.schema.json"))
            .expect("schema");
        serde_json::from_str(&text).expect("schema JSON")
    });
    let errors = util::schema::violations(schema, json);
    assert!(
        errors.is_empty(),
        "search JSON does not match schema:\n{}\n{json:#}",
        errors.join("\n")
    );
}

fn hits(json: &Value) -> &Vec<Value> {
    json["hits"].as_array().expect("hits")
}

/// The full stored title + body of a hit, through `newsdex show`.
fn full_text(id: &str) -> String {
    let run = newsdex_ok(index(), &["show", id, "--format", "json"]);
    let json = run.json();
    format!(
        "{}\n{}",
        json["article"]["title"].as_str().unwrap_or(""),
        json["body"].as_str().unwrap_or("")
    )
}

/// Lower-cased words of a text, as the index splits them (accents kept: the corpus is ASCII here).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    let hay = words(text);
    let needle = words(phrase);
    hay.windows(needle.len()).any(|w| w == needle.as_slice())
}

#[test]
fn phrase_results_hold_the_phrase_and_highlight_it_as_one_span() {
    let json = search(&["\"dock strike\"", "--limit", "50", "--no-collapse"]);
    assert!(json["total"].as_u64().expect("total") >= 3, "{json:#}");
    assert_eq!(hits(&json).len() as u64, json["total"].as_u64().expect("n"));
    for hit in hits(&json) {
        let id = hit["id"].as_str().expect("id");
        assert!(
            contains_phrase(&full_text(id), "dock strike"),
            "{id} lacks the phrase"
        );
        for passage in hit["passages"].as_array().expect("passages") {
            let text = passage["text"].as_str().expect("text");
            for range in passage["highlights"].as_array().expect("highlights") {
                let (s, e) = (
                    range[0].as_u64().expect("s") as usize,
                    range[1].as_u64().expect("e") as usize,
                );
                assert_eq!(
                    words(&text[s..e]),
                    ["dock", "strike"],
                    "highlight {:?} in {text:?}",
                    &text[s..e]
                );
            }
        }
    }
}

#[test]
fn plain_words_match_stemmed_forms_and_highlights_point_at_matching_words() {
    let json = search(&["striking", "--limit", "50"]);
    assert!(json["total"].as_u64().expect("total") >= 3);
    let mut highlighted = 0;
    for hit in hits(&json) {
        for passage in hit["passages"].as_array().expect("passages") {
            let text = passage["text"].as_str().expect("text");
            for range in passage["highlights"].as_array().expect("highlights") {
                let (s, e) = (
                    range[0].as_u64().expect("s") as usize,
                    range[1].as_u64().expect("e") as usize,
                );
                assert!(
                    text[s..e].to_lowercase().starts_with("strik"),
                    "{:?}",
                    &text[s..e]
                );
                highlighted += 1;
            }
        }
    }
    assert!(highlighted > 0);
}

#[test]
fn date_filters_keep_whole_periods_inside_the_range() {
    let json = search(&[
        "port",
        "--since",
        "2025-03",
        "--until",
        "2025-03",
        "--limit",
        "100",
        "--no-collapse",
    ]);
    assert!(json["total"].as_u64().expect("total") >= 1);
    for hit in hits(&json) {
        let date = hit["date"].as_str().expect("dated");
        assert!(date.starts_with("2025-03"), "{date}");
    }
    // The year-precision article (2023) is inside --since 2023 but not inside a March range.
    let year = search(&["date:2023", "--limit", "100"]);
    for hit in hits(&year) {
        assert!(hit["date"].as_str().expect("dated").starts_with("2023"));
    }
    let narrow = search(&["date:[2023-03-01 TO 2023-03-31]", "--limit", "100"]);
    for hit in hits(&narrow) {
        assert_ne!(
            hit["date_precision"], "year",
            "a year-dated article is not inside one month"
        );
    }
    let undated = search(&["port", "--undated", "--limit", "100"]);
    for hit in hits(&undated) {
        assert!(hit["date"].is_null());
    }
}

#[test]
fn sort_orders_hold_with_undated_last() {
    for (order, newest_first) in [("newest", true), ("oldest", false)] {
        let json = search(&["port", "--sort", order, "--limit", "100", "--no-collapse"]);
        let dates: Vec<Option<&str>> = hits(&json).iter().map(|h| h["date"].as_str()).collect();
        let dated: Vec<&str> = dates.iter().flatten().copied().collect();
        let first_undated = dates
            .iter()
            .position(Option::is_none)
            .unwrap_or(dates.len());
        assert!(
            dates[first_undated..].iter().all(Option::is_none),
            "undated last: {dates:?}"
        );
        let mut sorted = dated.clone();
        sorted.sort();
        if newest_first {
            sorted.reverse();
        }
        assert_eq!(dated, sorted, "{order}");
    }
}

#[test]
fn paging_is_stable() {
    let all = search(&["port", "--limit", "6"]);
    let first = search(&["port", "--limit", "3"]);
    let second = search(&["port", "--limit", "3", "--offset", "3"]);
    let ids = |j: &Value| hits(j).iter().map(|h| h["id"].clone()).collect::<Vec<_>>();
    let mut paged = ids(&first);
    paged.extend(ids(&second));
    assert_eq!(ids(&all), paged);
}

#[test]
fn excluded_words_never_appear_and_are_never_highlighted() {
    let json = search(&["strike -union", "--limit", "100", "--no-collapse"]);
    assert!(json["total"].as_u64().expect("total") >= 1, "{json:#}");
    for hit in hits(&json) {
        let text = full_text(hit["id"].as_str().expect("id"));
        assert!(
            !words(&text).contains(&"union".to_string()),
            "{}",
            hit["id"]
        );
    }
}

#[test]
fn exact_duplicates_fold_into_one_hit() {
    let folded = search(&["\"Saltmere ferry\" timetable"]);
    let listed = search(&["\"Saltmere ferry\" timetable", "--no-collapse"]);
    assert_eq!(
        folded["total"], listed["total"],
        "the total counts articles"
    );
    assert_eq!(
        hits(&listed).len(),
        hits(&folded).len() + folded["collapsed"].as_u64().expect("n") as usize
    );
    assert!(
        hits(&folded)
            .iter()
            .any(|h| !h["copies"].as_array().expect("copies").is_empty()),
        "{folded:#}"
    );
    let copies: usize = hits(&folded)
        .iter()
        .map(|h| h["copies"].as_array().expect("copies").len())
        .sum();
    assert_eq!(
        folded["collapsed"].as_u64(),
        Some(copies as u64),
        "collapsed counts the copies folded into this page's hits"
    );
}

#[test]
fn no_match_prints_its_empty_result_and_exits_1() {
    let run = newsdex(index(), &["search", "zqxjvkwpq", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["total"], 0);
    validate(&json);
    let csv = newsdex(index(), &["search", "zqxjvkwpq", "--format", "csv"]);
    assert_eq!(csv.code, 1);
    assert!(csv.stdout.starts_with("rank,id,score"), "{}", csv.stdout);
}

#[test]
fn bad_queries_say_where_and_exit_2() {
    for (query, needle) in [
        ("\"judge tried", "query:1:1:"),
        ("a AND (b", "query:1:"),
        ("foo:bar", "unknown field"),
        ("date:2025-13", "query:1:"),
        ("", "empty"),
    ] {
        let run = newsdex(index(), &["search", query]);
        assert_eq!(run.code, 2, "{query:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{query:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"));
    }
}

#[test]
fn missing_index_says_how_to_create_one() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = newsdex(&tmp.path().join("none"), &["search", "port"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("newsdex index"), "{}", run.stderr);
}

#[test]
fn count_jsonl_and_csv_outputs() {
    let count = newsdex_ok(index(), &["search", "port", "--count"]);
    let total: u64 = count.stdout.trim().parse().expect("a number");
    let jsonl = newsdex_ok(
        index(),
        &["search", "port", "--format", "jsonl", "--limit", "3"],
    );
    let lines = jsonl.json_lines();
    let summary = lines.last().expect("summary");
    assert_eq!(summary["summary"], true);
    assert_eq!(summary["total"].as_u64(), Some(total));
    assert_eq!(lines.len(), 4);
    let csv = newsdex_ok(
        index(),
        &["search", "port", "--format", "csv", "--limit", "3"],
    );
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    assert_eq!(reader.records().count(), 3);
}

#[test]
fn text_output_marks_highlights_without_colour_when_piped() {
    let run = newsdex_ok(index(), &["search", "\"dock strike\""]);
    assert!(
        run.stdout.contains("[[dock strike]]")
            || run.stdout.contains("[[Dock strike]]")
            || run.stdout.contains("[[Dock Strike]]"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'));
}

#[test]
fn facets_count_over_all_matches() {
    let json = search(&["port", "--facets"]);
    let facets = &json["facets"];
    let sum: u64 = facets["languages"]
        .as_array()
        .expect("langs")
        .iter()
        .map(|v| v["count"].as_u64().expect("n"))
        .sum();
    assert!(sum <= json["total"].as_u64().expect("n"));
    assert!(!facets["sources"].as_array().expect("sources").is_empty());
}

#[test]
fn source_scope_matches_whole_value_or_any_word() {
    let whole = search(&[
        "source:\"Harbour Gazette\"",
        "--limit",
        "100",
        "--no-collapse",
    ]);
    assert!(whole["total"].as_u64().expect("n") >= 1, "{whole:#}");
    for hit in hits(&whole) {
        assert_eq!(
            hit["source"].as_str().map(str::to_lowercase).as_deref(),
            Some("harbour gazette")
        );
    }
    let word = search(&["source:gazette", "--limit", "100"]);
    assert!(word["total"].as_u64() >= whole["total"].as_u64());
}

/// An article copied more often than a page holds (a wire story printed everywhere) still
/// leaves room for the other articles: the page is filled with distinct articles.
#[test]
fn a_page_is_full_even_when_one_article_has_many_copies() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let mut lines = String::new();
    // Sixty copies of the best match, then five distinct weaker ones.
    for n in 0..60 {
        lines.push_str(&format!(
            "{{\"id\": \"wire-{n}\", \"title\": \"Harbour levy vote\", \"body\": \"The harbour levy vote passed. Harbour levy, harbour levy.\"}}\n"
        ));
    }
    for n in 0..5 {
        lines.push_str(&format!(
            "{{\"id\": \"local-{n}\", \"title\": \"Council notes {n}\", \"body\": \"Among other business the harbour was mentioned, item {n}.\"}}\n"
        ));
    }
    std::fs::write(corpus.join("wire.jsonl"), lines).expect("write");
    let index = dir.path().join("ix");
    newsdex_ok(
        &index,
        &["index", corpus.to_str().expect("utf8"), "--quiet"],
    );
    let run = newsdex(
        &index,
        &["search", "harbour", "--limit", "4", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    validate(&json);
    assert_eq!(json["total"], 65);
    let page = hits(&json);
    assert_eq!(page.len(), 4, "{json:#}");
    let copies = page[0]["copies"].as_array().expect("copies");
    assert_eq!(copies.len(), 59, "every copy is listed");
    assert_eq!(json["collapsed"], 59, "the copies folded into this page");
    // Text and CSV give the number of copies (their ids are not read for them).
    let text = newsdex_ok(&index, &["search", "harbour", "--limit", "4"]);
    assert!(text.stdout.contains("+59 copies"), "{}", text.stdout);
    let csv = newsdex_ok(
        &index,
        &["search", "harbour", "--limit", "4", "--format", "csv"],
    );
    let first_row = csv.stdout.lines().nth(1).expect("a row");
    assert!(first_row.ends_with(",59"), "{}", csv.stdout);
    assert!(page[1..].iter().all(|hit| hit["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Council"))));
}

#[test]
fn show_prints_the_article_with_its_metadata_and_marks() {
    let json = search(&["\"alien enemies act\""]);
    let id = hits(&json)[0]["id"].as_str().expect("id").to_string();
    let run = newsdex_ok(index(), &["show", &id, "--query", "bukele"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("A bunch of immigrants"),
        "{}",
        run.stdout
    );
    assert_eq!(
        lines[1], "2025-03-16",
        "a day-precise date, no empty fields"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("persons") && l.contains("Nayib Bukele")),
        "{}",
        run.stdout
    );
    assert!(lines.iter().any(|l| l.starts_with(&format!("id {id}  "))));
    assert!(run.stdout.contains("President Nayib [[Bukele]]"));
}

/// An offset far past the last match gives an empty page, not a failed allocation.
#[test]
fn a_huge_offset_is_an_empty_page() {
    for extra in [&[][..], &["--no-collapse"][..], &["--sort", "newest"][..]] {
        let mut args = vec![
            "search",
            "strike",
            "--offset",
            "18446744073709551000",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let run = newsdex(index(), &args);
        assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
        let json = run.json();
        validate(&json);
        assert!(json["total"].as_u64() > Some(0), "{json:#}");
        assert!(hits(&json).is_empty(), "{json:#}");
    }
}

/// The highlighted pieces of a hit's first passage.
fn first_passage_marks(hit: &Value) -> Vec<String> {
    let passage = &hit["passages"][0];
    let text = passage["text"].as_str().expect("text");
    passage["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|range| {
            let s = range[0].as_u64().expect("s") as usize;
            let e = range[1].as_u64().expect("e") as usize;
            text[s..e].to_string()
        })
        .collect()
}

#[test]
fn an_entity_filter_shows_the_passages_that_mention_it() {
    // Ilse Marrow is in 16 sample articles; most name her after their first sentences, which
    // a filter-only search used to show without a mark.
    for args in [
        vec!["--person", "Ilse Marrow"],
        vec!["person:\"ilse marrow\""],
        vec!["person:marrow"],
        vec!["--entity", "ILSE MARROW"],
    ] {
        let mut all = args.clone();
        all.extend(["--limit", "50", "--no-collapse"]);
        let json = search(&all);
        assert!(hits(&json).len() >= 10, "{args:?}: {json:#}");
        for hit in hits(&json) {
            let marks = first_passage_marks(hit);
            assert!(!marks.is_empty(), "{args:?}: no mention shown: {hit:#}");
            for mark in marks {
                assert!(mark.ends_with("Marrow"), "{args:?}: marked {mark:?}");
            }
        }
    }
    // A word and the person: the passage with the word is still found, the person marked where
    // the passage names her; an excluded person is never marked.
    let json = search(&["flood", "--person", "Ilse Marrow", "--limit", "50"]);
    assert!(!hits(&json).is_empty(), "{json:#}");
    for hit in hits(&json) {
        assert!(!first_passage_marks(hit).is_empty(), "{hit:#}");
    }
    let json = search(&["flood -person:\"Ilse Marrow\"", "--limit", "50"]);
    assert!(!hits(&json).is_empty(), "{json:#}");
    for hit in hits(&json) {
        for mark in first_passage_marks(hit) {
            assert!(!mark.contains("Marrow"), "excluded person marked: {hit:#}");
        }
    }
}
