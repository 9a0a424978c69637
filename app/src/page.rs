//! The page: header with the share, download and subscribe links, filters, map with the event
//! card, and the list of the events in view. `/embed` shows the map alone.

use crate::browser;
use crate::map::Map;
use crate::map::picture::{PictureButtons, PrintCaption};
use crate::model::MapEvent;
use crate::panels::card::EventCard;
use crate::panels::compose::AddDocument;
use crate::panels::filters::FilterPanel;
use crate::panels::list::EventList;
use crate::panels::references::ReferencePanel;
use crate::state::MapState;
use crate::theme::ThemeToggle;
use crate::url::ViewState;
use leptos::ev;
use leptos::prelude::*;

/// Id of the `<script>` that carries the server's events into the browser.
pub const INITIAL_EVENTS_ID: &str = "karta-events";

/// Id of the element the server puts in a page for a signed-in browser.
pub const SIGNED_IN_ID: &str = "karta-signed-in";

/// What the server knows when it renders a page; the browser reads the same from the address
/// bar and the embedded events, so both render the same first view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Initial {
    /// The query string, without `?`.
    pub query: String,
    /// Whether this is `/embed`.
    pub embed: bool,
    /// The events of the view.
    pub events: Vec<vocab::EventFeature>,
    /// Whether the browser is signed in (reads are private: see `karta serve --private-reads`).
    pub signed_in: bool,
}

#[cfg(feature = "ssr")]
fn initial() -> Initial {
    use_context::<Initial>().unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn initial() -> Initial {
    Initial {
        query: browser::location_query(),
        embed: browser::location_path().starts_with("/embed"),
        events: vocab::read_events(&browser::element_text(INITIAL_EVENTS_ID)).unwrap_or_default(),
        signed_in: !browser::element_text(SIGNED_IN_ID).is_empty(),
    }
}

/// Keeps the address bar and the view in step: a new history entry when the filters, the
/// selection or the layers change, the same entry while the map only moves; back and forward
/// bring the view back.
fn sync_address(state: MapState) {
    Effect::new(move |_| {
        let wanted = state.view_state();
        let query = wanted.to_query();
        let current = browser::location_query();
        if current == query {
            return;
        }
        let old = ViewState::from_query(&current);
        let push = (old.filters != wanted.filters
            || old.selected != wanted.selected
            || old.tiles != wanted.tiles
            || old.layer != wanted.layer
            || old.references != wanted.references)
            && !state.playing.get_untracked();
        browser::set_query(&query, push);
    });
    let _ = window_event_listener(ev::popstate, move |_| {
        state.apply(&ViewState::from_query(&browser::location_query()));
    });
}

/// The header: name, share and download links, and a way out for a signed-in browser.
#[component]
fn Header(signed_in: bool) -> impl IntoView {
    let state = expect_context::<MapState>();
    let copied = RwSignal::new(None::<bool>);
    let download = move |ext: &str| format!("/api/events.{ext}?{}&download=1", state.api_query());
    view! {
        <header class="bar">
            <h1>
                <a href="/">"karta"</a>
            </h1>
            <p class="tagline">"Events from the news, on a map"</p>
            <nav aria-label="Share and download">
                <button
                    type="button"
                    on:click=move |_| {
                        copied.set(Some(browser::copy(&browser::location_href())));
                    }
                >
                    {move || match copied.get() {
                        None => "Copy link",
                        Some(true) => "Link copied",
                        Some(false) => "Copy the address bar's link",
                    }}
                </button>
                <a class="button" href=move || download("geojson") download="karta-events.geojson">
                    "Download GeoJSON"
                </a>
                <a class="button" href=move || download("csv") download="karta-events.csv">
                    "CSV"
                </a>
                <a class="button" href=move || download("kml") download="karta-events.kml">
                    "KML"
                </a>
                <a
                    class="button"
                    href=move || format!("/api/events.atom?{}", state.api_query())
                    type="application/atom+xml"
                    title="An Atom feed of this view's newest events"
                >
                    "Subscribe"
                </a>
                <PictureButtons/>
                <ThemeToggle/>
                <AddDocument/>
                {signed_in.then(|| view! {
                    <form class="sign-out" method="post" action="/session/end">
                        <button type="submit">"Sign out"</button>
                    </form>
                })}
            </nav>
        </header>
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let initial = initial();
    let view_state = ViewState::from_query(&initial.query);
    let events = initial.events.into_iter().map(MapEvent::from).collect();
    let state = MapState::new(&view_state, events);
    provide_context(state);
    crate::load::load_events(state);
    crate::load::load_divisions(state);
    sync_address(state);
    crate::theme::take_on(state);
    Effect::new(move |_| browser::mark_hydrated());
    let (embed, signed_in) = (initial.embed, initial.signed_in);
    let status = move || {
        let s = state.status.get();
        (!s.is_empty()).then(|| view! { <p class="status" role="status">{s}</p> })
    };
    view! {
        <div class="karta" class:embed=embed>
            <a
                class="skip-link"
                href="#map"
                on:click=move |ev| {
                    ev.prevent_default();
                    browser::focus(".map-canvas");
                }
            >
                "Skip to the map"
            </a>
            {(!embed).then(|| view! { <Header signed_in/> })}
            {(!embed).then(|| view! {
                <aside class="side filters-side">
                    <FilterPanel/>
                    <ReferencePanel/>
                </aside>
            })}
            <PrintCaption/>
            <main class="map-area">
                <Map/>
                <EventCard/>
                {status}
            </main>
            {(!embed).then(|| view! {
                <aside class="side list-side">
                    <EventList/>
                    <p class="geojson-link">
                        <a href=move || format!("/api/events.geojson?{}", state.api_query())>
                            "These events as GeoJSON"
                        </a>
                    </p>
                </aside>
            })}
        </div>
    }
}
