//! `karta import FILE`: events from other tools (GeoJSON points, ACLED-style CSV).

use anyhow::{Context, Result, bail};
use karta::import;
use karta::ingest::Pipeline;
use std::path::PathBuf;

/// Flags of `karta import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A GeoJSON FeatureCollection of points (or lines), or an ACLED-style CSV file.
    pub file: PathBuf,
    #[command(flatten)]
    pub db: super::Db,
    /// Gazetteer index file (default: $KARTA_GAZETTEER, else the shipped one).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
}

/// Imports every good row and names the line of every bad one; importing the same file again
/// adds nothing.
pub fn run(args: Args) -> Result<()> {
    let pipeline = Pipeline::open(&args.db.name(), args.gazetteer.as_deref())?;
    let name = args.file.display().to_string();
    let file = std::fs::File::open(&args.file).with_context(|| format!("{name}: cannot open"))?;
    let batch = import::read(file, pipeline.gazetteer()).with_context(|| name.clone())?;
    let imported = pipeline.import(&name, &batch.events)?;
    for e in &batch.errors {
        eprintln!("{name}: {e}");
    }
    eprintln!(
        "{name}: {} events imported, {} already there, {} rows with errors",
        imported.inserted,
        imported.skipped,
        batch.errors.len()
    );
    if !batch.errors.is_empty() {
        bail!(
            "{name}: {} rows were left out (see above)",
            batch.errors.len()
        );
    }
    Ok(())
}
