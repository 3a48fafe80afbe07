//! In-process search benchmark: opens an index once and times each query of a query set,
//! two ways — top-10 + exact count, and top-10 + count + passages with highlights — reporting
//! p50/p95 per query type (term, and, phrase, date, sorted).
//!
//! `cargo bench --bench search -- INDEX_DIR QUERIES.json [REPS]`
//! (QUERIES.json: the `../shared/bench/queries/*.json` format: `q`, optional `since`/`until`.)
//!
//! `cargo bench --bench search -- INDEX_DIR --serve` answers one request a line on stdin,
//! `{"q": TEXT, "since": DATE?, "until": DATE?, "mode": "topk"|"snip"}`, with
//! `{"count": N, "t_us": MICROSECONDS}` — the protocol of `../shared/bench`'s in-process peers,
//! so `benches/versus_py.py` can interleave it query by query with tantivy-py on one machine
//! whose speed drifts.

use std::collections::BTreeMap;
use std::time::Instant;

use newsdex::search::request::{DateFilter, SearchRequest, SortOrder, ValueFilters};
use newsdex::search::{dates, hits, syntax};
use newsdex::store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(index_dir), Some(queries)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench search -- INDEX_DIR QUERIES.json [REPS]");
        return Ok(());
    };
    let reps: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(7);
    let store = store::open(std::path::Path::new(index_dir))?;
    let reader = store.index.reader()?;
    let searcher = reader.searcher();
    if queries == "--serve" {
        return serve(&store, &searcher);
    }
    let set: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(queries)?)?;
    let mut cases = Vec::new();
    for q in set["queries"].as_array().ok_or("no queries")? {
        let text = q["q"].as_str().unwrap_or_default().to_string();
        let dated = date_filter(q);
        let kind = if dated.since.is_some() || dated.until.is_some() {
            "date"
        } else if text.contains('"') {
            "phrase"
        } else if text.split_whitespace().count() > 1 {
            "and"
        } else {
            "term"
        };
        cases.push((kind, text.clone(), dated, SortOrder::Relevance));
        if kind == "term" {
            cases.push(("sorted", text, DateFilter::default(), SortOrder::Newest));
        }
    }
    let mut times: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    for rep in 0..reps + 2 {
        for (kind, text, dated, sort) in &cases {
            for (mode, passages) in [("topk", 0usize), ("passages", 1)] {
                let request = request(text, *dated, *sort, passages)?;
                let started = Instant::now();
                let response = hits::search(&store, &searcher, &request)?;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                std::hint::black_box(response.total);
                if rep >= 2 {
                    times.entry((*kind, mode)).or_default().push(ms);
                }
            }
        }
    }
    println!(
        "{:<8} {:<9} {:>6} {:>9} {:>9}",
        "type", "mode", "n", "p50 ms", "p95 ms"
    );
    let mut all: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for ((kind, mode), mut ms) in times {
        all.entry(mode).or_default().extend(&ms);
        ms.sort_by(f64::total_cmp);
        println!(
            "{kind:<8} {mode:<9} {:>6} {:>9.3} {:>9.3}",
            ms.len(),
            pct(&ms, 0.5),
            pct(&ms, 0.95)
        );
    }
    for (mode, mut ms) in all {
        ms.sort_by(f64::total_cmp);
        println!(
            "{:<8} {mode:<9} {:>6} {:>9.3} {:>9.3}",
            "all",
            ms.len(),
            pct(&ms, 0.5),
            pct(&ms, 0.95)
        );
    }
    Ok(())
}

/// A fixed "now" for relative dates, so runs compare.
const NOW: i64 = 1_795_737_600;

/// The `since`/`until` of a query set entry or a served request (`YYYY-MM-DD` or RFC 3339).
fn date_filter(query: &serde_json::Value) -> DateFilter {
    let bound = |key: &str, end: bool| {
        query[key]
            .as_str()
            .and_then(|t| dates::parse_bound(t, NOW).ok())
            .map(|(since, until)| if end { until } else { since })
    };
    DateFilter {
        since: bound("since", false),
        until: bound("until", true),
        undated: false,
    }
}

/// Top 10 with `passages` passages each, not collapsed: what the peers are timed doing.
fn request(
    text: &str,
    dates: DateFilter,
    sort: SortOrder,
    passages: usize,
) -> Result<SearchRequest, Box<dyn std::error::Error>> {
    Ok(SearchRequest {
        query_text: text.to_string(),
        query: syntax::parse(
            text,
            &syntax::ParseOptions {
                any: false,
                now: NOW,
            },
        )
        .map_err(|e| e.message)?,
        dates,
        values: ValueFilters::default(),
        sort,
        limit: 10,
        offset: 0,
        passages,
        collapse: false,
        copy_ids: false,
        facets: false,
        count_only: false,
    })
}

fn serve(
    store: &store::Store,
    searcher: &tantivy::Searcher,
) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::{BufRead, Write};
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let ask: serde_json::Value = serde_json::from_str(&line)?;
        let dated = date_filter(&ask);
        let passages = usize::from(ask["mode"] == "snip");
        let request = request(
            ask["q"].as_str().unwrap_or_default(),
            dated,
            SortOrder::Relevance,
            passages,
        )?;
        let started = Instant::now();
        let response = hits::search(store, searcher, &request)?;
        let us = started.elapsed().as_secs_f64() * 1e6;
        writeln!(
            out,
            "{}",
            serde_json::json!({"count": response.total, "t_us": us})
        )?;
        out.flush()?;
    }
    Ok(())
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
