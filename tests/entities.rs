//! Entities end to end: `annotate`, `entities`, and entity filters in `search`.

mod util;

use util::{index_sample_corpus, newsdex, newsdex_ok, sample_corpus};

/// The number of articles `search ARGS --count` finds in `index`.
fn search_count(index: &std::path::Path, args: &[&str]) -> u64 {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--count");
    newsdex_ok(index, &all)
        .stdout
        .trim()
        .parse()
        .expect("a count")
}

fn seed() -> std::path::PathBuf {
    sample_corpus().join("seed/000_61f7630e8f73655a.txt")
}

#[test]
fn annotate_reports_byte_offsets_types_and_canonical_names() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = seed();
    let run = newsdex_ok(
        tmp.path(),
        &[
            "annotate",
            "--format",
            "jsonl",
            path.to_str().expect("utf8"),
        ],
    );
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    let bytes = std::fs::read(&path).expect("seed");
    let mut names = Vec::new();
    for e in lines[0]["entities"].as_array().expect("entities") {
        let (s, t) = (
            e["start"].as_u64().expect("s") as usize,
            e["end"].as_u64().expect("e") as usize,
        );
        assert_eq!(
            &bytes[s..t],
            e["text"].as_str().expect("text").as_bytes(),
            "offsets point at the text"
        );
        names.push((
            e["type"].as_str().expect("type").to_string(),
            e["name"].as_str().expect("name").to_string(),
        ));
    }
    let has = |kind: &str, name: &str| names.iter().any(|(k, n)| k == kind && n == name);
    assert!(has("person", "Nayib Bukele"), "{names:?}");
    assert!(has("person", "Marco Rubio"), "{names:?}");
    assert!(has("place", "El Salvador"), "{names:?}");
    assert!(
        has("place", "United States"),
        "U.S. and US merge: {names:?}"
    );
    for spurious in ["Forget", "Here", "May", "God"] {
        assert!(
            !names.iter().any(|(_, n)| n == spurious),
            "{spurious} is not an entity: {names:?}"
        );
    }
    assert!(
        !names
            .iter()
            .any(|(_, n)| n.ends_with("'s") || n.ends_with('’')),
        "{names:?}"
    );
}

#[test]
fn entity_filters_and_top_entities_on_the_index() {
    let (_tmp, index) = index_sample_corpus();
    let run = newsdex_ok(
        &index,
        &[
            "search",
            "prison",
            "--person",
            "nayib bukele",
            "--format",
            "json",
        ],
    );
    let json = run.json();
    assert!(json["total"].as_u64().expect("n") >= 1);
    for hit in json["hits"].as_array().expect("hits") {
        let persons = hit["entities"]["persons"].as_array().expect("persons");
        assert!(persons.iter().any(|p| p == "Nayib Bukele"), "{hit}");
    }
    let missing = newsdex(&index, &["search", "prison", "--person", "Nayib Bukelle"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("closest known: \"Nayib Bukele\""),
        "{}",
        missing.stderr
    );

    let top = newsdex_ok(
        &index,
        &[
            "entities", "--type", "person", "--format", "json", "--limit", "5",
        ],
    )
    .json();
    let persons = top["persons"].as_array().expect("persons");
    assert!(!persons.is_empty() && persons.len() <= 5);
    assert!(top["orgs"].is_null(), "--type person shows only people");
    let counts: Vec<u64> = persons
        .iter()
        .map(|p| p["count"].as_u64().expect("n"))
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    let anchor = persons[0]["value"].as_str().expect("name");
    let with = newsdex_ok(&index, &["entities", "--with", anchor, "--format", "json"]).json();
    assert!(with["measure"]
        .as_str()
        .expect("measure")
        .starts_with("significance"));
    let anchor_articles = with["with_articles"].as_u64().expect("with_articles");
    assert_eq!(anchor_articles, persons[0]["count"].as_u64().expect("n"));
    for list in ["persons", "orgs", "places"] {
        for row in with[list].as_array().expect("list") {
            assert_ne!(row["value"], anchor);
            assert!(row["together"].as_u64().expect("n") >= 2 || anchor_articles < 5);
        }
    }

    // A name in one article still lists what it was seen with there.
    let single = newsdex_ok(
        &index,
        &["entities", "--with", "Nayib Bukele", "--format", "json"],
    )
    .json();
    assert_eq!(single["with_articles"], 1, "{single}");
    let places: Vec<&str> = single["places"]
        .as_array()
        .expect("places")
        .iter()
        .filter_map(|row| row["value"].as_str())
        .collect();
    assert!(places.contains(&"El Salvador"), "{single}");
}

/// Wire copy often names a leader by surname alone ("Prime Minister Varnetti said"). When the
/// archive knows one bearer of that surname by far, filters, facets and `stats` treat the lone
/// surname as that person; a surname two people share in full stays on its own.
#[test]
fn a_lone_surname_is_the_one_full_name_the_archive_knows_it_for() {
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let write = |name: &str, text: &str| {
        std::fs::write(corpus.join(name), text).expect("write");
    };
    for i in 0..3 {
        write(
            &format!("full{i}.txt"),
            "Budget talks resume\n\nPrime Minister Odalys Varnetti said on Tuesday that the \
             harbour budget would pass. Varnetti told reporters in Kessel that talks went well.\n",
        );
    }
    for i in 0..4 {
        write(
            &format!("lone{i}.txt"),
            "Ferry strike ends\n\nThe ferry strike ended on Monday, Prime Minister Varnetti \
             said in a statement to parliament.\n",
        );
    }
    for i in 0..2 {
        write(
            &format!("elise{i}.txt"),
            "Court ruling\n\nJudge Elise Brannock ruled on Friday that the port authority had \
             acted lawfully.\n",
        );
        write(
            &format!("marten{i}.txt"),
            "Harbour race\n\nSailor Marten Brannock won the harbour race on Sunday in Kessel.\n",
        );
        write(
            &format!("judge{i}.txt"),
            "Port appeal\n\nThe appeal was heard by Judge Brannock on Thursday, lawyers said.\n",
        );
    }
    let index = tmp.path().join("ix");
    newsdex_ok(
        &index,
        &["index", corpus.to_str().expect("utf8"), "--quiet"],
    );
    let count = |args: &[&str]| search_count(&index, args);
    assert_eq!(count(&["ferry", "--person", "Odalys Varnetti"]), 4);
    assert_eq!(count(&["person:\"odalys varnetti\""]), 7);
    assert_eq!(count(&["entity:\"Varnetti\""]), 7);
    assert_eq!(
        count(&["person:\"Brannock\""]),
        2,
        "two Brannocks: no merge"
    );
    assert_eq!(count(&["person:\"Elise Brannock\""]), 2);

    let persons = |json: &serde_json::Value, key: &str| -> Vec<(String, u64)> {
        json[key]
            .as_array()
            .expect("a list")
            .iter()
            .map(|row| {
                let value = row["value"].as_str().expect("value").to_string();
                (value, row["count"].as_u64().expect("count"))
            })
            .collect()
    };
    let expected: Vec<(String, u64)> = [
        ("Odalys Varnetti", 7),
        ("Brannock", 2),
        ("Elise Brannock", 2),
        ("Marten Brannock", 2),
    ]
    .iter()
    .map(|&(v, n)| (v.to_string(), n))
    .collect();
    let top = newsdex_ok(
        &index,
        &["entities", "--type", "person", "--format", "json"],
    )
    .json();
    assert_eq!(persons(&top, "persons"), expected);
    let stats = newsdex_ok(&index, &["stats", "--format", "json"]).json();
    assert_eq!(persons(&stats["top_entities"], "persons"), expected);
    let facets = newsdex_ok(
        &index,
        &["search", "ferry OR budget", "--facets", "--format", "json"],
    )
    .json();
    assert_eq!(
        persons(&facets["facets"], "persons"),
        [("Odalys Varnetti".to_string(), 7)]
    );
}

/// Filters alone say what to find: every article they keep, newest first; with no query and no
/// filter there is nothing to search for, which is a usage error.
#[test]
fn filters_alone_find_every_article_they_keep_newest_first() {
    let (_tmp, index) = index_sample_corpus();
    let count = |args: &[&str]| search_count(&index, args);
    let by_flag = newsdex_ok(
        &index,
        &[
            "search",
            "--person",
            "Ilse Marrow",
            "--format",
            "json",
            "--limit",
            "100",
        ],
    )
    .json();
    let hits = by_flag["hits"].as_array().expect("hits");
    assert_eq!(
        by_flag["total"].as_u64(),
        Some(count(&["person:\"Ilse Marrow\""]))
    );
    assert!(hits.len() > 2, "{by_flag}");
    let dates: Vec<&str> = hits
        .iter()
        .map(|h| h["date"].as_str().unwrap_or(""))
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1] || w[1].is_empty()),
        "newest first: {dates:?}"
    );
    for hit in hits {
        let persons = hit["entities"]["persons"].as_array().expect("persons");
        assert!(persons.iter().any(|p| p == "Ilse Marrow"), "{hit}");
    }
    assert_eq!(
        count(&["--since", "2025-03", "--until", "2025-03"]),
        count(&["date:2025-03"])
    );
    let nothing = newsdex(&index, &["search"]);
    assert_eq!(nothing.code, 2);
    assert!(
        nothing.stderr.contains("give a query, or a filter"),
        "{}",
        nothing.stderr
    );
    let blank = newsdex(&index, &["search", " "]);
    assert_eq!(blank.code, 2, "{}", blank.stderr);
}
