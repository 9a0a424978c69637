//! The importer on a tiny GeoNames dump (`tests/data/dump`): a cities-only place table, the
//! alternate names with their languages, first-level codes, country info and demonyms.

use gazetteer::{Gazetteer, GeoparseOptions, MentionKind, build_index};
use std::path::{Path, PathBuf};

fn dump() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dump")
}

fn built(name: &str) -> (Gazetteer, PathBuf) {
    let dir = std::env::temp_dir().join(format!("karta-import-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let out = dir.join("test.gaz");
    let report = build_index(&dump(), &out).expect("the dump imports");
    assert!(report.places >= 6);
    (Gazetteer::open(&out).expect("the index opens"), dir)
}

#[test]
fn names_in_every_language_find_their_place() {
    let (gaz, dir) = built("names");
    assert_eq!(gaz.lookup("Bakou", Some("fr"))[0].place.name, "Baku");
    assert_eq!(gaz.lookup("Баку", None)[0].place.name, "Baku");
    assert_eq!(gaz.lookup("Erevan", None)[0].place.name, "Yerevan");
    assert!(
        gaz.lookup("https://en.wikipedia.org/wiki/Yerevan", None)
            .is_empty()
    );
    let ganja = &gaz.lookup("Elisabethpol", None)[0];
    assert_eq!(ganja.name_kind, gazetteer::NameKind::Historic);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_cities_only_dump_still_knows_countries_and_divisions() {
    let (gaz, dir) = built("divisions");
    let az = &gaz.lookup("Azerbaïdjan", Some("fr"))[0].place;
    assert_eq!(
        (az.feature_code.as_str(), az.country.as_str()),
        ("PCLI", "AZ")
    );
    assert!(
        (az.lat - 40.4).abs() < 1.0 && (az.lon - 48.8).abs() < 2.0,
        "{az:?}"
    );
    let la = &gaz.lookup("Louisiana", None)[0].place;
    assert_eq!(la.feature_code, "ADM1");
    let alexandria = gaz.place(4314550).expect("Alexandria, Louisiana");
    assert_eq!(
        gaz.admin1_of(&alexandria).map(|a| a.name).as_deref(),
        Some("Louisiana")
    );
    assert_eq!(
        gaz.country_of(&alexandria).map(|c| c.name).as_deref(),
        Some("United States")
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_place_is_shown_by_its_english_name_where_its_main_name_is_not_it() {
    let (gaz, dir) = built("english");
    let division = gaz.place(587081).expect("the division of Baku");
    assert_eq!(division.name, "Baku");
    assert_eq!(
        division.display_name(),
        "Baku City",
        "its preferred English name"
    );
    let yerevan = gaz.place(616052).expect("Yerevan");
    assert_eq!(
        yerevan.display_name(),
        "Yerevan",
        "not its historic «Erivan»"
    );
    assert!(yerevan.english.is_empty());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_built_index_geoparses() {
    let (gaz, dir) = built("geoparse");
    let options = GeoparseOptions {
        lang: Some("fr".into()),
        min_score: 0.0,
        ..GeoparseOptions::default()
    };
    let m = gaz.geoparse(
        "Les forces azerbaïdjanaises ont quitté Bakou pour Erevan.",
        &options,
    );
    let texts: Vec<&str> = m.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(texts, ["azerbaïdjanaises", "Bakou", "Erevan"]);
    assert_eq!(m[0].kind, MentionKind::Demonym);
    assert_eq!(m[0].place.country, "AZ");
    let m = gaz.geoparse(
        "Officials in Alexandria, Louisiana, met.",
        &GeoparseOptions::default(),
    );
    assert_eq!(m[0].place.id, 4314550, "{m:?}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_rows_are_errors_that_name_the_file_and_line() {
    let dir = std::env::temp_dir().join(format!("karta-import-{}-bad", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::fs::write(
        dir.join("cities500.txt"),
        "1\tA\tA\t\t10\t10\tP\tPPL\tAZ\t\t01\t\t\t\t5\t\t\t\t\n2\tB\tB\t\t95\t10\tP\tPPL\tAZ\t\t01\t\t\t\t5\t\t\t\t\n",
    )
    .expect("written");
    let err = build_index(&dir, &dir.join("x.gaz")).expect_err("latitude 95");
    let msg = err.to_string();
    assert!(
        msg.contains("cities500.txt") && msg.contains("line 2"),
        "{msg}"
    );
    std::fs::write(dir.join("cities500.txt"), b"1\tA\xff\tA\n").expect("written");
    let msg = build_index(&dir, &dir.join("x.gaz"))
        .expect_err("not UTF-8")
        .to_string();
    assert!(msg.contains("not valid UTF-8"), "{msg}");
    let empty = std::env::temp_dir().join(format!("karta-import-{}-empty", std::process::id()));
    std::fs::create_dir_all(&empty).expect("a temp dir");
    let msg = build_index(&empty, &empty.join("x.gaz"))
        .expect_err("no table")
        .to_string();
    assert!(msg.contains("no allCountries.txt"), "{msg}");
    std::fs::remove_dir_all(dir).ok();
    std::fs::remove_dir_all(empty).ok();
}
