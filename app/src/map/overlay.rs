//! Water and first-level divisions over the basemap's land (`app/basemap/build_overlay.mjs`,
//! Natural Earth, public domain): rivers and lakes at 1:110m (loaded first) and 1:50m (from
//! zoom 4), and the admin-1 outlines at 1:10m in cells loaded by area from zoom 6. Each is
//! simplified per zoom like the countries.

use super::basemap::simplified_at;
use super::places::{ADMIN1_TIER, cells_in};
use super::projection::{Viewport, to_world};
use geo::LineString;
use serde::Deserialize;
use std::collections::HashSet;

/// The zoom from which the 1:50m water replaces the 1:110m one.
pub const DETAILED_WATER_ZOOM: f64 = 4.0;

/// The file of the 1:110m water, which lists the admin-1 cells too.
pub const SMALL_URL: &str = "/basemap/overlay-110m.json";

/// The file of the 1:50m water.
pub const LARGE_URL: &str = "/basemap/overlay-50m.json";

#[derive(Deserialize)]
struct WaterFile {
    rivers: Vec<Vec<f64>>,
    lakes: Vec<Vec<f64>>,
    #[serde(default)]
    admin1_cells: HashSet<String>,
}

#[derive(Deserialize)]
struct CellFile {
    lines: Vec<Vec<f64>>,
}

/// Flat `lon, lat` pairs as a line in world units.
fn to_line(flat: &[f64]) -> LineString<f64> {
    flat.chunks_exact(2)
        .map(|p| {
            let [x, y] = to_world([p[0], p[1]]);
            geo::coord! { x: x, y: y }
        })
        .collect()
}

/// Rivers and lakes of one scale.
#[derive(Debug, Clone, Default)]
pub struct Water {
    /// River centre lines, in world units.
    pub rivers: Vec<LineString<f64>>,
    /// Lake outlines, in world units.
    pub lakes: Vec<LineString<f64>>,
    /// The admin-1 cells that exist (`X_Y`, listed by the 1:110m file only).
    pub admin1_cells: HashSet<String>,
}

impl Water {
    /// Reads a file written by `build_overlay.mjs`.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let file: WaterFile = serde_json::from_str(json)?;
        Ok(Self {
            rivers: file.rivers.iter().map(|l| to_line(l)).collect(),
            lakes: file.lakes.iter().map(|l| to_line(l)).collect(),
            admin1_cells: file.admin1_cells,
        })
    }
}

/// Reads an admin-1 cell's outlines, in world units.
pub fn parse_admin1_cell(json: &str) -> Result<Vec<LineString<f64>>, serde_json::Error> {
    let file: CellFile = serde_json::from_str(json)?;
    Ok(file.lines.iter().map(|l| to_line(l)).collect())
}

/// What a frame draws over the land, each part simplified for an integer zoom in pixels of that
/// zoom.
#[derive(Debug, Default)]
pub struct OverlayLines {
    /// River lines.
    pub rivers: Vec<Vec<[f64; 2]>>,
    /// Lake rings.
    pub lakes: Vec<Vec<[f64; 2]>>,
    /// Admin-1 rings.
    pub admin1: Vec<Vec<[f64; 2]>>,
}

/// The water of both scales and the admin-1 outlines loaded so far.
#[derive(Debug, Default)]
pub struct Overlay {
    small: Option<Water>,
    large: Option<Water>,
    admin1: Vec<LineString<f64>>,
    asked: HashSet<String>,
}

impl Overlay {
    /// Takes the water of a scale: `large` is the 1:50m one.
    pub fn set_water(&mut self, water: Water, large: bool) {
        if large {
            self.large = Some(water);
        } else {
            self.small = Some(water);
        }
    }

    /// Adds an admin-1 cell's outlines.
    pub fn add_admin1(&mut self, lines: Vec<LineString<f64>>) {
        self.admin1.extend(lines);
    }

    /// The URLs of the admin-1 cells a view needs that exist and were not asked for yet, now
    /// marked as asked (none before the 1:110m file, which lists the cells, has arrived).
    pub fn admin1_to_load(&mut self, view: &Viewport) -> Vec<String> {
        let Some(exists) = self.small.as_ref().map(|w| &w.admin1_cells) else {
            return Vec::new();
        };
        cells_in(view, &[ADMIN1_TIER])
            .into_iter()
            .filter(|(_, cell)| exists.contains(cell) && self.asked.insert(cell.clone()))
            .map(|(folder, cell)| format!("/basemap/{folder}/{cell}.json"))
            .collect()
    }

    /// What an integer zoom draws, simplified for it.
    pub fn lines_at(&self, zoom: i32) -> OverlayLines {
        let water = if f64::from(zoom) >= DETAILED_WATER_ZOOM {
            self.large.as_ref().or(self.small.as_ref())
        } else {
            self.small.as_ref()
        };
        let Some(water) = water else {
            return OverlayLines::default();
        };
        OverlayLines {
            rivers: simplified_at(water.rivers.iter(), zoom, 2),
            lakes: simplified_at(water.lakes.iter(), zoom, 3),
            admin1: if f64::from(zoom) >= ADMIN1_TIER.from_zoom {
                simplified_at(self.admin1.iter(), zoom, 3)
            } else {
                Vec::new()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_water_reads_and_lists_the_caucasus_cells() {
        let small = Water::parse(include_str!("../../basemap/overlay-110m.json")).expect("110m");
        assert!(!small.lakes.is_empty() && !small.rivers.is_empty());
        assert!(small.admin1_cells.contains("40_30"), "the Caucasus' cell");
        let large = Water::parse(include_str!("../../basemap/overlay-50m.json")).expect("50m");
        assert!(large.rivers.len() > small.rivers.len());
        let mut overlay = Overlay::default();
        let karabakh = Viewport::new([46.7, 39.8], 8.0, 800.0, 600.0);
        assert!(
            overlay.admin1_to_load(&karabakh).is_empty(),
            "no cell before the list"
        );
        overlay.set_water(small, false);
        overlay.set_water(large, true);
        assert_eq!(
            overlay.admin1_to_load(&karabakh),
            ["/basemap/admin1/40_30.json", "/basemap/admin1/40_40.json"]
        );
        assert!(overlay.admin1_to_load(&karabakh).is_empty(), "asked once");
        let cell =
            parse_admin1_cell(include_str!("../../basemap/admin1/40_30.json")).expect("cell");
        overlay.add_admin1(cell);
        let far = overlay.lines_at(3);
        let near = overlay.lines_at(7);
        assert!(far.admin1.is_empty() && !near.admin1.is_empty());
        assert!(near.rivers.len() > far.rivers.len());
    }
}
