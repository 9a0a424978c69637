//! What a sentence reports as having happened, and of which type: a man shooting a woman, an
//! attack told after "allegedly" in an arrest's charge, an attack on a person by no armed group
//! (violence against civilians, not a battle), a truce named beside a strike (no agreement),
//! custody, an arrest and a beating told in other words, a crowd's battle with police (a riot).
//! Needs the gazetteer index; skipped when it cannot be opened.

use extract::{Document, Extractor};
use gazetteer::Gazetteer;

/// The types and places of the events of an English document.
fn events_of(gaz: &Gazetteer, extractor: &Extractor, text: &str) -> Vec<(String, String)> {
    let doc = Document {
        text: text.into(),
        lang: Some("en".into()),
        published: chrono::NaiveDate::from_ymd_opt(2009, 3, 30),
    };
    extractor
        .extract(gaz, &doc)
        .iter()
        .map(|e| {
            let place = e.places.first().map(|p| p.name.clone()).unwrap_or_default();
            (e.event_type.to_string(), place)
        })
        .collect()
}

/// The event types of an English document.
fn types_of(gaz: &Gazetteer, extractor: &Extractor, text: &str) -> Vec<String> {
    events_of(gaz, extractor, text)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

#[test]
fn a_man_who_shot_a_woman_attacked_a_civilian() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let shot = events_of(
        &gaz,
        &extractor,
        "Police said a man shot a woman near Elm Street in Dallas on Monday.",
    );
    assert_eq!(
        shot,
        [("violence_against_civilians".into(), "Dallas".into())]
    );
}

#[test]
fn an_attack_told_after_allegedly_happened_a_charge_alone_did_not() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let told = types_of(
        &gaz,
        &extractor,
        "Smith was arrested Monday on a charge of assault for allegedly attacking a neighbor \
         in Dallas.",
    );
    assert!(
        told.contains(&"violence_against_civilians".to_owned()),
        "{told:?}"
    );
    let charge = types_of(
        &gaz,
        &extractor,
        "Smith was arrested Monday on a charge of attacking a neighbor in Dallas.",
    );
    assert_eq!(charge, ["strategic_developments"]);
}

#[test]
fn an_attack_is_a_battle_only_between_armed_groups() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let person = types_of(
        &gaz,
        &extractor,
        "A man attacked Howard Brown in a bar in Dallas on Friday.",
    );
    assert_eq!(person, ["violence_against_civilians"]);
    let assaulted = types_of(
        &gaz,
        &extractor,
        "A man assaulted a woman outside a bar in Dallas on Friday.",
    );
    assert_eq!(assaulted, ["violence_against_civilians"]);
    let armed = types_of(
        &gaz,
        &extractor,
        "Rebels attacked an army post near Gao on Friday.",
    );
    assert_eq!(armed, ["battles"]);
    let base = types_of(
        &gaz,
        &extractor,
        "Gunmen attacked the base of the UN mission near Gao on Friday.",
    );
    assert_eq!(base, ["battles"]);
}

#[test]
fn a_truce_named_beside_a_strike_is_no_agreement() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let doc = Document {
        text: "Des tirs d'artillerie ont frappé dimanche Stepanakert, quelques heures après \
               l'entrée en vigueur d'une trêve humanitaire."
            .into(),
        lang: Some("fr".into()),
        published: chrono::NaiveDate::from_ymd_opt(2020, 10, 11),
    };
    let types: Vec<String> = extractor
        .extract(&gaz, &doc)
        .iter()
        .map(|e| e.event_type.to_string())
        .collect();
    assert_eq!(types, ["explosions_remote_violence"]);
}

#[test]
fn custody_placed_under_arrest_and_beatings_are_events() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    for (text, want) in [
        (
            "Police took the man into custody in Dallas on Friday.",
            "strategic_developments",
        ),
        (
            "The driver was placed under arrest in Dallas on Friday.",
            "strategic_developments",
        ),
        (
            "A man was beaten in Dallas on Friday.",
            "violence_against_civilians",
        ),
        (
            "A man punched a woman in Dallas on Friday.",
            "violence_against_civilians",
        ),
    ] {
        assert_eq!(types_of(&gaz, &extractor, text), [want], "{text}");
    }
}

#[test]
fn a_crowds_battle_with_police_is_a_riot() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let crowd = types_of(
        &gaz,
        &extractor,
        "Opposition supporters fought running battles with police in Lahore on Sunday.",
    );
    assert_eq!(crowd, ["riots"]);
    let gunmen = types_of(
        &gaz,
        &extractor,
        "Police clashed with gunmen in Lahore on Sunday.",
    );
    assert_eq!(gunmen, ["battles"]);
}
