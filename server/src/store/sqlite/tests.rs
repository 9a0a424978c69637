//! Tests of what is SQLite's own in the SQLite store, on real database files: its migrations,
//! the SQL built from filters and the notice of other connections' writes. What every store
//! does is checked on both stores by the conformance suite, `server/tests/store.rs`.

use super::*;
use chrono::NaiveDate;
use extract::{EventGeometry, EventPlace, EventType, LocationPrecision, TextSpan};

/// A fresh database file in its own folder (kept alive by the returned guard).
fn open() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = SqliteStore::open(dir.path().join("karta.db")).expect("the database opens");
    (store, dir)
}

fn span(start: usize, text: &str) -> TextSpan {
    TextSpan {
        start,
        end: start + text.len(),
        char_start: start,
        char_end: start + text.chars().count(),
        text: text.into(),
    }
}

/// An event of `kind` at a place, reported by the sentence starting at byte `sentence_start`.
fn event(kind: EventType, place_id: u32, lon: f64, lat: f64, sentence_start: usize) -> Event {
    Event {
        event_type: kind,
        sub_type: "Armed clash".into(),
        action: "armed_clash".into(),
        date: None,
        geometry: EventGeometry::Point { lon, lat },
        places: vec![EventPlace {
            place_id,
            name: format!("place {place_id}"),
            lat,
            lon,
            country: "AZ".into(),
            mention: None,
        }],
        location_precision: LocationPrecision::Exact,
        geo_precision: 1,
        actors: Vec::new(),
        actor1: None,
        actor2: None,
        claim: None,
        sentence: span(sentence_start, "Fighting broke out."),
        evidence: Vec::new(),
        confidence: 0.8,
        mentions: Vec::new(),
        fatalities: None,
        wounded: None,
    }
}

fn document(text: &str) -> NewDocument {
    NewDocument {
        text: text.into(),
        title: Some("t".into()),
        url: None,
        lang: Some("en".into()),
        published: NaiveDate::from_ymd_opt(2020, 10, 4),
    }
}

fn every_event(store: &SqliteStore, filter: &EventFilter) -> Vec<StoredEvent> {
    let page = Page {
        after: None,
        limit: 1000,
    };
    store.events(filter, None, page).expect("events")
}

/// The migration fills `day` from the dates of earlier files with SQLite's `julianday`, which
/// must count as chrono does.
#[test]
fn the_migration_counts_days_as_chrono_does() {
    let (store, _dir) = open();
    for day in [
        "0000-01-01",
        "0001-01-01",
        "1582-10-15",
        "2020-09-05",
        "9999-12-31",
    ] {
        let counted: i64 = store
            .writer()
            .query_row(
                "SELECT CAST(julianday(?1) - 1721424.5 AS INTEGER)",
                [day],
                |r| r.get(0),
            )
            .expect("counted");
        let date: NaiveDate = day.parse().expect("a date");
        assert_eq!(counted, i64::from(date.num_days_from_ce()), "{day}");
    }
}

#[test]
fn writes_of_another_connection_are_noticed() {
    let (store, dir) = open();
    assert!(!store.changed_elsewhere().expect("first look"));
    let other = SqliteStore::open(dir.path().join("karta.db")).expect("a second handle");
    other
        .insert_document(&document("elsewhere"), "x-1", &[], &[])
        .expect("stored");
    assert!(store.changed_elsewhere().expect("second look"));
    assert!(!store.changed_elsewhere().expect("third look"));
}

#[test]
fn a_database_of_a_newer_karta_is_refused() {
    let (store, dir) = open();
    store
        .writer()
        .execute("UPDATE schema_version SET version = version + 1", [])
        .expect("bumped");
    drop(store);
    match SqliteStore::open(dir.path().join("karta.db")) {
        Err(StoreError::NewerSchema { found, known }) => assert_eq!(found, known + 1),
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn filter_sql_numbers_its_parameters_in_order() {
    let mut params = Vec::new();
    let filter = EventFilter {
        from: NaiveDate::from_ymd_opt(2020, 9, 27),
        types: vec!["battles".into(), "riots".into()],
        min_confidence: Some(0.5),
        ..EventFilter::default()
    };
    let sql = filter_sql(&filter, &mut params);
    assert_eq!(
        sql,
        "day >= ?1 AND confidence >= ?2 AND event_type IN (?3, ?4) AND deleted = 0 \
         AND incident IS NULL"
    );
    assert_eq!(params.len(), 4);
    assert_eq!(
        filter_sql(&EventFilter::default(), &mut Vec::new()),
        "deleted = 0 AND incident IS NULL"
    );
}

#[test]
fn fts_queries_quote_every_word() {
    assert_eq!(fts_query("Ganja  Bakou"), "\"Ganja\" \"Bakou\"");
    assert_eq!(fts_query("a\"b OR c*"), "\"a\"\"b\" \"OR\" \"c*\"");
    assert_eq!(fts_query("   "), "");
}

/// A strike on Stepanakert on 4 October 2020 as one outlet reports it, `dead` killed.
fn strike(place_id: u32, lon: f64, lat: f64, day: u32, dead: u32) -> Event {
    let mut e = event(EventType::ExplosionsRemoteViolence, place_id, lon, lat, 0);
    e.sub_type = "Shelling/artillery/missile attack".into();
    e.date = Some(extract::EventDate {
        date: NaiveDate::from_ymd_opt(2020, 10, day).expect("a day"),
        precision: extract::DatePrecision::Day,
        span: None,
    });
    e.fatalities = Some(dead);
    e
}

#[test]
fn a_database_of_the_first_version_gets_its_events_sources() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("karta.db");
    // A file of the first version, with a document and its event as that version stored them.
    let mut conn = Connection::open(&path).expect("opened");
    schema::migrate_to(&mut conn, 1).expect("the first version");
    let tx = conn.transaction().expect("a transaction");
    tx.execute(
        "INSERT INTO documents (content_hash, text, url, ingested, extractor) \
         VALUES ('h', 'a', 'https://a.example/1', 'x', 'x-1')",
        [],
    )
    .expect("a document");
    let strike = strike(1, 46.75, 39.82, 4, 13);
    let c = Columns::of(&strike).expect("columns");
    let mut params = c.params(&strike);
    // The first version had no day column.
    params.retain(|(name, _)| *name != ":day");
    params.push((":at", &"2020-10-04T12:00:00Z"));
    tx.execute(
        "INSERT INTO events (document_id, key, status, event_type, sub_type, date, \
         date_precision, location_precision, country, place_id, place_name, actors, claim, \
         sentence, confidence, geometry, min_lon, min_lat, max_lon, max_lat, data, created, \
         updated) VALUES (1, 'k', 'machine', :event_type, :sub_type, :date, :date_precision, \
         :location_precision, :country, :place_id, :place_name, :actors, :claim, :sentence, \
         :confidence, :geometry, :min_lon, :min_lat, :max_lon, :max_lat, :data, :at, :at)",
        params.as_slice(),
    )
    .expect("an event of the first version");
    tx.commit().expect("committed");
    drop(conn);
    let store = SqliteStore::open(&path).expect("migrated");
    let events = every_event(&store, &EventFilter::default());
    let urls: Vec<Option<&str>> = events[0].sources.iter().map(|s| s.url.as_deref()).collect();
    assert_eq!(urls, [Some("https://a.example/1")]);
}
