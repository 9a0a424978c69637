//! A cluster picked on the map: the list shows its events until "Back to view", and its events
//! download as GeoJSON or CSV through the API's `ids` parameter (ids and ranges), so the file
//! holds exactly the events of the cluster.

use crate::map::fly_to;
use crate::map::projection::fit;
use crate::model::MapEvent;
use crate::numbers::thousands;
use crate::state::MapState;
use crate::url::{Filters, join_pairs};
use leptos::prelude::*;

/// Longest `ids` value a download link carries: the server takes URIs up to 64 KiB, and some
/// proxies less. A cluster whose ids do not fit downloads by its box instead.
const MAX_IDS_CHARS: usize = 16_000;

/// The closest zoom "Zoom to these" goes to.
const MAX_FIT_ZOOM: f64 = 14.0;

/// Ids as the API's `ids` parameter: ascending, runs written `first-last`.
pub fn id_ranges(ids: &[i64]) -> String {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts = Vec::new();
    let mut rest = sorted.as_slice();
    while let Some(&first) = rest.first() {
        let run = rest
            .iter()
            .zip(first..)
            .take_while(|(id, want)| **id == *want)
            .count();
        let last = rest[run - 1];
        parts.push(if run == 1 {
            first.to_string()
        } else {
            format!("{first}-{last}")
        });
        rest = &rest[run..];
    }
    parts.join(",")
}

/// The API query for a cluster's events: its ids, or, when they are too many for a link, the
/// box around them with the filters (`exact` is then false).
fn download_query(events: &[MapEvent], members: &[usize], filters: &Filters) -> (String, bool) {
    let ids: Vec<i64> = members.iter().map(|&i| events[i].id).collect();
    let ranges = id_ranges(&ids);
    if ranges.len() <= MAX_IDS_CHARS {
        return (join_pairs(&[("ids", ranges)]), true);
    }
    let (mut w, mut s, mut e, mut n) = (180.0_f64, 90.0_f64, -180.0_f64, -90.0_f64);
    for &i in members {
        let [lon, lat] = events[i].lon_lat;
        (w, s, e, n) = (w.min(lon), s.min(lat), e.max(lon), n.max(lat));
    }
    let mut pairs = vec![("bbox", vocab::Bbox::from([w, s, e, n]).to_string())];
    pairs.extend(filters.pairs());
    (join_pairs(&pairs), false)
}

/// The bar above the list while it shows a cluster: its size, the way back to the view, zoom
/// and the downloads.
#[component]
pub fn ClusterBar() -> impl IntoView {
    let state = expect_context::<MapState>();
    // Another set of events or filters makes the cluster another one: back to the view.
    Effect::watch(
        move || {
            state.filters.track();
            state.events.track();
        },
        move |_, _, _| state.cluster.set(None),
        false,
    );
    move || {
        let picked = state.cluster.get()?;
        let n = picked.members.len();
        let (query, exact) = state
            .events
            .with(|e| download_query(&e.0, &picked.members, &state.filters.get()));
        let link = move |ext: &str| format!("/api/events.{ext}?{query}&download=1");
        let members = picked.members.clone();
        Some(view! {
            <div class="cluster-bar" role="group" aria-label="The events of a cluster">
                <p class="cluster-title">{format!("Cluster of {} events", thousands(n))}</p>
                <div class="cluster-actions">
                    <button
                        type="button"
                        class="back-to-view"
                        on:click=move |_| state.cluster.set(None)
                    >
                        "← Back to view"
                    </button>
                    <button type="button" on:click=move |_| zoom_to(state, &members)>
                        "Zoom to these"
                    </button>
                    <a class="button" href=link("geojson") download="karta-cluster.geojson">
                        "GeoJSON"
                    </a>
                    <a class="button" href=link("csv") download="karta-cluster.csv">
                        "CSV"
                    </a>
                </div>
                {(!exact).then(|| view! {
                    <p class="cluster-note">
                        "Too many events for a link: the downloads hold every event in the box around the cluster."
                    </p>
                })}
            </div>
        })
    }
}

/// Flies the map to show a cluster's events (indexes in the dataset), no closer than
/// [`MAX_FIT_ZOOM`].
fn zoom_to(state: MapState, members: &[usize]) {
    let view = state.view.get_untracked();
    let points: Vec<[f64; 2]> = state
        .index
        .with_untracked(|x| members.iter().map(|&i| x.0.world(i)).collect());
    let lo = points
        .iter()
        .fold([f64::MAX; 2], |a, p| [a[0].min(p[0]), a[1].min(p[1])]);
    let hi = points
        .iter()
        .fold([f64::MIN; 2], |a, p| [a[0].max(p[0]), a[1].max(p[1])]);
    let (centre, zoom) = fit([lo, hi], view.width, view.height, MAX_FIT_ZOOM);
    fly_to(state, centre, zoom);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_the_ids_or_the_box_when_too_many() {
        let events: Vec<MapEvent> = (0..6000)
            .map(|k| MapEvent::at(1 + 2 * k, [46.0 + k as f64 / 6000.0, 39.5]))
            .collect();
        let few: Vec<usize> = vec![0, 1, 2];
        assert_eq!(
            download_query(&events, &few, &Filters::default()),
            ("ids=1,3,5".to_owned(), true)
        );
        let all: Vec<usize> = (0..events.len()).collect();
        let filters = Filters {
            types: vec!["protests".into()],
            ..Filters::default()
        };
        let (query, exact) = download_query(&events, &all, &filters);
        assert!(!exact);
        assert!(
            query.starts_with("bbox=46,39.5,46.999") && query.ends_with("&type=protests"),
            "{query}"
        );
    }

    #[test]
    fn ids_become_ranges() {
        assert_eq!(id_ranges(&[7, 3, 4, 5, 9, 10, 4]), "3-5,7,9-10");
        assert_eq!(id_ranges(&[]), "");
        assert_eq!(id_ranges(&[1]), "1");
    }
}
