//! The events in an R-tree of world-unit boxes (a point's box is the point), for the visible
//! list, hit-testing, and clusters per zoom level.

use super::projection::{to_world, world_pixels};
use crate::model::MapEvent;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Side of a cluster cell, in pixels.
const CELL_PX: f64 = 44.0;

/// From this zoom on, every event is drawn on its own.
pub const NO_CLUSTER_ZOOM: i32 = 12;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Events that sit together at one zoom level, drawn as one mark with a count.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The mean world position of its events.
    pub at: [f64; 2],
    /// Indexes of its events in the dataset.
    pub members: Vec<usize>,
    /// The event type most of its events have.
    pub main_type: String,
}

/// The map's R-tree of the events that pass the filters, in world units, and their clusters
/// per zoom.
#[derive(Debug, Default)]
pub struct MapIndex {
    tree: RTree<Entry>,
    world: Vec<[f64; 2]>,
    clusters: Mutex<HashMap<i32, Arc<Vec<Cluster>>>>,
    lines: Vec<usize>,
}

impl MapIndex {
    /// Indexes the events for which `keep` holds.
    pub fn new(events: &[MapEvent], keep: impl Fn(&MapEvent) -> bool) -> Self {
        let world: Vec<[f64; 2]> = events.iter().map(|e| to_world(e.lon_lat)).collect();
        let entries = events
            .iter()
            .enumerate()
            .filter(|(_, e)| keep(e))
            .map(|(i, e)| {
                let rect = if e.line.is_empty() {
                    Rectangle::from_corners(world[i], world[i])
                } else {
                    let pts: Vec<[f64; 2]> = e.line.iter().map(|p| to_world(*p)).collect();
                    let env = AABB::from_points(pts.iter());
                    Rectangle::from_corners(env.lower(), env.upper())
                };
                GeomWithData::new(rect, i)
            })
            .collect();
        let tree: RTree<Entry> = RTree::bulk_load(entries);
        let mut lines: Vec<usize> = tree
            .iter()
            .map(|e| e.data)
            .filter(|&i| !events[i].line.is_empty())
            .collect();
        lines.sort_unstable();
        Self {
            tree,
            world,
            clusters: Mutex::default(),
            lines,
        }
    }

    /// How many events are indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether no event is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Indexes of the movements (line events).
    pub fn lines(&self) -> &[usize] {
        &self.lines
    }

    /// The world position of an event of the dataset.
    pub fn world(&self, i: usize) -> [f64; 2] {
        self.world[i]
    }

    /// Indexes of the events whose box meets a world box.
    pub fn in_box(&self, [lo, hi]: [[f64; 2]; 2]) -> Vec<usize> {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(lo, hi))
            .map(|e| e.data)
            .collect()
    }

    /// Indexes of the events in a view's world box, whichever copies of the world it meets,
    /// ascending.
    pub fn in_view(&self, [lo, hi]: [[f64; 2]; 2]) -> Vec<usize> {
        let mut found = Vec::new();
        if hi[0] - lo[0] >= 1.0 {
            found = self.in_box([[0.0, lo[1]], [1.0, hi[1]]]);
        } else {
            for k in (lo[0].floor() as i64)..=(hi[0].floor() as i64) {
                let k = k as f64;
                found.extend(self.in_box([[lo[0] - k, lo[1]], [hi[0] - k, hi[1]]]));
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The point events (not movements) within `max` world units of a world point, ascending.
    pub fn points_near(&self, at: [f64; 2], max: f64) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .tree
            .locate_within_distance(at, max * max)
            .filter(|e| e.geom().lower() == e.geom().upper())
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found
    }

    /// The event nearest a world point, if within `max` world units.
    pub fn nearest(&self, at: [f64; 2], max: f64) -> Option<usize> {
        self.tree
            .nearest_neighbor(&at)
            .filter(|e| rstar::PointDistance::distance_2(e.geom(), &at) <= max * max)
            .map(|e| e.data)
    }

    /// The point events gathered into cells of about [`CELL_PX`] at an integer zoom (computed
    /// once per zoom); movements are not clustered.
    pub fn clusters(&self, zoom: i32, events: &[MapEvent]) -> Arc<Vec<Cluster>> {
        let mut cache = self
            .clusters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(c) = cache.get(&zoom) {
            return c.clone();
        }
        let cell = CELL_PX / world_pixels(f64::from(zoom));
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for entry in self.tree.iter() {
            let i = entry.data;
            if !events[i].line.is_empty() {
                continue;
            }
            let [x, y] = self.world[i];
            let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
            cells.entry(key).or_default().push(i);
        }
        let mut clusters: Vec<Cluster> = cells
            .into_values()
            .map(|members| {
                let n = members.len() as f64;
                let (sx, sy) = members.iter().fold((0.0, 0.0), |(sx, sy), &i| {
                    (sx + self.world[i][0], sy + self.world[i][1])
                });
                let mut counts: HashMap<&str, usize> = HashMap::new();
                for &i in &members {
                    *counts.entry(events[i].event_type.as_str()).or_default() += 1;
                }
                let main_type = counts
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                    .map(|(t, _)| t.to_owned())
                    .unwrap_or_default();
                Cluster {
                    at: [sx / n, sy / n],
                    members,
                    main_type,
                }
            })
            .collect();
        clusters.sort_by_key(|c| c.members.len());
        let clusters = Arc::new(clusters);
        cache.insert(zoom, clusters.clone());
        clusters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_split_as_you_zoom_in() {
        // Stepanakert and Shusha are 10 km apart; Baku is 300 km away.
        let events = vec![
            MapEvent::at(1, [46.75, 39.82]),
            MapEvent::at(2, [46.75, 39.76]),
            MapEvent::at(3, [49.87, 40.41]),
        ];
        let index = MapIndex::new(&events, |_| true);
        assert_eq!(index.clusters(5, &events).len(), 2);
        assert_eq!(index.clusters(NO_CLUSTER_ZOOM, &events).len(), 3);
        let near_baku = to_world([49.8, 40.4]);
        assert_eq!(index.nearest(near_baku, 0.01), Some(2));
    }

    #[test]
    fn a_view_across_the_antimeridian_sees_both_sides() {
        // Fiji's Suva at 178.4°E, Samoa's Apia at 171.8°W, Baku far away.
        let events = vec![
            MapEvent::at(1, [178.44, -18.14]),
            MapEvent::at(2, [-171.76, -13.83]),
            MapEvent::at(3, [49.87, 40.41]),
        ];
        let index = MapIndex::new(&events, |_| true);
        let [suva, apia] = [to_world([170.0, -5.0]), to_world([-165.0, -25.0])];
        // The view runs east from 170°E past 180° to 165°W: x beyond 1 is the next copy.
        assert_eq!(index.in_view([suva, [apia[0] + 1.0, apia[1]]]), vec![0, 1]);
    }
}
