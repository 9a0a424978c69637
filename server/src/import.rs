//! Reading events made by other tools: GeoJSON points (and lines), including karta's own
//! export, and ACLED-style CSV.
//!
//! A bad row never stops an import: it is reported with its line and the good rows are kept.

use crate::correct::typed;
use crate::digest::sha256_hex;
use crate::rtree::check_lon_lat;
use chrono::NaiveDate;
use extract::{
    DatePrecision, Event, EventDate, EventGeometry, EventPlace, EventType, LocationPrecision,
};
use gazetteer::Gazetteer;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::io::Read;

/// An error that stops a whole file from being read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a GeoJSON FeatureCollection or Feature.
    #[error("line {line}: not GeoJSON: {message}")]
    NotGeoJson {
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The CSV has no header line or no coordinates columns.
    #[error("line 1: {0}")]
    CsvHeader(String),
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// One row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based line where the row starts.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The events read from a file, each with a key that makes importing it again a no-op, and
/// the rows that were left out.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Key and event of each good row.
    pub events: Vec<(String, Event)>,
    /// The bad rows.
    pub errors: Vec<RowError>,
}

/// Reads a GeoJSON or CSV file: GeoJSON when its first non-blank character is `{`.
pub fn read(mut input: impl Read, gazetteer: &Gazetteer) -> Result<Batch, ImportError> {
    let mut text = String::new();
    input.read_to_string(&mut text)?;
    if text.trim_start().starts_with('{') {
        geojson(&text, gazetteer)
    } else {
        csv(&text, gazetteer)
    }
}

/// Line numbers of offsets met in ascending order, counted from where the last one was: linear
/// in the text however many features it holds.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line (from 1) of `offset`, which must not be before the previous call's.
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.clamp(self.offset, self.text.len());
        self.line += self.text[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

/// Reads a GeoJSON FeatureCollection (or a single Feature).
pub fn geojson(text: &str, gazetteer: &Gazetteer) -> Result<Batch, ImportError> {
    #[derive(serde::Deserialize)]
    struct Collection<'a> {
        #[serde(rename = "type")]
        kind: String,
        #[serde(borrow, default)]
        features: Vec<&'a RawValue>,
    }
    let top: Collection<'_> = serde_json::from_str(text).map_err(|e| ImportError::NotGeoJson {
        line: e.line(),
        message: e.to_string(),
    })?;
    let whole;
    let features: Vec<&RawValue> = match top.kind.as_str() {
        "FeatureCollection" => top.features,
        "Feature" => {
            whole =
                serde_json::from_str::<&RawValue>(text).map_err(|e| ImportError::NotGeoJson {
                    line: e.line(),
                    message: e.to_string(),
                })?;
            vec![whole]
        }
        other => {
            return Err(ImportError::NotGeoJson {
                line: 1,
                message: format!("type is {other:?}, expected FeatureCollection or Feature"),
            });
        }
    };
    let mut batch = Batch::default();
    let mut lines = Lines::new(text);
    for raw in features {
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        let line = lines.at(offset);
        match feature(raw.get(), gazetteer) {
            Ok(event) => batch.events.push((sha256_hex(raw.get().as_bytes()), event)),
            Err(message) => batch.errors.push(RowError { line, message }),
        }
    }
    Ok(batch)
}

fn coordinate(v: &Value) -> Result<[f64; 2], String> {
    let pair = v
        .as_array()
        .filter(|a| a.len() >= 2)
        .ok_or_else(|| format!("a position must be [longitude, latitude], got {v}"))?;
    let lon = pair[0].as_f64().ok_or("longitude is not a number")?;
    let lat = pair[1].as_f64().ok_or("latitude is not a number")?;
    check_lon_lat(lon, lat)?;
    Ok([lon, lat])
}

fn feature(raw: &str, gazetteer: &Gazetteer) -> Result<Event, String> {
    let f: Value = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    if f.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err("not a Feature".into());
    }
    let g = f
        .get("geometry")
        .filter(|g| !g.is_null())
        .ok_or("no geometry")?;
    let coords = g.get("coordinates").ok_or("geometry has no coordinates")?;
    let geometry = match g.get("type").and_then(Value::as_str) {
        Some("Point") => {
            let [lon, lat] = coordinate(coords)?;
            EventGeometry::Point { lon, lat }
        }
        Some("LineString") => EventGeometry::Line {
            coords: coords
                .as_array()
                .filter(|a| a.len() >= 2)
                .ok_or("a LineString needs at least two positions")?
                .iter()
                .map(coordinate)
                .collect::<Result<_, _>>()?,
        },
        other => {
            return Err(format!(
                "geometry type {} is not supported (Point or LineString)",
                other.unwrap_or("missing")
            ));
        }
    };
    let empty = Map::new();
    let props = f
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| match props.get(*k)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let actors = match props.get("actors") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => split_actors(&[get(&["actors"]), get(&["actor1"]), get(&["actor2"])]),
    };
    let confidence = match props.get("confidence") {
        Some(v) => v
            .as_f64()
            .filter(|c| (0.0..=1.0).contains(c))
            .ok_or_else(|| format!("confidence {v} is not a number within 0..1"))?,
        None => 1.0,
    };
    Fields {
        event_type: get(&["event_type"]),
        sub_type: get(&["sub_type", "sub_event_type"]),
        date: get(&["date", "event_date"]),
        precision: get(&["date_precision", "time_precision"]),
        country: get(&["country"]),
        place: get(&["place_name", "location"]),
        claim: get(&["claim", "source"]),
        sentence: get(&["sentence", "notes"]),
        actors,
        confidence,
    }
    .into_event(geometry, gazetteer)
}

fn split_actors(parts: &[Option<String>]) -> Vec<String> {
    parts
        .iter()
        .flatten()
        .flat_map(|s| s.split(';'))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The columns of a row, as text, before checking.
struct Fields {
    event_type: Option<String>,
    sub_type: Option<String>,
    date: Option<String>,
    precision: Option<String>,
    country: Option<String>,
    place: Option<String>,
    claim: Option<String>,
    sentence: Option<String>,
    actors: Vec<String>,
    confidence: f64,
}

/// Reads an event type in karta's snake_case or ACLED's wording
/// (`Explosions/Remote violence`).
fn event_type(name: &str) -> Result<EventType, String> {
    let mut snake = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            snake.extend(c.to_lowercase());
        } else if !snake.ends_with('_') {
            snake.push('_');
        }
    }
    EventType::parse(snake.trim_matches('_')).ok_or_else(|| {
        format!(
            "event type {name:?} is not one of battles, explosions_remote_violence, \
             violence_against_civilians, protests, riots, strategic_developments, diplomacy"
        )
    })
}

fn date(text: &str) -> Result<NaiveDate, String> {
    ["%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
        .ok_or_else(|| format!("date {text:?} is not YYYY-MM-DD or like 27 September 2020"))
}

fn precision(text: &str) -> Result<DatePrecision, String> {
    match text {
        "day" | "1" => Ok(DatePrecision::Day),
        "week" | "2" => Ok(DatePrecision::Week),
        "month" | "3" => Ok(DatePrecision::Month),
        "year" => Ok(DatePrecision::Year),
        other => Err(format!(
            "date precision {other:?} is not day, week, month or year (or 1-3)"
        )),
    }
}

impl Fields {
    fn into_event(self, geometry: EventGeometry, gazetteer: &Gazetteer) -> Result<Event, String> {
        let event_type = event_type(self.event_type.as_deref().ok_or("no event_type")?)?;
        let precision = self.precision.as_deref().map(precision).transpose()?;
        let date = self
            .date
            .as_deref()
            .map(date)
            .transpose()?
            .map(|date| EventDate {
                date,
                precision: precision.unwrap_or(DatePrecision::Day),
                span: None,
            });
        let (lon, lat) = match &geometry {
            EventGeometry::Point { lon, lat } => (*lon, *lat),
            EventGeometry::Line { coords } => coords.first().map_or((0.0, 0.0), |c| (c[0], c[1])),
        };
        let near = gazetteer.reverse(geo::Point::new(lon, lat));
        let country = match self.country.filter(|c| c.len() == 2) {
            Some(code) => code.to_uppercase(),
            None => near
                .as_ref()
                .map(|r| r.nearest.country.to_string())
                .unwrap_or_default(),
        };
        let place = EventPlace {
            place_id: near.as_ref().map_or(0, |r| r.nearest.id),
            name: self
                .place
                .or_else(|| near.as_ref().map(|r| r.nearest.name.to_string()))
                .unwrap_or_default(),
            lat,
            lon,
            country,
            mention: None,
        };
        Ok(Event {
            event_type,
            sub_type: self.sub_type.unwrap_or_default(),
            action: String::new(),
            date,
            geometry,
            places: vec![place],
            location_precision: LocationPrecision::Exact,
            actors: self.actors.into_iter().map(typed).collect(),
            claim: self.claim.map(typed),
            sentence: typed(self.sentence.unwrap_or_default()),
            evidence: Vec::new(),
            confidence: self.confidence,
        })
    }
}

/// Reads ACLED-style CSV: a header line, then one event per line with at least
/// `event_type`, `latitude` and `longitude`.
pub fn csv(text: &str, gazetteer: &Gazetteer) -> Result<Batch, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::CsvHeader(e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(lat_col), Some(lon_col)) = (col("latitude"), col("longitude")) else {
        return Err(ImportError::CsvHeader(
            "the header needs latitude and longitude columns".into(),
        ));
    };
    let mut batch = Batch::default();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                batch.errors.push(RowError {
                    line,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let get = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let number = |i: usize, what: &str| -> Result<f64, String> {
            let v = record.get(i).map(str::trim).unwrap_or_default();
            v.parse::<f64>()
                .map_err(|_| format!("{what} {v:?} is not a number"))
        };
        let row = (|| {
            let lat = number(lat_col, "latitude")?;
            let lon = number(lon_col, "longitude")?;
            check_lon_lat(lon, lat)?;
            Fields {
                event_type: get("event_type"),
                sub_type: get("sub_event_type").or_else(|| get("sub_type")),
                date: get("event_date").or_else(|| get("date")),
                precision: get("time_precision").or_else(|| get("date_precision")),
                country: get("country_code").or_else(|| get("country")),
                place: get("location").or_else(|| get("place_name")),
                claim: get("source").or_else(|| get("claim")),
                sentence: get("notes").or_else(|| get("sentence")),
                actors: split_actors(&[get("actor1"), get("actor2"), get("actors")]),
                confidence: 1.0,
            }
            .into_event(EventGeometry::Point { lon, lat }, gazetteer)
        })();
        match row {
            Ok(event) => {
                let key = get("event_id_cnty").unwrap_or_else(|| {
                    sha256_hex(record.iter().collect::<Vec<_>>().join("\u{1f}").as_bytes())
                });
                batch.events.push((key, event));
            }
            Err(message) => batch.errors.push(RowError { line, message }),
        }
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_event_types() {
        assert_eq!(
            event_type("Explosions/Remote violence"),
            Ok(EventType::ExplosionsRemoteViolence)
        );
        assert_eq!(event_type("protests"), Ok(EventType::Protests));
        assert!(event_type("Parade").is_err());
    }

    #[test]
    fn dates_in_both_spellings() {
        let d = NaiveDate::from_ymd_opt(2020, 9, 27);
        assert_eq!(date("2020-09-27").ok(), d);
        assert_eq!(date("27 September 2020").ok(), d);
        assert!(date("2020-02-30").is_err());
    }

    #[test]
    fn line_numbers() {
        let mut lines = Lines::new("a\nb\nc");
        assert_eq!(lines.at(0), 1);
        assert_eq!(lines.at(2), 2);
        assert_eq!(lines.at(4), 3);
        assert_eq!(lines.at(40), 3);
        assert_eq!(Lines::new("abc").at(0), 1);
    }
}
