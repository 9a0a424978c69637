//! The map and the stores at scale, over synthetic events spread like real ones (on some 1,500
//! cities, a few countries dense; `spread`), through a real server on 127.0.0.1 (as `karta
//! serve` mounts it, pages included):
//!
//! - `world_zoom`: `/api/clusters` against `/api/events.geojson` at world zoom, on a real
//!   SQLite file. The first paint in a browser is `tests/browser/bench-scale.mjs`, on the same
//!   database.
//! - `stores_side_by_side` (only beside a PostgreSQL cluster, `scripts/with-postgres`): the same
//!   events copied into PostGIS by `karta migrate`'s copy, and the map's and the list's queries
//!   for a city, a country and a radius asked of a server on each store in turn, p50 and p99.
//!
//! `KARTA_BENCH_EVENTS=1000000 cargo bench -p karta --bench clusters` (default 1,000,000);
//! the database is kept in the target's temporary folder and reused by the next run. Prints the
//! response sizes (raw and gzipped) and the percentiles; figures go to `BENCHMARKS.md`, "Map at
//! scale" and "PostgreSQL".

mod common;
mod spread;

use common::Lcg;
use criterion::{Criterion, criterion_group, criterion_main};
use karta::ingest::Pipeline;
use karta::store::{PostgresStore, SqliteStore, Store};
use spread::{DENSE, cities, database, how_many, serve_on};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A pipeline over `store`, with the shipped gazetteer and lexicons, timed.
fn pipeline_over(store: Arc<dyn Store>) -> Pipeline {
    let started = Instant::now();
    let gazetteer = Arc::new(gazetteer::Gazetteer::open_default().expect("gazetteer"));
    let extractor = Arc::new(extract::Extractor::new().expect("built-in lexicons"));
    let pipeline = Pipeline::new(store, gazetteer, extractor).expect("pipeline");
    eprintln!(
        "{} events; gazetteer and R-tree (if any) loaded in {:.0?}",
        pipeline.store().counts().expect("counts").1,
        started.elapsed()
    );
    pipeline
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
    let n = how_many();
    let path = database(n);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let store = SqliteStore::open(&path).expect("store");
    let base = serve_on(&runtime, pipeline_over(Arc::new(store)));
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

/// The p50 and p99 of durations, in milliseconds.
fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.99))
}

/// The queries of the side-by-side run: for each kind, 64 URL paths over the seeded cities
/// (a box of 0.2° around a city holds its events) and the dense countries' boxes.
fn store_queries() -> Vec<(&'static str, Vec<String>)> {
    let cities = cities(&mut Lcg(2026));
    let some = |step: usize| cities.iter().step_by(step).take(64).copied();
    let city_box = |c: [f64; 2]| {
        format!(
            "bbox={:.3},{:.3},{:.3},{:.3}",
            c[0] - 0.1,
            c[1] - 0.1,
            c[0] + 0.1,
            c[1] + 0.1
        )
    };
    let country = |i: usize| {
        let b = DENSE[i % DENSE.len()];
        format!("bbox={},{},{},{}", b[0], b[1], b[2], b[3])
    };
    let near = |c: [f64; 2], km: u32| format!("near={:.3},{:.3}&radius_km={km}", c[0], c[1]);
    vec![
        (
            "city, map (GeoJSON of the box)",
            some(7)
                .map(|c| format!("/api/events.geojson?{}", city_box(c)))
                .collect(),
        ),
        (
            "city, list (first 100)",
            some(7)
                .map(|c| format!("/api/events?{}&limit=100", city_box(c)))
                .collect(),
        ),
        (
            "country, list (first 100)",
            (0..64)
                .map(|i| format!("/api/events?{}&limit=100", country(i)))
                .collect(),
        ),
        (
            "country, map (clusters, zoom 5)",
            (0..64)
                .map(|i| format!("/api/clusters?{}&zoom=5", country(i)))
                .collect(),
        ),
        (
            "radius 25 km, list (first 100)",
            some(7)
                .map(|c| format!("/api/events?{}&limit=100", near(c, 25)))
                .collect(),
        ),
        (
            "radius 250 km, list (first 100)",
            some(5)
                .map(|c| format!("/api/events?{}&limit=100", near(c, 250)))
                .collect(),
        ),
    ]
}

/// The body of a successful GET.
async fn body(client: &reqwest::Client, url: &str) -> Vec<u8> {
    let r = client.get(url).send().await.expect("an answer");
    assert!(r.status().is_success(), "{url}: {}", r.status());
    r.bytes().await.expect("a body").to_vec()
}

/// Issue 21's comparison: the same events in SQLite (with the server's R-tree) and in PostGIS
/// (copied by `karta migrate`'s copy into a fresh database of `$KARTA_TEST_POSTGRES`), each
/// query asked of both servers in turn, the first round checking they answer the same bytes,
/// then four timed rounds; p50 and p99 per store.
fn stores_side_by_side(_: &mut Criterion) {
    let Ok(cluster) = std::env::var("KARTA_TEST_POSTGRES") else {
        return;
    };
    let n = how_many();
    let path = database(n);
    let url = postgres_copy(&cluster, &path, n);
    let postgres = PostgresStore::open(&url).expect("the PostgreSQL store");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let sqlite = SqliteStore::open(&path).expect("store");
    let bases = [
        serve_on(&runtime, pipeline_over(Arc::new(sqlite))),
        serve_on(&runtime, pipeline_over(Arc::new(postgres))),
    ];
    let client = reqwest::Client::new();
    for (kind, paths) in store_queries() {
        let mut times = [Vec::new(), Vec::new()];
        let mut size = 0;
        for round in 0..5 {
            for path in &paths {
                let answers = bases.clone().map(|base| {
                    let started = Instant::now();
                    let answer = runtime.block_on(body(&client, &format!("{base}{path}")));
                    (answer, started.elapsed())
                });
                if round == 0 {
                    assert_eq!(
                        comparable(path, &answers[0].0),
                        comparable(path, &answers[1].0),
                        "{path}: both stores agree"
                    );
                    size += answers[0].0.len();
                } else {
                    times[0].push(answers[0].1);
                    times[1].push(answers[1].1);
                }
            }
        }
        let [(s50, s99), (p50, p99)] = times.map(percentiles);
        eprintln!(
            "{kind}: SQLite p50 {s50:.2} ms, p99 {s99:.2} ms; PostGIS p50 {p50:.2} ms, \
             p99 {p99:.2} ms ({:.1}× at p50); {} bytes an answer",
            p50 / s50,
            size / paths.len()
        );
    }
}

/// What both stores must answer alike: the bytes of a page or a GeoJSON, the number of events
/// of the clusters (whose centres are sums added in another order).
fn comparable(path: &str, body: &[u8]) -> Vec<u8> {
    if !path.starts_with("/api/clusters") {
        return body.to_vec();
    }
    let clusters: vocab::Clusters = serde_json::from_slice(body).expect("clusters");
    clusters.total.to_string().into_bytes()
}

/// The URL of a database of the cluster whose `postgres` database `cluster` names, holding a
/// copy of the `n` events at `path` made by `karta migrate`'s copy (timed), kept for the next
/// run like the SQLite file.
fn postgres_copy(cluster: &str, path: &std::path::Path, n: usize) -> String {
    let name = format!("karta_bench_{n}");
    let (base, _) = cluster.rsplit_once('/').expect("a database in the URL");
    let url = format!("{base}/{name}");
    let held = postgres::Client::connect(&url, postgres::NoTls)
        .and_then(|mut c| c.query_one("SELECT count(*) FROM events", &[]))
        .map(|row| row.get::<_, i64>(0));
    if held.is_ok_and(|held| held == n as i64) {
        return url;
    }
    let url = common::fresh_database(cluster, &name);
    let store = PostgresStore::open(&url).expect("the PostgreSQL store");
    let started = Instant::now();
    karta::store::copy_sqlite(path, &store).expect("copied");
    eprintln!(
        "{n} events copied into PostGIS in {:.0?}",
        started.elapsed()
    );
    url
}

criterion_group!(benches, world_zoom, stores_side_by_side);
criterion_main!(benches);
