//! Readers for the GeoNames dump format: the place table (`allCountries.txt`, `citiesNNN.txt`),
//! `alternateNamesV2.txt`, `admin1CodesASCII.txt` and karta's own `demonyms.tsv`.
//!
//! Each reader streams a file line by line and hands every record to a callback, so that the
//! 12 million rows of the full dump never sit in memory as text.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// One row of the GeoNames place table (the columns karta uses).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    /// GeoNames id.
    pub id: u32,
    /// Main name.
    pub name: String,
    /// ASCII form of the main name.
    pub ascii_name: String,
    /// The comma-separated alternate names column, split.
    pub alternate_names: Vec<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Feature class.
    pub feature_class: char,
    /// Feature code.
    pub feature_code: String,
    /// Country code.
    pub country: String,
    /// First-level administrative code.
    pub admin1: String,
    /// Population.
    pub population: u64,
}

/// One row of `alternateNamesV2.txt` (or the older `alternateNames.txt`).
#[derive(Debug, Clone, PartialEq)]
pub struct AlternateNameRow {
    /// The place's GeoNames id.
    pub place_id: u32,
    /// Language tag: ISO 639 code, `abbr`, `link`, `post`, `iata`, … or empty.
    pub lang: String,
    /// The name.
    pub name: String,
    /// Marked as the preferred name in its language.
    pub preferred: bool,
    /// Marked as a short name.
    pub short: bool,
    /// Marked as colloquial.
    pub colloquial: bool,
    /// Marked as historic.
    pub historic: bool,
}

/// One row of karta's `demonyms.tsv`: a word that stands for a country.
#[derive(Debug, Clone, PartialEq)]
pub struct DemonymRow {
    /// The country's GeoNames id.
    pub place_id: u32,
    /// Language of the word.
    pub lang: String,
    /// The word (`arménienne`, `Syrians`).
    pub form: String,
}

/// The files of a GeoNames dump folder that the importer reads.
#[derive(Debug, Clone)]
pub struct DumpFiles {
    /// The place table: `allCountries.txt`, else the largest `citiesNNN.txt`.
    pub places: PathBuf,
    /// `alternateNamesV2.txt` or `alternateNames.txt`, when present.
    pub alternate_names: Option<PathBuf>,
    /// `demonyms.tsv`, when present.
    pub demonyms: Option<PathBuf>,
    /// `shapes_simplified_low.json` (GeoNames' outlines: `geoNameId`, tab, GeoJSON), when present.
    pub shapes: Option<PathBuf>,
    /// `countryInfo.txt`, when present.
    pub country_info: Option<PathBuf>,
    /// `admin1CodesASCII.txt`, when present.
    pub admin1_codes: Option<PathBuf>,
}

impl DumpFiles {
    /// Finds the files in a dump folder.
    pub fn find(dir: &Path) -> Result<Self> {
        let existing = |name: &str| Some(dir.join(name)).filter(|p| p.is_file());
        let places = match existing("allCountries.txt") {
            Some(p) => p,
            None => smallest_cities_table(dir)?.ok_or_else(|| Error::NoPlaceTable(dir.into()))?,
        };
        Ok(Self {
            places,
            alternate_names: existing("alternateNamesV2.txt")
                .or_else(|| existing("alternateNames.txt")),
            demonyms: existing("demonyms.tsv"),
            shapes: existing("shapes_simplified_low.json")
                .or_else(|| existing("shapes_all_low.txt")),
            country_info: existing("countryInfo.txt"),
            admin1_codes: existing("admin1CodesASCII.txt"),
        })
    }
}

/// `citiesNNN.txt` with the smallest NNN, which holds the most places.
fn smallest_cities_table(dir: &Path) -> Result<Option<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut best: Option<(u32, PathBuf)> = None;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let Some(size) = name
            .to_str()
            .and_then(|n| n.strip_prefix("cities"))
            .and_then(|n| n.strip_suffix(".txt"))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if best.as_ref().is_none_or(|(b, _)| size < *b) {
            best = Some((size, entry.path()));
        }
    }
    Ok(best.map(|(_, p)| p))
}

/// Calls `f` with each non-comment line of a tab-separated file, split into fields, and its
/// 1-based line number.
fn for_each_row(path: &Path, mut f: impl FnMut(&[&str], usize) -> Result<()>) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io(path, e))?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let line = std::str::from_utf8(&buf).map_err(|_| Error::NotUtf8 {
            path: path.into(),
            line: line_no,
        })?;
        let line = line.trim_end_matches(['\n', '\r']);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        f(&fields, line_no)?;
    }
}

fn bad(path: &Path, line: usize, message: impl Into<String>) -> Error {
    Error::BadRecord {
        path: path.into(),
        line,
        message: message.into(),
    }
}

fn parse<T: std::str::FromStr>(path: &Path, line: usize, what: &str, s: &str) -> Result<T> {
    s.trim()
        .parse()
        .map_err(|_| bad(path, line, format!("{what} {s:?} is not a number")))
}

/// Reads the place table, calling `f` for each row.
pub fn read_places(path: &Path, mut f: impl FnMut(PlaceRow)) -> Result<()> {
    for_each_row(path, |c, line| {
        if c.len() < 15 {
            return Err(bad(path, line, format!("{} columns, expected 19", c.len())));
        }
        let lat: f64 = parse(path, line, "latitude", c[4])?;
        let lon: f64 = parse(path, line, "longitude", c[5])?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(bad(
                path,
                line,
                format!("coordinates {lat}, {lon} out of range"),
            ));
        }
        f(PlaceRow {
            id: parse(path, line, "geonameid", c[0])?,
            name: c[1].to_owned(),
            ascii_name: c[2].to_owned(),
            alternate_names: c[3]
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_owned())
                .collect(),
            lat,
            lon,
            feature_class: c[6].chars().next().unwrap_or('?'),
            feature_code: c[7].to_owned(),
            country: c[8].to_owned(),
            admin1: c[10].to_owned(),
            population: if c[14].trim().is_empty() {
                0
            } else {
                parse(path, line, "population", c[14])?
            },
        });
        Ok(())
    })
}

/// Reads `alternateNamesV2.txt` (10 columns) or `alternateNames.txt` (8), calling `f` for each row.
pub fn read_alternate_names(path: &Path, mut f: impl FnMut(AlternateNameRow)) -> Result<()> {
    for_each_row(path, |c, line| {
        if c.len() < 4 {
            return Err(bad(path, line, format!("{} columns, expected 10", c.len())));
        }
        let flag = |i: usize| c.get(i).is_some_and(|v| v.trim() == "1");
        f(AlternateNameRow {
            place_id: parse(path, line, "geonameid", c[1])?,
            lang: c[2].to_owned(),
            name: c[3].to_owned(),
            preferred: flag(4),
            short: flag(5),
            colloquial: flag(6),
            historic: flag(7),
        });
        Ok(())
    })
}

/// Reads karta's `demonyms.tsv` (`geonameid`, `lang`, `form`, with a header line).
pub fn read_demonyms(path: &Path, mut f: impl FnMut(DemonymRow)) -> Result<()> {
    for_each_row(path, |c, line| {
        if line == 1 && c.first() == Some(&"geonameid") {
            return Ok(());
        }
        if c.len() < 3 {
            return Err(bad(path, line, format!("{} columns, expected 3", c.len())));
        }
        f(DemonymRow {
            place_id: parse(path, line, "geonameid", c[0])?,
            lang: c[1].to_owned(),
            form: c[2].to_owned(),
        });
        Ok(())
    })
}

/// An outline: rings of (longitude, latitude) points; holes and islands are rings too.
pub type Rings = Vec<Vec<(f32, f32)>>;

/// Reads a GeoNames shapes file (`geoNameId`, tab, a GeoJSON Polygon or MultiPolygon), calling
/// `f` with each place id and its rings as (longitude, latitude) pairs.
pub fn read_shapes(path: &Path, mut f: impl FnMut(u32, Rings)) -> Result<()> {
    for_each_row(path, |c, line| {
        if line == 1 && c.first() == Some(&"geoNameId") {
            return Ok(());
        }
        if c.len() < 2 {
            return Err(bad(
                path,
                line,
                "expected a geonameid and a GeoJSON geometry",
            ));
        }
        let id = parse(path, line, "geonameid", c[0])?;
        let geometry: serde_json::Value =
            serde_json::from_str(c[1]).map_err(|e| bad(path, line, format!("not GeoJSON: {e}")))?;
        let polygons = match geometry["type"].as_str() {
            Some("Polygon") => vec![geometry["coordinates"].clone()],
            Some("MultiPolygon") => geometry["coordinates"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
            other => {
                return Err(bad(
                    path,
                    line,
                    format!("geometry type {other:?} is not a polygon"),
                ));
            }
        };
        let mut rings = Vec::new();
        for polygon in &polygons {
            for ring in polygon.as_array().into_iter().flatten() {
                let points: Vec<(f32, f32)> = ring
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| Some((p[0].as_f64()? as f32, p[1].as_f64()? as f32)))
                    .collect();
                if points.len() >= 3 {
                    rings.push(points);
                }
            }
        }
        f(id, rings);
        Ok(())
    })
}

/// One row of `countryInfo.txt` (the columns karta uses).
#[derive(Debug, Clone, PartialEq)]
pub struct CountryRow {
    /// ISO 3166-1 alpha-2 code.
    pub iso: String,
    /// English name.
    pub name: String,
    /// Population.
    pub population: u64,
    /// GeoNames id.
    pub id: u32,
    /// The ISO codes of the countries it borders (column 18, comma-separated; may be absent).
    pub neighbours: Vec<String>,
}

/// Reads `countryInfo.txt` (19 columns, `#` comments), calling `f` for each country.
pub fn read_country_info(path: &Path, mut f: impl FnMut(CountryRow)) -> Result<()> {
    for_each_row(path, |c, line| {
        if c.len() < 17 {
            return Err(bad(path, line, format!("{} columns, expected 19", c.len())));
        }
        f(CountryRow {
            iso: c[0].to_owned(),
            name: c[4].to_owned(),
            population: c[7].trim().parse().unwrap_or(0),
            id: parse(path, line, "geonameid", c[16])?,
            neighbours: c
                .get(17)
                .map(|n| {
                    n.split(',')
                        .map(str::trim)
                        .filter(|code| code.len() == 2 && code.is_ascii())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        });
        Ok(())
    })
}

/// One row of `admin1CodesASCII.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct Admin1Row {
    /// Country code.
    pub country: String,
    /// First-level code within the country.
    pub code: String,
    /// Name.
    pub name: String,
    /// GeoNames id.
    pub id: u32,
}

/// Reads `admin1CodesASCII.txt` (`CC.code`, name, ASCII name, geonameid), calling `f` for each.
pub fn read_admin1_codes(path: &Path, mut f: impl FnMut(Admin1Row)) -> Result<()> {
    for_each_row(path, |c, line| {
        if c.len() < 4 {
            return Err(bad(path, line, format!("{} columns, expected 4", c.len())));
        }
        let Some((country, code)) = c[0].split_once('.') else {
            return Err(bad(path, line, format!("code {:?} is not CC.code", c[0])));
        };
        f(Admin1Row {
            country: country.to_owned(),
            code: code.to_owned(),
            name: c[1].to_owned(),
            id: parse(path, line, "geonameid", c[3])?,
        });
        Ok(())
    })
}
