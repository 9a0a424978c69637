//! `karta token create`: a new write token.

use anyhow::{Context, Result};
use karta::auth::create_token;
use karta::store::SqliteStore;
use std::path::PathBuf;

/// Token subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print a new write token on standard output; the database keeps only its hash.
    Create {
        /// SQLite database file, created when missing.
        #[arg(long, env = "KARTA_DB", default_value = "karta.db")]
        db: PathBuf,
        /// A name for the token, recorded with the corrections made with it.
        #[arg(long, default_value = "default")]
        name: String,
    },
}

/// Runs a token subcommand.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Create { db, name } => {
            let store = SqliteStore::open(&db).with_context(|| format!("{}", db.display()))?;
            let (token, info) = create_token(&store, &name)?;
            eprintln!(
                "token {:?} (id {}) created in {}",
                info.name,
                info.id,
                db.display()
            );
            println!("{token}");
            Ok(())
        }
    }
}
