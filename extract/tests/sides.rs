//! Who did what to whom (`actor1`, `actor2`) on sentences of the two event test sets
//! (`tests/events.jsonl`, tuned on, and `tests/events-heldout.jsonl`). The rules of `sides.rs`
//! were written while reading both sets' output, so neither is held out for them. Needs the
//! gazetteer index; skipped when it cannot be opened.

use extract::{Document, Event, Extractor};
use gazetteer::Gazetteer;

/// A sentence of a set, the action of its event and the sides expected (`None`: none named).
struct Case {
    lang: &'static str,
    text: &'static str,
    action: &'static str,
    actor1: Option<&'static str>,
    actor2: Option<&'static str>,
}

const CASES: &[Case] = &[
    // tests/events.jsonl
    Case {
        lang: "fr",
        text: "L'armée malienne a affronté des combattants jihadistes près de Ménaka le 3 mars.",
        action: "armed_clash",
        actor1: Some("armée malienne"),
        actor2: Some("combattants jihadistes"),
    },
    Case {
        lang: "fr",
        text: "Des hommes armés ont enlevé quinze villageois dans l'État de Zamfara, dans le \
               nord-ouest du Nigeria, le 12 juin.",
        action: "abduction",
        actor1: Some("hommes armés"),
        actor2: Some("quinze villageois"),
    },
    Case {
        lang: "fr",
        text: "Israël a mené des frappes aériennes sur Gaza dans la nuit de lundi.",
        action: "air_strike",
        actor1: Some("Israël"),
        actor2: None,
    },
    Case {
        lang: "fr",
        text: "Deux policiers ont été blessés par un engin explosif sur la route de Gao mercredi.",
        action: "explosive",
        actor1: None,
        actor2: Some("Deux policiers"),
    },
    Case {
        lang: "fr",
        text: "La police a arrêté dix opposants à Minsk dimanche.",
        action: "arrests",
        actor1: Some("police"),
        actor2: Some("dix opposants"),
    },
    Case {
        lang: "fr",
        text: "Des colons ont attaqué des agriculteurs palestiniens près de Naplouse vendredi.",
        action: "attack_on_civilians",
        actor1: Some("colons"),
        actor2: Some("agriculteurs"),
    },
    Case {
        lang: "en",
        text: "Russian forces shelled residential areas of Kharkiv on Sunday, the regional \
               governor said.",
        action: "shelling",
        actor1: Some("Russian forces"),
        actor2: None,
    },
    Case {
        lang: "en",
        text: "Gunmen abducted 20 students from a school in Kaduna state on Thursday.",
        action: "abduction",
        actor1: Some("Gunmen"),
        actor2: Some("20 students"),
    },
    Case {
        lang: "en",
        text: "Police arrested 50 opposition supporters in Kampala on Wednesday.",
        action: "arrests",
        actor1: Some("Police"),
        actor2: Some("50 opposition supporters"),
    },
    Case {
        lang: "en",
        text: "Troops were deployed to the border town of Kramatorsk.",
        action: "deployment",
        actor1: Some("Troops"),
        actor2: None,
    },
    Case {
        lang: "en",
        text: "Protesters threw stones at police in Nairobi, who responded with tear gas.",
        action: "riot",
        actor1: Some("Protesters"),
        actor2: Some("police"),
    },
    // tests/events-heldout.jsonl
    Case {
        lang: "fr",
        text: "L'armée birmane a pris le pouvoir lundi et arrêté Aung San Suu Kyi à Naypyidaw.",
        action: "arrests",
        actor1: Some("armée birmane"),
        actor2: Some("Aung San Suu Kyi"),
    },
    Case {
        lang: "fr",
        text: "La Russie et l'Ukraine ont signé vendredi à Istanbul un accord sur l'exportation \
               des céréales.",
        action: "agreement",
        actor1: Some("Russie et l'Ukraine"),
        actor2: None,
    },
    Case {
        lang: "en",
        text: "Government troops clashed with M23 rebels near Rutshuru on Saturday.",
        action: "armed_clash",
        actor1: Some("Government troops"),
        actor2: Some("M23 rebels"),
    },
    Case {
        lang: "en",
        text: "Gunmen abducted about twenty villagers near Kaduna on November 13.",
        action: "abduction",
        actor1: Some("Gunmen"),
        actor2: Some("twenty villagers"),
    },
    Case {
        lang: "en",
        text: "Russia and Ukraine signed a deal on grain exports in Istanbul on Friday.",
        action: "agreement",
        actor1: Some("Russia and Ukraine"),
        actor2: None,
    },
];

/// The text of an event's side.
fn side(span: Option<&extract::TextSpan>) -> Option<&str> {
    span.map(|s| s.text.as_str())
}

#[test]
fn events_name_who_acted_and_whom_it_was_done_to() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("skipped: no gazetteer index");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    for case in CASES {
        let doc = Document {
            text: case.text.into(),
            lang: Some(case.lang.into()),
            published: chrono::NaiveDate::from_ymd_opt(2022, 7, 22),
        };
        let events = extractor.extract(&gaz, &doc);
        let event: &Event = events
            .iter()
            .find(|e| e.action == case.action)
            .unwrap_or_else(|| panic!("no {} event in {:?}: {events:?}", case.action, case.text));
        assert_eq!(
            (side(event.actor1.as_ref()), side(event.actor2.as_ref())),
            (case.actor1, case.actor2),
            "{}",
            case.text
        );
    }
}

#[test]
fn the_sides_show_in_the_json_output_and_read_back() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("skipped: no gazetteer index");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let doc = Document {
        text: "Police arrested 50 opposition supporters in Kampala on Wednesday.".into(),
        lang: Some("en".into()),
        published: None,
    };
    let event = extractor.extract(&gaz, &doc).remove(0);
    let json = serde_json::to_value(&event).expect("an event serialises");
    assert_eq!(json["actor1"]["text"], "Police");
    assert_eq!(json["actor2"]["text"], "50 opposition supporters");
    let back: Event = serde_json::from_value(json).expect("and reads back");
    assert_eq!(back, event);
    // An event stored before the sides were kept reads with none.
    let mut old = serde_json::to_value(&event).expect("an event serialises");
    if let Some(fields) = old.as_object_mut() {
        fields.remove("actor1");
        fields.remove("actor2");
    }
    let read: Event = serde_json::from_value(old).expect("an older event reads");
    assert!(read.actor1.is_none() && read.actor2.is_none());
}
