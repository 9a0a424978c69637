//! Reference layers: GeoJSON files a user adds to the map (a line of contact, an old oblast's
//! outline, a corridor), drawn under the events. The server checks an upload with
//! [`read_reference`] before it keeps it, the map reads the kept file with the same function
//! into [`Shapes`], and both list them as [`ReferenceLayer`]s.

use geojson::{GeoJson, Geometry, GeometryValue, Position};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest reference file accepted, in bytes (2 MiB): an outline simplified for a map, not a
/// survey.
pub const MAX_REFERENCE_BYTES: usize = 2 * 1024 * 1024;

/// Most positions a reference file may hold, so that drawing it keeps the map fluid.
pub const MAX_REFERENCE_POSITIONS: usize = 100_000;

/// Longest name of a reference layer, in characters.
pub const MAX_REFERENCE_NAME: usize = 120;

/// A reference layer as listed (`GET /api/references`): what the map's list shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceLayer {
    /// Its id, as the address (`ref=`) and `/api/references/{id}` name it.
    pub id: i64,
    /// Its name, as the person who added it gave it.
    pub name: String,
    /// How many features with a geometry it holds.
    pub features: u64,
    /// When it was added (RFC 3339, UTC).
    pub added: String,
}

/// The geometries of a reference file, in longitude and latitude.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shapes {
    /// Single points.
    pub points: Vec<[f64; 2]>,
    /// Lines (a line of contact, a road).
    pub lines: Vec<Vec<[f64; 2]>>,
    /// Polygons, each its rings (the outer one first, then its holes).
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
    /// How many features (or bare geometries) with a geometry the file holds.
    pub features: u64,
    /// How many positions the geometries hold.
    pub positions: usize,
}

/// Why a file is not a reference layer karta takes.
#[derive(Debug, Clone, PartialEq)]
pub enum ReferenceError {
    /// Larger than [`MAX_REFERENCE_BYTES`]; the size found.
    TooLarge(usize),
    /// Not GeoJSON; the parser's words.
    NotGeoJson(String),
    /// GeoJSON without any geometry.
    NoGeometry,
    /// More positions than [`MAX_REFERENCE_POSITIONS`] (counted up to the first beyond).
    TooManyPositions,
    /// A position that is not a longitude and a latitude in range.
    BadPosition(Vec<f64>),
    /// The name is empty or longer than [`MAX_REFERENCE_NAME`].
    BadName,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge(n) => write!(
                f,
                "the file has {n} bytes; a reference layer may have {MAX_REFERENCE_BYTES}: \
                 simplify it (ogr2ogr -simplify, mapshaper)"
            ),
            Self::NotGeoJson(why) => write!(f, "the file is not GeoJSON: {why}"),
            Self::NoGeometry => f.write_str("the GeoJSON holds no geometry to draw"),
            Self::TooManyPositions => write!(
                f,
                "the geometries have more than {MAX_REFERENCE_POSITIONS} positions: simplify them"
            ),
            Self::BadPosition(p) => write!(
                f,
                "the position {p:?} is not [longitude, latitude] in WGS 84 degrees (RFC 7946)"
            ),
            Self::BadName => write!(
                f,
                "a reference layer needs a name of 1 to {MAX_REFERENCE_NAME} characters"
            ),
        }
    }
}

impl std::error::Error for ReferenceError {}

/// A layer's name, trimmed, when it is one karta takes.
pub fn reference_name(name: &str) -> Result<String, ReferenceError> {
    let name = name.trim();
    match name.chars().count() {
        1..=MAX_REFERENCE_NAME => Ok(name.to_owned()),
        _ => Err(ReferenceError::BadName),
    }
}

/// Reads a reference file: a GeoJSON FeatureCollection, Feature or bare geometry (RFC 7946)
/// of at most [`MAX_REFERENCE_BYTES`], whose positions are longitudes and latitudes, at most
/// [`MAX_REFERENCE_POSITIONS`] of them, with at least one geometry.
pub fn read_reference(text: &str) -> Result<Shapes, ReferenceError> {
    if text.len() > MAX_REFERENCE_BYTES {
        return Err(ReferenceError::TooLarge(text.len()));
    }
    let geojson: GeoJson = text
        .parse()
        .map_err(|e: geojson::Error| ReferenceError::NotGeoJson(e.to_string()))?;
    let mut shapes = Shapes::default();
    match geojson {
        GeoJson::Geometry(g) => shapes.add_feature(&g)?,
        GeoJson::Feature(f) => {
            if let Some(g) = &f.geometry {
                shapes.add_feature(g)?;
            }
        }
        GeoJson::FeatureCollection(c) => {
            for g in c.features.iter().filter_map(|f| f.geometry.as_ref()) {
                shapes.add_feature(g)?;
            }
        }
    }
    if shapes.positions == 0 {
        return Err(ReferenceError::NoGeometry);
    }
    Ok(shapes)
}

impl Shapes {
    /// Adds one feature's geometry.
    fn add_feature(&mut self, geometry: &Geometry) -> Result<(), ReferenceError> {
        self.features += 1;
        self.add(&geometry.value)
    }

    /// Adds a geometry's parts.
    fn add(&mut self, value: &GeometryValue) -> Result<(), ReferenceError> {
        match value {
            GeometryValue::Point { coordinates } => {
                let p = self.position(coordinates)?;
                self.points.push(p);
            }
            GeometryValue::MultiPoint { coordinates } => {
                for c in coordinates {
                    let p = self.position(c)?;
                    self.points.push(p);
                }
            }
            GeometryValue::LineString { coordinates } => {
                let line = self.line(coordinates)?;
                self.lines.push(line);
            }
            GeometryValue::MultiLineString { coordinates } => {
                for c in coordinates {
                    let line = self.line(c)?;
                    self.lines.push(line);
                }
            }
            GeometryValue::Polygon { coordinates } => self.polygon(coordinates)?,
            GeometryValue::MultiPolygon { coordinates } => {
                for c in coordinates {
                    self.polygon(c)?;
                }
            }
            GeometryValue::GeometryCollection { geometries } => {
                for g in geometries {
                    self.add(&g.value)?;
                }
            }
        }
        Ok(())
    }

    fn polygon(&mut self, rings: &[Vec<Position>]) -> Result<(), ReferenceError> {
        let rings = rings
            .iter()
            .map(|r| self.line(r))
            .collect::<Result<Vec<_>, _>>()?;
        self.polygons.push(rings);
        Ok(())
    }

    fn line(&mut self, positions: &[Position]) -> Result<Vec<[f64; 2]>, ReferenceError> {
        positions.iter().map(|p| self.position(p)).collect()
    }

    /// A position as `[lon, lat]`, counted; an error when out of range or one too many.
    fn position(&mut self, p: &Position) -> Result<[f64; 2], ReferenceError> {
        self.positions += 1;
        if self.positions > MAX_REFERENCE_POSITIONS {
            return Err(ReferenceError::TooManyPositions);
        }
        match p.as_slice() {
            [lon, lat, ..] if (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat) => {
                Ok([*lon, *lat])
            }
            other => Err(ReferenceError::BadPosition(other.to_vec())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_of_a_line_and_an_outline_reads() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"line"},
             "geometry":{"type":"LineString","coordinates":[[46.5,39.9],[46.9,39.6]]}},
            {"type":"Feature","properties":null,
             "geometry":{"type":"Polygon","coordinates":[[[46,39],[47,39],[47,40],[46,39]]]}},
            {"type":"Feature","properties":{},"geometry":null}]}"#;
        let shapes = read_reference(text).expect("a reference file");
        assert_eq!((shapes.features, shapes.positions), (2, 6));
        assert_eq!(shapes.lines, [vec![[46.5, 39.9], [46.9, 39.6]]]);
        assert_eq!(shapes.polygons[0][0].len(), 4);
    }

    #[test]
    fn bad_files_say_why() {
        assert!(matches!(
            read_reference("{\"type\":\"Feature\""),
            Err(ReferenceError::NotGeoJson(_))
        ));
        assert_eq!(
            read_reference(r#"{"type":"FeatureCollection","features":[]}"#),
            Err(ReferenceError::NoGeometry)
        );
        assert_eq!(
            read_reference(r#"{"type":"Point","coordinates":[4000000,5000000]}"#),
            Err(ReferenceError::BadPosition(vec![4e6, 5e6]))
        );
        let big = " ".repeat(MAX_REFERENCE_BYTES + 1);
        assert_eq!(
            read_reference(&big),
            Err(ReferenceError::TooLarge(MAX_REFERENCE_BYTES + 1))
        );
        let many: Vec<String> = (0..=MAX_REFERENCE_POSITIONS)
            .map(|_| "[1,2]".into())
            .collect();
        let text = format!(
            r#"{{"type":"MultiPoint","coordinates":[{}]}}"#,
            many.join(",")
        );
        assert_eq!(read_reference(&text), Err(ReferenceError::TooManyPositions));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            reference_name("  Line of contact ").as_deref(),
            Ok("Line of contact")
        );
        assert_eq!(reference_name("  "), Err(ReferenceError::BadName));
        assert_eq!(
            reference_name(&"x".repeat(MAX_REFERENCE_NAME + 1)),
            Err(ReferenceError::BadName)
        );
    }
}
