//! One module per `karta` subcommand, and what they share: the input reader and the
//! database flag ([`Db`]).

pub mod export;
pub mod extract;
pub mod feeds;
pub mod gazetteer;
pub mod geoparse;
pub mod import;
pub mod ingest;
pub mod input;
pub mod migrate;
pub mod serve;
pub mod token;

use anyhow::{Context, Result};
use karta::store::Store;
use std::sync::Arc;

/// The database flag of every subcommand that reads or writes karta's data.
#[derive(Debug, Clone, clap::Args)]
pub struct Db {
    /// The database: an SQLite file (created when missing) or a PostgreSQL URL
    /// (`postgres://user@host/name`). Default: $KARTA_DATABASE_URL, else karta.db.
    #[arg(long = "db", env = "KARTA_DB")]
    db: Option<String>,
}

impl Db {
    /// The database named: `--db` (or $KARTA_DB), else $KARTA_DATABASE_URL, else `karta.db`.
    pub fn name(&self) -> String {
        self.db
            .clone()
            .or_else(|| std::env::var("KARTA_DATABASE_URL").ok())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "karta.db".into())
    }

    /// Opens the store, SQLite or PostgreSQL.
    pub fn open(&self) -> Result<Arc<dyn Store>> {
        let name = self.name();
        karta::store::open(&name).with_context(|| karta::store::shown(&name))
    }
}
