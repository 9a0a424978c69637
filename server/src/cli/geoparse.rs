//! `karta geoparse`: the places of each document, as JSONL (the evaluation format), text or
//! GeoJSON.

use super::input::{DocArgs, InputDoc, for_each_doc_parallel};
use anyhow::{Context, Result};
use clap::ValueEnum;
use gazetteer::{Gazetteer, GeoparseOptions, Mention, MentionKind};
use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use serde::Serialize;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `karta geoparse`.
#[derive(clap::Args)]
pub struct Args {
    /// Where the documents are, their default language, the gazetteer.
    #[command(flatten)]
    pub docs: DocArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Leave out mentions scored below this (default: the library's threshold).
    #[arg(long)]
    pub min_score: Option<f64>,
    /// Add each mention's score features (`x`, the calibration model's input) to the JSONL.
    #[arg(long)]
    pub explain: bool,
}

/// Output formats of `karta geoparse`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON object per document: `{"id", "toponyms": [...]}` with code-point offsets.
    Jsonl,
    /// Each mention and its place, for people.
    Text,
    /// A GeoJSON FeatureCollection of the places found, one feature per place.
    Geojson,
}

/// Opens the gazetteer named on the command line, or the default one.
pub fn open_gazetteer(path: Option<&PathBuf>) -> Result<Gazetteer> {
    let path = path.cloned().unwrap_or_else(Gazetteer::default_path);
    Gazetteer::open(&path).with_context(|| {
        format!(
            "cannot open the gazetteer {} (build it with `karta gazetteer build`, or name one with --gazetteer)",
            path.display()
        )
    })
}

/// Runs `karta geoparse`.
pub fn run(args: Args) -> Result<()> {
    let gaz = open_gazetteer(args.docs.gazetteer.as_ref())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut features = Vec::new();
    let parse = |doc: &InputDoc| {
        let options = GeoparseOptions {
            lang: doc.lang.clone().or_else(|| args.docs.lang.clone()),
            ..GeoparseOptions::default()
        };
        let options = GeoparseOptions {
            min_score: args.min_score.unwrap_or(options.min_score),
            ..options
        };
        Ok(gaz.geoparse(&doc.text, &options))
    };
    for_each_doc_parallel(
        &args.docs.files,
        args.docs.threads,
        parse,
        |doc, mentions| {
            match args.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut out, &jsonl_line(&doc, &mentions, args.explain))?;
                    writeln!(out)?;
                }
                Format::Text => write_text(&mut out, &doc, &mentions)?,
                Format::Geojson => collect_features(&mut features, &doc, &mentions),
            }
            Ok(())
        },
    )?;
    if let Format::Geojson = args.format {
        serde_json::to_writer(&mut out, &FeatureCollection::new(features))?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

fn kind_name(kind: MentionKind) -> &'static str {
    match kind {
        MentionKind::Toponym => "toponym",
        MentionKind::Demonym => "demonym",
        MentionKind::InOrganisation => "in_organisation",
    }
}

/// One line of the JSONL output. Fields are declared in alphabetical order, the order in which
/// the format has always written them.
#[derive(Serialize)]
struct JsonlLine<'a> {
    id: &'a str,
    toponyms: Vec<JsonlToponym<'a>>,
}

/// A mention in the JSONL output; scores are rounded to three decimals.
#[derive(Serialize)]
struct JsonlToponym<'a> {
    country: &'a str,
    end: usize,
    feature_code: &'a str,
    geonameid: u32,
    kind: &'static str,
    lat: f64,
    lon: f64,
    name: &'a str,
    place: &'a str,
    recognition: f64,
    resolution: f64,
    score: f64,
    start: usize,
    /// The score's features, with `--explain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    x: Option<Vec<f64>>,
}

fn jsonl_line<'a>(doc: &'a InputDoc, mentions: &'a [Mention], explain: bool) -> JsonlLine<'a> {
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let toponyms = mentions
        .iter()
        .map(|m| JsonlToponym {
            country: &m.place.country,
            end: m.chars.end,
            feature_code: &m.place.feature_code,
            geonameid: m.place.id,
            kind: kind_name(m.kind),
            lat: m.place.lat,
            lon: m.place.lon,
            name: &m.text,
            place: m.place.display_name(),
            recognition: round(m.features.recognition),
            resolution: round(m.features.resolution),
            score: round(m.score),
            start: m.chars.start,
            x: explain.then(|| m.features.vector().to_vec()),
        })
        .collect();
    JsonlLine {
        id: &doc.id,
        toponyms,
    }
}

fn write_text(out: &mut impl Write, doc: &InputDoc, mentions: &[Mention]) -> Result<()> {
    writeln!(out, "{}: {} places", doc.id, mentions.len())?;
    for m in mentions {
        writeln!(
            out,
            "  {:>6}-{:<6} {:<24} -> {} [{} {}{}] {:.4}, {:.4}  geonameid {}  score {:.2}{}",
            m.chars.start,
            m.chars.end,
            m.text,
            m.place.display_name(),
            m.place.feature_code,
            m.place.country,
            if m.place.admin1.is_empty() {
                String::new()
            } else {
                format!("/{}", m.place.admin1)
            },
            m.place.lat,
            m.place.lon,
            m.place.id,
            m.score,
            match m.kind {
                MentionKind::Toponym => "",
                MentionKind::Demonym => "  (demonym)",
                MentionKind::InOrganisation => "  (in an organisation's name)",
            }
        )?;
    }
    Ok(())
}

/// One GeoJSON feature per mention: the point of its place, and what was read where.
fn collect_features(features: &mut Vec<Feature>, doc: &InputDoc, mentions: &[Mention]) {
    for m in mentions {
        let properties: JsonObject = [
            ("doc", json!(doc.id)),
            ("text", json!(m.text)),
            ("start", json!(m.chars.start)),
            ("end", json!(m.chars.end)),
            ("kind", json!(kind_name(m.kind))),
            ("geonameid", json!(m.place.id)),
            ("name", json!(m.place.display_name())),
            ("feature_code", json!(m.place.feature_code)),
            ("country", json!(m.place.country)),
            ("score", json!(m.score)),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        let point = geo_types::Point::new(m.place.lon, m.place.lat);
        features.push(Feature {
            bbox: None,
            geometry: Some(Geometry::from(&point)),
            id: None,
            properties: Some(properties),
            foreign_members: None,
        });
    }
}
