//! Events as GeoJSON (RFC 7946): one Point or LineString feature per event, lon/lat order.

use crate::event::{Event, EventGeometry};
use serde_json::{Value, json};

/// The GeoJSON geometry of an event.
pub fn geometry(event: &Event) -> Value {
    match &event.geometry {
        EventGeometry::Point { lon, lat } => json!({ "type": "Point", "coordinates": [lon, lat] }),
        EventGeometry::Line { coords } => json!({ "type": "LineString", "coordinates": coords }),
    }
}

/// A GeoJSON feature for an event of the document `doc_id`, its properties flat enough for
/// GIS tools: type, sub-type, date and its precision, location precision, actors, claim, place
/// ids and names, confidence, evidence and the document id.
pub fn feature(event: &Event, doc_id: Option<&str>) -> Value {
    let texts =
        |spans: &[crate::event::TextSpan]| spans.iter().map(|s| s.text.clone()).collect::<Vec<_>>();
    json!({
        "type": "Feature",
        "geometry": geometry(event),
        "properties": {
            "doc_id": doc_id,
            "type": event.event_type,
            "sub_type": event.sub_type,
            "action": event.action,
            "date": event.date.as_ref().map(|d| d.date.to_string()),
            "precision": event.date.as_ref().map(|d| d.precision),
            "location_precision": event.location_precision,
            "actors": texts(&event.actors),
            "claim": event.claim.as_ref().map(|c| c.text.clone()),
            "place_ids": event.places.iter().map(|p| p.place_id).collect::<Vec<_>>(),
            "places": event.places.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
            "confidence": event.confidence,
            "sentence": event.sentence.text,
            "evidence": event.evidence,
        }
    })
}

/// A FeatureCollection of events, each with the id of its document.
pub fn feature_collection<'a>(
    events: impl IntoIterator<Item = (Option<&'a str>, &'a Event)>,
) -> Value {
    let features: Vec<Value> = events.into_iter().map(|(id, e)| feature(e, id)).collect();
    json!({ "type": "FeatureCollection", "features": features })
}
