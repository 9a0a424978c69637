//! The events as the map holds them: one flat row per event, read from the API's GeoJSON
//! (`/api/events.geojson`, through [`vocab::read_events`]), with the look of each event type.

use vocab::{EventFeature, FeatureError, Source, read_events};
pub use vocab::{STYLES as TYPES, Symbol, TypeStyle, type_style};

/// One event on the map, from a GeoJSON feature's geometry and flat properties.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEvent {
    /// The event's id in the store.
    pub id: i64,
    /// The document it was found in.
    pub document_id: Option<i64>,
    /// The event type (`battles`, `protests`, …).
    pub event_type: String,
    /// The finer sub-type text.
    pub sub_type: String,
    /// First day, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `day`, `week`, `month` or `year`.
    pub date_precision: Option<String>,
    /// Days since 1970-01-01 of `date`, for the timeline.
    pub day: Option<i32>,
    /// ISO 3166-1 alpha-2 code of the first place.
    pub country: String,
    /// Name of the first place.
    pub place_name: String,
    /// How precise the place is, for people ("in Ganja", "somewhere in Azerbaijan").
    pub place_precision: String,
    /// Whether the place is only an area or the document's: drawn as a hollow ring.
    pub coarse: bool,
    /// Actors, separated by `; `.
    pub actors: String,
    /// Who says it happened.
    pub claim: Option<String>,
    /// The sentence that reports it.
    pub sentence: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Longitude and latitude of its point (the centre of a movement's box).
    pub lon_lat: [f64; 2],
    /// The vertices of a movement, `[lon, lat]`, in order; empty for a point.
    pub line: Vec<[f64; 2]>,
    /// How many people were killed, the lowest figure a source gives.
    pub fatalities: Option<u32>,
    /// How many people were wounded, the lowest figure a source gives.
    pub wounded: Option<u32>,
    /// The documents that report it, each with its own figures.
    pub sources: Vec<Source>,
    /// Who last decided what it says: `machine`, `corrected`, `imported` or `verified`.
    pub status: String,
}

impl From<EventFeature> for MapEvent {
    fn from(feature: EventFeature) -> Self {
        let (lon_lat, line) = (feature.lon_lat(), continuous(feature.line()));
        let sources = feature.sources;
        let row = feature.row;
        let (place_precision, coarse) = (row.place_precision(), row.is_coarse());
        Self {
            id: row.id,
            document_id: row.document_id,
            day: row.date.as_deref().and_then(day_number),
            event_type: row.event_type,
            sub_type: row.sub_type,
            date: row.date,
            date_precision: row.date_precision,
            country: row.country,
            place_name: row.place_name,
            place_precision,
            coarse,
            actors: row.actors,
            claim: row.claim,
            sentence: row.sentence,
            confidence: row.confidence,
            lon_lat,
            line,
            fatalities: row.fatalities,
            wounded: row.wounded,
            sources,
            status: row.status,
        }
    }
}

/// Reads the events of a GeoJSON FeatureCollection written by the API.
pub fn parse_events(geojson: &str) -> Result<Vec<MapEvent>, FeatureError> {
    Ok(read_events(geojson)?
        .into_iter()
        .map(MapEvent::from)
        .collect())
}

/// A line's points with each longitude moved by whole turns to within 180° of the one before,
/// so that a movement across the antimeridian (Suva to Apia) is drawn the short way.
fn continuous(mut line: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    for i in 1..line.len() {
        let before = line[i - 1][0];
        let lon = &mut line[i][0];
        *lon -= ((*lon - before) / 360.0).round() * 360.0;
    }
    line
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
pub fn day_number(date: &str) -> Option<i32> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) as i32 / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `YYYY-MM-DD` date of a day number (the inverse of [`day_number`]).
pub fn day_date(day: i32) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A toll for people: `13 killed, 40 wounded`; `None` when no number is known.
pub fn toll_label(fatalities: Option<u32>, wounded: Option<u32>) -> Option<String> {
    let parts: Vec<String> = [(fatalities, "killed"), (wounded, "wounded")]
        .into_iter()
        .filter_map(|(n, what)| n.map(|n| format!("{n} {what}")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An event's date for people: `2020-10-04 (day)`, the date alone when its precision is not
/// known, `undated` when there is none.
pub fn date_label(date: Option<&str>, precision: Option<&str>) -> String {
    match (date, precision) {
        (Some(d), Some(p)) => format!("{d} ({p})"),
        (Some(d), None) => d.to_owned(),
        (None, _) => "undated".to_owned(),
    }
}

#[cfg(test)]
impl MapEvent {
    /// A battle at `lon_lat` with nothing else known, for tests.
    pub(crate) fn at(id: i64, lon_lat: [f64; 2]) -> Self {
        Self {
            id,
            document_id: None,
            event_type: "battles".into(),
            sub_type: String::new(),
            date: None,
            date_precision: None,
            day: None,
            country: String::new(),
            place_name: String::new(),
            place_precision: String::new(),
            coarse: false,
            actors: String::new(),
            claim: None,
            sentence: String::new(),
            confidence: 1.0,
            lon_lat,
            line: Vec::new(),
            fatalities: None,
            wounded: None,
            sources: Vec::new(),
            status: "machine".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_with_their_precision() {
        assert_eq!(
            date_label(Some("2020-10-04"), Some("day")),
            "2020-10-04 (day)"
        );
        assert_eq!(date_label(Some("2020-10"), None), "2020-10");
        assert_eq!(date_label(None, Some("day")), "undated");
    }

    #[test]
    fn tolls_read_as_people_say_them() {
        assert_eq!(
            toll_label(Some(13), Some(40)).as_deref(),
            Some("13 killed, 40 wounded")
        );
        assert_eq!(toll_label(None, Some(2)).as_deref(), Some("2 wounded"));
        assert_eq!(toll_label(None, None), None);
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2020-09-27"), Some(18_532));
        for day in [-1000, 0, 18_532, 18_628, 20_000] {
            assert_eq!(day_number(&day_date(day)), Some(day));
        }
        assert_eq!(day_number("2020-13-01"), None);
        assert_eq!(day_number("soon"), None);
    }

    #[test]
    fn reads_the_api_geojson() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[46.75,39.81]},
           "properties":{"id":7,"document_id":2,"status":"machine","deleted":false,
           "event_type":"explosions_remote_violence","sub_type":"Shelling","date":"2020-10-04",
           "date_precision":"day","location_precision":"exact","country":"AZ","place_id":1,
           "place_name":"Stepanakert","actors":"","claim":null,"sentence":"Stepanakert was shelled.",
           "confidence":0.8,"updated":"x","lon":46.75,"lat":39.81,"fatalities":13,
           "sources":[{"document_id":2,"event_id":7,"url":"https://news.am/1","fatalities":13},
                      {"document_id":3,"event_id":9,"title":"Khankendi","fatalities":21}]}},
          {"type":"Feature","id":8,"geometry":{"type":"LineString","coordinates":[[37,36],[49.9,40.4]]},
           "properties":{"id":8,"document_id":2,"event_type":"strategic_developments",
           "date":null,"date_precision":null,"confidence":0.5,"lon":43.4,"lat":38.2}}]}"#;
        let events = parse_events(text).expect("valid GeoJSON");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].day, day_number("2020-10-04"));
        assert_eq!(events[0].place_name, "Stepanakert");
        assert_eq!(events[0].fatalities, Some(13));
        let figures: Vec<Option<u32>> = events[0].sources.iter().map(|s| s.fatalities).collect();
        assert_eq!(figures, [Some(13), Some(21)]);
        assert!(events[1].sources.is_empty());
        assert_eq!(events[1].line.len(), 2);
        assert_eq!(events[1].lon_lat, [43.4, 38.2]);
    }

    #[test]
    fn lines_across_the_antimeridian_go_the_short_way() {
        let line = continuous(vec![[178.4, -18.1], [-171.8, -13.8], [-170.0, -14.0]]);
        assert!((line[1][0] - 188.2).abs() < 1e-9, "{line:?}");
        assert!((line[2][0] - 190.0).abs() < 1e-9, "{line:?}");
        assert_eq!(
            continuous(vec![[37.0, 36.0], [49.9, 40.4]]),
            [[37.0, 36.0], [49.9, 40.4]]
        );
    }
}
