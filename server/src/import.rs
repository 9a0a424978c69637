//! Reading events made by other tools: GeoJSON points (and lines), including karta's own
//! export, and ACLED-style CSV.
//!
//! A bad row never stops an import: it is reported with its line and the good rows are kept.

use crate::correct::typed;
use crate::digest::sha256_hex;
use chrono::NaiveDate;
use extract::{
    DatePrecision, Event, EventDate, EventGeometry, EventPlace, EventType, LocationPrecision,
};
use gazetteer::Gazetteer;
use geojson::{Feature, Geometry, GeometryValue, JsonObject, Position};
use serde_json::Value;
use serde_json::value::RawValue;
use std::io::Read;
use vocab::check_lon_lat;

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
    // A byte-order mark, as some editors write at the start of UTF-8 files, is not text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim_start().starts_with('{') {
        geojson(text, gazetteer)
    } else {
        csv(text, gazetteer)
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

/// Reads a GeoJSON FeatureCollection (or a single Feature). The collection is split into the
/// raw text of each feature first: a feature's key is the hash of its text, and its line is
/// where its text starts; then each is read through the `geojson` crate.
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

/// A position's longitude and latitude, checked to be on the globe.
fn position(p: &Position) -> Result<[f64; 2], String> {
    let &[lon, lat, ..] = p.as_slice() else {
        return Err(format!(
            "a position must be [longitude, latitude], got {:?}",
            p.as_slice()
        ));
    };
    check_lon_lat(lon, lat).map_err(|e| e.to_string())?;
    Ok([lon, lat])
}

/// Reads one feature (through the `geojson` crate): its geometry, then its properties in
/// karta's names or ACLED's.
fn feature(raw: &str, gazetteer: &Gazetteer) -> Result<Event, String> {
    let f: Feature = raw.parse().map_err(|e: geojson::Error| e.to_string())?;
    let geometry = feature_geometry(f.geometry.as_ref().ok_or("no geometry")?)?;
    let props = f.properties.unwrap_or_default();
    Fields::of_properties(&props)?.into_event(geometry, gazetteer)
}

/// A feature's geometry: a Point, or a LineString of at least two positions.
fn feature_geometry(g: &Geometry) -> Result<EventGeometry, String> {
    match &g.value {
        GeometryValue::Point { coordinates } => {
            let [lon, lat] = position(coordinates)?;
            Ok(EventGeometry::Point { lon, lat })
        }
        GeometryValue::LineString { coordinates } if coordinates.len() >= 2 => {
            Ok(EventGeometry::Line {
                coords: coordinates.iter().map(position).collect::<Result<_, _>>()?,
            })
        }
        GeometryValue::LineString { .. } => Err("a LineString needs at least two positions".into()),
        other => Err(format!(
            "geometry type {} is not supported (Point or LineString)",
            other.type_name()
        )),
    }
}

/// The actors named in several cells (each a list separated by `;`), each once.
fn split_actors(parts: &[Option<String>]) -> Vec<String> {
    let mut actors: Vec<String> = Vec::new();
    let names = parts.iter().flatten().flat_map(|s| s.split(';'));
    for name in names.map(str::trim).filter(|s| !s.is_empty()) {
        // karta's own rows name `actor1` and `actor2` among `actors` too.
        if !actors.iter().any(|a| a == name) {
            actors.push(name.to_owned());
        }
    }
    actors
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
    EventType::parse(snake.trim_matches('_'))
        .ok_or_else(|| format!("event type {name:?} is not one of {}", EventType::names()))
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
    /// The fields of a feature's properties, in karta's names or ACLED's; `actors` is a list
    /// or text separated by `;`, and `confidence` is 1 when missing.
    fn of_properties(props: &JsonObject) -> Result<Self, String> {
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
        Ok(Self {
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
        })
    }

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
            geo_precision: 1,
            actors: self.actors.into_iter().map(typed).collect(),
            actor1: None,
            actor2: None,
            claim: self.claim.map(typed),
            sentence: typed(self.sentence.unwrap_or_default()),
            evidence: Vec::new(),
            confidence: self.confidence,
            mentions: Vec::new(),
            fatalities: None,
            wounded: None,
        })
    }
}

/// Reads ACLED-style CSV: a header line, then one event per line with at least
/// `event_type`, `latitude` and `longitude`.
pub fn csv(text: &str, gazetteer: &Gazetteer) -> Result<Batch, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ImportError::CsvHeader(e.to_string()))?;
    let columns = CsvColumns::of(header.clone())?;
    let mut batch = Batch::default();
    // Where the last record starts, and whether it was kept.
    let mut last = (0, false);
    for record in reader.records() {
        let (start, row) = match record {
            Ok(record) => (record.position().cloned(), columns.row(&record, gazetteer)),
            Err(e) => (e.position().cloned(), Err(e.to_string())),
        };
        let line = csv_line(start.as_ref());
        last = (start.map_or(0, |p| p.byte() as usize), row.is_ok());
        match row {
            Ok(keyed) => batch.events.push(keyed),
            Err(message) => batch.errors.push(RowError { line, message }),
        }
    }
    // A quote never closed swallows the rest of the file into the last record: name the line
    // where it opened rather than keep that record.
    if let Some(open) = unclosed_quote(text, last.0) {
        if last.1 {
            batch.events.pop();
        }
        batch.errors.push(RowError {
            line: Lines::new(text).at(open),
            message: "a quoted field opens here and is never closed".into(),
        });
    }
    Ok(batch)
}

/// The offset of the quote that opens a field and is never closed, reading CSV from `from`
/// (the start of a record): a quote opens a field only as its first character, and `""`
/// inside quotes is a quote.
fn unclosed_quote(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut open, mut field_start) = (None, true);
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match open {
            Some(_) if b == b'"' && bytes.get(i + 1) == Some(&b'"') => i += 1,
            Some(_) if b == b'"' => open = None,
            Some(_) => {}
            None if b == b'"' && field_start => open = Some(i),
            None => {}
        }
        field_start = open.is_none() && matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    open
}

/// The line a CSV record starts on, 0 when unknown.
fn csv_line(position: Option<&csv::Position>) -> usize {
    position.map_or(0, |p| p.line() as usize)
}

/// The header of a CSV file: where each column is, the coordinates' known to be there.
struct CsvColumns {
    header: csv::StringRecord,
    lat: usize,
    lon: usize,
}

impl CsvColumns {
    fn of(header: csv::StringRecord) -> Result<Self, ImportError> {
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (Some(lat), Some(lon)) = (col("latitude"), col("longitude")) else {
            return Err(ImportError::CsvHeader(
                "the header needs latitude and longitude columns".into(),
            ));
        };
        Ok(Self { header, lat, lon })
    }

    /// The trimmed text of column `name` in `record`, `None` when missing or blank.
    fn get(&self, record: &csv::StringRecord, name: &str) -> Option<String> {
        self.header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    /// The number in column `i` of `record`, `what` naming it in the error.
    fn number(record: &csv::StringRecord, i: usize, what: &str) -> Result<f64, String> {
        let v = record.get(i).map(str::trim).unwrap_or_default();
        v.parse::<f64>()
            .map_err(|_| format!("{what} {v:?} is not a number"))
    }

    /// The event of a record and its key: `event_id_cnty` (ACLED's id) when given, else the
    /// hash of the whole record.
    fn row(
        &self,
        record: &csv::StringRecord,
        gazetteer: &Gazetteer,
    ) -> Result<(String, Event), String> {
        let lat = Self::number(record, self.lat, "latitude")?;
        let lon = Self::number(record, self.lon, "longitude")?;
        check_lon_lat(lon, lat).map_err(|e| e.to_string())?;
        let event = self
            .fields(record)
            .into_event(EventGeometry::Point { lon, lat }, gazetteer)?;
        let key = self.get(record, "event_id_cnty").unwrap_or_else(|| {
            sha256_hex(record.iter().collect::<Vec<_>>().join("\u{1f}").as_bytes())
        });
        Ok((key, event))
    }

    /// The fields of a record, in ACLED's column names or karta's.
    fn fields(&self, record: &csv::StringRecord) -> Fields {
        let get = |name: &str| self.get(record, name);
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
    }
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
    fn an_unclosed_quote_is_named_by_its_line() {
        assert_eq!(unclosed_quote("a,\"b\"\"c\",d\n\"e\"\n", 0), None);
        assert_eq!(unclosed_quote("a,b\"c\n", 0), None);
        assert_eq!(unclosed_quote("a,\"b\nc,d\n", 0), Some(2));
        let gazetteer = Gazetteer::open_default().expect("the shipped gazetteer");
        let text = "\u{feff}event_type,latitude,longitude,notes\n\
            Protests,40.18,44.51,calm\n\
            Protests,40.18,44.51,\"never closed\n\
            Protests,40.18,44.51,swallowed\n";
        let batch = read(text.as_bytes(), &gazetteer).expect("read");
        assert_eq!(batch.events.len(), 1, "{:?}", batch.errors);
        assert_eq!(batch.errors.len(), 1, "{:?}", batch.errors);
        assert_eq!(batch.errors[0].line, 3, "{}", batch.errors[0]);
        assert!(batch.errors[0].message.contains("never closed"));
    }

    #[test]
    fn a_geojson_file_may_start_with_a_byte_order_mark() {
        let gazetteer = Gazetteer::open_default().expect("the shipped gazetteer");
        let text = "\u{feff}{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\
            \"geometry\":{\"type\":\"Point\",\"coordinates\":[44.51,40.18]},\
            \"properties\":{\"event_type\":\"protests\"}}]}";
        let batch = read(text.as_bytes(), &gazetteer).expect("read");
        assert_eq!(
            (batch.events.len(), batch.errors.len()),
            (1, 0),
            "{:?}",
            batch.errors
        );
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
