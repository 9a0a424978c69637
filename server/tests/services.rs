//! End-to-end tests of the standard services, what analysts' tools read: the Atom feed of a
//! view (`/api/events.atom`), KML (`/api/events.kml`) and OGC API – Features (`/ogc`), each
//! against a real server on 127.0.0.1 over a real SQLite file, and read back by the tools
//! themselves where they are installed (GDAL's `ogrinfo`).

mod common;

use common::TestServer;
use karta::api::ApiSettings;
use quick_xml::events::Event as XmlEvent;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use std::collections::HashMap;

/// Events of every kind the services must carry: each type, a movement (a line), a name that
/// XML must escape, one near the antimeridian and one undated.
const EVENTS: &str = r#"{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.75, 39.81]},
  "properties": {"event_type": "battles", "date": "2020-10-04",
   "place_name": "Fort <&\"> Test", "sentence": "Clashes at Fort <&\"> Test."}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.36, 40.68]},
  "properties": {"event_type": "explosions_remote_violence", "date": "2020-10-11",
   "place_name": "Ganja", "sentence": "Ganja was shelled."}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [44.51, 40.18]},
  "properties": {"event_type": "protests", "date": "2020-09-27",
   "place_name": "Yerevan", "sentence": "People marched in Yerevan."}},
 {"type": "Feature", "geometry": {"type": "LineString",
   "coordinates": [[44.51, 40.18], [45.5, 40.0], [46.75, 39.81]]},
  "properties": {"event_type": "strategic_developments", "date": "2020-10-01",
   "place_name": "Yerevan", "sentence": "Troops moved from Yerevan to Stepanakert."}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [179.5, -16.5]},
  "properties": {"event_type": "riots", "date": "2020-10-20",
   "place_name": "Labasa", "sentence": "A riot broke out in Labasa."}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-179.8, -16.6]},
  "properties": {"event_type": "violence_against_civilians", "date": "2020-10-21",
   "place_name": "Rabi", "sentence": "Villagers were attacked on Rabi."}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.62, 55.75]},
  "properties": {"event_type": "diplomacy",
   "place_name": "Moscow", "sentence": "Ministers met in Moscow."}}
]}"#;

/// How many events [`EVENTS`] holds.
const COUNT: usize = 7;

/// A server holding [`EVENTS`].
async fn server() -> TestServer {
    let s = TestServer::start(ApiSettings::default()).await;
    let batch = karta::import::geojson(EVENTS, &common::gazetteer()).expect("the fixture reads");
    assert!(batch.errors.is_empty(), "{:?}", batch.errors);
    let imported = s.pipeline.import("test", &batch.events).expect("imported");
    assert_eq!(imported.inserted, COUNT);
    s
}

/// Runs `ogrinfo` with these arguments off the async threads (the server answers it on them);
/// `None`, with a notice, when GDAL is not installed (`scripts/test` installs it).
async fn ogrinfo(args: Vec<String>) -> Option<String> {
    let run = move || std::process::Command::new("ogrinfo").args(&args).output();
    match tokio::task::spawn_blocking(run).await.expect("ogrinfo ran") {
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "ogrinfo failed: {stderr}\n{stdout}");
            Some(stdout)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("NOTICE: ogrinfo (Debian gdal-bin) is not installed; GDAL check skipped");
            None
        }
        Err(e) => panic!("ogrinfo: {e}"),
    }
}

/// The elements of an XML text as paths (`feed/entry/id`) with their text, in order; the
/// reader fails on XML that is not well formed.
fn xml_elements(xml: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            XmlEvent::Start(e) => {
                path.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                out.push((path.join("/"), String::new()));
            }
            XmlEvent::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                out.push((format!("{}/{name}", path.join("/")), String::new()));
            }
            XmlEvent::Text(t) => {
                if let Some(last) = out.last_mut() {
                    last.1.push_str(&t.decode().expect("text"));
                }
            }
            XmlEvent::GeneralRef(r) => {
                let name = r.decode().expect("an entity name").into_owned();
                let text = match r.resolve_char_ref().expect("a character reference") {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("unknown entity {name}"))
                        .to_owned(),
                };
                if let Some(last) = out.last_mut() {
                    last.1.push_str(&text);
                }
            }
            XmlEvent::End(_) => {
                path.pop();
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty(), "unclosed elements {path:?}");
    out
}

/// How many times each path occurs among elements.
fn counts(elements: &[(String, String)]) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    for (path, _) in elements {
        *out.entry(path.as_str()).or_insert(0) += 1;
    }
    out
}

/// The texts of the elements at `path`, in order.
fn texts<'a>(elements: &'a [(String, String)], path: &str) -> Vec<&'a str> {
    elements
        .iter()
        .filter(|(p, _)| p == path)
        .map(|(_, t)| t.as_str())
        .collect()
}

/// Checks what RFC 4287 requires of a feed (section 4.1): exactly one `id`, `title` and
/// `updated` in the feed and in each entry, an author for the feed, ids that are absolute IRIs
/// and unique, dates in RFC 3339, an `alternate` link in each entry without content; and the
/// typed reading of a maintained parser (`atom_syndication`).
fn check_atom(xml: &str) -> atom_syndication::Feed {
    let feed: atom_syndication::Feed = xml.parse().expect("an Atom feed");
    assert!(
        xml.contains(r#"xmlns="http://www.w3.org/2005/Atom""#),
        "{xml}"
    );
    let elements = xml_elements(xml);
    assert_eq!(elements.first().map(|e| e.0.as_str()), Some("feed"));
    let n = counts(&elements);
    let entries = n.get("feed/entry").copied().unwrap_or(0);
    for name in ["id", "title", "updated"] {
        assert_eq!(
            n.get(format!("feed/{name}").as_str()),
            Some(&1),
            "feed/{name}"
        );
        assert_eq!(
            n.get(format!("feed/entry/{name}").as_str())
                .copied()
                .unwrap_or(0),
            entries,
            "each entry has one {name}"
        );
    }
    assert_eq!(
        n.get("feed/author/name"),
        Some(&1),
        "the feed has an author"
    );
    let mut ids = texts(&elements, "feed/entry/id");
    ids.push(feed.id());
    for id in &ids {
        let scheme = id.split_once(':').map(|(s, _)| s).unwrap_or_default();
        assert!(
            !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{id} is not an absolute IRI"
        );
    }
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids repeat: {ids:?}");
    for date in texts(&elements, "feed/updated")
        .into_iter()
        .chain(texts(&elements, "feed/entry/updated"))
    {
        chrono::DateTime::parse_from_rfc3339(date)
            .unwrap_or_else(|e| panic!("{date:?} is not RFC 3339: {e}"));
    }
    for entry in feed.entries() {
        assert!(
            entry.content().is_some() || entry.links().iter().any(|l| l.rel() == "alternate"),
            "{} has neither content nor an alternate link",
            entry.id()
        );
    }
    feed
}

#[tokio::test]
async fn a_view_is_an_atom_feed_newest_first() {
    let s = server().await;
    let r = s.get("/api/events.atom").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()[CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let xml = r.text().await.expect("text");
    let feed = check_atom(&xml);
    assert_eq!(feed.entries().len(), COUNT);
    // Imported in one transaction, the events share `updated`: the newest are the last ids.
    let updated: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "{updated:?}");
    let first = &feed.entries()[0];
    assert!(
        first.id().starts_with("tag:127.0.0.1,2026:event/"),
        "{}",
        first.id()
    );
    let self_link = feed
        .links()
        .iter()
        .find(|l| l.rel() == "self")
        .expect("self");
    assert_eq!(self_link.href(), s.url("/api/events.atom"));
    let on_map = first
        .links()
        .iter()
        .find(|l| l.rel() == "alternate")
        .expect("a link to the map");
    assert!(
        on_map.href().starts_with(&s.url("/?z=9.00&lat=")),
        "{}",
        on_map.href()
    );
    let id = first.id().rsplit('/').next().expect("an event id");
    assert_eq!(id, COUNT.to_string());
    assert!(
        on_map.href().ends_with(&format!("&sel={id}")),
        "{}",
        on_map.href()
    );
    let georss = &first.extensions()["georss"]["point"][0];
    assert_eq!(georss.value(), Some("55.75 37.62"));
    assert!(
        xml.contains("<summary>Clashes at Fort &lt;&amp;&quot;&gt; Test.</summary>"),
        "{xml}"
    );
}

#[tokio::test]
async fn an_atom_feed_takes_the_view_query() {
    let s = server().await;
    let path = "/api/events.atom?type=battles,protests&bbox=44,38,48,42&z=6&lat=40&lon=46&limit=1";
    let xml = s.get(path).await.text().await.expect("text");
    let feed = check_atom(&xml);
    assert_eq!(feed.entries().len(), 1);
    assert!(
        [
            "Battles in Fort <&\"> Test, 2020-10-04",
            "Protests in Yerevan, 2020-09-27"
        ]
        .contains(&feed.entries()[0].title().as_str()),
        "{xml}"
    );
    let self_link = feed
        .links()
        .iter()
        .find(|l| l.rel() == "self")
        .expect("self");
    assert_eq!(
        self_link.href(),
        s.url("/api/events.atom?type=battles%2Cprotests&bbox=44,38,48,42&limit=1")
            .replace("%2C", ",")
    );
    let empty = s
        .get("/api/events.atom?q=nothing-matches")
        .await
        .text()
        .await
        .expect("text");
    assert!(check_atom(&empty).entries().is_empty());
    let r = s.get("/api/events.atom?from=2020-13-01").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn kml_has_a_placemark_per_event_and_opens_in_gdal() {
    let s = server().await;
    let r = s.get("/api/events.kml?download=1").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()[CONTENT_TYPE],
        "application/vnd.google-earth.kml+xml"
    );
    let kml = r.text().await.expect("text");
    let elements = xml_elements(&kml);
    let n = counts(&elements);
    assert_eq!(n.get("kml/Document/Placemark"), Some(&COUNT));
    assert_eq!(n.get("kml/Document/Style"), Some(&vocab::STYLES.len()));
    assert_eq!(
        n.get("kml/Document/Placemark/LineString/coordinates"),
        Some(&1)
    );
    assert_eq!(
        n.get("kml/Document/Placemark/TimeStamp/when"),
        Some(&(COUNT - 1))
    );
    let names = texts(&elements, "kml/Document/Placemark/name");
    assert!(names.contains(&"Battles in Fort <&\"> Test"), "{names:?}");
    let styles = texts(&elements, "kml/Document/Placemark/styleUrl");
    assert!(styles.contains(&"#strategic_developments"), "{styles:?}");
    let path = s.dir.path().join("events.kml");
    std::fs::write(&path, &kml).expect("written");
    let file = path.display().to_string();
    let Some(info) = ogrinfo(vec!["-ro".into(), "-al".into(), file.clone()]).await else {
        return;
    };
    assert!(info.contains(&format!("Feature Count: {COUNT}")), "{info}");
    assert!(
        info.contains("Name (String) = Battles in Fort <&\"> Test"),
        "{info}"
    );
    assert!(
        info.contains("LINESTRING (44.51 40.18,45.5 40.0,46.75 39.81)"),
        "{info}"
    );
    // GDAL reads KML with LIBKML when it has it; its plain KML driver must read it too.
    let plain = [
        "--config",
        "GDAL_SKIP",
        "LIBKML",
        "-ro",
        "-al",
        "-so",
        &file,
    ]
    .map(str::to_owned);
    let info = ogrinfo(plain.to_vec()).await.expect("ogrinfo ran before");
    assert!(info.contains("using driver `KML'"), "{info}");
    assert!(info.contains(&format!("Feature Count: {COUNT}")), "{info}");
    let one = s
        .get("/api/events.kml?type=protests")
        .await
        .text()
        .await
        .expect("text");
    std::fs::write(&path, &one).expect("written");
    let info = ogrinfo(vec!["-ro".into(), "-al".into(), "-so".into(), file]).await;
    assert!(info.is_some_and(|i| i.contains("Feature Count: 1")));
}

/// The JSON of `GET path`, checking the status and the media type.
async fn ogc_json(s: &TestServer, path: &str, media: &str) -> serde_json::Value {
    let r = s.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()[CONTENT_TYPE], media, "{path}");
    r.json().await.expect("JSON")
}

/// The href of the link of a relation.
fn href(doc: &serde_json::Value, rel: &str) -> Option<String> {
    doc["links"]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == rel)
        .and_then(|l| l["href"].as_str())
        .map(str::to_owned)
}

/// The ids of the features of every page of an items query, following `next` links, and the
/// `numberMatched` of the first page.
async fn all_pages(s: &TestServer, path: &str) -> (Vec<i64>, u64) {
    let mut url = s.url(path);
    let mut ids = Vec::new();
    let mut matched = None;
    for _ in 0..50 {
        let r = common::client().get(&url).send().await.expect("an answer");
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        let page: serde_json::Value = r.json().await.expect("JSON");
        let features = page["features"].as_array().expect("features");
        assert_eq!(page["numberReturned"], features.len(), "{page}");
        assert!(page["timeStamp"].is_string());
        matched.get_or_insert(page["numberMatched"].as_u64().expect("numberMatched"));
        ids.extend(features.iter().map(|f| f["id"].as_i64().expect("an id")));
        match href(&page, "next") {
            Some(next) => url = next,
            None => return (ids, matched.unwrap_or_default()),
        }
    }
    panic!("more than 50 pages for {path}");
}

#[tokio::test]
async fn ogc_landing_conformance_and_collection() {
    let s = server().await;
    let landing = ogc_json(&s, "/ogc", "application/json").await;
    assert_eq!(href(&landing, "self"), Some(s.url("/ogc")));
    assert_eq!(
        href(&landing, "conformance"),
        Some(s.url("/ogc/conformance"))
    );
    assert_eq!(href(&landing, "data"), Some(s.url("/ogc/collections")));
    let api = href(&landing, "service-desc").expect("service-desc");
    let r = common::client().get(&api).send().await.expect("an answer");
    assert_eq!(
        r.headers()[CONTENT_TYPE],
        "application/vnd.oai.openapi+json;version=3.0"
    );
    let definition: serde_json::Value = r.json().await.expect("JSON");
    assert_eq!(definition["openapi"], "3.0.3");
    assert_eq!(definition["servers"][0]["url"], s.url("/ogc"));
    let parameters = &definition["paths"]["/collections/{collectionId}/items"]["get"]["parameters"];
    let limit = parameters
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "limit"))
        .expect("a limit parameter");
    assert_eq!(limit["schema"]["maximum"], 10_000, "{limit}");
    let conformance = ogc_json(&s, "/ogc/conformance?f=json", "application/json").await;
    let classes = conformance["conformsTo"].as_array().expect("classes");
    for class in ["core", "geojson", "oas30"] {
        let uri = format!("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{class}");
        assert!(classes.contains(&uri.into()), "{conformance}");
    }
    let collections = ogc_json(&s, "/ogc/collections", "application/json").await;
    let events = &collections["collections"][0];
    assert_eq!(events["id"], "events");
    assert_eq!(
        events,
        &ogc_json(&s, "/ogc/collections/events", "application/json").await
    );
    assert_eq!(
        events["extent"]["spatial"]["bbox"][0],
        serde_json::json!([-179.8, -16.6, 179.5, 55.75])
    );
    assert_eq!(
        events["extent"]["temporal"]["interval"][0],
        serde_json::json!(["2020-09-27T00:00:00Z", "2020-10-21T00:00:00Z"])
    );
    assert_eq!(
        href(events, "items"),
        Some(s.url("/ogc/collections/events/items"))
    );
}

#[tokio::test]
async fn ogc_items_page_and_filter() {
    let s = server().await;
    let (ids, matched) = all_pages(&s, "/ogc/collections/events/items?limit=3").await;
    assert_eq!(matched, COUNT as u64);
    assert_eq!(ids, (1..=COUNT as i64).collect::<Vec<_>>());
    let page = ogc_json(
        &s,
        "/ogc/collections/events/items?limit=100000",
        "application/geo+json",
    )
    .await;
    assert_eq!(
        page["numberReturned"], COUNT,
        "a limit over the maximum is the maximum"
    );
    assert_eq!(href(&page, "next"), None);
    for (query, expected) in [
        ("bbox=179,-20,-179,-10", vec![5, 6]),
        ("bbox=44,38,48,42&limit=1", vec![1, 2, 3, 4]),
        ("datetime=2020-10-04", vec![1]),
        ("datetime=2020-10-04T10:00:00Z", vec![1]),
        ("datetime=../2020-10-01", vec![3, 4]),
        ("datetime=2020-10-20/..", vec![5, 6]),
        (
            "datetime=2020-10-01/2020-10-11&bbox=44,38,48,42",
            vec![1, 2, 4],
        ),
        ("type=riots,protests&f=json", vec![3, 5]),
        ("q=Ganja", vec![2]),
    ] {
        let path = format!("/ogc/collections/events/items?{query}");
        let (ids, matched) = all_pages(&s, &path).await;
        assert_eq!(ids, expected, "{query}");
        assert_eq!(matched, expected.len() as u64, "{query}");
    }
    let one = ogc_json(
        &s,
        "/ogc/collections/events/items/2",
        "application/geo+json",
    )
    .await;
    assert_eq!(
        (one["type"].as_str(), one["id"].as_i64()),
        (Some("Feature"), Some(2))
    );
    assert_eq!(one["properties"]["place_name"], "Ganja");
    assert_eq!(
        href(&one, "self"),
        Some(s.url("/ogc/collections/events/items/2"))
    );
}

#[tokio::test]
async fn ogc_refuses_what_it_does_not_know() {
    let s = server().await;
    for (path, status, needle) in [
        ("/ogc/collections/events/items?bbox=1,2,3", 400, "bbox"),
        (
            "/ogc/collections/events/items?bbox=1,2,0,3,4,5",
            400,
            "bbox",
        ),
        (
            "/ogc/collections/events/items?datetime=soon",
            400,
            "datetime",
        ),
        ("/ogc/collections/events/items?limit=0", 400, "limit"),
        ("/ogc/collections/events/items?zoom=4", 400, "zoom"),
        ("/ogc/collections/events/items?f=html", 400, "f: "),
        ("/ogc/collections/events/items?near=46,40", 400, "radius_km"),
        ("/ogc/collections?f=xml", 400, "f: "),
        ("/ogc/collections/places", 404, "no collection"),
        ("/ogc/collections/places/items", 404, "no collection"),
        ("/ogc/collections/events/items/999", 404, "no event"),
        ("/ogc/collections/events/items/abc", 404, "no event"),
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status().as_u16(), status, "{path}");
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json", "{path}");
        let body: serde_json::Value = r.json().await.expect("JSON");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(needle), "{path}: {message}");
    }
}

#[tokio::test]
async fn gdal_reads_the_ogc_api() {
    let s = server().await;
    let source = format!("OAPIF:{}", s.url("/ogc"));
    let args = vec!["-ro".into(), "-al".into(), "-so".into(), source.clone()];
    let Some(summary) = ogrinfo(args).await else {
        return;
    };
    assert!(summary.contains("Layer name: events"), "{summary}");
    assert!(
        summary.contains(&format!("Feature Count: {COUNT}")),
        "{summary}"
    );
    let args = ["-ro", &source, "events", "-spat", "44", "38", "48", "42"]
        .map(str::to_owned)
        .to_vec();
    let features = ogrinfo(args).await.expect("ogrinfo ran before");
    let ids: Vec<&str> = features
        .lines()
        .filter_map(|l| l.strip_prefix("OGRFeature(events):"))
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4"], "{features}");
}

#[tokio::test]
async fn private_reads_keep_the_services_private() {
    let s = TestServer::start(ApiSettings {
        private_reads: true,
        ..ApiSettings::default()
    })
    .await;
    for path in [
        "/ogc",
        "/ogc/collections/events/items",
        "/api/events.atom",
        "/api/events.kml",
    ] {
        assert_eq!(
            s.get(path).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        let r = common::client()
            .get(s.url(path))
            .bearer_auth(&s.token)
            .send()
            .await
            .expect("an answer");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn deleted_events_leave_the_services() {
    let s = server().await;
    let (status, _) = s
        .write_json(
            reqwest::Method::DELETE,
            "/api/events/3",
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (ids, matched) = all_pages(&s, "/ogc/collections/events/items").await;
    assert_eq!((ids.len(), matched), (COUNT - 1, COUNT as u64 - 1));
    assert!(!ids.contains(&3));
    let gone = s.get("/ogc/collections/events/items/3").await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let hidden = s
        .get("/ogc/collections/events/items?include_deleted=1")
        .await;
    assert_eq!(hidden.status(), StatusCode::UNAUTHORIZED);
    let xml = s.get("/api/events.atom").await.text().await.expect("text");
    assert_eq!(check_atom(&xml).entries().len(), COUNT - 1);
    let kml = s.get("/api/events.kml").await.text().await.expect("text");
    assert_eq!(
        counts(&xml_elements(&kml)).get("kml/Document/Placemark"),
        Some(&(COUNT - 1))
    );
}
