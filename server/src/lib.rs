//! karta's server side: storage, the event R-tree, the ingest pipeline and the HTTP API.
//!
//! - [`store::Store`] keeps documents, mentions, events, corrections and tokens;
//!   [`store::SqliteStore`] is the default, an SQLite file.
//! - [`rtree::EventIndex`] answers bounding-box, radius and nearest queries in memory.
//! - [`ingest::Pipeline`] joins them with the gazetteer and the extractor: text in, events
//!   stored, the R-tree kept current.
//! - [`feeds`] polls news feeds (RSS, Atom, JSON Feed) and ingests their new items.
//! - [`api::router`] serves it all over HTTP; [`export`] and [`import`] read and write GeoJSON
//!   and CSV; [`demo`] holds the reports loaded into an empty database.
//! - [`listen::serve`] serves a router over TCP with a header timeout and a connection cap.

pub mod api;
pub mod auth;
pub mod correct;
pub mod demo;
mod digest;
pub mod export;
pub mod feeds;
pub mod import;
pub mod ingest;
pub mod listen;
pub mod rtree;
pub mod store;
