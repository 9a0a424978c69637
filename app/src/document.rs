//! `GET /documents/{id}`: a document as a page of its own, rendered on the server and whole
//! without JavaScript: its title, source, publication date, its text with the place names
//! highlighted, its events, and links to the map centred on them.

use crate::map::projection::{MAX_ZOOM, MIN_ZOOM, fit, to_world};
use crate::model::type_style;
use crate::places::{ByteSpan, EventDate, EventPlace, Place, mark_spans};
use crate::state::ASSUMED_SIZE;
use crate::url::ViewState;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use serde::Deserialize;

/// The closest zoom a link to a document's events opens at.
const MAX_LINK_ZOOM: f64 = 10.0;

/// The closest zoom a link to one event opens at.
const EVENT_ZOOM: f64 = 9.0;

/// What the page of a document shows: the API's answer for it (`GET /api/documents/{id}`).
#[derive(Debug, Deserialize)]
struct DocumentPage {
    document: ShownDocument,
    mentions: Vec<Mention>,
    events: Vec<Event>,
}

/// The document itself, as the page shows it.
#[derive(Debug, Deserialize)]
struct ShownDocument {
    id: i64,
    text: String,
    title: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    published: Option<String>,
    ingested: String,
}

#[derive(Debug, Deserialize)]
struct Mention {
    bytes: ByteSpan,
    place: Place,
}

#[derive(Debug, Deserialize)]
struct Text {
    text: String,
}

#[derive(Debug, Deserialize)]
struct Event {
    id: i64,
    deleted: bool,
    event_type: String,
    #[serde(default)]
    sub_type: String,
    date: Option<EventDate>,
    places: Vec<EventPlace>,
    #[serde(default)]
    actors: Vec<Text>,
    claim: Option<Text>,
    sentence: Text,
    confidence: f64,
    /// The event it is shown as on the map, when another document reported its incident first.
    #[serde(default)]
    incident: Option<i64>,
}

/// The map's address centred on some places (lon, lat) and zoomed to show them, no closer than
/// `max_zoom`; `/` when there are none.
fn map_link(points: &[[f64; 2]], selected: Option<i64>, max_zoom: f64) -> String {
    let Some(first) = points.first() else {
        // No place to centre on: the default view, with the event selected if there is one.
        let state = ViewState {
            selected,
            ..ViewState::default()
        };
        return match selected {
            Some(_) => format!("/?{}", state.to_query()),
            None => "/".to_owned(),
        };
    };
    let world: Vec<[f64; 2]> = points.iter().map(|p| to_world(*p)).collect();
    let lo = world
        .iter()
        .fold(to_world(*first), |a, p| [a[0].min(p[0]), a[1].min(p[1])]);
    let hi = world
        .iter()
        .fold(to_world(*first), |a, p| [a[0].max(p[0]), a[1].max(p[1])]);
    let (centre, zoom) = fit([lo, hi], ASSUMED_SIZE[0], ASSUMED_SIZE[1], max_zoom);
    let state = ViewState {
        centre: crate::map::projection::to_lon_lat(centre),
        zoom: zoom.clamp(MIN_ZOOM, MAX_ZOOM),
        selected,
        ..ViewState::default()
    };
    format!("/?{}", state.to_query())
}

/// A link to an http(s) address, else the address as text (no `javascript:` links).
fn source_link(url: &str) -> AnyView {
    if url.starts_with("https://") || url.starts_with("http://") {
        view! { <a href=url.to_owned() rel="noopener noreferrer">{url.to_owned()}</a> }.into_any()
    } else {
        url.to_owned().into_any()
    }
}

/// The page of one document.
fn document_view(v: DocumentPage) -> AnyView {
    let doc = v.document;
    let title = doc
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("Document {}", doc.id));
    let events: Vec<Event> = v.events.into_iter().filter(|e| !e.deleted).collect();
    let on_map = map_link(&places_on_map(&events, &v.mentions), None, MAX_LINK_ZOOM);
    let text = marked_text(&doc.text, &v.mentions);
    let count = events.len();
    let rows = events.into_iter().map(event_row).collect_view();
    let lang = doc.lang.clone().unwrap_or_default();
    view! {
        <header class="bar">
            <h1>
                <a href="/">"karta"</a>
            </h1>
            <p class="tagline">"A document and its events"</p>
            <nav aria-label="Map">
                <a class="button" href=on_map.clone()>"Back to the map"</a>
            </nav>
        </header>
        <main class="document-page">
            <article>
                <h2 id="document-title">{title}</h2>
                {document_facts(&doc)}
                <p class="document-links">
                    <a class="button" href=on_map>
                        {format!("Its {count} event{} on the map", if count == 1 { "" } else { "s" })}
                    </a>
                    " "
                    <a href=format!("/api/documents/{}", doc.id)>"As JSON"</a>
                </p>
                <div class="document-text" lang=lang>{text}</div>
            </article>
            <section class="document-events" aria-labelledby="events-title">
                <h2 id="events-title">{format!("Events ({count})")}</h2>
                <ol>{rows}</ol>
            </section>
        </main>
    }
    .into_any()
}

/// Where the map shows a document: the places of its events, else every place it names
/// (lon, lat).
fn places_on_map(events: &[Event], mentions: &[Mention]) -> Vec<[f64; 2]> {
    let points: Vec<[f64; 2]> = events
        .iter()
        .flat_map(|e| e.places.iter().map(|p| [p.lon, p.lat]))
        .collect();
    if !points.is_empty() {
        return points;
    }
    mentions
        .iter()
        .map(|m| [m.place.lon, m.place.lat])
        .collect()
}

/// A document's text with its place names marked, each titled with its place.
fn marked_text(text: &str, mentions: &[Mention]) -> AnyView {
    let spans: Vec<ByteSpan> = mentions.iter().map(|m| m.bytes).collect();
    mark_spans(text, &spans)
        .into_iter()
        .map(|(t, mention)| match mention {
            Some(k) => {
                let p = &mentions[k].place;
                let what = format!(
                    "{}, {} ({:.4}, {:.4})",
                    p.display_name(),
                    p.country,
                    p.lat,
                    p.lon
                );
                view! { <mark class="place" title=what>{t}</mark> }.into_any()
            }
            None => t.into_any(),
        })
        .collect_view()
        .into_any()
}

/// A document's source, publication date, language and when it was added.
fn document_facts(doc: &ShownDocument) -> AnyView {
    let dash = || "—".to_owned();
    view! {
        <dl class="document-meta">
            <dt>"Source"</dt>
            <dd>{doc.url.as_deref().map_or_else(|| dash().into_any(), source_link)}</dd>
            <dt>"Published"</dt>
            <dd>{doc.published.clone().unwrap_or_else(dash)}</dd>
            <dt>"Language"</dt>
            <dd>{doc.lang.clone().unwrap_or_else(dash)}</dd>
            <dt>"Added"</dt>
            <dd>{doc.ingested.clone()}</dd>
        </dl>
    }
    .into_any()
}

/// An event of the document: type, date, places, sentence, actors, claim, confidence and a
/// link to it on the map.
fn event_row(e: Event) -> AnyView {
    let style = type_style(&e.event_type);
    let where_: Vec<[f64; 2]> = e.places.iter().map(|p| [p.lon, p.lat]).collect();
    let shown_as = e.incident.unwrap_or(e.id);
    let link = map_link(&where_, Some(shown_as), EVENT_ZOOM);
    let places = e
        .places
        .iter()
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join(" → ");
    let date = EventDate::label(e.date.as_ref());
    let actors = e
        .actors
        .iter()
        .map(|a| a.text.clone())
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <li class="document-event" data-event-id=shown_as>
            <p class="row-head">
                <span class="dot" style=format!("background: {}", style.colour)></span>
                <strong>{style.label}</strong>
                " · "
                {e.sub_type}
                " · "
                <time>{date}</time>
                " · "
                {places}
            </p>
            <p class="row-text">{e.sentence.text}</p>
            <p class="row-more">
                {(!actors.is_empty()).then(|| format!("Actors: {actors}. "))}
                {e.claim.map(|c| format!("Claimed by {}. ", c.text))}
                {format!("Confidence {:.0} %. ", e.confidence * 100.0)}
                {e.incident.map(|_| "Reported by another document first: one event, several sources. ")}
                <a href=link>"On the map"</a>
            </p>
        </li>
    }
    .into_any()
}

/// The whole HTML document around a body, titled.
fn html(title: &str, body: AnyView) -> String {
    let body = body.to_html();
    let title = view! { <title>{format!("{title} · karta")}</title> }.to_html();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>{title}\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"/>\
         <link rel=\"stylesheet\" href=\"/karta.css\"/></head><body>{body}</body></html>"
    )
}

/// The page of document `id`, read from the API's `GET /api/documents/{id}` answer (`None`
/// when it has none): 404 with a page that says so when there is no such document.
pub fn page(id: &str, json: Option<String>) -> Response {
    let found = json.and_then(|j| match serde_json::from_str::<DocumentPage>(&j) {
        Ok(v) => Some(v),
        Err(e) => {
            leptos::logging::warn!("document {id}: {e}");
            None
        }
    });
    let html_type = [(CONTENT_TYPE, "text/html; charset=utf-8")];
    match found {
        Some(v) => {
            let title = v
                .document
                .title
                .clone()
                .unwrap_or_else(|| format!("Document {id}"));
            (html_type, html(&title, document_view(v))).into_response()
        }
        None => {
            let body = view! {
                <main class="document-page">
                    <h1>"No such document"</h1>
                    <p>{format!("karta has no document {id}. ")}<a href="/">"Back to the map"</a></p>
                </main>
            }
            .into_any();
            (
                StatusCode::NOT_FOUND,
                html_type,
                html("No such document", body),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_centre_the_map_on_the_places() {
        assert_eq!(map_link(&[], None, MAX_LINK_ZOOM), "/");
        let link = map_link(&[[46.75, 39.82], [49.87, 40.41]], Some(7), MAX_LINK_ZOOM);
        let state = ViewState::from_query(link.trim_start_matches("/?"));
        assert!((46.75..49.87).contains(&state.centre[0]), "{link}");
        assert!(state.zoom > 4.0 && state.zoom <= MAX_LINK_ZOOM, "{link}");
        assert_eq!(state.selected, Some(7));
    }

    #[test]
    fn renders_a_document_with_its_places_and_events() {
        let json = r#"{"document":{"id":3,"text":"Stepanakert was shelled <b>.","title":"Report",
            "url":"javascript:alert(1)","lang":"en","published":"2020-10-04","ingested":"x"},
            "mentions":[{"bytes":{"start":0,"end":11},"place":{"id":146970,"name":"Khankendi",
            "english":"Stepanakert","lat":39.8,"lon":46.75,"country":"AZ"}}],
            "events":[{"id":9,"deleted":false,"event_type":"explosions_remote_violence",
            "sub_type":"Shelling","date":{"date":"2020-10-04","precision":"day"},
            "places":[{"place_id":146970,"name":"Stepanakert","lat":39.8,"lon":46.75,
            "country":"AZ","mention":{"start":0,"end":11,"text":"Stepanakert"}}],
            "actors":[],"claim":null,"sentence":{"text":"Stepanakert was shelled."},"confidence":0.8},
            {"id":12,"incident":4,"deleted":false,"event_type":"protests","date":null,
            "places":[],"claim":null,"sentence":{"text":"A rally."},"confidence":0.5}]}"#;
        let view: DocumentPage = serde_json::from_str(json).expect("the API's shape");
        let html = html("Report", document_view(view));
        assert!(
            html.contains(
                r#"title="Stepanakert, AZ (39.8000, 46.7500)" class="place">Stepanakert</mark>"#
            ),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"), "the text is escaped: {html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("sel=9"), "{html}");
        assert!(
            html.contains("sel=4"),
            "a merged report links to its event: {html}"
        );
        assert!(html.contains("several sources"), "{html}");
    }
}
