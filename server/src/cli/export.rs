//! `karta export`: the events of the database as GeoJSON, CSV or JSON Lines, with the filters
//! of `GET /api/events`.

use anyhow::{Context, Result, anyhow};
use karta::api::query::{EventParams, EventQuery};
use karta::export::{Exporter, Format};
use karta::ingest::Pipeline;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

/// Export formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// RFC 7946 FeatureCollection.
    Geojson,
    /// CSV with a header line.
    Csv,
    /// One stored event a line.
    Jsonl,
    /// KML for Google Earth: a placemark an event, a style a type.
    Kml,
}

/// Flags of `karta export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "geojson")]
    pub format: FormatArg,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub db: super::Db,
    /// Gazetteer index file (default: $KARTA_GAZETTEER, else the shipped one).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// `min_lon,min_lat,max_lon,max_lat`.
    #[arg(long, allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// `lon,lat`, with `--radius-km`.
    #[arg(long, allow_hyphen_values = true)]
    pub near: Option<String>,
    /// Radius around `--near`, in kilometres.
    #[arg(long)]
    pub radius_km: Option<String>,
    /// First day, `YYYY-MM-DD`.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    #[arg(long)]
    pub to: Option<String>,
    /// Event types, comma-separated.
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[arg(long)]
    pub country: Option<String>,
    /// Part of an actor's name.
    #[arg(long)]
    pub actor: Option<String>,
    /// Full-text query.
    #[arg(long)]
    pub q: Option<String>,
    /// Lowest confidence, 0 to 1.
    #[arg(long)]
    pub min_confidence: Option<String>,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<String>,
    /// Also export deleted events.
    #[arg(long)]
    pub include_deleted: bool,
}

/// Writes the export.
pub fn run(args: Args) -> Result<()> {
    let params = EventParams {
        bbox: args.bbox,
        near: args.near,
        radius_km: args.radius_km,
        from: args.from,
        to: args.to,
        event_type: args.event_type,
        country: args.country,
        actor: args.actor,
        q: args.q,
        min_confidence: args.min_confidence,
        limit: args.limit,
        include_deleted: args.include_deleted.then(|| "1".to_owned()),
        ..EventParams::default()
    };
    let query = EventQuery::check(&params).map_err(|e| anyhow!(e.message))?;
    let pipeline = Pipeline::open(&args.db.name(), args.gazetteer.as_deref())?;
    let query = query.with_named_places(pipeline.gazetteer());
    let format = match args.format {
        FormatArg::Geojson => Format::GeoJson,
        FormatArg::Csv => Format::Csv,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Kml => Format::Kml,
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut exporter = Exporter::new(format, pipeline.gazetteer());
    let mut failure = None;
    query.scan(&pipeline, &mut |row| {
        let written = exporter
            .push(row)
            .map_err(anyhow::Error::from)
            .and_then(|()| Ok(out.write_all(&exporter.take()?)?));
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(e.context("writing the export"));
    }
    out.write_all(&exporter.finish()?)?;
    out.flush()?;
    Ok(())
}
