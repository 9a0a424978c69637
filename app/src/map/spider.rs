//! Events on one spot fanned out ("spiderfied") when clicked: each on a leg around the spot,
//! so that every one can be hovered and selected.

use std::f64::consts::TAU;

/// Least radius of the fan, in pixels.
const MIN_RADIUS_PX: f64 = 28.0;

/// Room one event takes along the fan's circle, in pixels.
const STEP_PX: f64 = 20.0;

/// Events fanned out around a spot.
#[derive(Debug, Clone, PartialEq)]
pub struct Spider {
    /// The spot, in world units.
    pub at: [f64; 2],
    /// The events' indexes in the dataset.
    pub members: Vec<usize>,
}

/// The screen offsets of `n` legs around a spot: on a circle, the first straight up, wide
/// enough that neighbours stand `STEP_PX` apart.
pub fn leg_offsets(n: usize) -> Vec<[f64; 2]> {
    let radius = (n as f64 * STEP_PX / TAU).max(MIN_RADIUS_PX);
    (0..n)
        .map(|k| {
            let angle = TAU * k as f64 / n as f64 - TAU / 4.0;
            [radius * angle.cos(), radius * angle.sin()]
        })
        .collect()
}

/// Whether points (world units) all lie on one spot: within a pixel at the closest zoom, where
/// zooming in can part them no more.
pub fn one_spot(points: &[[f64; 2]], max_zoom_pixels: f64) -> bool {
    let Some(first) = points.first() else {
        return false;
    };
    points
        .iter()
        .all(|p| (p[0] - first[0]).hypot(p[1] - first[1]) * max_zoom_pixels < 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legs_stand_apart_however_many() {
        for n in [2, 5, 12, 40] {
            let legs = leg_offsets(n);
            assert_eq!(legs.len(), n);
            for (i, a) in legs.iter().enumerate() {
                assert!(a[0].hypot(a[1]) >= MIN_RADIUS_PX - 1e-9);
                for b in &legs[i + 1..] {
                    let d = (a[0] - b[0]).hypot(a[1] - b[1]);
                    assert!(d >= 16.0, "{n} legs: {d:.1} px apart");
                }
            }
        }
    }

    #[test]
    fn one_spot_is_closer_than_a_pixel_at_the_closest_zoom() {
        let px = 256.0 * 2f64.powi(18);
        assert!(one_spot(&[[0.5, 0.5], [0.5, 0.5]], px));
        assert!(!one_spot(&[[0.5, 0.5], [0.5 + 1e-7, 0.5]], px));
        assert!(!one_spot(&[], px));
    }
}
