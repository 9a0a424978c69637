//! One event per place, as ACLED codes them: an incident reported at several places listed in
//! one locative ("arrested in Batumi and Tbilisi") is an event at each, while a town with its
//! state ("in Dallas, Texas") stays one. Needs the gazetteer index; skipped when it cannot be
//! opened.

use extract::{Document, Extractor};
use gazetteer::Gazetteer;

/// The places of the events of a one-sentence English document, in order.
fn places_of(gaz: &Gazetteer, extractor: &Extractor, text: &str) -> Vec<String> {
    let doc = Document {
        text: text.into(),
        lang: Some("en".into()),
        published: chrono::NaiveDate::from_ymd_opt(2009, 3, 30),
    };
    extractor
        .extract(gaz, &doc)
        .iter()
        .flat_map(|e| e.places.iter().map(|p| p.name.clone()))
        .collect()
}

#[test]
fn places_listed_in_one_locative_are_an_event_each() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let listed = places_of(
        &gaz,
        &extractor,
        "Police arrested nine opposition activists in Batumi and Tbilisi on Monday.",
    );
    assert_eq!(listed, ["Batumi", "Tbilisi"]);
    let one = places_of(
        &gaz,
        &extractor,
        "A man was stabbed on Tuesday in Dallas, Texas, police said.",
    );
    assert_eq!(one, ["Dallas"]);
}

#[test]
fn what_an_appeal_asks_for_places_nothing_else() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let places = places_of(
        &gaz,
        &extractor,
        "Nablus was calm on Saturday. Hundreds of women joined a protest on Sunday calling for \
         the release of prisoners in Israel.",
    );
    assert_eq!(places, ["Nablus"]);
    let held = places_of(
        &gaz,
        &extractor,
        "Hundreds of women joined a protest on Sunday in Israel.",
    );
    assert_eq!(held, ["Israel"]);
}

#[test]
fn a_placeless_event_is_in_the_country_the_document_names_most() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    // Russia is the single place named most often, Georgia's places are named more in all.
    let text = "Tension rose in South Ossetia on Monday. Tbilisi blamed Russia, and Russia \
                denied it. Residents of Tskhinvali and Gori waited for news from Russia. \
                Heavy fighting killed at least a dozen people yesterday.";
    let places = places_of(&gaz, &extractor, text);
    assert_eq!(places, ["South Ossetia"]);
}

#[test]
fn a_placeless_report_joins_no_violence_of_another_state() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let text = "CARTHAGE, N.C. (AP) - Police in Carthage said Monday that the gunman's wife \
                worked at the nursing home in Carthage. He was not sure if she was there at \
                the time of the shootings. The rampage came weeks after a man killed 10 \
                people in Alabama.";
    let places = places_of(&gaz, &extractor, text);
    assert_eq!(places, ["Carthage", "Alabama"]);
}

#[test]
fn a_place_before_a_semicolon_places_no_action_after_it() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let text = "Police in Richmond, Virginia, gave details on Monday. Carter was on the run from \
                drug charges in Florida; he gunned down Greene as Greene broke through his back \
                door, police said.";
    assert_eq!(places_of(&gaz, &extractor, text), ["Richmond"]);
}

#[test]
fn a_place_the_geoparser_doubts_places_no_event() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let doc = Document {
        text: "A man was shot on Monday in Dallas.".into(),
        lang: Some("en".into()),
        published: chrono::NaiveDate::from_ymd_opt(2009, 3, 30),
    };
    let options = gazetteer::GeoparseOptions {
        lang: Some("en".into()),
        ..Default::default()
    };
    let mut mentions = gaz.geoparse(&doc.text, &options);
    let placed = |mentions: &[gazetteer::Mention]| {
        extractor
            .extract_with_mentions(&doc, mentions)
            .iter()
            .flat_map(|e| e.places.iter().map(|p| p.name.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(placed(&mentions), ["Dallas"]);
    // Berea read as Lesotho's district in a Kentucky story scores this low.
    for m in &mut mentions {
        m.score = 0.15;
    }
    assert!(placed(&mentions).is_empty());
}

#[test]
fn a_bare_name_of_another_country_is_no_scene() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let text = "Thousands mourned four Oakland police officers on Friday in Oakland, California. \
                Romans, Sakai and the parolee died later in a shootout when the city's SWAT \
                team stormed an apartment.";
    let places = places_of(&gaz, &extractor, text);
    assert!(!places.iter().any(|p| p == "Sakai"), "{places:?}");
    assert!(places.iter().any(|p| p == "Oakland"), "{places:?}");
}

#[test]
fn a_dateline_names_the_documents_place() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let text = "Gunman's wife worked at the home. CARTHAGE, N.C. (AP) - A gunman killed eight \
                people in a North Carolina nursing home on Sunday, police said. Officials \
                across North Carolina mourned them.";
    assert_eq!(places_of(&gaz, &extractor, text), ["Carthage"]);
}

#[test]
fn the_object_of_an_action_abroad_is_its_target() {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!("NOTICE: no gazetteer index; skipped");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let text = "Officials in Kyiv said on Monday that Ukrainian forces shelled Belgorod overnight.";
    assert_eq!(places_of(&gaz, &extractor, text), ["Belgorod"]);
}
