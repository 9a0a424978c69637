//! `karta extract`: the events of each document, as JSONL (`{"id", "events": [...]}`) or as a
//! GeoJSON FeatureCollection.

use super::geoparse::open_gazetteer;
use super::input::{DocArgs, InputDoc, for_each_doc_parallel};
use anyhow::{Context, Result};
use clap::ValueEnum;
use extract::{Document, Extractor};
use serde_json::json;
use std::io::Write;

/// Arguments of `karta extract`.
#[derive(clap::Args)]
pub struct Args {
    /// Where the documents are, their default language, the gazetteer.
    #[command(flatten)]
    pub docs: DocArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Publication date (YYYY-MM-DD) of documents that do not say theirs.
    #[arg(long)]
    pub published: Option<chrono::NaiveDate>,
}

/// Output formats of `karta extract`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON object per document: `{"id", "events": [...]}`.
    Jsonl,
    /// A GeoJSON FeatureCollection (RFC 7946) of Point and LineString features, one per event.
    Geojson,
}

/// Reads a publication date: `YYYY-MM-DD`, or the date part of an RFC 3339 timestamp.
fn published(doc: &InputDoc) -> Result<Option<chrono::NaiveDate>> {
    let Some(p) = doc.published.as_deref() else {
        return Ok(None);
    };
    let day = p.get(..10).unwrap_or(p);
    let date = day.parse().with_context(|| {
        format!(
            "document {}: `published` is not a date (YYYY-MM-DD): {p}",
            doc.id
        )
    })?;
    Ok(Some(date))
}

/// Runs `karta extract`.
pub fn run(args: Args) -> Result<()> {
    let gaz = open_gazetteer(args.docs.gazetteer.as_ref())?;
    let extractor = Extractor::new().context("cannot load the event lexicons")?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all = Vec::new();
    let events = |input: &InputDoc| {
        let doc = Document {
            published: published(input)?.or(args.published),
            lang: input.lang.clone().or_else(|| args.docs.lang.clone()),
            text: input.text.clone(),
        };
        Ok(extractor.extract(&gaz, &doc))
    };
    for_each_doc_parallel(
        &args.docs.files,
        args.docs.threads,
        events,
        |input, events| {
            match args.format {
                Format::Jsonl => writeln!(out, "{}", json!({"id": input.id, "events": events}))?,
                Format::Geojson => all.extend(events.into_iter().map(|e| (input.id.clone(), e))),
            }
            Ok(())
        },
    )?;
    if let Format::Geojson = args.format {
        let fc =
            extract::geojson::feature_collection(all.iter().map(|(id, e)| (Some(id.as_str()), e)));
        serde_json::to_writer(&mut out, &fc)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}
