//! What the map loads for the filters and the view. When the filters select at most the
//! number of events the server says the map draws one by one (`points_max`, counted by
//! `/api/clusters` at zoom 0, from sums), every one of them is loaded once, as always, and the
//! map moves without asking again. Above, each settled view asks `/api/clusters`: when the view
//! holds few enough events, or at street zoom, its events are loaded and drawn as usual; else
//! the server's clusters are drawn. The address, the filters, the timeline and the downloads
//! (which always ask `/api/events.*` for every event) are the same in both. While the map
//! shades the provinces, their sums for every filter, the time range too, come from
//! `/api/divisions`.

use crate::browser;
use crate::map::aggregates::Aggregates;
use crate::map::projection::Viewport;
use crate::map::shading::Shading;
use crate::model::parse_events;
use crate::state::{Events, Loaded, MapState};
use crate::url::{Filters, join_pairs};
use leptos::prelude::*;
use std::sync::Arc;
use vocab::{Clusters, Divisions};

/// From this zoom on, the view's events are drawn one by one, however many.
pub const STREET_ZOOM: f64 = 12.0;

/// Loads the events (or the clusters) for the filters and the view, whenever they change.
pub fn load_events(state: MapState) {
    let server_query = Memo::new(move |_| join_pairs(&state.filters.with(|f| f.server_pairs())));
    // `Some(points_max)` while the filters select more events than the map draws one by one.
    let large = RwSignal::new(None::<u64>);
    let ticket = StoredValue::new(0u64);
    Effect::new(move |_| {
        let query = server_query.get();
        state.revision.track();
        leptos::task::spawn_local(async move {
            state.status.set("Loading events…".into());
            let url = format!("/api/clusters?zoom=0&{query}");
            let counted = browser::get_json::<Clusters>(&url).await;
            if server_query.get_untracked() != query {
                return;
            }
            match counted {
                Ok(c) if c.total > c.points_max => large.set(Some(c.points_max)),
                _ => {
                    large.set(None);
                    load_all(state, query, server_query).await;
                }
            }
        });
    });
    let range = Memo::new(move |_| state.filters.with(|f| (f.from.clone(), f.to.clone())));
    Effect::new(move |_| {
        let points_max = large.get();
        let view = state.settled.get();
        range.track();
        let Some(points_max) = points_max else {
            if state.aggregates.with_untracked(|a| a.0.is_some()) {
                state.aggregates.set(Loaded(None));
            }
            return;
        };
        ticket.update_value(|t| *t += 1);
        let mine = ticket.get_value();
        let filters = state.filters.get_untracked();
        leptos::task::spawn_local(async move {
            let current = move || ticket.get_value() == mine;
            if let Err(e) = load_view(state, view, filters, points_max, current).await {
                state.status.set(format!("Events not loaded: {e}"));
            }
        });
    });
}

/// Loads the sums per division for the filters while the layer shades divisions, whenever
/// the layer, the filters or the events change; drops them otherwise.
pub fn load_divisions(state: MapState) {
    let query = Memo::new(move |_| join_pairs(&state.filters.with(|f| f.pairs())));
    Effect::new(move |_| {
        let layer = state.layer.get();
        let asked = query.get();
        state.revision.track();
        if !layer.shades_divisions() {
            state.divisions.set(Loaded(None));
            return;
        }
        leptos::task::spawn_local(async move {
            let url = format!("/api/divisions?{asked}");
            let current =
                move || state.layer.get_untracked() == layer && query.get_untracked() == asked;
            match browser::get_json::<Divisions>(&url).await {
                Ok(sums) if current() => {
                    let shading = Shading::new(&sums, layer);
                    state.divisions.set(Loaded(Some(Arc::new(shading))));
                }
                Ok(_) => {}
                Err(e) => state.status.set(format!("Provinces not loaded: {e}")),
            }
        });
    });
}

/// Loads every event of the filters (all but the time range), as the map always did.
async fn load_all(state: MapState, query: String, server_query: Memo<String>) {
    let url = format!("/api/events.geojson?{query}");
    let loaded = browser::get_text(&url)
        .await
        .and_then(|t| parse_events(&t).map_err(|e| format!("{url}: {e}")));
    if server_query.get_untracked() != query {
        return;
    }
    match loaded {
        Ok(events) => {
            state.events.set(Events(Arc::new(events)));
            state.status.set(String::new());
        }
        Err(e) => state.status.set(format!("Events not loaded: {e}")),
    }
}

/// Loads a view's clusters, or its events when they are few enough or the zoom is a street's;
/// `current` says whether this view is still the one to show.
async fn load_view(
    state: MapState,
    view: Viewport,
    filters: Filters,
    points_max: u64,
    current: impl Fn() -> bool,
) -> Result<(), String> {
    let bbox = vocab::Bbox::from(view.bbox());
    let place = format!("bbox={bbox:.5}&zoom={:.2}", view.zoom);
    let server = join_pairs(&filters.server_pairs());
    if view.zoom < STREET_ZOOM {
        let counted: Clusters =
            browser::get_json(&format!("/api/clusters?{place}&{server}")).await?;
        if counted.total > points_max {
            let timed = filters.from.is_some() || filters.to.is_some();
            let shown = if timed {
                let all = join_pairs(&filters.pairs());
                browser::get_json(&format!("/api/clusters?{place}&{all}")).await?
            } else {
                counted
            };
            if current() {
                show_clusters(state, shown);
            }
            return Ok(());
        }
    }
    let url = format!("/api/events.geojson?bbox={bbox:.5}&{server}");
    let text = browser::get_text(&url).await?;
    let events = parse_events(&text).map_err(|e| format!("{url}: {e}"))?;
    if current() {
        state.aggregates.set(Loaded(None));
        state.events.set(Events(Arc::new(events)));
        state.status.set(String::new());
    }
    Ok(())
}

/// Draws a view's clusters instead of its events, saying so in the status line.
fn show_clusters(state: MapState, clusters: Clusters) {
    let total = clusters.total;
    state
        .aggregates
        .set(Loaded(Some(Arc::new(Aggregates::from(clusters)))));
    if state.events.with_untracked(|e| !e.0.is_empty()) {
        state.events.set(Events::default());
    }
    state.status.set(format!(
        "{} events in view, drawn as clusters: zoom in to see each one.",
        group_digits(total)
    ));
}

/// A count with thousands separated: 54,206.
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(54_206), "54,206");
        assert_eq!(group_digits(10_000_000), "10,000,000");
    }
}
