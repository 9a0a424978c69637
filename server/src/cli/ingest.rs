//! `karta ingest FILE|DIR|-`: documents from text, Markdown and JSON Lines files into the
//! database.

use anyhow::{Context, Result, bail};
use karta::ingest::Pipeline;
use karta::store::NewDocument;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Flags of `karta ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files (`.txt`, `.md`: one document each; `.jsonl`: one JSON document a line), folders
    /// (their files of these kinds, recursively), or `-` for standard input (JSON Lines when it
    /// starts with `{`, else one text).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub db: super::Db,
    /// Gazetteer index file (default: $KARTA_GAZETTEER, else the shipped one).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// ISO 639-1 language of text files (JSON documents carry their own).
    #[arg(long)]
    pub lang: Option<String>,
    /// Extract the events of documents already stored again (corrections are kept).
    #[arg(long)]
    pub reextract: bool,
}

/// Ingests every input, one transaction per document; a bad document is reported and skipped.
/// Prints one JSON line per document on standard output.
pub fn run(args: Args) -> Result<()> {
    let pipeline = Pipeline::open(&args.db.name(), args.gazetteer.as_deref())?;
    let mut failed = 0usize;
    let mut done = 0usize;
    let mut out = std::io::stdout().lock();
    let mut each = |source: String, doc: Result<NewDocument>| -> Result<()> {
        let outcome = doc.and_then(|doc| Ok(pipeline.ingest(doc, args.reextract)?));
        match outcome {
            Ok(ingested) => {
                done += 1;
                let line = serde_json::json!({
                    "source": source,
                    "id": ingested.view.document.id,
                    "created": ingested.created,
                    "events": ingested.view.events.len(),
                });
                writeln!(out, "{line}")?;
            }
            Err(e) => {
                failed += 1;
                eprintln!("{source}: {e:#}");
            }
        }
        Ok(())
    };
    for input in &args.inputs {
        read_input(input, args.lang.as_deref(), &mut each)?;
    }
    eprintln!(
        "{done} documents ingested into {}",
        karta::store::shown(&args.db.name())
    );
    if failed > 0 {
        bail!("{failed} documents could not be ingested (see above)");
    }
    Ok(())
}

type Sink<'a> = dyn FnMut(String, Result<NewDocument>) -> Result<()> + 'a;

fn read_input(path: &Path, lang: Option<&str>, sink: &mut Sink<'_>) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("standard input: not valid UTF-8 text")?;
        return if text.trim_start().starts_with('{') {
            read_jsonl("-", &text, sink)
        } else {
            sink("-".into(), Ok(text_document(text, None, lang)))
        };
    }
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("{}: cannot list", path.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("{}: cannot list", path.display()))?;
        entries.sort();
        for entry in entries {
            let known = matches!(
                entry.extension().and_then(|e| e.to_str()),
                Some("txt" | "md" | "jsonl" | "ndjson")
            );
            if entry.is_dir() || known {
                read_input(&entry, lang, sink)?;
            }
        }
        return Ok(());
    }
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return sink(name, Err(e).context("cannot read as UTF-8 text")),
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("jsonl" | "ndjson") => read_jsonl(&name, &text, sink),
        _ => {
            let title = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            sink(name, Ok(text_document(text, title, lang)))
        }
    }
}

fn text_document(text: String, title: Option<String>, lang: Option<&str>) -> NewDocument {
    NewDocument {
        text,
        title,
        lang: lang.map(str::to_owned),
        ..NewDocument::default()
    }
}

fn read_jsonl(name: &str, text: &str, sink: &mut Sink<'_>) -> Result<()> {
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc = serde_json::from_str::<NewDocument>(line)
            .context("not a document {\"text\", \"title\"?, \"url\"?, \"lang\"?, \"published\"?}");
        sink(format!("{name}:{}", i + 1), doc)?;
    }
    Ok(())
}
