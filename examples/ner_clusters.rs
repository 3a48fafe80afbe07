//! Learns the entity tagger's word clusters and case statistics from unlabelled news text.
//!
//! `cargo run --release --example ner_clusters -- --corpora /work/shared/corpora --out data/ner/clusters.tsv --seed 42`
//!
//! Options: `--fine N` (default 400), `--coarse N` (40), `--contexts N` (1000), `--seed S` (42).
//!
//! Reads Reuters-21578 (`reuters21578/reuters21578.jsonl`), BBC (`bbc/*/*.txt`), Wikinews
//! (`wikinews/*.csv`, column `text`), the GMB sentences (`gmb_ner/gmb_ner.conll`, words only) and the
//! CoNLL-2003 training text (`conll2003/train.txt`, words only). Missing inputs are skipped with a
//! message. Deterministic for a given seed and input.
use newsdex::entities::cluster_learn::{learn, ClusterOptions, Counts};
use std::path::Path;

/// Fields of a CSV file (RFC 4180 quoting), row by row.
fn csv_rows(data: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = data.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Words of a column file (first column), one sentence per line of output.
fn column_text(data: &str) -> String {
    let mut out = String::new();
    for line in data.lines() {
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        match line.split(' ').next() {
            Some(w) if !w.is_empty() => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push(' ');
                }
                out.push_str(w);
            }
            _ => {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out
}

fn read(path: &Path) -> Option<String> {
    match std::fs::read(path) {
        Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        Err(e) => {
            eprintln!("skipping {}: {e}", path.display());
            None
        }
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let root = get("--corpora").unwrap_or_else(|| "/work/shared/corpora".into());
    let out = get("--out").unwrap_or_else(|| "data/ner/clusters.tsv".into());
    let mut opts = ClusterOptions::default();
    if let Some(s) = get("--seed") {
        opts.seed = s.parse().map_err(|e| format!("--seed: {e}"))?;
    }
    for (flag, slot) in [
        ("--fine", &mut opts.fine),
        ("--coarse", &mut opts.coarse),
        ("--contexts", &mut opts.contexts),
    ] {
        if let Some(s) = get(flag) {
            *slot = s.parse().map_err(|e| format!("{flag}: {e}"))?;
        }
    }
    let root = Path::new(&root);
    let mut counts = Counts::default();
    let mut docs = 0usize;
    if let Some(data) = read(&root.join("reuters21578/reuters21578.jsonl")) {
        for line in data.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            for key in ["title", "body"] {
                if let Some(t) = v.get(key).and_then(|t| t.as_str()) {
                    // Bodies are hard-wrapped; paragraphs start with "\n    ".
                    let t = t
                        .replace("\n    ", "\u{2029}")
                        .replace('\n', " ")
                        .replace('\u{2029}', "\n");
                    counts.add_text(&t);
                }
            }
            docs += 1;
        }
    }
    let mut bbc: Vec<_> = std::fs::read_dir(root.join("bbc"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    bbc.sort();
    for dir in bbc {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            if let Some(t) = read(&f) {
                counts.add_text(&t);
                docs += 1;
            }
        }
    }
    for name in ["wikinews/wikinews_2019.csv", "wikinews/wikinews_2020.csv"] {
        if let Some(data) = read(&root.join(name)) {
            let rows = csv_rows(&data);
            let col = rows
                .first()
                .and_then(|h| h.iter().position(|c| c == "text"))
                .unwrap_or(3);
            for r in rows.iter().skip(1) {
                if let Some(t) = r.get(col) {
                    counts.add_text(t);
                    docs += 1;
                }
            }
        }
    }
    for name in ["gmb_ner/gmb_ner.conll", "conll2003/train.txt"] {
        if let Some(data) = read(&root.join(name)) {
            counts.add_text(&column_text(&data));
            docs += 1;
        }
    }
    eprintln!("read {docs} documents; clustering");
    let tsv = learn(&counts, opts);
    std::fs::write(&out, &tsv).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "wrote {out}: {} words, {} bytes",
        tsv.lines().count(),
        tsv.len()
    );
    Ok(())
}
