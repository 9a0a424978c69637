//! `karta gazetteer`: build the index from a GeoNames dump, look names up, reverse-geocode.

use super::geoparse::open_gazetteer;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Subcommands of `karta gazetteer`.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Build a compact index from a GeoNames dump folder (allCountries.txt or citiesNNN.txt,
    /// alternateNamesV2.txt, admin1CodesASCII.txt, countryInfo.txt, and karta's demonyms.tsv).
    Build {
        /// The dump folder.
        #[arg(long)]
        geonames: PathBuf,
        /// The index file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the places a name may mean, most likely first.
    Lookup {
        /// The name, in any language («Bakou», «Баку»).
        name: String,
        /// Favour names in this language (ISO 639-1).
        #[arg(long)]
        lang: Option<String>,
        /// How many candidates to print.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Gazetteer index file.
        #[arg(long)]
        gazetteer: Option<PathBuf>,
    },
    /// Print what is at a coordinate: the nearest place, its division and country.
    Reverse {
        /// Latitude in degrees.
        #[arg(allow_hyphen_values = true)]
        lat: f64,
        /// Longitude in degrees.
        #[arg(allow_hyphen_values = true)]
        lon: f64,
        /// Gazetteer index file.
        #[arg(long)]
        gazetteer: Option<PathBuf>,
    },
    /// Print the index's metadata and how long it takes to open.
    Info {
        /// Gazetteer index file.
        #[arg(long)]
        gazetteer: Option<PathBuf>,
    },
}

/// Runs a `karta gazetteer` subcommand.
pub fn run(cmd: Command) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match cmd {
        Command::Build { geonames, out } => build(&geonames, &out),
        Command::Lookup {
            name,
            lang,
            limit,
            gazetteer,
        } => lookup(&mut out, &name, lang.as_deref(), limit, gazetteer.as_ref()),
        Command::Reverse {
            lat,
            lon,
            gazetteer,
        } => reverse(&mut out, lat, lon, gazetteer.as_ref()),
        Command::Info { gazetteer } => info(&mut out, gazetteer.as_ref()),
    }
}

/// `karta gazetteer build`: writes the index and reports its size on stderr.
fn build(geonames: &Path, out: &Path) -> Result<()> {
    let started = Instant::now();
    let report = gazetteer::build_index(geonames, out)
        .with_context(|| format!("building {} from {}", out.display(), geonames.display()))?;
    eprintln!(
        "{}: {} places, {} names, {} postings, {:.1} MB in {:.1} s",
        out.display(),
        report.places,
        report.keys,
        report.postings,
        report.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `karta gazetteer lookup`: one line per candidate, most likely first.
fn lookup(
    out: &mut impl Write,
    name: &str,
    lang: Option<&str>,
    limit: usize,
    gazetteer: Option<&PathBuf>,
) -> Result<()> {
    let gaz = open_gazetteer(gazetteer)?;
    let cands = gaz.lookup(name, lang);
    if cands.is_empty() {
        writeln!(out, "no place is called {name:?}")?;
    }
    for c in cands.iter().take(limit) {
        let p = &c.place;
        let admin1 = gaz
            .admin1_of(p)
            .map(|a| a.display_name().to_owned())
            .unwrap_or_default();
        writeln!(
            out,
            "{:>10}  {:<28} {:<5} {:<2} {:<24} pop {:>10}  {:>9.4}, {:>9.4}  prior {:.3}  ({:?}{})",
            p.id,
            p.display_name(),
            p.feature_code,
            p.country,
            admin1,
            p.population,
            p.lat,
            p.lon,
            c.prior,
            c.name_kind,
            if c.lang.is_empty() {
                String::new()
            } else {
                format!(", {}", c.lang)
            }
        )?;
    }
    Ok(())
}

/// `karta gazetteer reverse LAT LON`: what is at the point, as pretty JSON.
fn reverse(out: &mut impl Write, lat: f64, lon: f64, gazetteer: Option<&PathBuf>) -> Result<()> {
    anyhow::ensure!(
        (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
        "coordinates out of range: latitude {lat} must be in [-90, 90], longitude {lon} in [-180, 180]"
    );
    let gaz = open_gazetteer(gazetteer)?;
    let r = gaz
        .reverse(geo::Point::new(lon, lat))
        .context("the gazetteer holds no populated place")?;
    writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?;
    Ok(())
}

/// `karta gazetteer info`: the index's path, metadata and opening time.
fn info(out: &mut impl Write, gazetteer: Option<&PathBuf>) -> Result<()> {
    let started = Instant::now();
    let gaz = open_gazetteer(gazetteer)?;
    let opened = started.elapsed();
    writeln!(out, "{}", gaz.path().display())?;
    writeln!(out, "{}", gaz.meta())?;
    writeln!(out, "opened in {:.1} ms", opened.as_secs_f64() * 1e3)?;
    Ok(())
}
