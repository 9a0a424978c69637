//! The in-memory R-tree of event locations, which answers bounding-box, radius and nearest
//! queries.
//!
//! Built at start from the store ([`EventIndex::build`]) and kept current after every write
//! ([`EventIndex::apply`]); readers and writers share it behind a lock.

use extract::EventGeometry;
use geo::{Distance, Haversine, Point};
use rstar::{AABB, Envelope, PointDistance, RTree, RTreeObject};
use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

/// Kilometres in one degree of latitude, on the sphere of geo's [`Haversine`] (the mean Earth
/// radius, 6,371.0088 km).
const KM_PER_DEGREE: f64 = Haversine.radius() / 1000.0 * std::f64::consts::PI / 180.0;

pub use vocab::Bbox;

/// The box around an event's geometry; a line without points has no finite box. A line with a
/// step of more than 180° of longitude takes the short way, across the antimeridian: its box
/// then has its west edge east of its east edge (`min_lon > max_lon`), as a query's `bbox`
/// that crosses it does, rather than spanning the world.
pub fn bbox_of(geometry: &EventGeometry) -> Bbox {
    match geometry {
        EventGeometry::Point { lon, lat } => point_bbox(*lon, *lat),
        EventGeometry::Line { coords } => line_bbox(coords),
    }
}

/// The box of a line's points (see [`bbox_of`]).
fn line_bbox(coords: &[[f64; 2]]) -> Bbox {
    let crosses = coords.windows(2).any(|w| (w[1][0] - w[0][0]).abs() > 180.0);
    // Across the antimeridian, western longitudes count on past 180° so that the box is the
    // short one.
    let east_of_180 = |lon: f64| {
        if crosses && lon < 0.0 {
            lon + 360.0
        } else {
            lon
        }
    };
    let b = coords.iter().fold(
        Bbox::from([
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ]),
        |b, &[lon, lat]| {
            let lon = east_of_180(lon);
            Bbox::from([
                b.min_lon.min(lon),
                b.min_lat.min(lat),
                b.max_lon.max(lon),
                b.max_lat.max(lat),
            ])
        },
    );
    if b.max_lon > 180.0 {
        Bbox {
            max_lon: b.max_lon - 360.0,
            ..b
        }
    } else {
        b
    }
}

/// A box as one or two boxes that do not cross the antimeridian: one whose west edge is east
/// of its east edge is cut there.
pub fn split_at_antimeridian(b: &Bbox) -> Vec<Bbox> {
    if b.min_lon > b.max_lon {
        vec![
            Bbox {
                max_lon: 180.0,
                ..*b
            },
            Bbox {
                min_lon: -180.0,
                ..*b
            },
        ]
    } else {
        vec![*b]
    }
}

/// The box searched for the events within `km` kilometres of a point: `km` in each direction
/// at the point's latitude (what [`EventIndex::within_km`] then ranks on the sphere).
pub fn radius_search_box(lon: f64, lat: f64, km: f64) -> Bbox {
    let dlat = km / KM_PER_DEGREE;
    let coslat = lat.to_radians().cos().max(1e-6);
    let dlon = (km / (KM_PER_DEGREE * coslat)).min(360.0);
    Bbox::from([
        lon - dlon,
        (lat - dlat).max(-90.0),
        lon + dlon,
        (lat + dlat).min(90.0),
    ])
}

/// Whether an event's box meets a query box, either cut at the antimeridian, as
/// [`EventIndex::in_bbox`] decides (for a store that checks rows one by one).
pub fn boxes_meet(event: &Bbox, query: &Bbox) -> bool {
    is_finite(event)
        && split_at_antimeridian(event).iter().any(|e| {
            split_at_antimeridian(query)
                .iter()
                .any(|q| aabb(e).intersects(&aabb(q)))
        })
}

/// Whether an event's box is within `km` kilometres of a point, as
/// [`EventIndex::within_km`] decides: it meets the search box and its nearest point is that
/// close on the sphere.
pub fn box_within_km(event: &Bbox, lon: f64, lat: f64, km: f64) -> bool {
    let centre = Point::new(lon, lat);
    boxes_meet(event, &radius_search_box(lon, lat, km))
        && split_at_antimeridian(event)
            .iter()
            .any(|part| km_to(&aabb(part), centre) <= km)
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

/// Great-circle distance in kilometres from a point to the nearest point of a box.
fn km_to(bbox: &AABB<[f64; 2]>, point: Point) -> f64 {
    let nearest = Point::from(bbox.min_point(&point.into()));
    Haversine.distance(point, nearest) / 1000.0
}

impl Entry {
    /// Great-circle distance in kilometres from a point to the nearest point of the entry's
    /// box.
    fn distance_km(&self, point: Point) -> f64 {
        km_to(&self.bbox, point)
    }
}

#[derive(Default)]
struct Inner {
    tree: RTree<Entry>,
    /// Each event's box, which is in the tree as one entry, or two when it crosses the
    /// antimeridian.
    boxes: HashMap<i64, Bbox>,
}

impl Inner {
    /// The tree's entries for an event's box.
    fn entries(id: i64, b: &Bbox) -> impl Iterator<Item = Entry> {
        split_at_antimeridian(b).into_iter().map(move |part| Entry {
            id,
            bbox: aabb(&part),
        })
    }
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
        let boxes: HashMap<i64, Bbox> = events.into_iter().filter(|(_, b)| is_finite(b)).collect();
        let entries: Vec<Entry> = boxes
            .iter()
            .flat_map(|(&id, b)| Inner::entries(id, b))
            .collect();
        let tree = RTree::bulk_load(entries);
        *self.inner.write().unwrap_or_else(PoisonError::into_inner) = Inner { tree, boxes };
    }

    /// Adds, moves or removes events: `Some(bbox)` puts the event there, `None` takes it out.
    pub fn apply(&self, changes: impl IntoIterator<Item = (i64, Option<Bbox>)>) {
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        for (id, bbox) in changes {
            if let Some(old) = inner.boxes.remove(&id) {
                for entry in Inner::entries(id, &old) {
                    inner.tree.remove(&entry);
                }
            }
            if let Some(b) = bbox.filter(is_finite) {
                for entry in Inner::entries(id, &b) {
                    inner.tree.insert(entry);
                }
                inner.boxes.insert(id, b);
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
        for part in split_at_antimeridian(bbox) {
            ids.extend(
                inner
                    .tree
                    .locate_in_envelope_intersecting(&aabb(&part))
                    .map(|e| e.id),
            );
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Ids of the events within `radius_km` kilometres of a point (great-circle distance to
    /// the nearest point of their box), ascending.
    pub fn within_km(&self, centre: Point, radius_km: f64) -> Vec<i64> {
        let (lon, lat) = centre.x_y();
        let search = aabb(&radius_search_box(lon, lat, radius_km));
        let inner = self.read();
        let mut ids: Vec<i64> = inner
            .tree
            .locate_in_envelope_intersecting(&search)
            .filter(|e| e.distance_km(centre) <= radius_km)
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
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
        // An event across the antimeridian has two entries: keep its nearer one.
        let mut seen = std::collections::HashSet::new();
        found.retain(|&(id, _)| seen.insert(id));
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

    /// Issue 19, item 8g: a line across the antimeridian is in the tree as two boxes, one each
    /// side, not as one box around the world.
    #[test]
    fn a_line_across_the_antimeridian_stays_near_it() {
        let line = EventGeometry::Line {
            coords: vec![[178.4, -18.1], [-171.8, -13.8]],
        };
        let b = bbox_of(&line);
        assert_eq!((b.min_lon, b.max_lon), (178.4, -171.8));
        let idx = EventIndex::build(vec![(7, b)]);
        let near_180 = Bbox::from([179.0, -20.0, 180.0, -10.0]);
        let across = Bbox::from([175.0, -20.0, -175.0, -10.0]);
        let west = Bbox::from([-175.0, -20.0, -170.0, -10.0]);
        let at_0 = Bbox::from([-10.0, -20.0, 10.0, -10.0]);
        assert_eq!(idx.in_bbox(&near_180), vec![7]);
        assert_eq!(idx.in_bbox(&across), vec![7]);
        assert_eq!(idx.in_bbox(&west), vec![7]);
        assert!(idx.in_bbox(&at_0).is_empty());
        assert!(idx.within_km(Point::new(0.0, -15.0), 500.0).is_empty());
        assert_eq!(idx.within_km(Point::new(-179.9, -15.0), 1.0), vec![7]);
        assert_eq!(idx.nearest(Point::new(-179.9, -15.0), 5).len(), 1);
        idx.apply([(7, None)]);
        assert!(idx.in_bbox(&near_180).is_empty() && idx.in_bbox(&west).is_empty());
        let short = EventGeometry::Line {
            coords: vec![[-100.0, 40.0], [-10.0, 40.0], [70.0, 40.0]],
        };
        let b = bbox_of(&short);
        assert_eq!(
            (b.min_lon, b.max_lon),
            (-100.0, 70.0),
            "steps under 180° do not cross"
        );
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
