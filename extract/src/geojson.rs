//! Events as GeoJSON (RFC 7946), through the `geojson` crate: one Point or LineString feature
//! per event, lon/lat order.

use crate::event::{Event, EventGeometry, TextSpan};
use geojson::{Feature, FeatureCollection, JsonObject};
use serde_json::json;

impl From<&EventGeometry> for geo_types::Geometry<f64> {
    /// A point, or a line string for a movement; x is the longitude, y the latitude.
    fn from(geometry: &EventGeometry) -> Self {
        match geometry {
            EventGeometry::Point { lon, lat } => geo_types::Point::new(*lon, *lat).into(),
            EventGeometry::Line { coords } => geo_types::LineString::from(
                coords
                    .iter()
                    .map(|&[lon, lat]| (lon, lat))
                    .collect::<Vec<_>>(),
            )
            .into(),
        }
    }
}

/// The GeoJSON geometry of an event.
pub fn geometry(event: &Event) -> geojson::Geometry {
    geojson::Geometry::from(&geo_types::Geometry::from(&event.geometry))
}

/// A GeoJSON feature for an event of the document `doc_id`, its properties flat enough for
/// GIS tools: type, sub-type, date and its precision, location precision, actors, claim, place
/// ids and names, confidence, evidence and the document id.
pub fn feature(event: &Event, doc_id: Option<&str>) -> Feature {
    let texts = |spans: &[TextSpan]| spans.iter().map(|s| s.text.clone()).collect::<Vec<_>>();
    let properties: JsonObject = [
        ("doc_id", json!(doc_id)),
        ("type", json!(event.event_type)),
        ("sub_type", json!(event.sub_type)),
        ("action", json!(event.action)),
        (
            "date",
            json!(event.date.as_ref().map(|d| d.date.to_string())),
        ),
        ("precision", json!(event.date.as_ref().map(|d| d.precision))),
        ("location_precision", json!(event.location_precision)),
        ("actors", json!(texts(&event.actors))),
        ("claim", json!(event.claim.as_ref().map(|c| c.text.clone()))),
        (
            "place_ids",
            json!(event.places.iter().map(|p| p.place_id).collect::<Vec<_>>()),
        ),
        (
            "places",
            json!(
                event
                    .places
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
            ),
        ),
        ("confidence", json!(event.confidence)),
        ("sentence", json!(event.sentence.text)),
        ("evidence", json!(event.evidence)),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value))
    .collect();
    Feature {
        bbox: None,
        geometry: Some(geometry(event)),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
}

/// A FeatureCollection of events, each with the id of its document.
pub fn feature_collection<'a>(
    events: impl IntoIterator<Item = (Option<&'a str>, &'a Event)>,
) -> FeatureCollection {
    FeatureCollection::new(events.into_iter().map(|(id, e)| feature(e, id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_vertices_in_lon_lat_order() {
        let line = EventGeometry::Line {
            coords: vec![[37.38, 37.07], [49.87, 40.41]],
        };
        let json =
            serde_json::to_string(&geojson::Geometry::from(&geo_types::Geometry::from(&line)))
                .expect("a geometry serializes");
        assert_eq!(
            json,
            r#"{"type":"LineString","coordinates":[[37.38,37.07],[49.87,40.41]]}"#
        );
    }
}
