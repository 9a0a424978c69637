//! `POST /api/documents`, `POST /api/documents/batch`, `GET /api/documents/{id}`.

use super::deadline::Outcome;
use super::error::{ApiQuery, json_value, parse_json};
use super::jobs::Turn;
use super::query::parse_day;
use super::{ApiError, AppState, Caller, blocking, token_holder};
use crate::store::{DocumentId, NewDocument};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use tokio_stream::wrappers::ReceiverStream;

/// The document routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/documents", post(documents_create))
        .route("/api/documents/batch", post(documents_batch))
        .route("/api/documents/{id}", get(documents_show))
}

/// Metadata of a plain-text document, and the re-extraction switch.
#[derive(Debug, Default, Deserialize)]
struct CreateParams {
    title: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    published: Option<String>,
    reextract: Option<String>,
}

fn content_type_is(headers: &HeaderMap, media: &str) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with(media))
}

fn utf8(body: Bytes) -> Result<String, ApiError> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        ApiError::bad_request(
            "invalid_text",
            format!(
                "the body is not valid UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// `POST /api/documents`: a JSON document `{"text", "title"?, "url"?, "lang"?, "published"?}`,
/// or plain text with the metadata in the query string. Answers 201 with the new document, or
/// 200 with the stored one when the same text was ingested before.
async fn documents_create(
    State(state): State<AppState>,
    Extension(outcome): Extension<Outcome>,
    _caller: Caller,
    ApiQuery(params): ApiQuery<CreateParams>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body?;
    let document: NewDocument = if content_type_is(&headers, "text/") {
        NewDocument {
            text: utf8(body)?,
            title: params.title,
            url: params.url,
            lang: params.lang,
            published: params
                .published
                .as_deref()
                .map(|d| parse_day("published", d))
                .transpose()?,
        }
    } else {
        parse_json(&headers, &body)?
    };
    let reextract = matches!(params.reextract.as_deref(), Some("1" | "true"));
    // `_watch` lives as long as the request: once it is gone, the work is not started.
    let (turn, _watch) = state.jobs.turn().await?;
    let pipeline = state.pipeline.clone();
    let ingested = blocking(move || {
        if turn.gone() {
            return Err(Turn::abandoned());
        }
        Ok(pipeline.ingest_if(document, reextract, &|| turn.gone(), &|| outcome.commit())?)
    })
    .await?;
    let status = if ingested.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(ingested)).into_response())
}

/// `POST /api/documents/batch`: JSON Lines, one document a line. Each document is stored in
/// its own transaction, and the answer streams one JSON line per input line as soon as that
/// document is stored: `{"line", "id", "created", "events"}` or `{"line", "error"}`.
async fn documents_batch(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body?;
    if !["application/json", "application/x-ndjson", "text/"]
        .iter()
        .any(|m| content_type_is(&headers, m))
    {
        return Err(ApiError::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let mut text = utf8(body)?;
    // A byte-order mark, as some editors write at the start of UTF-8 files, is not text.
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(16);
    // The whole batch is one job; it stops between documents once the client is gone.
    let (turn, _) = state.jobs.turn().await?;
    let pipeline = state.pipeline.clone();
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        for (i, line) in text.lines().enumerate() {
            if tx.is_closed() {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let answer = json_value::<NewDocument>(line.as_bytes())
                .and_then(|doc| Ok(pipeline.ingest(doc, false)?))
                .map_or_else(
                    |e| {
                        serde_json::json!({
                            "line": i + 1,
                            "error": {"code": e.code, "message": e.message},
                        })
                    },
                    |done| {
                        serde_json::json!({
                            "line": i + 1,
                            "id": done.view.document.id,
                            "created": done.created,
                            "events": done.view.events.len(),
                        })
                    },
                );
            if tx.blocking_send(Ok(format!("{answer}\n"))).is_err() {
                break;
            }
        }
    });
    Ok((
        [(CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(ReceiverStream::new(rx)),
    )
        .into_response())
}

/// `GET /api/documents/{id}`: the text, its mentions (spans in code points) and its events;
/// the deleted ones for token holders only.
async fn documents_show(
    State(state): State<AppState>,
    id: Result<Path<DocumentId>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let pipeline = state.pipeline.clone();
    let mut view = blocking(move || Ok(pipeline.store().document(id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no document {id}")))?;
    if token_holder(&headers, &state, "deleted").await.is_err() {
        view.events.retain(|e| !e.deleted);
    }
    Ok(Json(view).into_response())
}
