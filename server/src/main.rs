//! The `karta` command: geoparsing, the gazetteer, and (as they land) event extraction and the
//! server.

mod cli;

use clap::{Parser, Subcommand};

/// karta: finds the places and events that news reports name, and maps them.
#[derive(Parser)]
#[command(name = "karta", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find and resolve the places that texts name (JSONL in, JSONL, text or GeoJSON out).
    Geoparse(cli::geoparse::Args),
    /// Build, query and inspect the gazetteer.
    #[command(subcommand)]
    Gazetteer(cli::gazetteer::Command),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Geoparse(args) => cli::geoparse::run(args),
        Command::Gazetteer(cmd) => cli::gazetteer::run(cmd),
    }
}
