//! The geoparser on any UTF-8 text, in each lexicon's language and none: spans lie inside
//! the text, on character boundaries, and say what they cover.

#![no_main]

use gazetteer::GeoparseOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let gaz = karta_fuzz::gazetteer();
    for lang in [None, Some("fr"), Some("en")] {
        let options = GeoparseOptions {
            lang: lang.map(str::to_owned),
            min_score: 0.0,
            keep_organisations: true,
            ..GeoparseOptions::default()
        };
        for m in gaz.geoparse(text, &options) {
            assert_eq!(text.get(m.bytes.clone()), Some(m.text.as_str()));
            assert!(m.chars.start <= m.chars.end);
        }
    }
});
