//! The card of the selected event: its sentence with the place names highlighted, type, date
//! and precision, actors, who claims it, confidence and links to its document and its
//! corrections. A place name opens the place picker: the event moves to the chosen place, or
//! is deleted when its only place is dropped (`PATCH /api/events/{id}`, with the write token).
//! Deleting, from the picker or the card's own button, asks first, and can be undone from the
//! bar that stays once the card has closed.

use super::names::OtherNames;
use super::picker::{Choice, PlacePatch, PlacePicker, patch_body};
use crate::browser;
use crate::map::fly_to;
use crate::map::projection::to_world;
use crate::model::{MapEvent, date_label, toll_label, type_style};
use crate::places::{ByteSpan, EventPlace, Mention, Place, mark_spans};
use crate::state::MapState;
use crate::write::{self, TokenPrompt};
use leptos::prelude::*;
use serde::Deserialize;

/// What the card needs of `GET /api/events/{id}` beyond the map's row.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Detail {
    document_id: Option<i64>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    status: String,
    sentence: ByteSpan,
    places: Vec<EventPlace>,
}

/// What the picker needs of `GET /api/documents/{id}`: the document's language and place
/// names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct DocumentPlaces {
    document: DocumentLang,
    mentions: Vec<Mention>,
}

/// The language of a document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct DocumentLang {
    lang: Option<String>,
}

/// Splits a sentence into plain pieces and place names; each place name carries the index
/// of its place in the event. Spans are byte offsets in the document.
fn pieces(sentence: &str, detail: Option<&Detail>) -> Vec<(String, Option<usize>)> {
    let Some(detail) = detail else {
        return vec![(sentence.to_owned(), None)];
    };
    let inside: Vec<(usize, ByteSpan)> = detail
        .places
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i, p.mention?)))
        .filter(|(_, m)| m.start >= detail.sentence.start && m.end <= detail.sentence.end)
        .map(|(i, m)| {
            let start = m.start - detail.sentence.start;
            (
                i,
                ByteSpan {
                    start,
                    end: m.end - detail.sentence.start,
                },
            )
        })
        .collect();
    let spans: Vec<ByteSpan> = inside.iter().map(|(_, s)| *s).collect();
    mark_spans(sentence, &spans)
        .into_iter()
        .map(|(text, at)| (text, at.map(|k| inside[k].0)))
        .collect()
}

/// The words that named the event's first place in its sentence when they are not the name
/// the card shows: «Xankəndi», «Ստեփանակերտ» for Stepanakert, what the text wrote beside the
/// usual English name.
fn written_as(sentence: &str, detail: &Detail) -> Option<String> {
    let place = detail.places.first()?;
    let m = place.mention?;
    let start = m.start.checked_sub(detail.sentence.start)?;
    let words = sentence.get(start..m.end.checked_sub(detail.sentence.start)?)?;
    (words.to_lowercase() != place.name.to_lowercase()).then(|| words.to_owned())
}

/// The first of an event's places that its sentence does not name (placed from the document,
/// or a guess), which the card offers to correct with a button of its own.
fn unnamed_place(detail: &Detail) -> Option<usize> {
    detail.places.iter().position(|p| {
        !p.mention
            .is_some_and(|m| m.start >= detail.sentence.start && m.end <= detail.sentence.end)
    })
}

/// The gazetteer's candidates for the words that named an event's place, read from its
/// document; the event's own place comes first.
fn candidates(place: &EventPlace, document: Option<&DocumentPlaces>) -> Vec<Place> {
    let mut out = vec![Place {
        id: place.place_id,
        name: place.name.clone(),
        english: String::new(),
        lat: place.lat,
        lon: place.lon,
        feature_code: String::new(),
        country: place.country.clone(),
    }];
    let found = document.and_then(|d| d.mentions.iter().find(|m| Some(m.bytes) == place.mention));
    for p in found.map(Mention::candidates).unwrap_or_default() {
        if p.id == place.place_id {
            out[0] = p;
        } else {
            out.push(p);
        }
    }
    out
}

/// The correction being made on the card: the place being corrected, the patch waiting for
/// a token and the question asking for it, and the outcome of the last correction.
#[derive(Debug, Clone, PartialEq, Default)]
struct Correcting {
    place: Option<usize>,
    pending: Option<PlacePatch>,
    token_message: Option<String>,
    done: Option<String>,
    /// Whether the card asks to confirm that the event be deleted.
    confirm_delete: bool,
}

/// What the card's parts share: the page's state, the selected event's detail, its document's
/// place names and the correction being made. Every handler of the card is a method of it.
#[derive(Debug, Clone, Copy)]
struct Card {
    state: MapState,
    /// The detail of an event, by its id.
    detail: RwSignal<Option<(i64, Detail)>>,
    /// The place names of a document, by its id.
    source: RwSignal<Option<(i64, DocumentPlaces)>>,
    correcting: RwSignal<Correcting>,
    /// The index of the place being corrected.
    picking: Memo<Option<usize>>,
    /// The event just deleted from the card, which the undo bar can bring back.
    undo: RwSignal<Option<i64>>,
    /// The event of the list's row that had the focus when the card opened, to give it back.
    opener: RwSignal<Option<i64>>,
    /// An event the card could not open (`sel=999`: deleted, private or never there), and why.
    missing: RwSignal<Option<(i64, String)>>,
}

impl Card {
    /// A card with nothing loaded yet.
    fn new(state: MapState) -> Self {
        let correcting = RwSignal::new(Correcting::default());
        Self {
            state,
            detail: RwSignal::new(None),
            source: RwSignal::new(None),
            correcting,
            picking: Memo::new(move |_| correcting.with(|c| c.place)),
            undo: RwSignal::new(None),
            opener: RwSignal::new(None),
            missing: RwSignal::new(None),
        }
    }

    /// Notes which row of the list opened the card, if one did (else the map did).
    fn note_opener(self) {
        if self.state.selected.get().is_some() {
            let row = browser::focused_attribute("data-event-id").and_then(|id| id.parse().ok());
            self.opener.set(row);
        }
    }

    /// Closes the card and gives the focus back where the event was opened from: its row in
    /// the list, else the map.
    fn close(self) {
        self.state.selected.set(None);
        match self.opener.get_untracked() {
            Some(id) => browser::focus(&format!(".event-row[data-event-id='{id}']")),
            None => browser::focus(".map-canvas"),
        }
    }

    /// Loads the detail of the selected event.
    fn load_detail(self) {
        let Some(id) = self.state.selected.get() else {
            return;
        };
        self.correcting.set(Correcting::default());
        leptos::task::spawn_local(async move {
            match browser::get_json::<Detail>(&format!("/api/events/{id}")).await {
                Ok(d) => self.detail.set(Some((id, d))),
                Err(e) => self.missing.set(Some((id, e))),
            }
        });
    }

    /// Loads the place names of the event's document, when a place is first picked.
    fn load_source(self) {
        if self.picking.get().is_none() {
            return;
        }
        let Some(doc) = self
            .detail
            .with(|d| d.as_ref().and_then(|(_, d)| d.document_id))
        else {
            return;
        };
        if self
            .source
            .with_untracked(|d| d.as_ref().is_some_and(|(i, _)| *i == doc))
        {
            return;
        }
        leptos::task::spawn_local(async move {
            match browser::get_json::<DocumentPlaces>(&format!("/api/documents/{doc}")).await {
                Ok(d) => self.source.set(Some((doc, d))),
                Err(e) => self.state.status.set(e),
            }
        });
    }

    /// Sends a correction of event `id`, then loads the map's events again and moves the map
    /// to the event's new place, or closes the card when the event was dropped.
    fn send_correction(self, id: i64, patch: PlacePatch) {
        leptos::task::spawn_local(async move {
            let url = format!("/api/events/{id}");
            let answer = write::send("PATCH", &url, &patch).await;
            let parsed = answer.and_then(|text| {
                serde_json::from_str::<Detail>(&text)
                    .map_err(|e| write::WriteError::Failed(e.to_string()))
            });
            match parsed {
                Ok(d) if d.deleted => {
                    // The event is hidden: the card closes, the list no longer counts it, and
                    // the undo bar can bring it back.
                    self.state.revision.update(|r| *r += 1);
                    self.state.selected.set(None);
                    self.undo.set(Some(id));
                }
                Ok(d) if matches!(patch, PlacePatch::Verified(_)) => self.verified(id, d),
                Ok(d) => self.corrected(id, d),
                Err(e) if e.needs_token() => self.correcting.update(|c| {
                    c.pending = Some(patch);
                    c.token_message = Some(e.message());
                }),
                Err(e) => self.correcting.update(|c| c.done = Some(e.message())),
            }
        });
    }

    /// After a correction of event `id` that kept it: shows its new detail, loads the map's
    /// events again and moves the map to its place.
    fn corrected(self, id: i64, d: Detail) {
        let state = self.state;
        let moved = d.places.first().map(|p| (p.name.clone(), [p.lon, p.lat]));
        self.detail.set(Some((id, d)));
        state.revision.update(|r| *r += 1);
        self.correcting.set(Correcting {
            done: Some(moved.as_ref().map_or_else(
                || "Corrected.".to_owned(),
                |(name, _)| format!("Corrected: the event is at {name}."),
            )),
            ..Correcting::default()
        });
        if let Some((_, at)) = moved {
            let zoom = state.view.get_untracked().zoom;
            fly_to(state, to_world(at), zoom);
        }
    }

    /// After a reviewer's mark on event `id`: shows its new status and loads the map's events
    /// again.
    fn verified(self, id: i64, d: Detail) {
        let done = match d.status.as_str() {
            "verified" => "Verified: the event is marked as checked by a reviewer.",
            _ => "The verified mark is taken back.",
        };
        self.detail.set(Some((id, d)));
        self.state.revision.update(|r| *r += 1);
        self.correcting.set(Correcting {
            done: Some(done.to_owned()),
            ..Correcting::default()
        });
    }

    /// The button that marks the event verified, or takes the mark back (a reviewer's token).
    fn verify_button(self, id: i64, status: &str) -> impl IntoView + use<> {
        let verified = self
            .detail
            .with(|d| d.as_ref().map(|(_, d)| d.status.clone()))
            .unwrap_or_else(|| status.to_owned())
            == "verified";
        let label = if verified {
            "Unmark verified"
        } else {
            "Mark verified"
        };
        view! {
            <button
                type="button"
                class="verify-event"
                aria-pressed=verified.to_string()
                on:click=move |_| self.send_correction(id, PlacePatch::Verified(!verified))
            >
                {label}
            </button>
        }
    }

    /// The picker for the place being corrected, once its document's candidates are known.
    fn picker(self) -> Option<impl IntoView> {
        let id = self.state.selected.get()?;
        let i = self.picking.get()?;
        let (place, places, document_id) = self.detail.with(|d| {
            d.as_ref().filter(|(d, _)| *d == id).and_then(|(_, d)| {
                Some((d.places.get(i)?.clone(), d.places.clone(), d.document_id))
            })
        })?;
        // Wait for the document's candidates, so the picker opens once, complete.
        let doc = self.source.with(|d| {
            d.as_ref()
                .filter(|(doc, _)| Some(*doc) == document_id)
                .map(|(_, d)| d.clone())
        });
        if document_id.is_some() && doc.is_none() {
            return None;
        }
        let found = candidates(&place, doc.as_ref());
        let mention = doc
            .as_ref()
            .and_then(|d| d.mentions.iter().find(|m| Some(m.bytes) == place.mention))
            .map_or_else(|| place.name.clone(), |m| m.text.clone());
        let lang = doc.and_then(|d| d.document.lang);
        let drop_label = if places.len() > 1 {
            "Drop this place"
        } else {
            "Drop: hide the event"
        };
        Some(view! {
            <PlacePicker
                mention=mention
                current=Some(place.place_id)
                candidates=found
                lang=lang
                drop_label=drop_label
                on_choose=Callback::new(move |choice: Choice| {
                    let patch = patch_body(&places, i, &choice);
                    self.correcting.update(|c| {
                        c.place = None;
                        c.confirm_delete = patch == PlacePatch::Deleted(true);
                    });
                    if patch != PlacePatch::Deleted(true) {
                        self.send_correction(id, patch);
                    }
                })
                on_close=Callback::new(move |()| self.close_picker(i))
            />
        })
    }

    /// Closes the picker of place `i`, giving the focus back to its name.
    fn close_picker(self, i: usize) {
        self.correcting.update(|c| c.place = None);
        browser::focus(&format!(".event-card button[data-place='{i}']"));
    }

    /// The question before deleting the selected event.
    fn confirm_delete(self) -> Option<impl IntoView> {
        if !self.correcting.with(|c| c.confirm_delete) {
            return None;
        }
        let id = self.state.selected.get()?;
        let answer = move |delete: bool| {
            self.correcting.update(|c| c.confirm_delete = false);
            if delete {
                self.send_correction(id, PlacePatch::Deleted(true));
            } else {
                browser::focus(".event-card .delete-event");
            }
        };
        Some(view! {
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete">
                <p id="confirm-delete">
                    "Delete this event? It leaves the map and the downloads; its corrections \
                     keep a record, and Undo brings it back."
                </p>
                <button type="button" class="danger" on:click=move |_| answer(true)>
                    "Delete"
                </button>
                " "
                <button type="button" on:click=move |_| answer(false)>
                    "Keep it"
                </button>
            </div>
        })
    }

    /// The bar that brings back the event just deleted, while no other is selected.
    fn undo_bar(self) -> Option<impl IntoView> {
        let id = self.undo.get()?;
        if self.state.selected.get().is_some() {
            return None;
        }
        Some(view! {
            <p class="undo" role="status">
                "Event deleted. "
                <button type="button" on:click=move |_| self.restore(id)>"Undo"</button>
            </p>
        })
    }

    /// Brings a deleted event back (`PATCH` with `deleted: false`) and opens its card again.
    fn restore(self, id: i64) {
        leptos::task::spawn_local(async move {
            let url = format!("/api/events/{id}");
            match write::send("PATCH", &url, &PlacePatch::Deleted(false)).await {
                Ok(_) => {
                    self.undo.set(None);
                    self.state.revision.update(|r| *r += 1);
                    self.state.selected.set(Some(id));
                }
                Err(e) => self.state.status.set(e.message()),
            }
        });
    }

    /// The question for the write token, when a correction needs one.
    fn token_prompt(self) -> Option<impl IntoView> {
        let message = self.correcting.with(|c| c.token_message.clone())?;
        let id = self.state.selected.get()?;
        Some(view! {
            <TokenPrompt
                message=message
                retry=Callback::new(move |()| {
                    let pending = self.correcting.with_untracked(|c| c.pending);
                    self.correcting.update(|c| c.token_message = None);
                    if let Some(patch) = pending {
                        self.send_correction(id, patch);
                    }
                })
            />
        })
    }

    /// The button that corrects a place the sentence does not name, if the event has one.
    fn correct_unnamed(self, detail: Option<&Detail>) -> Option<impl IntoView + use<>> {
        let detail = detail?;
        let k = unnamed_place(detail)?;
        let name = detail.places[k].name.clone();
        Some(view! {
            <p class="correct-unnamed">
                <button
                    type="button"
                    class="correct-place"
                    data-place=k
                    aria-label=format!("Correct the place: {name}")
                    aria-expanded=move || {
                        if self.picking.get() == Some(k) { "true" } else { "false" }
                    }
                    on:click=move |_| self.correcting.update(|c| {
                        c.place = Some(k);
                        c.done = None;
                    })
                >
                    "Correct the place"
                </button>
                " (the sentence does not name it)"
            </p>
        })
    }

    /// The event's sentence, its place names as buttons that open the picker.
    fn sentence(self, sentence: &str, detail: Option<&Detail>) -> impl IntoView + use<> {
        pieces(sentence, detail)
            .into_iter()
            .map(|(t, place)| match place {
                Some(k) => {
                    let name = detail
                        .and_then(|d| d.places.get(k))
                        .map(|p| format!("{}, {}", p.name, p.country))
                        .unwrap_or_default();
                    view! {
                        <mark class="place">
                            <button
                                type="button"
                                data-place=k
                                title=format!("{name}: click to correct")
                                aria-label=format!("{t}: {name}. Correct the place")
                                aria-expanded=move || {
                                    if self.picking.get() == Some(k) { "true" } else { "false" }
                                }
                                on:click=move |_| self.correcting.update(|c| {
                                    c.place = Some(k);
                                    c.done = None;
                                })
                            >
                                {t.clone()}
                            </button>
                        </mark>
                    }
                    .into_any()
                }
                None => t.into_any(),
            })
            .collect_view()
    }

    /// What the card says of an event it could not open: a sentence, not the API's answer.
    fn missing_card(self, id: i64) -> Option<AnyView> {
        let why = self.missing.with(|m| {
            m.as_ref()
                .filter(|(m, _)| *m == id)
                .map(|(_, why)| why.clone())
        })?;
        Some(
            view! {
                <article class="event-card missing" role="status">
                    <p>
                        {format!(
                            "Event {id} is not on the map: it may have been deleted, be private, \
                             or never have been there ({why})."
                        )}
                    </p>
                    <button type="button" class="close" on:click=move |_| self.close()>
                        "Close"
                    </button>
                </article>
            }
            .into_any(),
        )
    }

    /// The card of the selected event, or nothing.
    fn card(self) -> Option<AnyView> {
        let state = self.state;
        let id = state.selected.get()?;
        let Some(i) = state.find(id) else {
            return self.missing_card(id);
        };
        let ev = state.events.with(|e| e.0[i].clone());
        let status = ev.status.clone();
        let style = type_style(&ev.event_type);
        let detail = self.detail.get().filter(|(d, _)| *d == id).map(|(_, d)| d);
        let on_key = move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Escape" {
                self.close();
            }
        };
        Some(view! {
            <article class="event-card" aria-labelledby="card-title" on:keydown=on_key>
                <header>
                    <span class="dot" style=format!("background: {}", style.colour)></span>
                    <h2 id="card-title">{style.label}</h2>
                    <button
                        type="button"
                        class="close"
                        aria-label="Close the event card"
                        on:click=move |_| self.close()
                    >
                        "×"
                    </button>
                </header>
                <p class="sentence">{self.sentence(&ev.sentence, detail.as_ref())}</p>
                {facts(&ev, detail.as_ref().and_then(|d| written_as(&ev.sentence, d)), detail.as_ref().and_then(|d| d.places.first()))}
                {self.correct_unnamed(detail.as_ref())}
                {sources(&ev.sources)}
                {move || self.picker()}
                {move || self.confirm_delete()}
                {move || self.token_prompt()}
                {move || {
                    self.correcting
                        .with(|c| c.done.clone())
                        .map(|done| view! { <p class="corrected" role="status">{done}</p> })
                }}
                <p class="links">
                    {links(id, ev.document_id)}
                    " "
                    {move || self.verify_button(id, &status)}
                    " "
                    <button
                        type="button"
                        class="delete-event"
                        on:click=move |_| self.correcting.update(|c| {
                            c.confirm_delete = true;
                            c.place = None;
                        })
                    >
                        "Delete event"
                    </button>
                </p>
            </article>
        }
        .into_any())
    }
}

/// What the card says of an event: type, place (and the words the text named it by, when
/// they are not its name, and its other names a click away), date, actors, claim and
/// confidence.
fn facts(
    ev: &MapEvent,
    written: Option<String>,
    place: Option<&EventPlace>,
) -> impl IntoView + use<> {
    let date = date_label(ev.date.as_deref(), ev.date_precision.as_deref());
    let written =
        written.map(|w| view! { <span class="written-as">{format!(" · {w} in the text")}</span> });
    let other = place.map(|p| view! { <OtherNames place_id=p.place_id shown=p.name.clone()/> });
    view! {
        <dl>
            <dt>"Type"</dt>
            <dd>{ev.sub_type.clone()}</dd>
            <dt>"Where"</dt>
            <dd class="event-where">{format!("{} ({})", ev.place_precision, ev.country)}{written}{other}</dd>
            <dt>"When"</dt>
            <dd>{date}</dd>
            <dt>"Actors"</dt>
            <dd>{if ev.actors.is_empty() { "—".to_owned() } else { ev.actors.clone() }}</dd>
            <dt>"Claimed by"</dt>
            <dd>{ev.claim.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Toll"</dt>
            <dd>{toll_label(ev.fatalities, ev.wounded).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Confidence"</dt>
            <dd>{format!("{:.0} %", ev.confidence * 100.0)}</dd>
            <dt>"Status"</dt>
            <dd class="event-status">{status_label(&ev.status)}</dd>
        </dl>
    }
}

/// What an event's status says to a reader.
fn status_label(status: &str) -> &'static str {
    match status {
        "verified" => "verified by a reviewer",
        "corrected" => "corrected by a person",
        "imported" => "imported from another tool",
        _ => "found by the machine, not reviewed",
    }
}

/// The documents that report an event, side by side when there are several: each with its
/// title (a link to the article when its address is known), its day, its place, who it says
/// claims it and its toll, so that an analyst sees where the sources disagree.
fn sources(list: &[vocab::Source]) -> impl IntoView + use<> {
    let heading = match list.len() {
        0 => return None,
        1 => "Source".to_owned(),
        n => format!("{n} sources"),
    };
    let items = list.iter().map(source_item).collect::<Vec<_>>();
    Some(view! {
        <section class="sources" aria-label="Sources">
            <h3>{heading}</h3>
            <ol>{items}</ol>
        </section>
    })
}

/// One source of the card's list.
fn source_item(source: &vocab::Source) -> impl IntoView + use<> {
    let title = source
        .title
        .clone()
        .unwrap_or_else(|| format!("Document {}", source.document_id));
    let title = match source.url.as_deref().filter(|u| u.starts_with("http")) {
        Some(url) => view! {
            <a href=url.to_owned() target="_blank" rel="noopener noreferrer">{title}</a>
        }
        .into_any(),
        None => view! {
            <a href=format!("/documents/{}", source.document_id) target="_blank" rel="noopener">
                {title}
            </a>
        }
        .into_any(),
    };
    let said: Vec<String> = [
        source.outlet().map(str::to_owned),
        source.published.clone().map(|d| format!("published {d}")),
        Some(date_label(source.date.as_deref(), None)),
        (!source.place_name.is_empty()).then(|| source.place_name.clone()),
        source.claim.clone().map(|c| format!("claimed by {c}")),
        toll_label(source.fatalities, source.wounded),
    ]
    .into_iter()
    .flatten()
    .collect();
    view! {
        <li>
            {title}
            <span class="source-facts">{format!(" · {}", said.join(" · "))}</span>
        </li>
    }
}

/// Links to an event's document, to the event as JSON and to its corrections.
fn links(id: i64, document_id: Option<i64>) -> impl IntoView {
    let document = document_id.map(|d| {
        view! {
            <a href=format!("/documents/{d}") target="_blank" rel="noopener">
                "Whole document"
            </a>
        }
    });
    view! {
        {document}
        " "
        <a href=format!("/api/events/{id}") target="_blank" rel="noopener">
            "Event as JSON"
        </a>
        " "
        <a href=format!("/api/events/{id}/corrections") target="_blank" rel="noopener">
            "Corrections"
        </a>
    }
}

/// The card of the selected event, or nothing. Its place names are buttons that open the
/// place picker; Escape closes the picker, then the card.
#[component]
pub fn EventCard() -> impl IntoView {
    let card = Card::new(expect_context::<MapState>());
    // Escape closes the card wherever the focus is, but in the card (which handles it
    // itself, its picker first), on the map (which clears the selection) or in a dialog.
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape"
            && card.state.selected.get_untracked().is_some()
            && !browser::focus_within(".event-card, .map-canvas, dialog, [role=dialog]")
        {
            card.close();
        }
    });
    Effect::new(move |_| card.note_opener());
    Effect::new(move |_| card.load_detail());
    Effect::new(move |_| card.load_source());
    view! {
        {move || card.card()}
        {move || card.undo_bar()}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_places_inside_the_sentence() {
        let detail = Detail {
            document_id: Some(1),
            deleted: false,
            status: "machine".into(),
            sentence: ByteSpan {
                start: 100,
                end: 130,
            },
            places: vec![
                EventPlace::fixture(1, None),
                EventPlace::fixture(2, Some((112, 123))),
                EventPlace::fixture(3, Some((20, 25))),
            ],
        };
        assert_eq!(
            unnamed_place(&detail),
            Some(0),
            "no words: from the document"
        );
        let p = pieces("Shelling on Stepanakert today.", Some(&detail));
        assert_eq!(
            p,
            vec![
                ("Shelling on ".to_owned(), None),
                ("Stepanakert".to_owned(), Some(1)),
                (" today.".to_owned(), None)
            ]
        );
        let mut named = detail.clone();
        named.places.remove(0);
        named.places.remove(1);
        assert_eq!(unnamed_place(&named), None, "its one place is highlighted");
        named.places = vec![EventPlace::fixture(3, Some((20, 25)))];
        assert_eq!(unnamed_place(&named), Some(0), "named outside the sentence");
    }

    #[test]
    fn the_card_says_how_the_text_wrote_the_place() {
        let mut place = EventPlace::fixture(146_970, Some((118, 127)));
        place.name = "Stepanakert".into();
        let mut detail = Detail {
            document_id: Some(1),
            deleted: false,
            status: "machine".into(),
            sentence: ByteSpan {
                start: 100,
                end: 127,
            },
            places: vec![place],
        };
        let sentence = "Bombalar düşdü Xankəndi";
        assert_eq!(
            written_as(sentence, &detail).as_deref(),
            Some("Xankəndi"),
            "the words at 118..127 of the document"
        );
        detail.places[0].mention = Some(ByteSpan {
            start: 100,
            end: 111,
        });
        assert_eq!(written_as("STEPANAKERT was shelled", &detail), None);
        detail.places[0].mention = None;
        assert_eq!(written_as(sentence, &detail), None);
    }

    #[test]
    fn candidates_come_from_the_document_with_the_events_place_first() {
        let document: DocumentPlaces = serde_json::from_str(
            r#"{"document":{"id":3,"lang":"en"},"mentions":[
              {"bytes":{"start":56,"end":62},"text":"Tartar",
               "place":{"id":409420,"name":"Tərtər","lat":40.27,"lon":46.78,"feature_code":"ADM1","country":"AZ"},
               "alternatives":[{"place":{"id":584871,"name":"Tartar","lat":40.34,"lon":46.93,"feature_code":"PPL","country":"AZ"}}]}],
             "events":[]}"#,
        )
        .expect("a document");
        let corrected = EventPlace::fixture(584_871, Some((56, 62)));
        let ids: Vec<u32> = candidates(&corrected, Some(&document))
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(ids, [584_871, 409_420]);
        let elsewhere = EventPlace::fixture(7, Some((1, 4)));
        let ids: Vec<u32> = candidates(&elsewhere, Some(&document))
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(ids, [7]);
    }
}
