//! The in-memory R-tree of event locations, which answers bounding-box, radius and nearest
//! queries.
//!
//! Built at start from the store ([`EventIndex::build`]) and kept current after every write
//! ([`EventIndex::apply`]); readers and writers share it behind a lock.

use extract::EventGeometry;
use geo::{Distance, Haversine, Point};
use rstar::{AABB, PointDistance, RTree, RTreeObject};
use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

/// Kilometres in one degree of latitude, on the sphere of geo's [`Haversine`] (the mean Earth
/// radius, 6,371.0088 km).
const KM_PER_DEGREE: f64 = Haversine.radius() / 1000.0 * std::f64::consts::PI / 180.0;

pub use vocab::Bbox;

/// The box around an event's geometry; a line without points has no finite box.
pub fn bbox_of(geometry: &EventGeometry) -> Bbox {
    match geometry {
        EventGeometry::Point { lon, lat } => point_bbox(*lon, *lat),
        EventGeometry::Line { coords } => coords.iter().fold(
            Bbox::from([
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ]),
            |b, [lon, lat]| {
                Bbox::from([
                    b.min_lon.min(*lon),
                    b.min_lat.min(*lat),
                    b.max_lon.max(*lon),
                    b.max_lat.max(*lat),
                ])
            },
        ),
    }
}

/// The box of a single point.
pub fn point_bbox(lon: f64, lat: f64) -> Bbox {
    Bbox::from([lon, lat, lon, lat])
}

/// Whether every edge of a box is a finite number (a line without points has none).
fn is_finite(b: &Bbox) -> bool {
    [b.min_lon, b.min_lat, b.max_lon, b.max_lat]
        .iter()
        .all(|v| v.is_finite())
}

/// A box as the R-tree's envelope.
fn aabb(b: &Bbox) -> AABB<[f64; 2]> {
    AABB::from_corners([b.min_lon, b.min_lat], [b.max_lon, b.max_lat])
}

/// One event in the tree: its id and bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    id: i64,
    bbox: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        self.bbox
    }
}

impl PointDistance for Entry {
    fn distance_2(&self, point: &[f64; 2]) -> f64 {
        self.bbox.distance_2(point)
    }
}

impl Entry {
    /// Great-circle distance in kilometres from a point to the nearest point of the entry's
    /// box.
    fn distance_km(&self, point: Point) -> f64 {
        let nearest = Point::from(self.bbox.min_point(&point.into()));
        Haversine.distance(point, nearest) / 1000.0
    }
}

#[derive(Default)]
struct Inner {
    tree: RTree<Entry>,
    boxes: HashMap<i64, AABB<[f64; 2]>>,
}

/// The R-tree of event bounding boxes, safe to share between threads.
#[derive(Default)]
pub struct EventIndex {
    inner: RwLock<Inner>,
}

impl std::fmt::Debug for EventIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventIndex")
            .field("events", &self.len())
            .finish()
    }
}

impl EventIndex {
    /// Builds the tree in one pass (bulk loading gives a better tree than inserting one by
    /// one). Boxes that are not finite are left out.
    pub fn build(events: Vec<(i64, Bbox)>) -> Self {
        let index = Self::default();
        index.rebuild(events);
        index
    }

    /// Replaces the whole tree.
    pub fn rebuild(&self, events: Vec<(i64, Bbox)>) {
        let entries: Vec<Entry> = events
            .into_iter()
            .filter(|(_, b)| is_finite(b))
            .map(|(id, b)| Entry { id, bbox: aabb(&b) })
            .collect();
        let boxes = entries.iter().map(|e| (e.id, e.bbox)).collect();
        let tree = RTree::bulk_load(entries);
        *self.inner.write().unwrap_or_else(PoisonError::into_inner) = Inner { tree, boxes };
    }

    /// Adds, moves or removes events: `Some(bbox)` puts the event there, `None` takes it out.
    pub fn apply(&self, changes: impl IntoIterator<Item = (i64, Option<Bbox>)>) {
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        for (id, bbox) in changes {
            if let Some(old) = inner.boxes.remove(&id) {
                inner.tree.remove(&Entry { id, bbox: old });
            }
            if let Some(b) = bbox.filter(is_finite) {
                let entry = Entry { id, bbox: aabb(&b) };
                inner.boxes.insert(id, entry.bbox);
                inner.tree.insert(entry);
            }
        }
    }

    /// Number of events in the tree.
    pub fn len(&self) -> usize {
        self.read().boxes.len()
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ids of the events whose box meets `bbox`, ascending. A box whose west edge is east of
    /// its east edge crosses the antimeridian.
    pub fn in_bbox(&self, bbox: &Bbox) -> Vec<i64> {
        let inner = self.read();
        let mut ids = Vec::new();
        let mut collect = |b: Bbox| {
            ids.extend(
                inner
                    .tree
                    .locate_in_envelope_intersecting(&aabb(&b))
                    .map(|e| e.id),
            );
        };
        if bbox.min_lon > bbox.max_lon {
            collect(Bbox {
                max_lon: 180.0,
                ..*bbox
            });
            collect(Bbox {
                min_lon: -180.0,
                ..*bbox
            });
        } else {
            collect(*bbox);
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Ids of the events within `radius_km` kilometres of a point (great-circle distance to
    /// the nearest point of their box), ascending.
    pub fn within_km(&self, centre: Point, radius_km: f64) -> Vec<i64> {
        let (lon, lat) = centre.x_y();
        let dlat = radius_km / KM_PER_DEGREE;
        let coslat = lat.to_radians().cos().max(1e-6);
        let dlon = (radius_km / (KM_PER_DEGREE * coslat)).min(360.0);
        let search = AABB::from_corners(
            [lon - dlon, (lat - dlat).max(-90.0)],
            [lon + dlon, (lat + dlat).min(90.0)],
        );
        let inner = self.read();
        let mut ids: Vec<i64> = inner
            .tree
            .locate_in_envelope_intersecting(&search)
            .filter(|e| e.distance_km(centre) <= radius_km)
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The `k` events nearest a point with their great-circle distance in kilometres, nearest
    /// first.
    pub fn nearest(&self, point: Point, k: usize) -> Vec<(i64, f64)> {
        let inner = self.read();
        // The tree ranks by planar distance in degrees; take a margin of extra candidates and
        // rank them again on the sphere.
        let mut found: Vec<(i64, f64)> = inner
            .tree
            .nearest_neighbor_iter(&point.into())
            .take(k.saturating_mul(4).max(16))
            .map(|e| (e.id, e.distance_km(point)))
            .collect();
        found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        found.truncate(k);
        found
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use geo::Coord;

    // x is the longitude, y the latitude.
    const STEPANAKERT: Point = Point(Coord {
        x: 46.7519,
        y: 39.8153,
    });
    const SHUSHA: Point = Point(Coord {
        x: 46.7500,
        y: 39.7611,
    });
    const GANJA: Point = Point(Coord {
        x: 46.3606,
        y: 40.6828,
    });
    const YEREVAN: Point = Point(Coord {
        x: 44.5136,
        y: 40.1811,
    });

    fn at(p: Point) -> Bbox {
        point_bbox(p.x(), p.y())
    }

    fn index() -> EventIndex {
        EventIndex::build(vec![
            (1, at(STEPANAKERT)),
            (2, at(SHUSHA)),
            (3, at(GANJA)),
            (4, at(YEREVAN)),
        ])
    }

    #[test]
    fn stepanakert_to_shusha_is_about_six_km() {
        let d = index().nearest(STEPANAKERT, 2);
        assert_eq!(d[0], (1, 0.0));
        assert_eq!(d[1].0, 2);
        assert!((5.5..6.5).contains(&d[1].1), "{d:?}");
    }

    #[test]
    fn a_degree_of_latitude_is_the_mean_earth_radius_karta_used() {
        let before = 6371.0088 * std::f64::consts::PI / 180.0;
        assert_eq!(KM_PER_DEGREE.to_bits(), f64::to_bits(before));
    }

    #[test]
    fn bbox_finds_karabakh_only() {
        let b = Bbox {
            min_lon: 46.5,
            min_lat: 39.5,
            max_lon: 47.0,
            max_lat: 40.0,
        };
        assert_eq!(index().in_bbox(&b), vec![1, 2]);
    }

    #[test]
    fn radius_and_nearest() {
        let idx = index();
        assert_eq!(idx.within_km(STEPANAKERT, 10.0), vec![1, 2]);
        assert_eq!(idx.within_km(STEPANAKERT, 110.0), vec![1, 2, 3]);
        let near: Vec<i64> = idx
            .nearest(GANJA, 2)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(near, vec![3, 1]);
    }

    #[test]
    fn apply_moves_and_removes() {
        let idx = index();
        idx.apply([(1, Some(at(YEREVAN))), (2, None)]);
        assert_eq!(idx.len(), 3);
        assert_eq!(idx.within_km(YEREVAN, 1.0), vec![1, 4]);
        assert!(idx.within_km(SHUSHA, 1.0).is_empty());
    }

    #[test]
    fn antimeridian_box() {
        let idx = EventIndex::build(vec![
            (1, point_bbox(179.5, -17.0)),
            (2, point_bbox(-179.5, -17.0)),
            (3, point_bbox(0.0, -17.0)),
        ]);
        let b = Bbox {
            min_lon: 179.0,
            min_lat: -18.0,
            max_lon: -179.0,
            max_lat: -16.0,
        };
        assert_eq!(idx.in_bbox(&b), vec![1, 2]);
    }

    #[test]
    fn lines_use_their_box() {
        let line = EventGeometry::Line {
            coords: vec![YEREVAN.into(), STEPANAKERT.into()],
        };
        let idx = EventIndex::build(vec![(9, bbox_of(&line))]);
        assert_eq!(idx.within_km(Point::new(45.5, 40.0), 1.0), vec![9]);
        let empty = EventGeometry::Line { coords: vec![] };
        assert!(!is_finite(&bbox_of(&empty)));
    }
}
