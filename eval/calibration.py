#!/usr/bin/env python3
"""How often karta's mentions are right, by score band: a mention is right when it overlaps a
gold toponym that has coordinates and lies within 161 km of it; a mention that overlaps no gold
toponym is wrong; mentions that overlap a gold toponym without coordinates are left out.

Usage: calibration.py GOLD.jsonl PRED.jsonl [--min-share 0.9 --from 0.7]
Fails when mentions scored --from or more are right less often than --min-share.
"""
import argparse
import json

from geo import km


BANDS = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0001]




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--min-share", type=float, default=0.9)
    ap.add_argument("--from", dest="threshold", type=float, default=0.7)
    args = ap.parse_args()
    gold = {d["id"]: d for d in map(json.loads, open(args.gold, encoding="utf-8"))}
    rows = []
    for doc in map(json.loads, open(args.pred, encoding="utf-8")):
        g = gold.get(doc["id"])
        if g is None:
            continue
        for t in doc["toponyms"]:
            over = [x for x in g["toponyms"] if x["start"] < t["end"] and t["start"] < x["end"]]
            if not over:
                rows.append((t["score"], False))
                continue
            x = over[0]
            if x.get("lat") is None:
                continue
            rows.append((t["score"], km((t["lat"], t["lon"]), (x["lat"], x["lon"])) <= 161))
    print("score band    mentions  right")
    for lo, hi in zip(BANDS, BANDS[1:]):
        band = [ok for s, ok in rows if lo <= s < hi]
        share = sum(band) / len(band) if band else float("nan")
        print(f"[{lo:.1f}, {min(hi, 1):.1f}{')' if hi < 1 else ']'}  {len(band):8d}  {share:6.1%}")
    high = [ok for s, ok in rows if s >= args.threshold]
    share = sum(high) / len(high) if high else 1.0
    ok = share >= args.min_share
    print(f"{'ok  ' if ok else 'FAIL'} mentions scored >= {args.threshold}: {len(high)}, right {share:.1%} (floor {args.min_share:.0%})")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
