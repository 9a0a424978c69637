//! End-to-end tests of `GET /api/clusters` on a real server and SQLite file: for the same
//! parameters, the clusters hold exactly the events `/api/events.geojson` gives (counts, types,
//! days, mean points), with a box, across the antimeridian, with filters the store's sums
//! answer and with those it does not, and after a deletion.

mod common;

use common::TestServer;
use karta::api::ApiSettings;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Cities and how many events each gets: dense around the Caucasus, a few on both sides of the
/// antimeridian (Fiji, Samoa), one alone in Chile.
const CITIES: &[(&str, &str, f64, f64, usize)] = &[
    ("Stepanakert", "Azerbaijan", 39.82, 46.75, 40),
    ("Ganja", "Azerbaijan", 40.68, 46.36, 25),
    ("Yerevan", "Armenia", 40.18, 44.51, 30),
    ("Tbilisi", "Georgia", 41.72, 44.78, 12),
    ("Paris", "France", 48.85, 2.35, 9),
    ("Suva", "Fiji", -18.14, 178.44, 6),
    ("Lambasa", "Fiji", -16.43, 179.39, 3),
    ("Apia", "Samoa", -13.83, -171.76, 5),
    ("Santiago", "Chile", -33.45, -70.67, 1),
];

/// ACLED's type names, in turn.
const TYPES: &[&str] = &["Battles", "Protests", "Riots", "Explosions/Remote violence"];

/// An ACLED CSV of the cities' events, spread around each city and over autumn 2020.
fn acled_csv() -> String {
    let mut csv = String::from(
        "event_id_cnty,event_date,event_type,sub_event_type,actor1,country,location,latitude,\
         longitude,notes\n",
    );
    let mut n = 0usize;
    for &(city, country, lat, lon, count) in CITIES {
        for i in 0..count {
            n += 1;
            let dlat = ((n * 7) % 11) as f64 * 0.01 - 0.05;
            let dlon = ((n * 5) % 13) as f64 * 0.01 - 0.06;
            let day = 1 + (n * 3) % 28;
            let month = 9 + n % 3;
            let kind = TYPES[(i + city.len()) % TYPES.len()];
            csv.push_str(&format!(
                "T{n},2020-{month:02}-{day:02},{kind},,Someone,{country},{city},{},{},Event {n}.\n",
                lat + dlat,
                lon + dlon
            ));
        }
    }
    csv
}

/// A server holding the cities' events.
async fn server() -> TestServer {
    let s = TestServer::start(ApiSettings::default()).await;
    let batch = karta::import::read(acled_csv().as_bytes(), s.pipeline.gazetteer()).expect("a CSV");
    assert!(batch.errors.is_empty(), "{:?}", batch.errors);
    s.blocking(move |p| p.import("cities.csv", &batch.events))
        .await
        .expect("imported");
    s
}

/// What the events of `/api/events.geojson` add up to: their number, their count per type,
/// their first and last day and the sums of their points.
#[derive(Debug, Default, PartialEq)]
struct Totals {
    count: u64,
    types: BTreeMap<String, u64>,
    first: Option<String>,
    last: Option<String>,
    sum_lon: f64,
    sum_lat: f64,
}

impl Totals {
    fn add_day(&mut self, first: Option<&str>, last: Option<&str>) {
        if let Some(f) = first {
            self.first = Some(
                self.first
                    .take()
                    .map_or(f.to_owned(), |d| d.min(f.to_owned())),
            );
        }
        if let Some(l) = last {
            self.last = Some(
                self.last
                    .take()
                    .map_or(l.to_owned(), |d| d.max(l.to_owned())),
            );
        }
    }

    /// Whether two totals agree (the sums of points to rounding).
    fn assert_agrees(&self, other: &Totals, what: &str) {
        assert_eq!(
            (self.count, &self.types, &self.first, &self.last),
            (other.count, &other.types, &other.first, &other.last),
            "{what}"
        );
        assert!(
            (self.sum_lon - other.sum_lon).abs() < 1e-6,
            "{what}: longitudes"
        );
        assert!(
            (self.sum_lat - other.sum_lat).abs() < 1e-6,
            "{what}: latitudes"
        );
    }
}

/// The totals of the events the GeoJSON export gives for a query.
async fn event_totals(s: &TestServer, query: &str) -> Totals {
    let fc = s.get_json(&format!("/api/events.geojson?{query}")).await;
    let mut t = Totals::default();
    for f in fc["features"].as_array().expect("features") {
        let p = &f["properties"];
        t.count += 1;
        let kind = p["event_type"].as_str().expect("a type");
        *t.types.entry(kind.to_owned()).or_default() += 1;
        let day = p["date"].as_str().map(|d| &d[..10]);
        t.add_day(day, day);
        t.sum_lon += p["lon"].as_f64().expect("lon");
        t.sum_lat += p["lat"].as_f64().expect("lat");
    }
    t
}

/// The totals of the clusters for a query, checking each cluster on the way.
async fn cluster_totals(s: &TestServer, query: &str) -> (Totals, Value) {
    let answer = s.get_json(&format!("/api/clusters?{query}")).await;
    let mut t = Totals::default();
    for c in answer["clusters"].as_array().expect("clusters") {
        let count = c["count"].as_u64().expect("a count");
        let types: BTreeMap<String, u64> =
            serde_json::from_value(c["types"].clone()).expect("types");
        assert_eq!(types.values().sum::<u64>(), count, "{c}");
        let (lon, lat) = (
            c["lon"].as_f64().expect("lon"),
            c["lat"].as_f64().expect("lat"),
        );
        let cell: Vec<f64> = serde_json::from_value(c["cell"].clone()).expect("a cell");
        assert!(
            cell[0] <= lon && lon <= cell[2],
            "{c}: the mean lies in the cell"
        );
        assert!(cell[1] <= lat + 1e-9 && lat <= cell[3] + 1e-9, "{c}");
        let events = c["events"].as_array().map_or(0, Vec::len) as u64;
        // Few carry their events, unless the cell is cut by the box's edge and holds events
        // outside it too.
        assert!(
            events == 0 || (count <= 3 && events == count),
            "{c}: few carry events"
        );
        t.count += count;
        for (kind, n) in types {
            *t.types.entry(kind).or_default() += n;
        }
        t.add_day(c["first"].as_str(), c["last"].as_str());
        t.sum_lon += lon * count as f64;
        t.sum_lat += lat * count as f64;
    }
    assert_eq!(answer["total"].as_u64(), Some(t.count), "{query}");
    (t, answer)
}

/// Checks that the clusters of `query` at several zooms hold the events of `query`.
async fn assert_same_events(s: &TestServer, query: &str) -> u64 {
    let events = event_totals(s, query).await;
    for zoom in ["0", "1.6", "3", "5", "7", "9.2"] {
        let (clusters, _) = cluster_totals(s, &format!("{query}&zoom={zoom}")).await;
        events.assert_agrees(&clusters, &format!("{query} at zoom {zoom}"));
    }
    events.count
}

#[tokio::test]
async fn clusters_hold_the_events_of_the_same_query() {
    let s = server().await;
    let all = assert_same_events(&s, "x=1").await;
    assert_eq!(all, CITIES.iter().map(|c| c.4 as u64).sum::<u64>());
    for (query, at_least) in [
        ("bbox=-180,-90,180,90", all),
        ("bbox=40,35,50,45", 107),
        ("bbox=44.6,40,46.5,41", 1),
        ("bbox=-20,30,60,60&type=battles", 1),
        ("bbox=170,-25,-170,-10", 14),
        ("bbox=178,-20,179,-15&from=2020-10-01", 1),
        ("from=2020-10-01&to=2020-10-31", 1),
        ("type=protests,riots&from=2020-09-15", 1),
        ("country=AM", 30),
        ("bbox=40,35,50,45&q=Event", 1),
        ("min_confidence=0.1&bbox=-100,-60,0,0", 1),
    ] {
        let n = assert_same_events(&s, query).await;
        assert!(
            n >= at_least,
            "{query}: {n} events, expected {at_least} or more"
        );
    }
}

#[tokio::test]
async fn the_grid_follows_the_zoom_and_bad_zooms_are_refused() {
    let s = server().await;
    let (_, world) = cluster_totals(&s, "zoom=0").await;
    assert_eq!(world["level"], 2);
    assert_eq!(world["cell_px"], 64.0);
    let (_, close) = cluster_totals(&s, "zoom=9&bbox=46,39,47.5,40.5").await;
    assert_eq!(close["level"], 11);
    assert!(close["clusters"].as_array().expect("clusters").len() > 1);
    let (_, alone) = cluster_totals(&s, "zoom=2&bbox=-80,-40,-60,-30").await;
    let only = &alone["clusters"][0];
    assert_eq!(only["count"], 1);
    assert_eq!(only["events"][0]["properties"]["place_name"], "Santiago");
    for bad in ["", "zoom=x", "zoom=-1", "zoom=40", "zoom=2&bbox=1,2,3"] {
        let r = s.get(&format!("/api/clusters?{bad}")).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn clusters_follow_deletions() {
    let s = server().await;
    let before = event_totals(&s, "x=1").await.count;
    let fc = s
        .get_json("/api/events.geojson?bbox=46.6,39.7,46.9,39.9")
        .await;
    let id = fc["features"][0]["id"]
        .as_i64()
        .expect("an event near Stepanakert");
    let (status, _) = s
        .write_json(Method::DELETE, &format!("/api/events/{id}"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let after = assert_same_events(&s, "x=1").await;
    assert_eq!(after, before - 1);
}
