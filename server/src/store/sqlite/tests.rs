//! Tests of the SQLite store on real database files: what each `Store` method writes and reads
//! back, the rules of re-extraction, and the SQL built from filters.

use super::*;
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

#[test]
fn a_document_is_stored_once_by_its_content() {
    let (store, _dir) = open();
    let events = [event(EventType::Battles, 1, 46.75, 39.82, 0)];
    let first = store
        .insert_document(&document("Fighting broke out."), "x-1", &[], &events)
        .expect("stored");
    assert!(first.created);
    assert_eq!(first.changes.len(), 1);
    let again = store
        .insert_document(&document("  Fighting broke out.\n"), "x-1", &[], &events)
        .expect("answered");
    assert!(
        !again.created,
        "the same text, trimmed, is the same document"
    );
    assert_eq!(again.document.id, first.document.id);
    assert!(again.changes.is_empty());
    let found = store
        .document_by_hash(&document("Fighting broke out.").content_hash())
        .expect("read");
    assert_eq!(found.map(|d| d.id), Some(first.document.id));
    assert_eq!(store.counts().expect("counts"), (1, 1));
}

#[test]
fn reextraction_keeps_what_a_person_decided() {
    let (store, _dir) = open();
    let old = [
        event(EventType::Battles, 1, 46.75, 39.82, 0),
        event(EventType::Protests, 2, 44.51, 40.18, 20),
        event(EventType::Riots, 3, 49.87, 40.41, 40),
    ];
    let doc = store
        .insert_document(&document("a b c"), "x-1", &[], &old)
        .expect("stored")
        .document;
    let ids: Vec<EventId> = every_event(&store, &EventFilter::default())
        .iter()
        .map(|e| e.id)
        .collect();
    let mut corrected = old[0].clone();
    corrected.event_type = EventType::ExplosionsRemoteViolence;
    store
        .correct_event(ids[0], &corrected, "tester")
        .expect("corrected");
    store.set_deleted(ids[1], true, "tester").expect("deleted");

    // The new extraction finds none of the old events but the third, and one new one.
    let new = [
        event(EventType::Riots, 3, 49.87, 40.41, 40),
        event(EventType::Diplomacy, 4, 37.62, 55.75, 60),
    ];
    store
        .reextract_document(doc.id, "x-2", &[], &new)
        .expect("re-extracted");
    let after = every_event(
        &store,
        &EventFilter {
            include_deleted: true,
            ..EventFilter::default()
        },
    );
    let by_id = |id| after.iter().find(|e| e.id == id);
    let kept = by_id(ids[0]).expect("the corrected event stays");
    assert_eq!(kept.status, EventStatus::Corrected);
    assert_eq!(kept.event.event_type, EventType::ExplosionsRemoteViolence);
    assert!(by_id(ids[1]).expect("the deleted event stays").deleted);
    assert!(
        by_id(ids[2]).is_some(),
        "a machine event found again keeps its id"
    );
    assert_eq!(after.len(), 4, "{after:?}");
    assert_eq!(store.corrections(ids[0]).expect("trail").len(), 1);
    let stored = store.document(doc.id).expect("read").expect("the document");
    assert_eq!(stored.document.extractor, "x-2");
}

#[test]
fn deleted_events_leave_reads_and_counts_until_restored() {
    let (store, _dir) = open();
    let events = [
        event(EventType::Battles, 1, 46.75, 39.82, 0),
        event(EventType::Battles, 2, 47.0, 40.0, 20),
    ];
    store
        .insert_document(&document("a b"), "x-1", &[], &events)
        .expect("stored");
    let id = every_event(&store, &EventFilter::default())[0].id;
    store.set_deleted(id, true, "tester").expect("deleted");
    assert_eq!(store.counts().expect("counts"), (1, 1));
    assert_eq!(every_event(&store, &EventFilter::default()).len(), 1);
    assert!(store.event(id).expect("read").expect("kept").deleted);
    assert_eq!(store.event_bboxes().expect("bboxes").len(), 1);
    store.set_deleted(id, false, "tester").expect("restored");
    assert_eq!(store.counts().expect("counts"), (1, 2));
    let trail = store.corrections(id).expect("trail");
    assert_eq!(trail.len(), 2, "both changes are in the audit trail");
    assert!(matches!(
        store.set_deleted(999, true, "tester"),
        Err(StoreError::NoEvent(999))
    ));
}

#[test]
fn pages_by_id_visit_every_candidate_past_one_chunk() {
    let (store, _dir) = open();
    let events: Vec<Event> = (0..ID_CHUNK + 10)
        .map(|i| event(EventType::Battles, 1, 46.0, 40.0, i * 20))
        .collect();
    store
        .insert_document(&document("many"), "x-1", &[], &events)
        .expect("stored");
    let all: Vec<EventId> = (1..=events.len() as EventId).collect();
    let odd: Vec<EventId> = all.iter().copied().filter(|id| id % 2 == 1).collect();
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = Page { after, limit: 700 };
        let got = store
            .events(&EventFilter::default(), Some(&odd), page)
            .expect("a page");
        let Some(last) = got.last() else { break };
        after = Some(last.id);
        seen.extend(got.iter().map(|e| e.id));
    }
    assert_eq!(
        seen, odd,
        "every odd id once, in order, across chunks of {ID_CHUNK}"
    );
    let mut rows = 0;
    store
        .scan_events(
            &EventFilter::default(),
            None,
            Some(10),
            Some(5),
            &mut |row| {
                assert!(row.fields.id > 10);
                rows += 1;
                ControlFlow::Continue(())
            },
        )
        .expect("scanned");
    assert_eq!(rows, 5);
}

#[test]
fn filters_select_by_type_date_country_and_text() {
    let (store, _dir) = open();
    let mut dated = event(EventType::Protests, 2, 44.51, 40.18, 0);
    dated.date = Some(extract::EventDate {
        date: NaiveDate::from_ymd_opt(2020, 10, 4).expect("a date"),
        precision: extract::DatePrecision::Day,
        span: None,
    });
    dated.sentence = span(0, "Protesters marched in Yerevan.");
    dated.places[0].country = "AM".into();
    let events = [dated, event(EventType::Battles, 1, 46.75, 39.82, 40)];
    store
        .insert_document(&document("two"), "x-1", &[], &events)
        .expect("stored");
    let count = |f: EventFilter| every_event(&store, &f).len();
    assert_eq!(count(EventFilter::default()), 2);
    let types = vec!["protests".to_owned()];
    assert_eq!(
        count(EventFilter {
            types,
            ..EventFilter::default()
        }),
        1
    );
    let from = NaiveDate::from_ymd_opt(2020, 10, 5);
    assert_eq!(
        count(EventFilter {
            from,
            ..EventFilter::default()
        }),
        0
    );
    let country = Some("am".to_owned());
    assert_eq!(
        count(EventFilter {
            country,
            ..EventFilter::default()
        }),
        1
    );
    let q = Some("Yerevan".to_owned());
    assert_eq!(
        count(EventFilter {
            q,
            ..EventFilter::default()
        }),
        1
    );
    let q = Some("\"Yerevan\" OR".to_owned());
    assert_eq!(
        count(EventFilter {
            q,
            ..EventFilter::default()
        }),
        0,
        "FTS syntax in q is read as words"
    );
}

/// An event dated `y-m-d` at a day's precision.
fn dated(year: i32, month: u32, day: u32) -> Event {
    let mut e = event(EventType::Battles, 1, 46.0, 40.0, 0);
    e.date = Some(extract::EventDate {
        date: NaiveDate::from_ymd_opt(year, month, day).expect("a date"),
        precision: extract::DatePrecision::Day,
        span: None,
    });
    e
}

/// Issue 19, item 8d: `from` and `to` compare days, not their text: an imported date before
/// year 0 or after 9999 is written `-0500-06-01` or `+12345-01-01`, which sort wrong as text.
#[test]
fn date_filters_compare_days_not_text() {
    let (store, _dir) = open();
    let days = [
        (-500, 6, 1),
        (-20, 1, 1),
        (800, 1, 1),
        (2020, 9, 5),
        (12345, 1, 1),
    ];
    let rows: Vec<_> = days
        .iter()
        .map(|&(y, m, d)| (format!("{y}-{m}-{d}"), dated(y, m, d)))
        .collect();
    store.import_events("old.csv", &rows).expect("imported");
    let years = |from: (i32, u32, u32), to: (i32, u32, u32)| {
        let filter = EventFilter {
            from: NaiveDate::from_ymd_opt(from.0, from.1, from.2),
            to: NaiveDate::from_ymd_opt(to.0, to.1, to.2),
            ..EventFilter::default()
        };
        let mut years: Vec<_> = every_event(&store, &filter)
            .iter()
            .filter_map(|e| {
                e.event
                    .date
                    .as_ref()
                    .map(|d| chrono::Datelike::year(&d.date))
            })
            .collect();
        years.sort_unstable();
        years
    };
    assert_eq!(years((-1000, 1, 1), (0, 1, 1)), [-500, -20]);
    assert_eq!(years((-100, 1, 1), (2020, 9, 5)), [-20, 800, 2020]);
    assert_eq!(years((2020, 9, 6), (99999, 1, 1)), [12345]);
    assert_eq!(years((1, 1, 1), (9999, 12, 31)), [800, 2020]);
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

/// Issue 19, item 8g: a line across the antimeridian keeps a box that crosses it, and its row's
/// longitude is the middle of that box, near 180°, not 0°.
#[test]
fn a_line_across_the_antimeridian_is_placed_near_it() {
    let (store, _dir) = open();
    let mut line = event(EventType::Battles, 1, 178.4, -18.1, 0);
    line.geometry = EventGeometry::Line {
        coords: vec![[178.4, -18.1], [-171.8, -13.8]],
    };
    let mut west = line.clone();
    west.geometry = EventGeometry::Line {
        coords: vec![[-179.0, -18.1], [172.0, -13.8]],
    };
    let rows = [("a".to_owned(), line), ("b".to_owned(), west)];
    store
        .import_events("lines.geojson", &rows)
        .expect("imported");
    let boxes = store.event_bboxes().expect("boxes");
    assert!(
        boxes.iter().all(|(_, b)| b.min_lon > b.max_lon),
        "{boxes:?}"
    );
    let mut lons = Vec::new();
    store
        .scan_events(&EventFilter::default(), None, None, None, &mut |row| {
            lons.push(row.fields.lon);
            ControlFlow::Continue(())
        })
        .expect("scanned");
    assert!((lons[0] - -176.7).abs() < 1e-9, "{lons:?}");
    assert!((lons[1] - 176.5).abs() < 1e-9, "{lons:?}");
}

#[test]
fn imports_skip_what_was_imported_before() {
    let (store, _dir) = open();
    let rows = vec![
        (
            "acled-1".to_owned(),
            event(EventType::Battles, 1, 46.0, 40.0, 0),
        ),
        (
            "acled-2".to_owned(),
            event(EventType::Riots, 2, 47.0, 41.0, 0),
        ),
    ];
    let first = store.import_events("acled.csv", &rows).expect("imported");
    assert_eq!((first.inserted, first.skipped), (2, 0));
    let again = store.import_events("acled.csv", &rows).expect("imported");
    assert_eq!((again.inserted, again.skipped), (0, 2));
    assert_eq!(store.counts().expect("counts"), (0, 2));
}

#[test]
fn tokens_are_found_by_their_hash_only() {
    let (store, _dir) = open();
    let made = store.insert_token("analyst", "h1", None).expect("stored");
    let found = store.token_by_hash("h1").expect("read").expect("found");
    assert_eq!((found.id, found.name.as_str()), (made.id, "analyst"));
    assert!(store.token_by_hash("h2").expect("read").is_none());
}

#[test]
fn expired_and_revoked_tokens_and_their_sessions_are_refused() {
    let (store, _dir) = open();
    let past = "2000-01-01T00:00:00.000Z";
    let future = "2999-01-01T00:00:00.000Z";
    store
        .insert_token("old", "h-old", Some(past))
        .expect("stored");
    let kept = store
        .insert_token("kept", "h-kept", Some(future))
        .expect("stored");
    let gone = store.insert_token("gone", "h-gone", None).expect("stored");
    assert!(store.token_by_hash("h-old").expect("read").is_none());
    assert!(store.token_by_hash("h-kept").expect("read").is_some());
    store
        .insert_session(kept.id, "s-kept", future)
        .expect("a session");
    store
        .insert_session(kept.id, "s-stale", past)
        .expect("a session");
    store
        .insert_session(gone.id, "s-gone", future)
        .expect("a session");
    assert!(store.session_token("s-stale").expect("read").is_none());
    assert_eq!(
        store.session_token("s-gone").expect("read").map(|t| t.id),
        Some(gone.id)
    );

    let revoked = store.revoke_tokens(&gone.id.to_string()).expect("revoked");
    assert_eq!(revoked.iter().map(|t| t.id).collect::<Vec<_>>(), [gone.id]);
    assert!(store.token_by_hash("h-gone").expect("read").is_none());
    assert!(store.session_token("s-gone").expect("read").is_none());
    assert!(
        store
            .revoke_tokens("gone")
            .expect("nothing left")
            .is_empty()
    );

    store.revoke_session("s-kept").expect("signed out");
    assert!(store.session_token("s-kept").expect("read").is_none());
    let listed = store.tokens().expect("the list");
    assert_eq!(listed.len(), 3);
    assert!(listed[2].revoked.is_some() && listed[1].revoked.is_none());
    store.touch_token(kept.id).expect("touched");
    assert!(store.tokens().expect("the list")[1].last_used.is_some());
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
        "day >= ?1 AND confidence >= ?2 AND event_type IN (?3, ?4) AND deleted = 0"
    );
    assert_eq!(params.len(), 4);
    assert_eq!(
        filter_sql(&EventFilter::default(), &mut Vec::new()),
        "deleted = 0"
    );
}

#[test]
fn fts_queries_quote_every_word() {
    assert_eq!(fts_query("Ganja  Bakou"), "\"Ganja\" \"Bakou\"");
    assert_eq!(fts_query("a\"b OR c*"), "\"a\"\"b\" \"OR\" \"c*\"");
    assert_eq!(fts_query("   "), "");
}
