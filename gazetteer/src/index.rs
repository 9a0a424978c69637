//! The compact index file: its layout and a zero-parse reader.
//!
//! One file, read in one go, holding sections located by a table at its start:
//!
//! | tag    | content |
//! |--------|---------|
//! | `PLAC` | fixed-size place records sorted by GeoNames id ([`RECORD`] bytes each) |
//! | `POST` | name postings, grouped by name key ([`POSTING`] bytes each) |
//! | `NAME` | an `fst` map from folded name key to `(first posting << 24) \| count` |
//! | `STRS` | strings, each a little-endian `u16` length and UTF-8 bytes |
//! | `LANG` | language tags, one per line; a posting's `lang` indexes this list |
//! | `META` | JSON: where the data came from and counts |
//! | `LOWR` | an `fst` set of the keys that a lower-case word may match (French demonyms) |
//! | `SHAP` | outlines: a count, (place, offset) pairs, then at each offset a ring count and rings of (lon, lat) `f32` pairs, each ring led by its point count |
//! | `NBRS` | which countries border which: sorted pairs of ISO codes, four ASCII bytes each (`ILPS`) |
//! | `FRST` | where a walk down `NAME` stands after each first word of its keys, by a hash of the word (see [`crate::first_words`]) |
//! | `ENGL` | the usual English names of the places whose main name is not it: (GeoNames id, offset in `STRS`) pairs sorted by id (see [`crate::english`]) |
//!
//! Numbers are little-endian. Opening validates the layout and builds a few tables from it (each
//! place's importance and kind); it parses no text.

use crate::bytes::{u32_at, u64_at};
use crate::error::{Error, Result};
use crate::first_words::{self, FirstWords};
use crate::fold::is_separator;
use crate::model::{NameKind, Place, PlaceKind};
use crate::word_filter::WordFilter;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// The first eight bytes of an index file; the digit is the format version.
pub const MAGIC: &[u8; 8] = b"KARTAGZ6";
/// Bytes per place record.
pub const RECORD: usize = 36;
/// Bytes per posting.
pub const POSTING: usize = 8;
/// Where a record holds its feature code (up to five ASCII bytes, NUL padded) and country code
/// (two ASCII bytes or NULs).
const CODES_AT: usize = 29;
/// Bytes of those two codes.
const CODES: usize = 7;

/// Section tags, in file order.
pub const SECTIONS: [&[u8; 4]; 11] = [
    b"PLAC", b"POST", b"NAME", b"STRS", b"LANG", b"META", b"LOWR", b"SHAP", b"NBRS", b"FRST",
    b"ENGL",
];

/// Posting flag: the name is written in capitals (`USA`, `U.S.`), so only a capitalised span
/// in the text may match it.
pub const FLAG_UPPERCASE: u8 = 1;
/// Posting flag: the name is written in lower case (French demonyms such as «arménien»), so a
/// lower-case span in the text may match it.
pub const FLAG_LOWERCASE: u8 = 2;
/// Posting flag: the name's head is capitalised and its last word is not («Arabie saoudite»,
/// «Тихий океан», «Одесская область»), so a span written that way may match it.
pub const FLAG_LOWER_TAIL: u8 = 4;

/// A shared, cheaply cloned view of part of the index file.
#[derive(Clone)]
pub struct Bytes {
    buf: Arc<[u8]>,
    start: usize,
    end: usize,
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }
}

/// An opened index.
pub struct Index {
    buf: Arc<[u8]>,
    places: Range<usize>,
    postings: Range<usize>,
    shapes: Range<usize>,
    /// Byte range of the `NBRS` section.
    borders: Range<usize>,
    strings: Range<usize>,
    /// Byte range of the `ENGL` section.
    english: Range<usize>,
    names: fst::Map<Bytes>,
    lower: fst::Set<Bytes>,
    /// The first words of the keys of `lower` (up to the first space or full stop).
    lower_starts: rustc_hash::FxHashSet<Box<[u8]>>,
    /// A filter in front of `lower_starts`, which most lower-case words of a text fail.
    lower_filter: WordFilter,
    /// Where a walk down `names` stands after each first word of its keys.
    firsts: FirstWords,
    langs: Vec<String>,
    /// Each language tag's number in `langs`.
    lang_numbers: rustc_hash::FxHashMap<String, u16>,
    /// Each place's importance and kind (see [`importance`]), computed once at
    /// open: ranking a name's candidates then reads this table instead of every record.
    ranks: Vec<(f64, PlaceKind)>,
    /// Each place's feature code and country code as stored ([`CODES`] bytes a place, NUL
    /// padded), checked once at open so that reading a record validates no text.
    codes: String,
    meta: String,
    countries: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// One posting: a place that a name key may mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posting {
    /// Index of the place record (not its GeoNames id).
    pub place: u32,
    /// How the name belongs to the place.
    pub kind: NameKind,
    /// `FLAG_*` bits.
    pub flags: u8,
    /// Index into the language list.
    pub lang: u16,
}

/// Follows `fst` along `bytes` from `from`, starting at `node` with `output` gathered so far,
/// and calls `found` with the end and value of every key that ends where `ends_word` allows.
pub fn walk_from<'f, D: AsRef<[u8]>>(
    fst: &'f fst::raw::Fst<D>,
    mut node: fst::raw::Node<'f>,
    mut output: fst::raw::Output,
    bytes: &[u8],
    from: usize,
    ends_word: impl Fn(usize) -> bool,
    mut found: impl FnMut(usize, u64),
) {
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        let Some(t) = node.find_input(b) else { return };
        let tr = node.transition(t);
        output = output.cat(tr.out);
        node = fst.node(tr.addr);
        if node.is_final() && ends_word(i + 1) {
            found(i + 1, output.cat(node.final_output()).value());
        }
    }
}

/// The feature and country codes of every record in `places`, [`CODES`] bytes each; a code
/// that is not ASCII reads as empty (NULs).
fn codes(places: &[u8]) -> String {
    let mut out = Vec::with_capacity(places.len() / RECORD * CODES);
    for record in places.chunks_exact(RECORD) {
        for field in [CODES_AT..CODES_AT + 5, CODES_AT + 5..CODES_AT + CODES] {
            let bytes = &record[field];
            if bytes.is_ascii() {
                out.extend_from_slice(bytes);
            } else {
                out.resize(out.len() + bytes.len(), 0);
            }
        }
    }
    // Every byte is ASCII by now, so the conversion cannot fail.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A place record as stored, with its strings still in the file.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// GeoNames id.
    pub id: u32,
    /// Latitude.
    pub lat: f32,
    /// Longitude.
    pub lon: f32,
    /// Population (saturated at `u32::MAX`).
    pub population: u32,
    /// Offset of the main name in the strings section.
    name_at: u32,
    /// The strings section.
    strings: &'a [u8],
    /// The `ENGL` section.
    english: &'a [u8],
    /// Offset of the first-level administrative code in the strings section.
    admin1_at: u32,
    /// Index of the record of the place's first-level division, `u32::MAX` if none.
    pub admin1_place: u32,
    /// Feature class.
    pub class: u8,
    /// Feature code, up to 5 ASCII bytes.
    pub code: &'a str,
    /// Country code, two ASCII bytes or empty.
    pub country: &'a str,
}

impl<'a> Record<'a> {
    /// The place's main name.
    pub fn name(&self) -> &'a str {
        string_at(self.strings, self.name_at)
    }

    /// The place's usual English name where its main name is not it, else empty (see
    /// [`crate::english`]).
    pub fn english_name(&self) -> &'a str {
        crate::english::find(self.english, self.id).map_or("", |at| string_at(self.strings, at))
    }

    /// The first-level administrative code (read from the strings section only when asked for:
    /// ranking a name's candidates reads many records and few of their codes).
    pub fn admin1(&self) -> &'a str {
        string_at(self.strings, self.admin1_at)
    }

    /// The bytes of the first-level administrative code, not checked as UTF-8: what resolution
    /// numbers the divisions of a document by (the importer wrote them from strings).
    pub(crate) fn admin1_bytes(&self) -> &'a [u8] {
        bytes_at(self.strings, self.admin1_at)
    }

    /// The place's longitude and latitude.
    #[inline]
    pub fn point(&self) -> geo::Point {
        geo::Point::new(f64::from(self.lon), f64::from(self.lat))
    }

    /// The record's place as an owned [`Place`].
    pub fn place(&self) -> Place {
        Place {
            id: self.id,
            name: self.name().into(),
            english: self.english_name().into(),
            lat: decimal_f64(self.lat),
            lon: decimal_f64(self.lon),
            feature_class: char::from(self.class),
            feature_code: self.code.into(),
            country: self.country.into(),
            admin1: self.admin1().into(),
            population: u64::from(self.population),
        }
    }
}

/// The `f64` of the shortest decimal that reads back as `x`. The index keeps coordinates as
/// `f32`; widened bit for bit, GeoNames' 39.85 would leave the gazetteer as
/// 39.849998474121094 and show that noise in every output.
fn decimal_f64(x: f32) -> f64 {
    /// Room for any coordinate's shortest decimal (longer ones, far from the globe's
    /// degrees, are widened as they are).
    struct Digits {
        bytes: [u8; 32],
        len: usize,
    }
    impl std::fmt::Write for Digits {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let end = self.len + s.len();
            self.bytes
                .get_mut(self.len..end)
                .ok_or(std::fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }
    let mut digits = Digits {
        bytes: [0; 32],
        len: 0,
    };
    // `{}` writes the shortest decimal that reads back as the same `f32`.
    std::fmt::write(&mut digits, format_args!("{x}"))
        .ok()
        .and_then(|()| std::str::from_utf8(&digits.bytes[..digits.len]).ok())
        .and_then(|text| text.parse().ok())
        .unwrap_or(f64::from(x))
}

/// The string at `off` in a strings section: a little-endian `u16` length, then UTF-8 bytes.
fn string_at(s: &[u8], off: u32) -> &str {
    std::str::from_utf8(bytes_at(s, off)).unwrap_or("")
}

/// The bytes of the string at `off` in a strings section (see [`string_at`]), empty when they
/// run past its end.
fn bytes_at(s: &[u8], off: u32) -> &[u8] {
    let at = off as usize;
    if at + 2 > s.len() {
        return &[];
    }
    let len = usize::from(u16::from_le_bytes([s[at], s[at + 1]]));
    s.get(at + 2..at + 2 + len).unwrap_or(&[])
}

fn f32_at(b: &[u8], at: usize) -> f32 {
    f32::from_bits(u32_at(b, at))
}

/// The importance of a place of kind `kind`, in population-like units: its population, or a
/// stand-in for the kinds of places that have none (countries, divisions, regions). The index
/// keeps it for every place (see [`Index::importance`]).
fn importance(kind: PlaceKind, r: &Record<'_>) -> f64 {
    let pop = f64::from(r.population);
    match kind {
        PlaceKind::Continent => 3e8,
        PlaceKind::Country if r.code == "PCLI" => pop.max(1e6) * 20.0,
        PlaceKind::Country => pop.max(1e5) * 20.0,
        PlaceKind::Admin1 => pop.max(1e6),
        PlaceKind::Admin2 => pop.max(1e5),
        PlaceKind::Region => pop.max(2e6),
        PlaceKind::Capital => pop.max(1e5) * 5.0,
        PlaceKind::City => pop.max(300.0),
        PlaceKind::Other => pop.max(100.0),
    }
}

/// Decodes a name kind from its stored byte.
pub fn kind_from_byte(b: u8) -> NameKind {
    match b {
        0 => NameKind::Main,
        2 => NameKind::Short,
        3 => NameKind::Abbreviation,
        4 => NameKind::Historic,
        5 => NameKind::Colloquial,
        6 => NameKind::Demonym,
        _ => NameKind::Alternate,
    }
}

/// Encodes a name kind as its stored byte.
pub fn kind_to_byte(k: NameKind) -> u8 {
    match k {
        NameKind::Main => 0,
        NameKind::Alternate => 1,
        NameKind::Short => 2,
        NameKind::Abbreviation => 3,
        NameKind::Historic => 4,
        NameKind::Colloquial => 5,
        NameKind::Demonym => 6,
    }
}

/// The byte ranges of the sections of an index file, in the order of [`SECTIONS`], checked
/// against the file's length and the sizes of their items; the error says what is wrong.
fn section_ranges(buf: &[u8]) -> std::result::Result<[Range<usize>; SECTIONS.len()], &'static str> {
    let table_end = 8 + SECTIONS.len() * 20;
    if buf.len() < table_end || &buf[..8] != MAGIC {
        return Err("wrong magic number or version");
    }
    let mut ranges: [Range<usize>; SECTIONS.len()] = Default::default();
    for (i, tag) in SECTIONS.iter().enumerate() {
        let at = 8 + i * 20;
        if &buf[at..at + 4] != *tag {
            return Err("unexpected section table");
        }
        let start = usize::try_from(u64_at(buf, at + 4)).map_err(|_| "section offset")?;
        let len = usize::try_from(u64_at(buf, at + 12)).map_err(|_| "section length")?;
        let end = start.checked_add(len).filter(|&e| e <= buf.len());
        let Some(end) = end else {
            return Err("a section runs past the end of the file");
        };
        ranges[i] = start..end;
    }
    if !ranges[0].len().is_multiple_of(RECORD)
        || !ranges[1].len().is_multiple_of(POSTING)
        || !ranges[8].len().is_multiple_of(4)
        || !ranges[10].len().is_multiple_of(crate::english::ENTRY)
    {
        return Err("truncated records");
    }
    Ok(ranges)
}

/// The first words of the keys of `lower` (their bytes up to the first separator).
fn first_words_of(lower: &fst::Set<Bytes>) -> rustc_hash::FxHashSet<Box<[u8]>> {
    let mut starts = rustc_hash::FxHashSet::default();
    let mut keys = lower.stream();
    while let Some(key) = fst::Streamer::next(&mut keys) {
        let first = key.split(|&b| is_separator(b)).next().unwrap_or(key);
        starts.insert(first.into());
    }
    starts
}

/// Each language tag's number in `langs`: the first of equal tags, as postings name each tag
/// once.
fn lang_numbers(langs: &[String]) -> rustc_hash::FxHashMap<String, u16> {
    let mut numbers = rustc_hash::FxHashMap::default();
    for (i, tag) in langs.iter().enumerate() {
        if let Ok(i) = u16::try_from(i) {
            numbers.entry(tag.clone()).or_insert(i);
        }
    }
    numbers
}

impl Index {
    /// Reads and validates an index file.
    pub fn open(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Self::from_bytes(bytes.into(), path)
    }

    /// Validates an index held in memory; `path` only names it in errors.
    pub fn from_bytes(buf: Arc<[u8]>, path: &Path) -> Result<Self> {
        let bad = |message: &str| Error::BadIndex {
            path: path.into(),
            message: message.into(),
        };
        let [
            plac,
            post,
            name,
            strs,
            lang,
            meta,
            lowr,
            shap,
            nbrs,
            frst,
            engl,
        ] = section_ranges(&buf).map_err(bad)?;
        let view = |range: &Range<usize>| Bytes {
            buf: buf.clone(),
            start: range.start,
            end: range.end,
        };
        let names = fst::Map::new(view(&name)).map_err(|e| bad(&e.to_string()))?;
        let lower = fst::Set::new(view(&lowr)).map_err(|e| bad(&e.to_string()))?;
        let lower_starts = first_words_of(&lower);
        let firsts = FirstWords::new(&buf, frst, name.len()).map_err(|m| bad(&m))?;
        let text = |r: Range<usize>| {
            std::str::from_utf8(&buf[r])
                .map(str::to_owned)
                .map_err(|_| bad("a text section is not UTF-8"))
        };
        let langs: Vec<String> = text(lang)?.lines().map(str::to_owned).collect();
        let meta = text(meta)?;
        let codes = codes(&buf[plac.clone()]);
        let mut index = Self {
            places: plac,
            postings: post,
            shapes: shap,
            borders: nbrs,
            strings: strs,
            english: engl,
            names,
            lower,
            lower_filter: WordFilter::new(lower_starts.iter().map(|w| &w[..])),
            lower_starts,
            firsts,
            lang_numbers: lang_numbers(&langs),
            langs,
            meta,
            buf,
            ranks: Vec::new(),
            codes,
            countries: std::sync::OnceLock::new(),
        };
        index.ranks = (0..index.len())
            .map(|i| {
                let r = index.record(i);
                let kind = PlaceKind::from_feature(char::from(r.class), r.code);
                (importance(kind, &r), kind)
            })
            .collect();
        Ok(index)
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len() / RECORD
    }

    /// Whether the index holds no place.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The JSON metadata written at build time.
    pub fn meta(&self) -> &str {
        &self.meta
    }

    /// The names map, for walking it over a text.
    pub fn names(&self) -> &fst::Map<Bytes> {
        &self.names
    }

    /// The keys that a lower-case word may match, for walking it over lower-case words.
    pub fn lower_keys(&self) -> &fst::Set<Bytes> {
        &self.lower
    }

    /// Whether a key that a lower-case word may match starts with this folded word. Inlined:
    /// recognition asks it of every lower-case word, and most answers come from the filter.
    #[inline]
    pub fn may_start_lower_key(&self, word: &[u8]) -> bool {
        self.lower_filter.may_contain(word) && self.lower_starts.contains(word)
    }

    /// Calls `found(end, value)` for every name key that `bytes[word.start..end]` spells, at
    /// every `end` that `ends_word` accepts, shortest first. `word` is the first word of the
    /// walk: its bytes up to the first separator (see [`is_separator`]) or the end of `bytes`.
    pub fn walk_names(
        &self,
        bytes: &[u8],
        word: Range<usize>,
        ends_word: impl Fn(usize) -> bool,
        mut found: impl FnMut(usize, u64),
    ) {
        let end = word.end;
        let Some(first) = self
            .firsts
            .get(&self.buf, first_words::hash_in(bytes, word))
        else {
            return;
        };
        if let Some(value) = first.value.filter(|_| ends_word(end)) {
            found(end, value);
        }
        if first.goes_on {
            let fst = self.names.as_fst();
            walk_from(
                fst,
                fst.node(first.addr),
                fst::raw::Output::new(first.output),
                bytes,
                end,
                ends_word,
                found,
            );
        }
    }

    /// The two-byte codes of the countries that the country of code `code` borders, as stored
    /// (resolution compares them as numbers, without reading them as text).
    pub(crate) fn neighbour_codes(&self, code: [u8; 2]) -> impl Iterator<Item = [u8; 2]> {
        self.border_run(code).iter().map(|p| [p[2], p[3]])
    }

    /// The pairs (code, neighbour's code) of the country of code `code`.
    fn border_run(&self, code: [u8; 2]) -> &[[u8; 4]] {
        let (pairs, _) = self.buf[self.borders.clone()].as_chunks::<4>();
        // Pairs are sorted: the country's own run starts where the first pair not before it does.
        // The two-byte codes are compared as numbers.
        let key = u16::from_be_bytes(code);
        let code = |p: &[u8; 4]| u16::from_be_bytes([p[0], p[1]]);
        let first = pairs.partition_point(|p| code(p) < key);
        let len = pairs[first..].iter().take_while(|p| code(p) == key).count();
        &pairs[first..first + len]
    }

    /// The importance of the place at record index `i` (see [`importance`]).
    /// Panics if `i >= len()`.
    pub fn importance(&self, i: usize) -> f64 {
        self.ranks[i].0
    }

    /// The kind of the place at record index `i`. Panics if `i >= len()`.
    pub fn kind(&self, i: usize) -> PlaceKind {
        self.ranks[i].1
    }

    /// The language tags, in the order that postings number them.
    pub fn langs(&self) -> &[String] {
        &self.langs
    }

    /// The number of the language tag `tag`, if the index has it.
    pub fn lang_number(&self, tag: &str) -> Option<u16> {
        self.lang_numbers.get(tag).copied()
    }

    /// The language tag with this index.
    pub fn lang(&self, i: u16) -> &str {
        self.langs.get(usize::from(i)).map_or("", String::as_str)
    }

    /// The place record at `i` (an index, not a GeoNames id). Panics if `i >= len()`.
    pub fn record(&self, i: usize) -> Record<'_> {
        let b = &self.buf[self.places.start + i * RECORD..self.places.start + (i + 1) * RECORD];
        let codes = &self.codes[i * CODES..(i + 1) * CODES];
        // The codes are a few ASCII bytes: a plain scan, not a search through `memchr`.
        fn until_nul(s: &str) -> &str {
            let end = s.bytes().position(|b| b == 0).unwrap_or(s.len());
            s.get(..end).unwrap_or(s)
        }
        Record {
            id: u32_at(b, 0),
            lat: f32_at(b, 4),
            lon: f32_at(b, 8),
            population: u32_at(b, 12),
            name_at: u32_at(b, 16),
            strings: &self.buf[self.strings.clone()],
            english: &self.buf[self.english.clone()],
            admin1_at: u32_at(b, 20),
            admin1_place: u32_at(b, 24),
            class: b[28],
            code: until_nul(&codes[..5]),
            country: until_nul(&codes[5..]),
        }
    }

    /// The index of the place with GeoNames id `id`.
    pub fn find_id(&self, id: u32) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = self.places.start + mid * RECORD;
            match u32_at(&self.buf, at).cmp(&id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The record index of the country with ISO code `cc`, found on first use by one scan.
    pub fn country(&self, cc: &str) -> Option<usize> {
        self.countries
            .get_or_init(|| {
                let mut map = std::collections::HashMap::new();
                for i in 0..self.len() {
                    let r = self.record(i);
                    let rank = |code: &str| match code {
                        "PCLI" => 0,
                        "PCLD" | "PCLF" | "PCLS" | "PCLIX" => 1,
                        _ => 2,
                    };
                    if r.class == b'A' && (r.code.starts_with("PCL") || r.code == "TERR") {
                        let better = map
                            .get(r.country)
                            .is_none_or(|&j: &usize| rank(r.code) < rank(self.record(j).code));
                        if better {
                            map.insert(r.country.to_owned(), i);
                        }
                    }
                }
                map
            })
            .get(cc)
            .copied()
    }

    /// Every outline: the record index of its place and its rings of (longitude, latitude).
    /// A damaged section yields what can be read of it.
    pub fn shapes(&self) -> Vec<(usize, crate::geonames::Rings)> {
        let b = &self.buf[self.shapes.clone()];
        let read = |at: usize| b.get(at..at + 4).map(|_| u32_at(b, at) as usize);
        let Some(count) = read(0) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(count.min(b.len() / 8));
        for i in 0..count {
            let (Some(place), Some(mut at)) = (read(4 + i * 8), read(8 + i * 8)) else {
                break;
            };
            let Some(rings) = read(at) else { break };
            at += 4;
            let mut shape = Vec::with_capacity(rings.min(b.len()));
            for _ in 0..rings {
                let Some(n) = read(at) else { break };
                at += 4;
                let Some(points) = b.get(at..at + n * 8) else {
                    break;
                };
                shape.push(
                    points
                        .chunks_exact(8)
                        .map(|p| (f32_at(p, 0), f32_at(p, 4)))
                        .collect(),
                );
                at += n * 8;
            }
            if place < self.len() {
                out.push((place, shape));
            }
        }
        out
    }

    /// The postings behind an `fst` value.
    pub fn postings(&self, value: u64) -> impl Iterator<Item = Posting> + '_ {
        let start = (value >> 24) as usize;
        let count = (value & 0xff_ffff) as usize;
        let base = self.postings.start;
        let total = self.postings.len() / POSTING;
        (start..(start + count).min(total)).map(move |i| {
            let b = &self.buf[base + i * POSTING..base + (i + 1) * POSTING];
            Posting {
                place: u32_at(b, 0),
                kind: kind_from_byte(b[4]),
                flags: b[5],
                lang: u16::from_le_bytes([b[6], b[7]]),
            }
        })
    }

    /// Every posting of the place at record index `place`, with its number, in order: one scan
    /// of the postings (8 bytes each, about nine megabytes for the shipped index).
    pub fn postings_of(&self, place: u32) -> Vec<(usize, Posting)> {
        let want = place.to_le_bytes();
        self.buf[self.postings.clone()]
            .chunks_exact(POSTING)
            .enumerate()
            .filter(|(_, b)| b[..4] == want)
            .map(|(i, b)| {
                (
                    i,
                    Posting {
                        place,
                        kind: kind_from_byte(b[4]),
                        flags: b[5],
                        lang: u16::from_le_bytes([b[6], b[7]]),
                    },
                )
            })
            .collect()
    }

    /// The postings of a folded name key.
    pub fn lookup_key(&self, key: &str) -> Vec<Posting> {
        self.names
            .get(key)
            .map(|v| self.postings(v).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_leave_with_their_decimals() {
        assert_eq!(decimal_f64(39.85), 39.85);
        assert_eq!(decimal_f64(-46.7517), -46.7517);
        assert_eq!(decimal_f64(180.0), 180.0);
        assert_eq!(decimal_f64(1e-40), f64::from(1e-40_f32));
        for x in [39.85_f32, 0.1, -179.99998, 45.123_456] {
            assert_eq!(decimal_f64(x) as f32, x, "{x} reads back as itself");
        }
    }
}
