//! Extraction time against geoparsing time on LGL texts (`../shared/eval/lgl.jsonl`, the first
//! 100 documents), all in one run so that the ratio is visible: `geoparse` alone, `geoparse+extract`
//! (what `karta extract` does per document) and `extract_with_mentions` (extraction alone, on
//! mentions found beforehand), then the two first ones timed in alternation (see `paired`).
//! Skipped when the corpus or the gazetteer index is missing.

use criterion::{Criterion, criterion_group, criterion_main};
use extract::{Document, Extractor};
use gazetteer::{Gazetteer, GeoparseOptions, Mention};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The allocator of the `karta` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Option<Vec<Document>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval/lgl.jsonl");
    let text = std::fs::read_to_string(path).ok()?;
    let docs = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_owned))
        .take(100)
        .map(|text| Document {
            text,
            lang: Some("en".into()),
            published: chrono::NaiveDate::from_ymd_opt(2009, 6, 1),
        })
        .collect();
    Some(docs)
}

fn bench(c: &mut Criterion) {
    let (Some(docs), Ok(gaz)) = (corpus(), Gazetteer::open_default()) else {
        eprintln!("skipped: needs ../shared/eval/lgl.jsonl and the gazetteer index");
        return;
    };
    let extractor = Extractor::new().expect("built-in lexicons");
    let options = GeoparseOptions {
        lang: Some("en".into()),
        ..Default::default()
    };
    let mentions: Vec<Vec<Mention>> = docs
        .iter()
        .map(|d| gaz.geoparse(&d.text, &options))
        .collect();
    let mut group = c.benchmark_group("lgl_100_docs");
    // Twenty samples over ten seconds each: on a shared machine, ten samples in five seconds
    // moved the ratio by half its value from one run to the next.
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("geoparse", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| gaz.geoparse(black_box(&d.text), &options).len())
                .sum::<usize>()
        })
    });
    group.bench_function("geoparse+extract", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| extractor.extract(&gaz, black_box(d)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("extract_with_mentions", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&mentions)
                .map(|(d, m)| extractor.extract_with_mentions(black_box(d), m).len())
                .sum::<usize>()
        })
    });
    group.finish();
    paired(&docs, &gaz, &extractor, &options);
}

/// Geoparsing alone and geoparsing with extraction timed in alternation, round after round, so
/// that a busy spell of a shared machine slows both alike; prints the fastest and the median
/// round of each and what extraction adds. Criterion's lines above time each function in its own
/// stretch, which on a shared machine moved their ratio by a third from one run to the next.
fn paired(docs: &[Document], gaz: &Gazetteer, extractor: &Extractor, options: &GeoparseOptions) {
    const ROUNDS: usize = 200;
    let mut alone = Vec::with_capacity(ROUNDS);
    let mut with = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let n: usize = docs
            .iter()
            .map(|d| gaz.geoparse(black_box(&d.text), options).len())
            .sum();
        alone.push(started.elapsed());
        black_box(n);
        let started = Instant::now();
        let n: usize = docs
            .iter()
            .map(|d| extractor.extract(gaz, black_box(d)).len())
            .sum();
        with.push(started.elapsed());
        black_box(n);
    }
    alone.sort();
    with.sort();
    let (a_min, w_min) = (alone[0], with[0]);
    let (a_med, w_med) = (alone[ROUNDS / 2], with[ROUNDS / 2]);
    let adds = |a: Duration, w: Duration| 100.0 * (w.as_secs_f64() / a.as_secs_f64() - 1.0);
    eprintln!(
        "paired, {ROUNDS} rounds: geoparse {a_min:.2?} fastest / {a_med:.2?} median, \
         geoparse+extract {w_min:.2?} / {w_med:.2?}: extraction adds {:.0} % / {:.0} %",
        adds(a_min, w_min),
        adds(a_med, w_med)
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
