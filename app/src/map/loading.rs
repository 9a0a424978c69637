//! What the map loads after its first frame, by zoom and area: the basemaps, the place names,
//! the water and the admin-1 outlines, each handed to the painter as it arrives.

use super::basemap::Basemap;
use super::layer::Painter;
use super::{MapParts, overlay, places, reference};
use crate::browser;
use leptos::prelude::*;

impl MapParts {
    /// Gives the painter what arrived and draws it.
    fn hand_over(self, f: impl FnOnce(&mut Painter)) {
        self.painter.update_value(|p| {
            if let Some(p) = p {
                f(p);
            }
        });
        self.basemap_version.update(|v| *v += 1);
    }

    /// Asks for the reference layers turned on that the painter has not asked for yet.
    pub(super) fn load_references(self) {
        let wanted = self.state.references.get_untracked();
        let ids = self
            .painter
            .try_update_value(|p| p.as_mut().map(|p| p.references_mut().to_load(&wanted)))
            .flatten()
            .unwrap_or_default();
        for id in ids {
            leptos::task::spawn_local(self.load_reference(id));
        }
    }

    /// Loads a reference layer's GeoJSON and hands its shapes to the painter; one that fails
    /// to load or read says so in the status line.
    async fn load_reference(self, id: i64) {
        let url = format!("/api/references/{id}");
        let read = browser::get_text(&url)
            .await
            .and_then(|text| vocab::read_reference(&text).map_err(|e| format!("{url}: {e}")));
        match read {
            Ok(shapes) => {
                let shapes = reference::WorldShapes::new(&shapes);
                self.hand_over(|p| p.references_mut().add(id, shapes));
            }
            Err(e) => self
                .state
                .status
                .set(format!("Reference layer not loaded: {e}")),
        }
    }

    /// Loads the 1:110m water with the lists of cells, then the view's cells.
    pub(super) async fn load_water(self) {
        let url = overlay::SMALL_URL;
        let found = browser::get_text(url)
            .await
            .and_then(|t| overlay::Water::parse(&t).map_err(|e| format!("{url}: {e}")));
        match found {
            Ok(water) => {
                self.hand_over(|p| p.overlay_mut().set_water(water));
                self.load_overlay_cells();
            }
            Err(e) => self
                .state
                .status
                .set(format!("Rivers and lakes not loaded: {e}")),
        }
    }

    /// Asks for the 1:50m water and admin-1 cells the settled view needs.
    pub(super) fn load_overlay_cells(self) {
        let view = self.state.settled.get_untracked();
        let shaded = self.state.layer.get_untracked().shades_divisions();
        let urls = self
            .painter
            .try_update_value(|p| {
                p.as_mut()
                    .map(|p| p.overlay_mut().cells_to_load(&view, shaded))
            })
            .flatten()
            .unwrap_or_default();
        for url in urls {
            leptos::task::spawn_local(self.load_overlay_cell(url));
        }
    }

    /// Loads a cell of 1:50m water or admin-1 outlines and hands it to the painter; a cell
    /// that fails to load or read stays undrawn.
    pub(super) async fn load_overlay_cell(self, url: String) {
        if let Ok(text) = browser::get_text(&url).await {
            self.hand_over(|p| {
                let _ = p.overlay_mut().add_cell(&url, &text);
            });
        }
    }

    /// Asks for the place cells the settled view needs and has not asked for yet.
    pub(super) fn load_place_cells(self) {
        let view = self.state.settled.get_untracked();
        let urls = self
            .painter
            .try_update_value(|p| p.as_mut().map(|p| p.places_mut().cells_to_load(&view)))
            .flatten()
            .unwrap_or_default();
        for url in urls {
            leptos::task::spawn_local(self.load_place_cell(url));
        }
    }

    /// Loads the capitals and largest places with the list of cells, then the view's cells.
    pub(super) async fn load_major_places(self) {
        let url = places::MAJOR_URL;
        let found = browser::get_text(url)
            .await
            .and_then(|t| places::parse_major(&t).map_err(|e| format!("{url}: {e}")));
        match found {
            Ok(major) => {
                self.hand_over(|p| p.places_mut().set_major(major));
                self.load_place_cells();
            }
            Err(e) => self
                .state
                .status
                .set(format!("Place names not loaded: {e}")),
        }
    }

    /// Loads a cell of places and hands it to the painter; a cell that fails stays unnamed.
    pub(super) async fn load_place_cell(self, url: String) {
        let found = browser::get_text(&url)
            .await
            .and_then(|t| places::parse_cell(&t).map_err(|e| e.to_string()));
        if let Ok(list) = found {
            self.hand_over(|p| p.places_mut().add_cell(url, list));
        }
    }

    /// Loads the small basemap, then the detailed one, handing each to the painter.
    pub(super) async fn load_basemaps(self) {
        for (file, large) in [("countries-110m", false), ("countries-50m", true)] {
            let url = format!("/basemap/{file}.json");
            match browser::get_text(&url)
                .await
                .and_then(|t| Basemap::parse(&t).map_err(|e| format!("{url}: {e}")))
            {
                Ok(map) => self.hand_over(|p| p.set_basemap(map, large)),
                Err(e) => self.state.status.set(format!("Basemap not loaded: {e}")),
            }
        }
    }
}
