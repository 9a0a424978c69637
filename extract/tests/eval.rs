//! The event test sets (French and English sentences of karta's own): precision and recall of
//! event type, place and date. `tests/events.jsonl` is the development set, which the lexicons
//! were tuned on; `tests/events-heldout.jsonl` was written afterwards by someone else and never
//! tuned on, so its figures say how the extractor does on text it has not seen. Needs the
//! gazetteer index; skipped when it cannot be opened.
//!
//! `cargo test -p extract --release --test eval -- --nocapture` prints the table that
//! BENCHMARKS.md quotes; `KARTA_EVAL_VERBOSE=1` also prints every miss.

use extract::{Document, Event, Extractor};
use gazetteer::Gazetteer;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    id: String,
    lang: String,
    published: chrono::NaiveDate,
    text: String,
    events: Vec<Gold>,
}

#[derive(Deserialize)]
struct Gold {
    #[serde(rename = "type")]
    event_type: String,
    place: String,
    date: Option<String>,
}

/// True positives, predictions and gold events at one level of matching.
#[derive(Default, Clone, Copy)]
struct Count {
    tp: usize,
    predicted: usize,
    gold: usize,
}

impl Count {
    fn precision(self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.tp as f64 / self.predicted as f64
        }
    }
    fn recall(self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.tp as f64 / self.gold as f64
        }
    }
}

/// Lower-cased letters and digits only, accents kept.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether one of the event's places is the gold place: `place` lists the gazetteer's names of
/// the one place (`Geneva|Genève`); a name may contain the other (`Kaduna`, `Kaduna State`).
fn place_ok(e: &Event, gold: &Gold) -> bool {
    gold.place.split('|').map(key).any(|g| {
        e.places.iter().any(|p| {
            let n = key(&p.name);
            !n.is_empty() && (n.contains(&g) || g.contains(&n))
        })
    })
}

fn date_ok(e: &Event, gold: &Gold) -> bool {
    e.date.as_ref().map(|d| d.date.to_string()) == gold.date
}

fn type_ok(e: &Event, gold: &Gold) -> bool {
    e.event_type.as_str() == gold.event_type
}

/// Greedy one-to-one matching of predictions to gold events under `ok`.
fn matched(events: &[Event], gold: &[Gold], ok: impl Fn(&Event, &Gold) -> bool) -> usize {
    let mut used = vec![false; gold.len()];
    let mut tp = 0;
    for e in events {
        if let Some(i) = (0..gold.len()).find(|&i| !used[i] && ok(e, &gold[i])) {
            used[i] = true;
            tp += 1;
        }
    }
    tp
}

#[test]
fn event_test_set() {
    evaluate(
        "development",
        include_str!("events.jsonl"),
        40,
        0.7,
        0.75,
        0.6,
    );
}

#[test]
fn held_out_test_set() {
    evaluate(
        "held out",
        include_str!("events-heldout.jsonl"),
        20,
        0.9,
        0.8,
        0.65,
    );
}

/// Scores one set and checks its floors: sentences per language, type precision and recall, and
/// type+place+date recall.
fn evaluate(
    name: &str,
    set: &str,
    min_sentences: usize,
    type_precision: f64,
    type_recall: f64,
    full_recall: f64,
) {
    let Ok(gaz) = Gazetteer::open_default() else {
        eprintln!(
            "skipped: no gazetteer index at {}",
            Gazetteer::default_path().display()
        );
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let cases: Vec<Case> = set
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a test case"))
        .collect();
    let verbose = std::env::var_os("KARTA_EVAL_VERBOSE").is_some();
    let mut table = Vec::new();
    for lang in ["fr", "en"] {
        let mut counts = [Count::default(); 4];
        let mut sentences = 0;
        for case in cases.iter().filter(|c| c.lang == lang) {
            sentences += 1;
            let doc = Document {
                text: case.text.clone(),
                lang: Some(case.lang.clone()),
                published: Some(case.published),
            };
            let events = extractor.extract(&gaz, &doc);
            let tps = [
                matched(&events, &case.events, type_ok),
                matched(&events, &case.events, |e, g| {
                    type_ok(e, g) && place_ok(e, g)
                }),
                matched(&events, &case.events, |e, g| type_ok(e, g) && date_ok(e, g)),
                matched(&events, &case.events, |e, g| {
                    type_ok(e, g) && place_ok(e, g) && date_ok(e, g)
                }),
            ];
            for (c, tp) in counts.iter_mut().zip(tps) {
                c.tp += tp;
                c.predicted += events.len();
                c.gold += case.events.len();
            }
            if verbose && (tps[3] != case.events.len() || events.len() != case.events.len()) {
                let got: Vec<String> = events
                    .iter()
                    .map(|e| {
                        let places: Vec<&str> = e.places.iter().map(|p| p.name.as_str()).collect();
                        format!(
                            "{} @{} {:?}",
                            e.event_type.as_str(),
                            places.join(">"),
                            e.date.as_ref().map(|d| d.date.to_string())
                        )
                    })
                    .collect();
                let want: Vec<String> = case
                    .events
                    .iter()
                    .map(|g| format!("{} @{} {:?}", g.event_type, g.place, g.date))
                    .collect();
                eprintln!(
                    "{}: {}\n   want {want:?}\n   got  {got:?}",
                    case.id, case.text
                );
            }
        }
        for (name, c) in ["type", "type+place", "type+date", "type+place+date"]
            .iter()
            .zip(counts)
        {
            table.push(format!(
                "| {lang} | {sentences} | {name} | {:.2} | {:.2} | {}/{} | {}/{} |",
                c.precision(),
                c.recall(),
                c.tp,
                c.predicted,
                c.tp,
                c.gold
            ));
        }
        assert!(
            sentences >= min_sentences,
            "{lang}: at least {min_sentences} sentences"
        );
        assert!(
            counts[0].precision() >= type_precision && counts[0].recall() >= type_recall,
            "{name}, {lang}: type P/R too low"
        );
        assert!(
            counts[3].recall() >= full_recall,
            "{name}, {lang}: type+place+date recall too low"
        );
    }
    println!("{name} set:");
    println!("| lang | sentences | level | precision | recall | tp/predicted | tp/gold |");
    println!("|---|---|---|---|---|---|---|");
    for row in table {
        println!("{row}");
    }
}
