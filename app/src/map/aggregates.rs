//! The server's clusters (`/api/clusters`), drawn when a view holds more events than the map
//! draws one by one: a disc sized by the count, ringed by the types' colours in proportion
//! (the type mix), the count inside; a cell of few events as their symbols. A click zooms into
//! the cell.

use super::projection::to_world;
use crate::model::{MapEvent, type_style};
use std::f64::consts::TAU;
use vocab::{Clusters, EventFeature};
use web_sys::CanvasRenderingContext2d;

/// One cluster as the map draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// The mean of its events' points, in world units.
    pub at: [f64; 2],
    /// How many events it holds.
    pub count: u64,
    /// How many of each type, the most frequent first.
    pub types: Vec<(String, u64)>,
    /// Its cell in world units, `[north-west, south-east]`: a click fits it.
    pub cell: [[f64; 2]; 2],
    /// Its events when it holds few (the server sends them), else none.
    pub events: Vec<MapEvent>,
}

/// A view's clusters and how many events they hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregates {
    /// The clusters.
    pub clusters: Vec<Aggregate>,
    /// How many events, all clusters together.
    pub total: u64,
}

impl From<Clusters> for Aggregates {
    fn from(answer: Clusters) -> Self {
        let clusters = answer
            .clusters
            .into_iter()
            .map(|c| {
                let mut types: Vec<(String, u64)> = c.types.into_iter().collect();
                types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let [w, s, e, n] = c.cell;
                Aggregate {
                    at: to_world([c.lon, c.lat]),
                    count: c.count,
                    types,
                    cell: [to_world([w, n]), to_world([e, s])],
                    events: c
                        .events
                        .into_iter()
                        .filter_map(|f| EventFeature::from_feature(f).ok())
                        .map(MapEvent::from)
                        .collect(),
                }
            })
            .collect();
        Self {
            clusters,
            total: answer.total,
        }
    }
}

/// The radius of a cluster of `count` events, in CSS pixels: the area grows with the log of
/// the count, so that a million does not cover the map.
pub fn radius(count: u64) -> f64 {
    10.0 + (count.max(1) as f64).log10() * 5.0
}

/// Draws a cluster at a screen point: the disc in the main type's colour, a ring split by the
/// type mix, the count. Returns its radius.
pub fn draw_aggregate(ctx: &CanvasRenderingContext2d, a: &Aggregate, x: f64, y: f64) -> f64 {
    let r = radius(a.count);
    let main = a.types.first().map_or("", |(t, _)| t.as_str());
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, TAU);
    ctx.set_fill_style_str(type_style(main).colour);
    ctx.set_global_alpha(0.8);
    ctx.fill();
    ctx.set_global_alpha(1.0);
    let mut start = -TAU / 4.0;
    ctx.set_line_width(4.0);
    for (t, n) in &a.types {
        let end = start + TAU * (*n as f64) / (a.count.max(1) as f64);
        ctx.begin_path();
        let _ = ctx.arc(x, y, r + 2.0, start, end);
        ctx.set_stroke_style_str(type_style(t).colour);
        ctx.stroke();
        start = end;
    }
    ctx.set_fill_style_str("#fff");
    ctx.set_font("bold 12px system-ui, sans-serif");
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    let _ = ctx.fill_text(&short_count(a.count), x, y);
    ctx.set_text_baseline("alphabetic");
    r + 4.0
}

/// A count as a cluster shows it: 950, 12k, 3.4M.
pub fn short_count(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f64 / 1e3),
        10_000..=999_999 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_short_and_radii_grow_slowly() {
        assert_eq!(short_count(950), "950");
        assert_eq!(short_count(1_234), "1.2k");
        assert_eq!(short_count(54_206), "54k");
        assert_eq!(short_count(3_400_000), "3.4M");
        assert!(radius(10_000_000) < 50.0);
        assert!(radius(2) > radius(1));
    }

    #[test]
    fn clusters_read_into_world_units_with_the_main_type_first() {
        let answer: Clusters = serde_json::from_value(serde_json::json!({
            "zoom": 2.0, "level": 4, "cell_px": 64.0, "total": 5, "points_max": 3,
            "clusters": [{
                "lon": 46.75, "lat": 39.82, "count": 5,
                "types": {"battles": 1, "protests": 4},
                "first": "2020-09-27", "last": "2020-10-02",
                "cell": [45.0, 31.95, 67.5, 40.98]
            }]
        }))
        .expect("clusters");
        let a = Aggregates::from(answer);
        assert_eq!(a.total, 5);
        let c = &a.clusters[0];
        assert_eq!(c.types[0], ("protests".to_owned(), 4));
        assert_eq!(c.at, to_world([46.75, 39.82]));
        assert!(c.cell[0][0] < c.at[0] && c.at[0] < c.cell[1][0]);
        assert!(c.cell[0][1] < c.at[1] && c.at[1] < c.cell[1][1]);
    }
}
