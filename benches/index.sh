#!/usr/bin/env bash
# Indexing benchmark: newsdex vs a bare tantivy loop with the same schema, on the same files,
# in one run. Prints MB/s, docs/s, peak RSS and index size / input size per variant.
#
#   bash benches/index.sh [FILE_OR_DIR ...]     (default: ../shared corpora Reuters JSONL and BBC)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo bench --no-run --quiet --bench bare_tantivy 2>/dev/null || true
bin=target/release/newsdex
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  inputs=(../shared/corpora/reuters21578/reuters21578.jsonl ../shared/corpora/bbc)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { # label, then command
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err"; return 1; }
  read -r secs rss <"$work/time"
  echo "$label|$secs|$rss"
}
printf '%-44s %8s %8s %9s %9s %9s\n' variant secs MB/s docs/s "RSS MB" "idx/raw"
for input in "${inputs[@]}"; do
  name=$(basename "$input")
  bytes=$(du -sb --apparent-size "$input" | cut -f1)
  for threads in 1 2; do
    for entities in off on; do
      rm -rf "$work/ix"
      flag=(); [ $entities = off ] && flag=(--no-entities)
      line=$(measure "newsdex $name t$threads entities-$entities" \
        $bin index "$input" --index "$work/ix" --threads $threads --quiet --format json "${flag[@]}")
      docs=$(python3 -c "import json;print(json.load(open('$work/out'))['total_articles'])")
      idx=$(du -sb "$work/ix" | cut -f1)
      IFS='|' read -r label secs rss <<<"$line"
      python3 -c "b=$bytes;s=$secs;print(f'{\"$label\":<44} {s:8.2f} {b/1e6/s:8.1f} {$docs/s:9.0f} {$rss/1024:9.0f} {$idx/b:9.2f}')"
    done
    if [[ $input == *.jsonl ]]; then
      rss_line=$(measure "bare tantivy $name t$threads" cargo bench --quiet --bench bare_tantivy -- "$input" $threads)
      IFS='|' read -r label secs rss <<<"$rss_line"
      echo "  $(cat "$work/out")  (peak RSS $((rss/1024)) MB incl. cargo)"
    fi
  done
done
