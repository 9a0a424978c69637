//! The card of the selected event: its sentence with the place names highlighted, type, date
//! and precision, actors, who claims it, confidence and links to its document.

use crate::browser;
use crate::model::type_style;
use crate::state::MapState;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Place {
    mention: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Detail {
    sentence: Span,
    places: Vec<Place>,
}

/// Splits a sentence into plain and highlighted pieces, from byte spans of the document.
fn pieces(sentence: &str, detail: Option<&Detail>) -> Vec<(String, bool)> {
    let Some(detail) = detail else {
        return vec![(sentence.to_owned(), false)];
    };
    let mut spans: Vec<(usize, usize)> = detail
        .places
        .iter()
        .filter_map(|p| p.mention.as_ref())
        .filter(|m| m.start >= detail.sentence.start && m.end <= detail.sentence.end)
        .map(|m| {
            (
                m.start - detail.sentence.start,
                m.end - detail.sentence.start,
            )
        })
        .collect();
    spans.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in spans {
        if s < at || !sentence.is_char_boundary(s) || !sentence.is_char_boundary(e) {
            continue;
        }
        if s > at {
            out.push((sentence[at..s].to_owned(), false));
        }
        out.push((sentence[s..e].to_owned(), true));
        at = e;
    }
    if at < sentence.len() {
        out.push((sentence[at..].to_owned(), false));
    }
    out
}

/// The card of the selected event, or nothing.
#[component]
pub fn EventCard() -> impl IntoView {
    let state = expect_context::<MapState>();
    let detail = RwSignal::new(None::<(i64, Detail)>);
    Effect::new(move |_| {
        let Some(id) = state.selected.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let url = format!("/api/events/{id}");
            match browser::get_text(&url).await {
                Ok(text) => match serde_json::from_str::<Detail>(&text) {
                    Ok(d) => detail.set(Some((id, d))),
                    Err(e) => state.status.set(format!("{url}: {e}")),
                },
                Err(e) => state.status.set(e),
            }
        });
    });
    move || {
        let id = state.selected.get()?;
        let i = state.find(id)?;
        let ev = state.events.with(|e| e.0[i].clone());
        let style = type_style(&ev.event_type);
        let detail = detail.get().filter(|(d, _)| *d == id).map(|(_, d)| d);
        let text = pieces(&ev.sentence, detail.as_ref())
            .into_iter()
            .map(|(t, place)| {
                if place {
                    view! { <mark class="place">{t}</mark> }.into_any()
                } else {
                    t.into_any()
                }
            })
            .collect_view();
        let date = match (&ev.date, &ev.date_precision) {
            (Some(d), Some(p)) => format!("{d} ({p})"),
            (Some(d), None) => d.clone(),
            _ => "undated".to_owned(),
        };
        let document = ev.document_id.map(|d| {
            view! {
                <a href=format!("/documents/{d}") target="_blank" rel="noopener">
                    "Whole document"
                </a>
            }
        });
        Some(view! {
            <article class="event-card" aria-labelledby="card-title">
                <header>
                    <span class="dot" style=format!("background: {}", style.colour)></span>
                    <h2 id="card-title">{style.label}</h2>
                    <button
                        type="button"
                        class="close"
                        aria-label="Close the event card"
                        on:click=move |_| state.selected.set(None)
                    >
                        "×"
                    </button>
                </header>
                <p class="sentence">{text}</p>
                <dl>
                    <dt>"Type"</dt>
                    <dd>{ev.sub_type.clone()}</dd>
                    <dt>"Where"</dt>
                    <dd>{format!("{} {}", ev.place_name, ev.country)}</dd>
                    <dt>"When"</dt>
                    <dd>{date}</dd>
                    <dt>"Actors"</dt>
                    <dd>{if ev.actors.is_empty() { "—".to_owned() } else { ev.actors.clone() }}</dd>
                    <dt>"Claimed by"</dt>
                    <dd>{ev.claim.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Confidence"</dt>
                    <dd>{format!("{:.0} %", ev.confidence * 100.0)}</dd>
                </dl>
                <p class="links">
                    {document}
                    " "
                    <a href=format!("/api/events/{id}") target="_blank" rel="noopener">
                        "Event as JSON"
                    </a>
                </p>
            </article>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_places_inside_the_sentence() {
        let detail = Detail {
            sentence: Span {
                start: 100,
                end: 130,
            },
            places: vec![
                Place {
                    mention: Some(Span {
                        start: 112,
                        end: 123,
                    }),
                },
                Place { mention: None },
            ],
        };
        let p = pieces("Shelling on Stepanakert today.", Some(&detail));
        assert_eq!(
            p,
            vec![
                ("Shelling on ".to_owned(), false),
                ("Stepanakert".to_owned(), true),
                (" today.".to_owned(), false)
            ]
        );
    }
}
