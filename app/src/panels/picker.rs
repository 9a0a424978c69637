//! The place picker: for a highlighted place name, the gazetteer's candidates, a search of
//! the gazetteer with autocomplete (any language) and a way to drop the place. The preview of
//! a new document and the event card both use it.

use crate::browser;
use crate::places::{Candidate, EventPlace, Place};
use crate::url::encode;
use leptos::prelude::*;
use serde::Serialize;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Milliseconds of quiet typing before the gazetteer is searched.
const SEARCH_DELAY_MS: u64 = 250;

/// Most search results shown.
const SEARCH_LIMIT: usize = 8;

/// What a person chose for a place name.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// This place.
    Place(Place),
    /// Not a place, or not this event's: drop it.
    Drop,
}

/// Moves focus to the first control inside an element.
fn focus_first(element: &web_sys::Element) {
    if let Ok(Some(first)) = element.query_selector("button, input")
        && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = first.focus();
    }
}

/// A list of places as buttons; the current one is pressed.
fn place_buttons(
    places: Vec<Place>,
    current: Option<u32>,
    on_choose: Callback<Choice>,
) -> impl IntoView {
    places
        .into_iter()
        .map(|place| {
            let label = place.label();
            let pressed = current == Some(place.id);
            view! {
                <li>
                    <button
                        type="button"
                        class="candidate"
                        aria-pressed=if pressed { "true" } else { "false" }
                        data-place-id=place.id
                        on:click=move |_| on_choose.run(Choice::Place(place.clone()))
                    >
                        {label}
                    </button>
                </li>
            }
        })
        .collect_view()
}

/// The picker's search of the gazetteer: what was found for the last query, and a count of
/// the queries typed, so that only the last one's answer is shown.
#[derive(Debug, Clone, Copy)]
struct Search {
    typed: StoredValue<u32>,
    found: RwSignal<Option<Result<Vec<Place>, String>>>,
}

impl Search {
    /// A search with nothing asked yet.
    fn new() -> Self {
        Self {
            typed: StoredValue::new(0),
            found: RwSignal::new(None),
        }
    }

    /// Searches for `q` after a pause in typing, ranking places of language `lang` first.
    fn ask(self, q: String, lang: Option<String>) {
        self.typed.update_value(|n| *n += 1);
        let mine = self.typed.get_value();
        set_timeout(
            move || {
                if self.typed.get_value() != mine {
                    return;
                }
                if q.trim().is_empty() {
                    self.found.set(None);
                    return;
                }
                let url = search_url(&q, lang.as_deref());
                leptos::task::spawn_local(async move {
                    let result = browser::get_text(&url).await.and_then(|text| {
                        serde_json::from_str::<Vec<Candidate>>(&text)
                            .map(|c| c.into_iter().map(|c| c.place).collect())
                            .map_err(|e| e.to_string())
                    });
                    if self.typed.get_value() == mine {
                        self.found.set(Some(result));
                    }
                });
            },
            Duration::from_millis(SEARCH_DELAY_MS),
        );
    }

    /// The search box; `lang` ranks the places found.
    fn input(self, lang: Option<String>) -> impl IntoView {
        let query = RwSignal::new(String::new());
        view! {
            <label class="search">
                "Another place"
                <input
                    type="search"
                    autocomplete="off"
                    placeholder="Search the gazetteer, any language"
                    prop:value=query
                    on:input=move |ev| {
                        let q = event_target_value(&ev);
                        query.set(q.clone());
                        self.ask(q, lang.clone());
                    }
                />
            </label>
        }
    }

    /// The places found, as buttons, or why there are none.
    fn results(self, current: Option<u32>, on_choose: Callback<Choice>) -> Option<AnyView> {
        match self.found.get()? {
            Err(e) => {
                Some(view! { <p class="error">{format!("Search failed: {e}")}</p> }.into_any())
            }
            Ok(places) if places.is_empty() => {
                Some(view! { <p>"No place by that name."</p> }.into_any())
            }
            Ok(places) => Some(
                view! {
                    <ul class="search-results" aria-label="Places found">
                        {place_buttons(places, current, on_choose)}
                    </ul>
                }
                .into_any(),
            ),
        }
    }
}

/// Escape closes the picker (and only the picker, not the card or dialog around it).
fn close_on_escape(ev: &leptos::ev::KeyboardEvent, on_close: Callback<()>) {
    if ev.key() == "Escape" {
        ev.stop_propagation();
        ev.prevent_default();
        on_close.run(());
    }
}

/// The gazetteer search's address for a query, with the language to rank first.
fn search_url(q: &str, lang: Option<&str>) -> String {
    let mut url = format!(
        "/api/places/search?q={}&limit={SEARCH_LIMIT}",
        encode(q.trim())
    );
    if let Some(lang) = lang.filter(|l| !l.is_empty()) {
        url.push_str(&format!("&lang={}", encode(lang)));
    }
    url
}

/// The picker for one place name. Escape or "Cancel" closes it; focus starts on the first
/// candidate.
#[component]
pub fn PlacePicker(
    /// The words in the text.
    mention: String,
    /// The place the words resolve to now.
    current: Option<u32>,
    /// The gazetteer's candidates for these words, most likely first.
    candidates: Vec<Place>,
    /// The text's language, to rank search results (any language matches).
    lang: Option<String>,
    /// What dropping the place does, in words.
    drop_label: &'static str,
    /// Receives the choice.
    #[prop(into)]
    on_choose: Callback<Choice>,
    /// Closes the picker without a choice.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(root) = root.get() {
            focus_first(&root);
        }
    });
    let search = Search::new();
    let candidates = (!candidates.is_empty()).then(|| {
        view! {
            <ul class="candidates" aria-label="Candidates">
                {place_buttons(candidates, current, on_choose)}
            </ul>
        }
    });
    view! {
        <div
            class="picker"
            role="group"
            aria-label=format!("Correct the place “{mention}”")
            node_ref=root
            on:keydown=move |ev| close_on_escape(&ev, on_close)
        >
            <p class="picker-title">{format!("“{mention}” is…")}</p>
            {candidates}
            {search.input(lang)}
            <div aria-live="polite">{move || search.results(current, on_choose)}</div>
            <p class="picker-actions">
                <button type="button" class="drop" on:click=move |_| on_choose.run(Choice::Drop)>
                    {drop_label}
                </button>
                <button type="button" on:click=move |_| on_close.run(())>
                    "Cancel"
                </button>
            </p>
        </div>
    }
}

/// The body of `PATCH /api/events/{id}` from the card: move the event, delete it, or mark it
/// verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacePatch {
    /// `{"place_id": id}`: move the event to this gazetteer place.
    PlaceId(u32),
    /// `{"deleted": true}`: hide the event.
    Deleted(bool),
    /// `{"verified": true}`: a reviewer vouches for the event (`false` takes it back).
    Verified(bool),
}

/// The correction that applies a choice for the place at `index` of an event's places: move
/// the event to the chosen place; dropping the place moves it to its next place, or deletes
/// it when it has no other.
pub fn patch_body(places: &[EventPlace], index: usize, choice: &Choice) -> PlacePatch {
    match choice {
        Choice::Place(place) => PlacePatch::PlaceId(place.id),
        Choice::Drop => places
            .iter()
            .enumerate()
            .find(|&(i, _)| i != index)
            .map_or(PlacePatch::Deleted(true), |(_, other)| {
                PlacePatch::PlaceId(other.place_id)
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_becomes_a_patch() {
        let chosen = Place::tartar();
        let one = [EventPlace::fixture(1, None)];
        let two = [EventPlace::fixture(1, None), EventPlace::fixture(2, None)];
        let json = |patch: PlacePatch| serde_json::to_string(&patch).expect("a JSON patch");
        assert_eq!(
            json(patch_body(&one, 0, &Choice::Place(chosen))),
            r#"{"place_id":584871}"#
        );
        assert_eq!(
            json(patch_body(&one, 0, &Choice::Drop)),
            r#"{"deleted":true}"#
        );
        assert_eq!(patch_body(&two, 0, &Choice::Drop), PlacePatch::PlaceId(2));
        assert_eq!(patch_body(&two, 1, &Choice::Drop), PlacePatch::PlaceId(1));
    }
}
