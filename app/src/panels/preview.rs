//! The preview of a document before it is stored: what `POST /api/geoparse` answers, and the
//! text with its place names as buttons (each followed by the place it resolved to, or the
//! one a person chose) and the list of the events found.

use super::picker::Choice;
use crate::model::type_style;
use crate::places::{ByteSpan, EventDate, EventPlace, Mention, mark_spans};
use leptos::prelude::*;
use serde::Deserialize;

/// The sentence of an event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Sentence {
    text: String,
}

/// An event found in the text (not stored yet).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct FoundEvent {
    event_type: String,
    #[serde(default)]
    sub_type: String,
    date: Option<EventDate>,
    places: Vec<EventPlace>,
    sentence: Sentence,
}

/// What `POST /api/geoparse` answers, with the text it is about.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct Preview {
    /// The text, as sent.
    #[serde(skip)]
    pub(super) text: String,
    /// Its place names.
    pub(super) mentions: Vec<Mention>,
    /// The events found.
    pub(super) events: Vec<FoundEvent>,
}

/// The plural ending of a count.
pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The corrections made in the preview, by the place name's span.
pub(super) type Choices = Vec<(ByteSpan, Choice)>;

/// The place shown for a mention: the person's choice, else the resolved place.
pub(super) fn shown_place(mention: &Mention, choices: &Choices) -> String {
    match choices.iter().find(|(span, _)| *span == mention.bytes) {
        Some((_, Choice::Place(p))) => p.label(),
        Some((_, Choice::Drop)) => "dropped".to_owned(),
        None => mention
            .place
            .as_ref()
            .map_or_else(|| "unresolved".to_owned(), |p| p.label()),
    }
}

/// The text with its place names as buttons that open the picker, each followed by its place.
pub(super) fn highlighted(
    preview: &Preview,
    choices: &Choices,
    picking: RwSignal<Option<usize>>,
) -> AnyView {
    let spans: Vec<ByteSpan> = preview.mentions.iter().map(|m| m.bytes).collect();
    mark_spans(&preview.text, &spans)
        .into_iter()
        .map(|(piece, mention)| match mention {
            None => piece.into_any(),
            Some(i) => {
                let place = shown_place(&preview.mentions[i], choices);
                let corrected = choices
                    .iter()
                    .any(|(span, _)| *span == preview.mentions[i].bytes);
                view! {
                    <mark class="place" class:corrected=corrected>
                        <button
                            type="button"
                            data-mention=i
                            aria-label=format!("{piece}: {place}. Change the place")
                            aria-expanded=move || {
                                if picking.get() == Some(i) { "true" } else { "false" }
                            }
                            on:click=move |_| picking.set(Some(i))
                        >
                            {piece.clone()}
                        </button>
                    </mark>
                    <span class="resolved" aria-hidden="true">
                        {format!("→ {place}")}
                    </span>
                }
                .into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// The events found in the preview, as a list.
pub(super) fn found_events(preview: &Preview, choices: &Choices) -> impl IntoView + use<> {
    let rows = preview
        .events
        .iter()
        .map(|e| {
            let style = type_style(&e.event_type);
            let date = EventDate::label(e.date.as_ref());
            let place = e
                .places
                .first()
                .map(|p| {
                    let mention = preview.mentions.iter().find(|m| Some(m.bytes) == p.mention);
                    mention.map_or_else(
                        || format!("{}, {}", p.name, p.country),
                        |m| shown_place(m, choices),
                    )
                })
                .unwrap_or_else(|| "no place".to_owned());
            view! {
                <li>
                    <span class="dot" style=format!("background: {}", style.colour)></span>
                    <strong>{style.label}</strong>
                    {format!(" · {} · {date} · {place}", e.sub_type)}
                    <span class="row-text">{e.sentence.text.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let count = match preview.events.len() {
        0 => "No event found in this text.".to_owned(),
        1 => "1 event found:".to_owned(),
        n => format!("{n} events found:"),
    };
    view! {
        <p>{count}</p>
        <ul class="found-events">{rows}</ul>
    }
}
