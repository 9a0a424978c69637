//! Geoparsing speed: karta against geotext (a Python gazetteer matcher) on the same LGL texts in
//! the same run, throughput over growing texts (linear time), and the time to open the index.
//!
//! `cargo bench -p gazetteer --bench geoparse`. The LGL texts come from `../shared/eval` when
//! present (a synthetic news-like text otherwise); the geotext baseline runs when
//! `python3 -c 'import geotext'` works (`pip install geotext==0.4.0`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gazetteer::{Gazetteer, GeoparseOptions};
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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

fn baseline_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/geotext_baseline.py")
}

/// One pass of karta over `texts` on `threads` threads, each taking the next text not yet taken,
/// as `karta geoparse` does.
fn on_threads(gaz: &Gazetteer, texts: &[String], options: &GeoparseOptions, threads: usize) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while let Some(t) = texts.get(next.fetch_add(1, Ordering::Relaxed)) {
                    black_box(gaz.geoparse(t, options));
                }
            });
        }
    });
}

/// The geotext baseline as a child process that times one pass over the texts each time it
/// is asked.
struct Geotext {
    child: std::process::Child,
    ask: std::process::ChildStdin,
    answers: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Geotext {
    /// Starts the baseline on the LGL file at `path`.
    fn start(path: &Path) -> Self {
        let mut child = Command::new("python3")
            .arg(baseline_script())
            .arg(path)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let ask = child.stdin.take().expect("piped");
        let answers = BufReader::new(child.stdout.take().expect("piped")).lines();
        Self {
            child,
            ask,
            answers,
        }
    }

    /// The time of one pass, as the baseline measured it.
    fn pass(&mut self) -> Duration {
        writeln!(self.ask, "1").expect("the baseline reads");
        let line = self
            .answers
            .next()
            .expect("the baseline answers")
            .expect("a line");
        Duration::from_secs_f64(
            line.trim()
                .parse()
                .expect("the baseline prints its seconds"),
        )
    }

    /// Ends the baseline: its input closed, it exits.
    fn stop(self) {
        let Self { mut child, ask, .. } = self;
        drop(ask);
        drop(child.wait());
    }
}

/// How many rounds [`paired`] times.
const ROUNDS: usize = 60;

/// geotext and karta (on one thread and on `threads`) timed in alternation, one pass over the
/// texts each, round after round, with the order turned every round, so that a busy spell of a
/// shared machine slows all three alike; prints the fastest and the median round of each and the
/// median of the rounds' ratios. Criterion's lines above time each in its own stretch, and on
/// this machine geotext alone moved from 14.6 to 21.4 MiB/s between runs.
fn paired(
    gaz: &Gazetteer,
    texts: &[String],
    options: &GeoparseOptions,
    path: &Path,
    threads: usize,
) {
    let mut geotext = Geotext::start(path);
    let timed = |f: &dyn Fn()| {
        let started = Instant::now();
        f();
        started.elapsed()
    };
    let mut rounds = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let one = || on_threads(gaz, texts, options, 1);
        let all = || on_threads(gaz, texts, options, threads);
        let (g, k1, kn) = if round % 2 == 0 {
            (geotext.pass(), timed(&one), timed(&all))
        } else {
            let kn = timed(&all);
            let k1 = timed(&one);
            (geotext.pass(), k1, kn)
        };
        rounds.push([g, k1, kn]);
    }
    geotext.stop();
    report_rounds(&rounds, threads);
}

/// Prints the fastest and the median of each column of `rounds` (geotext, karta on one thread,
/// karta on `threads`) and the median of the rounds' ratios to geotext.
fn report_rounds(rounds: &[[Duration; 3]], threads: usize) {
    let column = |i: usize| {
        let mut c: Vec<Duration> = rounds.iter().map(|r| r[i]).collect();
        c.sort();
        (c[0], c[c.len() / 2])
    };
    let median_ratio = |i: usize| {
        let mut r: Vec<f64> = rounds
            .iter()
            .map(|r| r[0].as_secs_f64() / r[i].as_secs_f64())
            .collect();
        r.sort_by(f64::total_cmp);
        r[r.len() / 2]
    };
    let (g_min, g_med) = column(0);
    eprintln!(
        "paired, {} rounds: geotext {g_min:.1?} fastest / {g_med:.1?} median",
        rounds.len()
    );
    for (i, label) in [
        (1, "one thread".to_owned()),
        (2, format!("{threads} threads")),
    ] {
        let (min, med) = column(i);
        eprintln!(
            "  karta, {label}: {min:.1?} / {med:.1?}, {:.2}x geotext fastest to fastest, \
             {:.2}x median of the rounds' ratios",
            g_min.as_secs_f64() / min.as_secs_f64(),
            median_ratio(i)
        );
    }
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
    let options = GeoparseOptions::default();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // The LGL texts, when geotext can run on them.
    let baseline = lgl.as_ref().filter(|_| geotext_available());
    bench_texts(
        c,
        &gaz,
        &texts,
        &options,
        threads,
        baseline.map(PathBuf::as_path),
    );
    match baseline {
        Some(path) => paired(&gaz, &texts, &options, path, threads),
        None => eprintln!("geotext baseline skipped (no LGL texts or no `import geotext`)"),
    }
    bench_sizes(c, &gaz, &texts, &options);
    if let Some(mb) = peak_rss_mb() {
        eprintln!("peak resident memory of the benchmark process: {mb:.0} MB");
    }
}

/// Criterion's group over the texts: karta on one thread and on `threads`, and geotext when
/// `baseline` names the LGL file it can read.
fn bench_texts(
    c: &mut Criterion,
    gaz: &Gazetteer,
    texts: &[String],
    options: &GeoparseOptions,
    threads: usize,
    baseline: Option<&Path>,
) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group(if lgl_path().is_some() {
        "LGL texts"
    } else {
        "synthetic texts"
    });
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("karta geoparse", |b| {
        b.iter(|| {
            for t in texts {
                black_box(gaz.geoparse(t, options));
            }
        });
    });
    group.bench_function(format!("karta geoparse, {threads} threads"), |b| {
        b.iter(|| on_threads(gaz, texts, options, threads));
    });
    if let Some(path) = baseline {
        let script = baseline_script();
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
    }
    group.finish();
}

/// Criterion's group over one text of 100 kB, 1 MB and 10 MB made of the texts end to end:
/// the time should grow as the length.
fn bench_sizes(c: &mut Criterion, gaz: &Gazetteer, texts: &[String], options: &GeoparseOptions) {
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
            b.iter(|| black_box(gaz.geoparse(text, options)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
