//! Which events a query wants: the conditions the database answers ([`EventFilter`]) and
//! where they are ([`Place`]), which the R-tree answers for SQLite and PostGIS for PostgreSQL.

use super::{DocumentId, EventId, EventStatus};
use crate::rtree::Bbox;
use chrono::NaiveDate;

/// Conditions on events that the database answers. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Events on or after this day (events without a date are left out).
    pub from: Option<NaiveDate>,
    /// Events on or before this day (events without a date are left out).
    pub to: Option<NaiveDate>,
    /// Event types (`battles`, `protests`, …); any of them.
    pub types: Vec<String>,
    /// ISO 3166-1 alpha-2 country code of the event's place.
    pub country: Option<String>,
    /// Part of an actor's name, case-insensitive.
    pub actor: Option<String>,
    /// Full-text query over the sentence, actors, claim and place names.
    pub q: Option<String>,
    /// The places `q` names as a whole, in any language or spelling («Gandja» for Ganja):
    /// events placed there match `q` too, whatever their text calls the place.
    pub q_places: Vec<i64>,
    /// Lowest confidence.
    pub min_confidence: Option<f64>,
    /// Coarsest place kept, ACLED's `geo_precision` (1 to 3); below 3, events placed from
    /// their document are left out too.
    pub max_geo_precision: Option<u8>,
    /// Only the events this document reports (its own, and those of other documents that it
    /// reports too).
    pub document: Option<DocumentId>,
    /// Only the events that a document from this outlet reports: part of its address
    /// (`lemonde.fr`), case-insensitive.
    pub source: Option<String>,
    /// Only events of these statuses (any of them).
    pub statuses: Vec<EventStatus>,
    /// Also return deleted events.
    pub include_deleted: bool,
    /// Where the events are, answered in the database's own query. The query layer sets it
    /// only for a store that indexes places ([`super::Store::indexes_places`]: PostGIS, one
    /// query and no list of ids in between); for the others the R-tree's ids restrict the
    /// query instead, though every store answers it.
    pub within: Option<Area>,
}

/// A page of results by ascending id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Only ids greater than this.
    pub after: Option<EventId>,
    /// At most this many.
    pub limit: usize,
}

/// Where events must be, as a condition of a filter ([`EventFilter::within`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Area {
    /// Meeting a box; one whose west edge is east of its east edge crosses the antimeridian.
    Bbox(Bbox),
    /// Within `km` kilometres of a point (great-circle distance to the nearest point of the
    /// event's box).
    Radius {
        /// Longitude of the centre.
        lon: f64,
        /// Latitude of the centre.
        lat: f64,
        /// Radius in kilometres.
        km: f64,
    },
}

/// Where events must be, for a store that indexes places itself ([`super::Store::locate`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// In an area.
    Within(Area),
    /// The `k` events nearest a point.
    Nearest {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
        /// How many.
        k: usize,
    },
}
