//! The `karta` command: geoparsing, the gazetteer, and (as they land) event extraction and the
//! server.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc rather than the system's allocator: geoparsing and extraction make many small,
/// short-lived allocations, which it serves about a tenth faster (BENCHMARKS.md, "Speed and
/// memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Add, list and remove the news feeds that `karta serve` polls.
    #[command(subcommand)]
    Feeds(cli::feeds::Command),
    /// Manage write tokens.
    #[command(subcommand)]
    Token(cli::token::Command),
    /// Copy an SQLite database into PostgreSQL (ids kept; run again, nothing doubles).
    Migrate(cli::migrate::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Geoparse(args) => cli::geoparse::run(args),
        Command::Extract(args) => cli::extract::run(args),
        Command::Gazetteer(cmd) => cli::gazetteer::run(cmd),
        Command::Serve(args) => cli::serve::run(args),
        Command::Ingest(args) => cli::ingest::run(args),
        Command::Export(args) => cli::export::run(*args),
        Command::Import(args) => cli::import::run(args),
        Command::Feeds(cmd) => cli::feeds::run(cmd),
        Command::Token(cmd) => cli::token::run(cmd),
        Command::Migrate(args) => cli::migrate::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`karta gazetteer lookup Paris | head -3`) is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e:?}");
            ExitCode::FAILURE
        }
    }
}

/// Whether an error comes from writing to a pipe whose reader has gone (directly, or through
/// serde_json, whose error does not expose the I/O error as its source).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let kind = c
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| c.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
