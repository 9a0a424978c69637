//! The HTTP API: documents in, events out (JSON, GeoJSON, CSV, KML, Atom, OGC API –
//! Features), corrections, places and geoparsing.
//!
//! - `POST /api/documents`, `POST /api/documents/batch`, `GET /api/documents/{id}`
//! - `GET /api/events`, `/api/events.geojson`, `/api/events.csv`, `/api/events.kml`,
//!   `/api/events.atom`, `GET|PATCH|DELETE /api/events/{id}`,
//!   `GET /api/events/{id}/corrections`
//! - `GET /api/clusters`: the same events binned on a grid fitted to a zoom (`clusters.rs`)
//! - `GET /api/divisions`: the same events summed per first-level division (`divisions.rs`)
//! - `GET|POST /api/feeds`, `DELETE /api/feeds/{id}`: the news feeds polled, with their health
//! - `GET|POST /api/references`, `GET|DELETE /api/references/{id}`: reference layers, GeoJSON
//!   files drawn under the events (`references.rs`)
//! - `GET /api/places/search`, `/api/places/reverse`, `/api/places/{id}`, `/api/places/{id}/names`,
//!   `POST /api/geoparse`
//! - `GET /ogc/…`: the events as OGC API – Features (`ogc/`)
//! - `GET /healthz`, `GET /api/openapi.json`
//! - `GET|POST /session`, `POST /session/end`: signing a browser in when reads are private
//!
//! Writes need `Authorization: Bearer <token>` (`karta token create`); when reads are private
//! they need the header or the cookie of a signed-in browser. Errors are
//! `{"error": {"code", "message"}}` with the matching status.

mod atom;
mod clusters;
mod deadline;
mod divisions;
mod documents;
mod error;
pub mod events;
mod feeds;
mod headers;
mod jobs;
mod ogc;
mod origin;
mod places;
pub mod query;
mod references;
pub mod session;

pub use error::ApiError;

use crate::auth::{verify_session, verify_token};
use crate::ingest::Pipeline;
use crate::store::{Role, TokenInfo};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use vocab::EventType;

/// The OpenAPI 3.1 description of this API, kept next to the routes, with the event types left
/// as `{event_type_enum}` and `{event_type_names}` (see [`openapi_document`]).
const OPENAPI: &str = include_str!("openapi.json");

/// The OpenAPI document as served: its lists of event types filled from [`EventType::ALL`],
/// so that a new type shows there without an edit.
fn openapi_document() -> &'static str {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        let names = EventType::ALL.map(EventType::as_str);
        let array = serde_json::to_string(&names).unwrap_or_default();
        OPENAPI
            .replace("\"{event_type_enum}\"", &array)
            .replace("{event_type_names}", &EventType::names())
    });
    &DOCUMENT
}

/// How the API behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiSettings {
    /// Largest request body in bytes.
    pub body_limit: usize,
    /// Longest time to produce a response's head; a write not yet begun by then is not made
    /// (see [`deadline`]).
    pub timeout: Duration,
    /// Whether reads need a token too.
    pub private_reads: bool,
    /// Most geoparse and ingest jobs running at once (default: the number of cores).
    pub jobs: usize,
    /// Most more such requests waiting for a turn; beyond, 503 with `Retry-After`.
    pub queue: usize,
    /// Most events in view the map draws one by one; above, it draws `/api/clusters`.
    pub map_points: u64,
}

impl Default for ApiSettings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            body_limit: 10 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            private_reads: false,
            jobs: cores,
            queue: 2 * cores,
            map_points: 50_000,
        }
    }
}

/// Largest body of `POST /api/geoparse`, whose answer grows with its text (1 MiB).
pub const GEOPARSE_BODY_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The store, gazetteer and R-tree.
    pub pipeline: Pipeline,
    /// Whether reads need a token too.
    pub private_reads: bool,
    /// The geoparse and ingest jobs in flight.
    pub(crate) jobs: jobs::Jobs,
    /// Most events in view the map draws one by one.
    pub map_points: u64,
}

/// The whole API with its middleware: tracing, JSON errors, timeout, body limit, security
/// headers.
pub fn router(pipeline: Pipeline, settings: &ApiSettings) -> Router {
    compressed(headers::secure(
        api(pipeline, settings),
        settings.private_reads,
    ))
}

/// Compresses what the client accepts (brotli or gzip, streamed as it goes): the GeoJSON of
/// 100,000 events is 51 MB plain and a tenth of that compressed. Images and tiny answers stay
/// as they are.
fn compressed(router: Router) -> Router {
    router.layer(CompressionLayer::new())
}

/// The API's routes and middleware, without the security headers (which [`router`] and
/// [`site`] put around everything they serve).
fn api(pipeline: Pipeline, settings: &ApiSettings) -> Router {
    let state = AppState {
        pipeline,
        private_reads: settings.private_reads,
        jobs: jobs::Jobs::new(settings.jobs, settings.queue),
        map_points: settings.map_points,
    };
    Router::new()
        .route("/healthz", get(health))
        .route("/api/openapi.json", get(openapi))
        .merge(documents::routes())
        .merge(events::routes())
        .merge(clusters::routes())
        .merge(divisions::routes())
        .merge(feeds::routes())
        .merge(places::routes())
        .merge(references::routes())
        .merge(ogc::routes())
        .merge(session::routes())
        .fallback(|| async { ApiError::from_status(StatusCode::NOT_FOUND) })
        .layer(middleware::from_fn_with_state(state.clone(), read_access))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(settings.body_limit))
        .layer(middleware::from_fn_with_state(
            settings.timeout,
            deadline::answer_within,
        ))
        .layer(middleware::map_response(error::json_errors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The API with the web app's pages mounted beside it (what `karta serve` serves): the pages
/// read their events through [`events::PageEvents`], the same query as
/// `/api/events.geojson`, in-process and typed; `tiles` is the raster layer the map offers.
pub fn site(
    pipeline: Pipeline,
    settings: &ApiSettings,
    tiles: Option<app::map::tiles::TileSource>,
) -> Router {
    let state = AppState {
        pipeline: pipeline.clone(),
        private_reads: settings.private_reads,
        jobs: jobs::Jobs::new(settings.jobs, settings.queue),
        map_points: settings.map_points,
    };
    let events = Arc::new(events::PageEvents::new(state));
    let site = app::site::router(api(pipeline, settings), events, tiles);
    compressed(headers::secure(site, settings.private_reads))
}

/// Runs blocking store or gazetteer work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}

/// The caller of a write, known by a valid bearer token whose role writes (an editor's or
/// more).
#[derive(Debug, Clone)]
pub struct Caller(pub TokenInfo);

/// The caller of a write that only an admin may make (managing feeds, which the server then
/// fetches).
#[derive(Debug, Clone)]
pub struct Admin(pub TokenInfo);

impl Caller {
    /// The caller named by the `Authorization: Bearer <token>` header of a request.
    async fn of(headers: &HeaderMap, state: &AppState) -> Result<Self, ApiError> {
        let header = headers.get(AUTHORIZATION).ok_or_else(|| {
            ApiError::unauthorized("this needs an Authorization: Bearer <token> header")
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim().to_owned())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header is not Bearer <token>")
            })?;
        let pipeline = state.pipeline.clone();
        blocking(move || Ok(verify_token(pipeline.store(), &token)?))
            .await?
            .map(Caller)
            .ok_or_else(|| ApiError::unauthorized("unknown token"))
    }

    /// A 403 unless the caller's role is `needed` or more; `what` names what it is needed for.
    fn needs(&self, needed: Role, what: &str) -> Result<(), ApiError> {
        if self.0.role >= needed {
            return Ok(());
        }
        Err(ApiError::forbidden(format!(
            "{what} need a token of the role {} or more; token {:?} is a {}",
            needed.as_str(),
            self.0.name,
            self.0.role.as_str()
        )))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Self::of(&parts.headers, state).await?;
        caller.needs(Role::Editor, "writes")?;
        Ok(caller)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::of(&parts.headers, state).await?;
        caller.needs(Role::Admin, "managing feeds")?;
        Ok(Admin(caller.0))
    }
}

/// Whether a request with these headers may read: always when reads are public, else with a
/// valid token in the `Authorization` header or in the cookie of a signed-in browser (see
/// [`session`]); the error says why not.
async fn may_read(headers: &HeaderMap, state: &AppState) -> Result<(), ApiError> {
    if !state.private_reads {
        return Ok(());
    }
    token_holder(headers, state, "reads are private").await
}

/// Whether a request holds a valid token, in the `Authorization` header, or a valid session in
/// the cookie of a signed-in browser; the error, which starts with `needed`, says why not.
async fn token_holder(headers: &HeaderMap, state: &AppState, needed: &str) -> Result<(), ApiError> {
    if headers.contains_key(AUTHORIZATION) {
        return Caller::of(headers, state).await.map(|_| ());
    }
    let Some(session) = app::site::session_token(headers).map(str::to_owned) else {
        return Err(ApiError::unauthorized(format!(
            "{needed}: this needs an Authorization: Bearer <token> header, \
             or a browser signed in at /session"
        )));
    };
    let pipeline = state.pipeline.clone();
    match blocking(move || Ok(verify_session(pipeline.store(), &session)?)).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::unauthorized(
            "the session has ended (signed out, expired, or its token revoked): sign in again",
        )),
    }
}

/// When reads are private, turns away every request without a valid token (see
/// [`may_read`]); the health check and the sign-in pages stay open.
async fn read_access(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == "/healthz" || path.starts_with("/session") {
        return next.run(request).await;
    }
    match may_read(request.headers(), &state).await {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// `GET /healthz`: liveness (200 while the server runs), with the counts that show the
/// R-tree matches the store, and the feeds that have failed for an hour (`feeds.failing`).
async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let pipeline = state.pipeline.clone();
    let ((documents, events), feeds) = blocking(move || {
        let store = pipeline.store();
        Ok((store.counts()?, store.feeds()?))
    })
    .await?;
    let failing: Vec<_> = crate::feeds::failing(&feeds, chrono::Utc::now())
        .into_iter()
        .map(|f| {
            serde_json::json!({
                "id": f.id,
                "failing_since": f.health.failing_since,
                "last_error": f.health.last_error,
            })
        })
        .collect();
    // A database that indexes places itself (PostGIS) indexes every event it counts.
    let indexed = match state.pipeline.store().indexes_places() {
        true => events,
        false => state.pipeline.index().len() as u64,
    };
    Ok(Json(serde_json::json!({
        "status": "ok",
        "documents": documents,
        "events": events,
        "indexed": indexed,
        "feeds": {"count": feeds.len(), "failing": failing},
    })))
}

/// `GET /api/openapi.json`.
async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], openapi_document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_lists_every_event_type() {
        let doc: serde_json::Value =
            serde_json::from_str(openapi_document()).expect("the served document is JSON");
        let schema = &doc["components"]["schemas"]["EventType"];
        let names = EventType::ALL.map(|t| serde_json::Value::from(t.as_str()));
        assert_eq!(
            schema["enum"].as_array().map(Vec::as_slice),
            Some(&names[..])
        );
        for route in [
            "/api/events",
            "/api/events.geojson",
            "/api/events.csv",
            "/api/events.kml",
            "/api/events.atom",
            "/ogc/collections/{collectionId}/items",
        ] {
            let parameters = doc["paths"][route]["get"]["parameters"].as_array();
            let types = parameters
                .into_iter()
                .flatten()
                .find(|p| p["name"] == "type")
                .and_then(|p| p["description"].as_str())
                .unwrap_or_default();
            assert!(types.contains(&EventType::names()), "{route}: {types:?}");
        }
        assert!(!openapi_document().contains("{event_type"));
    }
}
