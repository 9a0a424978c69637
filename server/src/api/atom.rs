//! `GET /api/events.atom`: any map view as an Atom feed (RFC 4287), the view's newest events
//! first, so that a feed reader follows what karta learns about a place, a type or a search.
//!
//! The query string is the one of `/api/events` and of the map's address; "newest" is the
//! time an event last changed (found, corrected or imported), which is also its entry's
//! `updated`.

use super::error::ApiQuery;
use super::events::reader_query;
use super::origin::origin;
use super::query::{EventParams, EventQuery, MAX_PAGE};
use super::{ApiError, AppState, blocking};
use crate::export::atom::{FeedInfo, write_feed};
use crate::export::event_feature;
use crate::ingest::Pipeline;
use crate::store::EventRow;
use app::url::{Filters, join_pairs};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use std::ops::ControlFlow;
use vocab::EventFeature;

/// Entries a feed holds when `limit` is not given.
pub const FEED_ENTRIES: usize = 50;

/// The media type of an Atom feed.
const ATOM: &str = "application/atom+xml; charset=utf-8";

/// `GET /api/events.atom`: the newest events of a view (`limit`, default [`FEED_ENTRIES`], at
/// most [`MAX_PAGE`]).
pub(super) async fn events_atom(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EventParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query = reader_query(&params, &headers, &state).await?;
    let count = query.limit.unwrap_or(FEED_ENTRIES);
    if count > MAX_PAGE {
        return Err(ApiError::parameter(
            "limit",
            format!("{count} is over {MAX_PAGE} entries"),
        ));
    }
    let origin = origin(&headers);
    let self_url = feed_url(&origin, &params);
    let filters = join_pairs(&Filters::from_params(&params).pairs());
    let view_url = format!(
        "{origin}/{}{filters}",
        if filters.is_empty() { "" } else { "?" }
    );
    let pipeline = state.pipeline.clone();
    let feed = blocking(move || {
        let events = newest(&pipeline, query, count)?;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let info = FeedInfo {
            origin: &origin,
            self_url: &self_url,
            view_url: &view_url,
            title: "karta: events of a map view",
            now: &now,
        };
        write_feed(&info, &events).map_err(ApiError::internal)
    })
    .await?;
    Ok(([(CONTENT_TYPE, ATOM)], feed).into_response())
}

/// The feed's own address: the parameters that choose its events, in their fixed order
/// (without `cursor` and `download`, which change nothing a reader follows).
fn feed_url(origin: &str, params: &EventParams) -> String {
    let pairs: Vec<(&str, String)> = params
        .pairs()
        .into_iter()
        .filter(|(name, _)| !matches!(*name, "cursor" | "download"))
        .collect();
    if pairs.is_empty() {
        format!("{origin}/api/events.atom")
    } else {
        format!("{origin}/api/events.atom?{}", join_pairs(&pairs))
    }
}

/// The `count` events of a query that changed last, newest first (ties by the higher id): the
/// query's rows are scanned once, keeping at most twice `count` of them at a time.
fn newest(
    pipeline: &Pipeline,
    mut query: EventQuery,
    count: usize,
) -> Result<Vec<EventFeature>, ApiError> {
    query.limit = None;
    let mut kept: Vec<EventRow> = Vec::with_capacity(2 * count);
    query.scan(pipeline, &mut |row| {
        kept.push(row);
        if kept.len() >= 2 * count {
            keep_newest(&mut kept, count);
        }
        ControlFlow::Continue(())
    })?;
    keep_newest(&mut kept, count);
    kept.into_iter()
        .map(|row| event_feature(row).map_err(ApiError::internal))
        .collect()
}

/// Sorts rows newest first and keeps the first `count`.
fn keep_newest(rows: &mut Vec<EventRow>, count: usize) {
    rows.sort_unstable_by(|a, b| {
        let (a, b) = (&a.fields, &b.fields);
        b.updated.cmp(&a.updated).then(b.id.cmp(&a.id))
    });
    rows.truncate(count);
}
