//! Water and first-level divisions over the basemap's land (`app/basemap/build_overlay.mjs`,
//! Natural Earth, public domain): rivers and lakes at 1:110m (loaded first, with the lists of
//! cells) and at 1:50m in cells loaded by area from zoom 4, and the admin-1 outlines at 1:10m in
//! cells loaded by area from zoom 6 (from zoom 4 while the map shades divisions), each ring with
//! its division's GeoNames code. Each is simplified per zoom like the countries. The rivers
//! that run down a border and that the 1:50m water leaves out (the Aras) come with their
//! names, from zoom 4 too, and the map writes their names along them.

use super::basemap::simplified_at;
use super::places::{ADMIN1_TIER, Tier, cells_in};
use super::projection::{Viewport, to_world};
use geo::LineString;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The 1:50m water's cells, which replace the 1:110m water from zoom 4.
pub const WATER50_TIER: Tier = Tier {
    folder: "water50",
    cell_deg: 10,
    from_zoom: 4.0,
};

/// The file of the 1:110m water, which lists the other files' cells.
pub const SMALL_URL: &str = "/basemap/overlay-110m.json";

#[derive(Deserialize)]
struct WaterFile {
    rivers: Vec<Vec<f64>>,
    lakes: Vec<Vec<f64>>,
    #[serde(default)]
    named_rivers: Vec<NamedRiverFile>,
    admin1_cells: HashSet<String>,
    water50_cells: HashSet<String>,
}

/// A river with its name, as `overlay-110m.json` holds it.
#[derive(Deserialize)]
struct NamedRiverFile {
    name: String,
    line: Vec<f64>,
}

/// A cell of admin-1 outlines: the rings, and each ring's division code (empty for none).
#[derive(Deserialize)]
struct CellFile {
    lines: Vec<Vec<f64>>,
    #[serde(default)]
    codes: Vec<String>,
}

/// A cell of the 1:50m water: its rivers and lakes, each with its number in the whole layer.
#[derive(Deserialize)]
struct WaterCellFile {
    rivers: Vec<(u32, Vec<f64>)>,
    lakes: Vec<(u32, Vec<f64>)>,
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

/// The 1:110m rivers and lakes, with the cells the other files have.
#[derive(Debug, Clone, Default)]
pub struct Water {
    /// River centre lines, in world units.
    pub rivers: Vec<LineString<f64>>,
    /// Lake outlines, in world units.
    pub lakes: Vec<LineString<f64>>,
    /// The rivers with a name, drawn from zoom 4 and named along their line, in world units.
    pub named_rivers: Vec<(String, LineString<f64>)>,
    /// The cells (`X_Y`) of each tier in cells (admin-1, 1:50m water), by folder.
    pub cells: HashMap<&'static str, HashSet<String>>,
}

impl Water {
    /// Reads `overlay-110m.json`, written by `build_overlay.mjs`.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let file: WaterFile = serde_json::from_str(json)?;
        Ok(Self {
            rivers: file.rivers.iter().map(|l| to_line(l)).collect(),
            lakes: file.lakes.iter().map(|l| to_line(l)).collect(),
            named_rivers: file
                .named_rivers
                .into_iter()
                .map(|r| (r.name, to_line(&r.line)))
                .collect(),
            cells: HashMap::from([
                (ADMIN1_TIER.folder, file.admin1_cells),
                (WATER50_TIER.folder, file.water50_cells),
            ]),
        })
    }
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
    /// The rings of each division with a code, for shading.
    pub divisions: Vec<(String, Vec<Vec<[f64; 2]>>)>,
}

/// The zoom from which the admin-1 cells load while the map shades divisions.
pub const SHADED_FROM_ZOOM: f64 = 4.0;

/// The 1:110m water, the 1:50m water's cells and the admin-1 outlines loaded so far.
#[derive(Debug, Default)]
pub struct Overlay {
    small: Option<Water>,
    rivers50: HashMap<u32, LineString<f64>>,
    lakes50: HashMap<u32, LineString<f64>>,
    admin1: Vec<LineString<f64>>,
    /// The rings of each division, by code, each ring once however many cells hold it.
    divisions: HashMap<String, Vec<LineString<f64>>>,
    asked: HashSet<String>,
}

impl Overlay {
    /// Takes the 1:110m water with its lists of cells.
    pub fn set_water(&mut self, water: Water) {
        self.small = Some(water);
    }

    /// Adds a cell that arrived, by the folder of its URL: admin-1 outlines or 1:50m water
    /// (each line once, however many cells hold it).
    pub fn add_cell(&mut self, url: &str, json: &str) -> Result<(), serde_json::Error> {
        if url.contains(WATER50_TIER.folder) {
            let file: WaterCellFile = serde_json::from_str(json)?;
            for (id, line) in file.rivers {
                self.rivers50.entry(id).or_insert_with(|| to_line(&line));
            }
            for (id, line) in file.lakes {
                self.lakes50.entry(id).or_insert_with(|| to_line(&line));
            }
        } else {
            let file: CellFile = serde_json::from_str(json)?;
            for (i, flat) in file.lines.iter().enumerate() {
                let line = to_line(flat);
                match file.codes.get(i).filter(|c| !c.is_empty()) {
                    Some(code) => self.add_division_ring(code, line),
                    None => self.admin1.push(line),
                }
            }
        }
        Ok(())
    }

    /// Adds a ring of a division, unless a cell loaded before held it already.
    fn add_division_ring(&mut self, code: &str, line: LineString<f64>) {
        let rings = self.divisions.entry(code.to_owned()).or_default();
        if !rings.contains(&line) {
            self.admin1.push(line.clone());
            rings.push(line);
        }
    }

    /// The URLs of the cells (admin-1, 1:50m water) a view needs that exist and were not asked
    /// for yet, now marked as asked (none before the 1:110m file, which lists them, arrived).
    /// While the map shades divisions (`shaded`), the admin-1 cells load from
    /// [`SHADED_FROM_ZOOM`].
    pub fn cells_to_load(&mut self, view: &Viewport, shaded: bool) -> Vec<String> {
        let Some(water) = self.small.as_ref() else {
            return Vec::new();
        };
        let admin1 = Tier {
            from_zoom: if shaded {
                SHADED_FROM_ZOOM
            } else {
                ADMIN1_TIER.from_zoom
            },
            ..ADMIN1_TIER
        };
        cells_in(view, &[WATER50_TIER, admin1])
            .into_iter()
            .filter(|(folder, cell)| water.cells.get(folder).is_some_and(|c| c.contains(cell)))
            .map(|(folder, cell)| format!("/basemap/{folder}/{cell}.json"))
            .filter(|url| self.asked.insert(url.clone()))
            .collect()
    }

    /// The rivers with a name that a zoom draws (from the 1:50m water's zoom), in world units.
    pub fn named_rivers(&self, zoom: f64) -> &[(String, LineString<f64>)] {
        match &self.small {
            Some(w) if zoom >= WATER50_TIER.from_zoom => &w.named_rivers,
            _ => &[],
        }
    }

    /// What an integer zoom draws, simplified for it: the admin-1 outlines from
    /// [`ADMIN1_TIER`]'s zoom, their shading from [`SHADED_FROM_ZOOM`].
    pub fn lines_at(&self, zoom: i32) -> OverlayLines {
        let detailed = f64::from(zoom) >= WATER50_TIER.from_zoom && !self.rivers50.is_empty();
        let named = self
            .named_rivers(f64::from(zoom))
            .iter()
            .map(|(_, line)| line);
        let (rivers, lakes) = match &self.small {
            _ if detailed => (
                simplified_at(self.rivers50.values().chain(named), zoom, 2),
                simplified_at(self.lakes50.values(), zoom, 3),
            ),
            Some(w) => (
                simplified_at(w.rivers.iter(), zoom, 2),
                simplified_at(w.lakes.iter(), zoom, 3),
            ),
            None => (Vec::new(), Vec::new()),
        };
        OverlayLines {
            rivers,
            lakes,
            admin1: if f64::from(zoom) >= ADMIN1_TIER.from_zoom {
                simplified_at(self.admin1.iter(), zoom, 3)
            } else {
                Vec::new()
            },
            divisions: if f64::from(zoom) >= SHADED_FROM_ZOOM {
                self.divisions
                    .iter()
                    .map(|(code, rings)| (code.clone(), simplified_at(rings.iter(), zoom, 3)))
                    .filter(|(_, rings)| !rings.is_empty())
                    .collect()
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
        assert!(
            small.cells["admin1"].contains("40_30"),
            "the Caucasus' admin-1 cell"
        );
        assert!(
            small.cells["water50"].contains("40_30"),
            "the Caucasus' water cell"
        );
        let mut overlay = Overlay::default();
        let karabakh = Viewport::new([46.7, 39.8], 8.0, 800.0, 600.0);
        assert!(
            overlay.cells_to_load(&karabakh, false).is_empty(),
            "no cell before the lists"
        );
        let wide = Viewport::new([46.7, 39.8], 5.0, 800.0, 600.0);
        for shaded in [false, true] {
            let mut other = Overlay::default();
            other.set_water(small.clone());
            let admin1 = other
                .cells_to_load(&wide, shaded)
                .iter()
                .any(|u| u.contains("admin1"));
            assert_eq!(admin1, shaded, "outlines at zoom 5 only to shade");
        }
        overlay.set_water(small);
        let urls = overlay.cells_to_load(&karabakh, false);
        assert!(
            urls.contains(&"/basemap/admin1/40_30.json".to_owned()),
            "{urls:?}"
        );
        assert!(
            urls.contains(&"/basemap/water50/40_30.json".to_owned()),
            "{urls:?}"
        );
        assert!(
            overlay.cells_to_load(&karabakh, false).is_empty(),
            "asked once"
        );
        let far = overlay.lines_at(3);
        let admin1 = include_str!("../../basemap/admin1/40_30.json");
        overlay
            .add_cell("/basemap/admin1/40_30.json", admin1)
            .expect("admin-1");
        let water = include_str!("../../basemap/water50/40_30.json");
        overlay
            .add_cell("/basemap/water50/40_30.json", water)
            .expect("water");
        let rivers = overlay.rivers50.len();
        overlay
            .add_cell("/basemap/water50/40_30.json", water)
            .expect("again");
        assert_eq!(overlay.rivers50.len(), rivers, "a line once");
        let rings = overlay.admin1.len();
        overlay
            .add_cell("/basemap/admin1/40_30.json", admin1)
            .expect("again");
        assert_eq!(overlay.admin1.len(), rings, "a division's ring once");
        let near = overlay.lines_at(7);
        assert!(far.admin1.is_empty() && !near.admin1.is_empty());
        let codes: Vec<&str> = near.divisions.iter().map(|(c, _)| c.as_str()).collect();
        assert!(
            codes.contains(&"AZ.64") && codes.contains(&"AM.08"),
            "{codes:?}"
        );
        assert!(!near.rivers.is_empty());
        let named = overlay.named_rivers(7.0);
        for river in ["Aras", "Kura"] {
            assert!(
                named.iter().any(|(name, _)| name == river),
                "{river} is named"
            );
        }
        // The Kura runs past Zardab and Shirvan (GeoNames' centres): a line of it passes
        // within about 5 km of each (0.06° of longitude there, in world units).
        for (town, lon, lat) in [("Zardab", 47.7189, 40.2414), ("Shirvan", 48.9141, 39.9485)] {
            let at = geo::Point::from(to_world([lon, lat]));
            let near = named.iter().filter(|(n, _)| n == "Kura").any(|(_, line)| {
                geo::Distance::distance(&geo::Euclidean, &at, line) < 0.06 / 360.0
            });
            assert!(near, "the Kura passes {town}");
        }
        assert!(
            overlay.named_rivers(3.0).is_empty(),
            "not at a world's zoom"
        );
    }
}
