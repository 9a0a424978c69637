//! The Karabakh acceptance case: the nine events of `../shared/fixtures/README.md` from the
//! article `../shared/fixtures/karabakh-fr.txt` (published 2020-10-09). The article stays out of
//! the repository, so this test runs only where `shared/` sits beside the checkout (and the
//! gazetteer index exists); elsewhere it says so and passes.

use extract::{Document, Event, EventGeometry, EventType, Extractor};
use gazetteer::Gazetteer;
use std::path::PathBuf;

/// The fixture, beside the repository's root.
fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/karabakh-fr.txt")
}

const KARABAKH: u32 = 900_100_001;
const STEPANAKERT: u32 = 409_421;
const ARMENIA: u32 = 174_982;
const AZERBAIJAN: u32 = 587_116;
const GAZIANTEP_NAME: &str = "Gaziantep";
const BAKU: u32 = 587_084;
const MINSK: u32 = 625_144;

fn at(e: &Event, ids: &[u32]) -> bool {
    e.places.first().is_some_and(|p| ids.contains(&p.place_id))
}

fn on(e: &Event, day: &str) -> bool {
    e.date.as_ref().is_some_and(|d| d.date.to_string() == day)
}

fn says(e: &Event, words: &str) -> bool {
    e.sentence.text.contains(words)
}

#[test]
fn karabakh_article_events() {
    let Ok(text) = std::fs::read_to_string(fixture()) else {
        eprintln!("skipped: no fixture at {}", fixture().display());
        return;
    };
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("skipped: no gazetteer index");
        return;
    };
    let doc = Document {
        text,
        lang: Some("fr".into()),
        published: chrono::NaiveDate::from_ymd_opt(2020, 10, 9),
    };
    let events = Extractor::new()
        .expect("built-in lexicons")
        .extract(&gaz, &doc);
    type Check = (&'static str, Box<dyn Fn(&Event) -> bool>);
    let expected: Vec<Check> = vec![
        (
            "1 call about Karabakh on 2020-10-09",
            Box::new(|e| {
                e.event_type == EventType::Diplomacy
                    && e.sub_type == "Call"
                    && at(e, &[KARABAKH])
                    && on(e, "2020-10-09")
            }),
        ),
        (
            "2 fighters moved Aleppo -> Gaziantep -> Baku",
            Box::new(|e| {
                matches!(e.geometry, EventGeometry::Line { .. })
                    && e.places.iter().any(|p| p.name == GAZIANTEP_NAME)
                    && e.places.last().is_some_and(|p| p.place_id == BAKU)
            }),
        ),
        (
            "3 settlements fired on in Karabakh on 2020-09-27",
            Box::new(|e| {
                e.event_type == EventType::ExplosionsRemoteViolence
                    && says(e, "tiré sur")
                    && at(e, &[KARABAKH])
                    && on(e, "2020-09-27")
            }),
        ),
        (
            "4 air and missile attacks on Karabakh on 2020-09-27",
            Box::new(|e| {
                matches!(
                    e.event_type,
                    EventType::ExplosionsRemoteViolence | EventType::Battles
                ) && (says(e, "attaques aériennes") || says(e, "offensive"))
                    && at(e, &[KARABAKH])
                    && on(e, "2020-09-27")
            }),
        ),
        (
            "5 settlements and Stepanakert shelled",
            Box::new(|e| {
                e.event_type == EventType::ExplosionsRemoteViolence
                    && says(e, "Stepanakert")
                    && at(e, &[KARABAKH, STEPANAKERT])
            }),
        ),
        (
            "6 martial law and mobilisation in Karabakh",
            Box::new(|e| e.event_type == EventType::StrategicDevelopments && at(e, &[KARABAKH])),
        ),
        (
            "7 Armenia: martial law, general mobilisation",
            Box::new(|e| e.event_type == EventType::StrategicDevelopments && at(e, &[ARMENIA])),
        ),
        (
            "8 Azerbaijan: martial law, curfew, partial mobilisation",
            Box::new(|e| e.event_type == EventType::StrategicDevelopments && at(e, &[AZERBAIJAN])),
        ),
        (
            "9 co-chairs call for a cessation of hostilities",
            Box::new(|e| {
                e.event_type == EventType::Diplomacy && says(e, "cessation") && at(e, &[KARABAKH])
            }),
        ),
    ];
    let mut found = 0;
    for (name, check) in &expected {
        let hit = events.iter().any(check);
        println!("{} {name}", if hit { "ok  " } else { "MISS" });
        found += usize::from(hit);
    }
    println!(
        "{found}/9 events of the fixture README; {} events in all",
        events.len()
    );
    assert_eq!(found, 9, "the 9 events");
    let people = ["Macron", "Aliyev", "Poutine", "Trump", "Melikyan"];
    for e in &events {
        assert!(
            !e.places.iter().any(|p| p.place_id == MINSK),
            "an event at Minsk: {e:?}"
        );
        let named = e
            .places
            .iter()
            .filter_map(|p| p.mention.as_ref())
            .any(|m| people.iter().any(|p| m.text.contains(p)));
        assert!(!named, "an event at a person: {e:?}");
    }
}
