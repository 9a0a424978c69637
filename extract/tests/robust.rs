//! Any UTF-8 input, with any mentions, never makes the extractor panic; a text with no event
//! gives none.

use extract::{Document, Extractor};
use gazetteer::{Gazetteer, GeoparseOptions, Mention, MentionKind};
use proptest::prelude::*;
use std::sync::OnceLock;

/// A real mention of «Bakou» to copy (mentions carry the geoparser's features, which only it
/// makes); `None` without the gazetteer index.
fn template() -> Option<&'static Mention> {
    static TEMPLATE: OnceLock<Option<Mention>> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let gaz = Gazetteer::open_default().ok()?;
            let options = GeoparseOptions {
                lang: Some("fr".into()),
                ..Default::default()
            };
            gaz.geoparse("Les forces ont tiré sur Bakou.", &options)
                .into_iter()
                .next()
        })
        .as_ref()
}

/// A mention over any byte range, possibly out of the text or inside a char.
fn mention(start: usize, len: usize, kind: u8) -> Option<Mention> {
    let mut m = template()?.clone();
    m.kind = match kind % 3 {
        0 => MentionKind::Toponym,
        1 => MentionKind::Demonym,
        _ => MentionKind::InOrganisation,
    };
    m.bytes = start..start + len;
    m.chars = start..start + len;
    m.place.id = start as u32;
    Some(m)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics(text in "\\PC{0,300}", spans in prop::collection::vec((0usize..320, 0usize..12, 0u8..3), 0..8), lang in prop::option::of("fr|en|es|de"), day in 0u32..40000) {
        let extractor = Extractor::new().expect("built-in lexicons");
        let mentions: Vec<Mention> = spans.into_iter().filter_map(|(s, l, k)| mention(s, l, k)).collect();
        let published = chrono::NaiveDate::from_num_days_from_ce_opt(700_000 + day as i32);
        let doc = Document { text, lang, published };
        for e in extractor.extract_with_mentions(&doc, &mentions) {
            prop_assert!((0.0..=1.0).contains(&e.confidence));
            prop_assert!(e.sentence.end <= doc.text.len());
        }
    }

    #[test]
    fn french_words_never_panic(words in prop::collection::vec(prop::sample::select(vec![
        "le", "9", "octobre", "«", "»", "tiré", "sur", "à", "Bakou", "selon", ".", ",", "vendredi", "jusqu'à", "à travers",
        "la", "loi", "martiale", "appelé", "auparavant", "n'a", "pas", "1er", "M.", "said", "from", "to", "2020",
    ]), 0..60)) {
        let extractor = Extractor::new().expect("built-in lexicons");
        let text = words.join(" ");
        let at = text.find("Bakou").unwrap_or(0);
        let mentions: Vec<Mention> = mention(at, if at > 0 { 5 } else { 0 }, 0).into_iter().collect();
        let doc = Document { text, lang: None, published: chrono::NaiveDate::from_ymd_opt(2020, 10, 9) };
        let _ = extractor.extract_with_mentions(&doc, &mentions);
    }
}

#[test]
fn no_event_text_gives_none() {
    let extractor = Extractor::new().expect("built-in lexicons");
    let doc = Document {
        text: "Le prix du pain a augmenté. The weather was fine.".into(),
        lang: None,
        published: None,
    };
    assert!(extractor.extract_with_mentions(&doc, &[]).is_empty());
}

#[test]
fn events_without_the_gazetteer() {
    // «Les forces arméniennes ont tiré sur Bakou le 27 septembre.» with Bakou as a mention.
    let text = "Les forces arméniennes ont tiré sur Bakou le 27 septembre.";
    let at = text.find("Bakou").unwrap_or(0);
    let Some(mut m) = mention(at, "Bakou".len(), 0) else {
        eprintln!("skipped: no gazetteer index");
        return;
    };
    m.text = "Bakou".into();
    let doc = Document {
        text: text.into(),
        lang: Some("fr".into()),
        published: chrono::NaiveDate::from_ymd_opt(2020, 10, 9),
    };
    let events = Extractor::new()
        .expect("built-in lexicons")
        .extract_with_mentions(&doc, &[m]);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.event_type, extract::EventType::ExplosionsRemoteViolence);
    assert_eq!(
        e.date.as_ref().map(|d| d.date.to_string()).as_deref(),
        Some("2020-09-27")
    );
    assert_eq!(
        e.places[0].mention.as_ref().map(|s| s.text.as_str()),
        Some("Bakou")
    );
    assert_eq!(e.actors[0].text, "forces");
    let json = serde_json::to_string(e).expect("serialises");
    let back: extract::Event = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(&back, e);
    let feature = serde_json::to_value(extract::geojson::feature(e, Some("doc-1")))
        .expect("a feature serialises");
    assert_eq!(feature["geometry"]["type"], "Point");
    assert_eq!(feature["properties"]["type"], "explosions_remote_violence");
}
