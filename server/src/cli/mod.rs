//! One module per `karta` subcommand, and the input reader they share.

pub mod export;
pub mod extract;
pub mod feeds;
pub mod gazetteer;
pub mod geoparse;
pub mod import;
pub mod ingest;
pub mod input;
pub mod serve;
pub mod token;
