#!/usr/bin/env python3
"""Checks karta geoparse's output on the Karabakh fixture against the expectations of issue 2.

Usage: check_karabakh.py ARTICLE.txt PRED.jsonl

Every occurrence of each expected form must be found and land where it should; no mention may
land on Minsk, on a news outlet or on a person. The article itself stays outside the repository.
"""
import json

import re
import sys

from geo import km

# form (regex on the text) -> check on the mention
CITIES = {
    r"Bakou": (40.3777, 49.8920),
    r"Erevan": (40.1777, 44.5126),
    r"Alep": (36.2012, 37.1612),
    r"Gaziantep": (37.0594, 37.3825),
    r"Stepanakert": (39.8177, 46.7528),
}
COUNTRIES = {
    r"Azerbaïdjan\b": "AZ",
    r"Arménie": "AM",
    r"(?<![a-zé])France": "FR",
    r"Russie": "RU",
    r"États-Unis": "US",
}
DEMONYMS = {
    r"azerbaïdjanais\b": "AZ",
    r"arméniens?\b|arméniennes?\b": "AM",
    r"syriens": "SY",
    r"turque": "TR",
    r"(?<![A-Za-z])français\b": "FR",
}
REGIONS = [r"Haut-Karabakh", r"(?<!Haut-)Karabakh"]
FORBIDDEN = [r"Minsk", r"Novosti", r"News-Front", r"Aliyev", r"Macron", r"Poutine", r"Trump",
             r"Melikyan", r"Ilham", r"Emmanuel", r"Vladimir", r"Donald", r"Ruben", r"OSCE",
             r"Facebook", r"Vkontakte"]




def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    pred = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
    mentions = [t for doc in pred for t in doc["toponyms"]]
    by_start = {t["start"]: t for t in mentions}
    failures, checked = [], 0

    def expect(pattern, check, what):
        nonlocal checked
        for m in re.finditer(pattern, text):
            checked += 1
            t = by_start.get(m.start())
            if t is None:
                failures.append(f"{m.group(0)!r} at {m.start()}: not found ({what})")
                continue
            problem = check(t)
            if problem:
                failures.append(f"{m.group(0)!r} at {m.start()}: {problem} ({what})")

    for pattern, point in CITIES.items():
        expect(pattern, lambda t, p=point: None if km((t["lat"], t["lon"]), p) <= 25
               else f"lands {km((t['lat'], t['lon']), p):.0f} km away on {t.get('place')}", "within 25 km")
    for pattern, cc in COUNTRIES.items():
        expect(pattern, lambda t, cc=cc: None if t.get("country") == cc and str(t.get("feature_code", "")).startswith("PCL")
               else f"lands on {t.get('place')} ({t.get('feature_code')} {t.get('country')})", f"the country {cc}")
    for pattern, cc in DEMONYMS.items():
        expect(pattern, lambda t, cc=cc: None if t.get("country") == cc and t.get("kind") == "demonym"
               else f"lands on {t.get('place')} ({t.get('kind')} {t.get('country')})", f"a demonym of {cc}")
    for pattern in REGIONS:
        expect(pattern, lambda t: None if "Karabakh" in str(t.get("place"))
               else f"lands on {t.get('place')}", "Nagorno-Karabakh")

    for pattern in FORBIDDEN:
        for m in re.finditer(pattern, text):
            for t in mentions:
                if t["start"] < m.end() and m.start() < t["end"]:
                    failures.append(f"{t['name']!r} at {t['start']}: must not be a place (inside {m.group(0)!r})")
    for t in mentions:
        if km((t["lat"], t["lon"]), (53.9, 27.5667)) < 50:
            failures.append(f"{t['name']!r} at {t['start']}: lands on Minsk")

    print(f"Karabakh fixture: {checked} expected mentions, {len(mentions)} found, {len(failures)} problems")
    for f in failures:
        print("  FAIL", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
