//! `karta migrate`: moves an SQLite database into PostgreSQL.

use anyhow::{Context, Result, bail};
use karta::store::{PostgresStore, copy_sqlite, is_postgres_url, shown};
use std::path::PathBuf;

/// Flags of `karta migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The SQLite database file to copy (left unchanged but for its own migrations).
    #[arg(long)]
    pub from: PathBuf,
    /// The PostgreSQL database to copy into (`postgres://user@host/name`), created and
    /// migrated as needed; PostGIS must be available there.
    #[arg(long, env = "KARTA_DATABASE_URL")]
    pub to: String,
}

/// Copies everything (documents, mentions, events with their ids, corrections, tokens,
/// sessions, feeds), checks the counts and prints them; a second run copies nothing twice.
pub fn run(args: Args) -> Result<()> {
    if !is_postgres_url(&args.to) {
        bail!("--to must be a postgres:// or postgresql:// URL");
    }
    if !args.from.is_file() {
        bail!("{}: no such SQLite file", args.from.display());
    }
    let target = PostgresStore::open(&args.to).with_context(|| shown(&args.to))?;
    let copied = copy_sqlite(&args.from, &target)
        .with_context(|| format!("copying {} into {}", args.from.display(), shown(&args.to)))?;
    println!("table\trows\tnew");
    for c in &copied {
        println!("{}\t{}\t{}", c.table, c.rows, c.inserted);
    }
    eprintln!(
        "{} copied into {}; the counts agree",
        args.from.display(),
        shown(&args.to)
    );
    Ok(())
}
