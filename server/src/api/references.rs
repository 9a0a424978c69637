//! `GET|POST /api/references`, `GET|DELETE /api/references/{id}`: reference layers, GeoJSON
//! files a user adds to the map (a line of contact, an old outline, a corridor) to draw under
//! the events. Reading is open like the events; adding and removing need an editor's token.

use super::error::ApiQuery;
use super::{ApiError, AppState, Caller, blocking};
use crate::store::NewReference;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use vocab::{ReferenceError, ReferenceLayer, read_reference, reference_name};

/// The reference layer routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/references",
            get(references_index).post(references_create),
        )
        .route(
            "/api/references/{id}",
            get(references_show).delete(references_delete),
        )
}

/// The query of `POST /api/references`.
#[derive(Debug, Deserialize)]
struct CreateReference {
    name: String,
}

/// `GET /api/references`: every reference layer (without its GeoJSON), by id.
async fn references_index(
    State(state): State<AppState>,
) -> Result<Json<Vec<ReferenceLayer>>, ApiError> {
    let pipeline = state.pipeline.clone();
    Ok(Json(
        blocking(move || Ok(pipeline.store().references()?)).await?,
    ))
}

/// `POST /api/references?name=NAME` with a GeoJSON file as the body: 201 with the layer as
/// listed; 400 when the file or the name is not one karta takes, 413 when it is too large.
async fn references_create(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CreateReference>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body?;
    let name = reference_name(&query.name).map_err(invalid)?;
    let geojson = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::bad_request("invalid_reference", "the file is not UTF-8 text (RFC 7946)")
    })?;
    let shapes = read_reference(&geojson).map_err(invalid)?;
    let layer = NewReference {
        name,
        geojson,
        features: shapes.features,
    };
    let pipeline = state.pipeline.clone();
    let stored =
        blocking(move || Ok(pipeline.store().insert_reference(&layer, &caller.0.name)?)).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// The answer to a file or name karta does not take.
fn invalid(e: ReferenceError) -> ApiError {
    match e {
        ReferenceError::TooLarge(_) => ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "too_large",
            message: e.to_string(),
        },
        e => ApiError::bad_request("invalid_reference", e.to_string()),
    }
}

/// `GET /api/references/{id}`: the layer's GeoJSON as it was added; 404 when there is none.
async fn references_show(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let pipeline = state.pipeline.clone();
    match blocking(move || Ok(pipeline.store().reference_geojson(id)?)).await? {
        Some(geojson) => Ok(([(CONTENT_TYPE, "application/geo+json")], geojson).into_response()),
        None => Err(ApiError::not_found(format!("no reference layer {id}"))),
    }
}

/// `DELETE /api/references/{id}`: removes a layer; 204, or 404.
async fn references_delete(
    State(state): State<AppState>,
    _caller: Caller,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let pipeline = state.pipeline.clone();
    if blocking(move || Ok(pipeline.store().delete_reference(id)?)).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found(format!("no reference layer {id}")))
    }
}
