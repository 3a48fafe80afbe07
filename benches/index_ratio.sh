#!/usr/bin/env bash
# Thread scaling and the ratio to the bare tantivy loop, measured interleaved: the machines we
# run on drift in speed within a minute, so each round runs every variant once, in turn, and
# the medians over rounds are compared. `--no-entities` throughout (what the targets are about).
# The bare loop gives tantivy the same documents newsdex does (variant `full`); the ratio to its
# older variant, which fills only five fields, is printed beside it.
#
#   bash benches/index_ratio.sh [FILE.jsonl] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-../shared/corpora/reuters21578/reuters21578.jsonl}
rounds=${2:-5}
cargo build --release --quiet
cargo bench --no-run --quiet --bench bare_tantivy 2>/dev/null
bare=$(ls -t target/release/deps/bare_tantivy-* | grep -v '\.d$' | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
secs() { /usr/bin/time -f %e -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
declare -A times
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    rm -rf "$work/ix"
    times[newsdex-t$threads]+="$(secs target/release/newsdex index "$input" --index "$work/ix" \
      --threads $threads --no-entities --quiet) "
    times[bare-t$threads]+="$(secs "$bare" "$input" $threads full) "
    times[bare-minimal-t$threads]+="$(secs "$bare" "$input" $threads minimal) "
  done
  rm -rf "$work/ix"
  times[newsdex-t1-one-core]+="$(secs taskset -c 0 target/release/newsdex index "$input" \
    --index "$work/ix" --threads 1 --no-entities --quiet) "
  times[bare-t1-one-core]+="$(secs taskset -c 0 "$bare" "$input" 1 full) "
done
for k in "${!times[@]}"; do echo "$k ${times[$k]}"; done | sort >"$work/times"
MB=$(du -b --apparent-size "$input" | cut -f1) python3 - "$work/times" <<'PY'
import os, statistics, sys
med = {}
for line in open(sys.argv[1]):
    name, *ts = line.split()
    med[name] = statistics.median(map(float, ts))
    print("%-22s median %6.2f s   runs %s" % (name, med[name], " ".join(ts)))
mb = int(os.environ["MB"]) / 1e6
for t in (1, 2):
    ours, bare, minimal = (med[k % t] for k in ("newsdex-t%d", "bare-t%d", "bare-minimal-t%d"))
    print("t%d: newsdex %.1f MB/s, bare %.1f MB/s, ratio %.2fx (bare filling only 5 fields: %.1f MB/s, %.2fx)"
          % (t, mb / ours, mb / bare, bare / ours, mb / minimal, minimal / ours))
print("2 threads vs 1: %.2fx (vs 1 thread pinned to one core: %.2fx; the bare loop: %.2fx, %.2fx)" % (
    med["newsdex-t1"] / med["newsdex-t2"], med["newsdex-t1-one-core"] / med["newsdex-t2"],
    med["bare-t1"] / med["bare-t2"], med["bare-t1-one-core"] / med["bare-t2"]))
PY
