//! Geoparsing speed: karta against geotext (a Python gazetteer matcher) on the same LGL texts in
//! the same run, throughput over growing texts (linear time), and the time to open the index.
//!
//! `cargo bench -p gazetteer --bench geoparse`. The LGL texts come from `../shared/eval` when
//! present (a synthetic news-like text otherwise); the geotext baseline runs when
//! `python3 -c 'import geotext'` works (`pip install geotext==0.4.0`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gazetteer::{Gazetteer, GeoparseOptions};
use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The allocator of the `karta` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn lgl_path() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval/lgl.jsonl");
    p.is_file().then_some(p)
}

fn synthetic_texts() -> Vec<String> {
    let unit = "Officials in Alexandria, Louisiana, said the fire near Rapides Parish was \
                contained on Thursday. Le 9 octobre, Bakou et Erevan ont échangé des tirs près \
                de Stepanakert, selon le ministère arménien de la Défense. ";
    (0..500).map(|i| unit.repeat(1 + i % 7)).collect()
}

fn texts() -> (Vec<String>, Option<PathBuf>) {
    match lgl_path() {
        Some(p) => {
            let texts = std::fs::read_to_string(&p)
                .expect("lgl.jsonl is readable")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
                    v["text"].as_str().unwrap_or_default().to_owned()
                })
                .collect();
            (texts, Some(p))
        }
        None => (synthetic_texts(), None),
    }
}

fn geotext_available() -> bool {
    Command::new("python3")
        .args(["-c", "import geotext"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Peak resident memory of this process, from /proc (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn bench(c: &mut Criterion) {
    c.bench_function("open the shipped gazetteer", |b| {
        b.iter(|| black_box(Gazetteer::open_default().expect("opens")));
    });

    let gaz = Gazetteer::open_default().expect("the shipped gazetteer opens");
    let (texts, lgl) = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let options = GeoparseOptions::default();
    let mut group = c.benchmark_group(if lgl.is_some() {
        "LGL texts"
    } else {
        "synthetic texts"
    });
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("karta geoparse", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(gaz.geoparse(t, &options));
            }
        });
    });
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    group.bench_function(format!("karta geoparse, {threads} threads"), |b| {
        b.iter(|| {
            // Each thread takes the next text not yet taken, as `karta geoparse` does.
            let next = AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {
                        while let Some(t) = texts.get(next.fetch_add(1, Ordering::Relaxed)) {
                            black_box(gaz.geoparse(t, &options));
                        }
                    });
                }
            });
        });
    });
    if let Some(path) = lgl.as_ref().filter(|_| geotext_available()) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/geotext_baseline.py");
        group.bench_function("geotext (baseline, Python)", |b| {
            b.iter_custom(|iters| {
                let out = Command::new("python3")
                    .arg(&script)
                    .arg(path)
                    .arg(iters.to_string())
                    .output()
                    .expect("python3 runs");
                let secs: f64 = String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse()
                    .expect("the baseline prints its seconds");
                Duration::from_secs_f64(secs)
            });
        });
    } else {
        eprintln!("geotext baseline skipped (no LGL texts or no `import geotext`)");
    }
    group.finish();

    let mut group = c.benchmark_group("text size (linear time)");
    group.sample_size(10);
    let unit = texts.join("\n");
    for size in [100_000, 1_000_000, 10_000_000] {
        let text = unit.repeat(size / unit.len().max(1) + 1);
        let end = (0..=size.min(text.len()))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let text = &text[..end];
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{} bytes", text.len()), |b| {
            b.iter(|| black_box(gaz.geoparse(text, &options)));
        });
    }
    group.finish();
    if let Some(mb) = peak_rss_mb() {
        eprintln!("peak resident memory of the benchmark process: {mb:.0} MB");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
