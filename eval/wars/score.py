#!/usr/bin/env python3
"""The war sentences (eval/wars/*.txt): builds their gold JSONL and scores karta's output on it.

Each sentence file holds one sentence a line, its place names written `[[as written|key]]`,
`key` a row of places.tsv (coordinates). `build` writes the gold corpus (score.py's format, one
document a sentence, `lang` from the file name); `score` reads it and karta geoparse's output
and prints, per language and in all, the share of gold names found (a predicted toponym
overlaps it) and placed within 25 km, and the share of predicted toponyms that are wrong (they
overlap no gold name, or are placed more than 25 km from it). Demonym mentions are left out:
adjectives of place are not annotated. With `--json`, one JSON object for check_floors.py.

Usage: score.py build OUT.jsonl
       score.py score GOLD.jsonl PRED.jsonl [--json]
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from geo import km  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = re.compile(r"\[\[([^|\]]+)\|([a-z_]+)\]\]")
NEAR_KM = 25.0


def places():
    out = {}
    with open(os.path.join(HERE, "places.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("key\t") or not line.strip():
                continue
            key, lat, lon, gid, _ = line.rstrip("\n").split("\t")
            out[key] = (float(lat), float(lon), int(gid) if gid else None)
    return out


def sentence(line, table):
    """The text of an annotated line and its toponyms (code point offsets)."""
    text, tops, at = "", [], 0
    for m in MARK.finditer(line):
        text += line[at:m.start()]
        name, key = m.group(1), m.group(2)
        lat, lon, gid = table[key]
        tops.append({"start": len(text), "end": len(text) + len(name), "name": name,
                     "lat": lat, "lon": lon, "geonameid": gid})
        text += name
        at = m.end()
    return text + line[at:], tops


def build(out_path):
    table = places()
    with open(out_path, "w", encoding="utf-8") as out:
        for name in sorted(os.listdir(HERE)):
            if not name.endswith(".txt"):
                continue
            lang = name[:-4]
            with open(os.path.join(HERE, name), encoding="utf-8") as f:
                lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
            for i, line in enumerate(lines):
                text, tops = sentence(line, table)
                doc = {"id": f"wars-{lang}-{i}", "text": text, "lang": lang,
                       "source": "karta war sentences", "toponyms": tops}
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")


def overlaps(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


def near(a, b):
    return a.get("lat") is not None and km((a["lat"], a["lon"]), (b["lat"], b["lon"])) <= NEAR_KM


def score(gold_path, pred_path):
    preds = {}
    with open(pred_path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            preds[doc["id"]] = [t for t in doc.get("toponyms", []) if t.get("kind") != "demonym"]
    counts = {}
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            c = counts.setdefault(doc["lang"], {"gold": 0, "placed": 0, "pred": 0, "wrong": 0})
            pred = preds.get(doc["id"], [])
            c["gold"] += len(doc["toponyms"])
            c["placed"] += sum(any(overlaps(g, p) and near(p, g) for p in pred)
                               for g in doc["toponyms"])
            c["pred"] += len(pred)
            c["wrong"] += sum(not any(overlaps(g, p) and near(p, g) for g in doc["toponyms"])
                              for p in pred)
    total = {k: sum(c[k] for c in counts.values()) for k in ("gold", "placed", "pred", "wrong")}
    result = {}
    for lang, c in sorted(counts.items()) + [("all", total)]:
        result[lang] = {"placed": c["placed"] / max(c["gold"], 1),
                        "wrong": c["wrong"] / max(c["pred"], 1),
                        "gold": c["gold"], "pred": c["pred"]}
    return result


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "build":
        build(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "score":
        result = score(sys.argv[2], sys.argv[3])
        if "--json" in sys.argv:
            print(json.dumps(result))
            return
        print("lang  names  found+placed≤25km  predicted  wrong")
        for lang, r in result.items():
            print(f"{lang:5} {r['gold']:5}  {r['placed']:17.3f}  {r['pred']:9}  {r['wrong']:.3f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
