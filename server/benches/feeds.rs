//! Feed benchmarks against a feed server on 127.0.0.1 (the tests' `feed_server`): a feed of
//! 10,000 items polled into a fresh database, through parsing, ingest (geoparse, extract,
//! store) to events; and a poll answered `304 Not Modified` (fetch and health record).
//!
//! `cargo bench -p karta --bench feeds`; figures go to `BENCHMARKS.md`, section "Feeds".

#[path = "../tests/feed_server/mod.rs"]
mod feed_server;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use feed_server::FeedServer;
use karta::feeds::{FetchSettings, Poller, new_feed};
use karta::ingest::Pipeline;
use karta::store::{Feed, SqliteStore};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Items in the generated feed.
const ITEMS: usize = 10_000;

/// The events the last poll of the 10,000 items gave, printed after the bench.
static EVENTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A fresh database with one feed, its poller, and the folder that holds it.
fn fresh(url: &str) -> (tempfile::TempDir, Poller, Pipeline, Feed) {
    static PARTS: std::sync::OnceLock<(Arc<gazetteer::Gazetteer>, Arc<extract::Extractor>)> =
        std::sync::OnceLock::new();
    let (gazetteer, extractor) = PARTS.get_or_init(|| {
        (
            Arc::new(gazetteer::Gazetteer::open_default().expect("gazetteer")),
            Arc::new(extract::Extractor::new().expect("built-in lexicons")),
        )
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path().join("feeds.db")).expect("store");
    let pipeline =
        Pipeline::new(Arc::new(store), gazetteer.clone(), extractor.clone()).expect("pipeline");
    let spec = new_feed(url, Some("en"), Some("15m"), None).expect("a feed");
    let feed = pipeline.store().insert_feed(&spec).expect("added");
    let settings = FetchSettings {
        timeout: Duration::from_secs(60),
        max_bytes: 64 * 1024 * 1024,
    };
    let poller = Poller::new(pipeline.clone(), settings).expect("poller");
    (dir, poller, pipeline, feed)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// 10,000 items from the feed server to stored events, one poll into a fresh database.
fn feed_to_events(c: &mut Criterion) {
    let rt = runtime();
    let site = rt.block_on(FeedServer::start_generating(ITEMS));
    let url = site.url("/generated.xml");
    let mut group = c.benchmark_group("feed_10000_items");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.bench_function("poll_to_events", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (dir, poller, pipeline, feed) = fresh(&url);
                let started = Instant::now();
                let report = rt.block_on(poller.poll(&feed)).expect("polled");
                total += started.elapsed();
                assert_eq!(report.poll.items_stored, ITEMS as u64, "{:?}", report.poll);
                let events = pipeline.index().len();
                assert!(events > 0, "events indexed");
                EVENTS.store(events, std::sync::atomic::Ordering::Relaxed);
                drop(dir);
            }
            total
        })
    });
    group.finish();
    let events = EVENTS.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{ITEMS} items gave {events} events");
}

/// A poll of an unchanged feed: conditional GET, `304`, the health recorded.
fn not_modified_poll(c: &mut Criterion) {
    let rt = runtime();
    let site = rt.block_on(FeedServer::start_generating(100));
    let (_dir, poller, pipeline, feed) = fresh(&site.url("/generated.xml"));
    rt.block_on(poller.poll(&feed))
        .expect("the first, full poll");
    let feed = pipeline.store().feeds().expect("listed").remove(0);
    c.bench_function("feed_poll_304", |b| {
        b.iter(|| {
            let report = rt.block_on(poller.poll(&feed)).expect("polled");
            assert_eq!(report.poll.status, Some(304));
        })
    });
}

criterion_group!(benches, not_modified_poll, feed_to_events);
criterion_main!(benches);
