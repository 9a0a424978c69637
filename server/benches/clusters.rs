//! The map at scale: `/api/clusters` against `/api/events.geojson` at world zoom over synthetic
//! events spread like real ones (on some 1,500 cities, a few countries dense), through a real
//! server on 127.0.0.1 (as `karta serve` mounts it, pages included) and a real SQLite file.
//! The first paint in a browser is `tests/browser/bench-scale.mjs`, on the same database.
//!
//! `KARTA_BENCH_EVENTS=1000000 cargo bench -p karta --bench clusters` (default 1,000,000);
//! the database is kept in the target's temporary folder and reused by the next run. Prints the
//! response sizes (raw and gzipped); figures go to `BENCHMARKS.md`, "Map at scale".

mod common;

use common::Lcg;
use criterion::{Criterion, criterion_group, criterion_main};
use extract::{
    DatePrecision, Event, EventDate, EventGeometry, EventPlace, EventType, LocationPrecision,
    TextSpan,
};
use karta::api::{ApiSettings, site};
use karta::ingest::Pipeline;
use karta::listen::{ConnectionLimits, serve};
use karta::store::{SqliteStore, Store};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The dense countries' boxes (Ukraine, Syria, the South Caucasus, Mali, Myanmar): three
/// events in five fall there.
const DENSE: [[f64; 4]; 5] = [
    [22.0, 44.5, 40.0, 52.0],
    [35.8, 32.5, 42.0, 37.2],
    [43.5, 38.5, 50.0, 42.0],
    [-12.0, 11.0, 4.0, 20.0],
    [92.5, 16.0, 101.0, 27.0],
];

/// Cities `[lon, lat]`: 300 in the dense countries, then 1,200 anywhere between 50 S and 70 N.
fn cities(rng: &mut Lcg) -> Vec<[f64; 2]> {
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
fn pick(rng: &mut Lcg, cities: &[[f64; 2]]) -> [f64; 2] {
    let skewed = |rng: &mut Lcg, n: usize| ((rng.unit() * rng.unit()) * n as f64) as usize;
    if rng.unit() < 0.6 {
        cities[skewed(rng, 300)]
    } else {
        cities[300 + skewed(rng, cities.len() - 300)]
    }
}

/// The database of `n` events, made once and kept for the next run.
fn database(n: usize) -> PathBuf {
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

/// Bytes of a response, raw (`gzip` false) or as a browser receives it (gzip).
async fn bytes(client: &reqwest::Client, url: &str, gzip: bool) -> usize {
    let mut request = client.get(url);
    if gzip {
        request = request.header("accept-encoding", "gzip");
    }
    let r = request.send().await.expect("an answer");
    assert!(r.status().is_success(), "{url}: {}", r.status());
    r.bytes().await.expect("a body").len()
}

fn world_zoom(c: &mut Criterion) {
    let n: usize = std::env::var("KARTA_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = database(n);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let store = SqliteStore::open(&path).expect("store");
    let started = Instant::now();
    let gazetteer = Arc::new(gazetteer::Gazetteer::open_default().expect("gazetteer"));
    let extractor = Arc::new(extract::Extractor::new().expect("built-in lexicons"));
    let pipeline = Pipeline::new(Arc::new(store), gazetteer, extractor).expect("pipeline");
    eprintln!(
        "{} events; gazetteer and R-tree loaded in {:.0?}",
        pipeline.store().counts().expect("counts").1,
        started.elapsed()
    );
    let settings = ApiSettings {
        timeout: Duration::from_secs(600),
        ..ApiSettings::default()
    };
    let app = site(pipeline, &settings, None);
    let base = runtime.block_on(async {
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
    });
    let client = reqwest::Client::new();
    // The map's world view on a 1280 × 800 canvas: zoom 2.3 shows the whole world.
    let world = "bbox=-180,-85,180,85";
    let views = [
        (
            "clusters_world_z2",
            format!("{base}/api/clusters?{world}&zoom=2.3"),
        ),
        (
            "clusters_world_z2_2024",
            format!(
                "{base}/api/clusters?{world}&zoom=2.3&from=2024-01-01&to=2024-12-31&type=battles,protests"
            ),
        ),
        (
            "clusters_ukraine_z5",
            format!("{base}/api/clusters?bbox=22,44,40,52.5&zoom=5"),
        ),
        (
            "events_geojson_world",
            format!("{base}/api/events.geojson?{world}"),
        ),
    ];
    for (name, url) in &views {
        let (raw, gz) = runtime.block_on(async {
            (
                bytes(&client, url, false).await,
                bytes(&client, url, true).await,
            )
        });
        eprintln!("{name}: {raw} bytes, {gz} gzipped");
    }
    let mut group = c.benchmark_group(format!("map_{n}_events"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (name, url) in &views {
        group.bench_function(*name, |b| {
            b.iter(|| runtime.block_on(bytes(&client, url, false)))
        });
    }
    group.finish();
}

criterion_group!(benches, world_zoom);
criterion_main!(benches);
