//! `GET|POST /api/feeds`, `DELETE /api/feeds/{id}`: the news feeds `karta serve` polls, with
//! their health; for token holders only (reading too: feed URLs can be private).

use super::error::parse_json;
use super::{Admin, ApiError, AppState, blocking, token_holder};
use crate::feeds::new_feed;
use crate::store::{FeedId, StoreError};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;

/// The feed routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/feeds", get(feeds_index).post(feeds_create))
        .route("/api/feeds/{id}", delete(feeds_delete))
}

/// The body of `POST /api/feeds`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateFeed {
    url: String,
    lang: Option<String>,
    every: Option<String>,
    name: Option<String>,
}

/// `GET /api/feeds`: every feed with its health.
async fn feeds_index(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    token_holder(&headers, &state, "feeds are for token holders").await?;
    let pipeline = state.pipeline.clone();
    let feeds = blocking(move || Ok(pipeline.store().feeds()?)).await?;
    Ok(Json(feeds).into_response())
}

/// `POST /api/feeds`: `{"url", "lang"?, "every"? ("15m"), "name"?}`; 201 with the feed, due
/// at once; 409 when the URL is there already.
async fn feeds_create(
    State(state): State<AppState>,
    _caller: Admin,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body: CreateFeed = parse_json(&headers, &body?)?;
    let spec = new_feed(
        &body.url,
        body.lang.as_deref(),
        body.every.as_deref(),
        body.name.as_deref(),
    )
    .map_err(|e| ApiError::bad_request("invalid_feed", e.to_string()))?;
    let pipeline = state.pipeline.clone();
    let feed = blocking(move || {
        pipeline.store().insert_feed(&spec).map_err(|e| match e {
            StoreError::DuplicateFeed(_) => ApiError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: e.to_string(),
            },
            e => e.into(),
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(feed)).into_response())
}

/// `DELETE /api/feeds/{id}`: stops polling a feed (its documents stay); 204, or 404.
async fn feeds_delete(
    State(state): State<AppState>,
    _caller: Admin,
    id: Result<Path<FeedId>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let pipeline = state.pipeline.clone();
    if blocking(move || Ok(pipeline.store().delete_feed(id)?)).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found(format!("no feed {id}")))
    }
}
