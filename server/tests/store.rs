//! The conformance suite of the stores: every `Store` method, checked on a fresh SQLite file
//! and on a fresh PostgreSQL + PostGIS database (when `KARTA_TEST_POSTGRES` names a cluster,
//! as `scripts/with-postgres` sets it), with the same tests: what each method writes and reads
//! back, the rules of re-extraction and incidents, filters, tokens and feeds.

mod common;

use chrono::NaiveDate;
use common::db::TestDb;
use extract::{Event, EventGeometry, EventPlace, EventType, LocationPrecision, TextSpan};
use karta::rtree::{Bbox, EventIndex};
use karta::store::{
    Area, Cell, CellRange, EventExtent, EventFilter, EventId, EventStatus, FeedPoll, Grid,
    NewDocument, NewFeed, NewReference, Page, Place, PlaceSum, Role, Store, StoreError,
    StoredEvent, Validators, bin_events, sum_places,
};
use std::ops::ControlFlow;

/// The ids SQLite's store passes per query when given candidates: pages must cross it.
const SQLITE_ID_CHUNK: usize = 4096;

/// Declares each test twice: on SQLite (`sqlite::name`) and on PostgreSQL (`postgres::name`,
/// which says so and passes when no cluster is given).
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    let db = crate::TestDb::sqlite();
                    super::$name(db.store.as_ref());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    let Some(db) = crate::TestDb::postgres() else {
                        eprintln!("KARTA_TEST_POSTGRES is not set: skipped on PostgreSQL");
                        return;
                    };
                    super::$name(db.store.as_ref());
                }
            )*
        }
    };
}

conformance!(
    a_document_is_stored_once_by_its_content,
    a_row_shows_the_figures_precision_and_actors_of_its_event,
    reextraction_keeps_what_a_person_decided,
    deleted_events_leave_reads_and_counts_until_restored,
    a_reviewer_verifies_and_a_correction_undoes_it,
    pages_by_id_visit_every_candidate_past_one_chunk,
    counts_and_extent_follow_filters_and_deletions,
    filters_select_by_type_date_country_and_text,
    date_filters_compare_days_not_text,
    a_line_across_the_antimeridian_is_placed_near_it,
    imports_skip_what_was_imported_before,
    tokens_are_found_by_their_hash_only,
    expired_and_revoked_tokens_and_their_sessions_are_refused,
    two_documents_reporting_one_strike_give_one_event_with_two_sources,
    reports_of_other_places_days_or_of_one_document_stay_apart,
    reextraction_and_corrections_keep_one_incident,
    feeds_are_added_once_listed_and_removed,
    polls_keep_validators_count_items_and_track_failures,
    item_links_outlive_their_feed,
    places_are_located_as_the_r_tree_finds_them,
    an_area_in_the_filter_selects_what_the_r_tree_finds,
    sums_of_cells_match_the_events_and_follow_changes,
    strips_are_binned_as_the_events_the_index_finds_in_them,
    a_due_feed_is_taken_by_one_poller_until_its_claim_ends,
    reference_layers_are_kept_listed_and_removed,
    sums_per_place_match_the_rows,
);

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

fn every_event(store: &dyn Store, filter: &EventFilter) -> Vec<StoredEvent> {
    let page = Page {
        after: None,
        limit: 1000,
    };
    store.events(filter, None, page).expect("events")
}

fn a_document_is_stored_once_by_its_content(store: &dyn Store) {
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

fn reextraction_keeps_what_a_person_decided(store: &dyn Store) {
    let old = [
        event(EventType::Battles, 1, 46.75, 39.82, 0),
        event(EventType::Protests, 2, 44.51, 40.18, 20),
        event(EventType::Riots, 3, 49.87, 40.41, 40),
    ];
    let doc = store
        .insert_document(&document("a b c"), "x-1", &[], &old)
        .expect("stored")
        .document;
    let ids: Vec<EventId> = every_event(store, &EventFilter::default())
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
        store,
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

fn deleted_events_leave_reads_and_counts_until_restored(store: &dyn Store) {
    let events = [
        event(EventType::Battles, 1, 46.75, 39.82, 0),
        event(EventType::Battles, 2, 47.0, 40.0, 20),
    ];
    store
        .insert_document(&document("a b"), "x-1", &[], &events)
        .expect("stored");
    let id = every_event(store, &EventFilter::default())[0].id;
    store.set_deleted(id, true, "tester").expect("deleted");
    assert_eq!(store.counts().expect("counts"), (1, 1));
    assert_eq!(every_event(store, &EventFilter::default()).len(), 1);
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

/// Verification is a status: the filter finds it, the trail records it, taking it back or a
/// later correction makes the event `corrected`, and re-extraction leaves it alone.
fn a_reviewer_verifies_and_a_correction_undoes_it(store: &dyn Store) {
    let events = [
        event(EventType::Battles, 1, 46.75, 39.82, 0),
        event(EventType::Protests, 2, 47.0, 40.0, 20),
    ];
    let doc = store
        .insert_document(&document("a b"), "x-1", &[], &events)
        .expect("stored");
    let ids: Vec<EventId> = every_event(store, &EventFilter::default())
        .iter()
        .map(|e| e.id)
        .collect();
    let verified = store.set_verified(ids[0], true, "judge").expect("verified");
    assert_eq!(verified.status, EventStatus::Verified);
    let only = |statuses: Vec<EventStatus>| {
        let filter = EventFilter {
            statuses,
            ..EventFilter::default()
        };
        let found: Vec<EventId> = every_event(store, &filter).iter().map(|e| e.id).collect();
        found
    };
    assert_eq!(only(vec![EventStatus::Verified]), [ids[0]]);
    assert_eq!(only(vec![EventStatus::Machine]), [ids[1]]);
    assert_eq!(only(vec![EventStatus::Machine, EventStatus::Verified]), ids);
    let trail = store.corrections(ids[0]).expect("trail");
    assert_eq!(
        (trail[0].action.as_str(), trail[0].who.as_str()),
        ("verify", "judge")
    );
    store
        .reextract_document(doc.document.id, "x-2", &[], &[events[1].clone()])
        .expect("re-extracted");
    assert_eq!(
        store.event(ids[0]).expect("read").expect("kept").status,
        EventStatus::Verified,
        "re-extraction leaves a verified event alone"
    );
    let mut moved = verified.event.clone();
    moved.event_type = EventType::Riots;
    let corrected = store
        .correct_event(ids[0], &moved, "hand")
        .expect("corrected");
    assert_eq!(corrected.status, EventStatus::Corrected);
    store.set_verified(ids[0], true, "judge").expect("verified");
    let taken_back = store
        .set_verified(ids[0], false, "judge")
        .expect("unverified");
    assert_eq!(taken_back.status, EventStatus::Corrected);
    assert!(matches!(
        store.set_verified(999, true, "judge"),
        Err(StoreError::NoEvent(999))
    ));
}

fn pages_by_id_visit_every_candidate_past_one_chunk(store: &dyn Store) {
    let events: Vec<Event> = (0..SQLITE_ID_CHUNK + 10)
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
        "every odd id once, in order, across chunks of {SQLITE_ID_CHUNK}"
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

fn counts_and_extent_follow_filters_and_deletions(store: &dyn Store) {
    assert_eq!(
        store.event_extent().expect("extent"),
        EventExtent::default()
    );
    let mut dated = event(EventType::Protests, 2, 44.51, 40.18, 0);
    dated.date = Some(extract::EventDate {
        date: NaiveDate::from_ymd_opt(2020, 9, 27).expect("a date"),
        precision: extract::DatePrecision::Day,
        span: None,
    });
    let events = [
        dated,
        event(EventType::Battles, 1, 46.75, 39.82, 20),
        event(EventType::Battles, 3, 179.5, -16.5, 40),
    ];
    store
        .insert_document(&document("a b c"), "x-1", &[], &events)
        .expect("stored");
    let battles = EventFilter {
        types: vec!["battles".into()],
        ..EventFilter::default()
    };
    assert_eq!(
        store
            .count_events(&EventFilter::default(), None)
            .expect("n"),
        3
    );
    assert_eq!(store.count_events(&battles, None).expect("n"), 2);
    assert_eq!(store.count_events(&battles, Some(&[1, 2])).expect("n"), 1);
    let extent = store.event_extent().expect("extent");
    assert_eq!(
        extent.bbox,
        Some(Bbox {
            min_lon: 44.51,
            min_lat: -16.5,
            max_lon: 179.5,
            max_lat: 40.18
        })
    );
    let day = NaiveDate::from_ymd_opt(2020, 9, 27);
    assert_eq!((extent.first, extent.last), (day, day));
    store.set_deleted(3, true, "tester").expect("deleted");
    assert_eq!(store.count_events(&battles, None).expect("n"), 1);
    let extent = store.event_extent().expect("extent");
    assert_eq!(extent.bbox.map(|b| b.max_lon), Some(46.75));
}

fn filters_select_by_type_date_country_and_text(store: &dyn Store) {
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
    let count = |f: EventFilter| every_event(store, &f).len();
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
    for q in ["yerevan", "YEREVAN", "Yérévan"] {
        let q = Some(q.to_owned());
        let filter = EventFilter {
            q,
            ..EventFilter::default()
        };
        assert_eq!(count(filter), 1, "case and accents aside");
    }
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
fn date_filters_compare_days_not_text(store: &dyn Store) {
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
        let mut years: Vec<_> = every_event(store, &filter)
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

/// Issue 19, item 8g: a line across the antimeridian keeps a box that crosses it, and its row's
/// longitude is the middle of that box, near 180°, not 0°.
fn a_line_across_the_antimeridian_is_placed_near_it(store: &dyn Store) {
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

fn a_row_shows_the_figures_precision_and_actors_of_its_event(store: &dyn Store) {
    let mut told = event(EventType::ExplosionsRemoteViolence, 1, 46.36, 40.68, 0);
    told.fatalities = Some(13);
    told.wounded = Some(4);
    told.geo_precision = 2;
    told.actor1 = Some(span(0, "Armenian forces"));
    told.actor2 = Some(span(20, "civilians in Ganja"));
    let bare = event(EventType::Battles, 2, 46.7, 39.8, 0);
    let rows = [("told".to_owned(), told), ("bare".to_owned(), bare)];
    store.import_events("figures.csv", &rows).expect("imported");
    let mut seen = Vec::new();
    store
        .scan_events(&EventFilter::default(), None, None, None, &mut |row| {
            let f = row.fields;
            seen.push((f.fatalities, f.wounded, f.geo_precision, f.actor1, f.actor2));
            ControlFlow::Continue(())
        })
        .expect("scanned");
    assert_eq!(
        seen,
        [
            (
                Some(13),
                Some(4),
                Some(2),
                Some("Armenian forces".to_owned()),
                Some("civilians in Ganja".to_owned())
            ),
            (None, None, Some(1), None, None),
        ]
    );
}

fn imports_skip_what_was_imported_before(store: &dyn Store) {
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

fn tokens_are_found_by_their_hash_only(store: &dyn Store) {
    let made = store
        .insert_token("analyst", "h1", None, Role::Editor)
        .expect("stored");
    let found = store.token_by_hash("h1").expect("read").expect("found");
    assert_eq!((found.id, found.name.as_str()), (made.id, "analyst"));
    assert!(store.token_by_hash("h2").expect("read").is_none());
    for role in Role::ALL {
        let hash = format!("h-{}", role.as_str());
        store
            .insert_token(role.as_str(), &hash, None, role)
            .expect("stored");
        let found = store.token_by_hash(&hash).expect("read").expect("found");
        assert_eq!(found.role, role);
    }
}

fn expired_and_revoked_tokens_and_their_sessions_are_refused(store: &dyn Store) {
    let past = "2000-01-01T00:00:00.000Z";
    let future = "2999-01-01T00:00:00.000Z";
    store
        .insert_token("old", "h-old", Some(past), Role::Reader)
        .expect("stored");
    let kept = store
        .insert_token("kept", "h-kept", Some(future), Role::Reviewer)
        .expect("stored");
    let gone = store
        .insert_token("gone", "h-gone", None, Role::Editor)
        .expect("stored");
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
    assert_eq!(
        store.session_token("s-kept").expect("read").map(|t| t.role),
        Some(Role::Reviewer)
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

/// A document from `url` with `text`.
fn from(url: &str, text: &str) -> NewDocument {
    NewDocument {
        url: Some(url.into()),
        ..document(text)
    }
}

fn two_documents_reporting_one_strike_give_one_event_with_two_sources(store: &dyn Store) {
    let armenian = from("https://news.am/1", "Stepanakert was shelled, 13 dead.");
    let first = store
        .insert_document(&armenian, "x-1", &[], &[strike(1, 46.75, 39.82, 4, 13)])
        .expect("stored");
    // The other side's report: 21 dead, placed 3 km away, the same day.
    let azeri = from("https://apa.az/2", "Khankendi struck, 21 dead.");
    let second = store
        .insert_document(&azeri, "x-1", &[], &[strike(2, 46.78, 39.81, 4, 21)])
        .expect("stored");
    let follower = second.changes.last().expect("a change");
    assert_eq!(follower.bbox, None, "the second report leaves the map");
    let events = every_event(store, &EventFilter::default());
    assert_eq!(events.len(), 1);
    let sources: Vec<(Option<&str>, Option<u32>)> = events[0]
        .sources
        .iter()
        .map(|s| (s.url.as_deref(), s.fatalities))
        .collect();
    assert_eq!(
        sources,
        [
            (Some("https://news.am/1"), Some(13)),
            (Some("https://apa.az/2"), Some(21))
        ]
    );
    assert_eq!(store.counts().expect("counts"), (2, 1));
    assert_eq!(store.event_bboxes().expect("boxes").len(), 1);
    let by_second = EventFilter {
        document: Some(second.document.id),
        ..EventFilter::default()
    };
    assert_eq!(
        every_event(store, &by_second).len(),
        1,
        "filter by document"
    );
    let by_outlet = |outlet: &str| EventFilter {
        source: Some(outlet.into()),
        ..EventFilter::default()
    };
    assert_eq!(every_event(store, &by_outlet("APA.az")).len(), 1);
    assert_eq!(every_event(store, &by_outlet("lemonde.fr")).len(), 0);
    let lead = events[0].id;
    assert_eq!(
        first.document.id,
        events[0].document_id.expect("a document")
    );
    let followed = store
        .event(events[0].sources[1].event_id)
        .expect("read")
        .expect("the follower is kept");
    assert_eq!(followed.incident, Some(lead));
}

fn reports_of_other_places_days_or_of_one_document_stay_apart(store: &dyn Store) {
    let two_strikes = [strike(1, 46.75, 39.82, 4, 1), strike(3, 46.76, 39.83, 4, 2)];
    store
        .insert_document(&from("https://a.example/1", "a"), "x-1", &[], &two_strikes)
        .expect("stored");
    let others = [
        // Ganja, 170 km away, the same day.
        strike(4, 46.36, 40.68, 4, 0),
        // Stepanakert a week later.
        strike(1, 46.75, 39.82, 11, 0),
    ];
    store
        .insert_document(&from("https://b.example/2", "b"), "x-1", &[], &others)
        .expect("stored");
    assert_eq!(every_event(store, &EventFilter::default()).len(), 4);
    // A third document reports both strikes of the first: each follows its own.
    let both = [strike(1, 46.75, 39.82, 4, 1), strike(3, 46.76, 39.83, 4, 2)];
    store
        .insert_document(&from("https://c.example/3", "c"), "x-1", &[], &both)
        .expect("stored");
    let events = every_event(store, &EventFilter::default());
    let counts: Vec<usize> = events.iter().map(|e| e.sources.len()).collect();
    assert_eq!(counts, [2, 2, 1, 1]);
}

fn reextraction_and_corrections_keep_one_incident(store: &dyn Store) {
    let a = store
        .insert_document(
            &from("https://a.example/1", "a"),
            "x-1",
            &[],
            &[strike(1, 46.75, 39.82, 4, 13)],
        )
        .expect("stored");
    let b = store
        .insert_document(
            &from("https://b.example/2", "b"),
            "x-1",
            &[],
            &[strike(2, 46.78, 39.81, 4, 21)],
        )
        .expect("stored");
    let before = every_event(store, &EventFilter::default());
    // Re-extracting either document, twice, gives the same incident.
    for doc in [a.document.id, b.document.id, a.document.id] {
        let events = store
            .document(doc)
            .expect("read")
            .expect("a document")
            .events;
        let again: Vec<Event> = events.into_iter().map(|e| e.event).collect();
        store
            .reextract_document(doc, "x-2", &[], &again)
            .expect("re-extracted");
        let now = every_event(store, &EventFilter::default());
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].id, before[0].id);
        assert_eq!(now[0].sources.len(), 2);
    }
    // When the first document no longer reports it, the second's event is back on the map.
    let gone = store
        .reextract_document(a.document.id, "x-3", &[], &[])
        .expect("re-extracted");
    let back = gone
        .changes
        .iter()
        .find(|c| c.bbox.is_some())
        .expect("one event back");
    let now = every_event(store, &EventFilter::default());
    assert_eq!(
        (now.len(), now[0].id, now[0].sources.len()),
        (1, back.id, 1)
    );
    // A correction sent to a follower's id applies to the event it is shown as.
    store
        .reextract_document(a.document.id, "x-4", &[], &[strike(1, 46.75, 39.82, 4, 13)])
        .expect("re-extracted");
    let shown = every_event(store, &EventFilter::default());
    let follower = shown[0].sources[1].event_id;
    let deleted = store
        .set_deleted(follower, true, "tester")
        .expect("deleted");
    assert_eq!(deleted.id, shown[0].id);
    assert!(every_event(store, &EventFilter::default()).is_empty());
}

fn new_feed(url: &str) -> NewFeed {
    NewFeed {
        url: url.into(),
        name: Some("Le Monde".into()),
        lang: Some("fr".into()),
        every_secs: 900,
    }
}

/// A successful poll at `at` that brings new validators.
fn poll_at(at: chrono::DateTime<chrono::Utc>, etag: &str) -> FeedPoll {
    FeedPoll {
        at,
        status: Some(200),
        error: None,
        failed: false,
        validators: Some(Validators {
            etag: Some(etag.into()),
            last_modified: None,
        }),
        items_seen: 3,
        items_stored: 2,
        next_poll: at + chrono::Duration::minutes(15),
    }
}

fn feeds_are_added_once_listed_and_removed(store: &dyn Store) {
    let added = store
        .insert_feed(&new_feed("http://127.0.0.1:9/rss"))
        .expect("added");
    assert_eq!(added.every_secs, 900);
    assert_eq!(added.health.next_poll, added.added, "due at once");
    assert!(matches!(
        store.insert_feed(&new_feed("http://127.0.0.1:9/rss")),
        Err(StoreError::DuplicateFeed(_))
    ));
    store
        .insert_feed(&new_feed("http://127.0.0.1:9/atom"))
        .expect("a second feed");
    let urls: Vec<String> = store
        .feeds()
        .expect("listed")
        .into_iter()
        .map(|f| f.url)
        .collect();
    assert_eq!(urls, ["http://127.0.0.1:9/rss", "http://127.0.0.1:9/atom"]);
    assert!(store.delete_feed(added.id).expect("deleted"));
    assert!(!store.delete_feed(added.id).expect("a second delete"));
    assert_eq!(store.feeds().expect("listed").len(), 1);
}

fn polls_keep_validators_count_items_and_track_failures(store: &dyn Store) {
    let feed = store
        .insert_feed(&new_feed("http://127.0.0.1:9/rss"))
        .expect("added");
    let t0 = chrono::Utc::now();
    store
        .record_poll(feed.id, &poll_at(t0, "\"v1\""))
        .expect("a poll");
    let failed = FeedPoll {
        status: Some(500),
        error: Some("HTTP 500".into()),
        failed: true,
        validators: None,
        items_seen: 0,
        items_stored: 0,
        ..poll_at(t0 + chrono::Duration::minutes(15), "unused")
    };
    store.record_poll(feed.id, &failed).expect("a failure");
    let later = FeedPoll {
        at: t0 + chrono::Duration::minutes(30),
        ..failed.clone()
    };
    store
        .record_poll(feed.id, &later)
        .expect("a second failure");
    let stored = &store.feeds().expect("listed")[0];
    assert_eq!(stored.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(stored.health.items_seen, 3);
    assert_eq!(stored.health.items_stored, 2);
    assert_eq!(stored.health.failures, 2);
    assert_eq!(
        stored.health.failing_since.map(|t| t.timestamp_millis()),
        Some(failed.at.timestamp_millis()),
        "failing since the first failure"
    );
    store
        .record_poll(feed.id, &poll_at(t0 + chrono::Duration::hours(1), "\"v2\""))
        .expect("a recovery");
    let stored = &store.feeds().expect("listed")[0];
    assert_eq!(stored.health.failures, 0);
    assert_eq!(stored.health.failing_since, None);
    assert_eq!(stored.health.status, Some(200));
    assert_eq!(stored.validators.etag.as_deref(), Some("\"v2\""));
}

fn item_links_outlive_their_feed(store: &dyn Store) {
    let feed = store
        .insert_feed(&new_feed("http://127.0.0.1:9/rss"))
        .expect("added");
    let link = "http://127.0.0.1:9/a/1";
    assert!(!store.feed_item_seen(link).expect("asked"));
    store
        .record_feed_item(feed.id, link, None)
        .expect("recorded");
    store
        .record_feed_item(feed.id, link, None)
        .expect("recorded twice");
    assert!(store.delete_feed(feed.id).expect("deleted"));
    assert!(store.feed_item_seen(link).expect("asked"));
    store
        .record_feed_item(feed.id, "http://127.0.0.1:9/a/2", None)
        .expect("an item of a removed feed");
}

/// The ids the store finds at `place`, or, for a store that does not index places, the R-tree
/// of its boxes, as the server asks them.
fn located(store: &dyn Store, place: Place) -> Vec<EventId> {
    if let Some(ids) = store.locate(&place).expect("located") {
        return ids;
    }
    let index = EventIndex::build(store.event_bboxes().expect("boxes"));
    karta::ingest::locate_in_index(&index, place)
}

/// Stores events at Stepanakert (1), Shusha (2), Ganja (3), Yerevan (4), Suva (5), on a line
/// across the antimeridian (6) and a deleted one near Stepanakert (7).
fn store_places(store: &dyn Store) {
    let mut line = event(EventType::Battles, 9, 178.4, -18.1, 0);
    line.geometry = EventGeometry::Line {
        coords: vec![[178.4, -18.1], [-171.8, -13.8]],
    };
    let rows = [
        (
            "stepanakert".to_owned(),
            event(EventType::Battles, 1, 46.7519, 39.8153, 0),
        ),
        (
            "shusha".to_owned(),
            event(EventType::Battles, 2, 46.75, 39.7611, 0),
        ),
        (
            "ganja".to_owned(),
            event(EventType::Battles, 3, 46.3606, 40.6828, 0),
        ),
        (
            "yerevan".to_owned(),
            event(EventType::Battles, 4, 44.5136, 40.1811, 0),
        ),
        (
            "suva".to_owned(),
            event(EventType::Battles, 5, 178.44, -18.14, 0),
        ),
        ("line".to_owned(), line),
        (
            "gone".to_owned(),
            event(EventType::Battles, 6, 46.76, 39.80, 0),
        ),
    ];
    store.import_events("places.csv", &rows).expect("imported");
    store.set_deleted(7, true, "tester").expect("deleted");
}

/// Boxes (across the antimeridian too), radii and nearest events: PostGIS finds what the
/// R-tree finds, leaving out deleted events and those that follow another.
fn places_are_located_as_the_r_tree_finds_them(store: &dyn Store) {
    store_places(store);
    let karabakh = Bbox::from([46.5, 39.5, 47.0, 40.0]);
    assert_eq!(located(store, Place::Within(Area::Bbox(karabakh))), [1, 2]);
    let across = Bbox::from([175.0, -20.0, -175.0, -10.0]);
    assert_eq!(located(store, Place::Within(Area::Bbox(across))), [5, 6]);
    let west = Bbox::from([-175.0, -20.0, -170.0, -10.0]);
    assert_eq!(located(store, Place::Within(Area::Bbox(west))), [6]);
    let at_0 = Bbox::from([-10.0, -20.0, 10.0, -10.0]);
    assert!(located(store, Place::Within(Area::Bbox(at_0))).is_empty());
    let radius = |km| {
        Place::Within(Area::Radius {
            lon: 46.7519,
            lat: 39.8153,
            km,
        })
    };
    assert_eq!(located(store, radius(10.0)), [1, 2]);
    assert_eq!(located(store, radius(110.0)), [1, 2, 3]);
    let nearest = Place::Nearest {
        lon: 46.3606,
        lat: 40.6828,
        k: 2,
    };
    assert_eq!(located(store, nearest), [3, 1]);
    let by_line = Place::Within(Area::Radius {
        lon: -179.9,
        lat: -15.0,
        km: 1.0,
    });
    assert_eq!(located(store, by_line), [6]);
}

/// A database migrated by a newer karta is refused, on PostgreSQL as on SQLite.
#[test]
fn a_postgres_database_of_a_newer_karta_is_refused() {
    let Some(db) = TestDb::postgres() else {
        eprintln!("KARTA_TEST_POSTGRES is not set: skipped");
        return;
    };
    let mut client = ::postgres::Client::connect(&db.db, ::postgres::NoTls).expect("connected");
    client
        .batch_execute("UPDATE schema_version SET version = version + 1")
        .expect("bumped");
    match karta::store::open(&db.db) {
        Err(StoreError::NewerSchema { found, known }) => assert_eq!(found, known + 1),
        Err(e) => panic!("expected NewerSchema, got {e}"),
        Ok(_) => panic!("a newer database was opened"),
    }
}

/// PostgreSQL's table of the grid's rows holds the numbers the grid computes, to the last bit
/// (as SQLite's, checked in `store/sqlite/clusters.rs`).
#[test]
fn the_postgres_migrations_rows_are_the_grids() {
    let Some(db) = TestDb::postgres() else {
        eprintln!("KARTA_TEST_POSTGRES is not set: skipped");
        return;
    };
    let mut client = ::postgres::Client::connect(&db.db, ::postgres::NoTls).expect("connected");
    let souths: Vec<f64> = client
        .query("SELECT south FROM mercator_rows ORDER BY y", &[])
        .expect("the rows")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(souths, karta::store::mercator_souths());
}

/// The same boxes and radii as a filter's `within` (what the server asks PostGIS instead of a
/// list of ids): the pages, the counts and the binned cells hold what the R-tree finds, and the
/// area combines with the other conditions.
fn an_area_in_the_filter_selects_what_the_r_tree_finds(store: &dyn Store) {
    store_places(store);
    let radius = |lon, lat, km| Area::Radius { lon, lat, km };
    for (area, expected) in [
        (Area::Bbox(Bbox::from([46.5, 39.5, 47.0, 40.0])), vec![1, 2]),
        (
            Area::Bbox(Bbox::from([175.0, -20.0, -175.0, -10.0])),
            vec![5, 6],
        ),
        (
            Area::Bbox(Bbox::from([-175.0, -20.0, -170.0, -10.0])),
            vec![6],
        ),
        (Area::Bbox(Bbox::from([-10.0, -20.0, 10.0, -10.0])), vec![]),
        (radius(46.7519, 39.8153, 10.0), vec![1, 2]),
        (radius(46.7519, 39.8153, 110.0), vec![1, 2, 3]),
        (radius(-179.9, -15.0, 1.0), vec![6]),
    ] {
        let filter = EventFilter {
            within: Some(area),
            ..EventFilter::default()
        };
        let found: Vec<EventId> = every_event(store, &filter).iter().map(|e| e.id).collect();
        assert_eq!(found, expected, "{area:?}");
        let counted = store.count_events(&filter, None).expect("counted");
        assert_eq!(counted, expected.len() as u64, "{area:?}");
        let binned: u64 = store
            .event_cells(&filter, None, Grid { level: 3 })
            .expect("binned")
            .iter()
            .map(|c| c.count)
            .sum();
        assert_eq!(binned, expected.len() as u64, "{area:?}");
    }
    let near_ganja_not_1 = EventFilter {
        within: Some(radius(46.7519, 39.8153, 110.0)),
        ..EventFilter::default()
    };
    let page = store
        .events(
            &near_ganja_not_1,
            Some(&[2, 3, 4]),
            Page {
                after: Some(2),
                limit: 10,
            },
        )
        .expect("a page");
    assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), [3]);
}

/// An event of `kind` at a point, on a day or undated.
fn at(kind: EventType, lon: f64, lat: f64, day: Option<(i32, u32, u32)>) -> Event {
    let mut e = event(kind, 1, lon, lat, 0);
    e.date = day
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
        .map(|date| extract::EventDate {
            date,
            precision: extract::DatePrecision::Day,
            span: None,
        });
    e
}

/// One cell's position, count, types, first and last day and the sums of its coordinates (to
/// the micro-degree: sums added in another order differ in the last bits).
type CellSummary = (u32, u32, u64, String, [Option<NaiveDate>; 2], [i64; 2]);

/// Cells by position, without their events, sorted, for comparing.
fn sorted(mut cells: Vec<Cell>) -> Vec<CellSummary> {
    cells.sort_by_key(|c| (c.x, c.y));
    let micro = |sum: f64| (sum * 1e6).round() as i64;
    cells
        .into_iter()
        .map(|c| {
            let sums = [micro(c.sum_lon), micro(c.sum_lat)];
            (
                c.x,
                c.y,
                c.count,
                format!("{:?}", c.types),
                [c.first, c.last],
                sums,
            )
        })
        .collect()
}

/// The ids of each cell's events, by position, for comparing.
fn events_by_cell(mut cells: Vec<Cell>) -> Vec<(u32, u32, Vec<EventId>)> {
    cells.sort_by_key(|c| (c.x, c.y));
    cells
        .into_iter()
        .map(|c| {
            let mut ids: Vec<EventId> = c.events.iter().map(|e| e.fields.id).collect();
            ids.sort_unstable();
            (c.x, c.y, ids)
        })
        .collect()
}

/// The strips along a view's edges, binned by a store that finds places itself, hold the
/// cells and the few events that binning the ids the spatial index finds in them gives: points
/// on a box's edge, in two boxes at once, and a line across the antimeridian (an area, found by
/// its geometry) included, deleted events left out.
fn strips_are_binned_as_the_events_the_index_finds_in_them(store: &dyn Store) {
    store_places(store);
    let cases: [&[[f64; 4]]; 4] = [
        &[[46.5, 39.5, 47.0, 40.0]],
        // Ganja on the edge of one box, Stepanakert and Shusha in both of two.
        &[
            [46.3606, 40.0, 47.0, 41.0],
            [46.7, 39.7, 46.8, 39.9],
            [46.74, 39.5, 47.0, 40.0],
        ],
        // The line's western part, and Suva beside its eastern one.
        &[[-175.0, -20.0, -170.0, -10.0], [178.0, -19.0, 180.0, -18.0]],
        &[[-10.0, -20.0, 10.0, -10.0]],
    ];
    for boxes in cases {
        let boxes: Vec<Bbox> = boxes.iter().map(|&b| Bbox::from(b)).collect();
        for level in [3, 5, 8] {
            let grid = Grid { level };
            let Some(strips) = store
                .cells_in_boxes(&EventFilter::default(), &boxes, grid)
                .expect("binned")
            else {
                return;
            };
            let mut ids: Vec<EventId> = boxes
                .iter()
                .flat_map(|&b| located(store, Place::Within(Area::Bbox(b))))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let read = if ids.is_empty() {
                Vec::new()
            } else {
                bin_events(store, &EventFilter::default(), Some(&ids), grid).expect("read")
            };
            assert_eq!(
                (sorted(strips.clone()), events_by_cell(strips)),
                (sorted(read.clone()), events_by_cell(read)),
                "level {level}, {boxes:?}"
            );
        }
    }
}

/// The sums `/api/clusters` reads at world and country zoom (kept by triggers in both stores)
/// and each store's own binning give the cells, and the few events of small cells, that
/// reading every event gives, at every summed level, by day and type, after a deletion and a
/// correction that moves an event; a part of the grid sums that part only; a filter the sums
/// are not keyed by is left to binning, which the store does alike among given ids.
fn sums_of_cells_match_the_events_and_follow_changes(store: &dyn Store) {
    let events: Vec<(String, Event)> = [
        (EventType::Battles, 46.75, 39.82, Some((2020, 9, 27))),
        (EventType::Battles, 46.76, 39.81, Some((2020, 10, 2))),
        (EventType::Protests, 49.87, 40.41, None),
        (EventType::Protests, -179.5, -16.5, Some((2021, 1, 1))),
        (EventType::Battles, 179.9, 85.5, Some((2019, 5, 1))),
        // On the equator, a row's south edge.
        (EventType::Riots, 10.0, 0.0, Some((2020, 10, 1))),
        // Beside the first two: 2020-09-27 is the last day of a span of 32 days, which also
        // holds 2020-09-20; deleting the first event leaves that span's last day to be found
        // again among its days.
        (EventType::Battles, 46.74, 39.83, Some((2020, 9, 20))),
        (EventType::Battles, 46.75, 39.80, Some((2020, 11, 15))),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (t, lon, lat, day))| (format!("k{i}"), at(t, lon, lat, day)))
    .collect();
    store.import_events("test", &events).expect("imported");
    let by_day = EventFilter {
        from: NaiveDate::from_ymd_opt(2020, 9, 28),
        to: NaiveDate::from_ymd_opt(2021, 1, 1),
        ..EventFilter::default()
    };
    let battles = EventFilter {
        types: vec!["battles".into()],
        ..EventFilter::default()
    };
    let since = EventFilter {
        from: NaiveDate::from_ymd_opt(2020, 9, 21),
        ..EventFilter::default()
    };
    let until = EventFilter {
        to: NaiveDate::from_ymd_opt(2020, 10, 1),
        ..EventFilter::default()
    };
    let filters = [EventFilter::default(), by_day, battles, since, until];
    let check = |filter: &EventFilter| {
        for level in 2..=8 {
            let grid = Grid { level };
            let summed = store
                .summed_cells(filter, grid, &[grid.everything()])
                .expect("summed")
                .expect("summable");
            let read = bin_events(store, filter, None, grid).expect("binned");
            let binned = store
                .event_cells(filter, None, grid)
                .expect("binned by the store");
            assert_eq!(
                sorted(summed),
                sorted(read.clone()),
                "level {level}, {filter:?}"
            );
            assert_eq!(
                (sorted(binned.clone()), events_by_cell(binned)),
                (sorted(read.clone()), events_by_cell(read)),
                "the store's own binning, level {level}, {filter:?}"
            );
        }
    };
    for filter in &filters {
        check(filter);
    }
    store.set_deleted(1, true, "test").expect("deleted");
    let paris = at(EventType::Protests, 2.35, 48.85, Some((2020, 10, 3)));
    store.correct_event(2, &paris, "t").expect("corrected");
    for filter in &filters {
        check(filter);
    }
    let west = CellRange {
        x_min: 0,
        x_max: 1,
        y_min: 0,
        y_max: 3,
    };
    let summed = store
        .summed_cells(&EventFilter::default(), Grid { level: 2 }, &[west])
        .expect("summed")
        .expect("summable");
    assert_eq!(summed.iter().map(|c| c.count).sum::<u64>(), 1, "Fiji only");
    let country = EventFilter {
        country: Some("AZ".into()),
        ..EventFilter::default()
    };
    let asked = store.summed_cells(&country, Grid { level: 2 }, &[west]);
    assert!(asked.expect("asked").is_none());
    for level in [2, 5, 8, 9] {
        let grid = Grid { level };
        let binned = store.event_cells(&country, Some(&[2, 3, 4, 5]), grid);
        let read = bin_events(store, &country, Some(&[2, 3, 4, 5]), grid).expect("read");
        let binned = binned.expect("binned by the store");
        assert_eq!(
            (sorted(binned.clone()), events_by_cell(binned)),
            (sorted(read.clone()), events_by_cell(read)),
            "level {level}, by country among ids"
        );
    }
}

/// Pollers sharing a database each take a due feed at most once: four threads claiming at
/// once take the 12 due feeds between them, none twice; a claimed feed is due again when its
/// claim ends, and a recorded poll sets its next poll.
fn a_due_feed_is_taken_by_one_poller_until_its_claim_ends(store: &dyn Store) {
    for i in 0..12 {
        store
            .insert_feed(&new_feed(&format!("https://example.org/{i}.xml")))
            .expect("added");
    }
    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    let until = now + chrono::Duration::minutes(15);
    let mut taken: Vec<i64> = std::thread::scope(|s| {
        let claims: Vec<_> = (0..4)
            .map(|_| s.spawn(|| store.claim_due_feeds(now, until).expect("claimed")))
            .collect();
        claims
            .into_iter()
            .flat_map(|c| c.join().expect("a poller"))
            .map(|f| f.id)
            .collect()
    });
    taken.sort_unstable();
    assert_eq!(taken, (1..=12).collect::<Vec<i64>>(), "each feed once");
    assert!(store.claim_due_feeds(now, until).expect("asked").is_empty());
    store
        .record_poll(1, &poll_at(until, "v1"))
        .expect("recorded");
    let later = until + chrono::Duration::seconds(1);
    let again = store.claim_due_feeds(later, later).expect("claimed");
    assert_eq!(
        again.iter().map(|f| f.id).collect::<Vec<_>>(),
        (2..=12).collect::<Vec<i64>>(),
        "the claims ended; feed 1's next poll is its own"
    );
}

fn reference_layers_are_kept_listed_and_removed(store: &dyn Store) {
    assert!(store.references().expect("none yet").is_empty());
    let line = r#"{"type":"LineString","coordinates":[[46.5,39.9],[46.9,39.6]]}"#;
    let layer = |name: &str, features| NewReference {
        name: name.into(),
        geojson: line.into(),
        features,
    };
    let first = store
        .insert_reference(&layer("Line of contact", 1), "tester")
        .expect("kept");
    let second = store
        .insert_reference(&layer("Lachin corridor", 3), "tester")
        .expect("a second");
    assert!(second.id > first.id);
    assert_eq!(
        (first.name.as_str(), first.features),
        ("Line of contact", 1)
    );
    assert!(first.added.ends_with('Z'), "{}", first.added);
    let listed = store.references().expect("listed");
    assert_eq!(listed, [first.clone(), second.clone()]);
    assert_eq!(
        store.reference_geojson(first.id).expect("read").as_deref(),
        Some(line)
    );
    assert!(store.delete_reference(first.id).expect("deleted"));
    assert!(!store.delete_reference(first.id).expect("a second delete"));
    assert_eq!(store.reference_geojson(first.id).expect("read"), None);
    assert_eq!(store.references().expect("listed"), [second]);
}

fn sums_per_place_match_the_rows(store: &dyn Store) {
    // One strike reported twice (13 and 21 dead: the lowest counts), another at the same
    // place, one elsewhere without a toll, and a battle in another document.
    let armenian = from("https://news.am/1", "Stepanakert was shelled, 13 dead.");
    store
        .insert_document(&armenian, "x-1", &[], &[strike(1, 46.75, 39.82, 4, 13)])
        .expect("stored");
    let azeri = from("https://apa.az/2", "Khankendi struck, 21 dead.");
    let later = [
        strike(2, 46.78, 39.81, 4, 21),
        strike(1, 46.75, 39.82, 9, 2),
    ];
    store
        .insert_document(&azeri, "x-1", &[], &later)
        .expect("stored");
    let other = [
        event(EventType::Battles, 3, 47.1, 39.5, 0),
        event(EventType::Battles, 1, 46.75, 39.82, 30),
    ];
    store
        .insert_document(&document("a b"), "x-1", &[], &other)
        .expect("stored");
    let all = EventFilter::default();
    let grouped = store.place_sums(&all, None).expect("sums");
    assert_eq!(grouped, sum_places(store, &all, None).expect("row sums"));
    let at = |place, count, fatalities| PlaceSum {
        place: Some(place),
        count,
        fatalities,
    };
    assert_eq!(grouped, [at(1, 3, 15), at(3, 1, 0)]);
    let battles = EventFilter {
        types: vec!["battles".into()],
        ..EventFilter::default()
    };
    let ids: Vec<EventId> = every_event(store, &battles).iter().map(|e| e.id).collect();
    let among = store.place_sums(&all, Some(&ids[..1])).expect("sums");
    assert_eq!(
        among,
        sum_places(store, &all, Some(&ids[..1])).expect("row sums")
    );
    assert_eq!(among.iter().map(|s| s.count).sum::<u64>(), 1);
}
