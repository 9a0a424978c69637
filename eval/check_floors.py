#!/usr/bin/env python3
"""Fails when a score of score.py --json falls under its floor in floors.json.

Usage: check_floors.py SCORE.json FLOORS.json
FLOORS.json maps dotted paths of the score object to the lowest accepted value; a path written
`max:PATH` maps to the highest accepted value instead (a ceiling, for shares of mistakes).
"""
import json
import sys


def get(obj, path):
    for key in path.split("."):
        obj = obj[key]
    return obj


def main():
    score = json.load(open(sys.argv[1]))
    floors = json.load(open(sys.argv[2]))
    failed = 0
    for path, floor in floors.items():
        if path.startswith("_"):
            continue
        ceiling = path.startswith("max:")
        value = get(score, path.removeprefix("max:"))
        ok = value <= floor if ceiling else value >= floor
        failed += not ok
        bound = "ceiling" if ceiling else "floor"
        print(f"{'ok  ' if ok else 'FAIL'} {path} = {value:.4f} ({bound} {floor})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
