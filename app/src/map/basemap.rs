//! The shipped basemap: Natural Earth country outlines (`app/basemap/`, public domain) in
//! world units, simplified with Douglas–Peucker for each zoom level so a frame draws only the
//! vertices a screen can show. Rings cut at the antimeridian (Russia, Fiji) are made whole, so
//! they reach a little past the world's edge, where the next copy of the world would show them.

use super::projection::{to_world, world_pixels};
use geo::{LineString, Simplify};
use serde::Deserialize;

/// Tolerance of the simplification, in pixels at the zoom it is made for.
const TOLERANCE_PX: f64 = 0.6;

#[derive(Deserialize)]
struct File {
    countries: Vec<FileCountry>,
}

#[derive(Deserialize)]
struct FileCountry {
    name: String,
    label: [f64; 2],
    rings: Vec<Vec<f64>>,
}

/// A country: its name, where to write it and its outline rings in world units.
#[derive(Debug, Clone)]
pub struct Country {
    /// Its English name.
    pub name: String,
    /// Where its name goes, in world units.
    pub label: [f64; 2],
    /// Width of its largest extent in world units, to decide when its name fits.
    pub width: f64,
    /// Its bounding box in world units: `[min_x, min_y], [max_x, max_y]`.
    pub bbox: [[f64; 2]; 2],
    rings: Vec<LineString<f64>>,
}

/// Samples across and down a view when a country's label point is out of it.
const ANCHOR_SAMPLES: [usize; 2] = [12, 8];

impl Country {
    /// Whether a world point lies inside the country (even–odd over all its rings).
    pub fn contains(&self, [x, y]: [f64; 2]) -> bool {
        let mut inside = false;
        for ring in &self.rings {
            for w in ring.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a.y > y) != (b.y > y) && x < a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x) {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// Where to write the name in a box of the world (a view): its label point when inside
    /// the box, else the sample of the box inside the country nearest their middle, when at
    /// least a few samples are (the country shows enough to be named).
    pub fn anchor_in(&self, [lo, hi]: [[f64; 2]; 2]) -> Option<[f64; 2]> {
        let [blo, bhi] = self.bbox;
        if bhi[0] < lo[0] || blo[0] > hi[0] || bhi[1] < lo[1] || blo[1] > hi[1] {
            return None;
        }
        let inset = |p: [f64; 2], f: f64| {
            let (mx, my) = ((hi[0] - lo[0]) * f, (hi[1] - lo[1]) * f);
            p[0] > lo[0] + mx && p[0] < hi[0] - mx && p[1] > lo[1] + my && p[1] < hi[1] - my
        };
        if inset(self.label, 0.05) {
            return Some(self.label);
        }
        let [nx, ny] = ANCHOR_SAMPLES;
        let inside: Vec<[f64; 2]> = (0..nx)
            .flat_map(|i| (0..ny).map(move |j| (i, j)))
            .map(|(i, j)| {
                [
                    lo[0] + (hi[0] - lo[0]) * (i as f64 + 0.5) / nx as f64,
                    lo[1] + (hi[1] - lo[1]) * (j as f64 + 0.5) / ny as f64,
                ]
            })
            .filter(|p| self.contains(*p))
            .collect();
        if inside.len() < 4 {
            return None;
        }
        let n = inside.len() as f64;
        let mid = inside
            .iter()
            .fold([0.0, 0.0], |m, p| [m[0] + p[0] / n, m[1] + p[1] / n]);
        let distance = |p: &[f64; 2]| (p[0] - mid[0]).hypot(p[1] - mid[1]);
        inside
            .into_iter()
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
    }
}

/// One scale of Natural Earth countries.
#[derive(Debug, Clone, Default)]
pub struct Basemap {
    /// The countries.
    pub countries: Vec<Country>,
    /// The least and greatest x of every ring, in world units (a little beyond 0 and 1 where
    /// rings cross the antimeridian).
    pub extent: [f64; 2],
}

/// A ring's `lon, lat` pairs with the longitudes made continuous where it steps across the
/// antimeridian (a step of more than 180°). A ring that goes round the pole (Antarctica) has
/// the antimeridian as its edge and stays as it is.
fn unwrap_ring(flat: &[f64]) -> Vec<[f64; 2]> {
    let points: Vec<[f64; 2]> = flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
    let wrap = |step: f64| {
        if step > 180.0 {
            -360.0
        } else if step < -180.0 {
            360.0
        } else {
            0.0
        }
    };
    let mut shift = 0.0;
    let mut unwrapped = Vec::with_capacity(points.len());
    for (k, &[lon, lat]) in points.iter().enumerate() {
        if k > 0 {
            shift += wrap(lon - points[k - 1][0]);
        }
        unwrapped.push([lon + shift, lat]);
    }
    let closing = match (points.first(), points.last()) {
        (Some(first), Some(last)) => wrap(first[0] - last[0]),
        _ => 0.0,
    };
    if shift + closing == 0.0 {
        unwrapped
    } else {
        points
    }
}

impl Basemap {
    /// Reads a file written by `app/basemap/build.mjs`.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let file: File = serde_json::from_str(json)?;
        let countries = file
            .countries
            .into_iter()
            .map(|c| {
                let rings: Vec<LineString<f64>> = c
                    .rings
                    .iter()
                    .map(|flat| {
                        unwrap_ring(flat)
                            .into_iter()
                            .map(|p| {
                                let [x, y] = to_world(p);
                                geo::coord! { x: x, y: y }
                            })
                            .collect()
                    })
                    .collect();
                let (lo, hi) = rings.iter().flat_map(|r| r.0.iter()).fold(
                    ([f64::MAX; 2], [f64::MIN; 2]),
                    |(lo, hi), c| {
                        (
                            [lo[0].min(c.x), lo[1].min(c.y)],
                            [hi[0].max(c.x), hi[1].max(c.y)],
                        )
                    },
                );
                Country {
                    name: c.name,
                    label: to_world(c.label),
                    width: (hi[0] - lo[0]).max(0.0),
                    bbox: [lo, hi],
                    rings,
                }
            })
            .collect::<Vec<_>>();
        let extent = countries
            .iter()
            .flat_map(|c| c.rings.iter().flat_map(|r| r.0.iter()))
            .fold([0.0, 1.0], |[lo, hi]: [f64; 2], c| {
                [lo.min(c.x), hi.max(c.x)]
            });
        Ok(Self { countries, extent })
    }

    /// Every ring simplified for an integer zoom, in pixels of that zoom; rings smaller than a
    /// pixel are left out.
    pub fn rings_at(&self, zoom: i32) -> Vec<Vec<[f64; 2]>> {
        simplified_at(self.countries.iter().flat_map(|c| c.rings.iter()), zoom, 3)
    }
}

/// Lines or rings in world units simplified for an integer zoom, in pixels of that zoom; those
/// smaller than a pixel, or left with fewer than `min_points`, are left out.
pub fn simplified_at<'a>(
    lines: impl Iterator<Item = &'a LineString<f64>>,
    zoom: i32,
    min_points: usize,
) -> Vec<Vec<[f64; 2]>> {
    let px = world_pixels(f64::from(zoom));
    let tolerance = TOLERANCE_PX / px;
    lines
        .filter(|r| {
            let (lo, hi) =
                r.0.iter()
                    .fold(([f64::MAX; 2], [f64::MIN; 2]), |(lo, hi), c| {
                        (
                            [lo[0].min(c.x), lo[1].min(c.y)],
                            [hi[0].max(c.x), hi[1].max(c.y)],
                        )
                    });
            (hi[0] - lo[0]).max(hi[1] - lo[1]) * px >= 1.0
        })
        .map(|r| {
            r.simplify(tolerance)
                .0
                .iter()
                .map(|c| [c.x * px, c.y * px])
                .collect::<Vec<_>>()
        })
        .filter(|r| r.len() >= min_points)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplifies_more_when_zoomed_out() {
        let json = include_str!("../../basemap/countries-110m.json");
        let map = Basemap::parse(json).expect("shipped basemap reads");
        assert!(map.countries.iter().any(|c| c.name == "Azerbaijan"));
        let count = |z| map.rings_at(z).iter().map(Vec::len).sum::<usize>();
        assert!(count(1) < count(5));
        // Chukotka is drawn east of 180°, joined to the rest of Russia.
        assert!(
            map.extent[1] > 1.0 && map.extent[1] < 1.05,
            "{:?}",
            map.extent
        );
    }

    #[test]
    fn turkey_iran_and_russia_are_named_where_they_show_around_the_caucasus() {
        let map = Basemap::parse(include_str!("../../basemap/countries-50m.json"))
            .expect("shipped basemap reads");
        // The default view: the South Caucasus at zoom 6 on a 1000 × 800 canvas.
        let view = super::super::projection::Viewport::new([46.5, 40.3], 6.0, 1000.0, 800.0);
        let view_box = view.world_box();
        for name in ["Turkey", "Iran", "Russia", "Azerbaijan"] {
            let country = map.countries.iter().find(|c| c.name == name).expect(name);
            let at = country
                .anchor_in(view_box)
                .unwrap_or_else(|| panic!("{name} unnamed"));
            assert!(country.contains(at), "{name} named outside itself");
        }
        let chile = map
            .countries
            .iter()
            .find(|c| c.name == "Chile")
            .expect("Chile");
        assert_eq!(chile.anchor_in(view_box), None);
    }

    #[test]
    fn rings_cut_at_the_antimeridian_are_made_whole() {
        let fiji = [
            179.0, -16.0, 180.0, -16.5, -180.0, -16.5, -179.5, -17.0, 179.0, -17.0,
        ];
        let whole = unwrap_ring(&fiji);
        assert_eq!(whole[2], [180.0, -16.5]);
        assert_eq!(whole[3], [180.5, -17.0]);
        // Round the pole: the antimeridian is an edge of the ring, which stays as it is.
        let pole = [
            -180.0, -80.0, 0.0, -70.0, 180.0, -80.0, 180.0, -85.0, -180.0, -85.0,
        ];
        assert_eq!(unwrap_ring(&pole)[2], [180.0, -80.0]);
    }
}
