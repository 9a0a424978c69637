//! What both stores derive from an event and read back alike: the columns an event writes,
//! the keys that name events across extractions, what a re-extraction does to a document's
//! stored events, and the stored event of raw columns.

use super::{DocumentId, EventId, EventStatus, Result, StoredEvent};
use crate::rtree::Bbox;
use chrono::{Datelike, NaiveDate};
use extract::Event;
use std::collections::HashMap;

/// Now, as the store writes times.
pub(super) fn now() -> String {
    super::timestamp(chrono::Utc::now())
}

/// The values derived from an event that the database indexes and exports.
pub(super) struct Columns {
    pub(super) event_type: &'static str,
    pub(super) date: Option<String>,
    /// The date as a number of days, which the filters compare (see the schema).
    pub(super) day: Option<i64>,
    pub(super) date_precision: Option<String>,
    pub(super) location_precision: String,
    pub(super) country: String,
    pub(super) place_id: Option<i64>,
    pub(super) place_name: String,
    pub(super) actors: String,
    pub(super) claim: Option<String>,
    pub(super) geometry: String,
    pub(super) bbox: Bbox,
    pub(super) data: String,
    pub(super) fts: String,
}

/// A value's name as serde writes it (`exact`, `day`).
pub(super) fn snake<T: serde::Serialize>(v: &T) -> Result<String> {
    Ok(match serde_json::to_value(v)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

impl Columns {
    /// The columns of `event`.
    pub(super) fn of(event: &Event) -> Result<Self> {
        let first = event.places.first();
        let actors: Vec<&str> = event.actors.iter().map(|a| a.text.as_str()).collect();
        let claim = event.claim.as_ref().map(|c| c.text.clone());
        let mut fts = vec![event.sentence.text.as_str(), event.sub_type.as_str()];
        fts.extend(actors.iter().copied());
        fts.extend(claim.as_deref());
        fts.extend(event.places.iter().map(|p| p.name.as_str()));
        Ok(Self {
            event_type: event.event_type.as_str(),
            date: event.date.as_ref().map(|d| d.date.to_string()),
            day: event
                .date
                .as_ref()
                .map(|d| i64::from(d.date.num_days_from_ce())),
            date_precision: event
                .date
                .as_ref()
                .map(|d| snake(&d.precision))
                .transpose()?,
            location_precision: snake(&event.location_precision)?,
            country: first.map(|p| p.country.clone()).unwrap_or_default(),
            place_id: first.map(|p| i64::from(p.place_id)),
            place_name: first.map(|p| p.name.clone()).unwrap_or_default(),
            actors: actors.join("; "),
            fts: fts.join(" "),
            claim,
            geometry: serde_json::to_string(&extract::geojson::geometry(event))?,
            bbox: crate::rtree::bbox_of(&event.geometry),
            data: serde_json::to_string(event)?,
        })
    }
}

/// What re-extraction needs to know of a stored event: its id, status and whether it is
/// deleted.
pub(super) type KeptEvent = (EventId, EventStatus, bool);

/// What a new extraction does with one of its events.
pub(super) enum Reextracted<'e> {
    /// A machine event found again (same key): updated in place.
    Update(EventId, &'e Event),
    /// An event not stored before: inserted under its key.
    Insert(String, &'e Event),
}

/// The writes a new extraction of a document makes, by the rule both stores keep: a machine
/// event found again is updated, a new one inserted, one a person decided about (corrected or
/// deleted) left as it is. Takes the events found again out of `stored`; what is left there is
/// for [`machine_events_gone`].
pub(super) fn reextraction<'e>(
    events: &'e [Event],
    stored: &mut HashMap<String, KeptEvent>,
) -> Vec<Reextracted<'e>> {
    events
        .iter()
        .zip(event_keys(events))
        .filter_map(|(event, key)| match stored.remove(&key) {
            Some((id, EventStatus::Machine, false)) => Some(Reextracted::Update(id, event)),
            // A person decided about this one: their decision stands.
            Some(_) => None,
            None => Some(Reextracted::Insert(key, event)),
        })
        .collect()
}

/// Of the stored events a new extraction no longer finds, those it removes: the machine
/// events not deleted (a person's decision stays).
pub(super) fn machine_events_gone(
    left: impl IntoIterator<Item = KeptEvent>,
) -> impl Iterator<Item = EventId> {
    left.into_iter()
        .filter(|&(_, status, deleted)| status == EventStatus::Machine && !deleted)
        .map(|(id, _, _)| id)
}

/// A key that names an event within its document across extractions: the sentence, the
/// type and the places, plus an ordinal when several events share them.
pub(super) fn event_keys(events: &[Event]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    events
        .iter()
        .map(|e| {
            let places: Vec<String> = e.places.iter().map(|p| p.place_id.to_string()).collect();
            let base = format!(
                "{}:{}:{}",
                e.sentence.start,
                e.event_type.as_str(),
                places.join(",")
            );
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}#{n}") }
        })
        .collect()
}

/// A stored day, `YYYY-MM-DD`.
pub(super) fn parse_date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

/// An event's figure as ACLED keeps it when sources disagree: the lowest that a source gives,
/// else the event's own.
pub(super) fn conservative(
    own: Option<u32>,
    by_source: impl Iterator<Item = Option<u32>>,
) -> Option<u32> {
    by_source.flatten().min().or(own)
}

/// The sources' addresses, separated by spaces, for a CSV cell.
pub(super) fn source_urls(sources: &[vocab::Source]) -> String {
    let urls: Vec<&str> = sources.iter().filter_map(|s| s.url.as_deref()).collect();
    urls.join(" ")
}

/// Raw columns of a stored event; the JSON is parsed outside the row callback.
pub(super) struct RawEvent {
    pub(super) id: EventId,
    pub(super) document_id: Option<DocumentId>,
    pub(super) status: String,
    pub(super) deleted: bool,
    pub(super) updated: String,
    pub(super) data: String,
    pub(super) incident: Option<EventId>,
    pub(super) sources: Vec<vocab::Source>,
}

/// The stored event of raw columns.
pub(super) fn stored_event(raw: RawEvent) -> Result<StoredEvent> {
    Ok(StoredEvent {
        id: raw.id,
        document_id: raw.document_id,
        status: EventStatus::parse(&raw.status),
        deleted: raw.deleted,
        updated: raw.updated,
        incident: raw.incident,
        sources: raw.sources,
        event: serde_json::from_str(&raw.data)?,
    })
}
