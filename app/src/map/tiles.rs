//! The optional raster tile layer: an XYZ URL template and its attribution from the server's
//! configuration (`karta serve --tiles-url`), drawn on the canvas under the events. Tiles are
//! cached (the least recently drawn go first); a tile still loading is stood in for by a loaded
//! ancestor scaled up or by its loaded children, over the shipped basemap, so the map never
//! flashes empty while it moves or zooms.

use super::projection::Viewport;
use crate::state::MapState;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CanvasRenderingContext2d, HtmlImageElement};

/// Id of the `<script>` that carries the tile source into the browser.
pub const TILES_ID: &str = "karta-tiles";

/// OpenStreetMap's standard tiles, the default source.
pub const OSM_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// The attribution OpenStreetMap asks for.
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";

/// The closest zoom tile servers commonly have.
const MAX_TILE_ZOOM: f64 = 19.0;

/// How many zoom levels up a loaded ancestor may stand in for a missing tile.
const FALLBACK_LEVELS: u32 = 5;

/// Tiles kept in memory at most; the least recently drawn go first.
const CACHE_TILES: usize = 400;

/// Where tiles come from and whom to credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileSource {
    /// The URL template with `{z}`, `{x}`, `{y}` (checked by `karta serve`) and optionally
    /// `{s}` (subdomains a, b, c).
    pub url: String,
    /// The attribution shown while the layer is on.
    pub attribution: String,
}

impl TileSource {
    /// The URL of one tile.
    pub fn tile_url(&self, z: u32, x: i64, y: i64) -> String {
        let subdomain = ["a", "b", "c"][(x + y).rem_euclid(3) as usize];
        self.url
            .replace("{z}", &z.to_string())
            .replace("{x}", &x.to_string())
            .replace("{y}", &y.to_string())
            .replace("{s}", subdomain)
    }
}

/// The tile source the server configured, if any (server: from the context; browser: from the
/// page).
#[cfg(feature = "ssr")]
pub fn configured() -> Option<TileSource> {
    use_context::<Option<TileSource>>().flatten()
}

/// The tile source the server configured, if any (server: from the context; browser: from the
/// page).
#[cfg(not(feature = "ssr"))]
pub fn configured() -> Option<TileSource> {
    serde_json::from_str(&crate::browser::element_text(TILES_ID)).ok()
}

/// A tile's address: zoom, column (wrapped onto the world) and row.
type Key = (u32, i64, i64);

struct Tile {
    image: HtmlImageElement,
    /// Kept alive as long as the image can call it.
    _on_load: Closure<dyn FnMut()>,
    /// Kept alive as long as the image can call it.
    _on_error: Closure<dyn FnMut()>,
    last_drawn: u64,
}

impl Tile {
    fn ready(&self) -> bool {
        self.image.complete() && self.image.natural_width() > 0
    }
}

/// The tiles loaded so far, the callback that redraws the map when one arrives and the one
/// that says a tile failed.
pub struct TileLayer {
    source: TileSource,
    cache: HashMap<Key, Tile>,
    frame: u64,
    redraw: Rc<dyn Fn()>,
    failed: Rc<dyn Fn()>,
}

impl TileLayer {
    /// A layer over a source; `redraw` is called whenever a tile has loaded, `failed` when
    /// one could not be loaded.
    pub fn new(source: TileSource, redraw: Rc<dyn Fn()>, failed: Rc<dyn Fn()>) -> Self {
        Self {
            source,
            cache: HashMap::new(),
            frame: 0,
            redraw,
            failed,
        }
    }

    /// Draws the tiles of a view at a device pixel ratio, asking for those not yet loaded.
    pub fn draw(&mut self, ctx: &CanvasRenderingContext2d, v: &Viewport, dpr: f64) {
        self.frame += 1;
        let z = v.zoom.round().clamp(0.0, MAX_TILE_ZOOM) as u32;
        let n = 1_i64 << z;
        let count = n as f64;
        let [lo, hi] = v.world_box();
        let (x0, x1) = (
            (lo[0] * count).floor() as i64,
            (hi[0] * count).floor() as i64,
        );
        let y0 = ((lo[1] * count).floor() as i64).max(0);
        let y1 = ((hi[1] * count).floor() as i64).min(n - 1);
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        for y in y0..=y1 {
            for x in x0..=x1 {
                // Device pixels, rounded so that neighbouring tiles meet without a seam.
                let [ax, ay] = v.to_screen([x as f64 / count, y as f64 / count]);
                let [bx, by] = v.to_screen([(x + 1) as f64 / count, (y + 1) as f64 / count]);
                let (dx, dy) = ((ax * dpr).round(), (ay * dpr).round());
                let dest = [dx, dy, (bx * dpr).round() - dx, (by * dpr).round() - dy];
                let key = (z, x.rem_euclid(n), y);
                self.request(key);
                if self.draw_from(ctx, key, 0, dest) {
                    continue;
                }
                // A tile still loading: the nearest loaded ancestor scaled up (zooming in), the
                // loaded children of the level below (zooming out), else the basemap under.
                let _ = (1..=FALLBACK_LEVELS.min(z)).any(|up| self.draw_from(ctx, key, up, dest));
                self.draw_children(ctx, key, dest);
            }
        }
        self.evict();
    }

    /// Draws the tile `key` into `dest` from its ancestor `up` levels above (itself for 0): the
    /// part of that ancestor's image that covers it. `false` when the ancestor is not loaded.
    fn draw_from(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        (z, x, y): Key,
        up: u32,
        [dx, dy, dw, dh]: [f64; 4],
    ) -> bool {
        let frame = self.frame;
        let Some(tile) = self
            .cache
            .get_mut(&(z - up, x >> up, y >> up))
            .filter(|t| t.ready())
        else {
            return false;
        };
        tile.last_drawn = frame;
        let side = f64::from(tile.image.natural_width());
        let part = side / f64::from(1_u32 << up);
        let within = (1_i64 << up) - 1;
        let _ = ctx.draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &tile.image,
            (x & within) as f64 * part,
            (y & within) as f64 * part,
            part,
            part,
            dx,
            dy,
            dw,
            dh,
        );
        true
    }

    /// Draws the loaded tiles of the level below `key` into their quarters of `dest`.
    fn draw_children(&mut self, ctx: &CanvasRenderingContext2d, (z, x, y): Key, dest: [f64; 4]) {
        let [dx, dy, dw, dh] = dest;
        let frame = self.frame;
        for (i, j) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let Some(tile) = self
                .cache
                .get_mut(&(z + 1, 2 * x + i, 2 * y + j))
                .filter(|t| t.ready())
            else {
                continue;
            };
            tile.last_drawn = frame;
            let (half_w, half_h) = (dw / 2.0, dh / 2.0);
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(
                &tile.image,
                dx + i as f64 * half_w,
                dy + j as f64 * half_h,
                half_w,
                half_h,
            );
        }
    }

    /// Starts loading a tile unless it is loaded or loading.
    fn request(&mut self, key: Key) {
        if let Some(tile) = self.cache.get_mut(&key) {
            tile.last_drawn = self.frame;
            return;
        }
        let Ok(image) = HtmlImageElement::new() else {
            return;
        };
        let redraw = self.redraw.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || redraw());
        image.set_onload(Some(on_load.as_ref().unchecked_ref()));
        let failed = self.failed.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || failed());
        image.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        image.set_alt("");
        image.set_src(&self.source.tile_url(key.0, key.1, key.2));
        self.cache.insert(
            key,
            Tile {
                image,
                _on_load: on_load,
                _on_error: on_error,
                last_drawn: self.frame,
            },
        );
    }

    /// Forgets the tiles drawn longest ago once the cache is full (never those of this frame).
    fn evict(&mut self) {
        if self.cache.len() <= CACHE_TILES {
            return;
        }
        let mut by_age: Vec<(u64, Key)> = self
            .cache
            .iter()
            .filter(|(_, t)| t.last_drawn < self.frame)
            .map(|(k, t)| (t.last_drawn, *k))
            .collect();
        by_age.sort_unstable();
        let extra = self.cache.len() - CACHE_TILES;
        for (_, key) in by_age.into_iter().take(extra) {
            if let Some(tile) = self.cache.remove(&key) {
                tile.image.set_onload(None);
                tile.image.set_onerror(None);
            }
        }
    }
}

/// The button that turns the tile layer on and off (only when the server offers tiles).
#[component]
pub fn TileToggle() -> impl IntoView {
    let state = expect_context::<MapState>();
    configured().map(|_| {
        view! {
            <button
                type="button"
                class="tiles-toggle"
                aria-pressed=move || if state.tiles.get() { "true" } else { "false" }
                title="Show map tiles from the tile server under the events"
                on:click=move |_| state.tiles.update(|on| *on = !*on)
            >
                {move || match state.tiles.get() && state.tiles_failing.get() {
                    true => "Map tiles: unavailable",
                    false => "Map tiles",
                }}
            </button>
        }
    })
}

/// Who made what the map shows: the tiles' attribution while they are on, else the basemap's.
#[component]
pub fn Attribution() -> impl IntoView {
    let state = expect_context::<MapState>();
    let source = configured();
    move || attribution_text(source.as_ref(), state)
}

/// Who made what the map shows, as text: the tiles' attribution while they are on, else the
/// basemap's (the exported picture writes it too).
pub fn attribution_text(source: Option<&TileSource>, state: MapState) -> String {
    match source.filter(|_| state.tiles.get()) {
        Some(_) if state.tiles_failing.get() => {
            "Map tiles cannot be loaded (offline?): basemap Natural Earth".to_owned()
        }
        Some(s) => format!("Tiles: {}", s.attribution),
        // The names of places are GeoNames' (CC BY 4.0), drawn when the tiles are off.
        None => "Basemap: Natural Earth · names: GeoNames".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_template() {
        let osm = TileSource {
            url: OSM_URL.into(),
            attribution: OSM_ATTRIBUTION.into(),
        };
        assert_eq!(
            osm.tile_url(6, 40, 23),
            "https://tile.openstreetmap.org/6/40/23.png"
        );
        let s = TileSource {
            url: "https://{s}.tiles.example/{z}/{y}/{x}".into(),
            attribution: String::new(),
        };
        assert_eq!(s.tile_url(2, 1, 1), "https://c.tiles.example/2/1/1");
    }
}
