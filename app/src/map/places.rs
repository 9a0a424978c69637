//! The towns and cities the basemap names, from the shipped gazetteer's populated places
//! (`app/basemap/build_places.py`): the capitals and the largest places in one small file, the
//! others in cells loaded by zoom and area, so that the first download stays small.

use super::projection::{Viewport, to_lon_lat, to_world};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// One tier of places stored in square cells of whole degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    /// The folder under `/basemap/`.
    pub folder: &'static str,
    /// The side of a cell, in degrees.
    pub cell_deg: i32,
    /// The zoom from which the tier is loaded.
    pub from_zoom: f64,
}

/// The tiers in cells: places of 25,000 to 250,000 people, then of 2,000 to 25,000.
pub const TIERS: [Tier; 2] = [
    Tier {
        folder: "places-b",
        cell_deg: 10,
        from_zoom: 5.0,
    },
    Tier {
        folder: "places-c",
        cell_deg: 2,
        from_zoom: 8.0,
    },
];

/// The admin-1 outlines' cells (`build_overlay.mjs`), in the same scheme as the places'.
pub const ADMIN1_TIER: Tier = Tier {
    folder: "admin1",
    cell_deg: 10,
    from_zoom: 6.0,
};

/// The file of the capitals and the places of at least 250,000 people.
pub const MAJOR_URL: &str = "/basemap/places.json";

/// A place the map may name.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its usual English name.
    pub name: String,
    /// Where it is, in world units.
    pub world: [f64; 2],
    /// Its population (0 when unknown).
    pub population: u64,
    /// Whether it is a country's capital.
    pub capital: bool,
}

/// A row of a places file: name, longitude, latitude, population, capital (1 or 0).
#[derive(Deserialize)]
struct Row(String, f64, f64, u64, u8);

impl From<Row> for Place {
    fn from(Row(name, lon, lat, population, capital): Row) -> Self {
        Self {
            name,
            world: to_world([lon, lat]),
            population,
            capital: capital == 1,
        }
    }
}

/// The major file: its places and, for each tier's folder, the cells (`X_Y`) that exist.
#[derive(Debug, Default, Deserialize)]
pub struct Major {
    /// The capitals and the largest places, most populous first.
    #[serde(deserialize_with = "rows")]
    pub places: Vec<Place>,
    /// The cells each tier has, by folder.
    pub cells: HashMap<String, HashSet<String>>,
}

fn rows<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Place>, D::Error> {
    let rows: Vec<Row> = Deserialize::deserialize(d)?;
    Ok(rows.into_iter().map(Place::from).collect())
}

/// Reads the major file.
pub fn parse_major(json: &str) -> Result<Major, serde_json::Error> {
    serde_json::from_str(json)
}

/// Reads a cell's file; its rows come most populous first.
pub fn parse_cell(json: &str) -> Result<Vec<Place>, serde_json::Error> {
    let rows: Vec<Row> = serde_json::from_str(json)?;
    Ok(rows.into_iter().map(Place::from).collect())
}

/// The least population a place needs to be named at a zoom (capitals and the places of events
/// are named whenever they fit).
pub fn min_population(zoom: f64) -> u64 {
    match zoom {
        z if z < 3.0 => 5_000_000,
        z if z < 4.0 => 2_000_000,
        z if z < 5.0 => 700_000,
        z if z < 6.0 => 200_000,
        z if z < 7.0 => 60_000,
        z if z < 8.0 => 20_000,
        z if z < 9.0 => 5_000,
        _ => 0,
    }
}

/// The places loaded so far: the major file and the cells that arrived, with the cells asked for.
#[derive(Debug, Default)]
pub struct Places {
    major: Major,
    cells: HashMap<String, Vec<Place>>,
    asked: HashSet<String>,
}

impl Places {
    /// Takes the major file.
    pub fn set_major(&mut self, major: Major) {
        self.major = major;
    }

    /// Takes a cell's places.
    pub fn add_cell(&mut self, url: String, places: Vec<Place>) {
        self.cells.insert(url, places);
    }

    /// The URLs of the cells a view needs that exist and were not asked for yet, now marked
    /// as asked (none before the major file, which lists the cells, has arrived).
    pub fn cells_to_load(&mut self, view: &Viewport) -> Vec<String> {
        let exists = |(folder, cell): &(&str, String)| {
            self.major
                .cells
                .get(*folder)
                .is_some_and(|c| c.contains(cell))
        };
        let wanted: Vec<String> = cells_in(view, &TIERS)
            .into_iter()
            .filter(exists)
            .map(|(folder, cell)| format!("/basemap/{folder}/{cell}.json"))
            .collect();
        wanted
            .into_iter()
            .filter(|url| self.asked.insert(url.clone()))
            .collect()
    }

    /// Every loaded place that a view at its zoom may name, in no particular order.
    pub fn candidates(&self, zoom: f64) -> impl Iterator<Item = &Place> {
        let loaded = TIERS
            .iter()
            .filter(move |t| zoom >= t.from_zoom)
            .flat_map(|t| {
                self.cells
                    .iter()
                    .filter(move |(url, _)| url.contains(t.folder))
            })
            .flat_map(|(_, places)| places.iter());
        self.major.places.iter().chain(loaded)
    }
}

/// The cells (folder, `X_Y`) of the tiers that a view at its zoom shows.
pub fn cells_in(view: &Viewport, tiers: &[Tier]) -> Vec<(&'static str, String)> {
    let [lo, hi] = view.world_box();
    let [west, north] = to_lon_lat([lo[0], lo[1].max(0.0)]);
    let [east, south] = to_lon_lat([hi[0], hi[1].min(1.0)]);
    let (west, east) = if hi[0] - lo[0] >= 1.0 {
        (-180.0, 180.0)
    } else {
        (west, east)
    };
    let mut cells = Vec::new();
    for tier in tiers.iter().filter(|t| view.zoom >= t.from_zoom) {
        let size = f64::from(tier.cell_deg);
        let cell = |v: f64| (v / size).floor() as i32 * tier.cell_deg;
        let (x0, x1) = (cell(west), cell(east));
        let (y0, y1) = (cell(south.max(-90.0)), cell(north.min(89.9)));
        for x in (x0..=x1).step_by(tier.cell_deg as usize) {
            let x = (x + 180).rem_euclid(360) - 180;
            for y in (y0..=y1).step_by(tier.cell_deg as usize) {
                cells.push((tier.folder, format!("{x}_{y}")));
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn major() -> Major {
        parse_major(include_str!("../../basemap/places.json")).expect("places read")
    }

    #[test]
    fn reads_the_shipped_major_file() {
        let places = major().places;
        let baku = places.iter().find(|p| p.name == "Baku").expect("Baku");
        assert!(baku.capital && baku.population > 1_000_000);
        assert!(
            places
                .windows(2)
                .all(|w| w[0].population >= w[1].population)
        );
    }

    #[test]
    fn karabakh_needs_its_cells_and_only_close_up() {
        let view = Viewport::new([46.7, 39.8], 9.0, 800.0, 600.0);
        let mut places = Places::default();
        assert!(
            places.cells_to_load(&view).is_empty(),
            "no cell before the list of cells"
        );
        places.set_major(major());
        let urls = places.cells_to_load(&view);
        assert!(
            urls.contains(&"/basemap/places-c/46_38.json".to_owned()),
            "{urls:?}"
        );
        assert!(
            urls.contains(&"/basemap/places-b/40_30.json".to_owned()),
            "{urls:?}"
        );
        assert!(urls.len() < 12, "{urls:?}");
        assert!(places.cells_to_load(&view).is_empty(), "asked once");
        let far = Viewport::new([46.7, 39.8], 4.0, 800.0, 600.0);
        assert!(cells_in(&far, &TIERS).is_empty());
        let cell = parse_cell(include_str!("../../basemap/places-c/46_38.json")).expect("cell");
        for name in ["Shusha", "Lachin"] {
            assert!(cell.iter().any(|p| p.name == name), "{name}");
        }
    }

    #[test]
    fn wraps_cells_across_the_antimeridian() {
        let view = Viewport::new([179.5, 65.0], 8.0, 800.0, 600.0);
        let cells = cells_in(&view, &TIERS);
        assert!(
            cells.iter().any(|(_, c)| c.starts_with("-180_")),
            "{cells:?}"
        );
        assert!(
            cells.iter().any(|(_, c)| c.starts_with("178_")),
            "{cells:?}"
        );
    }
}
