//! The event row: one event as flat fields, the line of `/api/events.csv` and the properties of
//! each feature of `/api/events.geojson`, which the server writes and the map reads.

use serde::{Deserialize, Serialize};

/// An event as a flat row. The field order is the CSV's column order.
///
/// The fields a reader can do without default when missing, so that GeoJSON written by an
/// older karta, or trimmed by another tool, still reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    /// Its id.
    pub id: i64,
    /// The document it was found in; `None` for imported events.
    #[serde(default)]
    pub document_id: Option<i64>,
    /// `machine`, `corrected` or `imported`.
    #[serde(default)]
    pub status: String,
    /// Whether it is deleted.
    #[serde(default)]
    pub deleted: bool,
    /// The event type's name ([`crate::EventType::as_str`]).
    pub event_type: String,
    /// The sub-event type.
    #[serde(default)]
    pub sub_type: String,
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// `day`, `week`, `month` or `year`.
    #[serde(default)]
    pub date_precision: Option<String>,
    /// `exact`, `about` or `document`.
    #[serde(default)]
    pub location_precision: String,
    /// ISO 3166-1 alpha-2 country code of the first place.
    #[serde(default)]
    pub country: String,
    /// GeoNames id of the first place.
    #[serde(default)]
    pub place_id: Option<i64>,
    /// Name of the first place.
    #[serde(default)]
    pub place_name: String,
    /// The usual English name of the first-level division (province, state) its first place
    /// lies in, as the gazetteer has it; filled by the exports, empty when unknown.
    #[serde(default)]
    pub division: String,
    /// Actors, separated by `; `.
    #[serde(default)]
    pub actors: String,
    /// Who acted, as ACLED's `actor1` ("Gunmen", «l'armée azerbaïdjanaise»); `None` when the
    /// text does not say.
    #[serde(default)]
    pub actor1: Option<String>,
    /// Whom it was done to, as ACLED's `actor2` ("20 students"); `None` when the text does
    /// not say.
    #[serde(default)]
    pub actor2: Option<String>,
    /// Who says it happened.
    #[serde(default)]
    pub claim: Option<String>,
    /// The sentence that reports it.
    #[serde(default)]
    pub sentence: String,
    /// Confidence in [0, 1], written with three decimals.
    #[serde(serialize_with = "three_decimals")]
    pub confidence: f64,
    /// When it last changed (RFC 3339, UTC).
    #[serde(default)]
    pub updated: String,
    /// Longitude of the centre of its bounding box, written with six decimals (a tenth of a
    /// metre).
    #[serde(serialize_with = "six_decimals")]
    pub lon: f64,
    /// Latitude of the centre of its bounding box, written with six decimals.
    #[serde(serialize_with = "six_decimals")]
    pub lat: f64,
    /// ACLED's disorder type ([`crate::EventType::disorder_type`]); `None` for diplomacy.
    #[serde(default)]
    pub disorder_type: Option<String>,
    /// ACLED's time precision: 1 for a day, 2 for a week, 3 for a month or a year
    /// ([`time_precision`]); `None` when undated.
    #[serde(default)]
    pub time_precision: Option<u8>,
    /// ACLED's `geo_precision`: 1 for a town or a point in one, 2 for a district or near a
    /// place, 3 for a region or a country; `None` when not known (an imported event).
    #[serde(default)]
    pub geo_precision: Option<u8>,
    /// How many people were killed, as ACLED's `fatalities`: when sources disagree, the lowest
    /// figure one of them gives (each source's own is in its [`crate::Source`]).
    #[serde(default)]
    pub fatalities: Option<u32>,
    /// How many people were wounded, the lowest figure a source gives.
    #[serde(default)]
    pub wounded: Option<u32>,
    /// How many documents report it (1 for an event of one document, 0 for an imported one).
    #[serde(default)]
    pub source_count: u32,
    /// The addresses of the documents that report it, separated by spaces.
    #[serde(default)]
    pub source_urls: String,
}

impl EventRow {
    /// How precise its place is, for people: "in the town", "near or in the district of …",
    /// "somewhere in …" or "from the document: …".
    pub fn place_precision(&self) -> String {
        place_precision(
            &self.location_precision,
            self.geo_precision,
            &self.place_name,
        )
    }

    /// Whether its place is only an area (a region, a country) or the document's: the map
    /// draws it as a hollow ring, not as a point it does not know.
    pub fn is_coarse(&self) -> bool {
        is_coarse(&self.location_precision, self.geo_precision)
    }
}

/// Writes a number rounded to `decimals`, without the float noise of sums and products
/// (`0.75`, not `0.7500000000000001`; `38.289455`, not `38.289455000000004`).
fn rounded<S: serde::Serializer>(x: f64, decimals: i32, s: S) -> Result<S::Ok, S::Error> {
    let scale = 10f64.powi(decimals);
    s.serialize_f64((x * scale).round() / scale)
}

/// A confidence as written: three decimals.
fn three_decimals<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    rounded(*x, 3, s)
}

/// A coordinate as written: six decimals, a tenth of a metre.
fn six_decimals<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    rounded(*x, 6, s)
}

/// Whether a place of this precision is only an area or the document's (see
/// [`EventRow::is_coarse`]).
pub fn is_coarse(location_precision: &str, geo_precision: Option<u8>) -> bool {
    location_precision == "document" || geo_precision.is_some_and(|p| p >= 3)
}

/// How precise a place is, for people (see [`EventRow::place_precision`]).
pub fn place_precision(location_precision: &str, geo_precision: Option<u8>, place: &str) -> String {
    match (location_precision, geo_precision) {
        ("document", _) => format!("from the document: {place}"),
        (_, Some(1)) => format!("in {place}"),
        (_, Some(2)) => format!("near {place}, or in its district"),
        (_, Some(_)) => format!("somewhere in {place}"),
        (_, None) => place.to_owned(),
    }
}

/// ACLED's `time_precision` of a date precision (`day`, `week`, `month`, `year`): 1 when the
/// day is known, 2 for a week, 3 for a month or more.
pub fn time_precision(date_precision: &str) -> Option<u8> {
    match date_precision {
        "day" => Some(1),
        "week" => Some(2),
        "month" | "year" => Some(3),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_precision_follows_acled() {
        assert_eq!(time_precision("day"), Some(1));
        assert_eq!(time_precision("week"), Some(2));
        assert_eq!(time_precision("month"), Some(3));
        assert_eq!(time_precision("year"), Some(3));
        assert_eq!(time_precision("decade"), None);
    }

    #[test]
    fn places_say_how_precise_they_are() {
        assert_eq!(place_precision("exact", Some(1), "Ganja"), "in Ganja");
        assert_eq!(
            place_precision("exact", Some(3), "Azerbaijan"),
            "somewhere in Azerbaijan"
        );
        assert_eq!(
            place_precision("document", Some(1), "Ganja"),
            "from the document: Ganja"
        );
        assert!(is_coarse("exact", Some(3)) && is_coarse("document", Some(1)));
        assert!(!is_coarse("exact", Some(2)) && !is_coarse("about", None));
    }

    #[test]
    fn rows_round_trip_and_read_with_fields_missing() {
        let row = EventRow {
            id: 7,
            document_id: Some(2),
            status: "machine".into(),
            deleted: false,
            event_type: "battles".into(),
            sub_type: "Armed clash".into(),
            date: Some("2020-10-04".into()),
            date_precision: Some("day".into()),
            location_precision: "exact".into(),
            country: "AZ".into(),
            place_id: Some(587_084),
            place_name: "Stepanakert".into(),
            division: String::new(),
            actors: "Armenian forces".into(),
            actor1: Some("Armenian forces".into()),
            actor2: None,
            claim: None,
            sentence: "Stepanakert was shelled.".into(),
            confidence: 0.8,
            updated: "2020-10-04T12:00:00Z".into(),
            lon: 46.75,
            lat: 39.81,
            disorder_type: Some("Political violence".into()),
            time_precision: Some(1),
            geo_precision: Some(1),
            fatalities: Some(2),
            wounded: None,
            source_count: 1,
            source_urls: "https://example.org/a".into(),
        };
        let json = serde_json::to_string(&row).expect("a row serializes");
        assert!(
            json.starts_with(r#"{"id":7,"document_id":2,"status":"machine","#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<EventRow>(&json).ok(), Some(row));
        let short = r#"{"id":8,"event_type":"riots","confidence":0.5,"lon":43.4,"lat":38.2}"#;
        let read: EventRow = serde_json::from_str(short).expect("the required fields suffice");
        assert_eq!(
            (read.id, read.place_name.as_str(), read.date),
            (8, "", None)
        );
    }

    #[test]
    fn numbers_are_written_without_float_noise() {
        let short = r#"{"id":8,"event_type":"riots","confidence":0.75,"lon":43.5,"lat":38.2}"#;
        let mut row: EventRow = serde_json::from_str(short).expect("a row");
        (row.confidence, row.lon, row.lat) = (0.7500000000000001, 43.52659, 38.289455000000004);
        let json = serde_json::to_string(&row).expect("a row serializes");
        assert!(json.contains(r#""confidence":0.75,"#), "{json}");
        assert!(
            json.contains(r#""lon":43.52659,"lat":38.289455,"#),
            "{json}"
        );
    }
}
