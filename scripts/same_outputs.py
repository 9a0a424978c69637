#!/usr/bin/env python3
"""Tells whether two folders of karta outputs differ in more than number precision and key order.

Usage: same_outputs.py BASE_DIR NEW_DIR
Each file that differs byte for byte is read again: JSON and JSON Lines as values (objects
compared without their key order), other text line by line and word by word. Two numbers are
the same when they are within 1e-4 of each other relative to their size or absolutely (the
gazetteer keeps coordinates as f32: the same f32 may print as 39.849998474121094 or 39.85, and a
distance or a rounded coordinate computed from either moves in its last digits). Exits 1 and
shows the first difference of each file that differs in anything else.
"""
import json
import math
import os
import re
import sys

NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-4)


def same_value(a, b, path="$"):
    """None when a and b are the same value, else the path of their first difference."""
    if isinstance(a, bool) or isinstance(b, bool):
        return None if a == b else path
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return None if close(a, b) else path
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{path} keys {sorted(a.keys() ^ b.keys())}"
        for k in a:
            found = same_value(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path} length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = same_value(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else path


def values(text):
    """The JSON values of a text (one, or one a line), or None when it is not JSON."""
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        pass
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError:
        return None


def same_words(a, b):
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        wx, wy = re.split(r"([\s,;()\[\]]+)", x), re.split(r"([\s,;()\[\]]+)", y)
        if len(wx) != len(wy):
            return f"line {n}"
        for p, q in zip(wx, wy):
            if p != q and not (NUMBER.match(p) and NUMBER.match(q) and close(float(p), float(q))):
                return f"line {n}: {p!r} != {q!r}"
    return None if len(a.splitlines()) == len(b.splitlines()) else "line count"


def compare(base, new):
    a, b = open(base, encoding="utf-8").read(), open(new, encoding="utf-8").read()
    if a == b:
        return None
    va, vb = values(a), values(b)
    if va is not None and vb is not None:
        return same_value(va, vb)
    return same_words(a, b)


def main():
    base, new = sys.argv[1], sys.argv[2]
    other = 0
    for name in sorted(os.listdir(new)):
        found = compare(os.path.join(base, name), os.path.join(new, name))
        if found:
            other += 1
            print(f"{name}: differs at {found}")
    print(f"{len(os.listdir(new))} files: {other} differ in more than number precision and key order")
    sys.exit(1 if other else 0)


if __name__ == "__main__":
    main()
