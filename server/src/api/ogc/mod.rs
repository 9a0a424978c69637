//! OGC API – Features, Part 1: Core (OGC 17-069r4), with the GeoJSON and OpenAPI 3.0
//! conformance classes, under `/ogc`, so that QGIS, ArcGIS and GDAL read karta's events as one
//! collection of features, `events`:
//!
//! - `GET /ogc`: the landing page; `GET /ogc/api`: its OpenAPI 3.0 definition
//! - `GET /ogc/conformance`, `GET /ogc/collections`, `GET /ogc/collections/events` (with the
//!   events' spatial and temporal extent)
//! - `GET /ogc/collections/events/items`: `bbox`, `datetime`, `limit`, karta's own filters, and
//!   pages by ascending id linked by `next`; `GET /ogc/collections/events/items/{id}`
//!
//! The items are the features of `/api/events.geojson`, read by the same checked query
//! ([`EventQuery`]); links are absolute, from the request's origin.

mod params;

use super::events::reader_query;
use super::origin::origin;
use super::query::{DEFAULT_PAGE, EventQuery, MAX_PAGE, Spatial};
use super::{ApiError, AppState, blocking};
use crate::export::event_feature;
use crate::ingest::Pipeline;
use crate::store::{EventExtent, EventFilter, EventId};
use app::url::join_pairs;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use geojson::{Feature, FeatureCollection, JsonObject};
use serde_json::{Value, json};
use std::ops::ControlFlow;
use std::sync::LazyLock;
use vocab::EventType;

/// Features a page holds when `limit` is not given.
pub const DEFAULT_ITEMS: usize = DEFAULT_PAGE;

/// Most features a page holds; a larger `limit` is taken as this (OGC 17-069r4, 7.15.3).
pub const MAX_ITEMS: usize = MAX_PAGE;

/// The one collection.
const COLLECTION: &str = "events";

/// Longitude, latitude on WGS 84.
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// The conformance classes this API implements.
const CONFORMANCE: [&str; 3] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];

/// The media type of the pages other than features.
const JSON: &str = "application/json";
/// The media type of features.
const GEOJSON: &str = "application/geo+json";
/// The media type of the API definition.
const OPENAPI_30: &str = "application/vnd.oai.openapi+json;version=3.0";

/// The OpenAPI 3.0 definition, with `{server}` left for the request's origin.
fn definition_template() -> &'static str {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        include_str!("openapi.json")
            .replace("{max_items}", &MAX_ITEMS.to_string())
            .replace("{default_items}", &DEFAULT_ITEMS.to_string())
            .replace("{event_type_names}", &EventType::names())
    });
    &DOCUMENT
}

/// The OGC API's routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ogc", get(landing_show))
        .route("/ogc/", get(landing_show))
        .route("/ogc/api", get(definition_show))
        .route("/ogc/conformance", get(conformance_show))
        .route("/ogc/collections", get(collections_index))
        .route("/ogc/collections/{collection}", get(collections_show))
        .route("/ogc/collections/{collection}/items", get(items_index))
        .route("/ogc/collections/{collection}/items/{id}", get(items_show))
}

/// A JSON answer with its media type.
fn answer(media: &'static str, value: &impl serde::Serialize) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
    Ok(([(CONTENT_TYPE, media)], body).into_response())
}

/// A link object.
fn link(href: String, rel: &str, media: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media, "title": title})
}

/// Refuses an `f` other than JSON on the pages other than the items.
fn json_only(query: Option<&str>) -> Result<(), ApiError> {
    params::check_format(params::format_of(query)?.as_deref())
}

/// `GET /ogc`: what this API is, and its links.
async fn landing_show(RawQuery(q): RawQuery, headers: HeaderMap) -> Result<Response, ApiError> {
    json_only(q.as_deref())?;
    let base = format!("{}/ogc", origin(&headers));
    answer(
        JSON,
        &json!({
            "title": "karta",
            "description": "Events found in the news, geotagged: OGC API – Features",
            "links": [
                link(base.clone(), "self", JSON, "This document"),
                link(format!("{base}/api"), "service-desc", OPENAPI_30, "The API definition"),
                link(format!("{base}/conformance"), "conformance", JSON, "Conformance classes"),
                link(format!("{base}/collections"), "data", JSON, "The collections"),
            ],
        }),
    )
}

/// `GET /ogc/api`: the OpenAPI 3.0 definition.
async fn definition_show(headers: HeaderMap) -> Response {
    let server = format!("{}/ogc", origin(&headers));
    let document = definition_template().replace("{server}", &server);
    ([(CONTENT_TYPE, OPENAPI_30)], document).into_response()
}

/// `GET /ogc/conformance`.
async fn conformance_show(RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    json_only(q.as_deref())?;
    answer(JSON, &json!({ "conformsTo": CONFORMANCE }))
}

/// `GET /ogc/collections`: the one collection.
async fn collections_index(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    json_only(q.as_deref())?;
    let base = format!("{}/ogc", origin(&headers));
    let events = collection(&state, &base).await?;
    answer(
        JSON,
        &json!({
            "links": [link(format!("{base}/collections"), "self", JSON, "The collections")],
            "collections": [events],
        }),
    )
}

/// `GET /ogc/collections/{collection}`.
async fn collections_show(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    known_collection(&name?.0)?;
    json_only(q.as_deref())?;
    let base = format!("{}/ogc", origin(&headers));
    answer(JSON, &collection(&state, &base).await?)
}

/// A 404 for any collection but `events`.
fn known_collection(name: &str) -> Result<(), ApiError> {
    match name {
        COLLECTION => Ok(()),
        other => Err(ApiError::not_found(format!(
            "no collection {other:?}; the one collection is {COLLECTION:?}"
        ))),
    }
}

/// The description of the events' collection, with its extent.
async fn collection(state: &AppState, base: &str) -> Result<Value, ApiError> {
    let pipeline = state.pipeline.clone();
    let extent = blocking(move || Ok(pipeline.store().event_extent()?)).await?;
    let here = format!("{base}/collections/{COLLECTION}");
    Ok(json!({
        "id": COLLECTION,
        "title": "Events",
        "description": "Events found in the news: what happened, where and when, \
                        with the sentence that reports it",
        "links": [
            link(here.clone(), "self", JSON, "This collection"),
            link(format!("{here}/items"), "items", GEOJSON, "The events"),
        ],
        "extent": extent_json(&extent),
        "itemType": "feature",
        "crs": [CRS84],
    }))
}

/// The extent of the collection: the box around the events (the world when there is none)
/// and their first and last days (open when none is dated).
fn extent_json(extent: &EventExtent) -> Value {
    let bbox = extent.bbox.map_or([-180.0, -90.0, 180.0, 90.0], |b| {
        [b.min_lon, b.min_lat, b.max_lon, b.max_lat]
    });
    let instant = |day: Option<chrono::NaiveDate>| day.map(|d| format!("{d}T00:00:00Z"));
    json!({
        "spatial": {"bbox": [bbox], "crs": CRS84},
        "temporal": {
            "interval": [[instant(extent.first), instant(extent.last)]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        },
    })
}

/// One page of items, and where the next one starts.
struct ItemPage {
    /// Events that match the query, on every page.
    matched: u64,
    /// This page's features.
    features: Vec<Feature>,
    /// The id after which the next page starts; `None` on the last page.
    next: Option<EventId>,
}

/// `GET /ogc/collections/events/items`: a page of features, ascending ids.
async fn items_index(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    known_collection(&name?.0)?;
    let mut params = params::item_params(q.as_deref())?;
    let query = reader_query(&params, &headers, &state).await?;
    if let Spatial::Nearest { .. } = query.spatial {
        return Err(ApiError::parameter(
            "near",
            "needs radius_km here: the items come by id, not by distance",
        ));
    }
    let limit = query.limit.unwrap_or(DEFAULT_ITEMS).min(MAX_ITEMS);
    let pipeline = state.pipeline.clone();
    let page = blocking(move || item_page(&pipeline, &query, limit)).await?;
    let items = format!("{}/ogc/collections/{COLLECTION}/items", origin(&headers));
    let mut links = vec![link(
        with_query(&items, q.as_deref().unwrap_or_default()),
        "self",
        GEOJSON,
        "This page",
    )];
    if let Some(after) = page.next {
        params.limit = Some(limit.to_string());
        params.cursor = Some(after.to_string());
        let next = with_query(&items, &join_pairs(&params.pairs()));
        links.push(link(next, "next", GEOJSON, "The next page"));
    }
    let returned = page.features.len();
    let mut members = JsonObject::new();
    members.insert("links".into(), Value::Array(links));
    members.insert("numberMatched".into(), page.matched.into());
    members.insert("numberReturned".into(), returned.into());
    members.insert("timeStamp".into(), now().into());
    let collection = FeatureCollection {
        bbox: None,
        features: page.features,
        foreign_members: Some(members),
    };
    answer(GEOJSON, &collection)
}

/// `path?query`, or `path` when the query is empty.
fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// The time of an answer, RFC 3339 in UTC.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads a page: the count of every match, then `limit` features after the cursor (one more
/// is read to know whether a next page exists).
fn item_page(pipeline: &Pipeline, query: &EventQuery, limit: usize) -> Result<ItemPage, ApiError> {
    let (filter, ids) = query.scope(pipeline, limit)?;
    let store = pipeline.store();
    let matched = store.count_events(&filter, ids.as_deref())?;
    let mut rows = Vec::with_capacity(limit.min(DEFAULT_ITEMS) + 1);
    store.scan_events(
        &filter,
        ids.as_deref(),
        query.after,
        Some(limit + 1),
        &mut |row| {
            rows.push(row);
            ControlFlow::Continue(())
        },
    )?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|r| r.fields.id)
    } else {
        None
    };
    let features = rows
        .into_iter()
        .map(|row| Ok(event_feature(row)?.to_feature()?))
        .collect::<Result<Vec<_>, crate::export::ExportError>>()
        .map_err(ApiError::internal)?;
    Ok(ItemPage {
        matched,
        features,
        next,
    })
}

/// `GET /ogc/collections/events/items/{id}`: one event that is not deleted, else 404.
async fn items_show(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (name, id) = path?.0;
    known_collection(&name)?;
    params::check_format(params::format_of(q.as_deref())?.as_deref())?;
    let missing = || ApiError::not_found(format!("no event {id:?} in {COLLECTION}"));
    let event: EventId = id.parse().map_err(|_| missing())?;
    let pipeline = state.pipeline.clone();
    let found = blocking(move || {
        let mut found = None;
        pipeline.store().scan_events(
            &EventFilter::default(),
            Some(&[event]),
            None,
            Some(1),
            &mut |row| {
                found = Some(row);
                ControlFlow::Break(())
            },
        )?;
        Ok(found)
    })
    .await?
    .ok_or_else(missing)?;
    let mut feature = event_feature(found)
        .and_then(|f| Ok(f.to_feature()?))
        .map_err(ApiError::internal)?;
    let collection = format!("{}/ogc/collections/{COLLECTION}", origin(&headers));
    let links = json!([
        link(
            format!("{collection}/items/{event}"),
            "self",
            GEOJSON,
            "This event"
        ),
        link(collection, "collection", JSON, "The collection"),
    ]);
    feature
        .foreign_members
        .get_or_insert_with(JsonObject::new)
        .insert("links".into(), links);
    answer(GEOJSON, &feature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_openapi_30_with_every_value_filled() {
        let document = definition_template().replace("{server}", "http://127.0.0.1:3000/ogc");
        let doc: Value = serde_json::from_str(&document).expect("the definition is JSON");
        assert_eq!(doc["openapi"], "3.0.3");
        for placeholder in [
            "{max_items}",
            "{default_items}",
            "{event_type_names}",
            "{server}",
        ] {
            assert!(!document.contains(placeholder), "{placeholder}");
        }
        let items = &doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"];
        let limit = items
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == "limit"))
            .expect("limit");
        assert_eq!(limit["schema"]["default"], DEFAULT_ITEMS);
        assert_eq!(limit["schema"]["maximum"], MAX_ITEMS);
        let typed: openapiv3::OpenAPI =
            serde_json::from_str(&document).expect("an OpenAPI 3.0 document");
        let operations: Vec<_> = typed
            .operations()
            .filter_map(|(path, method, op)| Some((path, method, op.operation_id.as_deref()?)))
            .collect();
        assert_eq!(
            operations,
            [
                ("/", "get", "getLandingPage"),
                ("/api", "get", "getApiDefinition"),
                ("/conformance", "get", "getConformanceDeclaration"),
                ("/collections", "get", "getCollections"),
                ("/collections/{collectionId}", "get", "describeCollection"),
                ("/collections/{collectionId}/items", "get", "getFeatures"),
                (
                    "/collections/{collectionId}/items/{featureId}",
                    "get",
                    "getFeature"
                ),
            ]
        );
    }

    #[test]
    fn an_empty_store_has_the_world_and_an_open_interval() {
        let empty = extent_json(&EventExtent::default());
        assert_eq!(
            empty["spatial"]["bbox"],
            json!([[-180.0, -90.0, 180.0, 90.0]])
        );
        assert_eq!(empty["temporal"]["interval"], json!([[null, null]]));
    }
}
