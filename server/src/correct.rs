//! A person's correction of an event: move it to another place, change its type, date or
//! actors, delete or restore it.

use chrono::NaiveDate;
use extract::{
    DatePrecision, Event, EventDate, EventGeometry, EventPlace, EventType, LocationPrecision,
    TextSpan,
};
use gazetteer::Gazetteer;
use serde::{Deserialize, Deserializer};
use vocab::check_lon_lat;

/// What is wrong with a correction.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PatchError {
    /// The gazetteer has no place with this id.
    #[error("place_id {0}: no such place in the gazetteer")]
    UnknownPlace(u32),
    /// A coordinate is out of range or not a number.
    #[error("location: {0}")]
    BadLocation(String),
    /// Both a place and a location were given.
    #[error("give either place_id or location, not both")]
    PlaceAndLocation,
    /// Nothing to change.
    #[error(
        "the correction changes nothing: give place_id, location, event_type, sub_type, date, date_precision, actors, deleted or verified"
    )]
    Empty,
}

/// A longitude/latitude pair.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LonLat {
    /// Longitude in degrees, -180 to 180.
    pub lon: f64,
    /// Latitude in degrees, -90 to 90.
    pub lat: f64,
}

/// The body of `PATCH /api/events/{id}`; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventPatch {
    /// Move the event to this gazetteer place (for example one of its mention's alternatives).
    pub place_id: Option<u32>,
    /// Move the event to this point.
    pub location: Option<LonLat>,
    /// The event type.
    pub event_type: Option<EventType>,
    /// The sub-event type.
    pub sub_type: Option<String>,
    /// The date (`YYYY-MM-DD`); `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub date: Option<Option<NaiveDate>>,
    /// The precision of the date (default `day`).
    pub date_precision: Option<DatePrecision>,
    /// The actors, replacing those found.
    pub actors: Option<Vec<String>>,
    /// Delete (`true`) or restore (`false`) the event.
    pub deleted: Option<bool>,
    /// Mark the event verified (`true`, a reviewer's) or take the mark back (`false`).
    pub verified: Option<bool>,
}

/// Tells a field given as `null` (`Some(None)`) from an absent one (`None`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<NaiveDate>>, D::Error> {
    crate::store::day(d).map(Some)
}

/// A span for text that is not in a document (typed by a person, imported from another
/// tool): it points nowhere.
pub(crate) fn typed(text: String) -> TextSpan {
    TextSpan {
        start: 0,
        end: 0,
        char_start: 0,
        char_end: 0,
        text,
    }
}

impl EventPatch {
    /// Whether the patch changes what the event says (anything but `deleted` and `verified`).
    pub fn changes_content(&self) -> bool {
        self.place_id.is_some()
            || self.location.is_some()
            || self.event_type.is_some()
            || self.sub_type.is_some()
            || self.date.is_some()
            || self.date_precision.is_some()
            || self.actors.is_some()
    }

    /// Checks the patch without applying it.
    pub fn validate(&self) -> Result<(), PatchError> {
        if !self.changes_content() && self.deleted.is_none() && self.verified.is_none() {
            return Err(PatchError::Empty);
        }
        if self.place_id.is_some() && self.location.is_some() {
            return Err(PatchError::PlaceAndLocation);
        }
        if let Some(p) = self.location {
            check_lon_lat(p.lon, p.lat).map_err(|e| PatchError::BadLocation(e.to_string()))?;
        }
        Ok(())
    }

    /// The event with the patch applied.
    pub fn apply(&self, event: &Event, gazetteer: &Gazetteer) -> Result<Event, PatchError> {
        self.validate()?;
        let mut e = event.clone();
        if let Some(id) = self.place_id {
            let place = gazetteer.place(id).ok_or(PatchError::UnknownPlace(id))?;
            // Keep the words that named the place when the person picked another candidate
            // for the same mention.
            let mention = e.places.first().and_then(|p| p.mention.clone());
            e.geometry = EventGeometry::Point {
                lon: place.lon,
                lat: place.lat,
            };
            e.geo_precision = extract::geo_precision(place.kind());
            e.places = vec![EventPlace::of(&place, mention)];
            e.location_precision = LocationPrecision::Exact;
        }
        if let Some(LonLat { lon, lat }) = self.location {
            e.geometry = EventGeometry::Point { lon, lat };
            e.places = match gazetteer.reverse(geo::Point::new(lon, lat)) {
                Some(r) => vec![EventPlace::of(&r.nearest, None)],
                None => Vec::new(),
            };
            e.location_precision = LocationPrecision::Exact;
            // A person put it at a point.
            e.geo_precision = 1;
        }
        if let Some(t) = self.event_type {
            e.event_type = t;
        }
        if let Some(s) = &self.sub_type {
            e.sub_type = s.clone();
        }
        self.apply_date(&mut e);
        if let Some(actors) = &self.actors {
            e.actors = actors.iter().cloned().map(typed).collect();
        }
        // A person vouches for what they corrected.
        e.confidence = 1.0;
        Ok(e)
    }

    /// Sets or clears the event's date, or changes only its precision.
    fn apply_date(&self, e: &mut Event) {
        match self.date {
            Some(Some(date)) => {
                e.date = Some(EventDate {
                    date,
                    precision: self.date_precision.unwrap_or(DatePrecision::Day),
                    span: None,
                });
            }
            Some(None) => e.date = None,
            None => {
                if let (Some(p), Some(d)) = (self.date_precision, e.date.as_mut()) {
                    d.precision = p;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_date_differs_from_absent() {
        let p: EventPatch = serde_json::from_str(r#"{"date": null}"#).expect("valid patch");
        assert_eq!(p.date, Some(None));
        let p: EventPatch = serde_json::from_str(r#"{"actors": []}"#).expect("valid patch");
        assert_eq!(p.date, None);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(serde_json::from_str::<EventPatch>(r#"{"date": "2020-13-01"}"#).is_err());
        assert!(serde_json::from_str::<EventPatch>(r#"{"colour": "red"}"#).is_err());
        let p: EventPatch =
            serde_json::from_str(r#"{"location": {"lon": 46.7, "lat": 95}}"#).expect("parses");
        assert!(matches!(p.validate(), Err(PatchError::BadLocation(_))));
        assert_eq!(EventPatch::default().validate(), Err(PatchError::Empty));
    }
}
