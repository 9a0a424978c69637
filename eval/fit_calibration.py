#!/usr/bin/env python3
"""Fits the weights of karta's calibrated mention score (gazetteer/src/calibrate.rs).

Usage:
    karta geoparse --explain --min-score 0 < GOLD.jsonl > PRED.jsonl
    python3 eval/fit_calibration.py GOLD.jsonl PRED.jsonl

A mention's label is 1 when it overlaps a gold toponym with coordinates and lies within 161 km
of it, 0 when it overlaps no gold toponym; mentions over gold toponyms without coordinates are
left out. The model is an L2-regularised logistic regression on the feature vector `x` that
`--explain` prints. The documents are split in two halves by a hash of their id: the script fits
on each half and reports the score bands on the other (the honest check), then fits on all and
prints the weights to paste into calibrate.rs.
"""
import hashlib
import json

import math
import sys

from geo import km

L2 = 1.0




def rows(gold_path, pred_path):
    gold = {d["id"]: d for d in map(json.loads, open(gold_path, encoding="utf-8"))}
    out = []
    for doc in map(json.loads, open(pred_path, encoding="utf-8")):
        g = gold.get(doc["id"])
        if g is None:
            continue
        half = hashlib.sha1(doc["id"].encode()).digest()[0] % 2
        for t in doc["toponyms"]:
            over = [x for x in g["toponyms"] if x["start"] < t["end"] and t["start"] < x["end"]]
            if not over:
                label = 0
            elif over[0].get("lat") is None:
                continue
            else:
                label = int(km((t["lat"], t["lon"]), (over[0]["lat"], over[0]["lon"])) <= 161)
            out.append((t["x"], label, half))
    return out


def solve(a, b):
    """Solves a x = b by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c] != 0:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(data):
    dim = len(data[0][0])
    w = [0.0] * dim
    for _ in range(30):
        grad = [L2 * wi for wi in w]
        grad[0] = 0.0
        hess = [[(L2 if i == j and i > 0 else 0.0) for j in range(dim)] for i in range(dim)]
        for x, y, _ in data:
            z = sum(xi * wi for xi, wi in zip(x, w))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            for i in range(dim):
                grad[i] += (p - y) * x[i]
                if x[i]:
                    s = p * (1 - p) * x[i]
                    for j in range(dim):
                        hess[i][j] += s * x[j]
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def score(w, x):
    z = sum(xi * wi for xi, wi in zip(x, w))
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def report(w, data, title):
    bands = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0001]
    print(title)
    print("  score band    mentions  right")
    for lo, hi in zip(bands, bands[1:]):
        b = [y for x, y, _ in data if lo <= score(w, x) < hi]
        share = sum(b) / len(b) if b else float("nan")
        print(f"  [{lo:.1f}, {min(hi, 1):.1f}{')' if hi < 1 else ']'}  {len(b):8d}  {share:6.1%}")
    high = [y for x, y, _ in data if score(w, x) >= 0.7]
    print(f"  scored >= 0.7: {len(high)}, right {sum(high) / max(1, len(high)):.1%}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = rows(sys.argv[1], sys.argv[2])
    for held in (0, 1):
        w = fit([r for r in data if r[2] != held])
        report(w, [r for r in data if r[2] == held], f"fitted on half {1 - held}, checked on half {held}:")
    w = fit(data)
    report(w, data, "fitted on all (in-sample):")
    print("const WEIGHTS: [f64; DIM] = [")
    print("    " + ", ".join(f"{wi:.4f}" for wi in w) + ",")
    print("];")


if __name__ == "__main__":
    main()
