//! Builds the compact index from a GeoNames dump folder.

use crate::english::{self, EnglishNames};
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::geonames::{self, DumpFiles, PlaceRow};
use crate::index::{
    FLAG_LOWER_TAIL, FLAG_LOWERCASE, FLAG_UPPERCASE, MAGIC, POSTING, RECORD, SECTIONS, kind_to_byte,
};
use crate::model::NameKind;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// Language tags of GeoNames alternate names that are not names (links, codes, postcodes).
const NOT_NAMES: &[&str] = &[
    "link", "wkdt", "post", "iata", "icao", "faac", "unlc", "tcid", "phon", "piny", "fr_1793",
];

/// Longest folded name the index keeps, in bytes.
const MAX_KEY: usize = 80;

/// What a build produced, for the caller to report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    /// Places written.
    pub places: usize,
    /// Distinct name keys.
    pub keys: usize,
    /// Postings (name, place) written.
    pub postings: usize,
    /// Size of the index file in bytes.
    pub bytes: u64,
}

/// One name of a place, as the index keys it.
struct NameEntry {
    key: String,
    place_id: u32,
    kind: NameKind,
    flags: u8,
    lang: u16,
}

/// The names gathered from the dump, and the language tags they number.
#[derive(Default)]
struct Names {
    entries: Vec<NameEntry>,
    langs: Langs,
}

/// Reads a GeoNames dump folder (`allCountries.txt` or a `citiesNNN.txt`, and when present
/// `alternateNamesV2.txt`, `admin1CodesASCII.txt`, `countryInfo.txt`, GeoNames' outlines and
/// karta's `demonyms.tsv`) and writes the index file `out`, which
/// [`Gazetteer::open`](crate::Gazetteer::open) opens.
pub fn build_index(dir: &Path, out: &Path) -> Result<BuildReport> {
    let files = DumpFiles::find(dir)?;
    let mut names = Names::default();
    let mut places = read_places(&files.places, &mut names)?;
    add_missing_divisions(&files, &mut places, &mut names)?;
    let mut english = EnglishNames::default();
    if let Some(path) = &files.alternate_names {
        add_alternate_names(path, &places, &mut names, &mut english)?;
    }
    if let Some(path) = &files.demonyms {
        geonames::read_demonyms(path, |d| {
            names.add(d.place_id, &d.form, NameKind::Demonym, &d.lang);
        })?;
    }
    places.sort_by_key(|p| p.id);
    places.dedup_by_key(|p| p.id);
    let mut shapes = Vec::new();
    if let Some(path) = &files.shapes {
        geonames::read_shapes(path, |id, rings| shapes.push((id, rings)))?;
    }
    let keys = names.entries.iter().map(|n| (n.place_id, n.key.as_str()));
    let english = english.choose(&places, keys);
    write_index(out, &files, places, names, &shapes, &english)
}

/// The rows of the place table, with their main, ASCII and untagged alternate names added to
/// `names`.
fn read_places(path: &Path, names: &mut Names) -> Result<Vec<PlaceRow>> {
    let mut places = Vec::new();
    geonames::read_places(path, |row| {
        names.add(row.id, &row.name, NameKind::Main, "");
        if row.ascii_name != row.name {
            names.add(row.id, &row.ascii_name, NameKind::Alternate, "");
        }
        for alt in &row.alternate_names {
            if keep_untagged(alt, row.feature_class) {
                names.add(row.id, alt, NameKind::Alternate, "");
            }
        }
        places.push(row);
    })?;
    Ok(places)
}

/// Adds the names of `alternateNamesV2.txt` that are names (not links or codes) and long
/// enough, with their kind from the file's flags, and gives the English ones to `english`.
fn add_alternate_names(
    path: &Path,
    places: &[PlaceRow],
    names: &mut Names,
    english: &mut EnglishNames,
) -> Result<()> {
    let class_of: HashMap<u32, char> = places.iter().map(|p| (p.id, p.feature_class)).collect();
    geonames::read_alternate_names(path, |alt| {
        english.add(&alt);
        if NOT_NAMES.contains(&alt.lang.as_str()) {
            return;
        }
        let class = class_of.get(&alt.place_id).copied().unwrap_or('?');
        if alt.lang.is_empty() && !keep_untagged(&alt.name, class) {
            return;
        }
        let kind = if alt.lang == "abbr" {
            NameKind::Abbreviation
        } else if alt.historic {
            NameKind::Historic
        } else if alt.colloquial {
            NameKind::Colloquial
        } else if alt.short {
            NameKind::Short
        } else {
            NameKind::Alternate
        };
        // Three Latin letters in a language are mostly codes; in other scripts they are names
        // («США», «ԱՄՆ»).
        if alt.lang.is_empty()
            || alt.lang == "abbr"
            || alt.name.chars().count() > 3
            || !alt.name.is_ascii()
        {
            names.add(alt.place_id, &alt.name, kind, &alt.lang);
        }
    })
}

/// Countries of `countryInfo.txt` and divisions of `admin1CodesASCII.txt` that the place table
/// lacks (a `citiesNNN.txt` dump holds only cities), placed at the population-weighted mean of
/// their cities, so that a cities-only dump still knows «Kentucky» and «Armenia».
fn add_missing_divisions(
    files: &DumpFiles,
    places: &mut Vec<PlaceRow>,
    names: &mut Names,
) -> Result<()> {
    let known: std::collections::HashSet<u32> = places.iter().map(|p| p.id).collect();
    let mut centre: HashMap<(String, String), (f64, f64, f64)> = HashMap::new();
    for p in places.iter().filter(|p| p.feature_class == 'P') {
        let w = (p.population as f64).max(1.0);
        for key in [
            (p.country.clone(), String::new()),
            (p.country.clone(), p.admin1.clone()),
        ] {
            let e = centre.entry(key).or_insert((0.0, 0.0, 0.0));
            *e = (e.0 + w * p.lat, e.1 + w * p.lon, e.2 + w);
        }
    }
    let mut add = |id: u32, name: String, code: &str, country: &str, admin1: &str, population| {
        let Some(&(lat, lon, w)) = centre.get(&(country.to_owned(), admin1.to_owned())) else {
            return;
        };
        if known.contains(&id) {
            return;
        }
        names.add(id, &name, NameKind::Main, "");
        places.push(PlaceRow {
            id,
            ascii_name: name.clone(),
            name,
            alternate_names: Vec::new(),
            lat: lat / w,
            lon: lon / w,
            feature_class: 'A',
            feature_code: code.to_owned(),
            country: country.to_owned(),
            admin1: admin1.to_owned(),
            population,
        });
    };
    if let Some(path) = &files.country_info {
        geonames::read_country_info(path, |c| {
            add(c.id, c.name, "PCLI", &c.iso, "", c.population)
        })?;
    }
    if let Some(path) = &files.admin1_codes {
        geonames::read_admin1_codes(path, |a| add(a.id, a.name, "ADM1", &a.country, &a.code, 0))?;
    }
    Ok(())
}

/// The `NBRS` section: every (country, neighbour) pair of `countryInfo.txt`'s neighbours column,
/// both ways (a file may list a border on one side only), sorted, four ASCII bytes each.
fn borders(files: &DumpFiles) -> Result<Vec<u8>> {
    let mut pairs = std::collections::BTreeSet::new();
    if let Some(path) = &files.country_info {
        geonames::read_country_info(path, |c| {
            if c.iso.len() != 2 || !c.iso.is_ascii() {
                return;
            }
            for n in c.neighbours {
                pairs.insert(format!("{}{n}", c.iso));
                pairs.insert(format!("{n}{}", c.iso));
            }
        })?;
    }
    Ok(pairs.into_iter().flat_map(String::into_bytes).collect())
}

/// Whether an untagged alternate name from the place table is worth indexing: airport codes
/// (`BAK`, `EVN`) sit there untagged beside real names.
fn keep_untagged(name: &str, class: char) -> bool {
    let letters = name.chars().filter(|c| c.is_alphanumeric()).count();
    !(class == 'P' && is_capitals(name) && letters <= 4)
}

/// Whether a name is written in capitals (`USA`, `BAK`); names in scripts without case are not.
fn is_capitals(name: &str) -> bool {
    name.chars().any(char::is_uppercase) && !name.chars().any(char::is_lowercase)
}

/// A name whose first word is in lower case, a word of three letters or more that is no
/// particle, and whose last word has a capital: «mer Noire», «mont Blanc», «océan Indien»,
/// «détroit de Béring», «baie d'Hudson» (not «l'Ouest», «des Moines»).
fn is_lower_head(name: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "des", "les", "del", "van", "von", "der", "den", "die", "das",
    ];
    let Some((head, rest)) = name.split_once(' ') else {
        return false;
    };
    head.chars().count() >= 3
        && head.chars().all(char::is_lowercase)
        && !PARTICLES.contains(&head)
        && rest
            .rsplit(' ')
            .next()
            .is_some_and(|last| last.chars().any(char::is_uppercase))
}

/// Whether `name` has a capitalised head and a last word in lower case of three letters or
/// more, as many languages write the generic word of a name («Arabie saoudite», «Тихий океан»,
/// «Одесская область»): a text writes it so too.
fn has_lower_tail(name: &str) -> bool {
    let Some((_, last)) = name.rsplit_once(' ') else {
        return false;
    };
    name.chars().next().is_some_and(char::is_uppercase)
        && last.chars().count() >= 3
        && last.chars().all(char::is_lowercase)
}

impl Names {
    /// Adds a name of place `place_id`, of kind `kind` in language `lang`, unless its key is
    /// too long, too short or has no letter (two letters only for an abbreviation in capitals).
    fn add(&mut self, place_id: u32, name: &str, kind: NameKind, lang: &str) {
        let key = fold(name);
        let alnum = key.chars().filter(|c| c.is_alphanumeric()).count();
        if key.len() > MAX_KEY || alnum < 2 || key.chars().all(|c| !c.is_alphabetic()) {
            return;
        }
        let upper = is_capitals(name);
        if alnum == 2 && !(upper && kind == NameKind::Abbreviation) {
            return;
        }
        let lower = name.chars().next().is_some_and(char::is_lowercase)
            && (kind == NameKind::Demonym || is_lower_head(name));
        let flags = if upper && alnum <= 5 {
            FLAG_UPPERCASE
        } else if lower {
            FLAG_LOWERCASE
        } else if has_lower_tail(name) {
            FLAG_LOWER_TAIL
        } else {
            0
        };
        self.entries.push(NameEntry {
            key,
            place_id,
            kind,
            flags,
            lang: self.langs.intern(lang),
        });
    }
}

#[derive(Default)]
struct Langs {
    list: Vec<String>,
    ids: HashMap<String, u16>,
}

impl Langs {
    fn intern(&mut self, lang: &str) -> u16 {
        if let Some(&i) = self.ids.get(lang) {
            return i;
        }
        let i = u16::try_from(self.list.len()).unwrap_or(u16::MAX);
        self.list.push(lang.to_owned());
        self.ids.insert(lang.to_owned(), i);
        i
    }
}

#[derive(Default)]
struct Strings {
    blob: Vec<u8>,
    ids: HashMap<String, u32>,
}

impl Strings {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let s16 = &s[..s.floor_char_boundary(usize::from(u16::MAX))];
        let at = u32::try_from(self.blob.len()).unwrap_or(u32::MAX);
        self.blob
            .extend_from_slice(&(s16.len() as u16).to_le_bytes());
        self.blob.extend_from_slice(s16.as_bytes());
        self.ids.insert(s.to_owned(), at);
        at
    }
}

fn ascii_field<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0; N];
    for (o, b) in out.iter_mut().zip(s.bytes().filter(u8::is_ascii)) {
        *o = b;
    }
    out
}

/// Writes the index file: its sections (see [`crate::index`]) behind the table that locates
/// them.
fn write_index(
    out: &Path,
    files: &DumpFiles,
    places: Vec<PlaceRow>,
    names: Names,
    shapes: &[(u32, crate::geonames::Rings)],
    english: &[(u32, String)],
) -> Result<BuildReport> {
    let index_of: HashMap<u32, u32> = places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i as u32))
        .collect();
    let mut strings = Strings::default();
    let plac = places_section(&places, &mut strings);
    let engl = english::section(english, |name| strings.intern(name));
    let postings = postings_by_key(names.entries, &index_of);
    let keyed = KeyedSections::new(&postings, &index_of)?;
    let meta = serde_json::json!({
        "format": 6,
        "shapes": shapes.len(),
        "places_file": files.places.file_name().map(|s| s.to_string_lossy().into_owned()),
        "alternate_names_file": files.alternate_names.as_ref().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned()),
        "demonyms_file": files.demonyms.is_some(),
        "places": places.len(),
        "keys": keyed.keys,
        "postings": postings.len(),
        "english_names": english.len(),
    })
    .to_string();
    let first_bytes = crate::first_words::section(&fst::raw::Fst::new(&keyed.names[..])?)?;
    let bytes = write_sections(
        out,
        [
            &plac,
            &keyed.postings,
            &keyed.names,
            &strings.blob,
            names.langs.list.join("\n").as_bytes(),
            meta.as_bytes(),
            &keyed.lower,
            &shapes_section(shapes, &index_of),
            &borders(files)?,
            &first_bytes,
            &engl,
        ],
    )?;
    Ok(BuildReport {
        places: places.len(),
        keys: keyed.keys,
        postings: postings.len(),
        bytes,
    })
}

/// The `PLAC` section: a record of [`RECORD`] bytes per place, in the order of `places`, whose
/// strings go to `strings`.
fn places_section(places: &[PlaceRow], strings: &mut Strings) -> Vec<u8> {
    let admin1_of: HashMap<(&str, &str), u32> = places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.feature_code == "ADM1")
        .map(|(i, p)| ((p.country.as_str(), p.admin1.as_str()), i as u32))
        .collect();
    let mut plac = Vec::with_capacity(places.len() * RECORD);
    for r in places {
        let admin1_place = admin1_of
            .get(&(r.country.as_str(), r.admin1.as_str()))
            .copied()
            .unwrap_or(u32::MAX);
        plac.extend_from_slice(&r.id.to_le_bytes());
        plac.extend_from_slice(&(r.lat as f32).to_le_bytes());
        plac.extend_from_slice(&(r.lon as f32).to_le_bytes());
        plac.extend_from_slice(
            &u32::try_from(r.population)
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        plac.extend_from_slice(&strings.intern(&r.name).to_le_bytes());
        plac.extend_from_slice(&strings.intern(&r.admin1).to_le_bytes());
        plac.extend_from_slice(&admin1_place.to_le_bytes());
        plac.push(u8::try_from(r.feature_class).unwrap_or(b'?'));
        plac.extend_from_slice(&ascii_field::<5>(&r.feature_code));
        plac.extend_from_slice(&ascii_field::<2>(&r.country));
    }
    plac
}

/// The names of the places that the index holds, sorted by key, place, kind and language, one
/// per (key, place, language): a lower-case form anywhere allows lower case, and the name is
/// capitals-only only if every form of it is.
fn postings_by_key(mut names: Vec<NameEntry>, index_of: &HashMap<u32, u32>) -> Vec<NameEntry> {
    names.retain(|n| index_of.contains_key(&n.place_id));
    names.sort_unstable_by(|a, b| {
        (a.key.as_str(), a.place_id, kind_to_byte(a.kind), a.lang).cmp(&(
            b.key.as_str(),
            b.place_id,
            kind_to_byte(b.kind),
            b.lang,
        ))
    });
    names.dedup_by(|b, a| {
        let same = a.key == b.key && a.place_id == b.place_id && a.lang == b.lang;
        if same {
            let upper = a.flags & b.flags & FLAG_UPPERCASE;
            a.flags = ((a.flags | b.flags) & !FLAG_UPPERCASE) | upper;
        }
        same
    });
    names
}

/// The sections written from the postings sorted by key: `POST`, `NAME` and `LOWR`.
struct KeyedSections {
    /// `POST`: [`POSTING`] bytes per posting.
    postings: Vec<u8>,
    /// `NAME`: the `fst` map from each key to its run of postings.
    names: Vec<u8>,
    /// `LOWR`: the `fst` set of the keys that a lower-case word may match.
    lower: Vec<u8>,
    /// How many distinct keys.
    keys: usize,
}

impl KeyedSections {
    /// The sections of `postings`, sorted by key (see [`postings_by_key`]).
    fn new(postings: &[NameEntry], index_of: &HashMap<u32, u32>) -> Result<Self> {
        let mut post = Vec::with_capacity(postings.len() * POSTING);
        let mut names = fst::MapBuilder::memory();
        let mut lower = fst::SetBuilder::memory();
        let (mut keys, mut first) = (0, 0);
        for run in postings.chunk_by(|a, b| a.key == b.key) {
            let value = ((first as u64) << 24) | (run.len() as u64).min(0xff_ffff);
            names.insert(&run[0].key, value)?;
            if run.iter().any(|n| n.flags & FLAG_LOWERCASE != 0) {
                lower.insert(&run[0].key)?;
            }
            keys += 1;
            for n in run {
                post.extend_from_slice(&index_of[&n.place_id].to_le_bytes());
                post.push(kind_to_byte(n.kind));
                post.push(n.flags);
                post.extend_from_slice(&n.lang.to_le_bytes());
            }
            first += run.len();
        }
        Ok(Self {
            postings: post,
            names: names.into_inner()?,
            lower: lower.into_inner()?,
            keys,
        })
    }
}

/// Writes the magic number, the table of sections (tag, offset, length) and the sections, in
/// the order of [`SECTIONS`], to a temporary file renamed to `out` once complete; the file's
/// size in bytes.
fn write_sections(out: &Path, sections: [&[u8]; SECTIONS.len()]) -> Result<u64> {
    let mut header = Vec::with_capacity(8 + SECTIONS.len() * 20);
    header.extend_from_slice(MAGIC);
    let mut offset = (8 + SECTIONS.len() * 20) as u64;
    for (tag, body) in SECTIONS.iter().zip(sections) {
        header.extend_from_slice(*tag);
        header.extend_from_slice(&offset.to_le_bytes());
        header.extend_from_slice(&(body.len() as u64).to_le_bytes());
        offset += body.len() as u64;
    }
    let tmp = out.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        f.write_all(&header)?;
        for body in sections {
            f.write_all(body)?;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, out)
    };
    write().map_err(|e| Error::io(out, e))?;
    Ok(offset)
}

/// The `SHAP` section: outlines of the places that the index holds.
fn shapes_section(
    shapes: &[(u32, crate::geonames::Rings)],
    index_of: &HashMap<u32, u32>,
) -> Vec<u8> {
    let kept: Vec<_> = shapes
        .iter()
        .filter_map(|(id, rings)| Some((*index_of.get(id)?, rings)))
        .collect();
    let mut table = Vec::new();
    let mut body = Vec::new();
    let header = 4 + kept.len() * 8;
    for (place, rings) in &kept {
        table.extend_from_slice(&place.to_le_bytes());
        table.extend_from_slice(&((header + body.len()) as u32).to_le_bytes());
        body.extend_from_slice(&(rings.len() as u32).to_le_bytes());
        for ring in *rings {
            body.extend_from_slice(&(ring.len() as u32).to_le_bytes());
            for (lon, lat) in ring {
                body.extend_from_slice(&lon.to_le_bytes());
                body.extend_from_slice(&lat.to_le_bytes());
            }
        }
    }
    let mut out = (kept.len() as u32).to_le_bytes().to_vec();
    out.extend(table);
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Index;

    /// The importer's test dump (`tests/data/dump`), built into a file of a temporary folder.
    fn built(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("karta-unit-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let dump = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dump");
        build_index(&dump, &dir.join("test.gaz")).expect("the dump imports");
        dir
    }

    #[test]
    fn borders_are_kept_both_ways() {
        let dir = built("borders");
        let index = Index::open(&dir.join("test.gaz")).expect("the index opens");
        let of = |iso: &[u8; 2]| {
            let mut n: Vec<String> = index
                .neighbour_codes(*iso)
                .map(|c| String::from_utf8_lossy(&c).into_owned())
                .collect();
            n.sort_unstable();
            n.join(",")
        };
        assert_eq!(of(b"AM"), "AZ,GE,IR,TR");
        // Cuba has no row here; the United States' lists it.
        assert!(of(b"CU").contains("US"), "{}", of(b"CU"));
        assert_eq!(of(b"XX"), "");
        std::fs::remove_dir_all(dir).ok();
    }
}
