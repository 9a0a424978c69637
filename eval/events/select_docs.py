#!/usr/bin/env python3
"""Writes the documents of a JSONL corpus whose ids a list names, in the corpus's order.

Usage: select_docs.py CORPUS.jsonl IDS.txt > DOCS.jsonl
Only `id`, `text`, `lang` and `published` are kept: the corpus's own annotations stay out of
what karta reads.
"""
import json
import sys


def main():
    corpus, ids_path = sys.argv[1], sys.argv[2]
    with open(ids_path, encoding="utf-8") as f:
        ids = set(f.read().split())
    found = set()
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc["id"] in ids:
                found.add(doc["id"])
                keep = {k: doc[k] for k in ("id", "text", "lang", "published") if k in doc}
                print(json.dumps(keep, ensure_ascii=False))
    missing = ids - found
    if missing:
        sys.exit(f"{len(missing)} ids not in {corpus}: {sorted(missing)[:5]}")


if __name__ == "__main__":
    main()
