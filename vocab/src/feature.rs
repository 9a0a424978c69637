//! An event as a GeoJSON feature (RFC 7946, through the `geojson` crate): its [`EventRow`] as
//! the properties, with its [`Source`]s as the list `sources`, its point or line as the
//! geometry, its id as the feature's id. The server
//! writes `/api/events.geojson` with it and the map reads it back.

use crate::row::EventRow;
use crate::source::Source;
use geojson::{Feature, FeatureCollection, JsonObject};
use std::fmt;

/// One event as the map receives it: the flat row and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFeature {
    /// The flat row, the feature's properties.
    pub row: EventRow,
    /// A point, or a line for a movement (x is the longitude, y the latitude).
    pub geometry: geo_types::Geometry<f64>,
    /// The documents that report it, the first one first (empty for an imported event).
    pub sources: Vec<Source>,
}

/// Why a GeoJSON text or feature is not an event.
#[derive(Debug)]
pub enum FeatureError {
    /// Not GeoJSON of the expected kind.
    GeoJson(geojson::Error),
    /// The properties are not an event row (or the row is not a JSON object).
    Properties(serde_json::Error),
    /// The feature has no geometry.
    NoGeometry,
}

impl fmt::Display for FeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GeoJson(e) => e.fmt(f),
            Self::Properties(e) => write!(f, "properties: {e}"),
            Self::NoGeometry => f.write_str("a feature has no geometry"),
        }
    }
}

impl std::error::Error for FeatureError {}

impl From<geojson::Error> for FeatureError {
    fn from(e: geojson::Error) -> Self {
        Self::GeoJson(e)
    }
}

/// A value as a JSON object: what a struct serializes to.
fn object(value: serde_json::Value) -> Result<JsonObject, FeatureError> {
    match value {
        serde_json::Value::Object(map) => Ok(map),
        other => Err(FeatureError::Properties(serde::de::Error::custom(format!(
            "{other} is not an object"
        )))),
    }
}

impl EventFeature {
    /// The GeoJSON feature: the row's id as its id, the row as its properties.
    pub fn to_feature(&self) -> Result<Feature, FeatureError> {
        let properties = serde_json::to_value(&self.row).map_err(FeatureError::Properties)?;
        let mut properties = object(properties)?;
        let sources = serde_json::to_value(&self.sources).map_err(FeatureError::Properties)?;
        properties.insert("sources".into(), sources);
        Ok(Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::from(&self.geometry)),
            id: Some(geojson::feature::Id::Number(self.row.id.into())),
            properties: Some(properties),
            foreign_members: None,
        })
    }

    /// Reads a feature written by [`EventFeature::to_feature`] (or trimmed by another tool:
    /// see [`EventRow`] for the fields that may be missing).
    pub fn from_feature(feature: Feature) -> Result<Self, FeatureError> {
        let geometry = feature.geometry.ok_or(FeatureError::NoGeometry)?;
        let mut properties = feature.properties.unwrap_or_default();
        let sources = match properties.remove("sources") {
            Some(list) => serde_json::from_value(list).map_err(FeatureError::Properties)?,
            None => Vec::new(),
        };
        Ok(Self {
            row: serde_json::from_value(serde_json::Value::Object(properties))
                .map_err(FeatureError::Properties)?,
            geometry: geo_types::Geometry::try_from(geometry)?,
            sources,
        })
    }

    /// The point of the event: the geometry's for a point, the row's (the centre of its box)
    /// for a line.
    pub fn lon_lat(&self) -> [f64; 2] {
        match &self.geometry {
            geo_types::Geometry::Point(p) => [p.x(), p.y()],
            _ => [self.row.lon, self.row.lat],
        }
    }

    /// The vertices of a line, `[lon, lat]`, in order; empty for a point.
    pub fn line(&self) -> Vec<[f64; 2]> {
        match &self.geometry {
            geo_types::Geometry::LineString(line) => line.coords().map(|c| [c.x, c.y]).collect(),
            _ => Vec::new(),
        }
    }
}

/// Reads the events of a GeoJSON FeatureCollection written by the API.
pub fn read_events(geojson: &str) -> Result<Vec<EventFeature>, FeatureError> {
    let collection: FeatureCollection = geojson.parse()?;
    collection
        .features
        .into_iter()
        .map(EventFeature::from_feature)
        .collect()
}

/// The events as a GeoJSON FeatureCollection, as the API writes them.
pub fn write_events(events: &[EventFeature]) -> Result<String, FeatureError> {
    let features = events
        .iter()
        .map(EventFeature::to_feature)
        .collect::<Result<Vec<_>, _>>()?;
    serde_json::to_string(&FeatureCollection::new(features)).map_err(FeatureError::Properties)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> EventRow {
        serde_json::from_value(serde_json::json!({
            "id": id, "event_type": "battles", "confidence": 0.75, "lon": 43.4, "lat": 38.2,
            "place_name": "Stepanakert", "date": "2020-10-04"
        }))
        .expect("a row")
    }

    #[test]
    fn features_round_trip() {
        let events = [
            EventFeature {
                row: row(7),
                geometry: geo_types::Point::new(46.75, 39.81).into(),
                sources: vec![Source {
                    document_id: 3,
                    event_id: 7,
                    url: Some("https://example.org/a".into()),
                    fatalities: Some(13),
                    ..Source::default()
                }],
            },
            EventFeature {
                row: row(8),
                geometry: geo_types::LineString::from(vec![(37.0, 36.0), (49.9, 40.4)]).into(),
                sources: Vec::new(),
            },
        ];
        let text = write_events(&events).expect("events write");
        assert!(text.starts_with(r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[46.75,39.81]},"id":7,"properties":{"#));
        let read = read_events(&text).expect("events read back");
        assert_eq!(read, events);
        assert_eq!(read[0].lon_lat(), [46.75, 39.81]);
        assert_eq!(read[1].lon_lat(), [43.4, 38.2]);
        assert_eq!(read[1].line(), [[37.0, 36.0], [49.9, 40.4]]);
    }

    #[test]
    fn bad_collections_say_why() {
        assert!(read_events("[]").is_err());
        let no_row = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "geometry":{"type":"Point","coordinates":[1,2]},"properties":{"id":1}}]}"#;
        let e = read_events(no_row).expect_err("no event_type");
        assert!(
            e.to_string().starts_with("properties: missing field"),
            "{e}"
        );
    }
}
