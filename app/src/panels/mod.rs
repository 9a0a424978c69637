//! The panels beside the map, one component per file.

pub mod card;
pub mod filters;
pub mod list;
pub mod timeline;
