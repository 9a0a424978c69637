//! The GeoNames importer (`karta gazetteer build`) on any dump: the input is cut at each line
//! `=====` into the place table, the alternate names, the admin1 codes, the country table and
//! the demonyms, written to a folder; building the index gives an error or an index that opens
//! and answers a lookup, never a panic.

#![no_main]

use gazetteer::Gazetteer;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// The files of a dump, in the order the input gives them.
const FILES: [&str; 5] = [
    "cities1000.txt",
    "alternateNamesV2.txt",
    "admin1CodesASCII.txt",
    "countryInfo.txt",
    "demonyms.tsv",
];

/// A folder of this process, rewritten for each input.
static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temp dir"));

fuzz_target!(|data: &[u8]| {
    let dir = DIR.path();
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split("\n=====\n");
    for name in FILES {
        let path = dir.join(name);
        match parts.next() {
            Some(part) => std::fs::write(&path, part).expect("the file is written"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let out = dir.join("index.gaz");
    if gazetteer::build_index(dir, &out).is_ok() {
        let gaz = Gazetteer::open(&out).expect("a built index opens");
        let _ = gaz.lookup("Baku", Some("fr"));
    }
});
