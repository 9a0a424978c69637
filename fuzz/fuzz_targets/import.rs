//! The GeoJSON and CSV importers (`karta import`) on any bytes: errors, never a panic, and
//! every event read lies on the map.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let gaz = karta_fuzz::gazetteer();
    let mut batches = Vec::new();
    batches.extend(karta::import::read(data, &gaz).ok());
    if let Ok(text) = std::str::from_utf8(data) {
        batches.extend(karta::import::geojson(text, &gaz).ok());
        batches.extend(karta::import::csv(text, &gaz).ok());
    }
    for batch in batches {
        for (_, event) in batch.events {
            let b = karta::rtree::bbox_of(&event.geometry);
            assert!(b.min_lat >= -90.0 && b.max_lat <= 90.0, "{b:?}");
            assert!(b.min_lon >= -180.0 && b.max_lon <= 180.0, "{b:?}");
        }
    }
});
