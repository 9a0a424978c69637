//! Reverse lookup: what is at a coordinate.

use crate::index::Index;
use crate::model::Place;
use geo::{Distance, Haversine, Point};
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

/// Whether a point lies inside a shape's rings (even-odd rule: holes and islands both work).
fn contains(rings: &[Vec<(f32, f32)>], point: Point) -> bool {
    let (lon, lat) = point.x_y();
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

/// Mean radius of the Earth in kilometres: geo's [`Haversine`] radius (6,371,008.8 m).
const EARTH_RADIUS_KM: f64 = Haversine.radius() / 1000.0;

/// The point of the unit sphere at a longitude and latitude in degrees.
pub(crate) fn to_xyz(point: Point) -> [f64; 3] {
    let (lo, la) = (point.x().to_radians(), point.y().to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle distance in kilometres between two lon/lat points.
pub(crate) fn distance_km(a: Point, b: Point) -> f64 {
    Haversine.distance(a, b) / 1000.0
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
                (r.class == b'P').then(|| GeomWithData::new(to_xyz(r.point()), i as u32))
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
    fn containing(&self, point: Point) -> Option<usize> {
        self.outlines
            .locate_in_envelope_intersecting(&AABB::from_point(point.into()))
            .map(|hit| &self.shapes[hit.data])
            .find(|(_, rings)| contains(rings, point))
            .map(|(place, _)| *place)
    }

    /// What is at a lon/lat point (see [`crate::Gazetteer::reverse`]).
    pub(crate) fn reverse(&self, index: &Index, point: Point) -> Option<ReverseResult> {
        if !point.x().is_finite() || !point.y().is_finite() {
            return None;
        }
        let hit = self.tree.nearest_neighbor(&to_xyz(point))?;
        let r = index.record(hit.data as usize);
        let nearest = r.place();
        let outline = self.containing(point);
        let country = outline.or_else(|| index.country(r.country));
        let same_country = country.is_none_or(|c| index.record(c).country == r.country);
        let admin1 = (r.admin1_place != u32::MAX && same_country)
            .then(|| index.record(r.admin1_place as usize).place());
        Some(ReverseResult {
            distance_km: distance_km(point, nearest.point()),
            nearest,
            country: country.map(|c| index.record(c).place()),
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
        // Longitude, latitude.
        let pairs = [
            ((49.8671, 40.4093), (44.4991, 40.1792)),
            ((2.3522, 48.8566), (2.3522, 48.8566)),
            ((0.0, 0.0), (180.0, 0.0)),
            ((151.2093, -33.8688), (-0.1278, 51.5074)),
            ((10.0, 89.9), (-170.0, 89.9)),
            ((-92.4451, 31.3113), (-92.4452, 31.3114)),
        ];
        for (a, b) in pairs {
            let (a, b) = (Point::from(a), Point::from(b));
            let (xa, xb) = (to_xyz(a), to_xyz(b));
            let chord = (0..3).map(|k| (xa[k] - xb[k]).powi(2)).sum::<f64>().sqrt();
            let (by_chord, by_haversine) = (chord_km(chord), distance_km(a, b));
            assert!(
                (by_chord - by_haversine).abs() < 1e-6,
                "{by_chord} km against {by_haversine} km"
            );
        }
    }

    #[test]
    fn the_radius_is_the_mean_earth_radius_karta_used() {
        assert_eq!(EARTH_RADIUS_KM.to_bits(), 6371.0088_f64.to_bits());
    }

    #[test]
    fn a_point_inside_a_square_with_a_hole_is_inside_only_outside_the_hole() {
        let square = |lo: f32, hi: f32| vec![(lo, lo), (hi, lo), (hi, hi), (lo, hi)];
        let rings = vec![square(0.0, 10.0), square(4.0, 6.0)];
        assert!(contains(&rings, Point::new(2.0, 8.0)));
        assert!(!contains(&rings, Point::new(5.0, 5.0)));
        assert!(!contains(&rings, Point::new(12.0, 5.0)));
    }
}
