//! karta's web app: the map of events, rendered by the server (`ssr`) and hydrated in the
//! browser (`hydrate`).
//!
//! - [`App`] is the page: filters, the map ([`map::Map`], drawn on a canvas by karta itself
//!   in Web Mercator over a shipped Natural Earth basemap), the event card and the list of the
//!   events in view.
//! - [`url::ViewState`] is a view as a query string, so a link shares the view and the same
//!   query on `/api/events.geojson` downloads its events.
//! - With `ssr`, [`site::router`] mounts the pages (the map, `/embed`, and each document's own
//!   page, plain HTML) and the built site beside the API.

pub mod browser;
pub mod cluster;
#[cfg(feature = "ssr")]
pub mod csp;
#[cfg(feature = "ssr")]
mod document;
mod load;
pub mod map;
pub mod model;
pub mod numbers;
mod page;
pub mod panels;
pub mod places;
#[cfg(feature = "ssr")]
pub mod site;
pub mod state;
pub mod theme;
pub mod url;
pub mod write;

pub use page::{App, INITIAL_EVENTS_ID, Initial};

/// The browser's entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
