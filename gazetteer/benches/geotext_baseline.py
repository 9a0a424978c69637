#!/usr/bin/env python3
"""The baseline of the geoparse benchmark: geotext (PyPI geotext 0.4.0) over the same texts.

Usage: geotext_baseline.py TEXTS.jsonl ITERATIONS
Prints the seconds that ITERATIONS passes of GeoText over every text took (loading excluded).
With ITERATIONS `-`, reads one count per line from standard input and answers each with the
seconds that many passes took, so that the benchmark can time it in alternation with karta.
"""
import json
import sys
import time

from geotext import GeoText

texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
GeoText("warm up in Paris")


def passes(count):
    """Seconds that `count` passes of GeoText over every text take."""
    started = time.perf_counter()
    for _ in range(count):
        for text in texts:
            GeoText(text)
    return time.perf_counter() - started


if sys.argv[2] == "-":
    for line in sys.stdin:
        print(passes(int(line)), flush=True)
else:
    print(passes(int(sys.argv[2])))
