//! The state every part of the page shares, in signals: the view (live while the map moves,
//! settled when it stops), the filters, the selection and the events with their R-tree.

use crate::map::aggregates::Aggregates;
use crate::map::index::MapIndex;
use crate::map::mode::Layer;
use crate::map::projection::Viewport;
use crate::map::shading::Shading;
use crate::model::MapEvent;
use crate::url::{Filters, ViewState};
use leptos::prelude::*;
use std::sync::Arc;

/// The canvas size assumed until the browser measures it, so that the server's list of the
/// events in view and the first render in the browser agree.
pub const ASSUMED_SIZE: [f64; 2] = [960.0, 640.0];

/// Most events the list draws; the rest are counted.
pub const LIST_LIMIT: usize = 200;

/// The R-tree of the events that pass the time range (compared by identity).
#[derive(Debug, Clone, Default)]
pub struct Indexed(pub Arc<MapIndex>);

impl PartialEq for Indexed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The events the server sent for the filters (compared by identity).
#[derive(Debug, Clone, Default)]
pub struct Events(pub Arc<Vec<MapEvent>>);

impl PartialEq for Events {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A value loaded from the server, or none yet, compared by identity (the signals holding
/// it change when a new one arrives, not when an equal one does).
#[derive(Debug)]
pub struct Loaded<T>(pub Option<Arc<T>>);

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T> PartialEq for Loaded<T> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

/// The server's clusters of the settled view, when it holds more events than the map draws
/// one by one; `None` while the map draws events.
pub type Shown = Loaded<Aggregates>;

/// The shading of the first-level divisions; `None` until loaded or while the map does not
/// shade them.
pub type Shades = Loaded<Shading>;

/// Sorts events (indexes in `events`) newest first, the undated last.
pub fn newest_first(events: &[MapEvent], found: &mut [usize]) {
    found.sort_by(|&a, &b| {
        let (a, b) = (&events[a], &events[b]);
        b.day.cmp(&a.day).then(b.id.cmp(&a.id))
    });
}

/// The cluster picked on the map, whose events the list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    /// Its events, by index in the dataset, newest first.
    pub members: Vec<usize>,
    /// Where it is drawn, in world units.
    pub at: [f64; 2],
}

/// The shared state, provided as context by [`crate::App`].
#[derive(Debug, Clone, Copy)]
pub struct MapState {
    /// The view as drawn, changing while the map moves.
    pub view: RwSignal<Viewport>,
    /// The view when it last came to rest: the list, the links and the address follow it.
    pub settled: RwSignal<Viewport>,
    /// The filters.
    pub filters: RwSignal<Filters>,
    /// The selected event's id.
    pub selected: RwSignal<Option<i64>>,
    /// Whether the raster tile layer is on.
    pub tiles: RwSignal<bool>,
    /// Whether the last tile asked for failed to load (offline, or the server refused it).
    pub tiles_failing: RwSignal<bool>,
    /// The cluster whose events the list shows instead of the view's.
    pub cluster: RwSignal<Option<Picked>>,
    /// The events for the filters other than the time range (of the settled view only when
    /// all of them are too many: see `load.rs`).
    pub events: RwSignal<Events>,
    /// The server's clusters, drawn instead of the events when the view holds too many.
    pub aggregates: RwSignal<Shown>,
    /// The events within the time range, in an R-tree.
    pub index: Memo<Indexed>,
    /// Indexes of the events in the settled view, newest first.
    pub in_view: Memo<Vec<usize>>,
    /// A message for the status line (loading, errors).
    pub status: RwSignal<String>,
    /// Bumped after a write (a new document, a correction) to load the events again.
    pub revision: RwSignal<u32>,
    /// Whether the timeline plays: its steps replace the address instead of adding to history.
    pub playing: RwSignal<bool>,
    /// What the map draws of the events: each one, a heatmap or shaded divisions.
    pub layer: RwSignal<Layer>,
    /// The events per first-level division for the filters, while the map shades divisions.
    pub divisions: RwSignal<Shades>,
    /// The reference layers drawn under the events, by id (the address' `ref`).
    pub references: RwSignal<Vec<i64>>,
    /// The reference layers the server keeps, as listed.
    pub reference_list: RwSignal<Vec<vocab::ReferenceLayer>>,
    /// Whether the page is in dark mode (`crate::theme`); light until the browser says.
    pub dark: RwSignal<bool>,
}

impl MapState {
    /// The state for a view read from the address, with the events known so far.
    pub fn new(view: &ViewState, events: Vec<MapEvent>) -> Self {
        let viewport = Viewport::new(view.centre, view.zoom, ASSUMED_SIZE[0], ASSUMED_SIZE[1]);
        let filters = RwSignal::new(view.filters.clone());
        let events = RwSignal::new(Events(Arc::new(events)));
        let range = Memo::new(move |_| {
            filters.with(|f| Filters {
                from: f.from.clone(),
                to: f.to.clone(),
                ..Filters::default()
            })
        });
        let index = Memo::new(move |_| {
            let range = range.get();
            events.with(|e| Indexed(Arc::new(MapIndex::new(&e.0, |ev| range.admits_day(ev.day)))))
        });
        let settled = RwSignal::new(viewport);
        let in_view = Memo::new(move |_| {
            let view = settled.get();
            let index = index.get();
            events.with(|e| {
                let mut found = index.0.in_view(view.world_box());
                newest_first(&e.0, &mut found);
                found
            })
        });
        Self {
            view: RwSignal::new(viewport),
            settled,
            filters,
            selected: RwSignal::new(view.selected),
            tiles: RwSignal::new(view.tiles),
            tiles_failing: RwSignal::new(false),
            cluster: RwSignal::new(None),
            events,
            aggregates: RwSignal::new(Shown::default()),
            index,
            in_view,
            status: RwSignal::new(String::new()),
            revision: RwSignal::new(0),
            playing: RwSignal::new(false),
            layer: RwSignal::new(view.layer),
            divisions: RwSignal::new(Shades::default()),
            references: RwSignal::new(view.references.clone()),
            reference_list: RwSignal::new(Vec::new()),
            dark: RwSignal::new(false),
        }
    }

    /// The view state as the address bar holds it.
    pub fn view_state(&self) -> ViewState {
        let view = self.settled.get();
        ViewState {
            centre: view.centre_lon_lat(),
            zoom: view.zoom,
            filters: self.filters.get(),
            selected: self.selected.get(),
            tiles: self.tiles.get(),
            layer: self.layer.get(),
            references: self.references.get(),
        }
    }

    /// Takes on a view state (from the address after back or forward).
    pub fn apply(&self, state: &ViewState) {
        let mut view = self.view.get_untracked();
        view.centre = crate::map::projection::to_world(state.centre);
        view.zoom = state.zoom;
        self.view.set(view);
        self.settled.set(view);
        if self.filters.get_untracked() != state.filters {
            self.filters.set(state.filters.clone());
        }
        self.selected.set(state.selected);
        self.tiles.set(state.tiles);
        self.layer.set(state.layer);
        self.references.set(state.references.clone());
    }

    /// The API query of the settled view and the filters (`bbox` then the filters).
    pub fn api_query(&self) -> String {
        let bbox = vocab::Bbox::from(self.settled.get().bbox());
        let mut pairs = vec![("bbox", format!("{bbox:.5}"))];
        pairs.extend(self.filters.get().pairs());
        crate::url::join_pairs(&pairs)
    }

    /// Lists the events of a cluster (indexes in the dataset) drawn at a world point.
    pub fn list_cluster(&self, mut members: Vec<usize>, at: [f64; 2]) {
        self.events
            .with_untracked(|e| newest_first(&e.0, &mut members));
        self.cluster.set(Some(Picked { members, at }));
    }

    /// The event with an id, by its index in the dataset.
    pub fn find(&self, id: i64) -> Option<usize> {
        self.events.with(|e| e.0.iter().position(|ev| ev.id == id))
    }
}
