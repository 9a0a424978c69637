//! One module per `karta` subcommand, and the input reader they share.

pub mod gazetteer;
pub mod geoparse;
pub mod input;
