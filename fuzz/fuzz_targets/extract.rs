//! The event extractor on any UTF-8 text: every span it reports lies inside the text and says
//! what it covers, and every event lies on the map.

#![no_main]

use extract::{Document, TextSpan};
use libfuzzer_sys::fuzz_target;

/// Whether a span is the text it claims to be.
fn covers(text: &str, span: &TextSpan) -> bool {
    text.get(span.start..span.end) == Some(span.text.as_str())
}

fuzz_target!(|text: &str| {
    let gaz = karta_fuzz::gazetteer();
    let extractor = karta_fuzz::extractor();
    for lang in [None, Some("fr"), Some("en")] {
        let doc = Document {
            text: text.to_owned(),
            lang: lang.map(str::to_owned),
            // A publication date, so that relative dates ("yesterday") are resolved.
            published: chrono::NaiveDate::from_ymd_opt(2020, 10, 5),
        };
        for event in extractor.extract(&gaz, &doc) {
            assert!(covers(text, &event.sentence), "{:?}", event.sentence);
            for actor in &event.actors {
                assert!(covers(text, actor), "{actor:?}");
            }
            let b = karta::rtree::bbox_of(&event.geometry);
            assert!(b.min_lat >= -90.0 && b.max_lat <= 90.0, "{b:?}");
        }
    }
});
