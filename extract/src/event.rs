//! The values extraction hands out: events, their dates, places, spans and evidence.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
// The event types are karta's shared vocabulary; `extract::EventType` stays their name here.
pub use vocab::EventType;

/// Something a text says happened, at a place and a time.
///
/// Events are stored as JSON: every field that can be empty reads as empty when missing, and a
/// field added later must too (`#[serde(default)]`), so that events stored before still read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The ACLED event type (or the diplomacy family).
    pub event_type: EventType,
    /// The ACLED sub-event type text (`"Shelling/artillery/missile attack"`, `"Call"`, …).
    pub sub_type: String,
    /// The lexicon's short name of the action that gave the sub-type (`shelling`, `martial_law`,
    /// `call`), finer than ACLED's sub-types.
    #[serde(default)]
    pub action: String,
    /// When it happened; `None` when the text gives no date.
    #[serde(default)]
    pub date: Option<EventDate>,
    /// Where it happened: a point, or a line for a movement.
    pub geometry: EventGeometry,
    /// The places the geometry was made from, in order.
    #[serde(default)]
    pub places: Vec<EventPlace>,
    /// How the place relates to the event.
    pub location_precision: LocationPrecision,
    /// ACLED's `geo_precision`: 1 when the place is a town or a point in one, 2 when it is a
    /// district or a place near which it happened, 3 when only a region or a country is known.
    #[serde(default = "coarsest")]
    pub geo_precision: u8,
    /// The people, forces, ministries and groups named near the action.
    #[serde(default)]
    pub actors: Vec<TextSpan>,
    /// Who acted, as the sentence names them (ACLED's `actor1`): "Azerbaijani forces", "police",
    /// «Des hommes armés».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor1: Option<TextSpan>,
    /// Whom it was done to, as the sentence names them (ACLED's `actor2`): "two men", «quinze
    /// villageois».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor2: Option<TextSpan>,
    /// How many people were killed, as ACLED's `fatalities`, when the text gives a number
    /// (the highest its sentences give).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities: Option<u32>,
    /// How many people were wounded, when the text gives a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wounded: Option<u32>,
    /// Who says it happened, when the text says so.
    #[serde(default)]
    pub claim: Option<TextSpan>,
    /// The sentence that reports the event.
    pub sentence: TextSpan,
    /// The words that made each decision.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Confidence in [0, 1] that the event, its type and its place are right.
    pub confidence: f64,
    /// The other sentences of the document that report the same incident (restatements, its
    /// toll, its investigation), in text order, each with its own evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Report>,
}

/// ACLED's least precise `geo_precision`, for events stored before it was kept.
fn coarsest() -> u8 {
    3
}

/// Another sentence that reports an event, and the words in it that did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The sentence.
    pub sentence: TextSpan,
    /// The words of the sentence that made each decision.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// When an event happened, as precisely as the text says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// The first day of the period.
    pub date: NaiveDate,
    /// How long the period is.
    pub precision: DatePrecision,
    /// The words that gave the date; `None` when inherited from the publication date.
    #[serde(default)]
    pub span: Option<TextSpan>,
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A single day.
    Day,
    /// A week (starting on its Monday).
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
}

/// Where an event happened, in GeoJSON's longitude, latitude order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum EventGeometry {
    /// One place.
    Point {
        /// Longitude in degrees (WGS 84).
        lon: f64,
        /// Latitude in degrees (WGS 84).
        lat: f64,
    },
    /// A movement through places in order, as `[lon, lat]` pairs.
    Line {
        /// The vertices, `[lon, lat]`.
        coords: Vec<[f64; 2]>,
    },
}

/// A place an event's geometry was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    /// GeoNames id of the place.
    pub place_id: u32,
    /// The place's name to show: its usual English name, whatever the language of the text
    /// ([`gazetteer::Place::display_name`]); the words the text wrote are in `mention`.
    pub name: String,
    /// Latitude in degrees (WGS 84).
    pub lat: f64,
    /// Longitude in degrees (WGS 84).
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code, empty when none.
    #[serde(default)]
    pub country: String,
    /// The words that named it; `None` when the place came from elsewhere in the document.
    #[serde(default)]
    pub mention: Option<TextSpan>,
}

impl EventPlace {
    /// The event's place for a gazetteer place, with the words that named it, if any.
    pub fn of(place: &gazetteer::Place, mention: Option<TextSpan>) -> Self {
        Self {
            place_id: place.id,
            name: place.display_name().to_owned(),
            lat: place.lat,
            lon: place.lon,
            country: place.country.to_string(),
            mention,
        }
    }
}

/// ACLED's `geo_precision` of an event at a place of this kind: 1 for a town (or anything
/// smaller), 2 for a district, 3 for a province, a region, a country or wider.
pub fn geo_precision(kind: gazetteer::PlaceKind) -> u8 {
    use gazetteer::PlaceKind;
    match kind {
        PlaceKind::City | PlaceKind::Capital | PlaceKind::Other => 1,
        PlaceKind::Admin2 => 2,
        PlaceKind::Admin1 | PlaceKind::Region | PlaceKind::Country | PlaceKind::Continent => 3,
    }
}

/// How an event's place relates to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationPrecision {
    /// The place where it happened.
    Exact,
    /// The place it is about (a call between presidents about a region: no single city).
    About,
    /// The sentence names no place: the document's main place.
    Document,
}

/// A piece of the document, with byte and char offsets, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset past the last byte.
    pub end: usize,
    /// Unicode code-point offset of the first char.
    pub char_start: usize,
    /// Unicode code-point offset past the last char.
    pub char_end: usize,
    /// The text of the span.
    pub text: String,
}

/// A span of text that made one decision about an event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// Which decision it made.
    pub role: EvidenceRole,
    /// The words.
    pub span: TextSpan,
}

/// The decision a piece of evidence made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRole {
    /// The action word or phrase that gave the type.
    Action,
    /// A place the event was put at.
    Place,
    /// A movement marker (`à travers`, `from … to`).
    Movement,
    /// The words that gave the date.
    Date,
    /// An actor.
    Actor,
    /// The claim marker and its source.
    Claim,
    /// A negation or denial, which lowers the confidence.
    Negation,
    /// A hedge (`reportedly`, `aurait`), which lowers the confidence.
    Hedge,
    /// A count of the killed or wounded ("killing 20", «huit morts»).
    Toll,
}

/// A document to extract events from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Document {
    /// The text.
    pub text: String,
    /// ISO 639-1 language (`fr`, `en`); `None` lets the extractor guess.
    pub lang: Option<String>,
    /// Publication date, against which relative dates are resolved.
    pub published: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geo_precision_follows_acled() {
        use gazetteer::PlaceKind;
        assert_eq!(geo_precision(PlaceKind::City), 1);
        assert_eq!(geo_precision(PlaceKind::Capital), 1);
        assert_eq!(geo_precision(PlaceKind::Admin2), 2);
        assert_eq!(geo_precision(PlaceKind::Admin1), 3);
        assert_eq!(geo_precision(PlaceKind::Country), 3);
    }

    #[test]
    fn events_stored_without_the_optional_fields_still_read() {
        let stored = r#"{
            "event_type": "battles",
            "sub_type": "Armed clash",
            "geometry": {"type": "Point", "lon": 46.75, "lat": 39.82},
            "location_precision": "document",
            "sentence": {"start": 0, "end": 2, "char_start": 0, "char_end": 2, "text": "Ok"},
            "confidence": 0.5
        }"#;
        let event: Event = serde_json::from_str(stored).expect("an event without optional fields");
        assert_eq!(event.event_type, EventType::Battles);
        assert!(event.action.is_empty() && event.date.is_none() && event.claim.is_none());
        assert!(event.places.is_empty() && event.actors.is_empty() && event.evidence.is_empty());
    }
}
