//! "Add a document": a dialog to paste a text with its title, URL, publication date and
//! language. After a pause in typing, or on "Preview", `POST /api/geoparse` shows the text with
//! its place names highlighted, each with the place it resolved to, and the events found; a
//! place name can be corrected there. "Save" stores the document with the write token
//! (`POST /api/documents`), applies the corrections to its saved events
//! (`PATCH /api/events/{id}`), loads the map's events again and opens the first new one.

use super::picker::{Choice, PlacePatch, PlacePicker, patch_body};
use super::preview::{Choices, Preview, found_events, highlighted, plural};
use crate::browser;
use crate::map::fly_to;
use crate::map::projection::to_world;
use crate::places::EventPlace;
use crate::state::MapState;
use crate::url::Filters;
use crate::write::{self, TokenPrompt, WriteError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Milliseconds of quiet typing before the text is geoparsed.
const PREVIEW_DELAY_MS: u64 = 700;

/// Zoom the map flies to for a new event.
const NEW_EVENT_ZOOM: f64 = 8.0;

/// A stored event in the answer of `POST /api/documents`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct SavedEvent {
    id: i64,
    #[serde(default)]
    deleted: bool,
    places: Vec<EventPlace>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct SavedDocument {
    id: i64,
}

/// What `POST /api/documents` answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Saved {
    created: bool,
    document: SavedDocument,
    events: Vec<SavedEvent>,
}

/// The fields of the form.
#[derive(Debug, Clone, Copy)]
struct Form {
    text: RwSignal<String>,
    title: RwSignal<String>,
    url: RwSignal<String>,
    published: RwSignal<String>,
    lang: RwSignal<String>,
}

impl Form {
    fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            url: RwSignal::new(String::new()),
            published: RwSignal::new(String::new()),
            lang: RwSignal::new(String::new()),
        }
    }

    /// The document to send; `full` adds the title and URL, which geoparsing does not use.
    fn document(&self, full: bool) -> NewDocument {
        let field = |signal: RwSignal<String>| {
            let value = signal.get_untracked();
            let value = value.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        NewDocument {
            text: self.text.get_untracked(),
            title: field(self.title).filter(|_| full),
            url: field(self.url).filter(|_| full),
            lang: field(self.lang),
            published: field(self.published),
        }
    }
}

/// The body of `POST /api/geoparse` and `POST /api/documents`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct NewDocument {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
}

/// The PATCH bodies that carry the preview's corrections over to the saved events.
fn corrections(events: &[SavedEvent], choices: &Choices) -> Vec<(i64, PlacePatch)> {
    events
        .iter()
        .filter(|e| !e.deleted)
        .filter_map(|e| {
            e.places.iter().enumerate().find_map(|(i, p)| {
                let span = p.mention?;
                let (_, choice) = choices.iter().find(|(s, _)| *s == span)?;
                let unchanged = matches!(choice, Choice::Place(c) if c.id == p.place_id);
                (!unchanged).then(|| (e.id, patch_body(&e.places, i, choice)))
            })
        })
        .collect()
}

/// What the dialog's parts share: the page's state, the dialog, the form, the preview with its
/// corrections, and what the dialog says. Every handler of the dialog is a method of it.
#[derive(Debug, Clone, Copy)]
struct Compose {
    state: MapState,
    dialog: NodeRef<leptos::html::Dialog>,
    form: Form,
    preview: RwSignal<Option<Preview>>,
    choices: RwSignal<Choices>,
    /// The mention whose place is being picked.
    picking: RwSignal<Option<usize>>,
    status: RwSignal<String>,
    /// The question for the write token, when a save needs one.
    asking_token: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    /// Counts the previews asked for: only the last one's answer is shown.
    asked: StoredValue<u32>,
}

impl Compose {
    /// An empty form, closed.
    fn new(state: MapState) -> Self {
        Self {
            state,
            dialog: NodeRef::new(),
            form: Form::new(),
            preview: RwSignal::new(None),
            choices: RwSignal::new(Choices::new()),
            picking: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            asking_token: RwSignal::new(None),
            busy: RwSignal::new(false),
            asked: StoredValue::new(0),
        }
    }

    /// Geoparses the text now and shows what was found.
    fn run_preview(self) {
        self.asked.update_value(|n| *n += 1);
        let mine = self.asked.get_value();
        let text = self.form.text.get_untracked();
        if text.trim().is_empty() {
            self.preview.set(None);
            return;
        }
        let body = match serde_json::to_string(&self.form.document(false)) {
            Ok(body) => body,
            Err(e) => return self.status.set(format!("Preview failed: {e}")),
        };
        self.status.set("Finding places and events…".into());
        leptos::task::spawn_local(async move {
            let found = fetch_preview(&body).await;
            if self.asked.get_value() != mine {
                return;
            }
            match found {
                Ok(mut found) => {
                    found.text = text;
                    self.status.set(found_message(&found));
                    self.preview.set(Some(found));
                }
                Err(e) => self.status.set(format!("Preview failed: {e}")),
            }
        });
    }

    /// A new text, language or date: the corrections no longer apply; geoparse after a pause.
    fn changed(self) {
        self.choices.set(Choices::new());
        self.picking.set(None);
        self.asked.update_value(|n| *n += 1);
        let mine = self.asked.get_value();
        set_timeout(
            move || {
                if self.asked.get_value() == mine {
                    self.run_preview();
                }
            },
            Duration::from_millis(PREVIEW_DELAY_MS),
        );
    }

    /// Opens the dialog, without last time's message.
    fn open(self) {
        self.status.set(String::new());
        if let Some(d) = self.dialog.get_untracked()
            && let Err(e) = d.show_modal()
        {
            leptos::logging::warn!("cannot open the dialog: {e:?}");
        }
    }

    /// Closes the dialog; what was typed stays.
    fn close(self) {
        if let Some(d) = self.dialog.get_untracked() {
            d.close();
        }
    }

    /// Stores the document with its corrections.
    fn save(self) {
        if self.form.text.get_untracked().trim().is_empty() {
            self.status.set("Paste a text first.".into());
            return;
        }
        let document = self.form.document(true);
        let kept = self.choices.get_untracked();
        self.busy.set(true);
        self.asking_token.set(None);
        self.status.set("Saving…".into());
        leptos::task::spawn_local(async move {
            let result = save_document(&document, &kept).await;
            self.busy.set(false);
            match result {
                Ok((saved, first)) => self.saved(&saved, first),
                Err(e) if e.needs_token() => {
                    self.status.set(String::new());
                    self.asking_token.set(Some(e.message()));
                }
                Err(e) => self.status.set(e.message()),
            }
        });
    }

    /// After a save: says so, clears the form, loads the map's events again and, when the
    /// document has an event on the map, shows the first.
    fn saved(self, saved: &Saved, first: Option<(i64, [f64; 2])>) {
        let state = self.state;
        let n = saved.events.len();
        let what = if saved.created {
            "Saved"
        } else {
            "Already saved"
        };
        self.status.set(format!(
            "{what}: document {} with {n} event{}.",
            saved.document.id,
            plural(n)
        ));
        state.revision.update(|r| *r += 1);
        self.form.text.set(String::new());
        self.preview.set(None);
        self.choices.set(Choices::new());
        // With an event to show, its card says it is saved; else the dialog does.
        if let Some((id, lon_lat)) = first {
            // The filters of the view could hide the new event: show it whole.
            if state.filters.get_untracked() != Filters::default() {
                state.filters.set(Filters::default());
            }
            state.selected.set(Some(id));
            fly_to(state, to_world(lon_lat), NEW_EVENT_ZOOM);
            self.close();
        }
    }

    /// An input of the form; a new language or date geoparses the text again.
    fn field(
        self,
        label: &'static str,
        name: &'static str,
        kind: &'static str,
        signal: RwSignal<String>,
        hint: &'static str,
    ) -> impl IntoView {
        view! {
            <label>
                {label}
                <input
                    type=kind
                    name=name
                    placeholder=hint
                    prop:value=signal
                    on:input=move |ev| {
                        signal.set(event_target_value(&ev));
                        if name == "lang" || name == "published" {
                            self.changed();
                        }
                    }
                />
            </label>
        }
    }

    /// The place picker of the mention being picked, if any.
    fn picker(self) -> Option<impl IntoView> {
        let i = self.picking.get()?;
        let (mention, lang) = self.preview.with(|p| {
            p.as_ref()
                .and_then(|p| p.mentions.get(i).cloned())
                .map(|m| (m, self.form.lang.get_untracked()))
        })?;
        let span = mention.bytes;
        let current = self
            .choices
            .with(|c| match c.iter().find(|(s, _)| *s == span) {
                Some((_, Choice::Place(p))) => Some(p.id),
                Some((_, Choice::Drop)) => None,
                None => mention.place.as_ref().map(|p| p.id),
            });
        let done = move || {
            self.picking.set(None);
            browser::focus(&format!(".compose mark.place button[data-mention='{i}']"));
        };
        Some(view! {
            <PlacePicker
                mention=mention.text.clone()
                current=current
                candidates=mention.candidates()
                lang=Some(lang)
                drop_label="Not a place"
                on_choose=Callback::new(move |choice: Choice| {
                    self.choices.update(|c| {
                        c.retain(|(s, _)| *s != span);
                        c.push((span, choice));
                    });
                    done();
                })
                on_close=Callback::new(move |()| done())
            />
        })
    }

    /// The text with its place names, and the events found.
    fn shown(self) -> Option<impl IntoView> {
        self.preview.with(|p| {
            p.as_ref().map(|p| {
                self.choices.with(|c| {
                    view! {
                        <p class="preview-text">{highlighted(p, c, self.picking)}</p>
                        {found_events(p, c)}
                    }
                })
            })
        })
    }

    /// The form: the text, its title, URL, date and language, and the buttons.
    fn form_view(self) -> impl IntoView {
        let form = self.form;
        view! {
            <form
                class="compose-form"
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    self.save();
                }
            >
                <header>
                    <h2 id="compose-title">"Add a document"</h2>
                    <button type="button" class="close" aria-label="Close" on:click=move |_| self.close()>
                        "×"
                    </button>
                </header>
                <label class="text">
                    "Text"
                    <textarea
                        name="text"
                        rows="8"
                        required
                        autofocus
                        placeholder="Paste a news report"
                        prop:value=form.text
                        on:input=move |ev| {
                            form.text.set(event_target_value(&ev));
                            self.changed();
                        }
                    ></textarea>
                </label>
                <div class="compose-fields">
                    {self.field("Title", "title", "text", form.title, "optional")}
                    {self.field("URL", "url", "url", form.url, "https://…")}
                    {self.field("Published", "published", "date", form.published, "")}
                    {self.field("Language", "lang", "text", form.lang, "en, fr, … (optional)")}
                </div>
                <p class="compose-actions">
                    <button type="button" on:click=move |_| self.run_preview()>
                        "Preview"
                    </button>
                    <button type="submit" class="primary" prop:disabled=self.busy>
                        "Save"
                    </button>
                </p>
                <p class="compose-status" role="status">{self.status}</p>
            </form>
        }
    }
}

/// Geoparses a document (`POST /api/geoparse` with the JSON `body`).
async fn fetch_preview(body: &str) -> Result<Preview, String> {
    let (code, answer) = browser::request("POST", "/api/geoparse", Some(body), None).await?;
    if (200..300).contains(&code) {
        serde_json::from_str::<Preview>(&answer).map_err(|e| e.to_string())
    } else {
        Err(write::error_message(code, &answer))
    }
}

/// What a preview found, in words.
fn found_message(found: &Preview) -> String {
    format!(
        "Found {} place name{} and {} event{}.",
        found.mentions.len(),
        plural(found.mentions.len()),
        found.events.len(),
        plural(found.events.len())
    )
}

/// The "Add a document" button and its dialog.
#[component]
pub fn AddDocument() -> impl IntoView {
    let c = Compose::new(expect_context::<MapState>());
    view! {
        <button type="button" class="add-document" aria-haspopup="dialog" on:click=move |_| c.open()>
            "Add a document"
        </button>
        <dialog
            node_ref=c.dialog
            class="compose"
            aria-labelledby="compose-title"
            on:close=move |_| {
                c.picking.set(None);
                c.asking_token.set(None);
            }
        >
            {c.form_view()}
            {move || {
                c.asking_token
                    .get()
                    .map(|message| {
                        view! { <TokenPrompt message=message retry=Callback::new(move |()| c.save())/> }
                    })
            }}
            <section class="preview" aria-label="Places and events found">
                {move || c.shown()}
            </section>
            {move || c.picker()}
        </dialog>
    }
}

/// Stores the document, then applies the preview's corrections to its events. Answers the
/// stored document and the first event still on the map, with its longitude and latitude.
async fn save_document(
    document: &NewDocument,
    choices: &Choices,
) -> Result<(Saved, Option<(i64, [f64; 2])>), WriteError> {
    let text = write::send("POST", "/api/documents", document).await?;
    let saved: Saved =
        serde_json::from_str(&text).map_err(|e| WriteError::Failed(e.to_string()))?;
    let mut places: Vec<(i64, Option<[f64; 2]>)> = saved
        .events
        .iter()
        .filter(|e| !e.deleted)
        .map(|e| (e.id, e.places.first().map(|p| [p.lon, p.lat])))
        .collect();
    for (id, patch) in corrections(&saved.events, choices) {
        let answer = write::send("PATCH", &format!("/api/events/{id}"), &patch).await?;
        let patched: SavedEvent =
            serde_json::from_str(&answer).map_err(|e| WriteError::Failed(e.to_string()))?;
        places.retain(|(i, _)| *i != id);
        if !patched.deleted {
            places.push((id, patched.places.first().map(|p| [p.lon, p.lat])));
        }
    }
    places.sort_unstable_by_key(|(id, _)| *id);
    let first = places
        .into_iter()
        .find_map(|(id, at)| at.map(|at| (id, at)));
    Ok((saved, first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::{ByteSpan, Place};

    fn event(id: i64, spans: &[(usize, usize, u32)]) -> SavedEvent {
        SavedEvent {
            id,
            deleted: false,
            places: spans
                .iter()
                .map(|&(start, end, place_id)| EventPlace::fixture(place_id, Some((start, end))))
                .collect(),
        }
    }

    #[test]
    fn preview_corrections_reach_the_events_that_name_the_place() {
        let town = Place::tartar();
        let tartar = ByteSpan { start: 56, end: 62 };
        let events = [
            event(1, &[(56, 62, 409_420)]),
            event(2, &[(150, 156, 1)]),
            event(3, &[(56, 62, 584_871)]),
        ];
        let choices = vec![(tartar, Choice::Place(town))];
        assert_eq!(
            corrections(&events, &choices),
            vec![(1, PlacePatch::PlaceId(584_871))]
        );
        let dropped = vec![(tartar, Choice::Drop)];
        assert_eq!(
            corrections(&events, &dropped),
            vec![
                (1, PlacePatch::Deleted(true)),
                (3, PlacePatch::Deleted(true))
            ]
        );
    }
}
