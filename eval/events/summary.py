#!/usr/bin/env python3
"""The figures the event targets are stated in, from score.py's JSON of each gold set.

Usage: summary.py OUT_DIR > SUMMARY.json
OUT_DIR holds NAME-score.json (score.py --json) for each set that was scored (lgl, fr,
en_dev, lgl_heldout, en_heldout) and NAME-pred.jsonl (karta extract) for the LGL sets. For each set:
strict anchored one-to-one F1, the share of matched predictions that are duplicates, the share of
emitted dates that are right on matched gold events, and, for the LGL sets, the events predicted
on articles that report no incident (score.py does not see those).
"""
import json
import os
import sys

SETS = ("lgl", "fr", "en_dev", "lgl_heldout", "en_heldout")
LGL_DOCS = {  # set: (document list, gold) of the LGL sets, from the repository root
    "lgl": ("eval/events/lgl-docs.txt", "eval/events/gold-lgl.jsonl"),
    "lgl_heldout": ("eval/events/lgl-heldout-docs.txt", "eval/events/gold-lgl-heldout.jsonl"),
}


def figures(score):
    mode = score["modes"]["strict_anchored"]
    dates = score["dates"]
    emitted = dates["full_correct"] + dates["full_wrong"]
    return {
        "f1_1to1": mode["f1_1to1"],
        "precision_1to1": mode["precision_1to1"],
        "recall": mode["recall"],
        "dup_share": mode["dup"] / mode["pred_matched"] if mode["pred_matched"] else 0.0,
        "dates_right": dates["full_correct"] / emitted if emitted else 1.0,
    }


def events_on_empty_docs(pred_path, docs_path, gold_path):
    with open(docs_path, encoding="utf-8") as f:
        docs = set(f.read().split())
    with open(gold_path, encoding="utf-8") as f:
        with_gold = {json.loads(line)["doc"] for line in f if line.strip()}
    empty = docs - with_gold
    with open(pred_path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return sum(len(r["events"]) for r in rows if r["id"] in empty)


def main():
    out = sys.argv[1]
    summary = {}
    for name in SETS:
        path = os.path.join(out, f"{name}-score.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            summary[name] = figures(json.load(f))
        if name in LGL_DOCS:
            docs, gold = LGL_DOCS[name]
            pred = os.path.join(out, f"{name}-pred.jsonl")
            summary[name]["events_on_empty_docs"] = events_on_empty_docs(pred, docs, gold)
    print(json.dumps(summary, indent=2))
    for name, figs in summary.items():
        line = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figs.items())
        print(f"{name}: {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
