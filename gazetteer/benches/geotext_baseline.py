#!/usr/bin/env python3
"""The baseline of the geoparse benchmark: geotext (PyPI geotext 0.4.0) over the same texts.

Usage: geotext_baseline.py TEXTS.jsonl ITERATIONS
Prints the seconds that ITERATIONS passes of GeoText over every text took (loading excluded).
"""
import json
import sys
import time

from geotext import GeoText

texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
GeoText("warm up in Paris")
started = time.perf_counter()
for _ in range(int(sys.argv[2])):
    for text in texts:
        GeoText(text)
print(time.perf_counter() - started)
