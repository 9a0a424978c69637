//! `karta geoparse` as scripts use it: the JSONL contract of the evaluation (code-point offsets,
//! end exclusive, one line per document in input order, whatever the threads), the text and
//! GeoJSON formats, and clear errors for bad input.

use serde_json::Value;
use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

const KARTA: &str = env!("CARGO_BIN_EXE_karta");

/// `karta geoparse ARGS` with its three streams piped.
fn spawn_geoparse(args: &[&str]) -> Child {
    Command::new(KARTA)
        .arg("geoparse")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("karta runs")
}

fn geoparse(args: &[&str], stdin: &str) -> Output {
    let mut child = spawn_geoparse(args);
    // Written from another thread: karta answers while it reads, and both pipes can fill.
    let mut input = child.stdin.take().expect("stdin");
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || input.write_all(text.as_bytes()));
    let out = child.wait_with_output().expect("karta ends");
    // karta may stop reading at a bad line: a failed write is then expected.
    let _ = writer.join().expect("the writer ends");
    out
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
fn threads_keep_the_input_order_and_what_came_before_a_bad_line() {
    // More documents than one batch, of very different lengths, so that threads finish out of
    // order.
    let docs: String = (0..300)
        .map(|i| {
            let text = "Bakou et Erevan, Alep et Paris. ".repeat(1 + (i * 37) % 90);
            format!("{{\"id\": \"d{i}\", \"text\": \"{text}\"}}\n")
        })
        .collect();
    let one = geoparse(&["--threads", "1"], &docs);
    let three = geoparse(&["--threads", "3"], &docs);
    assert!(one.status.success() && three.status.success());
    assert_eq!(
        String::from_utf8_lossy(&one.stdout),
        String::from_utf8_lossy(&three.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&one.stdout).lines().count(), 300);

    // A bad line stops the run, after the documents before it.
    let broken = format!("{docs}{{\"id\": 3}}\n");
    let out = geoparse(&["--threads", "3"], &broken);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 301"));
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line")["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 300);
    assert_eq!(ids.last().map(String::as_str), Some("\"d299\""));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // Like `karta geoparse … | head -1`: the reader closes the pipe after the first line.
    let docs: String = (0..2000)
        .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"Bakou et Erevan, Alep et Paris.\"}}\n"))
        .collect();
    let mut child = spawn_geoparse(&[]);
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
