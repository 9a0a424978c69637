//! The gazetteer over HTTP: `GET /api/places/search`, `/api/places/reverse`,
//! `/api/places/{id}`, `/api/places/{id}/names`, and the stateless `POST /api/geoparse`.

use super::error::{ApiQuery, parse_json};
use super::jobs::Turn;
use super::{ApiError, AppState, GEOPARSE_BODY_LIMIT, blocking};
use crate::store::NewDocument;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

/// Most candidates a search returns.
const MAX_CANDIDATES: usize = 50;

/// The place routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/places/search", get(places_search))
        .route("/api/places/reverse", get(places_reverse))
        .route("/api/places/{id}", get(places_show))
        .route("/api/places/{id}/names", get(places_names))
        .route(
            "/api/geoparse",
            post(geoparse).layer(RequestBodyLimitLayer::new(GEOPARSE_BODY_LIMIT)),
        )
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
    lang: Option<String>,
    limit: Option<String>,
}

/// `GET /api/places/search?q=&lang=&limit=`: the places whose name starts with `q`, most likely
/// first (an autocomplete),
/// in any language the gazetteer records («Bakou», «Баку»).
async fn places_search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<Vec<gazetteer::Candidate>>, ApiError> {
    let q = params
        .q
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| ApiError::parameter("q", "a name to search is required"))?;
    let limit = match params.limit.as_deref() {
        None => 10,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_CANDIDATES).contains(n))
            .ok_or_else(|| {
                ApiError::parameter(
                    "limit",
                    format!("{l:?} is not a number within 1..{MAX_CANDIDATES}"),
                )
            })?,
    };
    let pipeline = state.pipeline.clone();
    blocking(move || {
        let found = pipeline
            .gazetteer()
            .search(&q, params.lang.as_deref(), limit);
        Ok(Json(found))
    })
    .await
}

#[derive(Debug, Deserialize)]
struct ReverseParams {
    lat: Option<String>,
    lon: Option<String>,
}

fn coordinate(name: &str, text: Option<&str>, bound: f64) -> Result<f64, ApiError> {
    let text = text.ok_or_else(|| ApiError::parameter(name, "is required"))?;
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() <= bound)
        .ok_or_else(|| {
            ApiError::parameter(
                name,
                format!("{text:?} is not a number within -{bound}..{bound}"),
            )
        })
}

/// `GET /api/places/reverse?lat=&lon=`: the nearest populated place, its country and
/// first-level division.
async fn places_reverse(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ReverseParams>,
) -> Result<Json<gazetteer::ReverseResult>, ApiError> {
    let lat = coordinate("lat", params.lat.as_deref(), 90.0)?;
    let lon = coordinate("lon", params.lon.as_deref(), 180.0)?;
    let pipeline = state.pipeline.clone();
    blocking(move || {
        pipeline
            .gazetteer()
            .reverse(geo::Point::new(lon, lat))
            .map(Json)
            .ok_or_else(|| ApiError::not_found("the gazetteer has no populated place"))
    })
    .await
}

/// `GET /api/places/{id}`: a place by GeoNames id.
async fn places_show(
    State(state): State<AppState>,
    id: Result<Path<u32>, PathRejection>,
) -> Result<Json<gazetteer::Place>, ApiError> {
    let Path(id) = id?;
    state
        .pipeline
        .gazetteer()
        .place(id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no place {id}")))
}

/// `GET /api/places/{id}/names`: the place's other names, in every language and script the
/// gazetteer records (a scan of its names: on the blocking pool).
async fn places_names(
    State(state): State<AppState>,
    id: Result<Path<u32>, PathRejection>,
) -> Result<Json<Vec<gazetteer::OtherName>>, ApiError> {
    let Path(id) = id?;
    let pipeline = state.pipeline.clone();
    blocking(move || {
        pipeline
            .gazetteer()
            .other_names(id)
            .map(Json)
            .ok_or_else(|| ApiError::not_found(format!("no place {id}")))
    })
    .await
}

/// `POST /api/geoparse`: the places and events of a text (`{"text", "lang"?, "published"?}`),
/// without storing anything. At most 1 MiB of body, and a turn among the jobs in flight
/// ([`super::jobs`]).
async fn geoparse(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let document: NewDocument = parse_json(&headers, &body?)?;
    // `_watch` lives as long as the request: once it is gone, the work is not started.
    let (turn, _watch) = state.jobs.turn().await?;
    let pipeline = state.pipeline.clone();
    blocking(move || {
        if turn.gone() {
            return Err(Turn::abandoned());
        }
        let (mentions, events) = pipeline.analyse_until(&document, &|| turn.gone())?;
        if turn.gone() {
            return Err(Turn::abandoned());
        }
        Ok(Json(serde_json::json!({
            "mentions": slim(mentions, &["features"])?,
            "events": slim(events, &["evidence", "mentions"])?,
        })))
    })
    .await
}

/// The items as JSON objects without the fields named in `left_out`: what `POST
/// /api/geoparse` answers is a preview, which does not repeat the text back sentence after
/// sentence (an event's restatements and evidence) nor carry the scores' inputs, so that the
/// answer stays within a small multiple of the text.
fn slim<T: serde::Serialize>(
    items: Vec<T>,
    left_out: &[&str],
) -> Result<Vec<serde_json::Value>, ApiError> {
    items
        .into_iter()
        .map(|item| {
            let mut value = serde_json::to_value(item).map_err(ApiError::internal)?;
            if let Some(object) = value.as_object_mut() {
                for field in left_out {
                    object.remove(*field);
                }
            }
            Ok(value)
        })
        .collect()
}
