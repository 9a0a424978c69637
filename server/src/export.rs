//! Writing events as GeoJSON (RFC 7946, through the `geojson` crate), CSV, JSON Lines or KML
//! (`kml`), a buffer at a time, so that an export streams with memory that does not grow with
//! the number of events; and as an Atom feed (`atom`), the newest events of a view.

pub mod atom;
mod divisions;
mod kml;

use crate::store::EventRow;
use divisions::DivisionNames;
use gazetteer::Gazetteer;
use vocab::{EventFeature, FeatureError, type_style};

/// What can go wrong while writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A CSV record could not be written.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A JSON value could not be written or a stored event read.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored geometry is not GeoJSON.
    #[error("stored geometry: {0}")]
    Geometry(#[from] geojson::Error),
    /// An event could not be made a GeoJSON feature.
    #[error("GeoJSON feature: {0}")]
    Feature(#[from] FeatureError),
    /// The output could not be written.
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
}

/// The feature of a scanned row: its flat fields and its stored geometry.
pub fn event_feature(row: EventRow) -> Result<EventFeature, ExportError> {
    let geometry: geojson::Geometry = row.geometry.parse()?;
    Ok(EventFeature {
        row: row.fields,
        geometry: geo_types::Geometry::try_from(geometry)?,
        sources: row.sources,
    })
}

/// Writes an XML element holding only text (escaped by the writer), for KML and Atom.
fn text_element(
    w: &mut quick_xml::Writer<&mut Vec<u8>>,
    name: &str,
    text: &str,
) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(quick_xml::events::BytesText::new(text))?;
    Ok(())
}

/// What an event is called in KML and Atom: its type and its place, `Battles in Stepanakert`
/// (the type alone when it has no place name).
pub fn event_title(row: &vocab::EventRow) -> String {
    let label = type_style(&row.event_type).label;
    match row.place_name.trim() {
        "" => label.to_owned(),
        place => format!("{label} in {place}"),
    }
}

/// A row whose text cells a spreadsheet cannot run as formulas: a cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, as OWASP recommends against CSV
/// injection. Only text columns change; the numbers (a negative longitude) stay numbers.
pub fn csv_safe(mut row: vocab::EventRow) -> vocab::EventRow {
    for cell in [
        &mut row.status,
        &mut row.event_type,
        &mut row.sub_type,
        &mut row.location_precision,
        &mut row.country,
        &mut row.place_name,
        &mut row.division,
        &mut row.actors,
        &mut row.sentence,
        &mut row.updated,
        &mut row.source_urls,
    ] {
        neutralise(cell);
    }
    for cell in [
        &mut row.date,
        &mut row.date_precision,
        &mut row.actor1,
        &mut row.actor2,
        &mut row.claim,
    ]
    .into_iter()
    .flatten()
    {
        neutralise(cell);
    }
    row
}

/// The CSV's header line: the names of [`vocab::EventRow`]'s fields, read from how a row
/// serialises, so that it cannot drift from the rows.
fn csv_header() -> Result<csv::StringRecord, ExportError> {
    let row: vocab::EventRow = serde_json::from_value(serde_json::json!({
        "id": 0, "event_type": "", "confidence": 0.0, "lon": 0.0, "lat": 0.0,
    }))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(&row)?;
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    Ok(reader.headers()?.clone())
}

/// Puts a `'` before a text that a spreadsheet would read as a formula.
fn neutralise(cell: &mut String) {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.insert(0, '\'');
    }
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A GeoJSON FeatureCollection, one Feature per event, flat properties.
    GeoJson,
    /// CSV with a header line, one line per event.
    Csv,
    /// One stored event (full JSON) per line.
    Jsonl,
    /// A KML document, one Placemark per event, one Style per event type.
    Kml,
}

impl Format {
    /// The media type to send.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::GeoJson => "application/geo+json",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Jsonl => "application/x-ndjson",
            Self::Kml => "application/vnd.google-earth.kml+xml",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::GeoJson => "geojson",
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
            Self::Kml => "kml",
        }
    }
}

/// Writes events in one format into an internal buffer that the caller drains.
pub struct Exporter<'g> {
    format: Format,
    buf: Vec<u8>,
    csv: Option<csv::Writer<Vec<u8>>>,
    first: bool,
    divisions: DivisionNames<'g>,
}

impl std::fmt::Debug for Exporter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exporter")
            .field("format", &self.format)
            .finish()
    }
}

impl<'g> Exporter<'g> {
    /// Starts an export (the GeoJSON header is written at once); each event's division is
    /// read from `gazetteer`.
    pub fn new(format: Format, gazetteer: &'g Gazetteer) -> Self {
        let mut buf = Vec::with_capacity(64 * 1024);
        let csv = match format {
            Format::GeoJson => {
                buf.extend_from_slice(br#"{"type":"FeatureCollection","features":["#);
                None
            }
            Format::Csv => Some(csv::Writer::from_writer(Vec::new())),
            Format::Jsonl | Format::Kml => None,
        };
        Self {
            format,
            buf,
            csv,
            first: true,
            divisions: DivisionNames::new(gazetteer),
        }
    }

    /// Writes one event.
    pub fn push(&mut self, mut row: EventRow) -> Result<(), ExportError> {
        self.start()?;
        row.fields.division = self.divisions.of(row.fields.place_id);
        match (&mut self.csv, self.format) {
            (Some(w), _) => w.serialize(csv_safe(row.fields))?,
            (None, Format::GeoJson) => {
                if !self.first {
                    self.buf.push(b',');
                }
                let feature = event_feature(row)?.to_feature()?;
                serde_json::to_writer(&mut self.buf, &feature)?;
            }
            (None, Format::Kml) => kml::placemark(&mut self.buf, &event_feature(row)?)?,
            (None, _) => {
                serde_json::to_writer(&mut self.buf, &row.to_stored()?)?;
                self.buf.push(b'\n');
            }
        }
        self.first = false;
        Ok(())
    }

    /// Writes the head of a KML document before its first event (or its end): the GeoJSON
    /// header, which cannot fail, is written by [`Exporter::new`].
    fn start(&mut self) -> Result<(), ExportError> {
        if self.first && self.format == Format::Kml {
            kml::start(&mut self.buf)?;
        }
        Ok(())
    }

    /// Bytes written so far and not yet taken (CSV counts its own buffer once flushed).
    pub fn buffered(&self) -> usize {
        self.buf.len() + self.csv.as_ref().map_or(0, |w| w.get_ref().len())
    }

    /// Takes the bytes written so far.
    pub fn take(&mut self) -> Result<Vec<u8>, ExportError> {
        if let Some(w) = self.csv.take() {
            let mut bytes = w.into_inner().map_err(|e| e.into_error())?;
            self.buf.append(&mut bytes);
            // The header went out with the first row.
            self.csv = Some(
                csv::WriterBuilder::new()
                    .has_headers(self.first)
                    .from_writer(Vec::new()),
            );
        }
        Ok(std::mem::take(&mut self.buf))
    }

    /// Ends the export and returns the last bytes (a CSV of no event still has its header).
    pub fn finish(mut self) -> Result<Vec<u8>, ExportError> {
        self.start()?;
        if self.first
            && let Some(w) = &mut self.csv
        {
            w.write_record(csv_header()?.iter())?;
        }
        let mut out = self.take()?;
        match self.format {
            Format::GeoJson => out.extend_from_slice(b"]}\n"),
            Format::Kml => kml::end(&mut out)?,
            Format::Csv | Format::Jsonl => {}
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_formulas_become_text_and_numbers_stay() {
        let mut row: vocab::EventRow = serde_json::from_value(serde_json::json!({
            "id": 1, "event_type": "battles", "confidence": 0.5, "lon": -3.5, "lat": -1.0,
            "actors": "=HYPERLINK(\"http://evil.example\")", "sub_type": "+1",
            "sentence": "-2", "place_name": "@x", "country": "\tA", "claim": "\rB",
            "source_urls": "=1", "actor1": "-Gunmen", "actor2": "@police",
        }))
        .expect("a row");
        row = csv_safe(row);
        assert_eq!(row.actors, "'=HYPERLINK(\"http://evil.example\")");
        assert_eq!(
            [&row.sub_type, &row.sentence, &row.place_name, &row.country],
            ["'+1", "'-2", "'@x", "'\tA"]
        );
        assert_eq!(row.claim.as_deref(), Some("'\rB"));
        assert_eq!(
            (row.actor1.as_deref(), row.actor2.as_deref()),
            (Some("'-Gunmen"), Some("'@police"))
        );
        assert_eq!(row.event_type, "battles");
        assert_eq!(row.source_urls, "'=1");
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(&row).expect("written");
        let csv = String::from_utf8(w.into_inner().expect("flushed")).expect("UTF-8");
        assert!(csv.trim_end().ends_with(",-3.5,-1.0,,,,,,0,'=1"), "{csv}");
    }
}
