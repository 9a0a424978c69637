//! `karta geoparse` as scripts use it: the JSONL contract of the evaluation (code-point offsets,
//! end exclusive, one line per document in input order), the text and GeoJSON formats, and clear
//! errors for bad input.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const KARTA: &str = env!("CARGO_BIN_EXE_karta");

fn geoparse(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(KARTA)
        .arg("geoparse")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("karta runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("written");
    child.wait_with_output().expect("karta ends")
}

const DOCS: &str = concat!(
    r#"{"id": "fr-1", "lang": "fr", "text": "« Le 9 octobre », Bakou a répondu à Erevan."}"#,
    "\n",
    r#"{"id": "en-2", "text": "No place here at all."}"#,
    "\n\n",
    r#"{"id": "en-3", "lang": "en", "text": "Officials in Alexandria, Louisiana, met."}"#,
    "\n",
);

#[test]
fn jsonl_follows_the_evaluation_contract() {
    let out = geoparse(&[], DOCS);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["fr-1", "en-2", "en-3"]);
    let text = "« Le 9 octobre », Bakou a répondu à Erevan.";
    let found = lines[0]["toponyms"].as_array().expect("toponyms");
    assert_eq!(found.len(), 2, "{found:?}");
    for t in found {
        let (start, end) = (
            t["start"].as_u64().expect("start"),
            t["end"].as_u64().expect("end"),
        );
        let span: String = text
            .chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect();
        assert_eq!(span, t["name"].as_str().expect("name"));
        for key in ["lat", "lon", "geonameid", "score"] {
            assert!(t[key].is_number(), "{key} in {t}");
        }
    }
    assert_eq!(found[0]["place"], "Baku");
    assert!(
        lines[1]["toponyms"]
            .as_array()
            .expect("toponyms")
            .is_empty()
    );
    assert_eq!(lines[2]["toponyms"][0]["geonameid"], 4314550);
}

#[test]
fn text_and_geojson_formats() {
    let out = geoparse(&["--format", "text"], DOCS);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("Bakou") && text.contains("-> Baku"), "{text}");
    let out = geoparse(&["--format", "geojson"], DOCS);
    let fc: Value = serde_json::from_slice(&out.stdout).expect("GeoJSON");
    assert_eq!(fc["type"], "FeatureCollection");
    let first = &fc["features"][0];
    assert_eq!(first["geometry"]["type"], "Point");
    let lon = first["geometry"]["coordinates"][0].as_f64().expect("lon");
    assert!((lon - 49.89).abs() < 0.1, "longitude first: {first}");
}

#[test]
fn bad_input_is_a_clear_error() {
    let out = geoparse(&[], "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": 3}\n");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");

    let dir = std::env::temp_dir().join(format!("karta-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let bad = dir.join("latin1.txt");
    std::fs::write(&bad, b"Caf\xe9 \xe0 Bakou").expect("written");
    let out = Command::new(KARTA)
        .arg("geoparse")
        .arg(&bad)
        .output()
        .expect("karta runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("latin1.txt") && err.contains("not valid UTF-8"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // Like `karta geoparse … | head -1`: the reader closes the pipe after the first line.
    let docs: String = (0..2000)
        .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"Bakou et Erevan, Alep et Paris.\"}}\n"))
        .collect();
    let mut child = Command::new(KARTA)
        .arg("geoparse")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("karta runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // karta may stop reading once its output is gone: a failed write here is expected.
        let _ = stdin.write_all(docs.as_bytes());
    });
    let mut first = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    std::io::BufRead::read_line(&mut stdout, &mut first).expect("a first line");
    drop(stdout);
    let out = child.wait_with_output().expect("karta ends");
    writer.join().expect("the writer ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(first.contains("\"d0\""), "{first}");
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
