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
    /// Find the events that texts report: what, where, when, who (JSONL in, JSONL or GeoJSON out).
    Extract(cli::extract::Args),
    /// Build, query and inspect the gazetteer.
    #[command(subcommand)]
    Gazetteer(cli::gazetteer::Command),
    /// Serve the HTTP API and the map over a database file.
    Serve(cli::serve::Args),
    /// Store documents (text, Markdown, JSON Lines) with their places and events.
    Ingest(cli::ingest::Args),
    /// Write the stored events as GeoJSON, CSV or JSON Lines.
    Export(Box<cli::export::Args>),
    /// Bring in events from other tools (GeoJSON points, ACLED-style CSV).
    Import(cli::import::Args),
    /// Manage write tokens.
    #[command(subcommand)]
    Token(cli::token::Command),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Geoparse(args) => cli::geoparse::run(args),
        Command::Extract(args) => cli::extract::run(args),
        Command::Gazetteer(cmd) => cli::gazetteer::run(cmd),
        Command::Serve(args) => cli::serve::run(args),
        Command::Ingest(args) => cli::ingest::run(args),
        Command::Export(args) => cli::export::run(*args),
        Command::Import(args) => cli::import::run(args),
        Command::Token(cmd) => cli::token::run(cmd),
    }
}
