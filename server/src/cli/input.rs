//! Reading documents for the batch commands: JSONL lines `{"id", "text", "lang"?, "published"?}`
//! from files or standard input, or whole text files.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The arguments every batch command takes: where its documents are, their default language
/// and the gazetteer to use.
#[derive(clap::Args)]
pub struct DocArgs {
    /// JSONL files (`{"id", "text", "lang"?, "published"?}` per line) or text files; standard
    /// input if none.
    pub files: Vec<PathBuf>,
    /// Language of documents that do not say theirs (ISO 639-1); guessed if absent.
    #[arg(long)]
    pub lang: Option<String>,
    /// Gazetteer index file (default: the shipped one, or $KARTA_GAZETTEER).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Documents worked on at once (0: one per CPU core); the output keeps the input's order.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// Most documents, and most bytes of text, read ahead for the threads to share: enough to keep
/// them busy, few enough that the output still streams.
const BATCH_DOCS: usize = 64;
const BATCH_BYTES: usize = 1 << 20;

/// Like [`for_each_doc`], with `work` run on `threads` threads at once (0: one per core):
/// documents are read in small batches, worked on in parallel, and handed to `write` with what
/// `work` made of them, in the order they were read. A document that cannot be read stops the
/// run after every document read before it has been written.
pub fn for_each_doc_parallel<T: Send>(
    paths: &[PathBuf],
    threads: usize,
    work: impl Fn(&InputDoc) -> Result<T> + Sync,
    mut write: impl FnMut(InputDoc, T) -> Result<()>,
) -> Result<()> {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    if threads == 1 {
        return for_each_doc(paths, |doc| {
            let done = work(&doc)?;
            write(doc, done)
        });
    }
    let mut batch: Vec<InputDoc> = Vec::new();
    let mut bytes = 0;
    let mut flush = |batch: &mut Vec<InputDoc>| -> Result<()> {
        let done = work_on(batch, threads, &work);
        for (doc, done) in batch.drain(..).zip(done) {
            write(doc, done?)?;
        }
        Ok(())
    };
    let read = for_each_doc(paths, |doc| {
        bytes += doc.text.len();
        batch.push(doc);
        if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
            bytes = 0;
            flush(&mut batch)?;
        }
        Ok(())
    });
    flush(&mut batch)?;
    read
}

/// Runs `work` on every document of `batch` on `threads` threads, each taking the next document
/// not yet taken; the results come back in the batch's order.
fn work_on<T: Send>(
    batch: &[InputDoc],
    threads: usize,
    work: &(impl Fn(&InputDoc) -> Result<T> + Sync),
) -> Vec<Result<T>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<T>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(batch.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(doc) = batch.get(i) else {
                            return mine;
                        };
                        mine.push((i, work(doc)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// One input document.
#[derive(Debug, Clone, Deserialize)]
pub struct InputDoc {
    /// The caller's id, echoed in the output.
    pub id: String,
    /// The text.
    pub text: String,
    /// ISO 639-1 language, when known.
    #[serde(default)]
    pub lang: Option<String>,
    /// Publication date (ISO 8601), when known.
    #[serde(default)]
    pub published: Option<String>,
}

/// Reads every document of the given files (standard input when there are none, or for `-`).
///
/// Files ending in `.jsonl` or `.json`, and standard input, hold one JSON document per line;
/// other files are one document each, with the file name as id. Each document is passed to `f`
/// as soon as it is read, so that output streams.
pub fn for_each_doc(paths: &[PathBuf], mut f: impl FnMut(InputDoc) -> Result<()>) -> Result<()> {
    if paths.is_empty() {
        return read_jsonl(std::io::stdin().lock(), "standard input", &mut f);
    }
    for path in paths {
        if path.as_os_str() == "-" {
            read_jsonl(std::io::stdin().lock(), "standard input", &mut f)?;
            continue;
        }
        let file = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let is_jsonl = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("jsonl" | "json" | "ndjson")
        );
        if is_jsonl {
            read_jsonl(BufReader::new(file), &path.display().to_string(), &mut f)?;
        } else {
            f(read_text_file(path, file)?)?;
        }
    }
    Ok(())
}

fn read_text_file(path: &Path, mut file: std::fs::File) -> Result<InputDoc> {
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => bail!(
            "{}: not valid UTF-8 (first bad byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ),
    };
    let id = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(InputDoc {
        id,
        text,
        lang: None,
        published: None,
    })
}

fn read_jsonl(
    mut reader: impl BufRead,
    name: &str,
    f: &mut impl FnMut(InputDoc) -> Result<()>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("{name}: cannot read"))?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let line = std::str::from_utf8(&buf)
            .map_err(|e| anyhow::anyhow!("{name}: line {line_no}: not valid UTF-8 ({e})"))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: InputDoc = serde_json::from_str(line).with_context(|| {
            format!("{name}: line {line_no}: not a document {{\"id\", \"text\"}}")
        })?;
        f(doc)?;
    }
}
