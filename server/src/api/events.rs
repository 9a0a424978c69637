//! `GET /api/events` (JSON pages), `/api/events.geojson`, `/api/events.csv` and
//! `/api/events.kml` (streamed), `/api/events.atom` (see `api/atom.rs`), and the corrections:
//! `PATCH` and `DELETE /api/events/{id}`; and [`PageEvents`], the same query handed to the
//! map's pages in-process, typed.

use super::deadline::Outcome;
use super::error::{ApiQuery, parse_json};
use super::query::{DEFAULT_PAGE, EventParams, EventQuery, MAX_PAGE, Spatial};
use super::{ApiError, AppState, Caller, blocking, may_read, token_holder};
use crate::correct::EventPatch;
use crate::export::{Exporter, Format, event_feature};
use crate::ingest::Pipeline;
use crate::store::{EventId, Page, Role, StoredEvent};
use app::site::{EventSource, EventsFuture, ReadError};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use std::collections::HashMap;
use std::ops::ControlFlow;
use tokio_stream::wrappers::ReceiverStream;
use vocab::EventFeature;

/// Bytes gathered before a chunk of an export is sent.
const CHUNK: usize = 64 * 1024;

/// The event routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/events", get(events_index))
        .route("/api/events.geojson", get(events_geojson))
        .route("/api/events.csv", get(events_csv))
        .route("/api/events.kml", get(events_kml))
        .route("/api/events.atom", get(super::atom::events_atom))
        .route(
            "/api/events/{id}",
            get(events_show).patch(events_update).delete(events_delete),
        )
        .route("/api/events/{id}/corrections", get(events_corrections))
}

/// A page of events and the cursor of the next one.
#[derive(Debug, serde::Serialize)]
struct EventPage {
    events: Vec<StoredEvent>,
    next_cursor: Option<String>,
}

/// `GET /api/events`: a page of events, by ascending id (nearest first with `near` and no
/// `radius_km`).
async fn events_index(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EventParams>,
    headers: HeaderMap,
) -> Result<Json<EventPage>, ApiError> {
    let query = reader_query(&params, &headers, &state).await?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if limit > MAX_PAGE {
        return Err(ApiError::parameter(
            "limit",
            format!("{limit} is over {MAX_PAGE}; use the cursor or /api/events.geojson"),
        ));
    }
    let pipeline = state.pipeline.clone();
    blocking(move || {
        let (filter, ids) = query.scope(&pipeline, limit)?;
        if let (Spatial::Nearest { .. }, Some(ids)) = (query.spatial, &ids) {
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            let page = Page { after: None, limit };
            let mut found = pipeline.store().events(&filter, Some(&sorted), page)?;
            let rank: HashMap<EventId, usize> =
                ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
            found.sort_by_key(|e| rank.get(&e.id).copied());
            return Ok(Json(EventPage {
                events: found,
                next_cursor: None,
            }));
        }
        let page = Page {
            after: query.after,
            limit,
        };
        let events = pipeline.store().events(&filter, ids.as_deref(), page)?;
        let next_cursor = (events.len() == limit)
            .then(|| events.last().map(|e| e.id.to_string()))
            .flatten();
        Ok(Json(EventPage {
            events,
            next_cursor,
        }))
    })
    .await
}

/// `GET /api/events.geojson`: a FeatureCollection (RFC 7946), streamed.
async fn events_geojson(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EventParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query = reader_query(&params, &headers, &state).await?;
    export(state.pipeline.clone(), query, Format::GeoJson)
}

/// `GET /api/events.csv`: one line per event, streamed.
async fn events_csv(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EventParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query = reader_query(&params, &headers, &state).await?;
    export(state.pipeline.clone(), query, Format::Csv)
}

/// `GET /api/events.kml`: a KML document, a placemark per event, streamed.
async fn events_kml(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EventParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query = reader_query(&params, &headers, &state).await?;
    export(state.pipeline.clone(), query, Format::Kml)
}

/// The query of `params` for this reader: deleted events (`include_deleted`) are shown to
/// token holders only.
pub(super) async fn reader_query(
    params: &EventParams,
    headers: &HeaderMap,
    state: &AppState,
) -> Result<EventQuery, ApiError> {
    let query = EventQuery::check(params)?.with_named_places(state.pipeline.gazetteer());
    if query.filter.include_deleted {
        token_holder(headers, state, "include_deleted").await?;
    }
    Ok(query)
}

/// Streams the events of a query in a format, a chunk at a time from a blocking thread: the
/// memory held does not grow with the number of events.
fn export(pipeline: Pipeline, query: EventQuery, format: Format) -> Result<Response, ApiError> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let download = query.download;
    tokio::task::spawn_blocking(move || {
        let mut exporter = Exporter::new(format, pipeline.gazetteer());
        let mut failure = None;
        let scanned = query.scan(&pipeline, &mut |row| {
            let sent = exporter.push(row).and_then(|()| {
                if exporter.buffered() < CHUNK {
                    return Ok(true);
                }
                Ok(tx.blocking_send(Ok(exporter.take()?)).is_ok())
            });
            match sent {
                Ok(true) => ControlFlow::Continue(()),
                Ok(false) => ControlFlow::Break(()),
                Err(e) => {
                    failure = Some(e.to_string());
                    ControlFlow::Break(())
                }
            }
        });
        let last = match (scanned, failure) {
            (Err(e), _) => Err(e.to_string()),
            (Ok(()), Some(e)) => Err(e),
            (Ok(()), None) => exporter.finish().map_err(|e| e.to_string()),
        };
        // The client may be gone; nothing is left to tell it then.
        let _ = tx.blocking_send(last.map_err(|e| {
            tracing::error!("export failed: {e}");
            std::io::Error::other(e)
        }));
    });
    let mut response = (
        [(CONTENT_TYPE, format.content_type())],
        Body::from_stream(ReceiverStream::new(rx)),
    )
        .into_response();
    if download {
        let disposition = format!(
            "attachment; filename=\"karta-events.{}\"",
            format.extension()
        );
        if let Ok(value) = disposition.parse() {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

/// The events a query selects, as `/api/events.geojson` would write them, gathered in memory
/// (for a page's first view, a few hundred).
fn query_features(pipeline: &Pipeline, query: &EventQuery) -> Result<Vec<EventFeature>, ApiError> {
    let mut features = Vec::new();
    let mut failure = None;
    query.scan(pipeline, &mut |row| match event_feature(row) {
        Ok(feature) => {
            features.push(feature);
            ControlFlow::Continue(())
        }
        Err(e) => {
            failure = Some(e);
            ControlFlow::Break(())
        }
    })?;
    match failure {
        Some(e) => Err(ApiError::internal(e)),
        None => Ok(features),
    }
}

/// The map's pages' source of events: the query of `/api/events.geojson`, with the same read
/// access, called in-process by the server-side rendering (see [`app::site::EventSource`]).
#[derive(Debug, Clone)]
pub struct PageEvents {
    state: AppState,
}

impl PageEvents {
    /// The source of the pages of the API whose state is `state`.
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl EventSource for PageEvents {
    fn events(&self, params: EventParams, headers: HeaderMap) -> EventsFuture {
        let state = self.state.clone();
        Box::pin(async move {
            let failed = |e: ApiError| ReadError::Failed(e.message);
            match may_read(&headers, &state).await {
                Err(e) if e.status == StatusCode::UNAUTHORIZED => {
                    return Err(ReadError::Unauthorized);
                }
                other => other.map_err(failed)?,
            }
            let query = reader_query(&params, &headers, &state)
                .await
                .map_err(failed)?;
            let pipeline = state.pipeline.clone();
            blocking(move || query_features(&pipeline, &query))
                .await
                .map_err(failed)
        })
    }
}

fn event_id(id: Result<Path<EventId>, PathRejection>) -> Result<EventId, ApiError> {
    Ok(id?.0)
}

/// `GET /api/events/{id}`; a deleted event is shown to token holders only (404 otherwise).
async fn events_show(
    State(state): State<AppState>,
    id: Result<Path<EventId>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<StoredEvent>, ApiError> {
    let id = event_id(id)?;
    let pipeline = state.pipeline.clone();
    let event = blocking(move || Ok(pipeline.store().event(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no event {id}")))?;
    if event.deleted && token_holder(&headers, &state, "deleted").await.is_err() {
        return Err(ApiError::not_found(format!("no event {id}")));
    }
    Ok(Json(event))
}

/// `PATCH /api/events/{id}`: a person's correction (see [`EventPatch`]), recorded with the
/// token's name. The event becomes `corrected`, and re-extraction leaves it alone; `verified`
/// needs a reviewer's token.
async fn events_update(
    State(state): State<AppState>,
    Extension(outcome): Extension<Outcome>,
    caller: Caller,
    id: Result<Path<EventId>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<StoredEvent>, ApiError> {
    let id = event_id(id)?;
    let patch: EventPatch = parse_json(&headers, &body?)?;
    patch
        .validate()
        .map_err(|e| ApiError::bad_request("invalid_correction", e.to_string()))?;
    if patch.verified.is_some() {
        caller.needs(Role::Reviewer, "verifying events")?;
    }
    let pipeline = state.pipeline.clone();
    blocking(move || {
        begin_write(&outcome)?;
        Ok(Json(pipeline.correct(id, &patch, &caller.0.name)?))
    })
    .await
}

/// `DELETE /api/events/{id}`: hides the event; `PATCH {"deleted": false}` brings it back.
async fn events_delete(
    State(state): State<AppState>,
    Extension(outcome): Extension<Outcome>,
    caller: Caller,
    id: Result<Path<EventId>, PathRejection>,
) -> Result<Json<StoredEvent>, ApiError> {
    let id = event_id(id)?;
    let pipeline = state.pipeline.clone();
    blocking(move || {
        begin_write(&outcome)?;
        Ok(Json(pipeline.delete(id, &caller.0.name)?))
    })
    .await
}

/// Commits a request to its write, or answers 408 when it ran out of time first (see
/// [`super::deadline`]).
fn begin_write(outcome: &Outcome) -> Result<(), ApiError> {
    if outcome.commit() {
        Ok(())
    } else {
        Err(ApiError::from_status(StatusCode::REQUEST_TIMEOUT))
    }
}

/// `GET /api/events/{id}/corrections`: the audit trail, oldest first; who made each
/// correction (a token's name) is shown to token holders only.
async fn events_corrections(
    State(state): State<AppState>,
    id: Result<Path<EventId>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = event_id(id)?;
    let named = token_holder(&headers, &state, "who").await.is_ok();
    let pipeline = state.pipeline.clone();
    blocking(move || {
        if pipeline.store().event(id)?.is_none() {
            return Err(ApiError::not_found(format!("no event {id}")));
        }
        let mut trail = pipeline.store().corrections(id)?;
        if !named {
            for correction in &mut trail {
                correction.who.clear();
            }
        }
        Ok(Json(trail).into_response())
    })
    .await
}
