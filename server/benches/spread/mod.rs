//! Synthetic events spread like real ones, shared by the benches of the map and the stores at
//! scale: on some 1,500 cities, three in five in five dense countries, six types over 730 days,
//! made once into an SQLite file that the next run reuses; and a real server on 127.0.0.1 over
//! a pipeline.

use super::common::Lcg;
use extract::{
    DatePrecision, Event, EventDate, EventGeometry, EventPlace, EventType, LocationPrecision,
    TextSpan,
};
use karta::api::{ApiSettings, site};
use karta::ingest::Pipeline;
use karta::listen::{ConnectionLimits, serve};
use karta::store::{SqliteStore, Store};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The dense countries' boxes (Ukraine, Syria, the South Caucasus, Mali, Myanmar): three
/// events in five fall there.
pub const DENSE: [[f64; 4]; 5] = [
    [22.0, 44.5, 40.0, 52.0],
    [35.8, 32.5, 42.0, 37.2],
    [43.5, 38.5, 50.0, 42.0],
    [-12.0, 11.0, 4.0, 20.0],
    [92.5, 16.0, 101.0, 27.0],
];

/// Cities `[lon, lat]`: 300 in the dense countries, then 1,200 anywhere between 50 S and 70 N.
pub fn cities(rng: &mut Lcg) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for (i, b) in DENSE.iter().cycle().take(300).enumerate() {
        let _ = i;
        out.push([
            b[0] + rng.unit() * (b[2] - b[0]),
            b[1] + rng.unit() * (b[3] - b[1]),
        ]);
    }
    for _ in 0..1200 {
        out.push([rng.unit() * 350.0 - 175.0, rng.unit() * 120.0 - 50.0]);
    }
    out
}

fn span(text: &str) -> TextSpan {
    TextSpan {
        start: 0,
        end: text.len(),
        char_start: 0,
        char_end: text.chars().count(),
        text: text.to_owned(),
    }
}

/// Event `i` at a city: a type in turn, a day in 2023–2024, a point near the city.
fn event(i: usize, rng: &mut Lcg, city: [f64; 2]) -> Event {
    let lon = (city[0] + (rng.unit() - 0.5) * 0.2).clamp(-180.0, 180.0);
    let lat = city[1] + (rng.unit() - 0.5) * 0.2;
    let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let date = first + chrono::Days::new((rng.unit() * 730.0) as u64);
    Event {
        event_type: EventType::ALL[i % 6],
        sub_type: "Armed clash".into(),
        action: "armed_clash".into(),
        date: Some(EventDate {
            date,
            precision: DatePrecision::Day,
            span: None,
        }),
        geometry: EventGeometry::Point { lon, lat },
        places: vec![EventPlace {
            place_id: 1,
            name: format!("City {}", i % 1500),
            lat,
            lon,
            country: "UA".into(),
            mention: None,
        }],
        location_precision: LocationPrecision::Exact,
        geo_precision: 1,
        actors: vec![span("Someone's forces")],
        actor1: None,
        actor2: None,
        claim: None,
        sentence: span(&format!("Report {i}: fighting near the city overnight.")),
        evidence: Vec::new(),
        confidence: 0.8,
        mentions: Vec::new(),
        fatalities: None,
        wounded: None,
    }
}

/// Picks a city: three in five in the dense countries' 300, the rest anywhere, each list
/// skewed towards its first cities (a big city gets more news).
pub fn pick(rng: &mut Lcg, cities: &[[f64; 2]]) -> [f64; 2] {
    let skewed = |rng: &mut Lcg, n: usize| ((rng.unit() * rng.unit()) * n as f64) as usize;
    if rng.unit() < 0.6 {
        cities[skewed(rng, 300)]
    } else {
        cities[300 + skewed(rng, cities.len() - 300)]
    }
}

/// The database of `n` events, made once and kept for the next run.
pub fn database(n: usize) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("clusters-{n}.db"));
    if path.exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let store = SqliteStore::open(&partial).expect("store");
    let mut rng = Lcg(2026);
    let cities = cities(&mut rng);
    let started = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(50_000) {
        let events: Vec<(String, Event)> = chunk
            .iter()
            .map(|&i| {
                let city = pick(&mut rng, &cities);
                (i.to_string(), event(i, &mut rng, city))
            })
            .collect();
        store.import_events("bench", &events).expect("imported");
    }
    eprintln!("{n} events stored in {:.0?}", started.elapsed());
    drop(store);
    std::fs::rename(&partial, &path).expect("renamed");
    path
}

/// How many events the benches at scale spread: `$KARTA_BENCH_EVENTS`, 1,000,000 by default.
pub fn how_many() -> usize {
    std::env::var("KARTA_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Serves `pipeline` as `karta serve` mounts it (pages included, a long timeout) on a free port
/// of 127.0.0.1 within `runtime`, and gives its base URL.
pub fn serve_on(runtime: &tokio::runtime::Runtime, pipeline: Pipeline) -> String {
    let settings = ApiSettings {
        timeout: Duration::from_secs(600),
        ..ApiSettings::default()
    };
    let app = site(pipeline, &settings, None);
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("an address");
        tokio::spawn(serve(
            listener,
            app,
            ConnectionLimits::default(),
            std::future::pending(),
        ));
        format!("http://{addr}")
    })
}
