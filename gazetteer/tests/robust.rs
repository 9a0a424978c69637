//! Any UTF-8 input is accepted: the geoparser never panics and gives spans inside the text.

use gazetteer::{Gazetteer, GeoparseOptions};
use proptest::prelude::*;
use std::sync::OnceLock;

fn gaz() -> &'static Gazetteer {
    static GAZ: OnceLock<Gazetteer> = OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the shipped gazetteer opens"))
}

fn check(text: &str) {
    for lang in [None, Some("fr".to_owned()), Some("en".to_owned())] {
        let options = GeoparseOptions {
            lang,
            min_score: 0.0,
            keep_organisations: true,
            ..GeoparseOptions::default()
        };
        for m in gaz().geoparse(text, &options) {
            assert!(m.bytes.end <= text.len());
            assert_eq!(&text[m.bytes.clone()], m.text);
            assert!(m.chars.start <= m.chars.end);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_string_is_safe(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn place_like_strings_are_safe(text in "([A-ZÉa-zé’'.,« »\\-]{0,12} ?){0,30}") {
        check(&text);
    }
}

#[test]
fn ten_megabytes_of_news_like_text() {
    let unit = "Le 9 octobre, Bakou et Erevan ont échangé des tirs près de Stepanakert. \
                Officials in Paris, Texas, said. ";
    let text = unit.repeat(10_000_000 / unit.len());
    let m = gaz().geoparse(&text, &GeoparseOptions::default());
    assert!(m.len() > 10_000);
}

#[test]
fn pathological_inputs() {
    check(&"é".repeat(100_000));
    check(&"A".repeat(100_000));
    check(&"Saint-".repeat(20_000));
    check(&". ".repeat(50_000));
    check(&"d’".repeat(50_000));
    check("\u{0301}\u{0301}Baku\u{200d}\u{feff}");
}

#[test]
fn damaged_index_files_are_errors() {
    let good = std::fs::read(Gazetteer::default_path()).expect("the shipped index");
    let dir = std::env::temp_dir().join(format!("karta-index-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let cases: [(&str, Vec<u8>); 4] = [
        ("empty", Vec::new()),
        (
            "wrong magic",
            b"NOTKARTA".iter().chain(&good[8..]).copied().collect(),
        ),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("header only", good[..200].to_vec()),
    ];
    for (name, bytes) in cases {
        let path = dir.join(name.replace(' ', "-"));
        std::fs::write(&path, bytes).expect("written");
        let err = Gazetteer::open(&path).expect_err(name);
        assert!(
            err.to_string().contains("not a karta gazetteer index"),
            "{name}: {err}"
        );
    }
    let missing = Gazetteer::open(dir.join("missing")).expect_err("missing file");
    assert!(missing.to_string().contains("missing"), "{missing}");
    std::fs::remove_dir_all(&dir).ok();
}
