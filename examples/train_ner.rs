//! Trains the entity tagger on CoNLL-2003 and writes the weights.
//!
//! `cargo run --release --example train_ner -- --conll /work/shared/corpora/conll2003 --out data/ner/model.bin --seed 42`
//! Options: `--epochs N` (default 20), `--bits B` (log2 table rows, default 20),
//! `--models K` (seeds averaged, default 4), `--prune X` (drop rows below X, default 1). Prints dev scores per epoch.
use newsdex::entities::{embedded_lexicon, train, Tagger};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let conll = get("--conll").unwrap_or_else(|| "/work/shared/corpora/conll2003".into());
    let out = get("--out").unwrap_or_else(|| "data/ner/model.bin".into());
    let mut opts = train::TrainOptions::default();
    if let Some(s) = get("--seed") {
        opts.seed = s.parse().map_err(|e| format!("--seed: {e}"))?;
    }
    if let Some(s) = get("--epochs") {
        opts.epochs = s.parse().map_err(|e| format!("--epochs: {e}"))?;
    }
    if let Some(s) = get("--models") {
        opts.models = s.parse().map_err(|e| format!("--models: {e}"))?;
    }
    if let Some(s) = get("--prune") {
        opts.prune = s.parse().map_err(|e| format!("--prune: {e}"))?;
    }
    if let Some(s) = get("--bits") {
        opts.bits = s.parse().map_err(|e| format!("--bits: {e}"))?;
    }
    let read = |name: &str| {
        std::fs::read_to_string(format!("{conll}/{name}"))
            .map_err(|e| format!("{conll}/{name}: {e}"))
    };
    let train_docs = train::read_conll(&read("train.txt")?);
    let dev_docs = train::read_conll(&read("dev.txt")?);
    let lex = embedded_lexicon();
    eprintln!(
        "train: {} docs; gazetteer {} phrases; clusters {} words",
        train_docs.len(),
        lex.gazetteer.len(),
        lex.clusters.len()
    );
    let t0 = std::time::Instant::now();
    let model = train::train(&train_docs, &lex, opts, |epoch, m| {
        let tagger = Tagger::new(m.clone(), embedded_lexicon());
        let (all, three) = train::evaluate(&tagger, &dev_docs);
        eprintln!(
            "epoch {epoch:2}: dev 4-type F1 {:.2} (P {:.2} R {:.2}), 3-type F1 {:.2}  [{:.0}s]",
            all.f1,
            all.precision,
            all.recall,
            three.f1,
            t0.elapsed().as_secs_f64()
        );
    });
    let (all, three) = train::evaluate(&Tagger::new(model.clone(), embedded_lexicon()), &dev_docs);
    eprintln!(
        "final: dev 4-type F1 {:.2}, 3-type F1 {:.2}",
        all.f1, three.f1
    );
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "wrote {out}: {} bytes, {} feature rows stored",
        bytes.len(),
        model.stored_rows()
    );
    Ok(())
}
