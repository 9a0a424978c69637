//! Reverse lookup: what is at a coordinate.

use crate::index::Index;
use crate::model::Place;
use rstar::{
    AABB, RTree,
    primitives::{GeomWithData, Rectangle},
};
use serde::{Deserialize, Serialize};

/// The answer of [`crate::Gazetteer::reverse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReverseResult {
    /// The nearest populated place.
    pub nearest: Place,
    /// Great-circle distance to it, in kilometres.
    pub distance_km: f64,
    /// The country whose outline contains the point, else the nearest place's country.
    pub country: Option<Place>,
    /// Whether `country` was found by its outline (false at sea, or where the data has none).
    pub within_country: bool,
    /// The first-level division of the nearest place, when that place is in `country`.
    pub admin1: Option<Place>,
}

/// Populated places on the unit sphere (3-D points, so that nearest means nearest on Earth,
/// across the antimeridian and near the poles).
pub(crate) struct PlaceTree {
    tree: RTree<GeomWithData<[f64; 3], u32>>,
    outlines: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    shapes: Vec<(usize, crate::geonames::Rings)>,
}

/// Whether (lon, lat) lies inside a shape's rings (even-odd rule: holes and islands both work).
fn contains(rings: &[Vec<(f32, f32)>], lon: f64, lat: f64) -> bool {
    let mut inside = false;
    for ring in rings {
        let mut j = ring.len() - 1;
        for i in 0..ring.len() {
            let (xi, yi) = (f64::from(ring[i].0), f64::from(ring[i].1));
            let (xj, yj) = (f64::from(ring[j].0), f64::from(ring[j].1));
            if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
    }
    inside
}

/// Mean radius of the Earth in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The point of the unit sphere at a latitude and longitude in degrees.
pub(crate) fn to_xyz(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// Great-circle distance in kilometres between two points of the unit sphere (see [`to_xyz`])
/// that a straight line of length `chord` joins.
pub(crate) fn chord_km(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).min(1.0).asin()
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
        let shapes = index.shapes();
        let boxes = shapes
            .iter()
            .enumerate()
            .filter_map(|(i, (_, rings))| {
                let pts = rings.iter().flatten();
                let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
                for &(x, y) in pts {
                    lo = [lo[0].min(f64::from(x)), lo[1].min(f64::from(y))];
                    hi = [hi[0].max(f64::from(x)), hi[1].max(f64::from(y))];
                }
                (lo[0] <= hi[0]).then(|| GeomWithData::new(Rectangle::from_corners(lo, hi), i))
            })
            .collect();
        Self {
            tree: RTree::bulk_load(points),
            outlines: RTree::bulk_load(boxes),
            shapes,
        }
    }

    /// The record index of the place whose outline contains the point.
    fn containing(&self, lat: f64, lon: f64) -> Option<usize> {
        self.outlines
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
            .map(|hit| &self.shapes[hit.data])
            .find(|(_, rings)| contains(rings, lon, lat))
            .map(|(place, _)| *place)
    }

    pub(crate) fn reverse(&self, index: &Index, lat: f64, lon: f64) -> Option<ReverseResult> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        let hit = self.tree.nearest_neighbor(&to_xyz(lat, lon))?;
        let r = index.record(hit.data as usize);
        let nearest = r.to_place();
        let outline = self.containing(lat, lon);
        let country = outline.or_else(|| index.country(r.country));
        let same_country = country.is_none_or(|c| index.record(c).country == r.country);
        let admin1 = (r.admin1_place != u32::MAX && same_country)
            .then(|| index.record(r.admin1_place as usize).to_place());
        Some(ReverseResult {
            distance_km: haversine_km(lat, lon, nearest.lat, nearest.lon),
            nearest,
            country: country.map(|c| index.record(c).to_place()),
            within_country: outline.is_some(),
            admin1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chord_km_is_the_haversine_distance() {
        let pairs = [
            ((40.4093, 49.8671), (40.1792, 44.4991)),
            ((48.8566, 2.3522), (48.8566, 2.3522)),
            ((0.0, 0.0), (0.0, 180.0)),
            ((-33.8688, 151.2093), (51.5074, -0.1278)),
            ((89.9, 10.0), (89.9, -170.0)),
            ((31.3113, -92.4451), (31.3114, -92.4452)),
        ];
        for ((lat1, lon1), (lat2, lon2)) in pairs {
            let (a, b) = (to_xyz(lat1, lon1), to_xyz(lat2, lon2));
            let chord = (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>().sqrt();
            let (by_chord, by_haversine) = (chord_km(chord), haversine_km(lat1, lon1, lat2, lon2));
            assert!(
                (by_chord - by_haversine).abs() < 1e-6,
                "{by_chord} km against {by_haversine} km"
            );
        }
    }
}
