//! The answer of `/api/clusters`: the events of a view binned on a grid fitted to the zoom,
//! each cell with its count, where its events lie on average, their types and days, and, when
//! it holds few, the events themselves. The server writes it and the map draws it when a view
//! holds too many events to send one by one.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A view's events as clusters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Clusters {
    /// The zoom the grid was fitted to (Web Mercator, 0 for the world on one 256-pixel tile).
    pub zoom: f64,
    /// The grid's level: `2^level` cells a side cover the world.
    pub level: u8,
    /// How many pixels a side a cell measures at `zoom`.
    pub cell_px: f64,
    /// How many events the view holds, all cells together.
    pub total: u64,
    /// Most events in view the map draws one by one (`karta serve --map-points`); above, it
    /// draws these clusters.
    pub points_max: u64,
    /// The cells that hold events.
    pub clusters: Vec<Cluster>,
}

/// One cell of the grid and its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Longitude of the mean of its events' points (not the cell's centre).
    pub lon: f64,
    /// Latitude of the mean of its events' points.
    pub lat: f64,
    /// How many events it holds.
    pub count: u64,
    /// How many events of each type (by [`crate::EventType`] name) it holds.
    pub types: BTreeMap<String, u64>,
    /// The day of its first dated event, `YYYY-MM-DD`.
    pub first: Option<String>,
    /// The day of its last dated event, `YYYY-MM-DD`.
    pub last: Option<String>,
    /// The cell, `[west, south, east, north]`: "zoom to these" fits it.
    pub cell: [f64; 4],
    /// Its events as GeoJSON features (as `/api/events.geojson` writes them) when it holds
    /// few (a cell cut by the box's edge: when they all are in the box); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<geojson::Feature>,
}
