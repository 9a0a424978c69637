//! The panels beside the map, one component per file.

pub mod card;
pub mod compose;
pub mod filters;
pub mod histogram;
pub mod list;
mod names;
pub mod picker;
pub mod playback;
mod preview;
pub mod references;
pub mod timeline;
