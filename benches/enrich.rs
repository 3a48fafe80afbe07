//! Enrichment's own costs per article, apart from tantivy and entities: language detection,
//! word count and content hash over the titles and bodies of a JSON Lines corpus.
//!
//! `cargo bench --bench enrich -- CORPUS.jsonl [REPS]`
//! e.g. `cargo bench --bench enrich -- ../shared/corpora/reuters21578/reuters21578.jsonl`
//!
//! The digest line hashes every output: a speed change must leave it as it was.

use std::io::BufRead;
use std::time::Instant;

use newsdex::ingest::enrich::{content_hash, lang, word_count};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(corpus) = args.first() else {
        eprintln!("usage: cargo bench --bench enrich -- CORPUS.jsonl [REPS]");
        return Ok(());
    };
    let reps: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(5);
    let articles = read_articles(corpus)?;
    let bytes: usize = articles.iter().map(|(t, b)| t.len() + b.len()).sum();
    println!("{} articles, {:.1} MB", articles.len(), bytes as f64 / 1e6);
    let mut digest = 0u64;
    let mix = |d: &mut u64, s: &str| *d = xxhash_rust::xxh3::xxh3_64_with_seed(s.as_bytes(), *d);
    let mut langs = 0u64;
    let lang_secs = best_of(reps, || {
        langs = 0;
        for (t, b) in &articles {
            let code = lang::detect(t, b);
            mix(&mut langs, code.as_deref().unwrap_or("-"));
        }
    });
    let mut words = 0u64;
    let count_secs = best_of(reps, || {
        words = articles
            .iter()
            .map(|(t, b)| word_count(t) + word_count(b))
            .sum();
    });
    let mut hashes = 0u64;
    let hash_secs = best_of(reps, || {
        hashes = 0;
        for (t, b) in &articles {
            mix(&mut hashes, &content_hash(t, b));
        }
    });
    for (what, secs) in [
        ("language", lang_secs),
        ("word count", count_secs),
        ("content hash", hash_secs),
    ] {
        println!(
            "{what:14} {:8.0} ns/article {:8.1} MB/s  {:.3} s best of {reps}",
            secs * 1e9 / articles.len().max(1) as f64,
            bytes as f64 / secs / 1e6,
            secs
        );
    }
    mix(&mut digest, &format!("{langs} {words} {hashes}"));
    println!("outputs digest {digest:016x} ({words} words)");
    Ok(())
}

/// Title and body of each line's article.
fn read_articles(path: &str) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut articles = Vec::new();
    for line in file.lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line?) else {
            continue;
        };
        let field = |k: &str| value[k].as_str().unwrap_or_default().to_string();
        articles.push((field("title"), field("body")));
    }
    Ok(articles)
}

/// The fastest of `reps` runs, in seconds.
fn best_of(reps: usize, mut run: impl FnMut()) -> f64 {
    (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}
