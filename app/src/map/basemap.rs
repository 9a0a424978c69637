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
    rings: Vec<LineString<f64>>,
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
                let (lo, hi) = rings
                    .iter()
                    .flat_map(|r| r.0.iter())
                    .fold((f64::MAX, f64::MIN), |(lo, hi), c| {
                        (lo.min(c.x), hi.max(c.x))
                    });
                Country {
                    name: c.name,
                    label: to_world(c.label),
                    width: (hi - lo).max(0.0),
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
        let px = world_pixels(f64::from(zoom));
        let tolerance = TOLERANCE_PX / px;
        self.countries
            .iter()
            .flat_map(|c| c.rings.iter())
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
            .filter(|r| r.len() >= 3)
            .collect()
    }
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
