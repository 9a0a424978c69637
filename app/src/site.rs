//! The server side: the pages `/` and `/embed`, rendered with the events of the view that the
//! server's query hands over typed ([`EventSource`]), the document pages `/documents/{id}`, and
//! the built site (`scripts/build-site`: the WASM, the style sheet, the basemap) served from the
//! folder `KARTA_SITE` (default `site`).

use crate::map::projection::Viewport;
use crate::map::tiles::{TILES_ID, TileSource};
use crate::page::{App, INITIAL_EVENTS_ID, Initial, SIGNED_IN_ID};
use crate::state::ASSUMED_SIZE;
use crate::url::{ViewState, join_pairs};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, LOCATION,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::hydration::HydrationScripts;
use leptos::prelude::*;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use vocab::{Bbox, EventFeature, EventParams, write_events};

/// Most events a page carries for its first render (the browser then loads the rest).
const PAGE_EVENTS: usize = 500;

/// Name of the WASM and JS files `scripts/build-site` writes under `pkg/`.
const OUTPUT_NAME: &str = "karta";

/// Why an [`EventSource`] gave no events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Reads are private and the browser is not signed in (see `karta serve --private-reads`).
    Unauthorized,
    /// Anything else: what went wrong, for the log.
    Failed(String),
}

/// The answer of an [`EventSource`], to be awaited.
pub type EventsFuture = Pin<Box<dyn Future<Output = Result<Vec<EventFeature>, ReadError>> + Send>>;

/// Where the pages read their events: the server's own query over its store, which it hands to
/// [`router`]. The app knows the parameters and the typed events, not the server.
pub trait EventSource: Send + Sync + 'static {
    /// The events of `params` (the API's parameters, checked as `/api/events.geojson` checks
    /// them), read for a request with `headers` (its cookie or `Authorization` header may be
    /// needed: reads may be private).
    fn events(&self, params: EventParams, headers: HeaderMap) -> EventsFuture;
}

/// The name of the cookie that holds a signed-in browser's session id (see the server's
/// `api::session`, which sets it and checks it).
pub const SESSION_COOKIE: &str = "karta_session";

/// The session id a request's session cookie holds, if any.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

#[derive(Clone)]
struct Site {
    api: Router,
    events: Arc<dyn EventSource>,
    options: LeptosOptions,
    tiles: Option<TileSource>,
}

/// The folder of the built site: `KARTA_SITE`, else `site` in the working directory.
pub fn site_root() -> PathBuf {
    std::env::var_os("KARTA_SITE").map_or_else(|| PathBuf::from("site"), PathBuf::from)
}

/// The API router with the pages and the built site mounted beside it; the pages read their
/// events from `events`; `tiles` is the raster tile layer the map offers, if any.
pub fn router(api: Router, events: Arc<dyn EventSource>, tiles: Option<TileSource>) -> Router {
    // Rendering spawns tasks on Leptos' executor; a second call finds it set, which is fine.
    let _ = any_spawner::Executor::init_tokio();
    let root = site_root();
    let options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .build();
    let site = Site {
        api: api.clone(),
        events,
        options,
        tiles,
    };
    Router::new()
        .route("/", get(page))
        .route("/embed", get(page))
        .route("/documents/{id}", get(document))
        .nest_service("/pkg", ServeDir::new(root.join("pkg")).precompressed_gzip())
        .nest_service(
            "/basemap",
            ServeDir::new(root.join("basemap")).precompressed_gzip(),
        )
        .route_service("/karta.css", ServeFile::new(root.join("karta.css")))
        .route_service("/favicon.svg", ServeFile::new(root.join("favicon.svg")))
        .with_state(site)
        .merge(api)
}

/// What the API said to an in-process request.
enum Answer {
    /// A 2xx answer's text.
    Text(String),
    /// 401: reads are private and the browser is not signed in.
    Unauthorized,
    /// Anything else.
    Failed,
}

/// Asks the API for a path in-process, with the browser's cookie and `Authorization` header
/// (reads may be private: see `karta serve --private-reads`).
async fn api_text(api: &Router, uri: &str, headers: &HeaderMap) -> Answer {
    let mut builder = Request::builder().uri(uri);
    for name in [COOKIE, AUTHORIZATION] {
        for value in headers.get_all(&name) {
            builder = builder.header(&name, value);
        }
    }
    let Ok(request) = builder.body(Body::empty()) else {
        return Answer::Failed;
    };
    let Ok(response) = api.clone().oneshot(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        return Answer::Unauthorized;
    }
    if !response.status().is_success() {
        return Answer::Failed;
    }
    match axum::body::to_bytes(response.into_body(), 256 << 20).await {
        Ok(bytes) => String::from_utf8(bytes.to_vec()).map_or(Answer::Failed, Answer::Text),
        Err(_) => Answer::Failed,
    }
}

/// Sends a browser that is not signed in to the sign-in form, to come back to `uri` after.
fn sign_in_first(uri: &axum::http::Uri) -> Response {
    let next = uri.path_and_query().map_or("/", |p| p.as_str());
    let location = format!("/session?{}", join_pairs(&[("next", next.to_owned())]));
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(LOCATION, location)
        .body(Body::empty())
        .unwrap_or_default()
}

/// What an embedded map of private events shows: a frame in another site cannot sign in (its
/// cookie would be a third party's, and the sign-in form refuses frames), so it links to the same
/// view on karta's own page, which can.
fn private_embed(query: &str) -> Response {
    let href = if query.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", query.replace('&', "&amp;").replace('"', "&quot;"))
    };
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Private map: karta</title>
<link rel="stylesheet" href="/karta.css">
</head>
<body>
<main class="session">
<p>The events of this map are private. <a href="{href}" target="_blank" rel="noopener">Open the map on its own page</a> to sign in and see them.</p>
</main>
</body>
</html>
"#
    );
    Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .header(CACHE_CONTROL, "no-store")
        .body(Body::from(page))
        .unwrap_or_default()
}

/// `GET /` and `/embed`: the page for the view in the query string.
async fn page(State(site): State<Site>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or_default().to_owned();
    let embed = request.uri().path().starts_with("/embed");
    let state = ViewState::from_query(&query);
    let view = Viewport::new(state.centre, state.zoom, ASSUMED_SIZE[0], ASSUMED_SIZE[1]);
    let params = EventParams {
        bbox: Some(Bbox::from(view.bbox()).to_string()),
        limit: Some(PAGE_EVENTS.to_string()),
        ..state.filters.params()
    };
    let events = match site.events.events(params, request.headers().clone()).await {
        Ok(events) => events,
        Err(ReadError::Unauthorized) if embed => return private_embed(&query),
        Err(ReadError::Unauthorized) => return sign_in_first(request.uri()),
        Err(ReadError::Failed(why)) => {
            leptos::logging::warn!("the page could not read its events: {why}");
            Vec::new()
        }
    };
    let initial = Initial {
        query,
        embed,
        events,
        signed_in: session_token(request.headers()).is_some(),
    };
    let options = site.options.clone();
    let tiles = site.tiles.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            let tiles_url = tiles.as_ref().map(|t| t.url.as_str());
            if let (Some(nonce), Some(response)) = (
                leptos::nonce::use_nonce(),
                use_context::<leptos_axum::ResponseOptions>(),
            ) && let Ok(policy) =
                HeaderValue::from_str(&crate::csp::page_policy(&nonce, embed, tiles_url))
            {
                response.insert_header(CONTENT_SECURITY_POLICY, policy);
            }
            provide_context(initial.clone());
            provide_context(tiles.clone());
        },
        move || shell(options.clone()),
    );
    handler(request).await
}

/// The HTML document around the app, with the events the first render used.
fn shell(options: LeptosOptions) -> impl IntoView {
    let initial = use_context::<Initial>().unwrap_or_default();
    let events = script_json(&write_events(&initial.events).unwrap_or_default());
    let signed_in = initial.signed_in;
    let tiles = crate::map::tiles::configured()
        .and_then(|t| serde_json::to_string(&t).ok())
        .map(|t| script_json(&t));
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>"karta: events on a map"</title>
                <meta name="description" content="Events from the news, geotagged, on a map you can filter, download and share."/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script nonce={leptos::nonce::use_nonce()} inner_html={crate::theme::PRE_PAINT}></script>
                <link rel="stylesheet" href="/karta.css"/>
                <script type="application/json" id=INITIAL_EVENTS_ID inner_html=events></script>
                {signed_in.then(|| view! { <script type="application/json" id=SIGNED_IN_ID>"true"</script> })}
                {tiles.map(|t| view! { <script type="application/json" id=TILES_ID inner_html=t></script> })}
                <HydrationScripts options/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// JSON made safe inside a `<script type="application/json">` block: `<`, `>`, `&`, U+2028 and
/// U+2029 become `\u` escapes, so that no text (`<!--`, `<script`, `</script`) can end the block
/// or start a comment in it, while the JSON reads back the same.
fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `GET /documents/{id}`: the document's own page (see [`crate::document`]).
async fn document(State(site): State<Site>, Path(id): Path<String>, request: Request) -> Response {
    let json = match id.parse::<i64>() {
        Ok(n) => match api_text(&site.api, &format!("/api/documents/{n}"), request.headers()).await
        {
            Answer::Text(json) => Some(json),
            Answer::Unauthorized => return sign_in_first(request.uri()),
            Answer::Failed => None,
        },
        Err(_) => None,
    };
    crate::document::page(&id, json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_hides_html_and_reads_back_the_same() {
        let text = "<!--<script> </script ]]> & \u{2028}\u{2029}";
        let json = serde_json::to_string(&text).expect("a string writes");
        let safe = script_json(&json);
        assert!(
            !safe.contains(['<', '>', '&', '\u{2028}', '\u{2029}']),
            "{safe}"
        );
        let back: String = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, text);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; karta_session=karta_abc ; b=2"),
        );
        assert_eq!(session_token(&headers), Some("karta_abc"));
        headers.insert(COOKIE, HeaderValue::from_static("karta_session="));
        assert_eq!(session_token(&headers), None);
    }
}
