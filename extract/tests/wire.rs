//! The kinds of sentence that gave wrong events on the hidden set of wire news (issue 17), in
//! sentences written for this test in the style of war and protest copy: statements,
//! condemnations, plans and generic summaries give no event, court steps and biography none
//! either; an actor's origin, a trade partner or a topic is not where the incident happened; an
//! aircraft shot down is a strike, a reception a meeting, a storming an attack; and a date comes
//! from the incident's own clause, anchored on the publication day. Needs the gazetteer index;
//! skipped when it cannot be opened.

use extract::{Document, Extractor};
use gazetteer::Gazetteer;

/// The type, first place and date of each event of an English wire text published on `day`.
fn events_of(text: &str, day: (i32, u32, u32)) -> Option<Vec<(String, String, Option<String>)>> {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return None;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let doc = Document {
        text: text.into(),
        lang: Some("en".into()),
        published: chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2),
    };
    let events = extractor.extract(&gaz, &doc);
    Some(
        events
            .iter()
            .map(|e| {
                let place = e.places.first().map(|p| p.name.clone()).unwrap_or_default();
                let date = e.date.as_ref().map(|d| d.date.to_string());
                (e.event_type.to_string(), place, date)
            })
            .collect(),
    )
}

#[test]
fn statements_condemnations_plans_and_summaries_are_no_events() {
    for text in [
        "Russia's foreign ministry said on Tuesday that Western arms deliveries to Ukraine were \
         prolonging the war.",
        "France and Germany condemned the attack and called on both sides to show restraint.",
        "The foreign ministers of Armenia and Azerbaijan will meet in Geneva next week, the \
         Swiss government said.",
        "Turkey has suffered a series of bombings in recent months.",
    ] {
        let Some(events) = events_of(text, (2022, 5, 17)) else {
            return;
        };
        assert!(events.is_empty(), "{text}: {events:?}");
    }
}

#[test]
fn a_condemned_strike_is_one_event_where_it_struck() {
    let Some(events) = events_of(
        "The United Nations condemned an air strike that killed 12 people at a market in Idlib \
         on Monday.",
        (2021, 3, 9),
    ) else {
        return;
    };
    let want = [(
        "explosions_remote_violence".to_owned(),
        "Idlib".to_owned(),
        Some("2021-03-08".to_owned()),
    )];
    assert_eq!(events, want);
}

#[test]
fn court_steps_and_biography_are_no_events() {
    for text in [
        "A court in Ankara upheld on appeal the prison sentences of 12 journalists on Thursday.",
        "The trial of the four suspects opened in Paris on Monday.",
    ] {
        let Some(events) = events_of(text, (2022, 5, 19)) else {
            return;
        };
        assert!(events.is_empty(), "{text}: {events:?}");
    }
    let Some(events) = events_of(
        "General Abdel Fattah al-Burhan, who joined the army in 1981 and fought in Darfur, met \
         the Egyptian president in Cairo on Monday.",
        (2022, 5, 17),
    ) else {
        return;
    };
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        (events[0].0.as_str(), events[0].1.as_str()),
        ("diplomacy", "Cairo")
    );
}

#[test]
fn an_origin_a_trade_partner_or_a_topic_is_not_the_place() {
    let cases = [
        (
            "A soldier from Lviv was killed in fighting near Bakhmut on Sunday, the army said.",
            "Bakhmut",
        ),
        (
            "Thousands of farmers marched through Seoul on Saturday against beef imports from \
             the United States.",
            "Seoul",
        ),
        (
            "Hundreds of people rallied in Toronto on Sunday to protest against the siege of \
             Aleppo.",
            "Toronto",
        ),
        (
            "Hundreds rallied in Toronto on Sunday and denounced the bombing of Aleppo.",
            "Toronto",
        ),
        (
            "In Istanbul, hundreds of people rallied outside the Russian consulate on Friday to \
             protest against the bombing of Idlib.",
            "Istanbul",
        ),
        (
            "Missiles struck grain terminals in Odesa on Monday. The attack destroyed 60,000 \
             tonnes of grain that was due to be shipped to China and Egypt.",
            "Odesa",
        ),
        (
            "Shelling killed three people near Bakhmut on Sunday. A woman from Canada and \
             a soldier from Lviv were among those killed, the army said.",
            "Bakhmut",
        ),
    ];
    for (text, place) in cases {
        let Some(events) = events_of(text, (2022, 5, 16)) else {
            return;
        };
        let places: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(places, [place], "{text}: {events:?}");
    }
}

#[test]
fn a_short_lead_gives_its_type_to_a_toll_told_after_it() {
    let Some(events) = events_of(
        "Shelling killed three people near Bakhmut on Sunday. A woman from Canada and a soldier \
         from Lviv were among those killed, the army said.",
        (2022, 5, 16),
    ) else {
        return;
    };
    let kinds: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.0.as_str(), e.1.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [("explosions_remote_violence", "Bakhmut")],
        "{events:?}"
    );
}

#[test]
fn dates_come_from_the_incidents_own_clause() {
    let Some(events) = events_of(
        "Azerbaijani forces shelled Martuni on Sunday, three days after a truce was agreed in \
         Moscow, the Armenian defence ministry said.",
        (2020, 10, 14),
    ) else {
        return;
    };
    let shelled: Vec<_> = events.iter().filter(|e| e.1 == "Martuni").collect();
    assert_eq!(shelled.len(), 1, "{events:?}");
    assert_eq!(shelled[0].2.as_deref(), Some("2020-10-11"));
    let Some(events) = events_of(
        "Gunmen killed a 45-year-old teacher in Kidal on Friday, two years after his brother was \
         kidnapped.",
        (2023, 3, 6),
    ) else {
        return;
    };
    let killed: Vec<_> = events.iter().filter(|e| e.1 == "Kidal").collect();
    assert!(!killed.is_empty(), "{events:?}");
    assert_eq!(killed[0].2.as_deref(), Some("2023-03-03"));
}

#[test]
fn an_aircraft_shot_down_is_a_strike_not_a_shooting() {
    let Some(events) = events_of(
        "A Syrian army helicopter was shot down near Saraqeb on Tuesday.",
        (2022, 5, 17),
    ) else {
        return;
    };
    let types: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(types, ["explosions_remote_violence"], "{events:?}");
}

#[test]
fn a_reception_and_a_storming_are_events() {
    let Some(received) = events_of(
        "President Erdogan received the Qatari emir in Ankara on Tuesday.",
        (2022, 5, 17),
    ) else {
        return;
    };
    let want = [(
        "diplomacy".to_owned(),
        "Ankara".to_owned(),
        Some("2022-05-17".to_owned()),
    )];
    assert_eq!(received, want);
    let Some(stormed) = events_of(
        "Militants stormed a military base near Gao on Sunday, killing 12 soldiers.",
        (2022, 5, 17),
    ) else {
        return;
    };
    assert!(
        stormed.iter().any(|e| e.0 == "battles" && e.1 == "Gao"),
        "{stormed:?}"
    );
}

#[test]
fn calls_and_meetings_of_leaders_named_without_a_title_are_events() {
    let Some(events) = events_of(
        "Aliyev met Pashinyan in Brussels on Sunday, the European Council said.",
        (2023, 5, 16),
    ) else {
        return;
    };
    assert_eq!(
        events,
        [(
            "diplomacy".into(),
            "Brussels".into(),
            Some("2023-05-14".into())
        )]
    );
    // Not placed at the dateline: in the country of one of them, named in the article.
    let Some(events) = events_of(
        "GAZA, Feb 12 (AP) - Israeli air strikes hit Gaza overnight. Netanyahu spoke with Biden \
         by phone on Sunday. Talks in Cairo went on, Israel said.",
        (2024, 2, 12),
    ) else {
        return;
    };
    let call: Vec<_> = events.iter().filter(|e| e.0 == "diplomacy").collect();
    assert_eq!(call.len(), 1, "{events:?}");
    assert_eq!(call[0].1, "Israel", "{events:?}");
}

#[test]
fn hostages_named_alone_are_no_abduction() {
    let Some(events) = events_of(
        "Israeli forces rescued two hostages in a raid in Rafah on Monday under cover of air \
         strikes that killed 67 people.",
        (2024, 2, 12),
    ) else {
        return;
    };
    let types: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(types, ["explosions_remote_violence"], "{events:?}");
    let Some(events) = events_of(
        "Gunmen took three workers hostage in Kaduna on Monday, police said.",
        (2024, 2, 12),
    ) else {
        return;
    };
    let types: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(types, ["violence_against_civilians"], "{events:?}");
}

#[test]
fn a_sentence_with_no_place_goes_on_where_its_paragraph_is() {
    let Some(events) = events_of(
        "NAIROBI, July 13 (Reuters) - Thousands of people marched in Mogadishu on Wednesday \
         against the new election law. Police arrested 12 protesters, witnesses said.",
        (2023, 7, 13),
    ) else {
        return;
    };
    let places: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(places, ["Mogadishu", "Mogadishu"], "{events:?}");
}

#[test]
fn a_planned_date_does_not_date_the_next_sentence() {
    let Some(events) = events_of(
        "Russia and Turkey agreed on Thursday in Moscow to a ceasefire in Idlib, and joint \
         patrols will begin along the M4 highway on March 15. Air strikes hit a camp near \
         Idlib, rescuers said.",
        (2020, 3, 6),
    ) else {
        return;
    };
    let strike = events.iter().find(|e| e.0 == "explosions_remote_violence");
    assert_eq!(
        strike.and_then(|e| e.2.as_deref()),
        Some("2020-03-05"),
        "{events:?}"
    );
}
