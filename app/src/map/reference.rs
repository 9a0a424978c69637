//! Reference layers drawn under the events: the GeoJSON files users added (a line of contact,
//! an old outline, a corridor), read by `vocab::read_reference`, kept in world units as they
//! arrive and drawn in every copy of the world the view meets, dashed, in the palette's colour
//! that no event type uses.

use super::palette::Palette;
use super::projection::{Viewport, to_world};
use std::collections::{HashMap, HashSet};
use vocab::Shapes;
use web_sys::CanvasRenderingContext2d;

/// The geometries of one layer, in world units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorldShapes {
    points: Vec<[f64; 2]>,
    lines: Vec<Vec<[f64; 2]>>,
    polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

impl WorldShapes {
    /// A layer's shapes, projected.
    pub fn new(shapes: &Shapes) -> Self {
        let line = |l: &Vec<[f64; 2]>| l.iter().map(|p| to_world(*p)).collect::<Vec<_>>();
        Self {
            points: shapes.points.iter().map(|p| to_world(*p)).collect(),
            lines: shapes.lines.iter().map(line).collect(),
            polygons: shapes
                .polygons
                .iter()
                .map(|rings| rings.iter().map(line).collect())
                .collect(),
        }
    }

    /// How many points, lines and polygons it holds.
    pub fn parts(&self) -> usize {
        self.points.len() + self.lines.len() + self.polygons.len()
    }
}

/// The reference layers loaded so far, by id, and those asked for.
#[derive(Debug, Default)]
pub struct References {
    loaded: HashMap<i64, WorldShapes>,
    asked: HashSet<i64>,
}

impl References {
    /// The layers of `wanted` not yet asked for, now marked as asked.
    pub fn to_load(&mut self, wanted: &[i64]) -> Vec<i64> {
        wanted
            .iter()
            .copied()
            .filter(|id| self.asked.insert(*id))
            .collect()
    }

    /// Takes a layer that arrived.
    pub fn add(&mut self, id: i64, shapes: WorldShapes) {
        self.loaded.insert(id, shapes);
    }

    /// Draws the `wanted` layers that have arrived, the first turned on at the bottom;
    /// returns how many parts (points, lines, polygons) it drew, for the browser tests.
    pub fn draw(
        &self,
        ctx: &CanvasRenderingContext2d,
        v: &Viewport,
        wanted: &[i64],
        pal: &Palette,
    ) -> usize {
        let layers: Vec<&WorldShapes> =
            wanted.iter().filter_map(|id| self.loaded.get(id)).collect();
        if layers.is_empty() {
            return 0;
        }
        ctx.save();
        ctx.set_stroke_style_str(pal.reference);
        ctx.set_fill_style_str(pal.reference_fill);
        ctx.set_line_width(2.0);
        ctx.set_line_join("round");
        let _ = ctx.set_line_dash(&dash());
        for k in v.copies() {
            let screen = |[x, y]: [f64; 2]| v.to_screen([x + k as f64, y]);
            for shapes in &layers {
                draw_shapes(ctx, shapes, &screen);
            }
        }
        ctx.restore();
        layers.iter().map(|s| s.parts()).sum()
    }
}

/// The dash of the reference layers' lines (7 pixels drawn, 4 left), on the map and in the
/// legend of an exported picture.
pub fn dash() -> js_sys::Array {
    js_sys::Array::of2(&7.0.into(), &4.0.into())
}

/// Draws one layer's polygons (filled, holes left open), lines and points in one copy of the
/// world.
fn draw_shapes(
    ctx: &CanvasRenderingContext2d,
    shapes: &WorldShapes,
    screen: &impl Fn([f64; 2]) -> [f64; 2],
) {
    for rings in &shapes.polygons {
        ctx.begin_path();
        for ring in rings {
            trace(ctx, ring, screen);
            ctx.close_path();
        }
        ctx.fill_with_canvas_winding_rule(web_sys::CanvasWindingRule::Evenodd);
        ctx.stroke();
    }
    ctx.begin_path();
    for line in &shapes.lines {
        trace(ctx, line, screen);
    }
    ctx.stroke();
    for p in &shapes.points {
        let [x, y] = screen(*p);
        ctx.stroke_rect(x - 4.0, y - 4.0, 8.0, 8.0);
    }
}

/// Adds a line of world points to the current path, in screen pixels.
fn trace(
    ctx: &CanvasRenderingContext2d,
    line: &[[f64; 2]],
    screen: &impl Fn([f64; 2]) -> [f64; 2],
) {
    if let Some((first, rest)) = line.split_first() {
        let [x, y] = screen(*first);
        ctx.move_to(x, y);
        for p in rest {
            let [x, y] = screen(*p);
            ctx.line_to(x, y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_is_asked_for_once() {
        let mut refs = References::default();
        assert_eq!(refs.to_load(&[3, 1]), [3, 1]);
        assert_eq!(refs.to_load(&[1, 4]), [4]);
    }

    #[test]
    fn shapes_are_projected() {
        let shapes = vocab::read_reference(
            r#"{"type":"GeometryCollection","geometries":[
                {"type":"LineString","coordinates":[[0,0],[90,0]]},
                {"type":"Point","coordinates":[-180,0]}]}"#,
        )
        .expect("a reference file");
        let world = WorldShapes::new(&shapes);
        assert_eq!(world.parts(), 2);
        assert_eq!(world.lines[0], [[0.5, 0.5], [0.75, 0.5]]);
        assert_eq!(world.points, [[0.0, 0.5]]);
    }
}
