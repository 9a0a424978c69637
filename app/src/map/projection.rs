//! Web Mercator (EPSG:3857) in "world" units: the whole world is the unit square, x east from
//! the antimeridian, y south from 85.05°N; zoom `z` draws it `256 · 2^z` pixels wide. East and
//! west the world repeats: the centre's x wraps around, and the copies `k` of the world (x
//! shifted by `k`) that meet the view are drawn side by side.

pub use crate::url::{MAX_ZOOM, MIN_ZOOM};
use std::f64::consts::PI;
use std::ops::RangeInclusive;

/// Pixels across the world at zoom 0.
pub const TILE_SIZE: f64 = 256.0;

/// Earth's equatorial circumference in metres (WGS 84).
const EQUATOR_M: f64 = 40_075_016.686;

/// Longitude, latitude in degrees to world units.
pub fn to_world([lon, lat]: [f64; 2]) -> [f64; 2] {
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0;
    [x, y]
}

/// World units to longitude, latitude in degrees.
pub fn to_lon_lat([x, y]: [f64; 2]) -> [f64; 2] {
    let lon = x * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    [lon, lat]
}

/// Pixels across the world at a zoom.
pub fn world_pixels(zoom: f64) -> f64 {
    TILE_SIZE * zoom.exp2()
}

/// What the map shows: a centre, a zoom and the size of the canvas in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// The centre in world units.
    pub centre: [f64; 2],
    /// The zoom level.
    pub zoom: f64,
    /// Canvas width in CSS pixels.
    pub width: f64,
    /// Canvas height in CSS pixels.
    pub height: f64,
}

impl Viewport {
    /// A viewport centred on a longitude, latitude.
    pub fn new(centre: [f64; 2], zoom: f64, width: f64, height: f64) -> Self {
        Self {
            centre: to_world(centre),
            zoom,
            width,
            height,
        }
    }

    /// Pixels per world unit.
    pub fn scale(&self) -> f64 {
        world_pixels(self.zoom)
    }

    /// A world point on the screen, in CSS pixels from the top left.
    pub fn to_screen(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        let s = self.scale();
        [
            (x - self.centre[0]) * s + self.width / 2.0,
            (y - self.centre[1]) * s + self.height / 2.0,
        ]
    }

    /// The world point under a screen point.
    pub fn to_world(&self, [px, py]: [f64; 2]) -> [f64; 2] {
        let s = self.scale();
        [
            self.centre[0] + (px - self.width / 2.0) / s,
            self.centre[1] + (py - self.height / 2.0) / s,
        ]
    }

    /// The centre as longitude, latitude.
    pub fn centre_lon_lat(&self) -> [f64; 2] {
        to_lon_lat(self.centre)
    }

    /// The visible box in world units: `[min_x, min_y], [max_x, max_y]`.
    pub fn world_box(&self) -> [[f64; 2]; 2] {
        [
            self.to_world([0.0, 0.0]),
            self.to_world([self.width, self.height]),
        ]
    }

    /// The copies of the world the view meets: `k` is the world shifted east by one width `k`
    /// times.
    pub fn copies(&self) -> RangeInclusive<i64> {
        let [lo, hi] = self.world_box();
        (lo[0].floor() as i64)..=(hi[0].floor() as i64)
    }

    /// The copies `k` of something that spans `min_x..max_x` in world units that meet the view.
    pub fn copies_of(&self, min_x: f64, max_x: f64) -> RangeInclusive<i64> {
        let [lo, hi] = self.world_box();
        ((lo[0] - max_x).ceil() as i64)..=((hi[0] - min_x).floor() as i64)
    }

    /// The visible box as the API's `bbox`: `min_lon,min_lat,max_lon,max_lat`, clamped to the
    /// world; a view across the antimeridian has its west edge east of its east edge.
    pub fn bbox(&self) -> [f64; 4] {
        let [a, b] = self.world_box();
        let [_, n] = to_lon_lat([0.0, a[1].max(0.0)]);
        let [_, s] = to_lon_lat([0.0, b[1].min(1.0)]);
        if b[0] - a[0] >= 1.0 {
            return [-180.0, s, 180.0, n];
        }
        let copy = a[0].floor();
        let west = a[0] - copy;
        let east = if b[0] - copy <= 1.0 {
            b[0] - copy
        } else {
            b[0] - copy - 1.0
        };
        [west * 360.0 - 180.0, s, east * 360.0 - 180.0, n]
    }

    /// Moves the map by a screen offset (drag right moves the map right).
    pub fn pan(&mut self, dx: f64, dy: f64) {
        let s = self.scale();
        self.centre = [self.centre[0] - dx / s, self.centre[1] - dy / s];
        self.clamp();
    }

    /// Zooms to `zoom`, keeping the world point under the screen point `at` where it is.
    pub fn zoom_at(&mut self, zoom: f64, at: [f64; 2]) {
        let anchor = self.to_world(at);
        self.zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        let s = self.scale();
        self.centre = [
            anchor[0] - (at[0] - self.width / 2.0) / s,
            anchor[1] - (at[1] - self.height / 2.0) / s,
        ];
        self.clamp();
    }

    /// Keeps the centre on the world: east and west it wraps around (the view does not move,
    /// it only looks at the next copy of the world), north and south it stops at the edge.
    pub fn clamp(&mut self) {
        self.centre = [
            self.centre[0].rem_euclid(1.0),
            self.centre[1].clamp(0.0, 1.0),
        ];
    }

    /// Longitude, latitude under a screen point, the longitude within -180..180.
    pub fn lon_lat_at(&self, at: [f64; 2]) -> [f64; 2] {
        let [x, y] = self.to_world(at);
        to_lon_lat([x.rem_euclid(1.0), y])
    }

    /// Metres per CSS pixel at the centre.
    pub fn metres_per_pixel(&self) -> f64 {
        let lat = self.centre_lon_lat()[1].to_radians();
        EQUATOR_M * lat.cos() / self.scale()
    }
}

/// The centre and zoom that show a world box (`[min_x, min_y], [max_x, max_y]`) on a screen
/// of `width` × `height` pixels with a margin, no closer than `max_zoom`.
pub fn fit([lo, hi]: [[f64; 2]; 2], width: f64, height: f64, max_zoom: f64) -> ([f64; 2], f64) {
    let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    let span_x = (hi[0] - lo[0]).max(f64::EPSILON) * TILE_SIZE;
    let span_y = (hi[1] - lo[1]).max(f64::EPSILON) * TILE_SIZE;
    let zoom = (width * 0.8 / span_x)
        .log2()
        .min((height * 0.8 / span_y).log2());
    (centre, zoom.min(max_zoom))
}

/// The scale bar: a round distance and its length in pixels, no longer than `max_px`.
pub fn scale_bar(metres_per_pixel: f64, max_px: f64) -> (f64, String) {
    let max_m = metres_per_pixel * max_px;
    let power = 10f64.powf(max_m.log10().floor());
    let step = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|f| f * power)
        .find(|m| *m <= max_m)
        .unwrap_or(power);
    let label = if step >= 1000.0 {
        format!("{} km", step / 1000.0)
    } else {
        format!("{step} m")
    };
    (step / metres_per_pixel, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_round_trips() {
        for p in [[46.75, 39.81], [-122.4, 37.8], [0.0, 0.0], [179.0, -60.0]] {
            let back = to_lon_lat(to_world(p));
            assert!((back[0] - p[0]).abs() < 1e-9 && (back[1] - p[1]).abs() < 1e-9);
        }
        assert_eq!(to_world([0.0, 0.0]), [0.5, 0.5]);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let mut v = Viewport::new([46.5, 40.3], 6.0, 800.0, 600.0);
        let at = [100.0, 450.0];
        let before = v.to_world(at);
        v.zoom_at(8.25, at);
        let after = v.to_world(at);
        assert!((before[0] - after[0]).abs() < 1e-12 && (before[1] - after[1]).abs() < 1e-12);
    }

    #[test]
    fn the_world_wraps_east_and_west() {
        let mut v = Viewport::new([179.0, 0.0], 6.0, 800.0, 600.0);
        let [x, y] = to_world([-179.0, 0.0]);
        // East of the view, -179° is in the next copy of the world.
        let before = v.to_screen([x + 1.0, y]);
        // Dragging left moves the view east, across 180°: no jump, only the next copy.
        v.pan(-400.0, 0.0);
        assert!(
            v.centre[0] < 0.5,
            "the centre wrapped to the west: {:?}",
            v.centre
        );
        let [lon, _] = v.centre_lon_lat();
        assert!((-180.0..-170.0).contains(&lon), "{lon}");
        let after = v.to_screen([x, y]);
        assert!(
            (after[0] - (before[0] - 400.0)).abs() < 1e-6,
            "{before:?} {after:?}"
        );
        // A view across the antimeridian asks the API for a box whose west is east of its east.
        let across = Viewport::new([180.0, 0.0], 6.0, 800.0, 600.0);
        let [w, _, e, _] = across.bbox();
        assert!(w > 170.0 && e < -170.0, "{w} {e}");
        assert_eq!(across.copies(), 0..=1);
        let world = Viewport::new([0.0, 0.0], 1.0, 1200.0, 600.0);
        assert_eq!(world.bbox()[0], -180.0);
        assert_eq!(world.bbox()[2], 180.0);
    }

    #[test]
    fn fit_shows_the_whole_box() {
        let box_ = [to_world([44.0, 41.0]), to_world([50.0, 38.0])];
        let (centre, zoom) = fit(box_, 960.0, 640.0, 12.0);
        let v = Viewport {
            centre,
            zoom,
            width: 960.0,
            height: 640.0,
        };
        for corner in [box_[0], box_[1]] {
            let [x, y] = v.to_screen(corner);
            assert!((0.0..=960.0).contains(&x) && (0.0..=640.0).contains(&y));
        }
        assert_eq!(fit([box_[0], box_[0]], 960.0, 640.0, 9.0).1, 9.0);
    }

    #[test]
    fn scale_bar_is_round() {
        let (px, label) = scale_bar(1234.0, 120.0);
        assert_eq!(label, "100 km");
        assert!(px <= 120.0 && px > 50.0);
    }
}
