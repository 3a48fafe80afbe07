#!/usr/bin/env python3
"""Independent hit counts from SQLite FTS5 (unicode61, no stemming) for newsdex's correctness tests.

Usage: fts5_counts.py ARTICLES.jsonl QUERY...   -> one line per query: "<count>\t<query>"
Each query: space-separated words (all required) and "double quoted" phrases, searched in
title OR body, as ../shared/bench does. Articles with neither title nor body are left out.
"""
import json, shlex, sqlite3, sys


def fts_query(q):
    parts = shlex.split(q)
    return " AND ".join('"%s"' % p.replace('"', '""') for p in parts)


def main():
    path, queries = sys.argv[1], sys.argv[2:]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE a USING fts5(title, body, tokenize='unicode61')")
    with open(path, encoding="utf-8") as f:
        rows = []
        for line in f:
            line = line.strip()
            if not line:
                continue
            o = json.loads(line)
            t, b = o.get("title") or "", o.get("body") or ""
            if t.strip() or b.strip():
                rows.append((t, b))
    db.executemany("INSERT INTO a VALUES (?, ?)", rows)
    for q in queries:
        n = db.execute("SELECT count(*) FROM a WHERE a MATCH ?", (fts_query(q),)).fetchone()[0]
        print("%d\t%s" % (n, q))


if __name__ == "__main__":
    main()
