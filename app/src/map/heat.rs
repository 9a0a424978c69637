//! The heatmap: the events (or the server's clusters, weighted by their counts) spread on a
//! coarse grid of the screen by a smooth kernel, coloured on the ramp by density relative to
//! the densest cell, and drawn scaled up over the basemap. The grid is a few thousand cells,
//! so a frame costs the same at 100 events as at 100,000.

use super::ramp;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Side of a grid cell, in CSS pixels.
pub const CELL_PX: f64 = 4.0;

/// Radius of the kernel around a point, in cells (24 pixels).
const RADIUS: i32 = 6;

/// Densities below this share of the highest are not drawn.
const FLOOR: f32 = 0.02;

/// Opacity of the densest cells, 0 to 255.
const MAX_ALPHA: f64 = 210.0;

/// A density surface over the screen, in cells of [`CELL_PX`].
#[derive(Debug, Clone)]
pub struct Heat {
    cols: usize,
    rows: usize,
    values: Vec<f32>,
    kernel: Vec<f32>,
}

impl Heat {
    /// An empty surface over a screen of `width` by `height` CSS pixels.
    pub fn new(width: f64, height: f64) -> Self {
        let cols = (width / CELL_PX).ceil().max(1.0) as usize;
        let rows = (height / CELL_PX).ceil().max(1.0) as usize;
        Self {
            cols,
            rows,
            values: vec![0.0; cols * rows],
            kernel: kernel(),
        }
    }

    /// The grid's columns and rows.
    pub fn size(&self) -> (usize, usize) {
        (self.cols, self.rows)
    }

    /// Spreads a weight around a screen point (CSS pixels); points off the screen by more
    /// than the kernel add nothing.
    pub fn add(&mut self, [x, y]: [f64; 2], weight: f64) {
        let (cx, cy) = ((x / CELL_PX).floor() as i32, (y / CELL_PX).floor() as i32);
        let side = 2 * RADIUS + 1;
        for dy in -RADIUS..=RADIUS {
            let row = cy + dy;
            if row < 0 || row >= self.rows as i32 {
                continue;
            }
            for dx in -RADIUS..=RADIUS {
                let col = cx + dx;
                if col < 0 || col >= self.cols as i32 {
                    continue;
                }
                let k = self.kernel[((dy + RADIUS) * side + dx + RADIUS) as usize];
                self.values[row as usize * self.cols + col as usize] += k * weight as f32;
            }
        }
    }

    /// How many cells the surface colours (the others stay transparent).
    pub fn covered(&self) -> usize {
        let top = self.values.iter().copied().fold(0.0f32, f32::max);
        if top <= 0.0 {
            return 0;
        }
        self.values.iter().filter(|&&v| v / top >= FLOOR).count()
    }

    /// The surface as RGBA pixels, one per cell: the ramp's colour by the square root of the
    /// density over the highest, more opaque where denser; transparent where nothing is.
    pub fn rgba(&self) -> Vec<u8> {
        let top = self.values.iter().copied().fold(0.0f32, f32::max);
        let mut out = vec![0u8; self.values.len() * 4];
        if top <= 0.0 {
            return out;
        }
        for (px, &v) in out.chunks_exact_mut(4).zip(&self.values) {
            let share = v / top;
            if share < FLOOR {
                continue;
            }
            let t = f64::from(share).sqrt();
            let [r, g, b] = ramp::at(t);
            px.copy_from_slice(&[r, g, b, (MAX_ALPHA * t.max(0.25)).round() as u8]);
        }
        out
    }

    /// Draws the surface over the screen through `scratch`, a canvas of one pixel per cell,
    /// scaled up smoothly.
    pub fn draw(&self, ctx: &CanvasRenderingContext2d, scratch: &HtmlCanvasElement) {
        let pixels = self.rgba();
        let (cols, rows) = (self.cols as u32, self.rows as u32);
        let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), cols, rows)
        else {
            return;
        };
        scratch.set_width(cols);
        scratch.set_height(rows);
        let Some(sctx) = scratch
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|o| o.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = sctx.put_image_data(&image, 0.0, 0.0);
        ctx.set_image_smoothing_enabled(true);
        let (w, h) = (f64::from(cols) * CELL_PX, f64::from(rows) * CELL_PX);
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(scratch, 0.0, 0.0, w, h);
    }
}

/// The kernel's weights on a square of `2 × RADIUS + 1` cells: a quartic (biweight) bump,
/// 1 at the centre and 0 at the radius.
fn kernel() -> Vec<f32> {
    let r = f64::from(RADIUS) + 0.5;
    (-RADIUS..=RADIUS)
        .flat_map(|dy| (-RADIUS..=RADIUS).map(move |dx| (dx, dy)))
        .map(|(dx, dy)| {
            let d2 = f64::from(dx * dx + dy * dy) / (r * r);
            if d2 >= 1.0 {
                0.0
            } else {
                ((1.0 - d2) * (1.0 - d2)) as f32
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_peaks_where_points_gather_and_fades_away() {
        let mut heat = Heat::new(200.0, 100.0);
        assert_eq!(heat.size(), (50, 25));
        for _ in 0..3 {
            heat.add([40.0, 40.0], 1.0);
        }
        heat.add([160.0, 40.0], 1.0);
        heat.add([-500.0, 40.0], 100.0);
        let px = heat.rgba();
        let alpha = |x: f64, y: f64| {
            let i = (y / CELL_PX) as usize * 50 + (x / CELL_PX) as usize;
            px[i * 4 + 3]
        };
        assert!(
            alpha(40.0, 40.0) > alpha(160.0, 40.0),
            "denser is more opaque"
        );
        assert!(alpha(160.0, 40.0) > 0, "a lone point shows");
        assert_eq!(alpha(100.0, 40.0), 0, "nothing between them");
        assert_eq!(alpha(2.0, 40.0), 0, "the far point adds nothing");
        let covered = px.chunks_exact(4).filter(|p| p[3] > 0).count();
        assert_eq!(heat.covered(), covered);
    }

    #[test]
    fn an_empty_surface_is_transparent() {
        assert!(Heat::new(40.0, 40.0).rgba().iter().all(|&b| b == 0));
        assert_eq!(Heat::new(40.0, 40.0).covered(), 0);
    }
}
