//! Server benchmarks: the event R-tree against SQLite's R*Tree module on the same 1,000,000
//! synthetic events (and against PostGIS beside a test cluster), the GeoJSON export of 100,000
//! events, and the ingest of the LGL texts into SQLite (and into PostgreSQL beside a cluster:
//! `bash scripts/with-postgres cargo bench -p karta --bench server -- ingest`).
//!
//! `cargo bench -p karta --bench server`; figures go to `BENCHMARKS.md`, section "Server".

mod common;

use common::Lcg;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use extract::{
    DatePrecision, Event, EventDate, EventGeometry, EventPlace, EventType, LocationPrecision,
    TextSpan,
};
use karta::export::{Exporter, Format};
use karta::ingest::Pipeline;
use karta::rtree::{Bbox, EventIndex};
use karta::store::{Area, EventFilter, NewDocument, Place, SqliteStore, Store};
use std::hint::black_box;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Points spread evenly over lon -180..180, lat -90..90.
fn points(n: usize) -> Vec<(i64, f64, f64)> {
    let mut rng = Lcg(42);
    (0..n)
        .map(|i| {
            (
                i as i64 + 1,
                rng.unit() * 360.0 - 180.0,
                rng.unit() * 180.0 - 90.0,
            )
        })
        .collect()
}

/// Query boxes of 8 × 8.1 degrees: 1/1000 of the lon/lat plane, so about 1,000 of 1,000,000
/// events each.
fn boxes() -> Vec<Bbox> {
    let mut rng = Lcg(7);
    (0..256)
        .map(|_| {
            let lon = rng.unit() * 352.0 - 180.0;
            let lat = rng.unit() * 160.0 - 80.0;
            Bbox {
                min_lon: lon,
                min_lat: lat,
                max_lon: lon + 8.0,
                max_lat: lat + 8.1,
            }
        })
        .collect()
}

/// SQLite's R*Tree module in memory, holding points (id, lon, lat).
fn sqlite_rtree(pts: &[(i64, f64, f64)]) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().expect("in-memory SQLite");
    conn.execute_batch(
        "CREATE VIRTUAL TABLE rt USING rtree(id, min_lon, max_lon, min_lat, max_lat)",
    )
    .expect("the bundled SQLite has the R*Tree module");
    {
        let mut stmt = conn
            .prepare("INSERT INTO rt VALUES (?1, ?2, ?2, ?3, ?3)")
            .expect("prepared");
        conn.execute_batch("BEGIN").expect("begin");
        for &(id, lon, lat) in pts {
            stmt.execute(rusqlite::params![id, lon, lat])
                .expect("inserted");
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    conn
}

/// The ids of the points of SQLite's R*Tree in a box, in its order.
fn sqlite_ids(b: &Bbox, stmt: &mut rusqlite::Statement<'_>) -> Vec<i64> {
    stmt.query_map(
        rusqlite::params![b.min_lon, b.min_lat, b.max_lon, b.max_lat],
        |r| r.get(0),
    )
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn rtree_vs_sqlite(c: &mut Criterion) {
    let pts = points(1_000_000);
    let index = EventIndex::build(
        pts.iter()
            .map(|&(id, lon, lat)| (id, karta::rtree::point_bbox(lon, lat)))
            .collect(),
    );
    let conn = sqlite_rtree(&pts);
    let queries = boxes();
    let mut stmt = conn
        .prepare(
            "SELECT id FROM rt WHERE max_lon >= ?1 AND min_lon <= ?3 \
             AND max_lat >= ?2 AND min_lat <= ?4",
        )
        .expect("prepared");
    let found: usize = queries.iter().map(|b| index.in_bbox(b).len()).sum();
    let mut check = sqlite_ids(&queries[0], &mut stmt);
    check.sort_unstable();
    assert_eq!(index.in_bbox(&queries[0]), check, "both answer the same");
    eprintln!(
        "bbox queries return {} events on average",
        found / queries.len()
    );

    let mut group = c.benchmark_group("bbox_1m_events");
    let mut i = 0;
    group.bench_function("rstar_event_index", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(index.in_bbox(&queries[i]))
        })
    });
    group.bench_function("sqlite_rtree_module", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(sqlite_ids(&queries[i], &mut stmt))
        })
    });
    group.finish();
}

/// The p50 and p99 of durations, in microseconds.
fn percentiles(mut times: Vec<std::time::Duration>) -> (f64, f64) {
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
    (at(0.5), at(0.99))
}

/// A fresh database on the PostgreSQL cluster of `$KARTA_TEST_POSTGRES` (scripts/with-postgres)
/// holding the 1,000,000 points as events, each with its PostGIS point.
fn postgis_events(cluster: &str, pts: &[(i64, f64, f64)]) -> karta::store::PostgresStore {
    let url = common::fresh_database(cluster, "karta_bench");
    let store = karta::store::PostgresStore::open(&url).expect("the store");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connected");
    for chunk in pts.chunks(100_000) {
        let ids: Vec<i64> = chunk.iter().map(|p| p.0).collect();
        let lons: Vec<f64> = chunk.iter().map(|p| p.1).collect();
        let lats: Vec<f64> = chunk.iter().map(|p| p.2).collect();
        client
            .execute(
                "INSERT INTO events (id, key, status, event_type, sub_type, location_precision, \
                 country, place_name, actors, sentence, confidence, geometry, min_lon, min_lat, \
                 max_lon, max_lat, data, created, updated, geom, search) \
                 SELECT id, 'k' || id, 'imported', 'battles', 'Armed clash', 'exact', 'AZ', '', \
                 '', '', 0.8, '{}', lon, lat, lon, lat, '{}', '', '', \
                 ST_SetSRID(ST_MakePoint(lon, lat), 4326), ''::tsvector \
                 FROM unnest($1::bigint[], $2::float8[], $3::float8[]) AS t(id, lon, lat)",
                &[&ids, &lons, &lats],
            )
            .expect("events inserted");
    }
    client
        .batch_execute("VACUUM ANALYZE events")
        .expect("analysed");
    store
}

/// Issue 21: the ids of the events in a box of about 1,000 of 1,000,000, from PostGIS (GiST,
/// `Store::locate`, over a local socket) and from the R-tree, p50 and p99 over 1,024 queries.
/// Runs only beside a cluster: `bash scripts/with-postgres cargo bench -p karta --bench server
/// -- postgis`.
fn postgis_vs_rtree(_: &mut Criterion) {
    let Ok(cluster) = std::env::var("KARTA_TEST_POSTGRES") else {
        return;
    };
    let pts = points(1_000_000);
    let store = postgis_events(&cluster, &pts);
    let index = EventIndex::build(
        pts.iter()
            .map(|&(id, lon, lat)| (id, karta::rtree::point_bbox(lon, lat)))
            .collect(),
    );
    let queries = boxes();
    let (mut postgis, mut rtree) = (Vec::new(), Vec::new());
    for round in 0..5 {
        for b in &queries {
            let start = std::time::Instant::now();
            let found = store
                .locate(&Place::Within(Area::Bbox(*b)))
                .expect("located")
                .expect("ids");
            let took = start.elapsed();
            let start = std::time::Instant::now();
            let expected = black_box(index.in_bbox(b));
            // The first round warms the caches and checks that both answer the same.
            if round == 0 {
                assert_eq!(found, expected, "PostGIS and the R-tree agree");
            } else {
                postgis.push(took);
                rtree.push(start.elapsed());
            }
        }
    }
    for (name, times) in [("postgis_gist", postgis), ("rstar_event_index", rtree)] {
        let (p50, p99) = percentiles(times);
        eprintln!("bbox_1m_events/{name}: p50 {p50:.0} µs, p99 {p99:.0} µs");
    }
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

fn synthetic_event(i: usize, lon: f64, lat: f64) -> Event {
    Event {
        event_type: EventType::ExplosionsRemoteViolence,
        sub_type: "Shelling/artillery/missile attack".into(),
        action: "shelling".into(),
        date: chrono::NaiveDate::from_ymd_opt(2020, 10, 1 + (i % 30) as u32).map(|date| {
            EventDate {
                date,
                precision: DatePrecision::Day,
                span: None,
            }
        }),
        geometry: EventGeometry::Point { lon, lat },
        places: vec![EventPlace {
            place_id: 174875,
            name: "Stepanakert".into(),
            lat,
            lon,
            country: "AZ".into(),
            mention: None,
        }],
        location_precision: LocationPrecision::Exact,
        geo_precision: 1,
        actors: vec![span("Azerbaijani forces")],
        actor1: None,
        actor2: None,
        claim: Some(span("the Armenian defence ministry")),
        sentence: span(&format!("Report {i}: Stepanakert was shelled overnight.")),
        evidence: Vec::new(),
        confidence: 0.8,
        mentions: Vec::new(),
        fatalities: None,
        wounded: None,
    }
}

fn geojson_export(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path().join("bench.db")).expect("store");
    let events: Vec<(String, Event)> = points(100_000)
        .into_iter()
        .map(|(id, lon, lat)| (id.to_string(), synthetic_event(id as usize, lon, lat)))
        .collect();
    store.import_events("bench", &events).expect("imported");
    drop(events);
    let gazetteer = gazetteer::Gazetteer::open_default().expect("the shipped gazetteer");
    let mut group = c.benchmark_group("export_100k_events");
    group.sample_size(10);
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("geojson", |b| {
        b.iter(|| {
            let mut exporter = Exporter::new(Format::GeoJson, &gazetteer);
            let mut bytes = 0usize;
            store
                .scan_events(&EventFilter::default(), None, None, None, &mut |row| {
                    exporter.push(row).expect("written");
                    if exporter.buffered() >= 64 * 1024 {
                        bytes += exporter.take().expect("taken").len();
                    }
                    ControlFlow::Continue(())
                })
                .expect("scanned");
            bytes += exporter.finish().expect("finished").len();
            black_box(bytes)
        })
    });
    group.finish();
}

/// Opens a fresh store, given a temporary folder for a file.
type OpenStore<'a> = &'a dyn Fn(&Path) -> Arc<dyn Store>;

/// The 588 LGL texts through geoparsing, extraction and a store, one transaction each, into a
/// fresh SQLite file, and into a fresh PostgreSQL database when a cluster is given.
fn lgl_ingest(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval/lgl.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "NOTICE: {} is absent; LGL ingest benchmark skipped",
            path.display()
        );
        return;
    };
    let docs: Vec<NewDocument> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("an LGL line");
            NewDocument {
                text: v["text"].as_str().unwrap_or_default().to_owned(),
                lang: Some("en".into()),
                ..NewDocument::default()
            }
        })
        .collect();
    let gazetteer = Arc::new(gazetteer::Gazetteer::open_default().expect("gazetteer"));
    let extractor = Arc::new(extract::Extractor::new().expect("built-in lexicons"));
    let mut group = c.benchmark_group("ingest_lgl");
    group.sample_size(10);
    group.throughput(Throughput::Elements(docs.len() as u64));
    let cluster = std::env::var("KARTA_TEST_POSTGRES").ok();
    let stores: &[(&str, OpenStore)] = &[
        ("documents_into_sqlite", &|dir| {
            Arc::new(SqliteStore::open(dir.join("lgl.db")).expect("store"))
        }),
        ("documents_into_postgres", &|_| {
            let cluster = cluster.as_deref().expect("a cluster");
            let url = common::fresh_database(cluster, "karta_bench_ingest");
            Arc::new(karta::store::PostgresStore::open(&url).expect("store"))
        }),
    ];
    for &(name, open) in stores {
        if name.ends_with("postgres") && cluster.is_none() {
            continue;
        }
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let pipeline =
                        Pipeline::new(open(dir.path()), gazetteer.clone(), extractor.clone())
                            .expect("pipeline");
                    (dir, pipeline, docs.clone())
                },
                |(dir, pipeline, docs)| {
                    for doc in docs {
                        black_box(pipeline.ingest(doc, false).expect("ingested"));
                    }
                    dir
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    rtree_vs_sqlite,
    geojson_export,
    lgl_ingest,
    postgis_vs_rtree
);
criterion_main!(benches);
