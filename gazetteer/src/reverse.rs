//! Reverse lookup: what is at a coordinate.

use crate::index::Index;
use crate::model::Place;
use rstar::{RTree, primitives::GeomWithData};
use serde::{Deserialize, Serialize};

/// The answer of [`crate::Gazetteer::reverse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReverseResult {
    /// The nearest populated place.
    pub nearest: Place,
    /// Great-circle distance to it, in kilometres.
    pub distance_km: f64,
    /// The country of the nearest place.
    pub country: Option<Place>,
    /// The first-level division of the nearest place.
    pub admin1: Option<Place>,
}

/// Populated places on the unit sphere (3-D points, so that nearest means nearest on Earth,
/// across the antimeridian and near the poles).
pub(crate) struct PlaceTree {
    tree: RTree<GeomWithData<[f64; 3], u32>>,
}

fn to_xyz(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

impl PlaceTree {
    pub(crate) fn new(index: &Index) -> Self {
        let points = (0..index.len())
            .filter_map(|i| {
                let r = index.record(i);
                (r.class == b'P').then(|| {
                    GeomWithData::new(to_xyz(f64::from(r.lat), f64::from(r.lon)), i as u32)
                })
            })
            .collect();
        Self {
            tree: RTree::bulk_load(points),
        }
    }

    pub(crate) fn reverse(&self, index: &Index, lat: f64, lon: f64) -> Option<ReverseResult> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        let hit = self.tree.nearest_neighbor(&to_xyz(lat, lon))?;
        let r = index.record(hit.data as usize);
        let nearest = r.to_place();
        let admin1 =
            (r.admin1_place != u32::MAX).then(|| index.record(r.admin1_place as usize).to_place());
        let country = index.country(r.country).map(|i| index.record(i).to_place());
        Some(ReverseResult {
            distance_km: haversine_km(lat, lon, nearest.lat, nearest.lon),
            nearest,
            country,
            admin1,
        })
    }
}
