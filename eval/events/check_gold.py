#!/usr/bin/env python3
"""Check the hand-made event gold of this folder against its texts (Python 3 standard library only).

    python3 eval/events/check_gold.py                      # every gold file of this folder
    python3 eval/events/check_gold.py GOLD.jsonl [...] [--lgl PATH] [--texts PATH ...] [--docs FILE]

Texts: LGL articles are read by id from ../shared/eval/lgl.jsonl (next to the repository; --lgl to
point elsewhere), the texts written for karta from texts-fr.jsonl, texts-en-dev.jsonl and
texts-en-heldout.jsonl of this folder (--texts for other files).

Every gold line must be what ../shared/eval/events/score.py reads: the fields and types below,
a `type` and `alt_types` of karta's families with a `sub_type` of that family, places with
lat/lon, a level of city/admin1/country and an ISO country code, `date` as YYYY, YYYY-MM or
YYYY-MM-DD (a real day) and `date_partial` as MM or MM-DD (never both), code-point spans inside
the text with text[span] == quote, the span and every also_span inside one of the sent_spans,
a boolean `optional` and a unique gid of the form DOC#N. With --docs, every document of the gold
must be listed in that file (lgl-docs.txt lists every annotated LGL document of the development
gold, those with no incident included, lgl-heldout-docs.txt those of the held-out gold; the two
lists must not share a document). Exit status 1 when anything is wrong.
"""
import argparse
import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_LGL = os.path.join(REPO, "..", "shared", "eval", "lgl.jsonl")

SUB_TYPES = {
    "battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "explosions_remote_violence": {"Shelling/artillery/missile attack", "Air/drone strike",
                                   "Remote explosive/landmine/IED", "Suicide bomb", "Grenade"},
    "violence_against_civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "riots": {"Violent demonstration", "Mob violence"},
    "strategic_developments": {"Change to group/activity", "Other", "Agreement", "Arrests",
                               "Headquarters or base established", "Looting/property destruction"},
    "diplomacy": {"Call", "Talks", "Meeting", "Statement", "Appeal"},
}
LEVELS = {"city", "admin1", "country"}
FIELDS = {  # name: accepted types (None = JSON null)
    "doc": (str,), "gid": (str,), "type": (str,), "alt_types": (list,), "sub_type": (str, type(None)),
    "places": (list,), "date": (str, type(None)), "date_partial": (str, type(None)), "quote": (str,),
    "span": (list,), "also_spans": (list,), "sent_spans": (list,), "optional": (bool,), "notes": (str,),
}
GOLDS = ["gold-lgl.jsonl", "gold-fr.jsonl", "gold-en-dev.jsonl", "gold-lgl-heldout.jsonl", "gold-en-heldout.jsonl"]
DOCS_FILES = {"gold-lgl.jsonl": "lgl-docs.txt", "gold-lgl-heldout.jsonl": "lgl-heldout-docs.txt"}
TEXT_FILES = ["texts-fr.jsonl", "texts-en-dev.jsonl", "texts-en-heldout.jsonl"]
PLACE_FIELDS = {"name": (str,), "lat": (int, float), "lon": (int, float), "level": (str,), "cc": (str,)}


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def valid_date(s):
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month or day (what score.py compares)."""
    try:
        if re.fullmatch(r"\d{4}", s):
            return True
        if re.fullmatch(r"\d{4}-\d{2}", s):
            return 1 <= int(s[5:]) <= 12
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            datetime.date.fromisoformat(s)
            return True
    except ValueError:
        return False
    return False


def valid_partial(s):
    """MM or MM-DD (a leap year's calendar: 02-29 is a day)."""
    if re.fullmatch(r"\d{2}", s):
        return 1 <= int(s) <= 12
    if re.fullmatch(r"\d{2}-\d{2}", s):
        try:
            datetime.date.fromisoformat("2000-" + s)
            return True
        except ValueError:
            return False
    return False


def is_span(x, n):
    return (isinstance(x, list) and len(x) == 2 and all(type(v) is int for v in x)
            and 0 <= x[0] < x[1] <= n)


def check_line(g, texts):
    """Errors of one gold line (a dict) against texts {doc id: text}."""
    errs = []
    if not isinstance(g, dict):
        return ["not a JSON object"]
    for k, types in FIELDS.items():
        if k not in g:
            errs.append(f"missing field {k!r}")
        elif not isinstance(g[k], types) or (bool not in types and isinstance(g[k], bool)):
            errs.append(f"field {k!r} has type {type(g[k]).__name__}")
    for k in g:
        if k not in FIELDS:
            errs.append(f"unknown field {k!r}")
    if errs:
        return errs
    doc, gid = g["doc"], g["gid"]
    if not re.fullmatch(re.escape(doc) + r"#\d+", gid):
        errs.append(f"gid {gid!r} is not {doc}#N")
    if g["type"] not in SUB_TYPES:
        errs.append(f"type {g['type']!r} is not a karta family")
    elif g["sub_type"] is not None and g["sub_type"] not in SUB_TYPES[g["type"]]:
        errs.append(f"sub_type {g['sub_type']!r} is not one of {g['type']}")
    for t in g["alt_types"]:
        if t not in SUB_TYPES or t == g["type"]:
            errs.append(f"alt_type {t!r} is not another karta family")
    if not g["places"]:
        errs.append("no place")
    for p in g["places"]:
        if not isinstance(p, dict):
            errs.append("place is not an object")
            continue
        for k, types in PLACE_FIELDS.items():
            if k not in p or not isinstance(p[k], types) or isinstance(p[k], bool):
                errs.append(f"place field {k!r} missing or mistyped: {p}")
        if set(p) - set(PLACE_FIELDS):
            errs.append(f"unknown place fields {sorted(set(p) - set(PLACE_FIELDS))}")
        if isinstance(p.get("lat"), (int, float)) and not -90 <= p["lat"] <= 90:
            errs.append(f"latitude out of range: {p}")
        if isinstance(p.get("lon"), (int, float)) and not -180 <= p["lon"] <= 180:
            errs.append(f"longitude out of range: {p}")
        if p.get("level") not in LEVELS:
            errs.append(f"level {p.get('level')!r} not in {sorted(LEVELS)}")
        if not (isinstance(p.get("cc"), str) and re.fullmatch(r"[A-Z]{2}", p["cc"])):
            errs.append(f"cc {p.get('cc')!r} is not an ISO 3166-1 alpha-2 code")
    if g["date"] is not None and not valid_date(g["date"]):
        errs.append(f"date {g['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if g["date_partial"] is not None and not valid_partial(g["date_partial"]):
        errs.append(f"date_partial {g['date_partial']!r} is not MM or MM-DD")
    if g["date"] is not None and g["date_partial"] is not None:
        errs.append("both date and date_partial")
    text = texts.get(doc)
    if text is None:
        errs.append(f"no text for document {doc}")
        return errs
    n = len(text)
    if not is_span(g["span"], n):
        errs.append(f"span {g['span']} is not [start, end) inside the text ({n} code points)")
    elif text[g["span"][0]:g["span"][1]] != g["quote"]:
        errs.append(f"quote differs from the text at span: {text[g['span'][0]:g['span'][1]]!r}")
    for s in g["also_spans"]:
        if not is_span(s, n):
            errs.append(f"also_span {s} is not a span inside the text")
    if not g["sent_spans"]:
        errs.append("no sent_spans")
    for s in g["sent_spans"]:
        if not is_span(s, n):
            errs.append(f"sent_span {s} is not a span inside the text")
    sents = [s for s in g["sent_spans"] if is_span(s, n)]
    for s in [g["span"]] + g["also_spans"]:
        if is_span(s, n) and not any(a <= s[0] and s[1] <= b for a, b in sents):
            errs.append(f"span {s} ({text[s[0]:s[1]][:40]!r}) lies in none of the sent_spans")
    return errs


def check(gold, texts):
    """Errors (strings) of a list of gold lines, duplicated gids included."""
    errs = []
    seen = collections.Counter(g.get("gid") for g in gold if isinstance(g, dict))
    for i, g in enumerate(gold, 1):
        where = f"line {i} ({g.get('gid', '?') if isinstance(g, dict) else '?'})"
        errs += [f"{where}: {e}" for e in check_line(g, texts)]
    errs += [f"gid {gid!r} used {n} times" for gid, n in seen.items() if n > 1]
    return errs


def stats(gold):
    req = [g for g in gold if not g["optional"]]
    fam = collections.Counter(g["type"] for g in gold)
    fam_req = collections.Counter(g["type"] for g in req)
    return {
        "docs": len({g["doc"] for g in gold}),
        "events": len(gold),
        "optional": len(gold) - len(req),
        "dated_full": sum(1 for g in gold if g["date"]),
        "dated_partial": sum(1 for g in gold if g["date_partial"]),
        "types": {t: (fam[t], fam_req[t]) for t in sorted(fam, key=lambda t: -fam[t])},
    }


def read_docs(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def check_docs(gold, listed, texts, docs_file):
    """Errors of a document list against its gold: duplicates, gold documents not listed, no text."""
    errs = [f"{docs_file}: {d} listed twice" for d, n in collections.Counter(listed).items() if n > 1]
    errs += [f"{docs_file}: gold document {d} not listed" for d in sorted({g['doc'] for g in gold} - set(listed))]
    errs += [f"{docs_file}: {d} has no text" for d in listed if d not in texts]
    return errs


def overlap(docs_files):
    """Errors for documents listed in more than one document list (development and held-out)."""
    seen = collections.Counter(d for path in docs_files if os.path.exists(path) for d in set(read_docs(path)))
    return [f"{d} is listed in more than one of {', '.join(os.path.basename(p) for p in docs_files)}"
            for d, n in seen.items() if n > 1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="*", help=f"gold files (default: {', '.join(GOLDS)} here)")
    ap.add_argument("--lgl", default=DEFAULT_LGL, help="the LGL corpus (JSONL with id and text)")
    ap.add_argument("--texts", nargs="*", default=[os.path.join(HERE, t) for t in TEXT_FILES],
                    help="other text files (JSONL with id and text)")
    ap.add_argument("--docs", help="file listing every annotated document id (default for the LGL golds: "
                    + ", ".join(f"{d} for {g}" for g, d in DOCS_FILES.items()) + ")")
    a = ap.parse_args(argv)
    golds = a.gold or [os.path.join(HERE, g) for g in GOLDS]
    texts = {}
    for path in [a.lgl] + a.texts:
        if os.path.exists(path):
            for d in load_jsonl(path):
                texts[d["id"]] = d["text"]
        else:
            print(f"note: no text file {path}", file=sys.stderr)
    bad = 0
    everything = []
    for path in golds:
        gold = load_jsonl(path)
        everything += gold
        errs = check(gold, texts)
        name = DOCS_FILES.get(os.path.basename(path))
        docs_file = a.docs or (os.path.join(HERE, name) if name else None)
        if docs_file:
            listed = read_docs(docs_file)
            errs += check_docs(gold, listed, texts, docs_file)
            zero = sorted(set(listed) - {g["doc"] for g in gold})
        for e in errs:
            print(f"{path}: {e}")
        bad += len(errs)
        s = stats(gold) if not errs else None
        if s:
            extra = f", {len(zero)} more with no incident" if docs_file else ""
            print(f"{os.path.basename(path)}: OK - {s['docs']} documents with incidents{extra}, {s['events']} events"
                  f" ({s['optional']} optional), {s['dated_full']} with a full date, {s['dated_partial']} with a year-less one")
            print("  by type (all/required): " + ", ".join(f"{t} {n}/{r}" for t, (n, r) in s["types"].items()))
    dup = [gid for gid, n in collections.Counter(g.get("gid") for g in everything).items() if n > 1]
    for gid in dup:
        print(f"gid {gid!r} appears in more than one file")
    bad += len(dup)
    if not a.docs:
        crossed = overlap([os.path.join(HERE, d) for d in DOCS_FILES.values()])
        print("\n".join(crossed)) if crossed else None
        bad += len(crossed)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
