#!/usr/bin/env python3
"""In-process search: newsdex vs tantivy-py, interleaved query by query.

The machines we run on drift in speed by tens of percent within a minute, so timing one
engine's whole query set and then the other's compares two different machines. This driver
does what ../shared/bench does for its in-process peers: for every query of every rep it asks
both engines, in shuffled order, and compares medians per query type. tantivy-py runs in this
process through the harness's own adapter; newsdex through `benches/search.rs --serve`.

    python3 benches/versus_py.py --ours INDEX --py PY_INDEX --corpus-dir BENCH_CORPUS_DIR \\
        [--queries ../shared/bench/queries/reuters21578.json] [--reps 7] [--warmup 2]

BENCH_CORPUS_DIR is a converted corpus of the harness (it holds `manifest.json`, for the
queries' relative date bounds); PY_INDEX the harness's tantivy-py index of the same corpus.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True, help="newsdex index")
    ap.add_argument("--py", required=True, help="tantivy-py index (from ../shared/bench)")
    ap.add_argument("--corpus-dir", required=True, help="harness corpus dir with manifest.json")
    ap.add_argument("--queries", default=os.path.join(BENCH, "queries", "reuters21578.json"))
    ap.add_argument("--bench", default=BENCH, help="../shared/bench")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-query", action="store_true", help="also print each query's medians")
    a = ap.parse_args()

    sys.path.insert(0, a.bench)
    sys.path.insert(0, os.path.join(a.bench, "adapters"))
    import bench  # noqa: E402
    import tantivy_py  # noqa: E402

    with open(os.path.join(a.corpus_dir, "manifest.json")) as fh:
        manifest = json.load(fh)
    queries, _ = bench.load_queries(a.queries, manifest)
    py = tantivy_py.open_index(a.py)
    ours = subprocess.Popen(
        ["cargo", "bench", "-q", "--bench", "search", "--", a.ours, "--serve"],
        cwd=os.path.dirname(HERE), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask_ours(q, mode):
        req = {"q": q["text"], "since": q["since"], "until": q["until"], "mode": mode}
        ours.stdin.write(json.dumps(req) + "\n")
        ours.stdin.flush()
        r = json.loads(ours.stdout.readline())
        return r["count"], r["t_us"] / 1e3

    def ask_py(q, mode):
        import time
        t = time.perf_counter()
        count, _ = tantivy_py.search(py, q, mode, 10)
        return count, (time.perf_counter() - t) * 1e3

    rng = random.Random(a.seed)
    times = {}
    for rep in range(a.warmup + a.reps):
        for q in queries:
            engines = [("newsdex", ask_ours), ("tantivy-py", ask_py)]
            rng.shuffle(engines)
            for name, ask in engines:
                modes = ["topk", "snip"]
                rng.shuffle(modes)
                for mode in modes:
                    _, ms = ask(q, mode)
                    if rep >= a.warmup:
                        for kind in (q["type"], "all", q["id"] + " " + q["text"]):
                            times.setdefault((kind, mode, name), []).append(ms)
    ours.stdin.close()
    ours.wait()

    print("%-7s %-5s %10s %10s %7s" % ("type", "mode", "newsdex", "tantivy-py", "ratio"))
    for kind in ("term", "and", "phrase", "date", "all"):
        for mode in ("topk", "snip"):
            mine = times.get((kind, mode, "newsdex"))
            theirs = times.get((kind, mode, "tantivy-py"))
            if not mine or not theirs:
                continue
            m, t = statistics.median(mine), statistics.median(theirs)
            print("%-7s %-5s %8.3fms %8.3fms %6.2fx" % (kind, mode, m, t, m / t))
    if a.per_query:
        for q in queries:
            key = q["id"] + " " + q["text"]
            mine = statistics.median(times[(key, "topk", "newsdex")])
            theirs = statistics.median(times[(key, "topk", "tantivy-py")])
            print("%-40s topk %8.3fms %8.3fms %6.2fx" % (key[:40], mine, theirs, mine / theirs))
    print("(p50 over %d reps; snip = newsdex's ranked passages with highlights vs tantivy-py's "
          "one snippet)" % a.reps)


if __name__ == "__main__":
    main()
