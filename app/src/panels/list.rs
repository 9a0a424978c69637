//! The list of the events in view, newest first, or of the cluster picked on the map; a click
//! flies the map to the event and selects it.

use crate::cluster::ClusterBar;
use crate::map::reveal::reveal;
use crate::model::type_style;
use crate::numbers::thousands;
use crate::state::{LIST_LIMIT, MapState};
use leptos::prelude::*;

/// The events in the settled view (or the picked cluster), as a list of buttons.
#[component]
pub fn EventList() -> impl IntoView {
    let state = expect_context::<MapState>();
    let shown = Memo::new(move |_| match state.cluster.get() {
        Some(picked) => picked.members,
        None => state.in_view.get(),
    });
    let rows = move || {
        let in_view = shown.get();
        state.events.with(|e| {
            in_view
                .iter()
                .take(LIST_LIMIT)
                .map(|&i| {
                    let ev = &e.0[i];
                    (
                        ev.id,
                        type_style(&ev.event_type),
                        ev.date.clone().unwrap_or_else(|| "undated".into()),
                        ev.place_name.clone(),
                        ev.sentence.clone(),
                        ev.status == "verified",
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let count = move || match state.aggregates.with(|a| a.0.as_ref().map(|a| a.total)) {
        Some(total) => format!("{total} events in view, drawn as clusters: zoom in to list them"),
        None => list_title(shown.with(Vec::len), state.cluster.with(Option::is_some)),
    };
    view! {
        <section class="event-list" aria-labelledby="list-title">
            <h2 id="list-title" aria-live="polite">{count}</h2>
            <ClusterBar/>
            <ol>
                <For
                    each=rows
                    key=|row| (row.0, row.5)
                    let((id, style, date, place, sentence, verified))
                >
                    <li>
                        <button
                            type="button"
                            class="event-row"
                            class:selected=move || state.selected.get() == Some(id)
                            data-event-id=id
                            on:click=move |_| open_event(state, id)
                        >
                            <span class="dot" style=format!("background: {}", style.colour)></span>
                            <span class="row-head">
                                <strong>{place}</strong>
                                " · "
                                <time>{date}</time>
                                " · "
                                {style.label}
                                {verified.then(|| view! {
                                    " · "
                                    <span class="verified-mark">"✓ verified"</span>
                                })}
                            </span>
                            <span class="row-text">{sentence}</span>
                        </button>
                    </li>
                </For>
            </ol>
        </section>
    }
}

/// The list's title: how many events it has, in view or in the picked cluster (`cluster`).
fn list_title(n: usize, cluster: bool) -> String {
    let count = thousands(n);
    if cluster {
        let listed = if n > LIST_LIMIT {
            format!(" (newest {LIST_LIMIT} listed)")
        } else {
            String::new()
        };
        return format!("{count} events in the cluster{listed}");
    }
    match n {
        0 => "No events in view".to_owned(),
        1 => "1 event in view".to_owned(),
        n if n > LIST_LIMIT => format!("{count} events in view (newest {LIST_LIMIT} listed)"),
        _ => format!("{count} events in view"),
    }
}

/// Selects an event and flies the map to it.
fn open_event(state: MapState, id: i64) {
    state.selected.set(Some(id));
    let Some(i) = state.find(id) else { return };
    let at = state.index.with_untracked(|x| x.0.world(i));
    let zoom = state.view.get_untracked().zoom.max(9.0);
    reveal(state, at, zoom);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_count_the_events_and_say_when_some_are_not_listed() {
        assert_eq!(list_title(0, false), "No events in view");
        assert_eq!(list_title(1, false), "1 event in view");
        assert_eq!(list_title(7, false), "7 events in view");
        assert_eq!(
            list_title(LIST_LIMIT + 1, false),
            format!(
                "{} events in view (newest {LIST_LIMIT} listed)",
                LIST_LIMIT + 1
            )
        );
        assert_eq!(list_title(3, true), "3 events in the cluster");
        assert_eq!(
            list_title(54_206, false),
            "54,206 events in view (newest 200 listed)"
        );
        assert_eq!(
            list_title(LIST_LIMIT + 5, true),
            format!(
                "{} events in the cluster (newest {LIST_LIMIT} listed)",
                LIST_LIMIT + 5
            )
        );
    }
}
