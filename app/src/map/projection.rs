//! Web Mercator (EPSG:3857) in "world" units: the whole world is the unit square, x east from
//! the antimeridian, y south from 85.05°N; zoom `z` draws it `256 · 2^z` pixels wide.

use std::f64::consts::PI;

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

    /// The visible box as the API's `bbox`: `min_lon,min_lat,max_lon,max_lat`, clamped to the
    /// world.
    pub fn bbox(&self) -> [f64; 4] {
        let [a, b] = self.world_box();
        let [w, n] = to_lon_lat([a[0].max(0.0), a[1].max(0.0)]);
        let [e, s] = to_lon_lat([b[0].min(1.0), b[1].min(1.0)]);
        [w, s, e, n]
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
        self.zoom = zoom.clamp(super::MIN_ZOOM, super::MAX_ZOOM);
        let s = self.scale();
        self.centre = [
            anchor[0] - (at[0] - self.width / 2.0) / s,
            anchor[1] - (at[1] - self.height / 2.0) / s,
        ];
        self.clamp();
    }

    /// Keeps the centre on the world.
    fn clamp(&mut self) {
        self.centre = [
            self.centre[0].clamp(0.0, 1.0),
            self.centre[1].clamp(0.0, 1.0),
        ];
    }

    /// Metres per CSS pixel at the centre.
    pub fn metres_per_pixel(&self) -> f64 {
        let lat = self.centre_lon_lat()[1].to_radians();
        EQUATOR_M * lat.cos() / self.scale()
    }
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
    fn scale_bar_is_round() {
        let (px, label) = scale_bar(1234.0, 120.0);
        assert_eq!(label, "100 km");
        assert!(px <= 120.0 && px > 50.0);
    }
}
