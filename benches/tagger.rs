//! Entity tagger throughput on one core: tokens per second of the tagger alone (tokenise,
//! features, perceptron scores, Viterbi → spans), of the whole extractor (plus canonical
//! names), and of canonical naming alone (on spans tagged beforehand), over the bodies of a
//! JSON Lines corpus.
//!
//! `cargo bench --bench tagger -- CORPUS.jsonl [MAX_ARTICLES] [REPS]`
//! e.g. `cargo bench --bench tagger -- ../shared/corpora/reuters21578/reuters21578.jsonl`

use std::io::BufRead;
use std::time::Instant;

use newsdex::entities::{embedded, tokenize, EntityExtractor};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(corpus) = args.first() else {
        eprintln!("usage: cargo bench --bench tagger -- CORPUS.jsonl [MAX_ARTICLES] [REPS]");
        return Ok(());
    };
    let max: usize = args
        .get(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let reps: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(3);
    let texts = read_texts(corpus, max)?;
    let tokens: usize = texts.iter().map(|t| tokenize::tokenize(t).len()).sum();
    let bytes: usize = texts.iter().map(String::len).sum();
    let tagger = embedded();
    println!(
        "{} articles, {} tokens, {:.1} MB",
        texts.len(),
        tokens,
        bytes as f64 / 1e6
    );
    let mut found = 0;
    let spans = best_of(reps, || {
        found = texts.iter().map(|t| tagger.spans(t).len()).sum();
    });
    let mut mentions = 0;
    let mut digest = 0u64;
    let full = best_of(reps, || {
        (mentions, digest) = (0, 0);
        for t in &texts {
            let ms = tagger.mentions(t);
            mentions += ms.len();
            digest = ms.iter().fold(digest, |d, m| {
                let line = format!("{:?}\t{}\t{}\t{}", m.kind, m.start, m.end, m.name);
                xxhash_rust::xxh3::xxh3_64_with_seed(line.as_bytes(), d)
            });
        }
    });
    let tagged: Vec<_> = texts.iter().map(|t| tagger.spans(t)).collect();
    let mut named = 0;
    let names = best_of(reps, || {
        named = texts
            .iter()
            .zip(&tagged)
            .map(|(t, s)| tagger.name_spans(t, s).len())
            .sum();
    });
    for (what, secs, n) in [
        ("tagger (spans)", spans, found),
        ("extractor (names)", full, mentions),
        ("names alone", names, named),
    ] {
        println!(
            "{what:18} {:6.2} M tokens/s  {:6.2} MB/s  {:.3} s best of {reps}  ({n} entities)",
            tokens as f64 / secs / 1e6,
            bytes as f64 / secs / 1e6,
            secs
        );
    }
    // Equal digests mean equal output (types, offsets, names): a speed change must keep it.
    println!("mentions digest {digest:016x}");
    Ok(())
}

/// Title and body of each line's article, joined as the indexer passes them to the extractor.
fn read_texts(path: &str, max: usize) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut texts = Vec::new();
    for line in file.lines().take(max) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line?) else {
            continue;
        };
        let field = |k: &str| value[k].as_str().unwrap_or_default().to_string();
        texts.push(format!("{}\n\n{}", field("title"), field("body")));
    }
    Ok(texts)
}

/// The fastest of `reps` runs, in seconds: the least disturbed by other work on the machine.
fn best_of(reps: usize, mut run: impl FnMut()) -> f64 {
    (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}
