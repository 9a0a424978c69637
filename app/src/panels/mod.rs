//! The panels beside the map, one component per file.

pub mod card;
pub mod compose;
pub mod filters;
pub mod list;
pub mod picker;
mod preview;
pub mod timeline;
